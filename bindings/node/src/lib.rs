//! # iamauth-node
//!
//! The native half of the `iamauth` npm package: the functions of the native contract shared
//! with the wasm package (listed in bindings/js/frontend.js). The public API is that plain-JS
//! front-end (bindings/js/, shared by both JS packages), which checks JS types and fills in
//! "now" before calling here.
//!
//! This addon only converts, maps errors and catches panics; every rule about hosts, ports,
//! users, regions, expiries, times and token layouts is the core's. Numbers arrive as `f64` and
//! are saturated to `i64` (NaN becomes 0), so an out-of-range value reaches the core, which names
//! the field. A core error is thrown as a JS `Error` whose `.code` is the core's code name
//! (`INVALID_PORT`, ...) and whose `.message` is the core's static text (never input, never a
//! secret).
//!
//! A wrong JS type throws too, with a message naming only types (`.code` `StringExpected`,
//! `NumberExpected` or `BooleanExpected`), never the value: see [`text::Text`]. Every function
//! is `catch_unwind`, so nothing reaching this addon can abort the process.

use iamauth::{CacheService, Credentials, DsqlAction, ErrorCode, KeyFile};
use napi_derive::napi;
use text::{Secret, Text};

pub mod text;

/// The status type of our errors: napi throws an `Error<Code>` as a JS `Error` whose `.code` is
/// this string. (Written out as `napi::Result<T, Code>` in signatures: `#[napi]` only recognises
/// a return type named `Result`.)
type Code = &'static str;

/// The core's error as a JS `Error`: `.code` = `INVALID_PORT` etc., `.message` = the core's text.
fn js_error(e: iamauth::Error) -> napi::Error<Code> {
    napi::Error::new(e.code().name(), e.message())
}

/// A JS number as the core's `i64`: `as` saturates, so any number reaches the core, which judges
/// the range and reports the field's own code. `NaN` becomes `i64::MIN` rather than `as`'s 0,
/// which is a valid time (1970): the same rule as the wasm package.
#[inline]
fn int(n: f64) -> i64 {
    if n.is_nan() { i64::MIN } else { n as i64 }
}

/// An RDS / Aurora IAM authentication token (what `aws rds generate-db-auth-token` prints).
/// `region` `null`: the one the endpoint host names (the core's `region_or_from_host`).
#[napi(js_name = "rdsToken", catch_unwind)]
// The positional native contract is the API: one argument per field.
#[allow(clippy::too_many_arguments)]
pub fn rds_token(
    host: Text,
    port: f64,
    user: Text,
    region: Option<Text>,
    access_key_id: Text,
    secret_access_key: Secret,
    session_token: Option<Text>,
    expires_in: f64,
    time: f64,
) -> napi::Result<String, Code> {
    let creds = Credentials::new(&access_key_id, &secret_access_key, session_token.as_deref())
        .map_err(js_error)?;
    let request = iamauth::RdsTokenRequest {
        host: &host,
        port: int(port),
        user: &user,
        region: iamauth::region_or_from_host(region.as_deref(), &host).map_err(js_error)?,
        time: int(time),
        expires_in: int(expires_in),
    };
    iamauth::rds_token(&request, &creds).map_err(js_error)
}

/// An Aurora DSQL authentication token (`DbConnectAdmin` when `admin` is true); `region`
/// `null`: the one the endpoint host names.
#[napi(js_name = "dsqlToken", catch_unwind)]
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn dsql_token(
    host: Text,
    region: Option<Text>,
    access_key_id: Text,
    secret_access_key: Secret,
    session_token: Option<Text>,
    admin: bool,
    expires_in: f64,
    time: f64,
) -> napi::Result<String, Code> {
    let creds = Credentials::new(&access_key_id, &secret_access_key, session_token.as_deref())
        .map_err(js_error)?;
    let request = iamauth::DsqlTokenRequest {
        host: &host,
        region: iamauth::region_or_from_host(region.as_deref(), &host).map_err(js_error)?,
        action: if admin {
            DsqlAction::DbConnectAdmin
        } else {
            DsqlAction::DbConnect
        },
        time: int(time),
        expires_in: int(expires_in),
    };
    iamauth::dsql_token(&request, &creds).map_err(js_error)
}

/// An ElastiCache (`service = "elasticache"`) or MemoryDB (`service = "memorydb"`) IAM token;
/// `serverless` adds `ResourceType=ServerlessCache`.
#[napi(js_name = "elasticacheToken", catch_unwind)]
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn elasticache_token(
    name: Text,
    user: Text,
    region: Text,
    access_key_id: Text,
    secret_access_key: Secret,
    session_token: Option<Text>,
    serverless: bool,
    service: Option<Text>,
    expires_in: f64,
    time: f64,
) -> napi::Result<String, Code> {
    // No service: the core's default cache service (ElastiCache).
    let service = service
        .map(|s| CacheService::parse(&s))
        .transpose()
        .map_err(js_error)?
        .unwrap_or_default();
    let creds = Credentials::new(&access_key_id, &secret_access_key, session_token.as_deref())
        .map_err(js_error)?;
    let request = iamauth::ElastiCacheTokenRequest {
        name: &name,
        user: &user,
        region: &region,
        serverless,
        service,
        time: int(time),
        expires_in: int(expires_in),
    };
    iamauth::elasticache_token(&request, &creds).map_err(js_error)
}

/// What a token grants, to whom and until when, plus whether it is usable at the `now` given
/// to `inspect`. A plain JS object (camelCase keys); absent values are `null`, never missing.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct NativeTokenInfo {
    /// `rds`, `dsql` or `elasticache`.
    pub kind: &'static str,
    /// Host (or cache name) as written in the token.
    pub host: String,
    /// Port (RDS only), else `null`.
    pub port: Option<u16>,
    /// The decoded `DBUser` (RDS) or `User` (cache), `null` for DSQL.
    pub user: Option<String>,
    /// `connect`, `DbConnect` or `DbConnectAdmin`.
    pub action: String,
    /// ElastiCache Serverless (`ResourceType=ServerlessCache`).
    pub serverless: bool,
    /// Region of the credential scope.
    pub region: String,
    /// Signing service: `rds-db`, `dsql`, `elasticache` or `memorydb`.
    pub service: String,
    /// Access key id of the signer.
    pub access_key_id: String,
    /// Signing time, unix seconds.
    pub signed_at: i64,
    /// `X-Amz-Expires`, seconds.
    pub expires_in: u32,
    /// `signedAt + expiresIn`, unix seconds.
    pub expires_at: i64,
    /// Whether an `X-Amz-Security-Token` is present (its value is never exposed).
    pub has_session_token: bool,
    /// `X-Amz-Signature`, lowercase hex.
    pub signature: String,
    /// `valid`, `expired` or `not_yet_valid` at `now`.
    pub status: &'static str,
    /// The state's one number (`Validity::seconds`): seconds left, seconds ago or starts in.
    pub seconds: i64,
}

/// Reads a token back (`MALFORMED_TOKEN` if it is not one) and judges it at `now` (unix
/// seconds; `INVALID_TIME` out of range).
#[napi(catch_unwind)]
pub fn inspect(token: Text, now: f64) -> napi::Result<NativeTokenInfo, Code> {
    let info = iamauth::inspect(&token).map_err(js_error)?;
    let validity = info.validity(int(now)).map_err(js_error)?;
    Ok(NativeTokenInfo {
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
        seconds: validity.seconds(),
    })
}

/// Until when (unix seconds) a provider may hand out again a token signed at `signedAt`, valid
/// for `expiresIn` seconds with credentials expiring at `credentialsExpiration` (if given):
/// the core's `reuse_until`, `INVALID_CREDENTIALS` when the credentials have expired.
#[napi(js_name = "reuseUntil", catch_unwind)]
pub fn reuse_until(
    signed_at: f64,
    expires_in: f64,
    credentials_expiration: Option<f64>,
) -> napi::Result<i64, Code> {
    iamauth::reuse_until(
        int(signed_at),
        int(expires_in),
        credentials_expiration.map(int),
    )
    .map_err(js_error)
}

/// Whether a token cached at `signedAt` until `reuseUntil` may be handed out at `now` (the
/// core's `may_reuse`).
#[napi(js_name = "mayReuse", catch_unwind)]
pub fn may_reuse(now: f64, signed_at: f64, reuse_until: f64) -> bool {
    iamauth::may_reuse(int(now), int(signed_at), int(reuse_until))
}

/// One row of the core's error table.
#[napi(object, object_from_js = false)]
pub struct NativeErrorCode {
    /// The stable name, e.g. `INVALID_PORT`.
    pub code: &'static str,
    /// The stable number (the C ABI's).
    pub number: u32,
    /// What it means, one sentence.
    pub description: &'static str,
}

/// The core's error table (`ErrorCode::ALL`, in number order).
#[napi(js_name = "errorCodes", catch_unwind)]
pub fn error_codes() -> Vec<NativeErrorCode> {
    ErrorCode::ALL
        .iter()
        .map(|c| NativeErrorCode {
            code: c.name(),
            number: c.number(),
            description: c.description(),
        })
        .collect()
}

/// The core's default token lifetime, seconds (`iamauth::DEFAULT_EXPIRY`).
#[napi(js_name = "defaultExpiresIn", catch_unwind)]
pub fn default_expires_in() -> i64 {
    iamauth::DEFAULT_EXPIRY
}

/// The clock skew verify allows by default, seconds (`iamauth::DEFAULT_SKEW`).
#[napi(js_name = "defaultSkew", catch_unwind)]
pub fn default_skew() -> i64 {
    iamauth::DEFAULT_SKEW
}

/// The service verify expects when told none (`iamauth::DEFAULT_SERVICE`).
#[napi(js_name = "defaultService", catch_unwind)]
pub fn default_service() -> &'static str {
    iamauth::DEFAULT_SERVICE
}

/// The package version (`CARGO_PKG_VERSION`, the workspace version).
#[napi(catch_unwind)]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Who signed a verified token and what it grants (a plain JS object; absent values `null`).
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct NativeIdentity {
    /// `rds`, `dsql` or `elasticache`.
    pub kind: &'static str,
    /// The signer's access key id.
    pub access_key_id: String,
    /// The database or cache user, `null` for DSQL.
    pub user: Option<String>,
    /// `connect`, `DbConnect` or `DbConnectAdmin`.
    pub action: String,
    /// The host as written in the token.
    pub host: String,
    /// The port, `null` if the token has none.
    pub port: Option<u16>,
    /// The credential scope's region.
    pub region: String,
    /// The credential scope's service.
    pub service: String,
    /// Signing time, unix seconds.
    pub signed_at: i64,
    /// Expiry time, unix seconds.
    pub expires_at: i64,
}

/// Verifies a token as the database would (the core's checks, in the core's order). The keys
/// are either a keys file's JSON text (`keysText`) or the one key the front-end looked up for
/// the token's access key id (`accessKeyId`, `secretAccessKey`, `sessionToken`; all `null`
/// when it knows none). `null` expectations accept any value; `service` `null` is the core's
/// default.
#[napi(catch_unwind)]
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn verify(
    token: Text,
    keys_text: Option<Secret>,
    access_key_id: Option<Text>,
    secret_access_key: Option<Secret>,
    session_token: Option<Text>,
    host: Option<Text>,
    port: Option<f64>,
    user: Option<Text>,
    region: Option<Text>,
    service: Option<Text>,
    skew: f64,
    now: f64,
) -> napi::Result<NativeIdentity, Code> {
    let keys = match (&keys_text, &access_key_id, &secret_access_key) {
        (Some(text), _, _) => Some(KeyFile::parse(text)),
        (None, Some(id), Some(secret)) => {
            Some(KeyFile::single(id, secret, session_token.as_deref()))
        }
        _ => None,
    }
    .transpose()
    .map_err(js_error)?;
    let port = port
        .map(|p| iamauth::check_port(int(p)))
        .transpose()
        .map_err(js_error)?;
    let expect = iamauth::Expectations {
        host: host.as_deref(),
        port,
        user: user.as_deref(),
        region: region.as_deref(),
        service: service.as_deref(),
        skew: int(skew),
    };
    let key = |akid: &str| keys.as_ref().and_then(|k| k.get(akid));
    let who = iamauth::verify(&token, key, &expect, int(now)).map_err(js_error)?;
    Ok(NativeIdentity {
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
}
