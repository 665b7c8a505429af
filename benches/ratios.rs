//! The core against its floor, interleaved in one process (issue 15's targets, docs/benchmarks.md).
//!
//! Each case is a pair: the core's call and its floor, the hashing that call cannot avoid over
//! the very bytes it hashes (built from the call's own signing steps). Every round times a batch
//! of each, case after case, so a change of clock speed or a neighbour's load hits them alike;
//! the figure is the median over the rounds. Then tokens per second from one thread and from
//! two on `Signer::shared()`. Writes `target/bench/core.json` (the contract in
//! benches/bench.py) and prints a table.
//!
//! `cargo bench -p iamauth-benches --bench ratios`; `IAMAUTH_BENCH_ROUNDS` (default 31).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout
)]

use hmac::{Hmac, KeyInit, Mac};
use iamauth::{
    Credentials, DsqlAction, DsqlTokenRequest, ElastiCacheTokenRequest, Expectations,
    RdsTokenRequest, Signer, SigningSteps, VerifyKey, inspect, verify,
};
use iamauth_benches::session_token;
use sha2::{Digest, Sha256};
use std::hint::black_box;
use std::time::{Duration, Instant};

const HOST: &str = "mydb.123456789012.us-east-1.rds.amazonaws.com";
const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TIME: i64 = 1_704_164_645;
/// How long one batch runs.
const BATCH: Duration = Duration::from_millis(2);

type HmacSha256 = Hmac<Sha256>;

/// A timed function: runs its work `n` times and returns something derived from the results.
type Work<'a> = Box<dyn FnMut(u64) -> u64 + 'a>;

struct Case<'a> {
    id: &'static str,
    /// "ours", or "reference" (a bound, not a product: no target).
    kind: &'static str,
    label: &'static str,
    target: f64,
    ours: Work<'a>,
    floor: Work<'a>,
    floor_label: &'static str,
}

/// `f` `n` times, a byte of each result folded in so nothing is optimised away.
fn repeat<T>(mut f: impl FnMut() -> T, last: impl Fn(&T) -> u8) -> impl FnMut(u64) -> u64 {
    move |n| {
        let mut sink = 0u64;
        for _ in 0..n {
            sink = sink.wrapping_add(u64::from(last(&black_box(f()))));
        }
        sink
    }
}

fn last_byte(s: &String) -> u8 {
    s.as_bytes().last().copied().unwrap_or(0)
}

/// SHA-256 of step 1's text and the pre-keyed HMAC of step 2's: all a warm token must hash.
fn warm_floor<'a>(steps: &'a SigningSteps, keyed: &'a HmacSha256) -> Work<'a> {
    Box::new(repeat(
        move || {
            let hash = Sha256::digest(black_box(steps.canonical_request.as_bytes()));
            let mut mac = keyed.clone();
            mac.update(black_box(steps.string_to_sign.as_bytes()));
            (hash, mac.finalize().into_bytes())
        },
        |(h, m)| h[0] ^ m[0],
    ))
}

/// Step 3 from the secret (four HMACs, each keyed afresh), the signing key's HMAC keyed, then the
/// warm floor's hashing.
fn cold_floor<'a>(
    steps: &'a SigningSteps,
    date: &'a str,
    region: &'a str,
    service: &'a str,
) -> Work<'a> {
    Box::new(repeat(
        move || {
            let mut k_secret = [0u8; 44];
            k_secret[..4].copy_from_slice(b"AWS4");
            k_secret[4..].copy_from_slice(SECRET.as_bytes());
            let mut key: [u8; 32] = mac_of(&k_secret, date.as_bytes());
            for part in [region, service, "aws4_request"] {
                key = mac_of(&key, part.as_bytes());
            }
            let hash = Sha256::digest(black_box(steps.canonical_request.as_bytes()));
            let sig = mac_of(&key, black_box(steps.string_to_sign.as_bytes()));
            (hash, sig)
        },
        |(h, m)| h[0] ^ m[0],
    ))
}

fn mac_of(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(black_box(key)).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// What reading a token cannot avoid: one pass splitting its query into `name=value` pairs
/// (inspect then only looks at the short values: the session token is skipped, not decoded).
fn read_floor(token: &str) -> Work<'_> {
    Box::new(repeat(
        move || {
            let (_, query) = black_box(token).split_once('?').unwrap_or_default();
            let mut seen = 0usize;
            for pair in query.split('&') {
                let (name, value) = pair.split_once('=').unwrap_or_default();
                seen += name.len() ^ value.len();
            }
            seen as u8
        },
        |n| *n,
    ))
}

/// The least an RDS token can cost with this hashing: a hand-written writer with no input
/// checks, no date formatting, no key lookup and the port already text, hashing in seven pieces
/// as any streaming writer must. Asserted equal to the core's token first. It bounds how close to
/// the floor a real signer (which validates its inputs) can come on this machine.
#[inline(never)]
fn minimal_rds_token(
    host: &str,
    port: &str,
    user: &str,
    akid: &str,
    region: &str,
    date: &[u8; 16],
    key: &HmacSha256,
) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    fn hex(bytes: &[u8], out: &mut Vec<u8>) {
        for &b in bytes {
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 15)]);
        }
    }
    let mut out: Vec<u8> = Vec::with_capacity(400);
    out.extend_from_slice(host.as_bytes());
    out.push(b':');
    out.extend_from_slice(port.as_bytes());
    out.extend_from_slice(b"/?");
    let query = out.len();
    out.extend_from_slice(b"Action=connect&DBUser=");
    out.extend_from_slice(user.as_bytes());
    out.extend_from_slice(b"&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=");
    out.extend_from_slice(akid.as_bytes());
    out.extend_from_slice(b"%2F");
    out.extend_from_slice(&date[..8]);
    out.extend_from_slice(b"%2F");
    out.extend_from_slice(region.as_bytes());
    out.extend_from_slice(b"%2Frds-db%2Faws4_request&X-Amz-Date=");
    out.extend_from_slice(date);
    out.extend_from_slice(b"&X-Amz-Expires=900&X-Amz-SignedHeaders=host");
    let mut h = Sha256::new();
    h.update(b"GET\n/\n");
    h.update(&out[query..]);
    h.update(b"\nhost:");
    h.update(host.as_bytes());
    h.update(b":");
    h.update(port.as_bytes());
    h.update(b"\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    let hash = h.finalize();
    let mut sts = Vec::with_capacity(160);
    sts.extend_from_slice(b"AWS4-HMAC-SHA256\n");
    sts.extend_from_slice(date);
    sts.push(b'\n');
    sts.extend_from_slice(&date[..8]);
    sts.push(b'/');
    sts.extend_from_slice(region.as_bytes());
    sts.extend_from_slice(b"/rds-db/aws4_request\n");
    hex(&hash, &mut sts);
    let mut mac = key.clone();
    mac.update(&sts);
    let signature = mac.finalize().into_bytes();
    out.extend_from_slice(b"&X-Amz-Signature=");
    hex(&signature, &mut out);
    String::from_utf8(out).unwrap()
}

/// How many calls fill one batch.
fn calibrate(work: &mut Work<'_>) -> u64 {
    let mut n = 16u64;
    loop {
        let start = Instant::now();
        black_box(work(n));
        if start.elapsed() >= BATCH / 4 || n >= 1 << 24 {
            let per_call = start.elapsed().as_secs_f64() / n as f64;
            return ((BATCH.as_secs_f64() / per_call) as u64).max(1);
        }
        n *= 2;
    }
}

fn time_batch(work: &mut Work<'_>, n: u64) -> f64 {
    let start = Instant::now();
    black_box(work(n));
    start.elapsed().as_nanos() as f64 / n as f64
}

struct Stats {
    median: f64,
    p10: f64,
    p90: f64,
}

fn stats(mut v: Vec<f64>) -> Stats {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Stats {
        median: at(0.5),
        p10: at(0.1),
        p90: at(0.9),
    }
}

/// This thread's time on a CPU so far, from the scheduler (Linux), in nanoseconds.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// `threads` threads signing on the shared signer for `span`: tokens per second of wall time
/// (all threads together), and tokens per second of CPU time (which a busy machine does not
/// lower: it shows whether the threads slow each other down even when they cannot all run).
fn throughput(
    threads: usize,
    span: Duration,
    request: &RdsTokenRequest<'_>,
    creds: &Credentials<'_>,
) -> (f64, f64) {
    let signer = Signer::shared();
    let per_thread: Vec<(u64, f64, u64)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let cpu = thread_cpu_ns().unwrap_or(0);
                    let start = Instant::now();
                    let mut n = 0u64;
                    while start.elapsed() < span {
                        for _ in 0..64 {
                            black_box(signer.token(black_box(request), black_box(creds)).unwrap());
                        }
                        n += 64;
                    }
                    let wall = start.elapsed().as_secs_f64();
                    (n, wall, thread_cpu_ns().unwrap_or(0).saturating_sub(cpu))
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let wall: f64 = per_thread.iter().map(|t| t.0 as f64 / t.1).sum();
    let made: u64 = per_thread.iter().map(|t| t.0).sum();
    let cpu: u64 = per_thread.iter().map(|t| t.2).sum();
    (wall, made as f64 / (cpu.max(1) as f64 / 1e9))
}

fn main() {
    let rounds: usize = std::env::var("IAMAUTH_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(31);
    let long = session_token();
    let plain = Credentials::new(AKID, SECRET, None).unwrap();
    let with_token = Credentials::new(AKID, SECRET, Some(&long)).unwrap();
    let rds = RdsTokenRequest::new(HOST, 5432, "iam_user", "us-east-1", TIME);
    let dsql = DsqlTokenRequest::new(
        "abcdefghijklmnopqrst123456.dsql.us-east-1.on.aws",
        "us-east-1",
        DsqlAction::DbConnect,
        TIME,
    );
    let cache = ElastiCacheTokenRequest::new("my-cache", "iam_user", "us-east-1", TIME);
    let signer = Signer::new();
    let keyed = <HmacSha256 as KeyInit>::new_from_slice(&[7u8; 32]).unwrap();

    let rds_steps = signer.token_with_steps(&rds, &plain).unwrap();
    let session_steps = signer.token_with_steps(&rds, &with_token).unwrap();
    let dsql_steps = signer.token_with_steps(&dsql, &plain).unwrap();
    let cache_steps = signer.token_with_steps(&cache, &plain).unwrap();
    let session_made = session_steps.presigned.clone();
    let rds_made = rds_steps.presigned.clone();
    let keys = |akid: &str| (akid == AKID).then_some(VerifyKey::new(SECRET, None));
    let expect = Expectations {
        host: Some(HOST),
        port: Some(5432),
        user: Some("iam_user"),
        ..Expectations::default()
    };
    verify(&rds_made, keys, &expect, TIME + 60).unwrap();

    let token_work = |request: &'static str| -> Work<'_> {
        let (signer, plain, with_token) = (&signer, &plain, &with_token);
        let (rds, dsql, cache) = (rds, dsql, cache);
        match request {
            "rds" => Box::new(repeat(
                move || signer.token(black_box(&rds), black_box(plain)).unwrap(),
                last_byte,
            )),
            "rds_session" => Box::new(repeat(
                move || {
                    signer
                        .token(black_box(&rds), black_box(with_token))
                        .unwrap()
                },
                last_byte,
            )),
            "rds_cold" => Box::new(repeat(
                move || {
                    signer.cache().clear();
                    signer.token(black_box(&rds), black_box(plain)).unwrap()
                },
                last_byte,
            )),
            "dsql" => Box::new(repeat(
                move || signer.token(black_box(&dsql), black_box(plain)).unwrap(),
                last_byte,
            )),
            _ => Box::new(repeat(
                move || signer.token(black_box(&cache), black_box(plain)).unwrap(),
                last_byte,
            )),
        }
    };
    let signing_key = iamauth::signing_key(SECRET, "20240102", "us-east-1", "rds-db");
    let real_key = <HmacSha256 as KeyInit>::new_from_slice(signing_key.as_bytes()).unwrap();
    let date = *b"20240102T030405Z";
    let minimal = |key: &HmacSha256| {
        minimal_rds_token(
            black_box(HOST),
            "5432",
            black_box("iam_user"),
            AKID,
            "us-east-1",
            black_box(&date),
            key,
        )
    };
    assert_eq!(minimal(&real_key), rds_steps.presigned);
    let mut cases = vec![
        Case {
            id: "reference_minimal_rds",
            kind: "reference",
            label: "reference: hand-minimal RDS writer (no checks)",
            target: 1.3,
            ours: Box::new(repeat(|| minimal(&real_key), last_byte)),
            floor: warm_floor(&rds_steps, &keyed),
            floor_label: "SHA-256 of its canonical request + pre-keyed HMAC of its string to sign",
        },
        Case {
            id: "rds_warm",
            kind: "ours",
            label: "RDS token, key cached",
            target: 1.3,
            ours: token_work("rds"),
            floor: warm_floor(&rds_steps, &keyed),
            floor_label: "SHA-256 of its canonical request + pre-keyed HMAC of its string to sign",
        },
        Case {
            id: "rds_warm_session_720",
            kind: "ours",
            label: "RDS token, key cached, 720-character session token",
            target: 1.3,
            ours: token_work("rds_session"),
            floor: warm_floor(&session_steps, &keyed),
            floor_label: "the same hashing over its longer canonical request",
        },
        Case {
            id: "rds_cold",
            kind: "ours",
            label: "RDS token, cold (cache cleared: key derived, cached)",
            target: 1.5,
            ours: token_work("rds_cold"),
            floor: cold_floor(&rds_steps, "20240102", "us-east-1", "rds-db"),
            floor_label: "the four key-derivation HMACs + the warm floor",
        },
        Case {
            id: "dsql_warm",
            kind: "ours",
            label: "DSQL token, key cached",
            target: 1.3,
            ours: token_work("dsql"),
            floor: warm_floor(&dsql_steps, &keyed),
            floor_label: "SHA-256 of its canonical request + pre-keyed HMAC of its string to sign",
        },
        Case {
            id: "elasticache_warm",
            kind: "ours",
            label: "ElastiCache token, key cached",
            target: 1.3,
            ours: token_work("cache"),
            floor: warm_floor(&cache_steps, &keyed),
            floor_label: "SHA-256 of its canonical request + pre-keyed HMAC of its string to sign",
        },
        Case {
            id: "inspect_session_720",
            kind: "ours",
            label: "inspect, 720-character session token",
            target: 1.5,
            ours: Box::new(repeat(
                || inspect(black_box(&session_made)).unwrap().expires_at,
                |t| *t as u8,
            )),
            floor: read_floor(&session_made),
            floor_label: "one pass splitting the query into name=value pairs",
        },
        Case {
            id: "verify_rds",
            kind: "ours",
            label: "verify an RDS token (key derived each call)",
            target: 1.5,
            ours: Box::new(repeat(
                || {
                    verify(black_box(&rds_made), keys, &expect, TIME + 60)
                        .unwrap()
                        .expires_at
                },
                |t| *t as u8,
            )),
            floor: cold_floor(&rds_steps, "20240102", "us-east-1", "rds-db"),
            floor_label: "the four key-derivation HMACs + the warm floor",
        },
    ];

    // `IAMAUTH_BENCH_ONLY=rds_warm,dsql_warm` measures a subset (and skips the threads).
    let only = std::env::var("IAMAUTH_BENCH_ONLY").ok();
    if let Some(only) = &only {
        cases.retain(|c| only.split(',').any(|o| o == c.id));
    }
    let sizes: Vec<(u64, u64)> = cases
        .iter_mut()
        .map(|c| (calibrate(&mut c.ours), calibrate(&mut c.floor)))
        .collect();
    let mut ours: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); cases.len()];
    let mut floors: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); cases.len()];
    let mut ratios: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); cases.len()];
    for round in 0..rounds {
        for (i, case) in cases.iter_mut().enumerate() {
            let (n_ours, n_floor) = sizes[i];
            // Alternate which of the pair goes first, so neither always follows the other.
            let (o, f) = if round % 2 == 0 {
                let o = time_batch(&mut case.ours, n_ours);
                (o, time_batch(&mut case.floor, n_floor))
            } else {
                let f = time_batch(&mut case.floor, n_floor);
                (time_batch(&mut case.ours, n_ours), f)
            };
            ours[i].push(o);
            floors[i].push(f);
            ratios[i].push(o / f);
        }
        eprint!("\rround {}/{rounds}", round + 1);
    }
    eprintln!();

    // `IAMAUTH_BENCH_DUMP=1`: every round's figures, to see a bimodal case's two modes.
    if std::env::var_os("IAMAUTH_BENCH_DUMP").is_some() {
        for (i, case) in cases.iter().enumerate() {
            let round = |v: &[f64]| {
                v.iter()
                    .map(|x| format!("{x:.0}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            println!("{} ours:  {}", case.id, round(&ours[i]));
            println!("{} floor: {}", case.id, round(&floors[i]));
        }
    }
    if only
        .as_ref()
        .is_some_and(|o| !o.split(',').any(|c| c == "threads"))
    {
        print_table(&cases, &ours, &floors, &ratios);
        return;
    }
    let threads_span = Duration::from_millis(200);
    let (mut one, mut two, mut one_cpu, mut two_cpu) = (vec![], vec![], vec![], vec![]);
    for _ in 0..7 {
        let (wall, cpu) = throughput(1, threads_span, &rds, &plain);
        one.push(wall);
        one_cpu.push(cpu);
        let (wall, cpu) = throughput(2, threads_span, &rds, &plain);
        two.push(wall);
        two_cpu.push(cpu);
    }
    let (one, two) = (stats(one), stats(two));
    let (one_cpu, two_cpu) = (stats(one_cpu), stats(two_cpu));

    let mut results = Vec::new();
    print_table(&cases, &ours, &floors, &ratios);
    for (i, case) in cases.iter().enumerate() {
        let o = stats(ours[i].clone());
        let f = stats(floors[i].clone());
        let ratio = stats(ratios[i].clone()).median;
        results.push(with_field(
            result(
                &format!("core.{}", case.id),
                case.label,
                case.kind,
                &o,
                Some(&format!("core.floor.{}", case.id)),
                (case.kind == "ours").then(|| format!("{{\"ratio\": {}}}", case.target)),
            ),
            "ratio",
            ratio,
        ));
        results.push(result(
            &format!("core.floor.{}", case.id),
            case.floor_label,
            "floor",
            &f,
            None,
            None,
        ));
    }
    // Throughput as ns per token, so the contract's "speedup" reads vs.ns / ns.
    let per = |s: &Stats| Stats {
        median: 1e9 / s.median,
        p10: 1e9 / s.p90,
        p90: 1e9 / s.p10,
    };
    println!(
        "tokens/s on Signer::shared(): 1 thread {:.0}, 2 threads {:.0}: {:.2}x (target 1.8x); \
         per CPU-second {:.0} and {:.0}: {:.2}x (1.00 = the threads never wait for each other)",
        one.median,
        two.median,
        two.median / one.median,
        one_cpu.median,
        two_cpu.median,
        two_cpu.median / one_cpu.median,
    );
    results.push(with_field(
        result(
            "core.threads_2",
            "RDS tokens on Signer::shared() from 2 threads (ns per token, wall)",
            "ours",
            &per(&two),
            Some("core.threads_1"),
            Some("{\"speedup\": 1.8}".into()),
        ),
        "speedup",
        two.median / one.median,
    ));
    results.push(result(
        "core.threads_1",
        "RDS tokens on Signer::shared() from 1 thread (ns per token, wall)",
        "ours",
        &per(&one),
        None,
        None,
    ));
    let threads_note = format!(
        "Threads: tokens per CPU-second with 2 threads {:.2}x those of 1 thread (1.00: the threads never wait for each other; a busy machine lowers the wall speed-up, not this).",
        two_cpu.median / one_cpu.median
    );
    // A subset (`IAMAUTH_BENCH_ONLY`) is for looking, not for the record.
    if only.is_none() {
        write_json(&results, rounds, &threads_note);
    }
}

fn print_table(cases: &[Case<'_>], ours: &[Vec<f64>], floors: &[Vec<f64>], ratios: &[Vec<f64>]) {
    println!(
        "{:52} {:>10} {:>10} {:>8} {:>7}  (median ns per call; ratio = median of per-round ratios)",
        "case", "ours", "floor", "ratio", "target"
    );
    for (i, case) in cases.iter().enumerate() {
        let (o, f, r) = (
            stats(ours[i].clone()),
            stats(floors[i].clone()),
            stats(ratios[i].clone()),
        );
        let verdict = if r.median <= case.target {
            "met"
        } else {
            "NOT met"
        };
        println!(
            "{:52} {:>10.1} {:>10.1} {:>7.2}x {:>6.1}x {verdict}",
            case.label, o.median, f.median, r.median, case.target,
        );
    }
}

fn result(
    id: &str,
    label: &str,
    kind: &str,
    s: &Stats,
    vs: Option<&str>,
    target: Option<String>,
) -> String {
    let mut out = format!(
        "{{\"id\": \"{id}\", \"group\": \"core\", \"label\": \"{label}\", \"kind\": \"{kind}\", \"ns\": {:.1}, \"p10\": {:.1}, \"p90\": {:.1}",
        s.median, s.p10, s.p90
    );
    if let Some(vs) = vs {
        out.push_str(&format!(", \"vs\": \"{vs}\""));
    }
    if let Some(target) = target {
        out.push_str(&format!(", \"target\": {target}"));
    }
    out.push('}');
    out
}

/// `result` with one more number field (the median of per-round ratios, which the docs then show).
fn with_field(mut result: String, name: &str, value: f64) -> String {
    result.pop();
    result.push_str(&format!(", \"{name}\": {value:.3}}}"));
    result
}

fn write_json(results: &[String], rounds: usize, note: &str) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::var_os("IAMAUTH_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target").join("bench"));
    std::fs::create_dir_all(&dir).unwrap();
    let when = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let json = format!(
        "{{\n  \"harness\": \"core\",\n  \"command\": \"cargo bench -p iamauth-benches --bench ratios\",\n  \"when\": \"{when}\",\n  \"env\": {{\"rustc\": \"{rustc}\", \"rounds\": {rounds}}},\n  \"results\": [\n    {}\n  ],\n  \"notes\": [\"Each ratio is the median of per-round ratios: the call and its floor timed back to back in every round.\", \"{note}\"]\n}}\n",
        results.join(",\n    ")
    );
    let path = dir.join("core.json");
    std::fs::write(&path, json).unwrap();
    println!("wrote {}", path.display());
}
