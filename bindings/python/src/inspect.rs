//! `inspect`: a token read back, and judged at `now`.

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::args::{self, TOKEN, unix_time};
use crate::errors::core_error;

/// What a token grants, to whom and until when, read back from its text; plus whether it is
/// usable at the `now` given to `inspect`.
#[pyclass(frozen, module = "pyiamauth", name = "TokenInfo", get_all)]
pub(crate) struct TokenInfo {
    kind: &'static str,
    host: String,
    port: Option<u16>,
    user: Option<String>,
    action: String,
    serverless: bool,
    region: String,
    service: String,
    access_key_id: String,
    signed_at: i64,
    expires_in: u32,
    expires_at: i64,
    has_session_token: bool,
    signature: String,
    status: &'static str,
    seconds_left: Option<i64>,
    seconds_ago: Option<i64>,
    starts_in: Option<i64>,
}

#[pymethods]
impl TokenInfo {
    /// Every field but the signature (with the other fields it would rebuild the token).
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let t = slf.get();
        let py = slf.py();
        let r = |v: &str| -> PyResult<String> { Ok(PyString::new(py, v).repr()?.to_string()) };
        let opt_int = |v: Option<i64>| v.map_or_else(|| "None".to_owned(), |v| v.to_string());
        let user = match &t.user {
            Some(u) => r(u)?,
            None => "None".to_owned(),
        };
        let py_bool = |b: bool| if b { "True" } else { "False" };
        Ok(format!(
            "TokenInfo(kind={}, host={}, port={}, user={user}, action={}, serverless={}, \
             region={}, service={}, access_key_id={}, signed_at={}, expires_in={}, \
             expires_at={}, has_session_token={}, status={}, seconds_left={}, seconds_ago={}, \
             starts_in={})",
            r(t.kind)?,
            r(&t.host)?,
            t.port.map_or_else(|| "None".to_owned(), |p| p.to_string()),
            r(&t.action)?,
            py_bool(t.serverless),
            r(&t.region)?,
            r(&t.service)?,
            r(&t.access_key_id)?,
            t.signed_at,
            t.expires_in,
            t.expires_at,
            py_bool(t.has_session_token),
            r(t.status)?,
            opt_int(t.seconds_left),
            opt_int(t.seconds_ago),
            opt_int(t.starts_in),
        ))
    }
}

/// Reads a token back (`MALFORMED_TOKEN` if it is not one; EKS and MSK tokens are decoded
/// first) and judges it at `now`.
#[pyfunction]
#[pyo3(signature = (token, *, now=None))]
pub(crate) fn inspect(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<TokenInfo> {
    let token = args::text(token, TOKEN)?;
    let now = unix_time(py, "now", now)?;
    // EKS and MSK tokens carry their presigned URL in base64: the core reads the decoded text.
    let text = iamauth::decode_token(&token);
    let info = iamauth::inspect(&text).map_err(|e| core_error(py, e))?;
    let validity = info.validity(now).map_err(|e| core_error(py, e))?;
    let (seconds_left, seconds_ago, starts_in) = match validity {
        iamauth::Validity::Valid { seconds_left } => (Some(seconds_left), None, None),
        iamauth::Validity::Expired { seconds_ago, .. } => (None, Some(seconds_ago), None),
        iamauth::Validity::NotYetValid { starts_in } => (None, None, Some(starts_in)),
    };
    Ok(TokenInfo {
        kind: info.kind.as_str(),
        host: info.host.to_owned(),
        port: info.port,
        user: info.user.map(|u| u.into_owned()),
        action: info.action.to_owned(),
        serverless: info.serverless,
        region: info.region.to_owned(),
        service: info.service.to_owned(),
        access_key_id: info.access_key_id.to_owned(),
        signed_at: info.signed_at,
        expires_in: info.expires_in,
        expires_at: info.expires_at,
        has_session_token: info.has_session_token,
        signature: info.signature.to_owned(),
        status: validity.as_str(),
        seconds_left,
        seconds_ago,
        starts_in,
    })
}
