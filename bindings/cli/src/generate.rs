//! The token commands: `rds`, `dsql`, `elasticache`, `eks` and `msk`. Each reads its flags,
//! fills in the region, the time and the credentials (from the AWS credential chain), and hands
//! everything to core.

use crate::args::{
    self, Field, HOST, JSON, Matches, PORT, PROFILE, Parsed, REGION, Spec, Switch, USER, ValueFlag,
};
use crate::env;
use crate::fail::Failure;
use crate::json::Object;
use crate::kube;
use crate::report;
use iamauth::{
    CacheService, Credentials, DsqlAction, DsqlTokenRequest, EksTokenRequest,
    ElastiCacheTokenRequest, MAX_DB_EXPIRY, MAX_PRESIGN_EXPIRY, MskTokenRequest, RdsTokenRequest,
    StsEndpoint,
};
use std::ffi::OsString;
use std::io::Write as _;

/// `--name`: the cache name, which stands where a host would.
static NAME: ValueFlag = ValueFlag::new(&["--name"], Field::Name);
/// `--expires` for RDS and cache tokens (core's limit named, so an unreadable value gets its rule).
static DB_EXPIRES: ValueFlag = ValueFlag::new(&["--expires"], Field::Expiry(MAX_DB_EXPIRY));
/// `--expires` for DSQL tokens.
static DSQL_EXPIRES: ValueFlag = ValueFlag::new(&["--expires"], Field::Expiry(MAX_PRESIGN_EXPIRY));
/// `--time`: the signing time.
static TIME: ValueFlag = ValueFlag::new(&["--time"], Field::Time);
/// `--service`: `elasticache` or `memorydb`.
static SERVICE: ValueFlag = ValueFlag::new(&["--service"], Field::Service);
/// `--cluster`: the EKS cluster name (or Outposts cluster id).
static CLUSTER: ValueFlag = ValueFlag::new(&["--cluster", "--cluster-name"], Field::Cluster);
/// `--sts-endpoint`: `regional` (default) or `global`.
static STS_ENDPOINT: ValueFlag = ValueFlag::new(&["--sts-endpoint"], Field::StsEndpoint);
/// `--expires-in` for MSK tokens (core's limit named, so an unreadable value gets its rule).
static MSK_EXPIRES: ValueFlag = ValueFlag::new(&["--expires-in"], Field::Expiry(MAX_DB_EXPIRY));
/// `--user-agent`: the MSK token's unsigned User-Agent.
static USER_AGENT: ValueFlag = ValueFlag::new(&["--user-agent"], Field::UserAgent);
/// `--admin`: DSQL's `DbConnectAdmin`.
static ADMIN: Switch = Switch {
    names: &["--admin"],
};
/// `--serverless`: ElastiCache Serverless.
static SERVERLESS: Switch = Switch {
    names: &["--serverless"],
};

/// `iamauth rds`.
static RDS: Spec = Spec {
    command: "rds",
    values: &[&HOST, &PORT, &USER, &REGION, &DB_EXPIRES, &TIME, &PROFILE],
    switches: &[&JSON],
    positional: None,
};
/// `iamauth dsql`.
static DSQL: Spec = Spec {
    command: "dsql",
    values: &[&HOST, &REGION, &DSQL_EXPIRES, &TIME, &PROFILE],
    switches: &[&ADMIN, &JSON],
    positional: None,
};
/// `iamauth elasticache`.
static ELASTICACHE: Spec = Spec {
    command: "elasticache",
    values: &[
        &NAME,
        &USER,
        &REGION,
        &SERVICE,
        &DB_EXPIRES,
        &TIME,
        &PROFILE,
    ],
    switches: &[&SERVERLESS, &JSON],
    positional: None,
};

/// `iamauth eks`.
static EKS: Spec = Spec {
    command: "eks",
    values: &[&CLUSTER, &REGION, &STS_ENDPOINT, &TIME, &PROFILE],
    switches: &[],
    positional: None,
};
/// `iamauth msk`.
static MSK: Spec = Spec {
    command: "msk",
    values: &[&REGION, &MSK_EXPIRES, &USER_AGENT, &TIME, &PROFILE],
    switches: &[&JSON],
    positional: None,
};

/// The arguments of a token command, or `None` for `--help`.
fn matches(
    spec: &Spec,
    args: impl IntoIterator<Item = OsString>,
) -> Result<Option<Matches>, Failure> {
    match args::parse(spec, args)? {
        Parsed::Help => Ok(None),
        Parsed::Args(m) => Ok(Some(m)),
    }
}

/// What a token command prints: the token, or with `--json` the token and what it says.
fn output(token: String, json: bool) -> Result<String, Failure> {
    if !json {
        return Ok(token + "\n");
    }
    let info = iamauth::inspect(&token)?;
    let mut obj = Object::new();
    obj.str("token", &token);
    report::json_fields(&mut obj, &info);
    Ok(obj.finish() + "\n")
}

/// What every token command does once its flags are read: the region (`host`: the endpoint
/// it may be read from; `--profile`'s region counts), then the credentials from the chain,
/// then core signs (`sign`). Returns what `sign` returns.
fn sign_with<T>(
    m: &Matches,
    host: Option<&str>,
    sign: impl FnOnce(&str, &Credentials<'_>) -> iamauth::Result<T>,
) -> Result<T, Failure> {
    let settings = env::settings(m)?;
    let region = env::region(m.value(&REGION), host, &settings)?;
    let found = env::credentials(&settings)?;
    Ok(sign(&region, &found.credentials()?)?)
}

/// A database or cache token command: signs (see [`sign_with`]), then the output.
fn signed(
    m: &Matches,
    host: Option<&str>,
    sign: impl FnOnce(&str, &Credentials<'_>) -> iamauth::Result<String>,
) -> Result<String, Failure> {
    output(sign_with(m, host, sign)?, m.switch(&JSON))
}

/// `iamauth rds`: an RDS / Aurora token.
pub(crate) fn rds(args: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    let Some(m) = matches(&RDS, args)? else {
        return Ok(args::help(&RDS));
    };
    let host = m.required(&HOST)?;
    let port = m.required_int(&PORT)?;
    let user = m.required(&USER)?;
    let expires_in = m.int(&DB_EXPIRES)?;
    let time = m.time(&TIME)?;
    signed(&m, Some(host), |region, creds| {
        let mut request = RdsTokenRequest::new(host, port, user, region, time);
        request.expires_in = expires_in.unwrap_or(request.expires_in);
        iamauth::rds_token(&request, creds)
    })
}

/// `iamauth dsql`: an Aurora DSQL token.
pub(crate) fn dsql(args: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    let Some(m) = matches(&DSQL, args)? else {
        return Ok(args::help(&DSQL));
    };
    let host = m.required(&HOST)?;
    let expires_in = m.int(&DSQL_EXPIRES)?;
    let time = m.time(&TIME)?;
    let action = if m.switch(&ADMIN) {
        DsqlAction::DbConnectAdmin
    } else {
        DsqlAction::DbConnect
    };
    signed(&m, Some(host), |region, creds| {
        let mut request = DsqlTokenRequest::new(host, region, action, time);
        request.expires_in = expires_in.unwrap_or(request.expires_in);
        iamauth::dsql_token(&request, creds)
    })
}

/// `iamauth elasticache`: an ElastiCache or MemoryDB token.
pub(crate) fn elasticache(args: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    let Some(m) = matches(&ELASTICACHE, args)? else {
        return Ok(args::help(&ELASTICACHE));
    };
    let name = m.required(&NAME)?;
    let user = m.required(&USER)?;
    let service = match m.value(&SERVICE) {
        Some(s) => CacheService::parse(s)?,
        None => CacheService::default(),
    };
    let expires_in = m.int(&DB_EXPIRES)?;
    let time = m.time(&TIME)?;
    let serverless = m.switch(&SERVERLESS);
    // A cache name is not an endpoint host: there is no region to read from it.
    signed(&m, None, |region, creds| {
        let mut request = ElastiCacheTokenRequest::new(name, user, region, time);
        request.serverless = serverless;
        request.service = service;
        request.expires_in = expires_in.unwrap_or(request.expires_in);
        iamauth::elasticache_token(&request, creds)
    })
}

/// `iamauth eks`: an EKS token in the `ExecCredential` kubectl's exec plugin reads, as
/// `aws eks get-token` prints it (its `apiVersion` from `KUBERNETES_EXEC_INFO`, awscli's
/// messages about it on stderr, only once the token is made).
pub(crate) fn eks(args: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    let Some(m) = matches(&EKS, args)? else {
        return Ok(args::help(&EKS));
    };
    let cluster = m.required(&CLUSTER)?;
    let sts_endpoint = match m.value(&STS_ENDPOINT) {
        Some(s) => StsEndpoint::parse(s)?,
        None => sts_endpoint_from_env(),
    };
    let time = m.time(&TIME)?;
    // A cluster name is not an endpoint host: there is no region to read from it.
    let (token, expiration) = sign_with(&m, None, |region, creds| {
        let mut request = EksTokenRequest::new(cluster, region, time);
        request.sts_endpoint = sts_endpoint;
        let token = iamauth::eks_token(&request, creds)?;
        Ok((token, iamauth::format_rfc3339(request.expiration())?))
    })?;
    // Not UTF-8: not JSON either (awscli's "Error parsing" case).
    let exec_info = std::env::var_os("KUBERNETES_EXEC_INFO")
        .map(|v| v.into_string().unwrap_or_else(|_| String::from("\u{fffd}")));
    let api = kube::api_version(exec_info.as_deref());
    if let Some(warning) = &api.warning {
        // As awscli, a warning only: a closed stderr does not stop the credential.
        let _ = std::io::stderr().lock().write_all(warning.as_bytes());
    }
    Ok(kube::exec_credential(api.version, &expiration, &token))
}

/// Without `--sts-endpoint`, what botocore (so `aws eks get-token`) reads from
/// `AWS_STS_REGIONAL_ENDPOINTS`: `legacy` is the global endpoint, anything else regional.
fn sts_endpoint_from_env() -> StsEndpoint {
    match std::env::var_os("AWS_STS_REGIONAL_ENDPOINTS") {
        Some(v) if v == "legacy" => StsEndpoint::Global,
        _ => StsEndpoint::Regional,
    }
}

/// `iamauth msk`: an Amazon MSK (Kafka SASL/OAUTHBEARER) token, or with `--json` the token and
/// its expiry in milliseconds, as the MSK signers return them.
pub(crate) fn msk(args: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    let Some(m) = matches(&MSK, args)? else {
        return Ok(args::help(&MSK));
    };
    let expires_in = m.int(&MSK_EXPIRES)?;
    let user_agent = m.value(&USER_AGENT);
    let time = m.time(&TIME)?;
    let (token, expiry_ms) = sign_with(&m, None, |region, creds| {
        let mut request = MskTokenRequest::new(region, time);
        request.expires_in = expires_in.unwrap_or(request.expires_in);
        request.user_agent = user_agent.unwrap_or(request.user_agent);
        Ok((
            iamauth::msk_token(&request, creds)?,
            request.expires_at_ms(),
        ))
    })?;
    if !m.switch(&JSON) {
        return Ok(token + "\n");
    }
    let mut obj = Object::new();
    obj.str("token", &token);
    obj.int("expiry_ms", expiry_ms);
    Ok(obj.finish() + "\n")
}
