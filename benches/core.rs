//! Per-token cost of the core: warm and cold RDS tokens, DSQL, inspect.
//! Results and targets: docs/benchmarks.md.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use iamauth::{Credentials, DsqlAction, DsqlTokenRequest, RdsTokenRequest, Signer, inspect};
use iamauth_benches::session_token;
use sha2::{Digest, Sha256};
use std::hint::black_box;

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TIME: i64 = 1_704_164_645;

fn rds() -> RdsTokenRequest<'static> {
    RdsTokenRequest::new(
        "mydb.123456789012.us-east-1.rds.amazonaws.com",
        5432,
        "iam_user",
        "us-east-1",
        TIME,
    )
}

fn benches(c: &mut Criterion) {
    let plain = Credentials::new(AKID, SECRET, None).unwrap();
    let token = session_token();
    let with_token = Credentials::new(AKID, SECRET, Some(&token)).unwrap();
    let signer = Signer::new();
    let request = rds();

    c.bench_function("rds_token/warm", |b| {
        b.iter(|| {
            signer
                .token(black_box(&request), black_box(&plain))
                .unwrap()
        })
    });
    c.bench_function("rds_token/warm_session_token_700", |b| {
        b.iter(|| {
            signer
                .token(black_box(&request), black_box(&with_token))
                .unwrap()
        })
    });
    c.bench_function("rds_token/cold", |b| {
        b.iter(|| {
            signer.cache().clear();
            signer
                .token(black_box(&request), black_box(&plain))
                .unwrap()
        })
    });
    let dsql = DsqlTokenRequest::new(
        "abcdefghijklmnopqrst123456.dsql.us-east-1.on.aws",
        "us-east-1",
        DsqlAction::DbConnect,
        TIME,
    );
    c.bench_function("dsql_token/warm", |b| {
        b.iter(|| signer.token(black_box(&dsql), black_box(&plain)).unwrap())
    });
    // The floor: only the two SHA-256 passes a warm token needs (canonical request, then the
    // HMAC of the string to sign with a pre-keyed MAC), over the same bytes.
    let steps = signer.token_with_steps(&request, &plain).unwrap();
    let keyed = <Hmac<Sha256> as KeyInit>::new_from_slice(&[7u8; 32]).unwrap();
    c.bench_function("floor/hash_only_rds_warm", |b| {
        b.iter(|| {
            let hash = Sha256::digest(black_box(steps.canonical_request.as_bytes()));
            let mut mac = keyed.clone();
            mac.update(black_box(steps.string_to_sign.as_bytes()));
            (hash, mac.finalize().into_bytes())
        })
    });
    let made = signer.token(&request, &with_token).unwrap();
    c.bench_function("inspect/session_token_700", |b| {
        b.iter(|| inspect(black_box(&made)).unwrap().expires_at)
    });
}

criterion_group!(core_benches, benches);
criterion_main!(core_benches);
