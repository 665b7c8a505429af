//! `verify`: every token of every vector set verifies (botocore's layout, the other SDKs'
//! orders, the AWS SDKs' published tokens), and every case of tests/vectors/verify.json (each
//! check's refusal code, the check order, malformed expectations) answers what it says.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use iamauth::{
    Credentials, ErrorCode, Expectations, RdsTokenRequest, VerifyKey, rds_token, verify,
};
use serde_json::Value;

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const T0: i64 = 1_704_164_645;
const HOST: &str = "mydb.123456789012.us-east-1.rds.amazonaws.com";

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(common::project_vectors().join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap()
}

fn service_of(case: &Value) -> &str {
    match s(case, "kind") {
        "rds" => "rds-db",
        "dsql" => "dsql",
        _ => s(&case["input"], "service"),
    }
}

/// The one key of a vector case.
fn key_of<'a>(input: &'a Value) -> impl Fn(&str) -> Option<VerifyKey<'a>> + 'a {
    move |akid: &str| {
        (akid == s(input, "access_key_id")).then(|| VerifyKey {
            users: None,
            hosts: None,
            secret_access_key: s(input, "secret_access_key"),
            session_token: input["session_token"].as_str(),
        })
    }
}

/// What the case's token must grant.
fn expectations_of(case: &Value) -> Expectations<'_> {
    let i = &case["input"];
    let (host, port, user) = match s(case, "kind") {
        "rds" => (
            s(i, "host"),
            Some(u16::try_from(i["port"].as_i64().unwrap()).unwrap()),
            Some(s(i, "user")),
        ),
        "dsql" => (s(i, "host"), None, None),
        _ => (s(i, "name"), None, Some(s(i, "user"))),
    };
    Expectations {
        host: Some(host),
        port,
        user,
        region: Some(s(i, "region")),
        service: Some(service_of(case)),
        ..Expectations::default()
    }
}

#[test]
fn every_token_vector_verifies() {
    let tokens = load("tokens.json");
    for case in tokens["cases"].as_array().unwrap() {
        let id = s(case, "id");
        let i = &case["input"];
        let token = s(&case["expected"], "token");
        let time = i["time"].as_i64().unwrap();
        let expires = i["expires_in"].as_i64().unwrap();
        let who = verify(token, key_of(i), &expectations_of(case), time)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(who.access_key_id, s(i, "access_key_id"), "{id}");
        assert_eq!(who.region, s(i, "region"), "{id}");
        assert_eq!(who.service, service_of(case), "{id}");
        assert_eq!(
            (who.signed_at, who.expires_at),
            (time, time + expires),
            "{id}"
        );
        // Usable until its last second, and a second later not (where `now` can say so).
        if time + expires > iamauth::MAX_UNIX_TIME {
            continue;
        }
        let expect = expectations_of(case);
        assert!(
            verify(token, key_of(i), &expect, time + expires - 1).is_ok(),
            "{id}"
        );
        let late = verify(token, key_of(i), &expect, time + expires).unwrap_err();
        assert_eq!(late.code(), ErrorCode::ExpiredToken, "{id}");
    }
}

#[test]
fn every_sdk_layout_verifies() {
    let tokens = load("tokens.json");
    let layouts = load("layouts.json");
    for l in layouts["cases"].as_array().unwrap() {
        let case = tokens["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == l["of"])
            .unwrap();
        let i = &case["input"];
        let time = i["time"].as_i64().unwrap();
        let ours = verify(
            s(&case["expected"], "token"),
            key_of(i),
            &expectations_of(case),
            time,
        )
        .unwrap();
        let theirs = verify(s(l, "token"), key_of(i), &expectations_of(case), time)
            .unwrap_or_else(|e| panic!("{} ({}): {e}", s(l, "id"), s(l, "layout")));
        assert_eq!(theirs.user, ours.user);
        assert_eq!(theirs.signed_at, ours.signed_at);
    }
}

#[test]
fn the_aws_sdks_published_tokens_verify() {
    let Some(shared) = common::shared_vectors() else {
        return;
    };
    let text = std::fs::read_to_string(shared.join("sdk-published.json")).unwrap();
    let published: Value = serde_json::from_str(&text).unwrap();
    let vectors = published["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 7);
    for v in vectors {
        let id = s(v, "id");
        let keys = |akid: &str| {
            (akid == s(v, "access_key_id")).then(|| VerifyKey {
                users: None,
                hosts: None,
                secret_access_key: s(v, "secret_access_key"),
                session_token: v["session_token"].as_str(),
            })
        };
        let expect = Expectations {
            host: Some(s(v, "hostname")),
            port: v["port"].as_u64().map(|p| u16::try_from(p).unwrap()),
            user: v["params"]["DBUser"].as_str(),
            region: Some(s(v, "region")),
            service: Some(s(v, "service")),
            ..Expectations::default()
        };
        let now = common::amz_date(s(v, "signing_time"));
        let who = verify(s(v, "expected_token"), keys, &expect, now)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(who.access_key_id, s(v, "access_key_id"), "{id}");
    }
}

fn demo(user: &str, port: i64, time: i64, session: Option<&str>) -> String {
    let creds = Credentials::new(AKID, SECRET, session).unwrap();
    rds_token(
        &RdsTokenRequest::new(HOST, port, user, "us-east-1", time),
        &creds,
    )
    .unwrap()
}

fn key(akid: &str) -> Option<VerifyKey<'static>> {
    (akid == AKID).then_some(VerifyKey {
        users: None,
        hosts: None,
        secret_access_key: SECRET,
        session_token: None,
    })
}

fn expect() -> Expectations<'static> {
    Expectations {
        host: Some(HOST),
        port: Some(5432),
        user: Some("iam_user"),
        region: Some("us-east-1"),
        ..Expectations::default()
    }
}

fn code(
    token: &str,
    keys: impl Fn(&str) -> Option<VerifyKey<'static>>,
    e: &Expectations<'_>,
    now: i64,
) -> &'static str {
    match verify(token, keys, e, now) {
        Ok(_) => "OK",
        Err(e) => e.code().name(),
    }
}

/// The expectations of a `verify.json` case (absent: the default).
fn vector_expectations(e: &Value) -> Expectations<'_> {
    Expectations {
        action: e["action"].as_str(),
        host: e["host"].as_str(),
        port: e["port"].as_u64().map(|p| u16::try_from(p).unwrap()),
        user: e["user"].as_str(),
        region: e["region"].as_str(),
        service: e["service"].as_str(),
        skew: e["skew"].as_i64().unwrap_or(iamauth::DEFAULT_SKEW),
        cluster: e["cluster"].as_str(),
    }
}

/// tests/vectors/verify.json: token, keys, expectations and now -> the identity or the code.
#[test]
fn every_verify_vector() {
    let vectors = load("verify.json");
    let cases = vectors["cases"].as_array().unwrap();
    assert!(!cases.is_empty(), "verify.json has no cases");
    for case in cases {
        let name = s(case, "name");
        let keys = iamauth::KeyFile::parse(&case["keys"].to_string())
            .unwrap_or_else(|e| panic!("{name}: keys: {e}"));
        let expect = vector_expectations(&case["expect"]);
        let now = case["now"].as_i64().unwrap();
        // EKS and MSK tokens are read from the URL they carry.
        let text = iamauth::decode_token(s(case, "token"));
        let got = verify(&text, |a| keys.get(a), &expect, now);
        let outcome = &case["outcome"];
        if let Some(code) = outcome["code"].as_str() {
            let e = got
                .err()
                .unwrap_or_else(|| panic!("{name}: verified, want {code}"));
            assert_eq!(e.code().name(), code, "{name}: {e}");
            continue;
        }
        let who = got.unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = &outcome["identity"];
        assert_eq!(who.kind.as_str(), s(want, "kind"), "{name}");
        assert_eq!(who.access_key_id, s(want, "access_key_id"), "{name}");
        assert_eq!(who.user.as_deref(), want["user"].as_str(), "{name}");
        assert_eq!(who.action, s(want, "action"), "{name}");
        assert_eq!(who.host, s(want, "host"), "{name}");
        assert_eq!(who.port.map(u64::from), want["port"].as_u64(), "{name}");
        assert_eq!(who.region, s(want, "region"), "{name}");
        assert_eq!(who.service, s(want, "service"), "{name}");
        assert_eq!(Some(who.signed_at), want["signed_at"].as_i64(), "{name}");
        assert_eq!(Some(who.expires_at), want["expires_at"].as_i64(), "{name}");
    }
}

#[test]
fn port_443_is_signed_without_it_and_still_verifies() {
    let token = demo("iam_user", 443, T0, None);
    assert!(token.contains(":443/?"));
    assert_eq!(
        code(
            &token,
            key,
            &Expectations {
                port: Some(443),
                ..expect()
            },
            T0
        ),
        "OK"
    );
}

#[test]
fn malformed_and_mutated_tokens_never_verify() {
    // (Malformed tokens, each with its code: verify.json.) Every single-byte change is refused
    // (and nothing panics).
    let token = demo("iam_user", 5432, T0, None);
    let bytes = token.as_bytes();
    for at in 0..bytes.len() {
        for replacement in [b'a', b'0', b'%', b'&', b'=', b'Z'] {
            // The host is signed lowercased (botocore): a change of case there is no change.
            if bytes[at].eq_ignore_ascii_case(&replacement) {
                continue;
            }
            let mut changed = bytes.to_vec();
            changed[at] = replacement;
            let changed = String::from_utf8(changed).unwrap();
            let verdict = code(&changed, key, &expect(), T0);
            assert_ne!(
                verdict, "OK",
                "byte {at} -> {}: {changed}",
                replacement as char
            );
        }
    }
}

#[test]
fn debug_never_shows_a_secret() {
    let k = VerifyKey {
        users: None,
        hosts: None,
        secret_access_key: SECRET,
        session_token: Some("SESSIONSECRET"),
    };
    let shown = format!("{k:?}");
    assert!(
        !shown.contains(SECRET) && !shown.contains("SESSIONSECRET"),
        "{shown}"
    );
}

#[test]
fn keys_files() {
    let text = r#"
      { "AKIDEXAMPLE": { "secret_access_key": "wJalrXUtnFEMI\/K7MDENG+bPxRfiCYEXAMPLEKEY" },
        "AKIDSESSION": {"session_token": "FwoG\u005A=", "secret_access_key": "s3cr\u00e9t"},
        "AKIDNULL": {"secret_access_key": "x", "session_token": null} }"#;
    let keys = iamauth::KeyFile::parse(text).unwrap();
    assert_eq!(keys.len(), 3);
    let k = keys.get(AKID).unwrap();
    assert_eq!((k.secret_access_key, k.session_token), (SECRET, None));
    let k = keys.get("AKIDSESSION").unwrap();
    assert_eq!(
        (k.secret_access_key, k.session_token),
        ("s3cr\u{e9}t", Some("FwoGZ="))
    );
    assert_eq!(keys.get("AKIDNULL").unwrap().session_token, None);
    assert!(keys.get("AKIDNOPE").is_none());
    let shown = format!("{keys:?}");
    assert!(
        shown.contains("AKIDSESSION") && !shown.contains("s3cr") && !shown.contains("FwoG"),
        "{shown}"
    );
    // verify takes it as is.
    let token = demo("iam_user", 5432, T0, None);
    assert!(verify(&token, |a| keys.get(a), &expect(), T0).is_ok());
    assert!(iamauth::KeyFile::parse("{}").unwrap().is_empty());

    for (bad, why) in [
        ("", "empty"),
        ("[]", "not an object"),
        (r#"{"A": "x"}"#, "entry not an object"),
        (r#"{"A": {}}"#, "no secret"),
        (r#"{"A": {"secret_access_key": 5}}"#, "number"),
        (
            r#"{"A": {"secret_access_key": "x", "other": "y"}}"#,
            "unknown field",
        ),
        (
            r#"{"A": {"secret_access_key": "x", "secret_access_key": "y"}}"#,
            "field twice",
        ),
        (
            r#"{"A": {"secret_access_key": "x"}, "A": {"secret_access_key": "y"}}"#,
            "key twice",
        ),
        (
            r#"{"A B": {"secret_access_key": "x"}}"#,
            "bad access key id",
        ),
        (r#"{"A": {"secret_access_key": ""}}"#, "empty secret"),
        (
            r#"{"A": {"secret_access_key": "x", "session_token": "a b"}}"#,
            "bad session token",
        ),
        (
            r#"{"A": {"secret_access_key": "\ud800"}}"#,
            "lone surrogate",
        ),
        (r#"{"A": {"secret_access_key": "\q"}}"#, "bad escape"),
        (r#"{"A": {"secret_access_key": "x"}} x"#, "trailing text"),
        (r#"{"A": {"secret_access_key": "x"},}"#, "trailing comma"),
        (
            "{\"A\": {\"secret_access_key\": \"a\u{1}\"}}",
            "control character",
        ),
        (r#"{"A": {"secret_access_key": "x""#, "cut short"),
    ] {
        let e = iamauth::KeyFile::parse(bad).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidCredentials, "{why}");
        assert!(
            e.message().starts_with("keys file: "),
            "{why}: {}",
            e.message()
        );
        assert!(!e.message().contains("wJalr"), "{why}");
    }
}

#[test]
fn keys_file_grants() {
    let text = r#"{"AKIDEXAMPLE": {"secret_access_key": "x", "users": ["app", "report_*"],
                   "hosts": ["db.example.com", "db-*"]},
                   "AKIDANY": {"secret_access_key": "y", "users": null, "hosts": null}}"#;
    let keys = iamauth::KeyFile::parse(text).unwrap();
    let k = keys.get(AKID).unwrap();
    assert_eq!(
        k.users.unwrap(),
        ["app".to_owned(), "report_*".to_owned()].as_slice()
    );
    assert_eq!(k.hosts.unwrap().len(), 2);
    let any = keys.get("AKIDANY").unwrap();
    assert!(any.users.is_none() && any.hosts.is_none());
    for (bad, why) in [
        (
            r#"{"A": {"secret_access_key": "x", "users": "app"}}"#,
            "not a list",
        ),
        (
            r#"{"A": {"secret_access_key": "x", "users": [""]}}"#,
            "empty user",
        ),
        (
            r#"{"A": {"secret_access_key": "x", "users": ["a\u0001"]}}"#,
            "control",
        ),
        (
            r#"{"A": {"secret_access_key": "x", "users": [5]}}"#,
            "number",
        ),
        (
            r#"{"A": {"secret_access_key": "x", "users": ["a",]}}"#,
            "trailing comma",
        ),
        (
            r#"{"A": {"secret_access_key": "x", "hosts": ["a b"]}}"#,
            "bad host",
        ),
        (
            r#"{"A": {"secret_access_key": "x", "hosts": ["a/*"]}}"#,
            "bad host prefix",
        ),
        (
            r#"{"A": {"secret_access_key": "x", "users": [], "users": []}}"#,
            "twice",
        ),
        (r#"{"A": {"secret_access_key": null}}"#, "null secret"),
    ] {
        let e = iamauth::KeyFile::parse(bad).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidCredentials, "{why}");
        assert!(e.message().starts_with("keys file: "), "{why}: {e}");
    }
    let many = format!(
        r#"{{"A": {{"secret_access_key": "x", "users": [{}]}}}}"#,
        vec!["\"u\""; iamauth::MAX_GRANTS + 1].join(",")
    );
    assert!(iamauth::KeyFile::parse(&many).is_err());
}

#[test]
fn keys_file_parse_for_keeps_one_key_and_still_checks_the_whole_file() {
    let mut text = String::from("{");
    for i in 0..iamauth::MAX_KEYS {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#""AKID{i:05}": {{"secret_access_key": "secret{i}"}}"#
        ));
    }
    text.push('}');
    let all = iamauth::KeyFile::parse(&text).unwrap();
    assert_eq!(all.len(), iamauth::MAX_KEYS);
    assert_eq!(
        all.get("AKID04242").unwrap().secret_access_key,
        "secret4242"
    );
    let one = iamauth::KeyFile::parse_for(&text, "AKID04242").unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(
        one.get("AKID04242").unwrap().secret_access_key,
        "secret4242"
    );
    assert!(one.get("AKID00001").is_none());
    assert!(
        iamauth::KeyFile::parse_for(&text, "AKIDNONE")
            .unwrap()
            .is_empty()
    );
    // A duplicate far from the wanted key is still refused.
    let dup = text.replacen("AKID09999", "AKID00000", 1);
    let e = iamauth::KeyFile::parse_for(&dup, "AKID04242").unwrap_err();
    assert!(e.message().contains("twice"), "{e}");
    // ... and one written with an escape (the set compares decoded ids).
    let escaped = text.replacen("AKID09999", r"AKID0\u0030000", 1);
    let e = iamauth::KeyFile::parse_for(&escaped, "AKID04242").unwrap_err();
    assert!(e.message().contains("twice"), "{e}");
    // One more key than the limit.
    let over = text.replacen('{', r#"{"AKIDEXTRA": {"secret_access_key": "x"},"#, 1);
    assert!(iamauth::KeyFile::parse_for(&over, "AKID04242").is_err());
}

#[test]
fn keys_file_duplicate_rule_agrees_with_a_set() {
    // Short ids from a small alphabet, so files are dense (the id set grows from its estimate)
    // and duplicates come at every distance, some written with escapes.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for round in 0..300 {
        let count = 1 + next(if round % 10 == 0 { 3000 } else { 60 }) as usize;
        let mut seen = std::collections::HashSet::new();
        let mut duplicate = false;
        let mut text = String::from("{");
        for i in 0..count {
            let id: String = (0..1 + next(3))
                .map(|_| (b'A' + next(12) as u8) as char)
                .collect();
            duplicate |= !seen.insert(id.clone());
            let written = if next(4) == 0 {
                id.chars().map(|c| format!("\\u{:04x}", c as u32)).collect()
            } else {
                id
            };
            if i > 0 {
                text.push(',');
            }
            text.push_str(&format!(r#""{written}":{{"secret_access_key":"s"}}"#));
        }
        text.push('}');
        match iamauth::KeyFile::parse(&text) {
            Ok(keys) => {
                assert!(!duplicate, "round {round}: a duplicate passed");
                assert_eq!(keys.len(), seen.len());
            }
            Err(e) => {
                assert!(duplicate, "round {round}: {e}");
                assert!(e.message().contains("twice"), "{e}");
            }
        }
    }
}
