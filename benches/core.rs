//! Per-token cost of the core: warm and cold RDS tokens, DSQL, inspect.
//! Results and targets: docs/benchmarks.md.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use iamauth::{Credentials, DsqlAction, DsqlToken, RdsToken, Signer, inspect};
use std::hint::black_box;

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TIME: i64 = 1_704_164_645;

/// A 700+ character STS-shaped session token with `/ + =` in it.
fn session_token() -> String {
    let mut t = String::from("IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+");
    while t.len() < 720 {
        t.push_str("Zm9vYmFy/+=EXAMPLE");
    }
    t
}

fn rds() -> RdsToken<'static> {
    RdsToken::new(
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
    let dsql = DsqlToken::new(
        "abcdefghijklmnopqrst123456.dsql.us-east-1.on.aws",
        "us-east-1",
        DsqlAction::DbConnect,
        TIME,
    );
    c.bench_function("dsql_token/warm", |b| {
        b.iter(|| signer.token(black_box(&dsql), black_box(&plain)).unwrap())
    });
    let made = signer.token(&request, &with_token).unwrap();
    c.bench_function("inspect/session_token_700", |b| {
        b.iter(|| inspect(black_box(&made)).unwrap().expires_at)
    });
}

criterion_group!(core_benches, benches);
criterion_main!(core_benches);
