//! Where a warm token's "two speeds" come from (issue 15): the evidence behind
//! docs/benchmarks.md's section on bimodal timings, rerunnable.
//!
//! 1. Stack placement: the token made at 16 stack depths, 256 bytes apart (4 KB aliasing
//!    between the stack buffers and the output would show as a slow depth).
//! 2. Heap placement: the address the output lands at, call after call (an allocator handing
//!    out different blocks would give different store/load aliasing from call to call).
//! 3. Batch length: the same calls timed in 2 ms batches and in 200 ms batches (criterion's
//!    later samples are that long), each as min / median / max, beside the hash floor; a
//!    neighbour's load lands in long batches far more often.
//!
//! Code alignment is tested from outside: build with
//! `RUSTFLAGS="-C llvm-args=-align-all-functions=6 -C llvm-args=-align-all-nofallthru-blocks=5"`
//! and compare `cargo bench --bench ratios` (docs/benchmarks.md has the figures).
//!
//! `cargo bench -p iamauth-benches --bench modes`
#![allow(missing_docs, clippy::unwrap_used, clippy::print_stdout)]

use hmac::{Hmac, KeyInit, Mac};
use iamauth::{Credentials, RdsTokenRequest, Signer};
use sha2::{Digest, Sha256};
use std::hint::black_box;
use std::time::Instant;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn ns_per_call(n: u64, f: &mut dyn FnMut() -> u8) -> f64 {
    let start = Instant::now();
    let mut sink = 0u8;
    for _ in 0..n {
        sink ^= f();
    }
    black_box(sink);
    start.elapsed().as_nanos() as f64 / n as f64
}

/// `f`, timed `n` calls at a time, from `K` bytes deeper in the stack.
#[inline(never)]
fn at_depth<const K: usize>(n: u64, f: &mut dyn FnMut() -> u8) -> f64 {
    let pad = black_box([0u8; K]);
    let t = ns_per_call(n, f);
    black_box(pad.first().copied());
    t
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn main() {
    let creds = Credentials::new("AKIDEXAMPLE", SECRET, None).unwrap();
    let request = RdsTokenRequest::new(
        "mydb.123456789012.us-east-1.rds.amazonaws.com",
        5432,
        "iam_user",
        "us-east-1",
        1_704_164_645,
    );
    let signer = Signer::new();
    let steps = signer.token_with_steps(&request, &creds).unwrap();
    let keyed = <Hmac<Sha256> as KeyInit>::new_from_slice(&[7u8; 32]).unwrap();
    let mut token = || {
        signer
            .token(black_box(&request), black_box(&creds))
            .unwrap()
            .as_bytes()[300]
    };
    let mut floor = || {
        let hash = Sha256::digest(black_box(steps.canonical_request.as_bytes()));
        let mut mac = keyed.clone();
        mac.update(black_box(steps.string_to_sign.as_bytes()));
        hash[0] ^ mac.finalize().into_bytes()[0]
    };
    let best = |f: &mut dyn FnMut() -> f64| (0..9).map(|_| f()).fold(f64::MAX, f64::min);

    println!("1. stack depth (bytes): ns per token, best of 9 batches of 20,000");
    let n = 20_000;
    let mut line = String::new();
    macro_rules! depths {
        ($($k:literal)*) => {$(
            let t = best(&mut || at_depth::<{ $k * 256 }>(n, &mut token));
            line.push_str(&format!(" {}:{t:.0}", $k * 256));
        )*};
    }
    depths!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
    println!("  {line}");

    println!("2. heap: where 1,000 successive tokens' text starts (address mod 4096)");
    let mut places: Vec<usize> = (0..1000)
        .map(|_| {
            let made = signer.token(&request, &creds).unwrap();
            made.as_ptr() as usize & 0xfff
        })
        .collect();
    places.sort_unstable();
    places.dedup();
    println!(
        "   {} distinct offset(s): {:x?}",
        places.len(),
        &places[..places.len().min(8)]
    );

    println!("3. batch length: min / median / max ns per call over 25 batches");
    for (label, calls) in [("2 ms batches  ", 2_000u64), ("200 ms batches", 200_000)] {
        let mut tokens = Vec::new();
        let mut floors = Vec::new();
        for _ in 0..25 {
            tokens.push(ns_per_call(calls, &mut token));
            floors.push(ns_per_call(calls * 2, &mut floor));
        }
        let (t, f) = (sorted(tokens), sorted(floors));
        println!(
            "   {label}: token {:.0} / {:.0} / {:.0}   floor {:.0} / {:.0} / {:.0}",
            t[0], t[12], t[24], f[0], f[12], f[24]
        );
    }
}
