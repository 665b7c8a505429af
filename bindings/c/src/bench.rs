//! Bench-only (feature `bench`, which `bindings/c/bench/run.sh` and the Java `--bench` build turn
//! on; never in a shipped library, never in the header): the core making the same warm RDS token
//! in a Rust loop inside this library, so a benchmark can time the C ABI (and JNI over it) and
//! the core side by side in one process. Overhead = a binding's call - this loop's time / n.

use crate::panic::guard;
use crate::types::iamauth_credentials;
use core::ffi::c_char;
use std::hint::black_box;

/// Makes `n` RDS tokens with the core directly (`iamauth::rds_token`, the process-wide signer the
/// C functions use), from the same arguments as `iamauth_rds_token`: the strings are read and the
/// credentials validated once, before the loop, as a Rust caller holding them would. Returns the
/// total length of the `n` tokens (the caller checks it against n x the expected length), or -1
/// when the arguments or a signing fail.
///
/// # Safety
/// As `iamauth_rds_token` (without the output buffer).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // iamauth_rds_token's arguments, plus n
#[allow(unreachable_pub)] // exported to C (and JNI), not to Rust
pub unsafe extern "C" fn iamauth_bench_core_rds_token(
    host: *const c_char,
    host_len: usize,
    port: i64,
    user: *const c_char,
    user_len: usize,
    region: *const c_char,
    region_len: usize,
    expires_in: i64,
    time: i64,
    credentials: *const iamauth_credentials,
    n: u64,
) -> i64 {
    guard(-1, || {
        // SAFETY: the caller's strings and credentials are readable for this call, per this
        // function's contract (and so for the block below).
        let Ok(creds) = (unsafe { crate::types::credentials(credentials) }) else {
            return -1;
        };
        // SAFETY: as above.
        let request = unsafe {
            crate::tokens::rds_request(
                host, host_len, port, user, user_len, region, region_len, expires_in, time,
            )
        };
        let Ok(request) = request else {
            return -1;
        };
        let mut total = 0i64;
        for _ in 0..n {
            match iamauth::rds_token(black_box(&request), black_box(&creds)) {
                Ok(token) => total += black_box(token).len() as i64,
                Err(_) => return -1,
            }
        }
        total
    })
}
