//! `iamauth-counts CASE N`: one warm-up call of CASE's hot path, then N measured calls.
//! Run twice under callgrind (N and 2N, benches/counts/check.py): the difference of the two
//! totals over N is the instructions of one call, start-up and the warm-up cancelled.
//! Inputs: the README's demo (benches/core.rs has the same).

use hmac::{Hmac, KeyInit, Mac};
use iamauth::{
    Credentials, DsqlAction, DsqlTokenRequest, ElastiCacheTokenRequest, Expectations,
    RdsTokenRequest, Signer, VerifyKey, inspect, verify,
};
use sha2::{Digest, Sha256};
use std::hint::black_box;
use std::process::ExitCode;

const HOST: &str = "mydb.123456789012.us-east-1.rds.amazonaws.com";
const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TIME: i64 = 1_704_164_645;

/// The 720-character STS-shaped session token of benches/core.rs, `/ + =` included.
fn session_token() -> String {
    let mut t = String::from("IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+");
    while t.len() < 720 {
        t.push_str("Zm9vYmFy/+=EXAMPLE");
    }
    t
}

/// `f` once (warm-up: key cached, allocator primed), then `n` times; a byte of each result is
/// folded into the exit path so nothing is optimised away.
fn run(n: u64, mut f: impl FnMut() -> u8) -> u8 {
    let mut sink = f();
    for _ in 0..n {
        sink ^= black_box(f());
    }
    sink
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(case), Some(Ok(n))) = (args.get(1), args.get(2).map(|n| n.parse::<u64>())) else {
        eprintln!("usage: iamauth-counts CASE N");
        return ExitCode::from(2);
    };
    let Ok(plain) = Credentials::new(AKID, SECRET, None) else {
        return ExitCode::FAILURE;
    };
    let long = session_token();
    let Ok(with_token) = Credentials::new(AKID, SECRET, Some(&long)) else {
        return ExitCode::FAILURE;
    };
    let signer = Signer::new();
    let rds = RdsTokenRequest::new(HOST, 5432, "iam_user", "us-east-1", TIME);
    let last = |t: iamauth::Result<String>| t.map_or(0, |t| t.as_bytes()[t.len() - 1]);
    let sink = match case.as_str() {
        "rds_warm" => run(n, || last(signer.token(black_box(&rds), black_box(&plain)))),
        "rds_warm_session_720" => run(n, || {
            last(signer.token(black_box(&rds), black_box(&with_token)))
        }),
        // Cold: the key cache emptied before each call, so the key is derived (four HMACs) and
        // cached each time, as the first token of a day or of new credentials is.
        "rds_cold" => run(n, || {
            signer.cache().clear();
            last(signer.token(black_box(&rds), black_box(&plain)))
        }),
        "dsql_warm" => {
            let dsql = DsqlTokenRequest::new(
                "abcdefghijklmnopqrst123456.dsql.us-east-1.on.aws",
                "us-east-1",
                DsqlAction::DbConnect,
                TIME,
            );
            run(n, || {
                last(signer.token(black_box(&dsql), black_box(&plain)))
            })
        }
        "elasticache_warm" => {
            let cache = ElastiCacheTokenRequest::new("my-cache", "iam_user", "us-east-1", TIME);
            run(n, || {
                last(signer.token(black_box(&cache), black_box(&plain)))
            })
        }
        "inspect_session_720" => {
            let Ok(made) = signer.token(&rds, &with_token) else {
                return ExitCode::FAILURE;
            };
            run(n, || {
                inspect(black_box(&made)).map_or(0, |i| i.expires_at as u8)
            })
        }
        "verify_rds" => {
            let Ok(made) = signer.token(&rds, &plain) else {
                return ExitCode::FAILURE;
            };
            let keys = |akid: &str| (akid == AKID).then_some(VerifyKey::new(SECRET, None));
            let expect = Expectations {
                host: Some(HOST),
                port: Some(5432),
                user: Some("iam_user"),
                ..Expectations::default()
            };
            run(n, || {
                verify(black_box(&made), keys, black_box(&expect), TIME + 60)
                    .map_or(0, |who| who.expires_at as u8)
            })
        }
        // The floor of rds_warm (benches/core.rs's): one SHA-256 of its canonical request and a
        // pre-keyed HMAC of its string to sign, over the same bytes.
        "floor_rds_warm" => {
            let Ok(steps) = signer.token_with_steps(&rds, &plain) else {
                return ExitCode::FAILURE;
            };
            let Ok(keyed) = <Hmac<Sha256> as KeyInit>::new_from_slice(&[7u8; 32]) else {
                return ExitCode::FAILURE;
            };
            run(n, || {
                let hash = Sha256::digest(black_box(steps.canonical_request.as_bytes()));
                let mut mac = keyed.clone();
                mac.update(black_box(steps.string_to_sign.as_bytes()));
                hash[0] ^ mac.finalize().into_bytes()[0]
            })
        }
        _ => {
            eprintln!("iamauth-counts: unknown case {case}");
            return ExitCode::from(2);
        }
    };
    black_box(sink);
    ExitCode::SUCCESS
}
