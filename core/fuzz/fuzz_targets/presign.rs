//! The generic presign and the five token layouts, from a request read off the input's lines:
//! 0 method, 1 host (EKS: the cluster), 2 port (empty: none), 3 path, 4 flags (`n` normalize
//! the path, `a` the session token appended after signing, `d` DSQL admin, `s` serverless,
//! `m` MemoryDB, `g` the global STS endpoint),
//! 5 query `k=v&k=v`, 6 headers `name:value` separated by tabs, 7 region, 8 service, 9 time,
//! 10 expiry, 11 payload hash (empty: none), 12 access key id, 13 secret, 14 session token
//! (empty: none), 15 user (MSK: the User-Agent).
//! Beyond "no panic": each step of a presign is the public step function applied to the
//! previous one (string to sign, signature), the output carries that signature, a second
//! signer with an empty key cache gives the same steps; and each token signed from the same
//! fields reads back (inspect) exactly the host, port, user, action, region, service, time,
//! expiry and access key id it was signed with; EKS and MSK tokens, decoded, read back and
//! verify (EKS with its cluster, and with no other).
#![no_main]

use iamauth::{
    CacheService, Credentials, DsqlAction, DsqlTokenRequest, EksTokenRequest,
    ElastiCacheTokenRequest, Expectations, MskTokenRequest, PresignRequest, RdsTokenRequest,
    SessionTokenMode, Signer, SigningTime, StsEndpoint, TokenKind, VerifyKey, decode_token,
    inspect, signature, signing_key, string_to_sign, verify,
};
use iamauth_fuzz::lines;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(l) = lines(data) else {
        return;
    };
    let flags = l.get(4);
    let query: Vec<(&str, &str)> = l
        .opt(5)
        .map(|q| q.split('&').map(|kv| kv.split_once('=').unwrap_or((kv, ""))).collect())
        .unwrap_or_default();
    let headers: Vec<(&str, &str)> = l
        .opt(6)
        .map(|h| h.split('\t').map(|kv| kv.split_once(':').unwrap_or((kv, ""))).collect())
        .unwrap_or_default();
    let (region, service) = (l.get(7), l.get(8));
    let time = l.num(9).unwrap_or(1_704_164_645);
    let expires_in = l.num(10).unwrap_or(900);
    let Ok(creds) = Credentials::new(l.get(12), l.get(13), l.opt(14)) else {
        return;
    };
    let port = l.opt(2).and_then(|p| p.parse::<u16>().ok());
    let request = PresignRequest {
        method: l.get(0),
        host: l.get(1),
        port,
        path: l.get(3),
        normalize_path: flags.contains('n'),
        query: &query,
        headers: &headers,
        region,
        service,
        time,
        expires_in,
        payload_hash: l.opt(11),
        session_token_mode: if flags.contains('a') {
            SessionTokenMode::AppendedAfterSigning
        } else {
            SessionTokenMode::Signed
        },
    };
    if let Ok(steps) = iamauth::presign(&request, &creds) {
        let t = SigningTime::from_unix(time).expect("a signed time is valid");
        assert!(steps.canonical_request.starts_with(&format!("{}\n", request.method)));
        assert_eq!(steps.string_to_sign, string_to_sign(&t, region, service, &steps.canonical_request));
        let key = signing_key(creds.secret_access_key(), t.scope_date(), region, service);
        assert_eq!(steps.signature, signature(&key, &steps.string_to_sign));
        assert!(steps.presigned.contains(&format!("X-Amz-Signature={}", steps.signature)));
        let fresh = Signer::new().presign(&request, &creds).expect("signs again");
        assert!(fresh == steps, "a cold key cache gives other steps");
    }

    // The token layouts from the same fields read back what they were signed with.
    let (host, user) = (l.get(1), l.get(15));
    let mut rds = RdsTokenRequest::new(host, port.map_or(0, i64::from), user, region, time);
    rds.expires_in = expires_in;
    let action = if flags.contains('d') { DsqlAction::DbConnectAdmin } else { DsqlAction::DbConnect };
    let mut dsql = DsqlTokenRequest::new(host, region, action, time);
    dsql.expires_in = expires_in;
    let mut cache = ElastiCacheTokenRequest::new(host, user, region, time);
    cache.expires_in = expires_in;
    cache.serverless = flags.contains('s');
    if flags.contains('m') {
        cache.service = CacheService::MemoryDb;
    }
    let tokens = [
        (TokenKind::Rds, iamauth::rds_token(&rds, &creds), "rds-db", "connect"),
        (TokenKind::Dsql, iamauth::dsql_token(&dsql, &creds), "dsql", action.as_str()),
        (TokenKind::ElastiCache, iamauth::elasticache_token(&cache, &creds), cache.service.as_str(), "connect"),
    ];
    for (kind, token, svc, act) in tokens {
        let Ok(token) = token else { continue };
        let info = inspect(&token).expect("a signed token reads");
        assert_eq!(info.kind, kind);
        assert_eq!(info.host, host, "the host is printed as given");
        assert_eq!(info.region, region);
        assert_eq!(info.service, svc);
        assert_eq!(info.action, act);
        assert_eq!(info.access_key_id, creds.access_key_id());
        assert_eq!(info.signed_at, time);
        assert_eq!(i64::from(info.expires_in), expires_in);
        assert_eq!(info.has_session_token, creds.session_token().is_some());
        match kind {
            TokenKind::Rds => {
                assert_eq!(info.port, port);
                assert_eq!(info.user.as_deref(), Some(user));
            }
            TokenKind::Dsql => assert_eq!((info.port, info.user.as_deref()), (None, None)),
            TokenKind::ElastiCache => {
                assert_eq!(info.user.as_deref(), Some(user));
                assert_eq!(info.serverless, cache.serverless);
            }
            TokenKind::Eks | TokenKind::Msk => unreachable!("not among these layouts"),
        }
    }

    // EKS (the host line is the cluster) and MSK (the user line is the User-Agent).
    let key = |_: &str| Some(VerifyKey::new(creds.secret_access_key(), creds.session_token()));
    let mut eks = EksTokenRequest::new(host, region, time);
    if flags.contains('g') {
        eks.sts_endpoint = StsEndpoint::Global;
    }
    if let Ok(token) = iamauth::eks_token(&eks, &creds) {
        let text = decode_token(&token);
        assert!(text.starts_with("https://sts."), "{text}");
        let info = inspect(&text).expect("a signed EKS token reads");
        assert_eq!((info.kind, info.service, info.action), (TokenKind::Eks, "sts", "GetCallerIdentity"));
        assert!(info.region == region || (info.host == "sts.amazonaws.com" && info.region == "us-east-1"));
        assert_eq!((info.signed_at, info.expires_in, info.port), (time, 60, None));
        let expect = Expectations { service: Some("sts"), cluster: Some(host), ..Expectations::default() };
        assert!(verify(&text, key, &expect, time).is_ok(), "verify refuses a signed EKS token");
        let other = Expectations { cluster: Some("another-cluster-x"), ..expect };
        let refused = verify(&text, key, &other, time).expect_err("another cluster verified");
        assert_eq!(refused.code(), iamauth::ErrorCode::SignatureMismatch);
    }
    let msk = MskTokenRequest { expires_in, user_agent: user, ..MskTokenRequest::new(region, time) };
    if let Ok(token) = iamauth::msk_token(&msk, &creds) {
        let text = decode_token(&token);
        let info = inspect(&text).expect("a signed MSK token reads");
        assert_eq!((info.kind, info.service, info.action), (TokenKind::Msk, "kafka-cluster", "kafka-cluster:Connect"));
        assert_eq!((info.region, info.signed_at, i64::from(info.expires_in)), (region, time, expires_in));
        assert_eq!(info.expires_at * 1000, msk.expires_at_ms());
        let expect = Expectations { service: Some("kafka-cluster"), ..Expectations::default() };
        assert!(verify(&text, key, &expect, time).is_ok(), "verify refuses a signed MSK token");
    }
});
