//! `pyiamauth.CredentialChain`: the standard AWS credential chain with its cache (the
//! `iamauth-credentials` crate: the environment, `~/.aws` profiles, `credential_process`, SSO,
//! roles, web identity, the ECS / EKS container endpoint, IMDS), for programs without botocore.
//! This file only converts: the chain, its order, its cache and its messages are the crate's.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use iamauth::ErrorCode;
use iamauth_credentials::{AwsCredentials, CredentialsProvider, Settings};
use pyo3::prelude::*;
use pyo3::types::PyString;
use pyo3::{PyTraverseError, PyVisit};

use crate::args::{self, Field, unix_time};
use crate::credentials::PyCredentials;
use crate::errors::{iam_error, type_error};

const PROFILE: Field = Field::new("profile", ErrorCode::InvalidCredentials);

/// A clock given in Python, read with the GIL held at each `credentials()` call; the chain,
/// which runs without the GIL, reads the last value from `now`.
struct PyClock {
    clock: Py<PyAny>,
    now: Arc<AtomicI64>,
}

/// The standard AWS credential chain, in the AWS CLI's order, behind a cache: what
/// `boto3.Session().get_credentials()` finds, without botocore. Thread-safe; callers at the same
/// moment share one fetch; credentials are fetched again 15 minutes before they expire.
#[pyclass(frozen, module = "pyiamauth", name = "CredentialChain")]
pub(crate) struct CredentialChain {
    provider: CredentialsProvider,
    profile: Option<String>,
    clock: Option<PyClock>,
    /// The source that answered the last successful `credentials()`.
    source: Mutex<Option<String>>,
}

#[pymethods]
impl CredentialChain {
    /// `profile`: as the AWS CLI's `--profile` (it wins over `AWS_PROFILE`, and the environment's
    /// keys are then not used). `clock`: returns unix seconds or an aware datetime (default: the
    /// system clock), for tests.
    #[new]
    #[pyo3(signature = (profile=None, *, clock=None))]
    fn new(
        py: Python<'_>,
        profile: Option<&Bound<'_, PyAny>>,
        clock: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let profile =
            args::optional_text(profile.filter(|p| !p.is_none()), PROFILE)?.map(|p| p.to_string());
        let mut settings = Settings::from_process();
        if let Some(name) = &profile {
            settings = settings.profile(name.as_str());
        }
        let clock = match clock.filter(|c| !c.is_none()) {
            None => None,
            Some(c) if !c.is_callable() => {
                return Err(type_error(
                    py,
                    ErrorCode::InvalidRequest,
                    &format!(
                        "clock: expected a callable returning unix seconds or an aware datetime, got {}",
                        args::type_name(c)
                    ),
                ));
            }
            Some(c) => {
                let now = Arc::new(AtomicI64::new(iamauth::now()));
                let read = Arc::clone(&now);
                settings = settings.clock(move || read.load(Ordering::Relaxed));
                Some(PyClock {
                    clock: c.clone().unbind(),
                    now,
                })
            }
        };
        Ok(CredentialChain {
            provider: CredentialsProvider::new(settings),
            profile,
            clock,
            source: Mutex::new(None),
        })
    }

    /// The credentials, from the cache or fetched now (with the GIL released), with their
    /// `expiration`. No credentials anywhere, or a configured source that fails:
    /// `IamAuthError` `INVALID_CREDENTIALS` naming each source tried (never a secret).
    fn credentials(&self, py: Python<'_>) -> PyResult<PyCredentials> {
        self.resolve(py).map(|found| PyCredentials::found(&found))
    }

    /// Which source answered the last successful `credentials()` (`environment`, `profile dev
    /// (credentials file)`, `container endpoint`, `IMDS`, ...); None before the first.
    #[getter]
    fn source(&self) -> Option<String> {
        self.source
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The profile asked for (None: `AWS_PROFILE`, else `default`).
    #[getter]
    fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    /// The clock is a Python object the chain holds: shown to the garbage collector, so that a
    /// clock holding the chain is collected.
    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        if let Some(c) = &self.clock {
            visit.call(&c.clock)?;
        }
        Ok(())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let shown = |s: Option<&str>| -> PyResult<String> {
            match s {
                Some(s) => Ok(PyString::new(py, s).repr()?.to_string()),
                None => Ok("None".to_owned()),
            }
        };
        Ok(format!(
            "CredentialChain(profile={}, source={})",
            shown(self.profile.as_deref())?,
            shown(self.source().as_deref())?
        ))
    }
}

impl CredentialChain {
    /// The chain's credentials (cached): the clock read with the GIL held, the chain run
    /// without it. The chain reads the process environment (`std::env::var`), which
    /// `os.environ[...] = ...` in another thread changes: set it before resolving.
    pub(crate) fn resolve(&self, py: Python<'_>) -> PyResult<Arc<AwsCredentials>> {
        if let Some(c) = &self.clock {
            let value = c.clock.bind(py).call0()?;
            c.now
                .store(unix_time(py, "clock()", Some(&value))?, Ordering::Relaxed);
        }
        let found = py
            .detach(|| self.provider.credentials())
            .map_err(|e| iam_error(py, e.code(), e.message()))?;
        *self.source.lock().unwrap_or_else(PoisonError::into_inner) =
            Some(found.source().to_owned());
        Ok(found)
    }
}
