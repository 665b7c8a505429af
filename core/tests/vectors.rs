//! The project's vectors (tests/vectors/*.json, from botocore) and the AWS SDK vectors
//! (../shared/vectors/sdk-published.json, read in place): every step, every error code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use iamauth::{
    CacheService, Credentials, DsqlAction, DsqlTokenRequest, ElastiCacheTokenRequest, ErrorCode,
    RdsTokenRequest, Signer, SigningSteps, TokenInfo, TokenKind, canonical_query, inspect,
};
use serde_json::Value;
use std::fs;

fn load(path: std::path::PathBuf) -> Value {
    serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap()
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

/// Signs a vector's input with `signer`, returning every step, or the error code.
fn sign(kind: &str, input: &Value, signer: &Signer) -> Result<SigningSteps, ErrorCode> {
    let creds = Credentials::new(
        s(input, "access_key_id"),
        s(input, "secret_access_key"),
        input["session_token"].as_str(),
    )
    .map_err(|e| e.code())?;
    let time = i(input, "time");
    let expires_in = i(input, "expires_in");
    let result = match kind {
        "rds" => signer.token_with_steps(
            &RdsTokenRequest {
                host: s(input, "host"),
                port: i(input, "port"),
                user: s(input, "user"),
                region: s(input, "region"),
                time,
                expires_in,
            },
            &creds,
        ),
        "dsql" => {
            let action = DsqlAction::parse(s(input, "action")).map_err(|e| e.code())?;
            signer.token_with_steps(
                &DsqlTokenRequest {
                    host: s(input, "host"),
                    region: s(input, "region"),
                    action,
                    time,
                    expires_in,
                },
                &creds,
            )
        }
        "elasticache" => {
            let service = CacheService::parse(s(input, "service")).map_err(|e| e.code())?;
            signer.token_with_steps(
                &ElastiCacheTokenRequest {
                    name: s(input, "name"),
                    user: s(input, "user"),
                    region: s(input, "region"),
                    serverless: input["serverless"].as_bool().unwrap(),
                    service,
                    time,
                    expires_in,
                },
                &creds,
            )
        }
        other => panic!("unknown kind {other}"),
    };
    result.map_err(|e| e.code())
}

/// The fields `inspect` must read back from a token made from `input`.
fn check_inspected(id: &str, kind: &str, input: &Value, info: &TokenInfo<'_>, signature: &str) {
    let want_kind = match kind {
        "rds" => TokenKind::Rds,
        "dsql" => TokenKind::Dsql,
        _ => TokenKind::ElastiCache,
    };
    assert_eq!(info.kind, want_kind, "{id}: kind");
    let host = if kind == "elasticache" {
        s(input, "name")
    } else {
        s(input, "host")
    };
    assert_eq!(info.host, host, "{id}: host");
    assert_eq!(
        info.port.map(i64::from),
        input["port"].as_i64(),
        "{id}: port"
    );
    assert_eq!(info.user.as_deref(), input["user"].as_str(), "{id}: user");
    let action = if kind == "dsql" {
        s(input, "action")
    } else {
        "connect"
    };
    assert_eq!(info.action, action, "{id}: action");
    assert_eq!(
        info.serverless,
        input["serverless"].as_bool().unwrap_or(false),
        "{id}"
    );
    assert_eq!(info.region, s(input, "region"), "{id}: region");
    let service = match kind {
        "rds" => "rds-db",
        "dsql" => "dsql",
        _ => s(input, "service"),
    };
    assert_eq!(info.service, service, "{id}: service");
    assert_eq!(info.access_key_id, s(input, "access_key_id"), "{id}: akid");
    assert_eq!(info.signed_at, i(input, "time"), "{id}: signed_at");
    assert_eq!(
        i64::from(info.expires_in),
        i(input, "expires_in"),
        "{id}: expires_in"
    );
    assert_eq!(
        info.expires_at,
        i(input, "time") + i(input, "expires_in"),
        "{id}"
    );
    assert_eq!(
        info.has_session_token,
        !input["session_token"].is_null(),
        "{id}"
    );
    assert_eq!(info.signature, signature, "{id}: signature");
}

#[test]
fn token_vectors_every_step_byte_for_byte() {
    let vectors = load(common::project_vectors().join("tokens.json"));
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 70, "expected the full vector set");
    let cached = Signer::new();
    for case in cases {
        let id = s(case, "id");
        let kind = s(case, "kind");
        let input = &case["input"];
        let want = &case["expected"];
        // A fresh signer derives the key (cold); a shared one reuses it (warm, twice).
        let cold = sign(kind, input, &Signer::new()).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(
            cold.canonical_request,
            s(want, "canonical_request"),
            "{id}: canonical request"
        );
        assert_eq!(
            cold.string_to_sign,
            s(want, "string_to_sign"),
            "{id}: string to sign"
        );
        assert_eq!(cold.signature, s(want, "signature"), "{id}: signature");
        assert_eq!(cold.presigned, s(want, "token"), "{id}: token");
        for _ in 0..2 {
            let warm = sign(kind, input, &cached).unwrap();
            assert_eq!(
                warm.presigned,
                s(want, "token"),
                "{id}: token from the key cache"
            );
        }
        let info = inspect(&cold.presigned).unwrap_or_else(|e| panic!("{id}: inspect: {e}"));
        check_inspected(id, kind, input, &info, s(want, "signature"));
    }
}

#[test]
fn free_functions_equal_the_vectors() {
    let vectors = load(common::project_vectors().join("tokens.json"));
    for case in vectors["cases"].as_array().unwrap() {
        let input = &case["input"];
        let creds = Credentials::new(
            s(input, "access_key_id"),
            s(input, "secret_access_key"),
            input["session_token"].as_str(),
        )
        .unwrap();
        let (time, expires_in) = (i(input, "time"), i(input, "expires_in"));
        let token = match s(case, "kind") {
            "rds" => iamauth::rds_token(
                &RdsTokenRequest {
                    expires_in,
                    ..RdsTokenRequest::new(
                        s(input, "host"),
                        i(input, "port"),
                        s(input, "user"),
                        s(input, "region"),
                        time,
                    )
                },
                &creds,
            ),
            "dsql" => iamauth::dsql_token(
                &DsqlTokenRequest {
                    expires_in,
                    ..DsqlTokenRequest::new(
                        s(input, "host"),
                        s(input, "region"),
                        DsqlAction::parse(s(input, "action")).unwrap(),
                        time,
                    )
                },
                &creds,
            ),
            _ => iamauth::elasticache_token(
                &ElastiCacheTokenRequest {
                    serverless: input["serverless"].as_bool().unwrap(),
                    service: CacheService::parse(s(input, "service")).unwrap(),
                    expires_in,
                    ..ElastiCacheTokenRequest::new(
                        s(input, "name"),
                        s(input, "user"),
                        s(input, "region"),
                        time,
                    )
                },
                &creds,
            ),
        };
        assert_eq!(
            token.unwrap(),
            s(&case["expected"], "token"),
            "{}",
            s(case, "id")
        );
    }
}

#[test]
fn error_vectors_give_their_codes() {
    let vectors = load(common::project_vectors().join("errors.json"));
    let cases = vectors["cases"].as_array().unwrap();
    let mut codes_seen = std::collections::BTreeSet::new();
    for case in cases {
        let id = s(case, "id");
        let want = ErrorCode::from_name(s(case, "error")).unwrap();
        match sign(s(case, "kind"), &case["input"], &Signer::new()) {
            Ok(_) => panic!("{id}: signed, expected {want}"),
            Err(code) => assert_eq!(code, want, "{id}"),
        }
        codes_seen.insert(want.name());
    }
    for code in [
        "INVALID_HOST",
        "INVALID_PORT",
        "INVALID_USER",
        "INVALID_REGION",
        "INVALID_EXPIRY",
        "INVALID_CREDENTIALS",
        "INVALID_TIME",
        "INVALID_ACTION",
        "INVALID_SERVICE",
    ] {
        assert!(codes_seen.contains(code), "no error vector for {code}");
    }
}

#[test]
fn other_sdk_layouts_inspect_like_the_original() {
    let tokens = load(common::project_vectors().join("tokens.json"));
    let layouts = load(common::project_vectors().join("layouts.json"));
    let cases = layouts["cases"].as_array().unwrap();
    assert!(cases.len() >= 16);
    for layout in cases {
        let original = tokens["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == layout["of"])
            .unwrap();
        let token = s(layout, "token");
        let info = inspect(token).unwrap_or_else(|e| panic!("{}: {e}", s(layout, "id")));
        check_inspected(
            s(layout, "id"),
            s(original, "kind"),
            &original["input"],
            &info,
            s(&original["expected"], "signature"),
        );
    }
}

#[test]
fn aws_sdk_published_vectors() {
    let Some(shared) = common::shared_vectors() else {
        return;
    };
    let published = load(shared.join("sdk-published.json"));
    let vectors = published["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 7);
    for v in vectors {
        let id = s(v, "id");
        let creds = Credentials::new(
            s(v, "access_key_id"),
            s(v, "secret_access_key"),
            v["session_token"].as_str(),
        )
        .unwrap();
        let time = common::amz_date(s(v, "signing_time"));
        let expires_in = i(v, "expires");
        let params = &v["params"];
        let token = match s(v, "service") {
            "rds-db" => iamauth::rds_token(
                &RdsTokenRequest {
                    host: s(v, "hostname"),
                    port: i(v, "port"),
                    user: s(params, "DBUser"),
                    region: s(v, "region"),
                    time,
                    expires_in,
                },
                &creds,
            ),
            "dsql" => iamauth::dsql_token(
                &DsqlTokenRequest {
                    host: s(v, "hostname"),
                    region: s(v, "region"),
                    action: DsqlAction::parse(s(params, "Action")).unwrap(),
                    time,
                    expires_in,
                },
                &creds,
            ),
            other => panic!("{id}: unknown service {other}"),
        }
        .unwrap();
        let expected = s(v, "expected_token");
        let info = inspect(&token).unwrap();
        assert_eq!(
            info.signature,
            s(v, "expected_signature"),
            "{id}: signature"
        );
        let query = |t: &str| common::query_set(t.split_once('?').unwrap().1);
        assert_eq!(query(&token), query(expected), "{id}: parameter set");
        // The published token itself must read back the same.
        let theirs = inspect(expected).unwrap();
        assert_eq!(theirs, info, "{id}: inspect of the published layout");
        // botocore's own layout is ours, byte for byte (its unit test compares as URLs, so the
        // RDS vector's text is in another order; the DSQL ones are exact strings).
        if id.starts_with("botocore-dsql") || id.starts_with("smithy-rs-dsql") {
            assert_eq!(token, expected, "{id}: byte for byte");
        }
    }
    for e in published["encoding_vectors"].as_array().unwrap() {
        let params: Vec<(String, String)> = match e["input_params"].as_array() {
            Some(list) => list
                .iter()
                .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
                .collect(),
            None => s(e, "input_query")
                .split('&')
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (k.to_string(), v.to_string())
                })
                .collect(),
        };
        let refs: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            canonical_query(&refs),
            s(e, "expected_canonical_query"),
            "{}",
            s(e, "id")
        );
    }
}
