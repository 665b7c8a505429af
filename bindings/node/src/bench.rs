//! Bench-only (feature `bench`, which `npm run build:bench` and `tests/js/test.sh --bench` turn
//! on; never in a published addon, not in the .d.ts): `__benchCoreRdsToken`, the core making the
//! same warm RDS token in a Rust loop inside this addon, so tests/js/bench.mjs can time
//! `rdsToken` beside it in one process.

use crate::text::{Secret, Text};
use crate::{Code, js_error};
use iamauth::{Credentials, RdsTokenRequest, Signer};
use iamauth_js_native::int;
use napi_derive::napi;
use std::hint::black_box;

/// Makes `n` RDS tokens with `Signer::shared()` (the signer `rdsToken` uses) from `rdsToken`'s
/// native arguments (no session token), converted and validated once before the loop, as a Rust
/// caller holding them would. Returns the tokens' total length.
#[napi(js_name = "__benchCoreRdsToken", catch_unwind)]
#[allow(clippy::too_many_arguments)] // rdsToken's native arguments, plus n
pub fn bench_core_rds_token(
    host: Text,
    port: f64,
    user: Text,
    region: Text,
    access_key_id: Text,
    secret_access_key: Secret,
    time: f64,
    n: u32,
) -> napi::Result<f64, Code> {
    let request = RdsTokenRequest::new(&host, int(port), &user, &region, int(time));
    let creds = Credentials::new(&access_key_id, &secret_access_key, None).map_err(js_error)?;
    let signer = Signer::shared();
    let mut total = 0usize;
    for _ in 0..n {
        let token = signer
            .token(black_box(&request), black_box(&creds))
            .map_err(js_error)?;
        total += black_box(token).len();
    }
    Ok(total as f64)
}
