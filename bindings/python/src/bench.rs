//! Bench-only (feature `bench`, which `test.sh --bench` turns on; never in a shipped wheel, not in
//! the `.pyi`): `_bench_core_rds_token`, the core making the same warm RDS token in a Rust loop
//! inside this module, so `bench.py` can time `pyiamauth.rds_token` beside it in one process.

use pyo3::prelude::*;
use std::hint::black_box;

use crate::args::{self, HOST, PORT, RDS_ARGS, REGION, USER, unix_time};
use crate::credentials::credentials;
use crate::errors::core_error;

/// Makes `n` RDS tokens with `iamauth::rds_token` (the process-wide signer `rds_token` uses) from
/// `rds_token`'s arguments, converted and validated once before the loop (as a Rust caller holding
/// them would), with the GIL released for the whole loop. Returns the tokens' total length.
#[pyfunction]
#[pyo3(signature = (host, port, user, region, credentials, time, n))]
#[allow(clippy::too_many_arguments)] // rds_token's arguments, plus n
pub(crate) fn _bench_core_rds_token(
    py: Python<'_>,
    host: &Bound<'_, PyAny>,
    port: &Bound<'_, PyAny>,
    user: &Bound<'_, PyAny>,
    region: &Bound<'_, PyAny>,
    credentials: &Bound<'_, PyAny>,
    time: &Bound<'_, PyAny>,
    n: u64,
) -> PyResult<u64> {
    let host = args::text(host, HOST.of(RDS_ARGS))?;
    let port = args::int(port, PORT.of(RDS_ARGS))?;
    let user = args::text(user, USER.of(RDS_ARGS))?;
    let region = args::text(region, REGION.of(RDS_ARGS))?;
    let creds = self::credentials(py, Some(credentials))?;
    let time = unix_time(py, "time", Some(time))?;
    let request = iamauth::RdsTokenRequest::new(&host, port, &user, &region, time);
    py.detach(|| {
        let (access_key_id, secret_access_key, session_token) = creds.parts();
        let signer = iamauth::Credentials::new(access_key_id, secret_access_key, session_token)?;
        let mut total = 0u64;
        for _ in 0..n {
            let token = iamauth::rds_token(black_box(&request), black_box(&signer))?;
            total += black_box(token).len() as u64;
        }
        Ok(total)
    })
    .map_err(|e| core_error(py, e))
}
