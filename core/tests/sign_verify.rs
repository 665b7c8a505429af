//! Properties tying signing and verify together: every token the core signs verifies with its
//! key and expectations (and is refused with another secret, or once expired), and the engine's
//! canonical query is always what [`iamauth::canonical_query`] makes of the same parameters.
#![allow(clippy::unwrap_used, missing_docs)]

use iamauth::{
    CacheService, Credentials, DsqlAction, DsqlTokenRequest, ElastiCacheTokenRequest, Expectations,
    PresignRequest, RdsTokenRequest, SessionTokenMode, Signer, SigningTime, TokenKind, VerifyKey,
    verify,
};
use proptest::prelude::*;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// Hosts by the host rule, upper case included (verify compares case-insensitively).
fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z][a-zA-Z0-9-]{0,20}(\\.[a-zA-Z0-9_-]{1,20}){0,4}",
        Just("[2001:db8::1]".to_owned()),
    ]
}

/// Users by the user rule: any Unicode but control characters.
fn user() -> impl Strategy<Value = String> {
    "[^\\x00-\\x1f\\x7f-\\u{9f}]{1,40}"
}

fn session_token() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[A-Za-z0-9+/=]{1,200}")
}

/// Signs with `kind` (0 RDS, 1 DSQL, 2 ElastiCache, 3 MemoryDB), returning the token and what
/// verify must be told to accept it.
#[allow(clippy::too_many_arguments)]
fn sign(
    kind: u8,
    host: &str,
    port: u16,
    user: &str,
    creds: &Credentials<'_>,
    time: i64,
    expires_in: i64,
    flag: bool,
) -> (String, &'static str) {
    let signer = Signer::new();
    match kind {
        0 => {
            let r = RdsTokenRequest {
                expires_in,
                ..RdsTokenRequest::new(host, port.into(), user, "eu-west-3", time)
            };
            (signer.token(&r, creds).unwrap(), "rds-db")
        }
        1 => {
            let action = if flag {
                DsqlAction::DbConnectAdmin
            } else {
                DsqlAction::DbConnect
            };
            let r = DsqlTokenRequest {
                expires_in,
                ..DsqlTokenRequest::new(host, "eu-west-3", action, time)
            };
            (signer.token(&r, creds).unwrap(), "dsql")
        }
        _ => {
            let service = if kind == 2 {
                CacheService::ElastiCache
            } else {
                CacheService::MemoryDb
            };
            let r = ElastiCacheTokenRequest {
                serverless: flag,
                service,
                expires_in,
                ..ElastiCacheTokenRequest::new(host, user, "eu-west-3", time)
            };
            (signer.token(&r, creds).unwrap(), service.as_str())
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn every_signed_token_verifies_and_only_with_its_key(
        kind in 0u8..4, host in host(), port in 1u16..=65535, user in user(),
        token in session_token(), time in 0i64..=253_402_299_000, expires in 1i64..=900,
        flag in any::<bool>(), age in 0i64..900,
    ) {
        let creds = Credentials::new("AKIDEXAMPLE", SECRET, token.as_deref()).unwrap();
        let (signed, service) = sign(kind, &host, port, &user, &creds, time, expires, flag);
        let key = VerifyKey::new(SECRET, token.as_deref());
        let keys = |akid: &str| (akid == "AKIDEXAMPLE").then_some(key);
        let rds = kind == 0;
        let expect = Expectations {
            host: Some(&host),
            port: rds.then_some(port),
            user: (kind != 1).then_some(user.as_str()),
            region: Some("eu-west-3"),
            service: Some(service),
            ..Expectations::default()
        };
        let now = time + age % expires;
        let who = verify(&signed, keys, &expect, now).unwrap();
        prop_assert_eq!(who.kind, match kind { 0 => TokenKind::Rds, 1 => TokenKind::Dsql, _ => TokenKind::ElastiCache });
        prop_assert_eq!(who.host, host.as_str());
        prop_assert_eq!(who.signed_at, time);
        prop_assert_eq!(who.expires_at, time + expires);
        // Expired at exactly its expiry.
        let late = verify(&signed, keys, &expect, time + expires).unwrap_err();
        prop_assert_eq!(late.code().name(), "EXPIRED_TOKEN");
        // Another secret: the signature is not its signer's.
        let other = VerifyKey::new("another-secret", token.as_deref());
        let wrong = verify(&signed, |_: &str| Some(other), &expect, now).unwrap_err();
        prop_assert_eq!(wrong.code().name(), "SIGNATURE_MISMATCH");
    }

    #[test]
    fn the_engines_canonical_query_is_canonical_query(
        q in proptest::collection::vec(("[ -~]{0,12}|\\PC{0,6}", "[ -~]{0,12}|\\PC{0,6}"), 0..10),
        token in session_token(), time in 0i64..=253_402_300_799, expires in 1i64..=604_800,
        after in any::<bool>(), user in user(),
    ) {
        let creds = Credentials::new("AKIDEXAMPLE", SECRET, token.as_deref()).unwrap();
        let at = SigningTime::from_unix(time).unwrap();
        let credential = format!("AKIDEXAMPLE/{}/eu-west-3/s3/aws4_request", at.scope_date());
        let expires_text = expires.to_string();
        let mut amz = vec![
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", credential.as_str()),
            ("X-Amz-Date", at.amz_date()),
            ("X-Amz-Expires", expires_text.as_str()),
            ("X-Amz-SignedHeaders", "host"),
        ];
        if let (Some(t), false) = (token.as_deref(), after) {
            amz.push(("X-Amz-Security-Token", t));
        }
        let own: Vec<(&str, &str)> = q.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let request = PresignRequest {
            method: "GET", host: "example.amazonaws.com", port: None, path: "/", normalize_path: true,
            query: &own, headers: &[], region: "eu-west-3", service: "s3", time,
            expires_in: expires, payload_hash: None,
            session_token_mode: if after { SessionTokenMode::AppendedAfterSigning } else { SessionTokenMode::Signed },
        };
        let steps = iamauth::presign(&request, &creds).unwrap();
        let line = steps.canonical_request.split('\n').nth(2).unwrap();
        let all: Vec<(&str, &str)> = own.iter().chain(&amz).copied().collect();
        prop_assert_eq!(line, iamauth::canonical_query(&all));

        // And a token's: its own parameters plus the same X-Amz-* ones.
        let credential = format!("AKIDEXAMPLE/{}/eu-west-3/rds-db/aws4_request", at.scope_date());
        amz[1].1 = credential.as_str();
        let expires = expires.min(900);
        let expires_text = expires.to_string();
        amz[3].1 = expires_text.as_str();
        if let (Some(t), true) = (token.as_deref(), after) {
            amz.push(("X-Amz-Security-Token", t));
        }
        let rds = RdsTokenRequest { expires_in: expires, ..RdsTokenRequest::new("db.example.com", 5432, &user, "eu-west-3", time) };
        let steps = Signer::new().token_with_steps(&rds, &creds).unwrap();
        let line = steps.canonical_request.split('\n').nth(2).unwrap();
        let mut all = vec![("Action", "connect"), ("DBUser", user.as_str())];
        all.extend(&amz);
        prop_assert_eq!(line, iamauth::canonical_query(&all));
    }
}
