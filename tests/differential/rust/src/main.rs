//! Reads tests/differential's cases (tab-separated, see cases.py) on stdin, makes core's token
//! for each and compares it with the reference's (botocore; awscli's TokenGenerator for eks; the
//! python MSK signer for msk) (`DIFF id token` for the first ten that differ), and verifies the
//! reference's token with core's `verify` (decoded by `decode_token` first; the case's key, every
//! expectation the case names, the cluster for eks, at the case's `now`, inside the validity):
//! the identity must be the case's (`VERIFY id problem` for the first ten that fail). Ends with
//! one count line; exit status 1 if any token differed or any verify failed.

use std::io::{BufRead, BufWriter, Write};

use iamauth::{
    CacheService, Credentials, DsqlAction, DsqlTokenRequest, EKS_TOKEN_LIFETIME, EksTokenRequest,
    ElastiCacheTokenRequest, Expectations, MskTokenRequest, RdsTokenRequest, StsEndpoint,
    TokenKind, VerifyKey, decode_token, verify,
};

fn main() {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let (mut cases, mut equal, mut verified, mut failures) = (0u64, 0u64, 0u64, 0u64);
    for line in stdin.split(b'\n') {
        let line = line.expect("read stdin");
        let line = String::from_utf8(line).expect("cases are UTF-8");
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 16, "a case has 16 fields");
        let (id, kind, host, user, region, action, service) =
            (f[0], f[1], f[2], f[4], f[5], f[6], f[7]);
        let port: i64 = f[3].parse().expect("port");
        let serverless = f[8] == "1";
        let time: i64 = f[9].parse().expect("time");
        let expires_in: i64 = f[10].parse().expect("expires_in");
        let (akid, secret) = (f[11], f[12]);
        let session = Some(f[13]).filter(|s| !s.is_empty());
        let now: i64 = f[14].parse().expect("now");
        let botocore = f[15];
        cases += 1;

        let creds = Credentials::new(akid, secret, session).expect("valid credentials");
        let token = match kind {
            "rds" => {
                let mut r = RdsTokenRequest::new(host, port, user, region, time);
                r.expires_in = expires_in;
                iamauth::rds_token(&r, &creds)
            }
            "dsql" => {
                let action = DsqlAction::parse(action).expect("action");
                let mut r = DsqlTokenRequest::new(host, region, action, time);
                r.expires_in = expires_in;
                iamauth::dsql_token(&r, &creds)
            }
            // eks: `host` is the cluster name, `action` the STS endpoint.
            "eks" => {
                let mut r = EksTokenRequest::new(host, region, time);
                r.sts_endpoint = StsEndpoint::parse(action).expect("sts endpoint");
                iamauth::eks_token(&r, &creds)
            }
            // msk: `user` is the User-Agent.
            "msk" => {
                let mut r = MskTokenRequest::new(region, time);
                r.expires_in = expires_in;
                r.user_agent = user;
                iamauth::msk_token(&r, &creds)
            }
            _ => {
                let mut r = ElastiCacheTokenRequest::new(host, user, region, time);
                r.serverless = serverless;
                r.service = CacheService::parse(service).expect("service");
                r.expires_in = expires_in;
                iamauth::elasticache_token(&r, &creds)
            }
        };
        let token = token.unwrap_or_else(|e| format!("ERROR {}", e.code().name()));
        if token == botocore {
            equal += 1;
        } else if cases - equal <= 10 {
            writeln!(out, "DIFF {id}\t{token}").expect("write stdout");
        }

        let eks = kind == "eks";
        let expect = Expectations {
            // An EKS token's host is the STS endpoint (the case's is the cluster) and its scope's
            // region us-east-1 for the global endpoint: both checked on the identity below.
            host: (!eks).then_some(host),
            port: (kind == "rds").then(|| u16::try_from(port).expect("port")),
            // An MSK case's user is the User-Agent, not a user the token names.
            user: (!matches!(kind, "dsql" | "eks" | "msk")).then_some(user),
            // An action expectation is DSQL's (`DbConnect` / `DbConnectAdmin`); others carry `connect`.
            action: (kind == "dsql").then_some(action),
            region: (!eks).then_some(region),
            service: Some(service),
            cluster: eks.then_some(host),
            ..Expectations::default()
        };
        let key = |id: &str| (id == akid).then_some(VerifyKey::new(secret, session));
        let text = decode_token(botocore);
        let problem = match verify(&text, key, &expect, now) {
            Err(e) => Some(format!("refused: {}", e.code().name())),
            Ok(who) => {
                let want_kind = match kind {
                    "rds" => TokenKind::Rds,
                    "dsql" => TokenKind::Dsql,
                    "eks" => TokenKind::Eks,
                    "msk" => TokenKind::Msk,
                    _ => TokenKind::ElastiCache,
                };
                // EKS: the regional endpoint `sts.{region}.` signed for the region, or the global
                // `sts.amazonaws.com` signed for us-east-1 (asked for, and the region on
                // botocore's legacy list: core's rule, not restated here).
                let (want_host, want_region) = if !eks {
                    (host, region)
                } else if action == "global" && who.host == "sts.amazonaws.com" {
                    ("sts.amazonaws.com", "us-east-1")
                } else if who.host.starts_with(&format!("sts.{region}.")) {
                    (who.host, region)
                } else {
                    ("sts.<region>.*", region)
                };
                let got = (
                    who.kind,
                    who.access_key_id,
                    who.user.as_deref(),
                    who.action,
                    who.host,
                    who.port.map(i64::from),
                    who.region,
                    who.service,
                    who.signed_at,
                    who.expires_at,
                );
                let want = (
                    want_kind,
                    akid,
                    (!matches!(kind, "dsql" | "eks" | "msk")).then_some(user),
                    match kind {
                        "eks" => "GetCallerIdentity",
                        _ => action,
                    },
                    want_host,
                    (kind == "rds").then_some(port),
                    want_region,
                    service,
                    time,
                    // aws-iam-authenticator's window, whatever X-Amz-Expires (60) says.
                    time + if eks { EKS_TOKEN_LIFETIME } else { expires_in },
                );
                (got != want).then(|| format!("identity {got:?}, expected {want:?}"))
            }
        };
        match problem {
            None => verified += 1,
            Some(p) => {
                failures += 1;
                if failures <= 10 {
                    writeln!(out, "VERIFY {id}\t{p}").expect("write stdout");
                }
            }
        }
    }
    writeln!(
        out,
        "rust: {cases} tokens, {equal} equal to botocore's; verify: {verified} of {cases} to the case's identity"
    )
    .expect("write stdout");
    out.flush().expect("flush stdout");
    if equal != cases || failures > 0 {
        std::process::exit(1);
    }
}
