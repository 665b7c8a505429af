//! `pyiamauth._native`: the Python binding of the `iamauth` core.
//!
//! It only converts arguments (`args`: a wrong Python type is an `IamAuthTypeError` under the
//! argument's code), fills in "now" (and the credentials from the environment when none are
//! given, read by the core: `credentials`; or by the `iamauth-credentials` chain: `chain`), maps core errors to `IamAuthError` (`errors`) and
//! releases the GIL while signing. Every rule about hosts, ports, users, regions, expiries,
//! times, token layouts, defaults and when a provider may reuse a token is the core's:
//! out-of-range integers are saturated so that the core reports the field's own code. Panics
//! never cross into Python as aborts: pyo3 turns them into `PanicException`.
//!
//! Modules: `tokens` (the signing functions), `inspect`, `verify`, `refresh` (the token
//! providers' rule and `unix_time_of`), `credentials`, `chain` (`CredentialChain`), `args` (conversions), `errors` (the
//! exception classes and `ERROR_CODES`).

mod args;
#[cfg(feature = "bench")]
mod bench;
mod chain;
mod credentials;
mod errors;
mod inspect;
mod refresh;
mod tokens;
mod verify;

use pyo3::prelude::*;

#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The core's defaults, under the names the text signatures show.
    m.add("DEFAULT_EXPIRES_IN", iamauth::DEFAULT_EXPIRY)?;
    m.add("DEFAULT_SKEW", iamauth::DEFAULT_SKEW)?;
    m.add("DEFAULT_SERVICE", iamauth::DEFAULT_SERVICE)?;
    m.add("MSK_USER_AGENT", iamauth::MSK_USER_AGENT)?;
    m.add(
        "EXEC_CREDENTIAL_API_VERSION",
        tokens::EXEC_CREDENTIAL_API_VERSION,
    )?;
    m.add("ERROR_CODES", errors::error_codes(py)?)?;
    m.add("IamAuthError", py.get_type::<errors::IamAuthError>())?;
    m.add("IamAuthTypeError", errors::type_error_class(py)?)?;
    m.add_class::<credentials::PyCredentials>()?;
    m.add_class::<chain::CredentialChain>()?;
    m.add_class::<inspect::TokenInfo>()?;
    m.add_function(wrap_pyfunction!(tokens::rds_token, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::dsql_token, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::elasticache_token, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::eks_token, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::eks_exec_credential, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::msk_token, m)?)?;
    m.add_function(wrap_pyfunction!(inspect::inspect, m)?)?;
    m.add_class::<verify::Identity>()?;
    m.add_function(wrap_pyfunction!(verify::verify, m)?)?;
    m.add_function(wrap_pyfunction!(refresh::refresh_at, m)?)?;
    m.add_function(wrap_pyfunction!(refresh::reuse_until, m)?)?;
    m.add_function(wrap_pyfunction!(refresh::may_reuse, m)?)?;
    m.add_function(wrap_pyfunction!(refresh::unix_time_of, m)?)?;
    // Set, not added: `add_function` would list it in `__all__` (and so in stubtest's view).
    #[cfg(feature = "bench")]
    m.setattr(
        "_bench_core_rds_token",
        wrap_pyfunction!(bench::_bench_core_rds_token, m)?,
    )?;
    Ok(())
}
