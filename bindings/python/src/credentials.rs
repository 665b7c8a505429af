//! Credentials: the `pyiamauth.Credentials` class, and the `credentials` argument every signing
//! function takes (a `pyiamauth.Credentials`, a `pyiamauth.CredentialChain`, resolved at each
//! call, botocore's credentials as they are, or None for the AWS_* environment variables, which
//! the core reads).

use std::sync::Arc;

use iamauth::ErrorCode;
use iamauth_credentials::AwsCredentials;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use zeroize::Zeroizing;

use crate::args::{
    self, ACCESS_KEY_ID, CREDENTIALS_ARGS, Field, SECRET_ACCESS_KEY, SESSION_TOKEN, type_name,
    unix_time,
};
use crate::chain::CredentialChain;
use crate::errors::{core_error, iam_error, type_error};

/// AWS credentials: an access key id, a secret access key and, for temporary credentials,
/// a session token and their expiration (unix seconds). The secret and token never appear in
/// `repr()`.
#[pyclass(frozen, module = "pyiamauth", name = "Credentials")]
pub(crate) struct PyCredentials {
    access_key_id: String,
    secret_access_key: Zeroizing<String>,
    session_token: Option<Zeroizing<String>>,
    expiration: Option<i64>,
}

impl PyCredentials {
    /// What the credential chain found, as a `pyiamauth.Credentials`.
    pub(crate) fn found(found: &AwsCredentials) -> PyCredentials {
        PyCredentials {
            access_key_id: found.access_key_id().to_owned(),
            secret_access_key: Zeroizing::new(found.secret_access_key().to_owned()),
            session_token: found.session_token().map(|t| Zeroizing::new(t.to_owned())),
            expiration: found.expiration(),
        }
    }
}

#[pymethods]
impl PyCredentials {
    #[new]
    #[pyo3(signature = (access_key_id, secret_access_key, session_token=None, *, expiration=None))]
    fn new(
        py: Python<'_>,
        access_key_id: &Bound<'_, PyAny>,
        secret_access_key: &Bound<'_, PyAny>,
        session_token: Option<&Bound<'_, PyAny>>,
        expiration: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let access_key_id = args::text(access_key_id, ACCESS_KEY_ID.of(CREDENTIALS_ARGS))?;
        let secret_access_key =
            args::text(secret_access_key, SECRET_ACCESS_KEY.of(CREDENTIALS_ARGS))?;
        let session_token = args::optional_text(session_token, SESSION_TOKEN.of(CREDENTIALS_ARGS))?;
        // None: they do not expire (`unix_time` would read None as now).
        let expiration = match expiration.filter(|e| !e.is_none()) {
            Some(e) => Some(unix_time(py, "expiration", Some(e))?),
            None => None,
        };
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
            expiration,
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

    /// When they expire, unix seconds; None for long-term keys (or when unknown). Signing at or
    /// after it is refused with `INVALID_CREDENTIALS`, and the token providers never hand out a
    /// token past it.
    #[getter]
    fn expiration(&self) -> Option<i64> {
        self.expiration
    }

    fn __repr__(&self) -> String {
        let token = if self.session_token.is_some() {
            "'<redacted>'"
        } else {
            "None"
        };
        let expiration = self
            .expiration
            .map(|e| format!(", expiration={e}"))
            .unwrap_or_default();
        format!(
            "Credentials(access_key_id='{}', secret_access_key='<redacted>', session_token={token}{expiration})",
            self.access_key_id
        )
    }
}

/// Credentials as the signer borrows them: from a `pyiamauth.Credentials`, found by a
/// `pyiamauth.CredentialChain`, read once from a botocore-like object, or read by the core from
/// the environment. Owns or borrows only `Send + Sync` data, so it can cross into the GIL-free
/// signing closure.
pub(crate) enum Creds<'a> {
    Ours(&'a PyCredentials),
    Chain(Arc<AwsCredentials>),
    Environment(iamauth::EnvironmentCredentials),
    Read {
        access_key_id: PyBackedStr,
        secret_access_key: PyBackedStr,
        session_token: Option<PyBackedStr>,
    },
}

impl Creds<'_> {
    /// (access key id, secret access key, session token).
    pub(crate) fn parts(&self) -> (&str, &str, Option<&str>) {
        match self {
            Creds::Ours(c) => (
                &c.access_key_id,
                &c.secret_access_key,
                c.session_token.as_deref().map(String::as_str),
            ),
            Creds::Chain(c) => (c.access_key_id(), c.secret_access_key(), c.session_token()),
            Creds::Environment(env) => {
                let c = env.credentials();
                (c.access_key_id(), c.secret_access_key(), c.session_token())
            }
            Creds::Read {
                access_key_id,
                secret_access_key,
                session_token,
            } => (access_key_id, secret_access_key, session_token.as_deref()),
        }
    }

    /// When they expire, if known (unix seconds).
    pub(crate) fn expiration(&self) -> Option<i64> {
        match self {
            Creds::Ours(c) => c.expiration,
            Creds::Chain(c) => c.expiration(),
            Creds::Environment(_) | Creds::Read { .. } => None,
        }
    }
}

const CREDENTIALS_TYPES: &str = "pyiamauth.Credentials, pyiamauth.CredentialChain, botocore \
    credentials (with access_key, secret_key and token) or None";

/// How to pass credentials, for messages.
const CREDENTIALS_FIX: &str = "pass credentials=boto3.Session().get_credentials() (botocore \
    credentials are taken as they are: ~/.aws profiles, SSO, instance and container roles), or \
    credentials=pyiamauth.CredentialChain() (the same chain without botocore), or \
    pyiamauth.Credentials(access_key_id, secret_access_key, session_token), or export them to the \
    environment: eval \"$(aws configure export-credentials --format env)\"";

// botocore's attribute names, read from a credentials object (code INVALID_CREDENTIALS).
const ACCESS_KEY: Field = Field::new("credentials.access_key", ErrorCode::InvalidCredentials);
const SECRET_KEY: Field = Field::new("credentials.secret_key", ErrorCode::InvalidCredentials);
const TOKEN: Field = Field::new("credentials.token", ErrorCode::InvalidCredentials);

/// The `str` attribute `attr` of a botocore-like object, None for None.
fn str_attr(obj: &Bound<'_, PyAny>, attr: &str, field: Field) -> PyResult<Option<PyBackedStr>> {
    let Ok(value) = obj.getattr(attr) else {
        return Err(not_credentials(obj, &format!(" (it has no {attr})")));
    };
    if value.is_none() {
        return Ok(None);
    }
    args::text(&value, field).map(Some)
}

/// `credentials=None`: the AWS_* environment variables, read by the core (its code and message:
/// INVALID_CREDENTIALS naming the variables, never a value). Read with the GIL held, so no Python
/// thread changes the environment (`os.environ[...] = ...` calls `putenv`) while it is read. The
/// error carries how to pass credentials instead as a note (`__notes__`, shown under the
/// traceback), outside its code and message.
fn from_environment(py: Python<'_>) -> PyResult<iamauth::EnvironmentCredentials> {
    iamauth::EnvironmentCredentials::from_env().map_err(|e| {
        let err = core_error(py, e);
        let note = format!(
            "credentials=None reads only the AWS_* environment variables; {CREDENTIALS_FIX}"
        );
        match err.value(py).setattr("__notes__", vec![note]) {
            Ok(()) => err,
            Err(e) => e,
        }
    })
}

/// `credentials` of a type that is not credentials (`why`: what it lacks).
fn not_credentials(obj: &Bound<'_, PyAny>, why: &str) -> PyErr {
    type_error(
        obj.py(),
        ErrorCode::InvalidCredentials,
        &format!(
            "credentials: expected {CREDENTIALS_TYPES}, got {}{why}; {CREDENTIALS_FIX}",
            type_name(obj)
        ),
    )
}

fn missing(py: Python<'_>, what: &str) -> PyErr {
    iam_error(py, ErrorCode::InvalidCredentials, what)
}

/// Resolves the `credentials` argument (see `CREDENTIALS_TYPES`).
pub(crate) fn credentials<'a>(
    py: Python<'_>,
    obj: Option<&'a Bound<'_, PyAny>>,
) -> PyResult<Creds<'a>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return from_environment(py).map(Creds::Environment);
    };
    if let Ok(ours) = obj.cast::<PyCredentials>() {
        return Ok(Creds::Ours(ours.get()));
    }
    if let Ok(chain) = obj.cast::<CredentialChain>() {
        return chain.get().resolve(py).map(Creds::Chain);
    }
    if !args::looks_like_credentials(obj) && !obj.hasattr("access_key")? {
        return Err(not_credentials(obj, ""));
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
    let access_key_id = str_attr(source, "access_key", ACCESS_KEY)?
        .ok_or_else(|| missing(py, "credentials: access_key is None"))?;
    let secret_access_key = str_attr(source, "secret_key", SECRET_KEY)?
        .ok_or_else(|| missing(py, "credentials: secret_key is None"))?;
    let session_token = str_attr(source, "token", TOKEN)?;
    Ok(Creds::Read {
        access_key_id,
        secret_access_key,
        session_token,
    })
}
