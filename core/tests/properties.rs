//! The core never panics: arbitrary strings and integers into every public function give only
//! `Ok` or `Err`. Where a token comes out, it reads back to its inputs.
#![allow(clippy::unwrap_used, missing_docs)]

use iamauth::{
    CacheService, Credentials, DsqlAction, DsqlTokenRequest, ElastiCacheTokenRequest,
    PresignRequest, RdsTokenRequest, SessionTokenMode, SigningTime, inspect,
};
use proptest::prelude::*;

/// Strings that hit the interesting classes: ASCII, controls, reserved characters, non-ASCII.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9.-]{0,70}",
        "[ -~]{0,40}",
        "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f} %/?#@\\[\\]:]{0,12}",
        Just(String::new()),
    ]
}

fn int() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        -2i64..70_000,
        Just(i64::MIN),
        Just(i64::MAX),
        Just(253_402_300_799),
        Just(253_402_300_800),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn tokens_never_panic(
        host in text(), user in text(), region in text(), akid in text(), secret in text(),
        token in proptest::option::of(text()), port in int(), time in int(), expires in int(),
        admin in any::<bool>(), serverless in any::<bool>(),
    ) {
        let Ok(creds) = Credentials::new(&akid, &secret, token.as_deref()) else { return Ok(()) };
        let rds = RdsTokenRequest { host: &host, port, user: &user, region: &region, time, expires_in: expires };
        if let Ok(t) = iamauth::rds_token(&rds, &creds) {
            let info = inspect(&t).unwrap();
            prop_assert_eq!(info.host, host.as_str());
            prop_assert_eq!(info.user.as_deref(), Some(user.as_str()));
            prop_assert_eq!(info.signed_at, time);
        }
        let action = if admin { DsqlAction::DbConnectAdmin } else { DsqlAction::DbConnect };
        let dsql = DsqlTokenRequest { host: &host, region: &region, action, time, expires_in: expires };
        if let Ok(t) = iamauth::dsql_token(&dsql, &creds) {
            prop_assert_eq!(inspect(&t).unwrap().action, action.as_str());
        }
        let cache = ElastiCacheTokenRequest {
            name: &host, user: &user, region: &region, serverless,
            service: CacheService::ElastiCache, time, expires_in: expires,
        };
        if let Ok(t) = iamauth::elasticache_token(&cache, &creds) {
            prop_assert_eq!(inspect(&t).unwrap().serverless, serverless);
        }
    }

    #[test]
    fn valid_inputs_always_sign_and_read_back(
        host in "[a-z][a-z0-9-]{0,20}(\\.[a-z0-9-]{1,20}){0,4}",
        user in "[^\\x00-\\x1f\\x7f-\\u{9f}]{1,40}",
        port in 1i64..=65535, time in 0i64..=253_402_300_799, expires in 1i64..=900,
    ) {
        let creds = Credentials::new("AKIDEXAMPLE", "secret", None).unwrap();
        let rds = RdsTokenRequest { host: &host, port, user: &user, region: "eu-west-3", time, expires_in: expires };
        let t = iamauth::rds_token(&rds, &creds).unwrap();
        let info = inspect(&t).unwrap();
        prop_assert_eq!(info.user.as_deref(), Some(user.as_str()));
        prop_assert_eq!(info.port, Some(u16::try_from(port).unwrap()));
        prop_assert_eq!(info.expires_at, time + expires);
    }

    #[test]
    fn presign_never_panics(
        method in text(), host in text(), path in text(), region in text(), service in text(),
        q in proptest::collection::vec((text(), text()), 0..40),
        h in proptest::collection::vec((text(), text()), 0..4),
        port in proptest::option::of(any::<u16>()), time in int(), expires in int(),
        payload in proptest::option::of(text()), normalize in any::<bool>(), after in any::<bool>(),
    ) {
        let creds = Credentials::new("AKIDEXAMPLE", "secret", Some("tok")).unwrap();
        let query: Vec<(&str, &str)> = q.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let headers: Vec<(&str, &str)> = h.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let request = PresignRequest {
            method: &method, host: &host, port, path: &path, normalize_path: normalize,
            query: &query, headers: &headers, region: &region, service: &service, time,
            expires_in: expires, payload_hash: payload.as_deref(),
            session_token_mode: if after { SessionTokenMode::AppendedAfterSigning } else { SessionTokenMode::Signed },
        };
        let _ = iamauth::presign(&request, &creds);
    }

    #[test]
    fn parsers_never_panic(s in text(), n in int()) {
        let _ = inspect(&s);
        let _ = iamauth::parse_time(&s);
        let _ = iamauth::format_rfc3339(n);
        let _ = iamauth::region_from_host(&s);
        let _ = iamauth::percent_decode(&s);
        let _ = iamauth::canonical_uri(&s, true);
        let _ = iamauth::canonical_uri(&s, false);
        let _ = iamauth::canonical_query(&[(&s, &s)]);
        let _ = iamauth::canonical_headers(&[(&s, &s)]);
        let _ = iamauth::signing_key(&s, &s, &s, &s);
        let _ = DsqlAction::parse(&s);
        let _ = CacheService::parse(&s);
        let _ = SigningTime::from_unix(n);
        let _ = SigningTime::from_amz_date(&s);
        let _ = iamauth::check_host(&s);
        let _ = iamauth::check_user(&s);
        let _ = iamauth::check_region(&s);
        let _ = iamauth::check_service(&s);
        let _ = iamauth::check_port(n);
        let _ = iamauth::check_expiry(n, iamauth::MAX_PRESIGN_EXPIRY);
        let encoded = iamauth::percent_encode(&s);
        prop_assert_eq!(iamauth::percent_decode(&encoded).unwrap(), s.as_str());
    }

    #[test]
    fn mutated_tokens_never_panic(cut in 0usize..600, at in 0usize..600, byte in any::<u8>(), now in int()) {
        let creds = Credentials::new("AKIDEXAMPLE", "secret", Some("FwoGZXIvYXdzEXAMPLE/+=")).unwrap();
        let rds = RdsTokenRequest::new("[2001:db8::1]", 5432, "u ser", "us-east-1", 1_704_164_645);
        let mut bytes = iamauth::rds_token(&rds, &creds).unwrap().into_bytes();
        if let Some(b) = bytes.get_mut(at) {
            *b = byte;
        }
        bytes.truncate(cut.max(1));
        let token = String::from_utf8_lossy(&bytes);
        if let Ok(info) = inspect(&token) {
            let _ = info.validity(now);
        }
    }
}
