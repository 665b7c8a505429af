//! The signing functions: `rds_token`, `dsql_token`, `elasticache_token`, `eks_token` (and
//! `eks_exec_credential`, the same token in kubectl's `ExecCredential`) and `msk_token`. Each
//! converts its arguments, fills in "now" and the credentials, and signs with the GIL released.
//!
//! `DEFAULT_EXPIRES_IN` in the text signatures is the module's constant (the core's
//! `DEFAULT_EXPIRY`), not a number restated here: `inspect.signature` evaluates it in
//! `pyiamauth._native` and shows its value.

use iamauth::{CacheService, DsqlAction, StsEndpoint};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::args::{
    self, ADMIN, API_VERSION, CACHE_ARGS, CLUSTER, DSQL_ARGS, EKS_ARGS, EXPIRES_IN, HOST, Kw,
    MSK_ARGS, NAME, PORT, RDS_ARGS, REGION, SERVERLESS, SERVICE, STS_ENDPOINT, USER, USER_AGENT,
    unix_time,
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

/// The `apiVersion` of the `ExecCredential` `eks_exec_credential` returns unless told otherwise:
/// what awscli's `aws eks get-token` writes when `KUBERNETES_EXEC_INFO` names none.
pub(crate) const EXEC_CREDENTIAL_API_VERSION: &str = iamauth::EKS_EXEC_API_VERSION;

/// `sts_endpoint`: `regional` (not given) or `global`, read by the core's `StsEndpoint::parse`.
/// As in every binding, a wrong one is reported before the other fields: the request is built
/// from the parsed value.
fn sts_endpoint(py: Python<'_>, given: &Kw<'_>) -> PyResult<StsEndpoint> {
    match given.text(STS_ENDPOINT)? {
        None => Ok(StsEndpoint::default()),
        Some(text) => StsEndpoint::parse(&text).map_err(|e| core_error(py, e)),
    }
}

/// Signs an EKS token; returns it with the request (for its expiration).
fn sign_eks(
    py: Python<'_>,
    cluster: &Bound<'_, PyAny>,
    region: &Bound<'_, PyAny>,
    credentials: Option<&Bound<'_, PyAny>>,
    endpoint: &Kw<'_>,
    time: Option<&Bound<'_, PyAny>>,
) -> PyResult<(String, i64)> {
    let cluster = args::text_ref(cluster, CLUSTER.of(EKS_ARGS))?;
    let region = args::text_ref(region, REGION.of(EKS_ARGS))?;
    let endpoint = sts_endpoint(py, endpoint)?;
    let creds = self::credentials(py, credentials)?;
    let time = unix_time(py, "time", time)?;
    let request = iamauth::EksTokenRequest {
        cluster: &cluster,
        region: &region,
        sts_endpoint: endpoint,
        time,
    };
    let token = sign(py, &creds, time, iamauth::EKS_TOKEN_LIFETIME, |c| {
        iamauth::eks_token(&request, c)
    })?;
    Ok((token, request.expiration()))
}

/// An Amazon EKS authentication token (`k8s-aws-v1.…`, what `aws eks get-token` puts in its
/// `ExecCredential`): `sts_endpoint` is `'regional'` (default) or `'global'`.
#[pyfunction]
#[pyo3(
    signature = (cluster, region, credentials=None, *, sts_endpoint=Kw::Unset, time=None),
    text_signature = "(cluster, region, credentials=None, *, sts_endpoint='regional', time=None)"
)]
pub(crate) fn eks_token(
    py: Python<'_>,
    cluster: &Bound<'_, PyAny>,
    region: &Bound<'_, PyAny>,
    credentials: Option<&Bound<'_, PyAny>>,
    sts_endpoint: Kw<'_>,
    time: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    sign_eks(py, cluster, region, credentials, &sts_endpoint, time).map(|(token, _)| token)
}

/// The `ExecCredential` a kubeconfig `exec:` plugin prints, as `aws eks get-token` writes it:
/// `{"kind": "ExecCredential", "apiVersion": api_version, "spec": {}, "status":
/// {"expirationTimestamp": <signing time + 14 minutes, RFC 3339>, "token": <eks_token>}}`.
#[pyfunction]
#[pyo3(
    signature = (cluster, region, credentials=None, *, sts_endpoint=Kw::Unset, time=None, api_version=Kw::Unset),
    text_signature = "(cluster, region, credentials=None, *, sts_endpoint='regional', time=None, api_version=EXEC_CREDENTIAL_API_VERSION)"
)]
pub(crate) fn eks_exec_credential<'py>(
    py: Python<'py>,
    cluster: &Bound<'py, PyAny>,
    region: &Bound<'py, PyAny>,
    credentials: Option<&Bound<'py, PyAny>>,
    sts_endpoint: Kw<'py>,
    time: Option<&Bound<'py, PyAny>>,
    api_version: Kw<'py>,
) -> PyResult<Bound<'py, PyDict>> {
    let api_version = api_version.text(API_VERSION)?;
    let (token, expiration) = sign_eks(py, cluster, region, credentials, &sts_endpoint, time)?;
    let expiration = iamauth::format_rfc3339(expiration).map_err(|e| core_error(py, e))?;
    let status = PyDict::new(py);
    status.set_item("expirationTimestamp", expiration)?;
    status.set_item("token", token)?;
    let credential = PyDict::new(py);
    credential.set_item("kind", "ExecCredential")?;
    credential.set_item(
        "apiVersion",
        api_version
            .as_deref()
            .unwrap_or(EXEC_CREDENTIAL_API_VERSION),
    )?;
    credential.set_item("spec", PyDict::new(py))?;
    credential.set_item("status", status)?;
    Ok(credential)
}

/// An Amazon MSK IAM token for Kafka's SASL/OAUTHBEARER and its expiry in unix milliseconds,
/// `(token, expiry_ms)`, as aws-msk-iam-sasl-signer-python's `generate_auth_token` returns them.
/// `user_agent=None`: `MSK_USER_AGENT`.
#[pyfunction]
#[pyo3(
    signature = (region, credentials=None, *, time=None, expires_in=Kw::Unset, user_agent=None),
    text_signature = "(region, credentials=None, *, time=None, expires_in=DEFAULT_EXPIRES_IN, user_agent=None)"
)]
pub(crate) fn msk_token(
    py: Python<'_>,
    region: &Bound<'_, PyAny>,
    credentials: Option<&Bound<'_, PyAny>>,
    time: Option<&Bound<'_, PyAny>>,
    expires_in: Kw<'_>,
    user_agent: Option<&Bound<'_, PyAny>>,
) -> PyResult<(String, i64)> {
    let region = args::text_ref(region, REGION.of(MSK_ARGS))?;
    let expires_in = expires_in.int_or(EXPIRES_IN, iamauth::DEFAULT_EXPIRY)?;
    let user_agent = args::optional_text_ref(user_agent, USER_AGENT)?;
    let creds = self::credentials(py, credentials)?;
    let time = unix_time(py, "time", time)?;
    let mut request = iamauth::MskTokenRequest::new(&region, time);
    request.expires_in = expires_in;
    if let Some(user_agent) = user_agent.as_deref() {
        request.user_agent = user_agent;
    }
    let token = sign(py, &creds, time, expires_in, |c| {
        iamauth::msk_token(&request, c)
    })?;
    Ok((token, request.expires_at_ms()))
}
