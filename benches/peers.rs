//! Our warm RDS token next to the official Rust signer's, in one run, so the ratio is measured
//! on one machine at one time. botocore: benches/botocore_bench.py. Results: docs/benchmarks.md.
#![allow(missing_docs, clippy::unwrap_used)]

use aws_sigv4::http_request::{
    self, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use criterion::{Criterion, criterion_group, criterion_main};
use iamauth::{Credentials, RdsTokenRequest, Signer};
use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

// The inputs of core.rs's `rds_token/warm`.
const HOST: &str = "mydb.123456789012.us-east-1.rds.amazonaws.com";
const PORT: u16 = 5432;
const USER: &str = "iam_user";
const REGION: &str = "us-east-1";
const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TIME: u64 = 1_704_164_645;

/// The body of aws-sdk-rds's `AuthTokenGenerator::auth_token` (smithy-rs
/// aws-inlineable/src/rds_auth_token.rs) after it has its credentials, region and clock:
/// the identity conversion, presign and `url`-crate assembly it repeats for every token.
fn aws_sigv4_token(
    host: &str,
    port: u16,
    user: &str,
    region: &str,
    creds: &aws_credential_types::Credentials,
    time: SystemTime,
) -> String {
    let identity: Identity = creds.clone().into();
    let mut settings = SigningSettings::default();
    settings.expires_in = Some(Duration::from_secs(900));
    settings.signature_location = SignatureLocation::QueryParams;
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("rds-db")
        .time(time)
        .settings(settings)
        .build()
        .unwrap();
    let url = format!("https://{host}:{port}/?Action=connect&DBUser={user}");
    let request =
        SignableRequest::new("GET", &url, std::iter::empty(), SignableBody::empty()).unwrap();
    let (instructions, _signature) = http_request::sign(request, &params.into())
        .unwrap()
        .into_parts();
    let mut url = url::Url::parse(&url).unwrap();
    for (name, value) in instructions.params() {
        url.query_pairs_mut().append_pair(name, value);
    }
    url.to_string().split_off("https://".len())
}

/// A token's authority and its set of query parameters: the SDKs order parameters differently,
/// and SigV4 signs the sorted query, so the order is not part of the token's meaning.
fn parts(token: &str) -> (&str, BTreeSet<&str>) {
    let (authority, query) = token.split_once("/?").unwrap();
    (authority, query.split('&').collect())
}

fn signature(token: &str) -> &str {
    let (_, params) = parts(token);
    let found = params
        .iter()
        .find_map(|p| p.strip_prefix("X-Amz-Signature="));
    found.unwrap()
}

fn benches(c: &mut Criterion) {
    let plain = Credentials::new(AKID, SECRET, None).unwrap();
    let signer = Signer::new();
    let request = RdsTokenRequest::new(HOST, i64::from(PORT), USER, REGION, TIME as i64);
    let aws_creds = aws_credential_types::Credentials::new(AKID, SECRET, None, None, "bench");
    let time = UNIX_EPOCH + Duration::from_secs(TIME);

    // Both must make the same token, or the ratio compares different work.
    let ours = signer.token(&request, &plain).unwrap();
    let theirs = aws_sigv4_token(HOST, PORT, USER, REGION, &aws_creds, time);
    assert_eq!(signature(&theirs), signature(&ours), "{theirs}\n{ours}");
    assert_eq!(parts(&theirs), parts(&ours), "{theirs}\n{ours}");

    let mut group = c.benchmark_group("peers");
    group.bench_function("iamauth_rds_token_warm", |b| {
        b.iter(|| {
            signer
                .token(black_box(&request), black_box(&plain))
                .unwrap()
        })
    });
    group.bench_function("aws_sigv4_rds_token", |b| {
        b.iter(|| {
            aws_sigv4_token(
                black_box(HOST),
                black_box(PORT),
                black_box(USER),
                black_box(REGION),
                black_box(&aws_creds),
                black_box(time),
            )
        })
    });
    group.finish();
}

criterion_group!(peer_benches, benches);
criterion_main!(peer_benches);
