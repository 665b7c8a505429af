//! The signing functions: `rds_token`, `dsql_token` and `elasticache_token`. Each converts its
//! arguments, fills in "now" and the credentials, and signs with the GIL released.
//!
//! `DEFAULT_EXPIRES_IN` in the text signatures is the module's constant (the core's
//! `DEFAULT_EXPIRY`), not a number restated here: `inspect.signature` evaluates it in
//! `pyiamauth._native` and shows its value.

use iamauth::{CacheService, DsqlAction};
use pyo3::prelude::*;

use crate::args::{
    self, ADMIN, CACHE_ARGS, DSQL_ARGS, EXPIRES_IN, HOST, Kw, NAME, PORT, RDS_ARGS, REGION,
    SERVERLESS, SERVICE, USER, unix_time,
};
use crate::credentials::{Creds, credentials};
use crate::errors::core_error;

/// Signs with the GIL released: the core's process-wide key cache is thread-safe. Credentials
/// whose expiration is known (a `CredentialChain`'s, `Credentials(expiration=...)`) and has
/// passed at `time` are refused with the core's `INVALID_CREDENTIALS` (its `reuse_until`: no
/// token made with them would be accepted), after the request's own checks.
fn sign(
    py: Python<'_>,
    creds: &Creds<'_>,
    time: i64,
    expires_in: i64,
    f: impl FnOnce(&iamauth::Credentials<'_>) -> iamauth::Result<String> + Send,
) -> PyResult<String> {
    py.detach(|| {
        let (access_key_id, secret_access_key, session_token) = creds.parts();
        let signer = iamauth::Credentials::new(access_key_id, secret_access_key, session_token)?;
        let token = f(&signer)?;
        if let Some(expiration) = creds.expiration() {
            iamauth::reuse_until(time, expires_in, Some(expiration))?;
        }
        Ok(token)
    })
    .map_err(|e| core_error(py, e))
}

/// The `region` argument, which may be left out (None): then the core reads it from the host
/// (`iamauth::region_or_from_host`: an RDS or DSQL endpoint names its region), else
/// `INVALID_REGION`. A region given goes to the signer as is, to be checked in its order.
fn region_or_from_host<'a>(
    py: Python<'_>,
    region: Option<&'a str>,
    host: &'a str,
) -> PyResult<&'a str> {
    match region {
        Some(region) => Ok(region),
        None => iamauth::region_or_from_host(None, host).map_err(|e| core_error(py, e)),
    }
}

/// An RDS / Aurora IAM authentication token (what `aws rds generate-db-auth-token` prints).
/// `region=None`: the one an RDS endpoint host names.
#[pyfunction]
#[pyo3(
    signature = (host, port, user, region=None, credentials=None, *, expires_in=Kw::Unset, time=None),
    text_signature = "(host, port, user, region=None, credentials=None, *, expires_in=DEFAULT_EXPIRES_IN, time=None)"
)]
// The Python signature is the API: its parameters are the keyword arguments users pass.
#[allow(clippy::too_many_arguments)]
pub(crate) fn rds_token(
    py: Python<'_>,
    host: &Bound<'_, PyAny>,
    port: &Bound<'_, PyAny>,
    user: &Bound<'_, PyAny>,
    region: Option<&Bound<'_, PyAny>>,
    credentials: Option<&Bound<'_, PyAny>>,
    expires_in: Kw<'_>,
    time: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let host = args::text_ref(host, HOST.of(RDS_ARGS))?;
    let port = args::int(port, PORT.of(RDS_ARGS))?;
    let user = args::text_ref(user, USER.of(RDS_ARGS))?;
    let region = args::optional_text_ref(region, REGION.of(RDS_ARGS))?;
    let region = region_or_from_host(py, region.as_deref(), &host)?;
    let expires_in = expires_in.int_or(EXPIRES_IN, iamauth::DEFAULT_EXPIRY)?;
    let creds = self::credentials(py, credentials)?;
    let time = unix_time(py, "time", time)?;
    let request = iamauth::RdsTokenRequest {
        host: &host,
        port,
        user: &user,
        region,
        time,
        expires_in,
    };
    sign(py, &creds, time, expires_in, |c| {
        iamauth::rds_token(&request, c)
    })
}

/// An Aurora DSQL authentication token (`DbConnectAdmin` when `admin` is true). `region=None`:
/// the one a DSQL endpoint host names.
#[pyfunction]
#[pyo3(
    signature = (host, region=None, credentials=None, *, admin=Kw::Unset, expires_in=Kw::Unset, time=None),
    text_signature = "(host, region=None, credentials=None, *, admin=False, expires_in=DEFAULT_EXPIRES_IN, time=None)"
)]
pub(crate) fn dsql_token(
    py: Python<'_>,
    host: &Bound<'_, PyAny>,
    region: Option<&Bound<'_, PyAny>>,
    credentials: Option<&Bound<'_, PyAny>>,
    admin: Kw<'_>,
    expires_in: Kw<'_>,
    time: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let host = args::text_ref(host, HOST.of(DSQL_ARGS))?;
    let region = args::optional_text_ref(region, REGION.of(DSQL_ARGS))?;
    let region = region_or_from_host(py, region.as_deref(), &host)?;
    let admin = admin.flag_or(ADMIN, false)?;
    let expires_in = expires_in.int_or(EXPIRES_IN, iamauth::DEFAULT_EXPIRY)?;
    let creds = self::credentials(py, credentials)?;
    let time = unix_time(py, "time", time)?;
    let request = iamauth::DsqlTokenRequest {
        host: &host,
        region,
        action: if admin {
            DsqlAction::DbConnectAdmin
        } else {
            DsqlAction::DbConnect
        },
        time,
        expires_in,
    };
    sign(py, &creds, time, expires_in, |c| {
        iamauth::dsql_token(&request, c)
    })
}

/// An ElastiCache (`service="elasticache"`) or MemoryDB (`service="memorydb"`) IAM token.
#[pyfunction]
#[pyo3(
    signature = (name, user, region, credentials=None, *, serverless=Kw::Unset, service=Kw::Unset, expires_in=Kw::Unset, time=None),
    text_signature = "(name, user, region, credentials=None, *, serverless=False, service='elasticache', expires_in=DEFAULT_EXPIRES_IN, time=None)"
)]
#[allow(clippy::too_many_arguments)] // The Python signature is the API.
pub(crate) fn elasticache_token(
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
    let name = args::text_ref(name, NAME.of(CACHE_ARGS))?;
    let user = args::text_ref(user, USER.of(CACHE_ARGS))?;
    let region = args::text_ref(region, REGION.of(CACHE_ARGS))?;
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
    sign(py, &creds, time, expires_in, |c| {
        iamauth::elasticache_token(&request, c)
    })
}
