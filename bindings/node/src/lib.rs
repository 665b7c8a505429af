//! # iamauth-node
//!
//! The native half of the `iamauth` npm package: the functions of the native contract shared
//! with the wasm package (listed in bindings/js/frontend.js). The public API is that plain-JS
//! front-end (bindings/js/, shared by both JS packages), which checks JS types and fills in
//! "now" before calling here.
//!
//! This addon only converts, maps errors and catches panics: the binding-neutral half of the
//! contract (numbers as `i64`, the core's requests, `verify`'s keys and expectations, the
//! records returned) is written once for both JS packages in `iamauth-js-native`
//! (bindings/js/native), and every rule is the core's. Here, napi values become that crate's
//! plain types, a record becomes a plain JS object in one loop (`object`), and a core error is
//! thrown as a JS `Error` whose `.code` is the core's code name (`INVALID_PORT`, ...) and whose
//! `.message` is the core's static text (never input, never a secret).
//!
//! A wrong JS type throws too, with a message naming only types (`.code` `StringExpected`,
//! `NumberExpected` or `BooleanExpected`), never the value: see [`text::Text`]. Every function
//! is `catch_unwind`, so nothing reaching this addon can abort the process.
//!
//! One part is this package's alone: [`chain::CredentialChain`], the AWS credential chain of
//! `iamauth-credentials` behind the front-end's `fromDefaultChain` (the wasm package does not
//! link it, and its front-end has no `fromDefaultChain`).

use iamauth::Signer;
use iamauth_js_native::{self as contract, Field, Value};
use napi::bindgen_prelude::{Env, JsObjectValue, Null, Object};
use napi_derive::napi;
use std::ffi::CStr;
use text::{Secret, Text, Token};

#[cfg(feature = "bench")]
pub mod bench;
pub mod chain;
pub mod text;

/// The status type of our errors: napi throws an `Error<Code>` as a JS `Error` whose `.code` is
/// this string. (Written out as `napi::Result<T, Code>` in signatures: `#[napi]` only recognises
/// a return type named `Result`.)
type Code = &'static str;

/// The core's error as a JS `Error`: `.code` = `INVALID_PORT` etc., `.message` = the core's text.
fn js_error(e: iamauth::Error) -> napi::Error<Code> {
    napi::Error::new(e.code().name(), e.message())
}

/// A failed N-API call while building a result (not a core error: the front-end rethrows it as
/// the defect it is).
fn napi_failure(e: napi::Error) -> napi::Error<Code> {
    napi::Error::new("GenericFailure", e.reason)
}

/// The longest field name plus its NUL (the longest today, `hasSessionToken`, has 15 bytes).
const NAME_BUF: usize = 32;

/// A field name as a C string in `buf`, for `napi_set_named_property`: V8 interns such a key
/// as it does a literal (a key from `napi_create_string_utf8` is not, and `inspect` took 1.2 us
/// more), and the buffer saves an allocation per field.
fn c_name<'b>(name: &str, buf: &'b mut [u8; NAME_BUF]) -> napi::Result<&'b CStr, Code> {
    let n = name.len();
    buf.get_mut(..n)
        .map(|dst| dst.copy_from_slice(name.as_bytes()))
        .and_then(|()| buf.get_mut(n))
        .map(|nul| *nul = 0)
        .and_then(|()| CStr::from_bytes_until_nul(buf).ok())
        .ok_or_else(|| napi::Error::new("GenericFailure", "a field name is too long"))
}

/// A record as a plain JS object, one property per field in the record's order (`null` for an
/// absent value, never a missing property).
fn object<'env>(env: &'env Env, fields: &[Field<'_>]) -> napi::Result<Object<'env>, Code> {
    let mut obj = Object::new(env).map_err(napi_failure)?;
    let mut buf = [0; NAME_BUF];
    for &(name, value) in fields {
        let name = c_name(name, &mut buf)?;
        match value {
            Value::Text(s) => obj.set_c_named_property(name, s),
            Value::Int(n) => obj.set_c_named_property(name, n),
            Value::Bool(b) => obj.set_c_named_property(name, b),
            Value::Null => obj.set_c_named_property(name, Null),
        }
        .map_err(napi_failure)?;
    }
    Ok(obj)
}

/// `rdsToken`: an RDS / Aurora IAM authentication token (`region` `null`: read from the host).
#[napi(js_name = "rdsToken", catch_unwind)]
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
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
) -> napi::Result<Token, Code> {
    let (region, session_token) = (region.as_deref(), session_token.as_deref());
    contract::rds_token(
        Signer::shared(),
        &host,
        port,
        &user,
        region,
        &access_key_id,
        &secret_access_key,
        session_token,
        expires_in,
        time,
    )
    .map(Token)
    .map_err(js_error)
}

/// `dsqlToken`: an Aurora DSQL authentication token (`region` `null`: read from the host).
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
) -> napi::Result<Token, Code> {
    let (region, session_token) = (region.as_deref(), session_token.as_deref());
    contract::dsql_token(
        Signer::shared(),
        &host,
        region,
        &access_key_id,
        &secret_access_key,
        session_token,
        admin,
        expires_in,
        time,
    )
    .map(Token)
    .map_err(js_error)
}

/// `elasticacheToken`: an ElastiCache or MemoryDB IAM token (`service` `null`: the core's
/// default cache service).
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
) -> napi::Result<Token, Code> {
    let (session_token, service) = (session_token.as_deref(), service.as_deref());
    contract::elasticache_token(
        Signer::shared(),
        &name,
        &user,
        &region,
        &access_key_id,
        &secret_access_key,
        session_token,
        serverless,
        service,
        expires_in,
        time,
    )
    .map(Token)
    .map_err(js_error)
}

/// `eksToken`: an Amazon EKS token (`stsEndpoint` `null`: the core's default, regional).
#[napi(js_name = "eksToken", catch_unwind)]
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn eks_token(
    cluster: Text,
    region: Text,
    sts_endpoint: Option<Text>,
    access_key_id: Text,
    secret_access_key: Secret,
    session_token: Option<Text>,
    time: f64,
) -> napi::Result<Token, Code> {
    let (sts_endpoint, session_token) = (sts_endpoint.as_deref(), session_token.as_deref());
    contract::eks_token(
        Signer::shared(),
        &cluster,
        &region,
        sts_endpoint,
        &access_key_id,
        &secret_access_key,
        session_token,
        time,
    )
    .map(Token)
    .map_err(js_error)
}

/// `eksExpiration`: the `ExecCredential` `status.expirationTimestamp` of a token signed at `time`.
#[napi(js_name = "eksExpiration", catch_unwind)]
pub fn eks_expiration(time: f64) -> napi::Result<String, Code> {
    contract::eks_expiration(time).map_err(js_error)
}

/// `eksExecApiVersion`: the `ExecCredential` `apiVersion` when none is given.
#[napi(js_name = "eksExecApiVersion", catch_unwind)]
pub fn eks_exec_api_version() -> &'static str {
    contract::EKS_EXEC_API_VERSION
}

/// `mskToken`: an Amazon MSK IAM token (`userAgent` `null`: the core's).
#[napi(js_name = "mskToken", catch_unwind)]
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn msk_token(
    region: Text,
    access_key_id: Text,
    secret_access_key: Secret,
    session_token: Option<Text>,
    expires_in: f64,
    user_agent: Option<Text>,
    time: f64,
) -> napi::Result<Token, Code> {
    let (session_token, user_agent) = (session_token.as_deref(), user_agent.as_deref());
    contract::msk_token(
        Signer::shared(),
        &region,
        &access_key_id,
        &secret_access_key,
        session_token,
        expires_in,
        user_agent,
        time,
    )
    .map(Token)
    .map_err(js_error)
}

/// `mskExpiryMs`: an MSK token's expiry, unix milliseconds.
#[napi(js_name = "mskExpiryMs", catch_unwind)]
pub fn msk_expiry_ms(time: f64, expires_in: f64) -> i64 {
    contract::msk_expiry_ms(time, expires_in)
}

/// `inspect`: what a token grants, to whom and until when, judged at `now` (a plain object, see
/// `Inspected::fields`).
#[napi(catch_unwind)]
pub fn inspect<'env>(env: &'env Env, token: Text, now: f64) -> napi::Result<Object<'env>, Code> {
    contract::inspect(&token, now, |inspected| object(env, &inspected.fields()))
        .map_err(js_error)?
}

/// `verify`: verifies a token as the database would, with a keys file's text or the one key
/// the front-end looked up (a plain object, see `Verified::fields`).
#[napi(catch_unwind)]
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn verify<'env>(
    env: &'env Env,
    token: Text,
    keys_text: Option<Secret>,
    access_key_id: Option<Text>,
    secret_access_key: Option<Secret>,
    session_token: Option<Text>,
    host: Option<Text>,
    port: Option<f64>,
    user: Option<Text>,
    action: Option<Text>,
    region: Option<Text>,
    service: Option<Text>,
    cluster: Option<Text>,
    skew: f64,
    now: f64,
) -> napi::Result<Object<'env>, Code> {
    contract::verify(
        &token,
        keys_text.as_deref(),
        access_key_id.as_deref(),
        secret_access_key.as_deref(),
        session_token.as_deref(),
        host.as_deref(),
        port,
        user.as_deref(),
        action.as_deref(),
        region.as_deref(),
        service.as_deref(),
        cluster.as_deref(),
        skew,
        now,
        |verified| object(env, &verified.fields()),
    )
    .map_err(js_error)?
}

/// `reuseUntil`: until when (unix seconds) a provider may hand out again a token it signed.
#[napi(js_name = "reuseUntil", catch_unwind)]
pub fn reuse_until(
    signed_at: f64,
    expires_in: f64,
    credentials_expiration: Option<f64>,
) -> napi::Result<i64, Code> {
    contract::reuse_until(signed_at, expires_in, credentials_expiration).map_err(js_error)
}

/// `mayReuse`: whether a cached token may be handed out at `now`.
#[napi(js_name = "mayReuse", catch_unwind)]
pub fn may_reuse(now: f64, signed_at: f64, reuse_until: f64) -> bool {
    contract::may_reuse(now, signed_at, reuse_until)
}

/// `errorCodes`: the core's error table, `[{ code, number, description }]` in number order.
#[napi(js_name = "errorCodes", catch_unwind)]
pub fn error_codes(env: &Env) -> napi::Result<Vec<Object<'_>>, Code> {
    contract::error_codes()
        .map(|row| object(env, &row))
        .collect()
}

/// `defaultExpiresIn`: a token's default lifetime, seconds.
#[napi(js_name = "defaultExpiresIn", catch_unwind)]
pub fn default_expires_in() -> i64 {
    contract::DEFAULT_EXPIRES_IN
}

/// `defaultSkew`: the clock skew verify allows by default, seconds.
#[napi(js_name = "defaultSkew", catch_unwind)]
pub fn default_skew() -> i64 {
    contract::DEFAULT_SKEW
}

/// `defaultService`: the service verify expects when told none.
#[napi(js_name = "defaultService", catch_unwind)]
pub fn default_service() -> &'static str {
    contract::DEFAULT_SERVICE
}

/// `version`: the package version (the Cargo workspace version).
#[napi(catch_unwind)]
pub fn version() -> &'static str {
    contract::VERSION
}
