//! `pyiamauth._native`: the Python binding of the `iamauth` core.
//!
//! It only converts arguments (`args`: a wrong Python type is an `IamAuthTypeError` under the
//! argument's code), fills in "now" (and the credentials from the environment when none are
//! given, `credentials`), maps core errors to `IamAuthError` (`errors`) and releases the GIL
//! while signing. Every rule about hosts, ports, users, regions, expiries, times and token
//! layouts is the core's: out-of-range integers are saturated so that the core reports the
//! field's own code. Panics never cross into Python as aborts: pyo3 turns them into
//! `PanicException`.

mod args;
mod credentials;
mod errors;

use args::{
    ADMIN, CACHE_ARGS, DSQL_ARGS, EXPIRES_IN, HOST, KEYS, Kw, NAME, PORT, RDS_ARGS, REGION,
    SERVERLESS, SERVICE, SKEW, TOKEN, USER, unix_time,
};
use credentials::{Creds, PyCredentials, credentials};
use errors::{IamAuthError, core_error, type_error};
use iamauth::{CacheService, DsqlAction, ErrorCode};
use pyo3::prelude::*;
use pyo3::types::PyString;

/// Signs with the GIL released: the core's process-wide key cache is thread-safe.
fn sign(
    py: Python<'_>,
    creds: &Creds<'_>,
    f: impl FnOnce(&iamauth::Credentials<'_>) -> iamauth::Result<String> + Send,
) -> PyResult<String> {
    py.detach(|| {
        let (access_key_id, secret_access_key, session_token) = creds.parts();
        let creds = iamauth::Credentials::new(access_key_id, secret_access_key, session_token)?;
        f(&creds)
    })
    .map_err(|e| core_error(py, e))
}

/// An RDS / Aurora IAM authentication token (what `aws rds generate-db-auth-token` prints).
#[pyfunction]
#[pyo3(
    signature = (host, port, user, region, credentials=None, *, expires_in=Kw::Unset, time=None),
    text_signature = "(host, port, user, region, credentials=None, *, expires_in=900, time=None)"
)]
// The Python signature is the API: its parameters are the keyword arguments users pass.
#[allow(clippy::too_many_arguments)]
fn rds_token(
    py: Python<'_>,
    host: &Bound<'_, PyAny>,
    port: &Bound<'_, PyAny>,
    user: &Bound<'_, PyAny>,
    region: &Bound<'_, PyAny>,
    credentials: Option<&Bound<'_, PyAny>>,
    expires_in: Kw<'_>,
    time: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let host = args::text(host, HOST.of(RDS_ARGS))?;
    let port = args::int(port, PORT.of(RDS_ARGS))?;
    let user = args::text(user, USER.of(RDS_ARGS))?;
    let region = args::text(region, REGION.of(RDS_ARGS))?;
    let expires_in = expires_in.int_or(EXPIRES_IN, iamauth::DEFAULT_EXPIRY)?;
    let creds = self::credentials(py, credentials)?;
    let time = unix_time(py, "time", time)?;
    let request = iamauth::RdsTokenRequest {
        host: &host,
        port,
        user: &user,
        region: &region,
        time,
        expires_in,
    };
    sign(py, &creds, |c| iamauth::rds_token(&request, c))
}

/// An Aurora DSQL authentication token (`DbConnectAdmin` when `admin` is true).
#[pyfunction]
#[pyo3(
    signature = (host, region, credentials=None, *, admin=Kw::Unset, expires_in=Kw::Unset, time=None),
    text_signature = "(host, region, credentials=None, *, admin=False, expires_in=900, time=None)"
)]
fn dsql_token(
    py: Python<'_>,
    host: &Bound<'_, PyAny>,
    region: &Bound<'_, PyAny>,
    credentials: Option<&Bound<'_, PyAny>>,
    admin: Kw<'_>,
    expires_in: Kw<'_>,
    time: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let host = args::text(host, HOST.of(DSQL_ARGS))?;
    let region = args::text(region, REGION.of(DSQL_ARGS))?;
    let admin = admin.flag_or(ADMIN, false)?;
    let expires_in = expires_in.int_or(EXPIRES_IN, iamauth::DEFAULT_EXPIRY)?;
    let creds = self::credentials(py, credentials)?;
    let time = unix_time(py, "time", time)?;
    let request = iamauth::DsqlTokenRequest {
        host: &host,
        region: &region,
        action: if admin {
            DsqlAction::DbConnectAdmin
        } else {
            DsqlAction::DbConnect
        },
        time,
        expires_in,
    };
    sign(py, &creds, |c| iamauth::dsql_token(&request, c))
}

/// An ElastiCache (`service="elasticache"`) or MemoryDB (`service="memorydb"`) IAM token.
#[pyfunction]
#[pyo3(
    signature = (name, user, region, credentials=None, *, serverless=Kw::Unset, service=Kw::Unset, expires_in=Kw::Unset, time=None),
    text_signature = "(name, user, region, credentials=None, *, serverless=False, service='elasticache', expires_in=900, time=None)"
)]
#[allow(clippy::too_many_arguments)] // The Python signature is the API.
fn elasticache_token(
    py: Python<'_>,
    name: &Bound<'_, PyAny>,
    user: &Bound<'_, PyAny>,
    region: &Bound<'_, PyAny>,
    credentials: Option<&Bound<'_, PyAny>>,
    serverless: Kw<'_>,
    service: Kw<'_>,
    expires_in: Kw<'_>,
    time: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let name = args::text(name, NAME.of(CACHE_ARGS))?;
    let user = args::text(user, USER.of(CACHE_ARGS))?;
    let region = args::text(region, REGION.of(CACHE_ARGS))?;
    let serverless = serverless.flag_or(SERVERLESS, false)?;
    // Not given: the core's default service (ElastiCache).
    let service = match service.text(SERVICE)? {
        Some(s) => CacheService::parse(&s).map_err(|e| core_error(py, e))?,
        None => CacheService::default(),
    };
    let expires_in = expires_in.int_or(EXPIRES_IN, iamauth::DEFAULT_EXPIRY)?;
    let creds = self::credentials(py, credentials)?;
    let time = unix_time(py, "time", time)?;
    let request = iamauth::ElastiCacheTokenRequest {
        name: &name,
        user: &user,
        region: &region,
        serverless,
        service,
        time,
        expires_in,
    };
    sign(py, &creds, |c| iamauth::elasticache_token(&request, c))
}

/// What a token grants, to whom and until when, read back from its text; plus whether it is
/// usable at the `now` given to `inspect`.
#[pyclass(frozen, module = "pyiamauth", name = "TokenInfo", get_all)]
struct TokenInfo {
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

/// Reads a token back (`MALFORMED_TOKEN` if it is not one) and judges it at `now`.
#[pyfunction]
#[pyo3(signature = (token, *, now=None))]
fn inspect(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<TokenInfo> {
    let token = args::text(token, TOKEN)?;
    let now = unix_time(py, "now", now)?;
    let info = iamauth::inspect(&token).map_err(|e| core_error(py, e))?;
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

/// Who signed a verified token and what it grants.
#[pyclass(frozen, module = "pyiamauth", name = "Identity", get_all)]
struct Identity {
    kind: &'static str,
    access_key_id: String,
    user: Option<String>,
    action: String,
    host: String,
    port: Option<u16>,
    region: String,
    service: String,
    signed_at: i64,
    expires_at: i64,
}

#[pymethods]
impl Identity {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let t = slf.get();
        let py = slf.py();
        let r = |v: &str| -> PyResult<String> { Ok(PyString::new(py, v).repr()?.to_string()) };
        let user = match &t.user {
            Some(u) => r(u)?,
            None => "None".to_owned(),
        };
        Ok(format!(
            "Identity(kind={}, access_key_id={}, user={user}, action={}, host={}, port={}, \
             region={}, service={}, signed_at={}, expires_at={})",
            r(t.kind)?,
            r(&t.access_key_id)?,
            r(&t.action)?,
            r(&t.host)?,
            t.port.map_or_else(|| "None".to_owned(), |p| p.to_string()),
            r(&t.region)?,
            r(&t.service)?,
            t.signed_at,
            t.expires_at,
        ))
    }
}

const KEYS_TYPES: &str = "a keys file's JSON str, pyiamauth.Credentials, a mapping of access key \
    id to credentials, or a callable taking an access key id and returning credentials or None";

/// The key `keys` gives for `access_key_id`: `keys` is one `Credentials`, a mapping, or a
/// callable; its value any credentials form `credentials` accepts (None: unknown).
fn lookup_key<'py>(
    keys: &Bound<'py, PyAny>,
    access_key_id: &str,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let found = if keys.cast::<PyCredentials>().is_ok() {
        Some(keys.clone())
    } else if keys.is_callable() {
        Some(keys.call1((access_key_id,))?)
    } else if keys.hasattr("get")? {
        Some(keys.call_method1("get", (access_key_id,))?)
    } else {
        return Err(type_error(
            keys.py(),
            ErrorCode::InvalidCredentials,
            &format!("keys: expected {KEYS_TYPES}, got {}", args::type_name(keys)),
        ));
    };
    Ok(found.filter(|k| !k.is_none()))
}

/// Verifies a token as the database would: recomputes its signature with the signer's key from
/// `keys`, then checks the session token, what it grants (`host`, `port`, `user`, `region`,
/// `service`) and its time at `now` (up to `skew` seconds early). `IamAuthError` with the
/// first failed check's code (`EXPIRED_TOKEN`, `SIGNATURE_MISMATCH`, `WRONG_USER`, ...).
#[pyfunction]
#[pyo3(
    signature = (token, keys, *, host=None, port=None, user=None, region=None, service=None, skew=Kw::Unset, now=None),
    text_signature = "(token, keys, *, host=None, port=None, user=None, region=None, service='rds-db', skew=300, now=None)"
)]
#[allow(clippy::too_many_arguments)]
fn verify(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
    keys: &Bound<'_, PyAny>,
    host: Option<&Bound<'_, PyAny>>,
    port: Option<&Bound<'_, PyAny>>,
    user: Option<&Bound<'_, PyAny>>,
    region: Option<&Bound<'_, PyAny>>,
    service: Option<&Bound<'_, PyAny>>,
    skew: Kw<'_>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Identity> {
    let token = args::text(token, TOKEN)?;
    let host = args::optional_text(host, HOST)?;
    let port = args::optional_int(port, PORT)?;
    let user = args::optional_text(user, USER)?;
    let region = args::optional_text(region, REGION)?;
    let service = args::optional_text(service, SERVICE)?;
    let defaults = iamauth::Expectations::default();
    let skew = skew.int_or(SKEW, defaults.skew)?;
    let now = unix_time(py, "now", now)?;
    let port = port
        .map(iamauth::check_port)
        .transpose()
        .map_err(|e| core_error(py, e))?;
    // A keys file's text (the CLI's and the PAM module's format), read by the core.
    let file = match keys.cast::<PyString>() {
        Ok(text) => {
            Some(iamauth::KeyFile::parse(&args::text(text, KEYS)?).map_err(|e| core_error(py, e))?)
        }
        Err(_) => None,
    };
    // Otherwise the key is looked up (in Python) for the access key id the token names; the
    // core then runs every check in its own order, this key standing in for "the keys".
    let akid = iamauth::inspect(&token)
        .ok()
        .map(|i| i.access_key_id.to_owned());
    let found = match (&file, &akid) {
        (None, Some(akid)) => lookup_key(keys, akid)?,
        _ => None,
    };
    let key = match &found {
        Some(k) => Some(credentials(py, Some(k))?),
        None => None,
    };
    let expect = iamauth::Expectations {
        host: host.as_deref(),
        port,
        user: user.as_deref(),
        region: region.as_deref(),
        service: service.as_deref(),
        skew,
    };
    let who = py
        .detach(|| {
            let parts = key.as_ref().map(Creds::parts);
            iamauth::verify(
                &token,
                |a| match &file {
                    Some(file) => file.get(a),
                    None => parts
                        .filter(|(id, _, _)| *id == a)
                        .map(|(_, secret, session)| iamauth::VerifyKey {
                            secret_access_key: secret,
                            session_token: session,
                        }),
                },
                &expect,
                now,
            )
            .map(|who| Identity {
                kind: who.kind.as_str(),
                access_key_id: who.access_key_id.to_owned(),
                user: who.user.map(|u| u.into_owned()),
                action: who.action.to_owned(),
                host: who.host.to_owned(),
                port: who.port,
                region: who.region.to_owned(),
                service: who.service.to_owned(),
                signed_at: who.signed_at,
                expires_at: who.expires_at,
            })
        })
        .map_err(|e| core_error(py, e))?;
    Ok(who)
}

/// The unix second from which a token signed at `signed_at`, valid `expires_in` seconds, must
/// no longer be handed out: the core's one refresh rule for token providers (a third of the
/// usable lifetime or a minute before its end, whichever comes first; half-way for lifetimes
/// under two minutes; never past `credentials_expiration`, None: they do not expire). Times are
/// unix seconds or aware datetimes. A result `<= signed_at`: the credentials have expired.
#[pyfunction]
#[pyo3(signature = (signed_at, expires_in, credentials_expiration=None))]
fn refresh_at(
    py: Python<'_>,
    signed_at: &Bound<'_, PyAny>,
    expires_in: &Bound<'_, PyAny>,
    credentials_expiration: Option<&Bound<'_, PyAny>>,
) -> PyResult<i64> {
    if signed_at.is_none() {
        // None is "now" elsewhere, but a signing time is never implicit here.
        return Err(type_error(
            py,
            ErrorCode::InvalidTime,
            "signed_at: expected an int or float of unix seconds, or an aware datetime, got NoneType",
        ));
    }
    let signed_at = unix_time(py, "signed_at", Some(signed_at))?;
    let expires_in = args::int(expires_in, EXPIRES_IN)?;
    let limit = match credentials_expiration.filter(|o| !o.is_none()) {
        Some(t) => Some(unix_time(py, "credentials_expiration", Some(t))?),
        None => None,
    };
    Ok(iamauth::refresh_at(signed_at, expires_in, limit))
}

/// `value` as whole unix seconds (floats and datetimes floored; an aware datetime only), or the
/// current time for None: how every `time` / `now` argument is read, for clocks in Python code.
/// `name` is the argument's name in messages.
#[pyfunction]
#[pyo3(signature = (value=None, name=None))]
fn unix_time_of(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    name: Option<pyo3::pybacked::PyBackedStr>,
) -> PyResult<i64> {
    unix_time(py, name.as_deref().unwrap_or("time"), value)
}

#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("IamAuthError", py.get_type::<IamAuthError>())?;
    m.add("IamAuthTypeError", errors::type_error_class(py)?)?;
    m.add_class::<PyCredentials>()?;
    m.add_class::<TokenInfo>()?;
    m.add_function(wrap_pyfunction!(rds_token, m)?)?;
    m.add_function(wrap_pyfunction!(dsql_token, m)?)?;
    m.add_function(wrap_pyfunction!(elasticache_token, m)?)?;
    m.add_function(wrap_pyfunction!(inspect, m)?)?;
    m.add_class::<Identity>()?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(refresh_at, m)?)?;
    m.add_function(wrap_pyfunction!(unix_time_of, m)?)?;
    Ok(())
}
