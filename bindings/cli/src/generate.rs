//! The token commands: `rds`, `dsql` and `elasticache`. Each reads its flags, fills in the
//! region, the time and the credentials, and hands everything to core.

use crate::args::{self, Field, Matches, Parsed, Spec, Switch, ValueFlag};
use crate::env::{self, EnvCredentials};
use crate::fail::Failure;
use crate::json::Object;
use crate::report;
use iamauth::{
    CacheService, DsqlAction, DsqlTokenRequest, ElastiCacheTokenRequest, MAX_DB_EXPIRY,
    MAX_PRESIGN_EXPIRY, RdsTokenRequest,
};
use std::ffi::OsString;

/// `--host` (`--hostname` as in `aws rds generate-db-auth-token` and `aws dsql ...`).
static HOST: ValueFlag = ValueFlag {
    names: &["--host", "--hostname"],
    field: Field::Host,
};
/// `--port`.
static PORT: ValueFlag = ValueFlag {
    names: &["--port"],
    field: Field::Port,
};
/// `--user` (`--username` as in `aws rds generate-db-auth-token`).
static USER: ValueFlag = ValueFlag {
    names: &["--user", "--username"],
    field: Field::User,
};
/// `--name`: the cache name, which stands where a host would.
static NAME: ValueFlag = ValueFlag {
    names: &["--name"],
    field: Field::Name,
};
/// `--region`.
static REGION: ValueFlag = ValueFlag {
    names: &["--region"],
    field: Field::Region,
};
/// `--expires` for RDS and cache tokens (core's limit named, so an unreadable value gets its rule).
static DB_EXPIRES: ValueFlag = ValueFlag {
    names: &["--expires"],
    field: Field::Expiry(MAX_DB_EXPIRY),
};
/// `--expires` for DSQL tokens.
static DSQL_EXPIRES: ValueFlag = ValueFlag {
    names: &["--expires"],
    field: Field::Expiry(MAX_PRESIGN_EXPIRY),
};
/// `--time`: the signing time.
static TIME: ValueFlag = ValueFlag {
    names: &["--time"],
    field: Field::Time,
};
/// `--service`: `elasticache` or `memorydb`.
static SERVICE: ValueFlag = ValueFlag {
    names: &["--service"],
    field: Field::Service,
};
/// `--profile`: recognised only to be refused with what to do instead (no profile is read yet).
static PROFILE: ValueFlag = ValueFlag {
    names: &["--profile"],
    field: Field::Profile,
};
/// `--json`.
static JSON: Switch = Switch { names: &["--json"] };
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

/// The arguments of a token command, or `None` for `--help`. `--profile` is refused before
/// anything else: a profile would have given the credentials and the region.
fn matches(
    spec: &Spec,
    args: impl IntoIterator<Item = OsString>,
) -> Result<Option<Matches>, Failure> {
    let Parsed::Args(m) = args::parse(spec, args)? else {
        return Ok(None);
    };
    if m.value(&PROFILE).is_some() {
        return Err(env::profile_refused());
    }
    Ok(Some(m))
}

/// The signing time: `--time`, or now.
fn time(m: &Matches) -> Result<i64, Failure> {
    Ok(match m.value(&TIME) {
        Some(t) => iamauth::parse_time(t)?,
        None => iamauth::now(),
    })
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

/// `iamauth rds`: an RDS / Aurora token.
pub(crate) fn rds(args: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    let Some(m) = matches(&RDS, args)? else {
        return Ok(args::help(&RDS));
    };
    let host = m.required(&HOST)?;
    let port = m.required_int(&PORT)?;
    let user = m.required(&USER)?;
    let expires_in = m.int(&DB_EXPIRES)?;
    let time = time(&m)?;
    let region = env::region(m.value(&REGION), Some(host))?;
    let creds = EnvCredentials::read()?;
    let mut request = RdsTokenRequest::new(host, port, user, &region, time);
    if let Some(expires_in) = expires_in {
        request.expires_in = expires_in;
    }
    let token = iamauth::rds_token(&request, &creds.get()?)?;
    output(token, m.switch(&JSON))
}

/// `iamauth dsql`: an Aurora DSQL token.
pub(crate) fn dsql(args: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    let Some(m) = matches(&DSQL, args)? else {
        return Ok(args::help(&DSQL));
    };
    let host = m.required(&HOST)?;
    let expires_in = m.int(&DSQL_EXPIRES)?;
    let time = time(&m)?;
    let action = if m.switch(&ADMIN) {
        DsqlAction::DbConnectAdmin
    } else {
        DsqlAction::DbConnect
    };
    let region = env::region(m.value(&REGION), Some(host))?;
    let creds = EnvCredentials::read()?;
    let mut request = DsqlTokenRequest::new(host, &region, action, time);
    if let Some(expires_in) = expires_in {
        request.expires_in = expires_in;
    }
    let token = iamauth::dsql_token(&request, &creds.get()?)?;
    output(token, m.switch(&JSON))
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
    let time = time(&m)?;
    // A cache name is not an endpoint host: there is no region to read from it.
    let region = env::region(m.value(&REGION), None)?;
    let creds = EnvCredentials::read()?;
    let mut request = ElastiCacheTokenRequest::new(name, user, &region, time);
    request.serverless = m.switch(&SERVERLESS);
    request.service = service;
    if let Some(expires_in) = expires_in {
        request.expires_in = expires_in;
    }
    let token = iamauth::elasticache_token(&request, &creds.get()?)?;
    output(token, m.switch(&JSON))
}
