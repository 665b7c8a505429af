//! Our warm RDS token next to the official Rust signer's (`aws-sigv4`), interleaved in one
//! process, so the ratio is measured on one machine at one time. Writes `rust.json` (the
//! contract in benches/bench.py) into $IAMAUTH_BENCH_DIR, default target/bench, and prints a
//! line per case. `cargo bench -p iamauth-benches --bench peers` (`make bench` runs it).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout
)]

use aws_sigv4::http_request::{
    self, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use iamauth::{Credentials, RdsTokenRequest, Signer};
use std::collections::BTreeSet;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

// The inputs of core.rs's `rds_token/warm`.
const HOST: &str = "mydb.123456789012.us-east-1.rds.amazonaws.com";
const PORT: u16 = 5432;
const USER: &str = "iam_user";
const REGION: &str = "us-east-1";
const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TIME: u64 = 1_704_164_645;

/// Rounds of the interleaved measurement, and the time one batch of a case should take.
const ROUNDS: usize = 31;
const BATCH: Duration = Duration::from_millis(2);

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

/// One measured case: its JSON fields and the call it times.
struct Case<'a> {
    id: &'static str,
    label: String,
    kind: &'static str,
    vs: Option<&'static str>,
    call: Box<dyn FnMut() + 'a>,
    batch: u64,
    per_call_ns: Vec<f64>,
}

/// Nanoseconds per call of `n` calls.
fn time_batch(call: &mut dyn FnMut(), n: u64) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        call();
    }
    start.elapsed().as_nanos() as f64 / n as f64
}

/// Calls per batch so that one batch takes about `BATCH`.
fn calibrate(call: &mut dyn FnMut()) -> u64 {
    let mut n = 1u64;
    loop {
        let ns = time_batch(call, n) * n as f64;
        if ns >= 200_000.0 || n >= 1 << 30 {
            return ((BATCH.as_nanos() as f64 / ns * n as f64) as u64).max(1);
        }
        n *= 2;
    }
}

/// The value at fraction `q` of the sorted values (nearest rank), to 0.1 ns.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    (sorted[((sorted.len() - 1) as f64 * q).round() as usize] * 10.0).round() / 10.0
}

/// Round r runs one batch of every case in turn, so drift and frequency changes hit all alike.
fn measure(cases: &mut [Case<'_>]) {
    for case in cases.iter_mut() {
        case.batch = calibrate(&mut case.call);
    }
    for round in 0..=ROUNDS {
        for case in cases.iter_mut() {
            let ns = time_batch(&mut case.call, case.batch);
            if round > 0 {
                case.per_call_ns.push(ns); // round 0 warms up
            }
        }
    }
}

/// `2026-12-01T09:30:00Z` for a Unix time (days to civil date: Howard Hinnant's algorithm).
fn iso_utc(unix: u64) -> String {
    let (days, secs) = ((unix / 86_400) as i64, unix % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
}

/// The version of a package in the workspace's Cargo.lock (the one this bench was built with).
fn locked_version(root: &std::path::Path, package: &str) -> String {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"") {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = ")) {
                return v.trim_matches('"').to_string();
            }
        }
    }
    "?".to_string()
}

fn rustc_version() -> String {
    let out = std::process::Command::new(std::env::var("RUSTC").unwrap_or("rustc".into()))
        .arg("--version")
        .output();
    out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|_| "?".into())
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = root.canonicalize().unwrap_or(root);
    let sigv4 = locked_version(&root, "aws-sigv4");

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

    let mut cases = [
        Case {
            id: "rust.iamauth",
            label: "iamauth Signer::token, warm RDS token".into(),
            kind: "ours",
            vs: None,
            call: Box::new(|| {
                black_box(
                    signer
                        .token(black_box(&request), black_box(&plain))
                        .unwrap(),
                );
            }),
            batch: 0,
            per_call_ns: Vec::new(),
        },
        Case {
            id: "rust.aws_sigv4",
            label: format!("aws-sigv4 {sigv4} presign + url (aws-sdk-rds's token body)"),
            kind: "peer",
            vs: Some("rust.iamauth"),
            call: Box::new(|| {
                black_box(aws_sigv4_token(
                    black_box(HOST),
                    black_box(PORT),
                    black_box(USER),
                    black_box(REGION),
                    black_box(&aws_creds),
                    black_box(time),
                ));
            }),
            batch: 0,
            per_call_ns: Vec::new(),
        },
    ];
    measure(&mut cases);

    let mut results = Vec::new();
    for case in &mut cases {
        case.per_call_ns.sort_by(f64::total_cmp);
        let ns = &case.per_call_ns;
        let mut row = serde_json::json!({
            "id": case.id, "group": "rust", "label": case.label, "kind": case.kind,
            "ns": quantile(ns, 0.5), "p10": quantile(ns, 0.1), "p90": quantile(ns, 0.9),
        });
        if let Some(vs) = case.vs {
            row["vs"] = vs.into();
        }
        println!(
            "{:<16} median {:>9.1} ns  p10 {:>9.1}  p90 {:>9.1}  ({} rounds x {} calls)",
            case.id,
            quantile(ns, 0.5),
            quantile(ns, 0.1),
            quantile(ns, 0.9),
            ROUNDS,
            case.batch
        );
        results.push(row);
    }
    let ratio = results[1]["ns"].as_f64().unwrap() / results[0]["ns"].as_f64().unwrap();
    println!("aws-sigv4 / iamauth: {ratio:.1}x");

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let doc = serde_json::json!({
        "harness": "rust",
        "command": "cargo bench -p iamauth-benches --bench peers",
        "when": iso_utc(now),
        "env": {"rustc": rustc_version(), "aws-sigv4": sigv4},
        "results": results,
        "notes": [format!(
            "{ROUNDS} interleaved rounds, batches of about {} ms; both tokens asserted equal (signature and parameter set) first.",
            BATCH.as_millis()
        )],
    });
    let dir = std::env::var_os("IAMAUTH_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target").join("bench"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("rust.json");
    let text = serde_json::to_string_pretty(&doc).unwrap() + "\n";
    std::fs::write(&path, text).unwrap();
    println!("wrote {}", path.display());
}
