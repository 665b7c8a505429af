//! `iamauth._native`: the Python binding of the `iamauth` core.
//!
//! It only converts arguments, fills in "now" (and the credentials from the environment when
//! none are given), maps core errors to `IamAuthError` and releases the GIL while signing.
//! Every rule about hosts, ports, users, regions, expiries, times and token layouts is the
//! core's: out-of-range integers are saturated so that the core reports the field's own code.
//! Panics never cross into Python as aborts: pyo3 turns them into `PanicException`.

use iamauth::{CacheService, DsqlAction, ErrorCode};
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString};
use pyo3::{Borrowed, create_exception};
use zeroize::Zeroizing;

create_exception!(
    iamauth,
    IamAuthError,
    PyValueError,
    "An input the core rejects. `.code` is the stable code name (e.g. `INVALID_PORT`), `.message` the text."
);

/// An `IamAuthError` carrying `code` and `message` as attributes; `str()` is `CODE: message`.
fn iam_error(py: Python<'_>, code: ErrorCode, message: &str) -> PyErr {
    named_error(py, code.name(), message)
}

/// The code the C and Java bindings use for text that cannot be UTF-8; in Python that is a
/// `str` holding a lone surrogate.
const INVALID_UTF8: &str = "INVALID_UTF8";

fn named_error(py: Python<'_>, code: &str, message: &str) -> PyErr {
    let err = IamAuthError::new_err(format!("{code}: {message}"));
    let value = err.value(py);
    if let Err(e) = value
        .setattr("code", code)
        .and_then(|()| value.setattr("message", message))
    {
        return e;
    }
    err
}

fn core_error(py: Python<'_>, e: iamauth::Error) -> PyErr {
    iam_error(py, e.code(), e.message())
}

/// The Python type name of `obj`, for TypeError messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |n| n.to_string())
}

/// A Python `str` as UTF-8. Not a `str`: TypeError. A `str` that has no UTF-8 form (a lone
/// surrogate): `IamAuthError` with code `INVALID_UTF8`, as in C and Java.
struct Text(PyBackedStr);

impl<'py> FromPyObject<'_, 'py> for Text {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if !obj.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(format!(
                "expected str, got {}",
                type_name(&obj)
            )));
        }
        obj.extract::<PyBackedStr>().map(Text).map_err(|_| {
            named_error(
                obj.py(),
                INVALID_UTF8,
                "text: must be encodable as UTF-8 (no lone surrogates)",
            )
        })
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// A Python `int` (not `bool`, not `float`, not `str`) as an `i64`. Ints beyond the `i64` range
/// saturate: they are out of every range the core accepts, so the core names the field.
struct Int(i64);

impl<'py> FromPyObject<'_, 'py> for Int {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
            return Err(PyTypeError::new_err(format!(
                "expected int, got {}",
                type_name(&obj)
            )));
        }
        saturating_int(&obj).map(Int)
    }
}

/// A flag must be a real `bool`: `admin="DbConnectAdmin"` or `serverless=1` is a TypeError.
struct Flag(bool);

impl<'py> FromPyObject<'_, 'py> for Flag {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        match obj.cast::<PyBool>() {
            Ok(b) => Ok(Flag(b.is_true())),
            Err(_) => Err(PyTypeError::new_err(format!(
                "expected bool, got {}",
                type_name(&obj)
            ))),
        }
    }
}

/// An `int` as `i64`, saturating beyond the `i64` range (never an `OverflowError`).
fn saturating_int(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    match obj.extract::<i64>() {
        Ok(v) => Ok(v),
        Err(e) if e.is_instance_of::<PyOverflowError>(obj.py()) => {
            Ok(if obj.gt(0)? { i64::MAX } else { i64::MIN })
        }
        Err(e) => Err(e),
    }
}

/// A signing time or `now`: `None` (the clock), an int or float of unix seconds (floats are
/// floored), or an aware `datetime`.
fn unix_time(py: Python<'_>, name: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<i64> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(iamauth::now());
    };
    if obj.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!(
            "{name}: expected None, int, float or an aware datetime, got bool"
        )));
    }
    if obj.is_instance_of::<PyInt>() {
        return saturating_int(obj);
    }
    if obj.is_instance_of::<PyFloat>() {
        let secs: f64 = obj.extract()?;
        if !secs.is_finite() {
            return Err(iam_error(
                py,
                ErrorCode::InvalidTime,
                &format!("{name}: must be a finite number of unix seconds"),
            ));
        }
        // `as` saturates: far-off floats become out-of-range times the core rejects.
        return Ok(secs.floor() as i64);
    }
    let datetime = py.import("datetime")?;
    if obj.is_instance(&datetime.getattr("datetime")?)? {
        if obj.call_method0("utcoffset")?.is_none() {
            return Err(iam_error(
                py,
                ErrorCode::InvalidTime,
                &format!(
                    "{name}: a naive datetime has no time zone; give it a tzinfo (e.g. datetime.timezone.utc)"
                ),
            ));
        }
        // Exact integer seconds (floor): `(dt - epoch) // timedelta(seconds=1)`; the float
        // `dt.timestamp()` can round up to the next second near year 9999.
        let utc = datetime.getattr("timezone")?.getattr("utc")?;
        let epoch = datetime
            .getattr("datetime")?
            .call1((1970, 1, 1, 0, 0, 0, 0, utc))?;
        let second = datetime.getattr("timedelta")?.call1((0, 1))?;
        return saturating_int(&obj.sub(epoch)?.floor_div(second)?);
    }
    Err(PyTypeError::new_err(format!(
        "{name}: expected None, int, float or an aware datetime, got {}",
        type_name(obj)
    )))
}

/// AWS credentials: an access key id, a secret access key and, for temporary credentials,
/// a session token. The secret and token never appear in `repr()`.
#[pyclass(frozen, module = "iamauth", name = "Credentials")]
struct PyCredentials {
    access_key_id: String,
    secret_access_key: Zeroizing<String>,
    session_token: Option<Zeroizing<String>>,
}

#[pymethods]
impl PyCredentials {
    #[new]
    #[pyo3(signature = (access_key_id, secret_access_key, session_token=None))]
    fn new(
        py: Python<'_>,
        access_key_id: Text,
        secret_access_key: Text,
        session_token: Option<Text>,
    ) -> PyResult<Self> {
        let access_key_id = access_key_id.to_owned();
        let secret_access_key = Zeroizing::new(secret_access_key.to_owned());
        let session_token = session_token.map(|t| Zeroizing::new(t.to_owned()));
        // Validate now, so a bad key fails where it is written, not at first use.
        iamauth::Credentials::new(
            &access_key_id,
            &secret_access_key,
            session_token.as_deref().map(String::as_str),
        )
        .map_err(|e| core_error(py, e))?;
        Ok(PyCredentials {
            access_key_id,
            secret_access_key,
            session_token,
        })
    }

    /// The access key id (not secret: every token shows it).
    #[getter]
    fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// Whether a session token is present (its value is not exposed).
    #[getter]
    fn has_session_token(&self) -> bool {
        self.session_token.is_some()
    }

    fn __repr__(&self) -> String {
        let token = if self.session_token.is_some() {
            "'<redacted>'"
        } else {
            "None"
        };
        format!(
            "Credentials(access_key_id='{}', secret_access_key='<redacted>', session_token={token})",
            self.access_key_id
        )
    }
}

/// Credentials as the signer borrows them: from an `iamauth.Credentials` or read once from a
/// botocore-like object or the environment. Owns or borrows only `Send + Sync` data, so it can
/// cross into the GIL-free signing closure.
enum Creds<'a> {
    Ours(&'a PyCredentials),
    Read {
        access_key_id: PyBackedStr,
        secret_access_key: PyBackedStr,
        session_token: Option<PyBackedStr>,
    },
}

impl Creds<'_> {
    fn parts(&self) -> (&str, &str, Option<&str>) {
        match self {
            Creds::Ours(c) => (
                &c.access_key_id,
                &c.secret_access_key,
                c.session_token.as_deref().map(String::as_str),
            ),
            Creds::Read {
                access_key_id,
                secret_access_key,
                session_token,
            } => (access_key_id, secret_access_key, session_token.as_deref()),
        }
    }
}

const CREDENTIALS_TYPES: &str = "credentials: expected iamauth.Credentials, an object with \
    access_key / secret_key / token attributes (botocore credentials) or None";

fn str_attr(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Option<PyBackedStr>> {
    let value = obj
        .getattr(name)
        .map_err(|_| PyTypeError::new_err(format!("{CREDENTIALS_TYPES}; {name} is missing")))?;
    if value.is_none() {
        return Ok(None);
    }
    if !value.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "credentials: {name} must be str, got {}",
            type_name(&value)
        )));
    }
    value.extract::<Text>().map(|t| Some(t.0))
}

fn env_var(environ: &Bound<'_, PyAny>, name: &str) -> PyResult<Option<PyBackedStr>> {
    let value = environ.call_method1("get", (name,))?;
    if value.is_none() {
        return Ok(None);
    }
    value.extract::<Text>().map(|t| Some(t.0))
}

fn missing(py: Python<'_>, what: &str) -> PyErr {
    iam_error(py, ErrorCode::InvalidCredentials, what)
}

/// Resolves the `credentials` argument (see `CREDENTIALS_TYPES`).
fn credentials<'a>(py: Python<'_>, obj: Option<&'a Bound<'_, PyAny>>) -> PyResult<Creds<'a>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        // Read through `os.environ`, which is what Python code (and pytest's monkeypatch) edits.
        let environ = py.import("os")?.getattr("environ")?;
        let access_key_id = env_var(&environ, "AWS_ACCESS_KEY_ID")?.ok_or_else(|| {
            missing(
                py,
                "credentials: none given and AWS_ACCESS_KEY_ID is not set",
            )
        })?;
        let secret_access_key = env_var(&environ, "AWS_SECRET_ACCESS_KEY")?.ok_or_else(|| {
            missing(
                py,
                "credentials: none given and AWS_SECRET_ACCESS_KEY is not set",
            )
        })?;
        // An empty AWS_SESSION_TOKEN means "no session token", as in the AWS CLI.
        let session_token = env_var(&environ, "AWS_SESSION_TOKEN")?.filter(|t| !t.is_empty());
        return Ok(Creds::Read {
            access_key_id,
            secret_access_key,
            session_token,
        });
    };
    if let Ok(ours) = obj.cast::<PyCredentials>() {
        return Ok(Creds::Ours(ours.get()));
    }
    // botocore's (Refreshable)Credentials: take one frozen snapshot so the key id, secret and
    // token come from the same refresh.
    let frozen;
    let source = if obj.hasattr("get_frozen_credentials")? {
        frozen = obj.call_method0("get_frozen_credentials")?;
        &frozen
    } else {
        obj
    };
    let access_key_id = str_attr(source, "access_key")?
        .ok_or_else(|| missing(py, "credentials: access_key is None"))?;
    let secret_access_key = str_attr(source, "secret_key")?
        .ok_or_else(|| missing(py, "credentials: secret_key is None"))?;
    let session_token = str_attr(source, "token")?;
    Ok(Creds::Read {
        access_key_id,
        secret_access_key,
        session_token,
    })
}

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
    signature = (host, port, user, region, credentials=None, *, expires_in=Int(iamauth::DEFAULT_EXPIRY), time=None),
    text_signature = "(host, port, user, region, credentials=None, *, expires_in=900, time=None)"
)]
// The Python signature is the API: its parameters are the keyword arguments users pass.
#[allow(clippy::too_many_arguments)]
fn rds_token(
    py: Python<'_>,
    host: Text,
    port: Int,
    user: Text,
    region: Text,
    credentials: Option<&Bound<'_, PyAny>>,
    expires_in: Int,
    time: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let creds = self::credentials(py, credentials)?;
    let time = unix_time(py, "time", time)?;
    let request = iamauth::RdsToken {
        host: &host,
        port: port.0,
        user: &user,
        region: &region,
        time,
        expires_in: expires_in.0,
    };
    sign(py, &creds, |c| iamauth::rds_token(&request, c))
}

/// An Aurora DSQL authentication token (`DbConnectAdmin` when `admin` is true).
#[pyfunction]
#[pyo3(
    signature = (host, region, credentials=None, *, admin=Flag(false), expires_in=Int(iamauth::DEFAULT_EXPIRY), time=None),
    text_signature = "(host, region, credentials=None, *, admin=False, expires_in=900, time=None)"
)]
fn dsql_token(
    py: Python<'_>,
    host: Text,
    region: Text,
    credentials: Option<&Bound<'_, PyAny>>,
    admin: Flag,
    expires_in: Int,
    time: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let creds = self::credentials(py, credentials)?;
    let time = unix_time(py, "time", time)?;
    let request = iamauth::DsqlToken {
        host: &host,
        region: &region,
        action: if admin.0 {
            DsqlAction::DbConnectAdmin
        } else {
            DsqlAction::DbConnect
        },
        time,
        expires_in: expires_in.0,
    };
    sign(py, &creds, |c| iamauth::dsql_token(&request, c))
}

/// An ElastiCache (`service="elasticache"`) or MemoryDB (`service="memorydb"`) IAM token.
#[pyfunction]
#[pyo3(
    signature = (name, user, region, credentials=None, *, serverless=Flag(false), service=std::borrow::Cow::Borrowed("elasticache"), expires_in=Int(iamauth::DEFAULT_EXPIRY), time=None),
    text_signature = "(name, user, region, credentials=None, *, serverless=False, service='elasticache', expires_in=900, time=None)"
)]
#[allow(clippy::too_many_arguments)] // The Python signature is the API.
fn elasticache_token(
    py: Python<'_>,
    name: Text,
    user: Text,
    region: Text,
    credentials: Option<&Bound<'_, PyAny>>,
    serverless: Flag,
    service: std::borrow::Cow<'_, str>,
    expires_in: Int,
    time: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let service = CacheService::parse(&service).map_err(|e| core_error(py, e))?;
    let creds = self::credentials(py, credentials)?;
    let time = unix_time(py, "time", time)?;
    let request = iamauth::ElastiCacheToken {
        name: &name,
        user: &user,
        region: &region,
        serverless: serverless.0,
        service,
        time,
        expires_in: expires_in.0,
    };
    sign(py, &creds, |c| iamauth::elasticache_token(&request, c))
}

/// What a token grants, to whom and until when, read back from its text; plus whether it is
/// usable at the `now` given to `inspect`.
#[pyclass(frozen, module = "iamauth", name = "TokenInfo", get_all)]
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
fn inspect(py: Python<'_>, token: Text, now: Option<&Bound<'_, PyAny>>) -> PyResult<TokenInfo> {
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
#[pyclass(frozen, module = "iamauth", name = "Identity", get_all)]
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

const KEYS_TYPES: &str = "keys: expected a keys-file JSON str, iamauth.Credentials, a mapping \
    of access key id to credentials, or a callable taking an access key id and returning \
    credentials or None";

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
        return Err(PyTypeError::new_err(KEYS_TYPES));
    };
    Ok(found.filter(|k| !k.is_none()))
}

/// Verifies a token as the database would: recomputes its signature with the signer's key from
/// `keys`, then checks the session token, what it grants (`host`, `port`, `user`, `region`,
/// `service`) and its time at `now` (up to `skew` seconds early). `IamAuthError` with the
/// first failed check's code (`EXPIRED_TOKEN`, `SIGNATURE_MISMATCH`, `WRONG_USER`, ...).
#[pyfunction]
#[pyo3(
    signature = (token, keys, *, host=None, port=None, user=None, region=None, service=None, skew=Int(iamauth::DEFAULT_SKEW), now=None),
    text_signature = "(token, keys, *, host=None, port=None, user=None, region=None, service='rds-db', skew=300, now=None)"
)]
#[allow(clippy::too_many_arguments)]
fn verify(
    py: Python<'_>,
    token: Text,
    keys: &Bound<'_, PyAny>,
    host: Option<Text>,
    port: Option<Int>,
    user: Option<Text>,
    region: Option<Text>,
    service: Option<Text>,
    skew: Int,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Identity> {
    let now = unix_time(py, "now", now)?;
    let port = port
        .map(|p| iamauth::check_port(p.0))
        .transpose()
        .map_err(|e| core_error(py, e))?;
    // A keys file's text (the CLI's and the PAM module's format), read by the core.
    let file = match keys.cast::<PyString>() {
        Ok(text) => {
            Some(iamauth::KeyFile::parse(&text.extract::<Text>()?).map_err(|e| core_error(py, e))?)
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
    let service = service.as_deref().unwrap_or("rds-db");
    let expect = iamauth::Expectations {
        host: host.as_deref(),
        port,
        user: user.as_deref(),
        region: region.as_deref(),
        service,
        skew: skew.0,
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
    expires_in: Int,
    credentials_expiration: Option<&Bound<'_, PyAny>>,
) -> PyResult<i64> {
    if signed_at.is_none() {
        return Err(PyTypeError::new_err(
            "signed_at: expected int, float or an aware datetime, got NoneType",
        ));
    }
    let signed_at = unix_time(py, "signed_at", Some(signed_at))?;
    let limit = match credentials_expiration.filter(|o| !o.is_none()) {
        Some(t) => Some(unix_time(py, "credentials_expiration", Some(t))?),
        None => None,
    };
    Ok(iamauth::refresh_at(signed_at, expires_in.0, limit))
}

/// `value` as whole unix seconds (floats and datetimes floored; an aware datetime only), or the
/// current time for None: how every `time` / `now` argument is read, for clocks in Python code.
#[pyfunction]
#[pyo3(signature = (value=None))]
fn unix_time_of(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<i64> {
    unix_time(py, "time", value)
}

#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("IamAuthError", py.get_type::<IamAuthError>())?;
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
