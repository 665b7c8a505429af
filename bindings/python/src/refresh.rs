//! The token providers' rule, from the core (`python/pyiamauth/providers.py` keeps only the
//! caching, the locking and async): `refresh_at`, `reuse_until`, `may_reuse`, and `unix_time_of`,
//! how every time argument is read.

use iamauth::ErrorCode;
use pyo3::prelude::*;

use crate::args::{self, EXPIRES_IN, unix_time};
use crate::errors::{core_error, type_error};

/// A time that is never implicit (`name`: the argument): unix seconds or an aware datetime, as
/// [`unix_time`] reads them, but None is a wrong type here rather than "now".
fn given_time(py: Python<'_>, name: &str, obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    if obj.is_none() {
        return Err(type_error(
            py,
            ErrorCode::InvalidTime,
            &format!(
                "{name}: expected an int or float of unix seconds, or an aware datetime, got NoneType"
            ),
        ));
    }
    unix_time(py, name, Some(obj))
}

/// `signed_at`, `expires_in` and `credentials_expiration` (None: they do not expire) as the
/// core takes them.
fn token_life(
    py: Python<'_>,
    signed_at: &Bound<'_, PyAny>,
    expires_in: &Bound<'_, PyAny>,
    credentials_expiration: Option<&Bound<'_, PyAny>>,
) -> PyResult<(i64, i64, Option<i64>)> {
    let signed_at = given_time(py, "signed_at", signed_at)?;
    let expires_in = args::int(expires_in, EXPIRES_IN)?;
    let limit = match credentials_expiration.filter(|o| !o.is_none()) {
        Some(t) => Some(unix_time(py, "credentials_expiration", Some(t))?),
        None => None,
    };
    Ok((signed_at, expires_in, limit))
}

/// The unix second from which a token signed at `signed_at`, valid `expires_in` seconds, must
/// no longer be handed out: the core's one refresh rule for token providers (a third of the
/// usable lifetime or a minute before its end, whichever comes first; half-way for lifetimes
/// under two minutes; never past `credentials_expiration`, None: they do not expire). Times are
/// unix seconds or aware datetimes. A result `<= signed_at`: the credentials have expired.
#[pyfunction]
#[pyo3(signature = (signed_at, expires_in, credentials_expiration=None))]
pub(crate) fn refresh_at(
    py: Python<'_>,
    signed_at: &Bound<'_, PyAny>,
    expires_in: &Bound<'_, PyAny>,
    credentials_expiration: Option<&Bound<'_, PyAny>>,
) -> PyResult<i64> {
    let (signed_at, expires_in, limit) =
        token_life(py, signed_at, expires_in, credentials_expiration)?;
    Ok(iamauth::refresh_at(signed_at, expires_in, limit))
}

/// The providers' rule, whole (the core's `reuse_until`): until when a token just signed at
/// `signed_at` may be handed out again, which is `refresh_at`, except that credentials already
/// expired at `signed_at` raise `IamAuthError` `INVALID_CREDENTIALS` (no token made with them
/// would be accepted, so none is cached or returned).
#[pyfunction]
#[pyo3(signature = (signed_at, expires_in, credentials_expiration=None))]
pub(crate) fn reuse_until(
    py: Python<'_>,
    signed_at: &Bound<'_, PyAny>,
    expires_in: &Bound<'_, PyAny>,
    credentials_expiration: Option<&Bound<'_, PyAny>>,
) -> PyResult<i64> {
    let (signed_at, expires_in, limit) =
        token_life(py, signed_at, expires_in, credentials_expiration)?;
    iamauth::reuse_until(signed_at, expires_in, limit).map_err(|e| core_error(py, e))
}

/// Whether a token cached at `signed_at`, reusable until `reuse_until`, may be handed out at
/// `now` (the core's `may_reuse`: a clock that went back before `signed_at` makes a new one).
/// Times are unix seconds or aware datetimes.
#[pyfunction]
pub(crate) fn may_reuse(
    py: Python<'_>,
    now: &Bound<'_, PyAny>,
    signed_at: &Bound<'_, PyAny>,
    reuse_until: &Bound<'_, PyAny>,
) -> PyResult<bool> {
    let now = given_time(py, "now", now)?;
    let signed_at = given_time(py, "signed_at", signed_at)?;
    let reuse_until = given_time(py, "reuse_until", reuse_until)?;
    Ok(iamauth::may_reuse(now, signed_at, reuse_until))
}

/// `value` as whole unix seconds (floats and datetimes floored; an aware datetime only), or the
/// current time for None: how every `time` / `now` argument is read, for clocks in Python code.
/// `name` is the argument's name in messages.
#[pyfunction]
#[pyo3(signature = (value=None, name=None))]
pub(crate) fn unix_time_of(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    name: Option<pyo3::pybacked::PyBackedStr>,
) -> PyResult<i64> {
    unix_time(py, name.as_deref().unwrap_or("time"), value)
}
