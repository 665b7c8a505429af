//! `iamauth-wasm`: the WebAssembly binding of the `iamauth` core, the "native" half of the npm
//! package `iamauth-wasm` (the JS front-end shared with the napi addon, bindings/js/, is the
//! other half; its first lines list the native contract this crate exports).
//!
//! It only converts and maps errors; the front-end has already checked types and filled in "now".
//! The binding-neutral half of the contract (numbers saturated into `i64` so that the core names
//! the field out of range, the core's requests, `verify`'s keys and expectations, the records
//! returned) is written once for both JS packages in `iamauth-js-native` (bindings/js/native);
//! every rule is the core's. Here, JS values become that crate's plain types, a record becomes a
//! plain JS object in one loop (`record`), and a core error a thrown JS `Error` with `.code`.
//!
//! Strings are taken as `&JsValue` and type-checked here. The glue wasm-bindgen generates for
//! `&str` / `String` parameters does not check the type, and given a number it calls
//! `__wbindgen_realloc` on a dangling pointer: `rdsToken(5, ...)` trapped with "memory access out
//! of bounds" in the tests. A non-string now throws a `TypeError` before any allocation.
//!
//! Nothing here may trap: the profile is `panic = "abort"`, so a panic would be a wasm
//! `unreachable`. There is no `unwrap`, indexing or formatting in this file, and core errors
//! become thrown JS `Error`s carrying `.code`.
//!
//! Two modules are built from this crate (wasm/build.mjs), by cargo feature: `sign`, the token
//! functions and the providers' reuse rule (the package's default entry: a Worker that signs loads
//! only this, at most 50 KB after wasm-opt), and `verify`, `inspect`, `verify`, the signing steps
//! and the error table (the entry `iamauth-wasm/verify`). Both have the defaults and `version`.
//! `bench` adds the benchmark's loops (wasm/bench, never in the package).
//!
//! On wasm32 the crate is `no_std` (about 15 KB smaller after `wasm-opt` than with std's panic
//! formatting and dlmalloc): a panic handler that traps without formatting, and `talc` as the
//! allocator. The host-side rlib (`cargo clippy --workspace`) keeps std.

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

// Shared wasm memory (`+atomics`) would make the single-threaded allocator and key cache below
// unsound; the package is built without it.
#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
compile_error!("iamauth-wasm assumes single-threaded wasm32 (no `atomics` target feature)");

use alloc::string::String;
#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    feature = "verify"
))]
use alloc::vec::Vec;
#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    feature = "verify"
))]
use core::cell::RefCell;
use iamauth::Signer;
use iamauth_js_native as contract;
#[cfg(feature = "verify")]
use iamauth_js_native::{Field, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

/// A panic can only trap (the profile is `panic = "abort"`, and nothing here panics). The
/// `PanicInfo` is never formatted, so `core::fmt`'s code goes (wasm-opt drops what LTO keeps;
/// the message strings of the core's and std's own panics stay in the data: about 3.7 KB).
#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// The allocator: `talc`, a binned free-list allocator that grows wasm memory as needed, frees
/// and coalesces (a Worker signs millions of tokens): about 1.5 KB of code against std's 8 KB
/// of dlmalloc, for the same speed. Its single-threaded cell is sound only without `atomics`, which
/// its `const` constructor checks at compile time (no `unsafe` here).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// What one instance keeps between calls: the signer (its signing-key cache; without the core's
/// `std` feature there is no process-wide one, and wasm32 runs one thread per instance) and the
/// property names of the records made into JS strings once (`with_name`; only the `verify`
/// module returns records).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
struct Instance {
    signer: Signer,
    #[cfg(feature = "verify")]
    names: RefCell<Vec<(&'static str, JsValue)>>,
}

// SAFETY: `Signer`'s cache and `names` are `RefCell`s, and a `JsValue` belongs to the thread that
// made it, so `Instance` is not `Sync`. On wasm32-unknown-unknown without the `atomics` target
// feature there are no threads: the memory is not shared, each instance (one per JS realm /
// Worker) has its own copy of this static, and it is only ever touched by the one thread running
// that instance. Re-entrancy is the `RefCell`s' job, as on one std thread.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[allow(unsafe_code)]
unsafe impl Sync for Instance {}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
static INSTANCE: Instance = Instance {
    signer: Signer::new(),
    #[cfg(feature = "verify")]
    names: RefCell::new(Vec::new()),
};

/// Runs `f` with this instance's signer.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
fn with_signer<R>(f: impl FnOnce(&Signer) -> R) -> R {
    f(&INSTANCE.signer)
}

/// Runs `f` with a field name as a JS string, made once per instance: the record's names are
/// `&'static str`s of bindings/js/native, told apart by address (a few dozen at most). Passing a
/// `&str` instead decodes it from wasm memory on every call (`TextDecoder`): `inspect` took
/// about 50 % longer. A re-entrant call (a JS setter on `Object.prototype` calling back in)
/// makes its own.
#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    feature = "verify"
))]
fn with_name<R>(name: &'static str, f: impl FnOnce(&JsValue) -> R) -> R {
    let Ok(mut names) = INSTANCE.names.try_borrow_mut() else {
        return f(&JsValue::from_str(name));
    };
    let i = match names.iter().position(|(n, _)| core::ptr::eq(*n, name)) {
        Some(i) => i,
        None => {
            names.push((name, JsValue::from_str(name)));
            names.len() - 1
        }
    };
    match names.get(i) {
        Some((_, js)) => f(js),
        None => f(&JsValue::from_str(name)),
    }
}

/// The host-side build exists for `cargo clippy --workspace` only: a fresh signer each call.
#[cfg(not(target_arch = "wasm32"))]
fn with_signer<R>(f: impl FnOnce(&Signer) -> R) -> R {
    f(&Signer::new())
}

/// The host-side build (`cargo clippy --workspace` only): a fresh JS string each time.
#[cfg(all(not(target_arch = "wasm32"), feature = "verify"))]
fn with_name<R>(name: &'static str, f: impl FnOnce(&JsValue) -> R) -> R {
    f(&JsValue::from_str(name))
}

/// The most UTF-16 code units of one argument copied into wasm memory. Every field the core
/// accepts is far shorter (the longest, a token carrying an 8192-byte session token, stays under
/// 32 KiB), so a longer string is rejected by the core for its length all the same; copying it
/// whole could not change that, but it could exhaust the 4 GiB wasm memory (three strings of
/// V8's maximum length did: an allocation failure is a trap) and grow memory that never shrinks.
const MAX_COPY_UNITS: u32 = 1 << 16;

/// A string argument, copied into wasm memory: `TypeError` if it is not a string; only the first
/// `MAX_COPY_UNITS + 1` code units if it is longer than `MAX_COPY_UNITS`.
fn text(value: &JsValue, what: &'static str) -> Result<String, JsValue> {
    if !value.is_string() {
        return Err(type_error(what));
    }
    let s: &JsStr = value.unchecked_ref();
    let copied = if s.length() > MAX_COPY_UNITS {
        s.slice(0, MAX_COPY_UNITS + 1).as_string()
    } else {
        value.as_string()
    };
    copied.ok_or_else(|| type_error(what))
}

/// An optional string argument: `null` and `undefined` are `None`.
fn opt_text(value: &JsValue, what: &'static str) -> Result<Option<String>, JsValue> {
    if value.is_null() || value.is_undefined() {
        Ok(None)
    } else {
        text(value, what).map(Some)
    }
}

/// A string argument holding a secret (a secret access key, a session token, a keys file's
/// text): its copy in wasm memory is wiped when dropped.
struct Secret(Zeroizing<String>);

impl core::ops::Deref for Secret {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// A secret string argument.
fn secret(value: &JsValue, what: &'static str) -> Result<Secret, JsValue> {
    text(value, what).map(|s| Secret(Zeroizing::new(s)))
}

/// An optional secret string argument: `null` and `undefined` are `None`.
fn opt_secret(value: &JsValue, what: &'static str) -> Result<Option<Secret>, JsValue> {
    opt_text(value, what).map(|s| s.map(|s| Secret(Zeroizing::new(s))))
}

// The JS values this binding makes, through imports whose glue wasm-bindgen writes: `new
// Error(message)` then `err.code = ...`; `new Object()` then `obj[name] = value` per field. No
// `inline_js`: its snippet files are ES modules, which the CommonJS `nodejs` glue cannot require.
#[wasm_bindgen]
extern "C" {
    /// A JS `Error`.
    #[wasm_bindgen(js_name = Error)]
    type CodedError;
    #[wasm_bindgen(constructor, js_class = Error)]
    fn new(message: &str) -> CodedError;
    #[wasm_bindgen(method, setter = code)]
    fn set_code(this: &CodedError, code: &str);

    /// A JS string, for its length and a prefix (`text` checks `typeof` first).
    type JsStr;
    #[wasm_bindgen(method, getter)]
    fn length(this: &JsStr) -> u32;
    #[wasm_bindgen(method)]
    fn slice(this: &JsStr, start: u32, end: u32) -> JsValue;

    /// A JS `TypeError`.
    #[wasm_bindgen(js_name = TypeError)]
    type TypeError;
    #[wasm_bindgen(constructor, js_class = TypeError)]
    fn new(message: &str) -> TypeError;

    /// A plain JS object made from a record (`new Object()`, then one property per field).
    #[cfg(feature = "verify")]
    #[wasm_bindgen(js_name = Object)]
    type Record;
    #[cfg(feature = "verify")]
    #[wasm_bindgen(constructor, js_class = Object)]
    fn new() -> Record;
    #[cfg(feature = "verify")]
    #[wasm_bindgen(method, structural, indexing_setter)]
    fn set_text(this: &Record, name: &JsValue, value: &str);
    #[cfg(feature = "verify")]
    #[wasm_bindgen(method, structural, indexing_setter)]
    fn set_number(this: &Record, name: &JsValue, value: f64);
    #[cfg(feature = "verify")]
    #[wasm_bindgen(method, structural, indexing_setter)]
    fn set_bool(this: &Record, name: &JsValue, value: bool);
    #[cfg(feature = "verify")]
    #[wasm_bindgen(method, structural, indexing_setter)]
    fn set_value(this: &Record, name: &JsValue, value: &JsValue);

    /// A JS `Array`, for the error table.
    #[cfg(feature = "verify")]
    #[wasm_bindgen(js_name = Array)]
    type Rows;
    #[cfg(feature = "verify")]
    #[wasm_bindgen(constructor, js_class = Array)]
    fn new() -> Rows;
    #[cfg(feature = "verify")]
    #[wasm_bindgen(method)]
    fn push(this: &Rows, row: &Record) -> u32;
}

/// A `TypeError` naming the argument.
fn type_error(message: &str) -> JsValue {
    TypeError::new(message).into()
}

/// A core error as a thrown JS `Error`: `.message` is the core's static message, `.code` its
/// stable code name (e.g. `INVALID_PORT`). The front-end turns it into `IamAuthError`.
fn js_error(e: iamauth::Error) -> JsValue {
    let err = CodedError::new(e.message());
    err.set_code(e.code().name());
    err.into()
}

/// A record as a plain JS object, one property per field in the record's order (`null` for an
/// absent value, never a missing property). Numbers are exact: every one is below 2^53.
#[cfg(feature = "verify")]
fn record(fields: &[Field<'_>]) -> Record {
    let obj = Record::new();
    for &(name, value) in fields {
        with_name(name, |name| match value {
            Value::Text(s) => obj.set_text(name, s),
            Value::Int(n) => obj.set_number(name, n as f64),
            Value::Bool(b) => obj.set_bool(name, b),
            Value::Null => obj.set_value(name, &JsValue::NULL),
        });
    }
    obj
}

#[cfg(feature = "sign")]
/// `rdsToken`: an RDS / Aurora IAM authentication token (`region` `null`: read from the host).
#[wasm_bindgen(js_name = rdsToken)]
#[allow(clippy::too_many_arguments)] // The positional native contract shared with the napi addon.
pub fn rds_token(
    host: &JsValue,
    port: f64,
    user: &JsValue,
    region: &JsValue,
    access_key_id: &JsValue,
    secret_access_key: &JsValue,
    session_token: &JsValue,
    expires_in: f64,
    time: f64,
) -> Result<String, JsValue> {
    with_signer(|signer| {
        contract::rds_token(
            signer,
            &text(host, "host: must be a string")?,
            port,
            &text(user, "user: must be a string")?,
            opt_text(region, "region: must be a string or null")?.as_deref(),
            &text(access_key_id, "accessKeyId: must be a string")?,
            &secret(secret_access_key, "secretAccessKey: must be a string")?,
            opt_secret(session_token, "sessionToken: must be a string or null")?.as_deref(),
            expires_in,
            time,
        )
        .map_err(js_error)
    })
}

#[cfg(feature = "verify")]
/// `rdsSigningSteps`, `rdsToken`'s arguments: the token with its SigV4 steps, a plain object
/// `{ canonicalRequest, stringToSign, signature, token }` (`Steps::fields` of bindings/js/native).
/// Not part of the shared front-end's API: the wasm token page (wasm/page) imports it from
/// `pkg/web/iamauth_wasm_verify.js` (the verify module's glue) to show the steps as `iamauth demo`
/// does.
#[wasm_bindgen(js_name = rdsSigningSteps)]
#[allow(clippy::too_many_arguments)] // `rdsToken`'s positional native contract.
pub fn rds_signing_steps(
    host: &JsValue,
    port: f64,
    user: &JsValue,
    region: &JsValue,
    access_key_id: &JsValue,
    secret_access_key: &JsValue,
    session_token: &JsValue,
    expires_in: f64,
    time: f64,
) -> Result<JsValue, JsValue> {
    with_signer(|signer| {
        let steps = contract::rds_signing_steps(
            signer,
            &text(host, "host: must be a string")?,
            port,
            &text(user, "user: must be a string")?,
            opt_text(region, "region: must be a string or null")?.as_deref(),
            &text(access_key_id, "accessKeyId: must be a string")?,
            &secret(secret_access_key, "secretAccessKey: must be a string")?,
            opt_secret(session_token, "sessionToken: must be a string or null")?.as_deref(),
            expires_in,
            time,
        )
        .map_err(js_error)?;
        Ok(record(&steps.fields()).into())
    })
}

#[cfg(feature = "sign")]
/// `dsqlToken`: an Aurora DSQL authentication token (`region` `null`: read from the host).
#[wasm_bindgen(js_name = dsqlToken)]
#[allow(clippy::too_many_arguments)] // The positional native contract shared with the napi addon.
pub fn dsql_token(
    host: &JsValue,
    region: &JsValue,
    access_key_id: &JsValue,
    secret_access_key: &JsValue,
    session_token: &JsValue,
    admin: bool,
    expires_in: f64,
    time: f64,
) -> Result<String, JsValue> {
    with_signer(|signer| {
        contract::dsql_token(
            signer,
            &text(host, "host: must be a string")?,
            opt_text(region, "region: must be a string or null")?.as_deref(),
            &text(access_key_id, "accessKeyId: must be a string")?,
            &secret(secret_access_key, "secretAccessKey: must be a string")?,
            opt_secret(session_token, "sessionToken: must be a string or null")?.as_deref(),
            admin,
            expires_in,
            time,
        )
        .map_err(js_error)
    })
}

#[cfg(feature = "sign")]
/// `elasticacheToken`: an ElastiCache or MemoryDB IAM token (`service` `null`: the core's
/// default cache service).
#[wasm_bindgen(js_name = elasticacheToken)]
#[allow(clippy::too_many_arguments)] // The positional native contract shared with the napi addon.
pub fn elasticache_token(
    name: &JsValue,
    user: &JsValue,
    region: &JsValue,
    access_key_id: &JsValue,
    secret_access_key: &JsValue,
    session_token: &JsValue,
    serverless: bool,
    service: &JsValue,
    expires_in: f64,
    time: f64,
) -> Result<String, JsValue> {
    with_signer(|signer| {
        contract::elasticache_token(
            signer,
            &text(name, "name: must be a string")?,
            &text(user, "user: must be a string")?,
            &text(region, "region: must be a string")?,
            &text(access_key_id, "accessKeyId: must be a string")?,
            &secret(secret_access_key, "secretAccessKey: must be a string")?,
            opt_secret(session_token, "sessionToken: must be a string or null")?.as_deref(),
            serverless,
            opt_text(service, "service: must be a string")?.as_deref(),
            expires_in,
            time,
        )
        .map_err(js_error)
    })
}

#[cfg(feature = "sign")]
/// `eksToken`: an Amazon EKS token (`stsEndpoint` `null`: the core's default, regional).
#[wasm_bindgen(js_name = eksToken)]
#[allow(clippy::too_many_arguments)] // The positional native contract shared with the napi addon.
pub fn eks_token(
    cluster: &JsValue,
    region: &JsValue,
    sts_endpoint: &JsValue,
    access_key_id: &JsValue,
    secret_access_key: &JsValue,
    session_token: &JsValue,
    time: f64,
) -> Result<String, JsValue> {
    with_signer(|signer| {
        contract::eks_token(
            signer,
            &text(cluster, "cluster: must be a string")?,
            &text(region, "region: must be a string")?,
            opt_text(sts_endpoint, "stsEndpoint: must be a string or null")?.as_deref(),
            &text(access_key_id, "accessKeyId: must be a string")?,
            &secret(secret_access_key, "secretAccessKey: must be a string")?,
            opt_secret(session_token, "sessionToken: must be a string or null")?.as_deref(),
            time,
        )
        .map_err(js_error)
    })
}

#[cfg(feature = "sign")]
/// `eksExpiration`: the `ExecCredential` `status.expirationTimestamp` of a token signed at `time`.
#[wasm_bindgen(js_name = eksExpiration)]
pub fn eks_expiration(time: f64) -> Result<String, JsValue> {
    contract::eks_expiration(time).map_err(js_error)
}

#[cfg(feature = "sign")]
/// `eksExecApiVersion`: the `ExecCredential` `apiVersion` when none is given.
#[wasm_bindgen(js_name = eksExecApiVersion)]
pub fn eks_exec_api_version() -> String {
    String::from(contract::EKS_EXEC_API_VERSION)
}

#[cfg(feature = "sign")]
/// `mskToken`: an Amazon MSK IAM token (`userAgent` `null`: the core's).
#[wasm_bindgen(js_name = mskToken)]
#[allow(clippy::too_many_arguments)] // The positional native contract shared with the napi addon.
pub fn msk_token(
    region: &JsValue,
    access_key_id: &JsValue,
    secret_access_key: &JsValue,
    session_token: &JsValue,
    expires_in: f64,
    user_agent: &JsValue,
    time: f64,
) -> Result<String, JsValue> {
    with_signer(|signer| {
        contract::msk_token(
            signer,
            &text(region, "region: must be a string")?,
            &text(access_key_id, "accessKeyId: must be a string")?,
            &secret(secret_access_key, "secretAccessKey: must be a string")?,
            opt_secret(session_token, "sessionToken: must be a string or null")?.as_deref(),
            expires_in,
            opt_text(user_agent, "userAgent: must be a string or null")?.as_deref(),
            time,
        )
        .map_err(js_error)
    })
}

#[cfg(feature = "sign")]
/// `mskExpiryMs`: an MSK token's expiry, unix milliseconds.
#[wasm_bindgen(js_name = mskExpiryMs)]
pub fn msk_expiry_ms(time: f64, expires_in: f64) -> f64 {
    contract::msk_expiry_ms(time, expires_in) as f64
}

#[cfg(feature = "verify")]
/// `inspect`: what a token grants, to whom and until when, judged at `now` (a plain object:
/// `Inspected::fields` of bindings/js/native).
#[wasm_bindgen]
pub fn inspect(token: &JsValue, now: f64) -> Result<JsValue, JsValue> {
    let token = text(token, "token: must be a string")?;
    contract::inspect(&token, now, |inspected| record(&inspected.fields()).into()).map_err(js_error)
}

#[cfg(feature = "verify")]
/// `verify`: verifies a token as the database would, with a keys file's text or the one key the
/// front-end looked up (a plain object: `Verified::fields` of bindings/js/native).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)] // The positional native contract shared with the napi addon.
pub fn verify(
    token: &JsValue,
    keys_text: &JsValue,
    access_key_id: &JsValue,
    secret_access_key: &JsValue,
    session_token: &JsValue,
    host: &JsValue,
    port: Option<f64>,
    user: &JsValue,
    action: &JsValue,
    region: &JsValue,
    service: &JsValue,
    cluster: &JsValue,
    skew: f64,
    now: f64,
) -> Result<JsValue, JsValue> {
    let token = text(token, "token: must be a string")?;
    contract::verify(
        &token,
        opt_secret(keys_text, "keysText: must be a string or null")?.as_deref(),
        opt_text(access_key_id, "accessKeyId: must be a string or null")?.as_deref(),
        opt_secret(
            secret_access_key,
            "secretAccessKey: must be a string or null",
        )?
        .as_deref(),
        opt_secret(session_token, "sessionToken: must be a string or null")?.as_deref(),
        opt_text(host, "host: must be a string or null")?.as_deref(),
        port,
        opt_text(user, "user: must be a string or null")?.as_deref(),
        opt_text(action, "action: must be a string or null")?.as_deref(),
        opt_text(region, "region: must be a string or null")?.as_deref(),
        opt_text(service, "service: must be a string or null")?.as_deref(),
        opt_text(cluster, "cluster: must be a string or null")?.as_deref(),
        skew,
        now,
        |verified| record(&verified.fields()).into(),
    )
    .map_err(js_error)
}

#[cfg(feature = "sign")]
/// `reuseUntil`: until when (unix seconds) a provider may hand out again a token it signed
/// (`credentialsExpiration` `null`/`undefined` for long-term credentials).
#[wasm_bindgen(js_name = reuseUntil)]
pub fn reuse_until(
    signed_at: f64,
    expires_in: f64,
    credentials_expiration: Option<f64>,
) -> Result<f64, JsValue> {
    contract::reuse_until(signed_at, expires_in, credentials_expiration)
        .map(|until| until as f64)
        .map_err(js_error)
}

#[cfg(feature = "sign")]
/// `mayReuse`: whether a cached token may be handed out at `now`.
#[wasm_bindgen(js_name = mayReuse)]
pub fn may_reuse(now: f64, signed_at: f64, reuse_until: f64) -> bool {
    contract::may_reuse(now, signed_at, reuse_until)
}

#[cfg(feature = "verify")]
/// `errorCodes`: the core's error table, `[{ code, number, description }]` in number order. Only
/// in the `verify` module: the signing module's entry files carry the table as data, read from
/// this function by build.mjs (the descriptions and this code are about 1.9 KB of gzip).
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> JsValue {
    let rows = Rows::new();
    for row in contract::error_codes() {
        rows.push(&record(&row));
    }
    rows.into()
}

/// `defaultExpiresIn`: a token's default lifetime, seconds.
#[wasm_bindgen(js_name = defaultExpiresIn)]
pub fn default_expires_in() -> f64 {
    contract::DEFAULT_EXPIRES_IN as f64
}

/// `defaultSkew`: the clock skew verify allows by default, seconds.
#[wasm_bindgen(js_name = defaultSkew)]
pub fn default_skew() -> f64 {
    contract::DEFAULT_SKEW as f64
}

/// `defaultService`: the service verify expects when told none.
#[wasm_bindgen(js_name = defaultService)]
pub fn default_service() -> String {
    String::from(contract::DEFAULT_SERVICE)
}

/// `version`: the package version (the Cargo workspace version).
#[wasm_bindgen]
pub fn version() -> String {
    String::from(contract::VERSION)
}

/// The benchmark's loops (wasm/bench, feature `bench`, never in the package): each runs its work
/// `n` times inside wasm, so that the time per call is the core's and the floor's in wasm, without
/// the JS boundary.
#[cfg(feature = "bench")]
pub mod bench {
    use super::{JsValue, contract, opt_secret, opt_text, secret, text, wasm_bindgen, with_signer};
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::{Digest, Sha256};

    /// `floorLoop(n, canonicalRequest, stringToSign)`: the SHA-256 work a warm token cannot
    /// avoid, `n` times (benches/core.rs's floor): one hash of the canonical request, one HMAC of
    /// the string to sign with a MAC keyed beforehand. Returns a byte of the results (so that
    /// nothing is optimized away).
    #[wasm_bindgen(js_name = floorLoop)]
    pub fn floor_loop(
        n: u32,
        canonical: &JsValue,
        string_to_sign: &JsValue,
    ) -> Result<u32, JsValue> {
        let canonical = text(canonical, "canonicalRequest: must be a string")?;
        let string_to_sign = text(string_to_sign, "stringToSign: must be a string")?;
        let keyed = <Hmac<Sha256> as KeyInit>::new_from_slice(&[7u8; 32])
            .map_err(|_| JsValue::from_str("hmac key"))?;
        let mut acc = 0u32;
        for _ in 0..n {
            let hash = Sha256::digest(core::hint::black_box(canonical.as_bytes()));
            let mut mac = keyed.clone();
            mac.update(core::hint::black_box(string_to_sign.as_bytes()));
            let tag = mac.finalize().into_bytes();
            acc = acc.wrapping_add(u32::from(hash[0] ^ tag[0]));
        }
        Ok(acc)
    }

    /// `rdsTokenLoop(n, ...rdsToken's arguments)`: `rdsToken` `n` times with this instance's
    /// signer (warm after the first: its key is cached), the arguments converted once. Returns
    /// the total length of the tokens.
    #[wasm_bindgen(js_name = rdsTokenLoop)]
    #[allow(clippy::too_many_arguments)] // `rdsToken`'s positional native contract.
    pub fn rds_token_loop(
        n: u32,
        host: &JsValue,
        port: f64,
        user: &JsValue,
        region: &JsValue,
        access_key_id: &JsValue,
        secret_access_key: &JsValue,
        session_token: &JsValue,
        expires_in: f64,
        time: f64,
    ) -> Result<f64, JsValue> {
        let host = text(host, "host: must be a string")?;
        let user = text(user, "user: must be a string")?;
        let region = opt_text(region, "region: must be a string or null")?;
        let access_key_id = text(access_key_id, "accessKeyId: must be a string")?;
        let secret_access_key = secret(secret_access_key, "secretAccessKey: must be a string")?;
        let session_token = opt_secret(session_token, "sessionToken: must be a string or null")?;
        with_signer(|signer| {
            let mut total = 0usize;
            for _ in 0..n {
                let token = contract::rds_token(
                    signer,
                    core::hint::black_box(&host),
                    port,
                    &user,
                    region.as_deref(),
                    &access_key_id,
                    &secret_access_key,
                    session_token.as_deref(),
                    expires_in,
                    time,
                )
                .map_err(super::js_error)?;
                total += token.len();
            }
            Ok(total as f64)
        })
    }
}
