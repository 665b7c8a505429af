//! Arguments from Python objects to what the core takes. A wrong Python type is an
//! `IamAuthTypeError` under the argument's own code, with a message that names the argument, the
//! type expected, the type received (its name only: the value may be a secret) and the fix.
//! Values of the right type are the core's to judge. One rule in every language: a port (and
//! every other integer) is an `int`, never a `str` such as `"5432"`, nor a `bool`.

use iamauth::ErrorCode;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyFloat, PyInt, PyString};

use crate::chain::CredentialChain;
use crate::credentials::PyCredentials;
use crate::errors::{iam_error, type_error};

/// One argument of a public function: its name as callers write it, the code its mistakes are
/// reported under, and, for a positional argument, the function's positional parameters (said
/// when credentials land in it: an argument was left out before them).
#[derive(Clone, Copy)]
pub(crate) struct Field {
    name: &'static str,
    code: ErrorCode,
    order: Option<&'static str>,
}

impl Field {
    pub(crate) const fn new(name: &'static str, code: ErrorCode) -> Field {
        Field {
            name,
            code,
            order: None,
        }
    }

    /// This argument as a positional one of a function whose parameters are `order`.
    pub(crate) const fn of(self, order: &'static str) -> Field {
        Field {
            order: Some(order),
            ..self
        }
    }
}

pub(crate) const HOST: Field = Field::new("host", ErrorCode::InvalidHost);
/// The ElastiCache / MemoryDB cache name follows the host rule (and code).
pub(crate) const NAME: Field = Field::new("name", ErrorCode::InvalidHost);
pub(crate) const PORT: Field = Field::new("port", ErrorCode::InvalidPort);
pub(crate) const USER: Field = Field::new("user", ErrorCode::InvalidUser);
pub(crate) const REGION: Field = Field::new("region", ErrorCode::InvalidRegion);
pub(crate) const EXPIRES_IN: Field = Field::new("expires_in", ErrorCode::InvalidExpiry);
pub(crate) const SKEW: Field = Field::new("skew", ErrorCode::InvalidTime);
pub(crate) const ADMIN: Field = Field::new("admin", ErrorCode::InvalidAction);
/// `verify`'s expected action (`DbConnect` / `DbConnectAdmin`).
pub(crate) const ACTION: Field = Field::new("action", ErrorCode::InvalidAction);
pub(crate) const SERVERLESS: Field = Field::new("serverless", ErrorCode::InvalidRequest);
pub(crate) const SERVICE: Field = Field::new("service", ErrorCode::InvalidService);
/// The EKS cluster name (`x-k8s-aws-id`).
pub(crate) const CLUSTER: Field = Field::new("cluster", ErrorCode::InvalidCluster);
/// `regional` or `global` (the core's `StsEndpoint`).
pub(crate) const STS_ENDPOINT: Field = Field::new("sts_endpoint", ErrorCode::InvalidRequest);
/// The MSK token's unsigned User-Agent.
pub(crate) const USER_AGENT: Field = Field::new("user_agent", ErrorCode::InvalidUserAgent);
/// The Kubernetes `ExecCredential` apiVersion.
pub(crate) const API_VERSION: Field = Field::new("api_version", ErrorCode::InvalidRequest);
pub(crate) const TOKEN: Field = Field::new("token", ErrorCode::MalformedToken);
/// `verify`'s keys, as in every binding.
pub(crate) const KEYS: Field = Field::new("keys", ErrorCode::InvalidCredentials);
pub(crate) const ACCESS_KEY_ID: Field = Field::new("access_key_id", ErrorCode::InvalidCredentials);
pub(crate) const SECRET_ACCESS_KEY: Field =
    Field::new("secret_access_key", ErrorCode::InvalidCredentials);
pub(crate) const SESSION_TOKEN: Field = Field::new("session_token", ErrorCode::InvalidCredentials);

/// The positional parameters of each function, for the "was an argument left out?" hint.
pub(crate) const RDS_ARGS: &str = "host, port, user, region, credentials";
pub(crate) const DSQL_ARGS: &str = "host, region, credentials";
pub(crate) const CACHE_ARGS: &str = "name, user, region, credentials";
pub(crate) const EKS_ARGS: &str = "cluster, region, credentials";
pub(crate) const MSK_ARGS: &str = "region, credentials";
pub(crate) const CREDENTIALS_ARGS: &str = "access_key_id, secret_access_key, session_token";

/// The Python type name of `obj`: what messages say instead of the value.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |n| n.to_string())
}

/// `pyiamauth.Credentials`, `pyiamauth.CredentialChain` or a botocore-like credentials object.
/// Looks at the class, not the instance: reading `access_key` on botocore's
/// RefreshableCredentials may refresh them.
pub(crate) fn looks_like_credentials(obj: &Bound<'_, PyAny>) -> bool {
    if obj.cast::<PyCredentials>().is_ok() || obj.cast::<CredentialChain>().is_ok() {
        return true;
    }
    let class = obj.get_type();
    ["get_frozen_credentials", "access_key", "secret_key"]
        .iter()
        .any(|attr| class.hasattr(*attr).unwrap_or(false))
}

/// The wrong-type error for `field`: `port: expected an int, got str; convert it with int(...)`.
/// `shifted`: the value looks like the next argument's (credentials always do), so the fix is
/// likely the argument left out before it.
fn wrong_type(
    obj: &Bound<'_, PyAny>,
    field: Field,
    expected: &str,
    fix: Option<&str>,
    shifted: bool,
) -> PyErr {
    let got = type_name(obj);
    let name = field.name;
    let hint = match field.order {
        Some(order) if shifted || looks_like_credentials(obj) => {
            format!("; was the {name} left out? The arguments are {order}, in this order")
        }
        _ => fix.map(|f| format!("; {f}")).unwrap_or_default(),
    };
    type_error(
        obj.py(),
        field.code,
        &format!("{name}: expected {expected}, got {got}{hint}"),
    )
}

/// A `str` as UTF-8. A `str` with no UTF-8 form (a lone surrogate) is the core's `INVALID_UTF8`,
/// as in C and Java.
pub(crate) fn text(obj: &Bound<'_, PyAny>, field: Field) -> PyResult<PyBackedStr> {
    if !obj.is_instance_of::<PyString>() {
        let fix = (obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>())
            .then_some("decode it first, e.g. value.decode()");
        return Err(wrong_type(obj, field, "a str", fix, false));
    }
    obj.extract::<PyBackedStr>().map_err(|_| {
        iam_error(
            obj.py(),
            ErrorCode::InvalidUtf8,
            &format!(
                "{}: must be encodable as UTF-8 (no lone surrogates)",
                field.name
            ),
        )
    })
}

/// A `str` argument as UTF-8, borrowed from the `str` itself where the interpreter allows it.
pub(crate) enum Text<'a> {
    /// The `str`'s own UTF-8 (CPython caches it inside the object; `str` is immutable), valid
    /// while the caller's reference to the argument is.
    Borrowed(&'a str),
    /// A copy, through a `bytes` object (pyo3's way under the 3.9 stable ABI).
    Backed(PyBackedStr),
}

impl core::ops::Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Backed(s) => s,
        }
    }
}

/// Whether the running interpreter has `PyUnicode_AsUTF8AndSize` in its stable ABI (3.10 and
/// later; this wheel is abi3 from 3.9, whose stable ABI has only `PyUnicode_AsUTF8String`).
fn borrows_utf8(py: Python<'_>) -> bool {
    static NEWER: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *NEWER.get_or_init(|| py.version_info() >= (3, 10))
}

#[allow(unsafe_code)]
mod ffi310 {
    use pyo3::ffi::{Py_ssize_t, PyObject};
    use std::ffi::c_char;

    // SAFETY: CPython's own declaration; part of the stable ABI from 3.10, called only there.
    unsafe extern "C" {
        pub(super) fn PyUnicode_AsUTF8AndSize(
            unicode: *mut PyObject,
            size: *mut Py_ssize_t,
        ) -> *const c_char;
    }
}

/// [`text`] for the token functions' hot path: the same checks, errors and UTF-8, but on
/// Python 3.10 and later without a copy (pyo3's `PyBackedStr` under the 3.9 stable ABI makes a
/// `bytes` object per argument: about a fifth of `rds_token`'s own instructions).
#[allow(unsafe_code)]
pub(crate) fn text_ref<'a>(obj: &'a Bound<'_, PyAny>, field: Field) -> PyResult<Text<'a>> {
    if !obj.is_instance_of::<PyString>() || !borrows_utf8(obj.py()) {
        return text(obj, field).map(Text::Backed);
    }
    let mut len: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `obj` is a live `str` (checked above) held by the caller for 'a; the interpreter is
    // 3.10 or later, where this function is in the stable ABI; `len` is a valid out-pointer.
    let data = unsafe { ffi310::PyUnicode_AsUTF8AndSize(obj.as_ptr(), &mut len) };
    if data.is_null() {
        // No UTF-8 form (a lone surrogate): drop the interpreter's UnicodeEncodeError, report
        // the core's INVALID_UTF8 as `text` does.
        drop(PyErr::take(obj.py()));
        return text(obj, field).map(Text::Backed);
    }
    let len = usize::try_from(len).unwrap_or(0);
    // SAFETY: CPython returns `len` bytes of UTF-8 cached inside the `str` object, freed only
    // with it; the object is immutable and outlives 'a (the caller's reference), so the slice is
    // valid UTF-8 for 'a.
    let s = unsafe {
        std::str::from_utf8_unchecked(std::slice::from_raw_parts(data.cast::<u8>(), len))
    };
    Ok(Text::Borrowed(s))
}

/// [`text_ref`], or None for None.
pub(crate) fn optional_text_ref<'a>(
    obj: Option<&'a Bound<'_, PyAny>>,
    field: Field,
) -> PyResult<Option<Text<'a>>> {
    obj.map(|o| text_ref(o, field)).transpose()
}

/// [`text`], or None for None.
pub(crate) fn optional_text(
    obj: Option<&Bound<'_, PyAny>>,
    field: Field,
) -> PyResult<Option<PyBackedStr>> {
    obj.map(|o| text(o, field)).transpose()
}

/// An `int` (not a `bool`, `float` or `str`) as an `i64`. Ints beyond the `i64` range saturate:
/// they are out of every range the core accepts, so the core names the field.
pub(crate) fn int(obj: &Bound<'_, PyAny>, field: Field) -> PyResult<i64> {
    if obj.is_instance_of::<PyBool>() {
        return Err(wrong_type(
            obj,
            field,
            "an int",
            Some("a bool (True/False) is not taken as a number"),
            false,
        ));
    }
    if !obj.is_instance_of::<PyInt>() {
        let convertible = obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyFloat>();
        // A str with no digits in it ("iam_user" in `rds_token(host, user, region, creds)`) is
        // the next argument: read, never shown.
        let shifted = obj
            .extract::<PyBackedStr>()
            .is_ok_and(|s| !s.is_empty() && !s.bytes().any(|b| b.is_ascii_digit()));
        let fix = convertible.then_some("convert it with int(...)");
        return Err(wrong_type(obj, field, "an int", fix, shifted));
    }
    saturating_int(obj)
}

/// [`int`], or None for None.
pub(crate) fn optional_int(obj: Option<&Bound<'_, PyAny>>, field: Field) -> PyResult<Option<i64>> {
    obj.map(|o| int(o, field)).transpose()
}

/// A flag must be a real `bool`: `admin="DbConnectAdmin"` or `serverless=1` is a wrong type.
pub(crate) fn flag(obj: &Bound<'_, PyAny>, field: Field) -> PyResult<bool> {
    match obj.cast::<PyBool>() {
        Ok(b) => Ok(b.is_true()),
        Err(_) => Err(wrong_type(
            obj,
            field,
            "a bool",
            Some("pass True or False"),
            false,
        )),
    }
}

/// A keyword argument whose default is not None: `Unset` when the caller did not pass it. (An
/// `Option` would read an explicit `expires_in=None` as the default; it is a wrong type.)
pub(crate) enum Kw<'py> {
    Unset,
    Given(Bound<'py, PyAny>),
}

impl<'py> FromPyObject<'_, 'py> for Kw<'py> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        Ok(Kw::Given(obj.to_owned()))
    }
}

impl Kw<'_> {
    /// [`int`] of the argument, or `default` when it was not passed.
    pub(crate) fn int_or(&self, field: Field, default: i64) -> PyResult<i64> {
        match self {
            Kw::Unset => Ok(default),
            Kw::Given(obj) => int(obj, field),
        }
    }

    /// [`flag`] of the argument, or `default` when it was not passed.
    pub(crate) fn flag_or(&self, field: Field, default: bool) -> PyResult<bool> {
        match self {
            Kw::Unset => Ok(default),
            Kw::Given(obj) => flag(obj, field),
        }
    }

    /// [`text`] of the argument, or None when it was not passed.
    pub(crate) fn text(&self, field: Field) -> PyResult<Option<PyBackedStr>> {
        match self {
            Kw::Unset => Ok(None),
            Kw::Given(obj) => text(obj, field).map(Some),
        }
    }
}

/// An `int` as `i64`, saturating beyond the `i64` range (never an `OverflowError`).
fn saturating_int(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    match obj.extract::<i64>() {
        Ok(v) => Ok(v),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(obj.py()) => {
            Ok(if obj.gt(0)? { i64::MAX } else { i64::MIN })
        }
        Err(e) => Err(e),
    }
}

const TIME_TYPES: &str = "None, an int or float of unix seconds, or an aware datetime";

/// A signing time, `now` or an expiration (`name`; code `INVALID_TIME`): `None` (the clock), an
/// int or float of unix seconds (floats are floored), or an aware `datetime`.
pub(crate) fn unix_time(
    py: Python<'_>,
    name: &str,
    obj: Option<&Bound<'_, PyAny>>,
) -> PyResult<i64> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(iamauth::now());
    };
    let wrong = |fix: Option<&str>| {
        let hint = fix.map(|f| format!("; {f}")).unwrap_or_default();
        type_error(
            py,
            ErrorCode::InvalidTime,
            &format!(
                "{name}: expected {TIME_TYPES}, got {}{hint}",
                type_name(obj)
            ),
        )
    };
    if obj.is_instance_of::<PyBool>() {
        return Err(wrong(Some("a bool (True/False) is not a time")));
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
    let fix = if obj.is_instance_of::<PyString>() {
        Some(
            "parse it first: int(...) for unix seconds, or datetime.fromisoformat(...) with a time zone",
        )
    } else if obj.is_instance(&datetime.getattr("date")?)? {
        Some("a date has no time of day: use an aware datetime")
    } else {
        None
    };
    Err(wrong(fix))
}
