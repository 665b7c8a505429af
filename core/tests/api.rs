//! Behaviour that the vectors do not show: the input rules' edges, inspect's verdicts and
//! errors, redaction, the key cache and threads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use iamauth::{
    Credentials, DsqlAction, DsqlTokenRequest, ErrorCode, KEY_CACHE_SHARDS, KEY_CACHE_SLOTS,
    RdsTokenRequest, Signer, Validity, inspect,
};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SESSION: &str = "FwoGZXIvYXdzEXAMPLE/session+token=";

fn creds() -> Credentials<'static> {
    Credentials::new("AKIDEXAMPLE", SECRET, Some(SESSION)).unwrap()
}

fn rds() -> RdsTokenRequest<'static> {
    RdsTokenRequest::new(
        "mydb.123456789012.us-east-1.rds.amazonaws.com",
        5432,
        "iam_user",
        "us-east-1",
        1_704_164_645,
    )
}

#[test]
fn every_real_region_is_accepted() {
    for region in [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-7",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-south-1",
        "eu-south-2",
        "eu-north-1",
        "il-central-1",
        "me-south-1",
        "me-central-1",
        "mx-central-1",
        "sa-east-1",
        "cn-north-1",
        "cn-northwest-1",
        "us-gov-west-1",
        "us-gov-east-1",
        "us-iso-east-1",
        "us-iso-west-1",
        "us-isob-east-1",
        "us-isof-south-1",
        "us-isof-east-1",
        "eu-isoe-west-1",
        "eusc-de-east-1",
    ] {
        assert!(
            iamauth::check_region(region).is_ok(),
            "{region} must be accepted"
        );
    }
    for region in [
        "",
        "US EAST",
        "us-east-1/x",
        "us-east",
        "east-1",
        "us-east-01",
        "us--east-1",
        "-us-east-1",
    ] {
        let err = iamauth::check_region(region).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidRegion, "{region:?}");
    }
}

#[test]
fn host_rule_edges() {
    for ok in [
        "a",
        "10.0.0.1",
        "[::1]",
        "[2001:db8::1]",
        "[::ffff:192.0.2.1]",
        "[1:2:3:4:5:6:7:8]",
        "under_score.example",
        "x".repeat(253).as_str(),
    ] {
        assert!(iamauth::check_host(ok).is_ok(), "{ok:?} must be accepted");
    }
    for bad in [
        "",
        "[::1",
        "[1:2:3:4:5:6:7:8:9]",
        "[1::2::3]",
        "[::256.0.0.1]",
        "[]",
        "[:]",
        "a b",
        "x".repeat(254).as_str(),
    ] {
        assert_eq!(
            iamauth::check_host(bad).unwrap_err().code(),
            ErrorCode::InvalidHost,
            "{bad:?}"
        );
    }
}

#[test]
fn error_codes_are_stable() {
    let expected = [
        (1, "INVALID_HOST"),
        (2, "INVALID_PORT"),
        (3, "INVALID_USER"),
        (4, "INVALID_REGION"),
        (5, "INVALID_EXPIRY"),
        (6, "INVALID_CREDENTIALS"),
        (7, "INVALID_TIME"),
        (8, "INVALID_ACTION"),
        (9, "MALFORMED_TOKEN"),
        (10, "INVALID_SERVICE"),
        (11, "INVALID_REQUEST"),
        (12, "EXPIRED_TOKEN"),
        (13, "NOT_YET_VALID"),
        (14, "UNKNOWN_ACCESS_KEY"),
        (15, "SIGNATURE_MISMATCH"),
        (16, "WRONG_HOST"),
        (17, "WRONG_PORT"),
        (18, "WRONG_USER"),
        (19, "WRONG_REGION"),
        (20, "WRONG_SERVICE"),
        (21, "EXPIRES_TOO_LONG"),
        (22, "SESSION_TOKEN_MISMATCH"),
        (23, "USER_NOT_ALLOWED"),
        (24, "HOST_NOT_ALLOWED"),
        (25, "WRONG_ACTION"),
        (26, "INSECURE_KEYS_FILE"),
        (27, "INVALID_CLUSTER"),
        (28, "INVALID_USER_AGENT"),
        (101, "INVALID_UTF8"),
    ];
    assert_eq!(ErrorCode::ALL.len(), expected.len());
    for (code, (number, name)) in ErrorCode::ALL.iter().zip(expected) {
        assert_eq!(code.number(), number);
        assert_eq!(code.name(), name);
        assert_eq!(ErrorCode::from_name(name), Some(*code));
        assert_eq!(ErrorCode::from_number(number), Some(*code));
        assert!(code.description().ends_with('.'), "{name}");
    }
}

#[test]
fn messages_name_the_field_and_the_rule() {
    let cases: [(RdsTokenRequest<'_>, &str); 5] = [
        (
            RdsTokenRequest {
                host: "a/b",
                ..rds()
            },
            "host:",
        ),
        (
            RdsTokenRequest { port: 0, ..rds() },
            "port: must be an integer from 1 to 65535",
        ),
        (RdsTokenRequest { user: "", ..rds() }, "user:"),
        (
            RdsTokenRequest {
                expires_in: 901,
                ..rds()
            },
            "expires_in: must be an integer number of seconds from 1 to 900",
        ),
        (RdsTokenRequest { time: -1, ..rds() }, "time:"),
    ];
    for (request, start) in cases {
        let err = iamauth::rds_token(&request, &creds()).unwrap_err();
        assert!(err.message().starts_with(start), "{err}");
        assert!(err.to_string().starts_with(err.code().name()));
    }
}

#[test]
fn nothing_secret_in_debug_or_errors() {
    let token = iamauth::rds_token(&rds(), &creds()).unwrap();
    let signer = Signer::new();
    let steps = signer.token_with_steps(&rds(), &creds()).unwrap();
    let info = inspect(&token).unwrap();
    let key = iamauth::signing_key(SECRET, "20240102", "us-east-1", "rds-db");
    let printed = [
        format!("{:?}", creds()),
        format!("{steps:?}"),
        format!("{info:?}"),
        format!("{key:?}"),
        format!("{signer:?}"),
    ];
    let signature = info.signature;
    for text in &printed {
        for secret in [SECRET, SESSION, "session+token", token.as_str(), signature] {
            assert!(!text.contains(secret), "{text} leaks {secret}");
        }
    }
    assert!(printed[0].contains("AKIDEXAMPLE") && printed[0].contains("<redacted>"));
    // Errors carry fixed messages only.
    let bad = Credentials::new("AKIDEXAMPLE", SECRET, Some("has space")).unwrap_err();
    assert!(!bad.to_string().contains("has space"));
}

#[test]
fn inspect_says_valid_expired_or_not_yet_valid() {
    let token = iamauth::rds_token(&rds(), &creds()).unwrap();
    let info = inspect(&token).unwrap();
    let t = 1_704_164_645;
    assert_eq!(
        info.validity(t).unwrap(),
        Validity::Valid { seconds_left: 900 }
    );
    assert_eq!(
        info.validity(t + 899).unwrap(),
        Validity::Valid { seconds_left: 1 }
    );
    assert_eq!(
        info.validity(t + 900).unwrap(),
        Validity::Expired {
            expired_at: t + 900,
            seconds_ago: 0
        }
    );
    assert_eq!(
        info.validity(t + 1000).unwrap(),
        Validity::Expired {
            expired_at: t + 900,
            seconds_ago: 100
        }
    );
    assert_eq!(
        info.validity(t - 5).unwrap(),
        Validity::NotYetValid { starts_in: 5 }
    );
    assert_eq!(
        info.validity(-1).unwrap_err().code(),
        ErrorCode::InvalidTime
    );
    assert!(info.has_session_token);
    assert_eq!(info.expires_at, t + 900);
}

#[test]
fn inspect_rejects_what_is_not_a_token() {
    let good = iamauth::rds_token(&rds(), &creds()).unwrap();
    let dsql = iamauth::dsql_token(
        &DsqlTokenRequest::new(
            "abc.dsql.us-east-1.on.aws",
            "us-east-1",
            DsqlAction::DbConnect,
            1_704_164_645,
        ),
        &creds(),
    )
    .unwrap();
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "empty"),
        (format!("https://{good}"), "scheme"),
        (good.replace("/?", "/"), "no '?'"),
        (good.replace("X-Amz-Signature=", "X-Amz-Sig="), "unknown"),
        (format!("{good}&Action=connect"), "twice"),
        (
            good.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"),
            "Algorithm",
        ),
        (
            good.replace("SignedHeaders=host", "SignedHeaders=host%3Bx-amz-date"),
            "SignedHeaders",
        ),
        (
            good.replace("20240102T030405Z", "20240102T250405Z"),
            "X-Amz-Date",
        ),
        (good.replace("Expires=900", "Expires=0"), "Expires"),
        (good.replace("Expires=900", "Expires=604801"), "Expires"),
        (good.replace(":5432/", ":0/"), "port"),
        (good.replace(":5432/", ":65536/"), "port"),
        (good.replace(":5432/", "/"), "rds-db"),
        (
            good.replace("%2F20240102%2F", "%2F20240103%2F"),
            "date differs",
        ),
        (good.replace("rds-db", "s3"), "service"),
        (good.replace("DBUser=iam_user", "DBUser=%ZZ"), "user"),
        (good.replace("DBUser=iam_user", "DBUser=%FF"), "user"),
        (good.replace("DBUser=iam_user&", ""), "DBUser"),
        (good.replace("mydb.", "my db."), "host"),
        (
            good.replace("%2Faws4_request", "%2Faws5_request"),
            "Credential",
        ),
        (good[..good.len() - 1].to_string(), "Signature"),
        (dsql.replace("Action=DbConnect", "Action=connect"), "dsql"),
        (dsql.replace("on.aws/", "on.aws:5432/"), "dsql"),
        ("localhost:5432/?Action=connect".to_string(), "missing"),
    ];
    for (token, why) in cases {
        let err = inspect(&token).unwrap_err();
        assert_eq!(err.code(), ErrorCode::MalformedToken, "{why}: {token}");
        assert!(err.message().starts_with("token:"), "{err}");
    }
}

#[test]
fn the_key_cache_is_bounded_and_shared() {
    let signer = Signer::new();
    let secrets: Vec<String> = (0..20).map(|i| format!("secret-{i}")).collect();
    for secret in &secrets {
        let c = Credentials::new("AKIDEXAMPLE", secret, None).unwrap();
        signer.token(&rds(), &c).unwrap();
        assert!(signer.cache().len() <= KEY_CACHE_SLOTS);
    }
    assert_eq!(signer.cache().len(), KEY_CACHE_SLOTS);
    // A different day, region or service is a different key.
    let c = creds();
    let before = Signer::new();
    before.token(&rds(), &c).unwrap();
    before
        .token(
            &RdsTokenRequest {
                time: 1_704_164_645 + 86_400,
                ..rds()
            },
            &c,
        )
        .unwrap();
    before
        .token(
            &RdsTokenRequest {
                region: "eu-west-1",
                ..rds()
            },
            &c,
        )
        .unwrap();
    before
        .token(
            &DsqlTokenRequest::new(
                "a.dsql.us-east-1.on.aws",
                "us-east-1",
                DsqlAction::DbConnect,
                1_704_164_645,
            ),
            &c,
        )
        .unwrap();
    assert_eq!(before.cache().len(), 4);
    // The same scope with a different secret must not reuse the key.
    let other = Credentials::new("AKIDEXAMPLE", "another-secret", Some(SESSION)).unwrap();
    assert_ne!(
        before.token(&rds(), &other).unwrap(),
        before.token(&rds(), &c).unwrap()
    );
    before.cache().clear();
    assert!(before.cache().is_empty());
}

#[test]
fn eight_threads_share_one_signer() {
    let vectors: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::project_vectors().join("tokens.json")).unwrap(),
    )
    .unwrap();
    let rds_cases: Vec<serde_json::Value> = vectors["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "rds")
        .cloned()
        .collect();
    std::thread::scope(|scope| {
        for t in 0..8 {
            let cases = &rds_cases;
            scope.spawn(move || {
                for round in 0..50 {
                    let case = &cases[(t * 7 + round) % cases.len()];
                    let input = &case["input"];
                    let c = Credentials::new(
                        input["access_key_id"].as_str().unwrap(),
                        input["secret_access_key"].as_str().unwrap(),
                        input["session_token"].as_str(),
                    )
                    .unwrap();
                    let request = RdsTokenRequest {
                        host: input["host"].as_str().unwrap(),
                        port: input["port"].as_i64().unwrap(),
                        user: input["user"].as_str().unwrap(),
                        region: input["region"].as_str().unwrap(),
                        time: input["time"].as_i64().unwrap(),
                        expires_in: input["expires_in"].as_i64().unwrap(),
                    };
                    let token = Signer::shared().token(&request, &c).unwrap();
                    assert_eq!(token, case["expected"]["token"].as_str().unwrap());
                }
            });
        }
    });
}

#[test]
fn times_parse_and_format() {
    assert_eq!(
        iamauth::parse_time("2024-01-02T03:04:05Z").unwrap(),
        1_704_164_645
    );
    assert_eq!(
        iamauth::parse_time("2024-01-02T04:04:05+01:00").unwrap(),
        1_704_164_645
    );
    assert_eq!(
        iamauth::parse_time("2024-01-02T03:04:05.999Z").unwrap(),
        1_704_164_645
    );
    assert_eq!(iamauth::parse_time("1704164645").unwrap(), 1_704_164_645);
    assert_eq!(iamauth::parse_time("0").unwrap(), 0);
    for bad in [
        "",
        "yesterday",
        "-5",
        "253402300800",
        "2024-01-02",
        "1e9",
        "99999999999999999999",
    ] {
        assert_eq!(
            iamauth::parse_time(bad).unwrap_err().code(),
            ErrorCode::InvalidTime,
            "{bad:?}"
        );
    }
    assert_eq!(
        iamauth::format_rfc3339(1_704_164_645).unwrap(),
        "2024-01-02T03:04:05Z"
    );
    assert_eq!(
        iamauth::format_rfc3339(253_402_300_799).unwrap(),
        "9999-12-31T23:59:59Z"
    );
    assert_eq!(iamauth::format_rfc3339(0).unwrap(), "1970-01-01T00:00:00Z");
}

#[test]
fn regions_from_endpoint_hosts() {
    let cases = [
        (
            "mydb.123456789012.us-east-1.rds.amazonaws.com",
            Some("us-east-1"),
        ),
        (
            "mydb.cluster-ro-abc.eu-central-1.rds.amazonaws.com",
            Some("eu-central-1"),
        ),
        ("MYDB.ABC.CN-NORTH-1.RDS.AMAZONAWS.COM.CN", None), // the region itself must be lowercase
        (
            "mydb.abc.cn-north-1.rds.amazonaws.com.cn",
            Some("cn-north-1"),
        ),
        (
            "mydb.abc.us-isob-east-1.rds.sc2s.sgov.gov",
            Some("us-isob-east-1"),
        ),
        ("abc.dsql.us-east-2.on.aws", Some("us-east-2")),
        ("abc.dsql.us-east-2.on.aws.", Some("us-east-2")),
        ("abc.lambda-url.us-east-2.on.aws", None),
        ("localhost", None),
        ("10.0.0.1", None),
        ("rds.amazonaws.com", None),
        ("x.notaregion.rds.amazonaws.com", None),
    ];
    for (host, want) in cases {
        assert_eq!(iamauth::region_from_host(host), want, "{host}");
    }
}

#[test]
fn a_general_presign_takes_up_to_ten_parameters_of_its_own() {
    let names: Vec<String> = (0..11).map(|i| format!("p{i}")).collect();
    let query: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "v")).collect();
    let request = |query| iamauth::PresignRequest {
        method: "GET",
        host: "example.amazonaws.com",
        port: None,
        path: "/",
        normalize_path: true,
        query,
        headers: &[],
        region: "us-east-1",
        service: "service",
        time: 1_440_938_160,
        expires_in: 3600,
        payload_hash: None,
        session_token_mode: iamauth::SessionTokenMode::Signed,
    };
    let signed = iamauth::presign(&request(&query[..10]), &creds()).unwrap();
    assert_eq!(common::query_set(&signed.presigned).len(), 10 + 7);
    let err = iamauth::presign(&request(&query), &creds()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidRequest);
    assert!(err.message().contains("at most 10"), "{err}");
}

/// The README's error table lists exactly the core's codes, with their numbers.
#[test]
fn readme_error_table_is_the_core_table() {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("## Errors")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap();
    let rows: Vec<(u32, String)> = section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let number = cells.get(1)?.parse().ok()?;
            Some((number, cells.get(2)?.trim_matches('`').to_owned()))
        })
        .collect();
    let core: Vec<(u32, String)> = ErrorCode::ALL
        .iter()
        .map(|c| (c.number(), c.name().to_owned()))
        .collect();
    assert_eq!(rows, core);
}

#[test]
fn threads_sign_on_their_own_shards_and_clear_empties_them_all() {
    let signer = Signer::new();
    let c = creds();
    let here = signer.token(&rds(), &c).unwrap();
    let there: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..KEY_CACHE_SHARDS)
            .map(|_| s.spawn(|| signer.token(&rds(), &c).unwrap()))
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    // Every thread made the same token; the key was derived at most once per shard.
    assert!(there.iter().all(|t| *t == here));
    assert!((1..=KEY_CACHE_SHARDS).contains(&signer.cache().len()));
    signer.cache().clear();
    assert!(signer.cache().is_empty());
    assert_eq!(signer.token(&rds(), &c).unwrap(), here);
}

#[test]
fn a_new_session_token_with_the_same_key_is_encoded_afresh() {
    // The key cache keeps each key's session token encoded; a different token (the same secret)
    // must never reuse it.
    let signer = Signer::new();
    let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    for token in [
        "first/+=token",
        "second/token",
        "first/+=token",
        "first/+=tokeN",
    ] {
        let c = Credentials::new("AKIDEXAMPLE", secret, Some(token)).unwrap();
        let cached = signer.token(&rds(), &c).unwrap();
        let fresh = Signer::new().token(&rds(), &c).unwrap();
        assert_eq!(cached, fresh, "{token}");
    }
    // And none at all after one.
    let plain = Signer::new().token(&rds(), &creds()).unwrap();
    assert_eq!(signer.token(&rds(), &creds()).unwrap(), plain);
}
