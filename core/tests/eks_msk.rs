//! EKS and MSK tokens against their references, read in place: tests/vectors/eks.json (awscli's
//! `eks get-token`) and msk.json (aws-msk-iam-sasl-signer-python, and the js signer's tokens,
//! whose parameter order differs), every step, every error code; then inspect and verify of
//! each reference token.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use iamauth::{
    Credentials, EksTokenRequest, ErrorCode, Expectations, MskTokenRequest, Signer, SigningSteps,
    StsEndpoint, TokenKind, VerifyKey, decode_token, format_rfc3339, inspect, verify,
};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = common::project_vectors().join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

fn i(v: &Value, key: &str) -> i64 {
    v[key]
        .as_i64()
        .unwrap_or_else(|| panic!("{key} is not an integer"))
}

fn creds(input: &Value) -> Result<Credentials<'_>, ErrorCode> {
    Credentials::new(
        s(input, "access_key_id"),
        s(input, "secret_access_key"),
        input["session_token"].as_str(),
    )
    .map_err(|e| e.code())
}

fn eks_request(input: &Value) -> Result<EksTokenRequest<'_>, ErrorCode> {
    Ok(EksTokenRequest {
        cluster: s(input, "cluster"),
        region: s(input, "region"),
        sts_endpoint: StsEndpoint::parse(s(input, "sts_endpoint")).map_err(|e| e.code())?,
        time: i(input, "time"),
    })
}

fn msk_request(input: &Value) -> MskTokenRequest<'_> {
    MskTokenRequest {
        region: s(input, "region"),
        time: i(input, "time"),
        expires_in: i(input, "expires_in"),
        user_agent: s(input, "user_agent"),
    }
}

fn assert_steps(id: &str, steps: &SigningSteps, expected: &Value) {
    assert_eq!(
        steps.canonical_request,
        s(expected, "canonical_request"),
        "{id}"
    );
    assert_eq!(steps.string_to_sign, s(expected, "string_to_sign"), "{id}");
    assert_eq!(steps.signature, s(expected, "signature"), "{id}");
}

fn key_for<'v>(input: &'v Value) -> impl Fn(&str) -> Option<VerifyKey<'v>> {
    move |akid| {
        (akid == s(input, "access_key_id")).then(|| {
            VerifyKey::new(
                s(input, "secret_access_key"),
                input["session_token"].as_str(),
            )
        })
    }
}

#[test]
fn every_eks_vector() {
    let vectors = load("eks.json");
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 20, "eks.json has {} cases", cases.len());
    let signer = Signer::new();
    for case in cases {
        let id = s(case, "id");
        let (input, expected) = (&case["input"], &case["expected"]);
        let request = eks_request(input).unwrap();
        let creds = creds(input).unwrap();
        let steps = signer.token_with_steps(&request, &creds).unwrap();
        assert_steps(id, &steps, expected);
        assert_eq!(steps.presigned, s(expected, "url"), "{id}");
        let token = signer.token(&request, &creds).unwrap();
        assert_eq!(token, s(expected, "token"), "{id}");
        assert_eq!(iamauth::eks_token(&request, &creds).unwrap(), token, "{id}");
        assert_eq!(
            format_rfc3339(request.expiration()).unwrap(),
            s(expected, "expiration_timestamp"),
            "{id}"
        );

        // Read back: the decoded URL, its fields, and verify with the cluster it was made for.
        let text = decode_token(&token);
        assert_eq!(text, s(expected, "url"), "{id}");
        let info = inspect(&text).unwrap();
        assert_eq!(info.kind, TokenKind::Eks, "{id}");
        assert_eq!(info.service, "sts");
        assert_eq!(info.action, "GetCallerIdentity");
        assert_eq!(info.signed_at, request.time);
        assert_eq!(info.expires_in, 60);
        assert_eq!(info.expires_at, request.time + iamauth::EKS_TOKEN_LIFETIME);
        assert_eq!(info.has_session_token, input["session_token"].is_string());
        assert!(
            s(expected, "url").starts_with(&format!("https://{}/?", info.host)),
            "{id}"
        );
        let expect = Expectations {
            service: Some("sts"),
            cluster: Some(request.cluster),
            ..Expectations::default()
        };
        let now = request.time + 14 * 60;
        let who = verify(&text, key_for(input), &expect, now).unwrap();
        assert_eq!(who.kind, TokenKind::Eks, "{id}");
        // The cluster is signed, not written: another one is a mismatch, none is asked for.
        let other = Expectations {
            cluster: Some("another-cluster"),
            ..expect
        };
        let code = |e: &Expectations<'_>, now| {
            verify(&text, key_for(input), e, now)
                .map(|_| ())
                .unwrap_err()
                .code()
        };
        assert_eq!(code(&other, now), ErrorCode::SignatureMismatch, "{id}");
        let none = Expectations {
            cluster: None,
            ..expect
        };
        assert_eq!(code(&none, now), ErrorCode::InvalidCluster, "{id}");
        // Valid for 15 minutes whatever X-Amz-Expires says (aws-iam-authenticator's window).
        if request.time + 900 <= iamauth::MAX_UNIX_TIME {
            assert_eq!(
                code(&expect, request.time + 900),
                ErrorCode::ExpiredToken,
                "{id}"
            );
        }
    }
}

#[test]
fn every_eks_error_vector() {
    let vectors = load("eks.json");
    let cases = vectors["errors"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let id = s(case, "id");
        let input = &case["input"];
        let got = eks_request(input).and_then(|request| {
            let creds = creds(input)?;
            iamauth::eks_token(&request, &creds).map_err(|e| e.code())
        });
        assert_eq!(
            got.map(|_| ()).unwrap_err().name(),
            s(case, "error"),
            "{id}"
        );
    }
}

/// The `&User-Agent=` parameter's value in a decoded MSK URL.
fn user_agent(url: &str) -> &str {
    url.rsplit_once("&User-Agent=").unwrap().1
}

#[test]
fn every_msk_vector() {
    let vectors = load("msk.json");
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 10, "msk.json has {} cases", cases.len());
    let signer = Signer::new();
    for case in cases {
        let id = s(case, "id");
        let (input, expected) = (&case["input"], &case["expected"]);
        let request = msk_request(input);
        let creds = creds(input).unwrap();
        let steps = signer.token_with_steps(&request, &creds).unwrap();
        assert_steps(id, &steps, expected);
        let url = s(expected, "url");
        // The signed URL, then the unsigned User-Agent.
        let unsigned = format!("&User-Agent={}", user_agent(url));
        assert_eq!(format!("{}{unsigned}", steps.presigned), url, "{id}");
        let token = iamauth::msk_token(&request, &creds).unwrap();
        assert_eq!(token, s(expected, "token"), "{id}");
        assert_eq!(request.expires_at_ms(), i(expected, "expiry_ms"), "{id}");

        // Our own User-Agent changes that parameter only.
        let ours = iamauth::msk_token(
            &MskTokenRequest {
                user_agent: iamauth::MSK_USER_AGENT,
                ..request
            },
            &creds,
        )
        .unwrap();
        let ours = decode_token(&ours);
        assert_eq!(
            ours.replace(
                "&User-Agent=iamauth%2F",
                "&User-Agent=aws-msk-iam-sasl-signer-python%2F"
            )
            .replace(&format!("%2F{}", iamauth::VERSION), "%2F1.0.2"),
            url,
            "{id}"
        );

        let text = decode_token(&token);
        let info = inspect(&text).unwrap();
        assert_eq!(info.kind, TokenKind::Msk, "{id}");
        assert_eq!(info.action, "kafka-cluster:Connect");
        assert_eq!(info.host, format!("kafka.{}.amazonaws.com", request.region));
        assert_eq!(info.expires_at * 1000, request.expires_at_ms(), "{id}");
        let expect = Expectations {
            service: Some("kafka-cluster"),
            region: Some(request.region),
            ..Expectations::default()
        };
        verify(&text, key_for(input), &expect, request.time).unwrap();
    }
}

/// The js signer sorts every parameter (User-Agent too): its tokens differ in order only. Ours
/// has the same parameters and signature, and verify accepts its tokens.
#[test]
fn msk_js_signer_tokens_are_ours_reordered() {
    let vectors = load("msk.json");
    let cases = vectors["js_cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let id = s(case, "id");
        let (input, expected) = (&case["input"], &case["expected"]);
        let request = msk_request(input);
        let creds = creds(input).unwrap();
        let ours = decode_token(&iamauth::msk_token(&request, &creds).unwrap()).into_owned();
        let theirs = decode_token(s(expected, "token")).into_owned();
        assert_eq!(theirs, s(expected, "url"), "{id}");
        let params = |url: &str| {
            let (base, query) = url.split_once('?').unwrap();
            let mut p: Vec<String> = query.split('&').map(str::to_owned).collect();
            p.sort();
            (base.to_owned(), p)
        };
        assert_eq!(params(&ours), params(&theirs), "{id}");
        let info = inspect(&theirs).unwrap();
        assert_eq!(info.signature, s(expected, "signature"), "{id}");
        let expect = Expectations {
            service: Some("kafka-cluster"),
            ..Expectations::default()
        };
        verify(&theirs, key_for(input), &expect, request.time).unwrap();
    }
}

#[test]
fn every_msk_error_vector() {
    let vectors = load("msk.json");
    let cases = vectors["errors"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let id = s(case, "id");
        let input = &case["input"];
        let got = creds(input).and_then(|creds| {
            iamauth::msk_token(&msk_request(input), &creds).map_err(|e| e.code())
        });
        assert_eq!(
            got.map(|_| ()).unwrap_err().name(),
            s(case, "error"),
            "{id}"
        );
    }
}

/// What decode_token and inspect refuse, each with MALFORMED_TOKEN.
#[test]
fn malformed_eks_and_msk_tokens() {
    let creds = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
    .unwrap();
    let eks = iamauth::eks_token(
        &EksTokenRequest::new("c", "us-east-1", 1_704_164_645),
        &creds,
    )
    .unwrap();
    let url = decode_token(&eks).into_owned();
    for bad in [
        "k8s-aws-v1.",
        "k8s-aws-v1.!!!!",
        "k8s-aws-v1.aHR0cHM6Ly9leGFtcGxlLmNvbS8_YT1i==",
        // base64 of "http://x/?a=b" (not https)
        "aHR0cDovL3gvP2E9Yg",
    ] {
        // Not decodable: returned as it is, which inspect refuses.
        assert_eq!(decode_token(bad), bad);
        let code = inspect(&decode_token(bad)).map(|_| ()).unwrap_err();
        assert_eq!(code.code(), ErrorCode::MalformedToken, "{bad}");
    }
    for (what, text) in [
        ("no scheme", url.replacen("https://", "", 1)),
        (
            "another STS host",
            url.replacen("sts.us-east-1.", "sts.us-west-2.", 1),
        ),
        (
            "global host for another region",
            url.replacen("sts.us-east-1.", "sts.", 1)
                .replace("us-east-1", "eu-west-1"),
        ),
        (
            "only host signed",
            url.replace("host%3Bx-k8s-aws-id", "host"),
        ),
        ("another version", url.replace("2011-06-15", "2011-06-16")),
        ("a User-Agent", format!("{url}&User-Agent=x")),
        ("a DBUser", format!("{url}&DBUser=x")),
        (
            "a port",
            url.replacen(".amazonaws.com/", ".amazonaws.com:443/", 1),
        ),
    ] {
        let err = inspect(&text).unwrap_err();
        assert_eq!(err.code(), ErrorCode::MalformedToken, "{what}");
    }
    // An RDS token given as a URL is not one.
    let rds = iamauth::rds_token(
        &iamauth::RdsTokenRequest::new("db.example.com", 5432, "u", "us-east-1", 1_704_164_645),
        &creds,
    )
    .unwrap();
    let err = inspect(&format!("https://{rds}")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MalformedToken);
    // The global endpoint is read as such.
    let global = EksTokenRequest {
        sts_endpoint: StsEndpoint::Global,
        ..EksTokenRequest::new("c", "eu-west-1", 1_704_164_645)
    };
    let text = decode_token(&iamauth::eks_token(&global, &creds).unwrap()).into_owned();
    let info = inspect(&text).unwrap();
    assert_eq!((info.host, info.region), ("sts.amazonaws.com", "us-east-1"));
}

/// Fuzzing found it (verify target): an MSK host in another case verifies, since the signature
/// covers the host lowercased, as for every kind; inspect keeps it as written.
#[test]
fn an_msk_host_in_another_case_verifies() {
    let creds = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
    .unwrap();
    let token =
        iamauth::msk_token(&MskTokenRequest::new("us-east-1", 1_704_164_645), &creds).unwrap();
    let text = decode_token(&token).replacen("kafka.us-east-1.", "kafka.us-eAst-1.", 1);
    let info = inspect(&text).unwrap();
    assert_eq!(info.host, "kafka.us-eAst-1.amazonaws.com");
    let key = |_: &str| {
        Some(VerifyKey::new(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ))
    };
    let expect = Expectations {
        service: Some("kafka-cluster"),
        ..Expectations::default()
    };
    assert!(verify(&text, key, &expect, 1_704_164_645).is_ok());
}
