//! `iamauth-wasm`: the WebAssembly binding of the `iamauth` core, the "native" half of the npm
//! package `iamauth-wasm` (the JS front-end shared with the napi addon, bindings/js/, is the
//! other half; its first lines list the native contract this crate exports).
//!
//! It only converts, calls the core and maps errors; the front-end has already checked types and
//! filled in "now". Every rule about hosts, ports, expiries, times and token layouts is the
//! core's: numbers arrive as JS numbers and are saturated into `i64` so that the core names the
//! field that is out of range.
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
use iamauth::{CacheService, Credentials, DsqlAction, ErrorCode, KeyFile, Signer, TokenRequest};
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

/// The key cache kept between calls. Without the core's `std` feature the free functions sign
/// with a fresh, empty cache each time; wasm32 runs one thread per instance, so one signer per
/// instance is the process-wide cache.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
struct Instance(Signer);

// SAFETY: `Signer`'s cache is a `RefCell`, so it is not `Sync`. On wasm32-unknown-unknown without
// the `atomics` target feature there are no threads: the memory is not shared, each instance
// (one per JS realm / Worker) has its own copy of this static, and it is only ever touched by the
// one thread running that instance. Re-entrancy is the `RefCell`'s job, as on one std thread.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[allow(unsafe_code)]
unsafe impl Sync for Instance {}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
static SIGNER: Instance = Instance(Signer::new());

/// Signs with this instance's key cache.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
fn token(request: &impl TokenRequest, creds: &Credentials<'_>) -> iamauth::Result<String> {
    SIGNER.0.token(request, creds)
}

#[cfg(not(target_arch = "wasm32"))]
std::thread_local! {
    /// The key cache of the host-side build (compiled only for `cargo clippy --workspace`).
    static SIGNER: Signer = const { Signer::new() };
}

/// Signs with this thread's key cache.
#[cfg(not(target_arch = "wasm32"))]
fn token(request: &impl TokenRequest, creds: &Credentials<'_>) -> iamauth::Result<String> {
    SIGNER
        .try_with(|signer| signer.token(request, creds))
        // Only reachable while the thread-local is torn down.
        .unwrap_or_else(|_| Signer::new().token(request, creds))
}

/// A JS number as `i64`: `as` saturates, so out-of-range values stay out of range and the core
/// reports them with the field's own code. `NaN` (what wasm-bindgen's `+x` makes of `undefined`
/// or an object) becomes `i64::MIN`, not `as`'s 0: 0 is a valid time (1970), and a missing time
/// must not sign a 1970 token.
fn int(n: f64) -> i64 {
    if n.is_nan() { i64::MIN } else { n as i64 }
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

/// The three credential arguments; the secret parts are wiped from wasm memory when dropped.
struct Creds {
    access_key_id: String,
    secret_access_key: Zeroizing<String>,
    session_token: Option<Zeroizing<String>>,
}

impl Creds {
    fn read(
        access_key_id: &JsValue,
        secret_access_key: &JsValue,
        session_token: &JsValue,
    ) -> Result<Creds, JsValue> {
        Ok(Creds {
            access_key_id: text(access_key_id, "accessKeyId: must be a string")?,
            secret_access_key: Zeroizing::new(text(
                secret_access_key,
                "secretAccessKey: must be a string",
            )?),
            session_token: opt_text(session_token, "sessionToken: must be a string or null")?
                .map(Zeroizing::new),
        })
    }
}

/// An `i64` as a JS number (exact up to 2^53, which covers every time and duration the core
/// accepts).
fn num(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

// The JS objects this binding makes, through imports whose glue wasm-bindgen writes with the
// property names as literals: `err.code = ...`, `info.signedAt = ...`. (With `js_sys::Reflect`
// every name was copied out of wasm memory and decoded per call: `inspect` took 37 us.) No
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

    /// The plain object `inspect` returns (`new Object()`, then one property per field).
    #[wasm_bindgen(js_name = Object)]
    type TokenInfo;
    #[wasm_bindgen(constructor, js_class = Object)]
    fn new() -> TokenInfo;
    #[wasm_bindgen(method, setter = kind)]
    fn set_kind(this: &TokenInfo, value: &str);
    #[wasm_bindgen(method, setter = host)]
    fn set_host(this: &TokenInfo, value: &str);
    #[wasm_bindgen(method, setter = port)]
    fn set_port(this: &TokenInfo, value: &JsValue);
    #[wasm_bindgen(method, setter = user)]
    fn set_user(this: &TokenInfo, value: &JsValue);
    #[wasm_bindgen(method, setter = action)]
    fn set_action(this: &TokenInfo, value: &str);
    #[wasm_bindgen(method, setter = serverless)]
    fn set_serverless(this: &TokenInfo, value: bool);
    #[wasm_bindgen(method, setter = region)]
    fn set_region(this: &TokenInfo, value: &str);
    #[wasm_bindgen(method, setter = service)]
    fn set_service(this: &TokenInfo, value: &str);
    #[wasm_bindgen(method, setter = accessKeyId)]
    fn set_access_key_id(this: &TokenInfo, value: &str);
    #[wasm_bindgen(method, setter = signedAt)]
    fn set_signed_at(this: &TokenInfo, value: f64);
    #[wasm_bindgen(method, setter = expiresIn)]
    fn set_expires_in(this: &TokenInfo, value: f64);
    #[wasm_bindgen(method, setter = expiresAt)]
    fn set_expires_at(this: &TokenInfo, value: f64);
    #[wasm_bindgen(method, setter = hasSessionToken)]
    fn set_has_session_token(this: &TokenInfo, value: bool);
    #[wasm_bindgen(method, setter = signature)]
    fn set_signature(this: &TokenInfo, value: &str);
    #[wasm_bindgen(method, setter = status)]
    fn set_status(this: &TokenInfo, value: &str);
    #[wasm_bindgen(method, setter = seconds)]
    fn set_seconds(this: &TokenInfo, value: f64);

    /// One row of the error table: `{ code, number, description }`.
    #[wasm_bindgen(js_name = Object)]
    type CodeRow;
    #[wasm_bindgen(constructor, js_class = Object)]
    fn new() -> CodeRow;
    #[wasm_bindgen(method, setter = code)]
    fn set_row_code(this: &CodeRow, value: &str);
    #[wasm_bindgen(method, setter = number)]
    fn set_row_number(this: &CodeRow, value: u32);
    #[wasm_bindgen(method, setter = description)]
    fn set_row_description(this: &CodeRow, value: &str);

    /// A JS `Array`, for the error table.
    #[wasm_bindgen(js_name = Array)]
    type Rows;
    #[wasm_bindgen(constructor, js_class = Array)]
    fn new() -> Rows;
    #[wasm_bindgen(method)]
    fn push(this: &Rows, row: &CodeRow) -> u32;
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

/// Builds the credentials and signs with the instance's key cache.
fn sign(request: &impl TokenRequest, creds: &Creds) -> Result<String, JsValue> {
    let creds = Credentials::new(
        &creds.access_key_id,
        &creds.secret_access_key,
        creds.session_token.as_deref().map(String::as_str),
    )
    .map_err(js_error)?;
    token(request, &creds).map_err(js_error)
}

/// An RDS / Aurora IAM authentication token (what `aws rds generate-db-auth-token` prints).
/// `region` `null`: the one the endpoint host names (the core's `region_or_from_host`).
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
    let host = text(host, "host: must be a string")?;
    let user = text(user, "user: must be a string")?;
    let region = opt_text(region, "region: must be a string or null")?;
    let creds = Creds::read(access_key_id, secret_access_key, session_token)?;
    let request = iamauth::RdsTokenRequest {
        host: &host,
        port: int(port),
        user: &user,
        region: iamauth::region_or_from_host(region.as_deref(), &host).map_err(js_error)?,
        time: int(time),
        expires_in: int(expires_in),
    };
    sign(&request, &creds)
}

/// An Aurora DSQL authentication token (`DbConnectAdmin` when `admin` is true); `region`
/// `null`: the one the endpoint host names.
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
    let host = text(host, "host: must be a string")?;
    let region = opt_text(region, "region: must be a string or null")?;
    let creds = Creds::read(access_key_id, secret_access_key, session_token)?;
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
    sign(&request, &creds)
}

/// An ElastiCache (`service = "elasticache"`) or MemoryDB (`service = "memorydb"`) IAM token;
/// `serverless` adds `ResourceType=ServerlessCache`.
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
    let name = text(name, "name: must be a string")?;
    let user = text(user, "user: must be a string")?;
    let region = text(region, "region: must be a string")?;
    let creds = Creds::read(access_key_id, secret_access_key, session_token)?;
    // No service: the core's default cache service (ElastiCache).
    let service = match service.is_undefined() || service.is_null() {
        true => CacheService::default(),
        false => {
            CacheService::parse(&text(service, "service: must be a string")?).map_err(js_error)?
        }
    };
    let request = iamauth::ElastiCacheTokenRequest {
        name: &name,
        user: &user,
        region: &region,
        serverless,
        service,
        time: int(time),
        expires_in: int(expires_in),
    };
    sign(&request, &creds)
}

/// `Some(n)` as a number, `None` as `null`.
fn opt_num(n: Option<i64>) -> JsValue {
    n.map_or(JsValue::NULL, num)
}

/// Reads a token back (`MALFORMED_TOKEN` if it is not one) and judges it at `now` (unix
/// seconds). Returns a plain object with the `NativeTokenInfo` fields (`status` and its one
/// number, `seconds`); absent values are `null`.
#[wasm_bindgen]
pub fn inspect(token: &JsValue, now: f64) -> Result<JsValue, JsValue> {
    let token = text(token, "token: must be a string")?;
    let info = iamauth::inspect(&token).map_err(js_error)?;
    let validity = info.validity(int(now)).map_err(js_error)?;
    let obj = TokenInfo::new();
    obj.set_kind(info.kind.as_str());
    obj.set_host(info.host);
    obj.set_port(&opt_num(info.port.map(i64::from)));
    obj.set_user(
        &info
            .user
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str),
    );
    obj.set_action(info.action);
    obj.set_serverless(info.serverless);
    obj.set_region(info.region);
    obj.set_service(info.service);
    obj.set_access_key_id(info.access_key_id);
    obj.set_signed_at(info.signed_at as f64);
    obj.set_expires_in(f64::from(info.expires_in));
    obj.set_expires_at(info.expires_at as f64);
    obj.set_has_session_token(info.has_session_token);
    obj.set_signature(info.signature);
    obj.set_status(validity.as_str());
    obj.set_seconds(validity.seconds() as f64);
    Ok(obj.into())
}

/// Until when (unix seconds) a provider may hand out again a token signed at `signedAt` (the
/// core's `reuse_until`; `INVALID_CREDENTIALS` when the credentials have expired);
/// `credentialsExpiration` is `null`/`undefined` for long-term credentials.
#[wasm_bindgen(js_name = reuseUntil)]
pub fn reuse_until(
    signed_at: f64,
    expires_in: f64,
    credentials_expiration: Option<f64>,
) -> Result<f64, JsValue> {
    iamauth::reuse_until(
        int(signed_at),
        int(expires_in),
        credentials_expiration.map(int),
    )
    .map(|until| until as f64)
    .map_err(js_error)
}

/// Whether a token cached at `signedAt` until `reuseUntil` may be handed out at `now` (the
/// core's `may_reuse`).
#[wasm_bindgen(js_name = mayReuse)]
pub fn may_reuse(now: f64, signed_at: f64, reuse_until: f64) -> bool {
    iamauth::may_reuse(int(now), int(signed_at), int(reuse_until))
}

/// The core's error table (`ErrorCode::ALL`, in number order): `[{ code, number, description }]`.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> JsValue {
    let rows = Rows::new();
    for c in ErrorCode::ALL {
        let row = CodeRow::new();
        row.set_row_code(c.name());
        row.set_row_number(c.number());
        row.set_row_description(c.description());
        rows.push(&row);
    }
    rows.into()
}

/// The core's default token lifetime, seconds (`iamauth::DEFAULT_EXPIRY`).
#[wasm_bindgen(js_name = defaultExpiresIn)]
pub fn default_expires_in() -> f64 {
    iamauth::DEFAULT_EXPIRY as f64
}

/// The clock skew verify allows by default, seconds (`iamauth::DEFAULT_SKEW`).
#[wasm_bindgen(js_name = defaultSkew)]
pub fn default_skew() -> f64 {
    iamauth::DEFAULT_SKEW as f64
}

/// The service verify expects when told none (`iamauth::DEFAULT_SERVICE`).
#[wasm_bindgen(js_name = defaultService)]
pub fn default_service() -> String {
    String::from(iamauth::DEFAULT_SERVICE)
}

/// The package version (the Cargo workspace version).
#[wasm_bindgen]
pub fn version() -> String {
    String::from(env!("CARGO_PKG_VERSION"))
}

/// Verifies a token as the database would (the core's checks, in the core's order). The keys
/// are either a keys file's JSON text (`keysText`) or the one key the front-end looked up for
/// the token's access key id (all `null` when it knows none). `null` expectations accept any
/// value; `service` `null` is the core's default. Returns a plain object: kind, accessKeyId, user, action, host, port, region, service,
/// signedAt, expiresAt (unix seconds).
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
    region: &JsValue,
    service: &JsValue,
    skew: f64,
    now: f64,
) -> Result<JsValue, JsValue> {
    let token = text(token, "token: must be a string")?;
    let keys_text = opt_text(keys_text, "keysText: must be a string or null")?.map(Zeroizing::new);
    let access_key_id = opt_text(access_key_id, "accessKeyId: must be a string or null")?;
    let secret = opt_text(
        secret_access_key,
        "secretAccessKey: must be a string or null",
    )?
    .map(Zeroizing::new);
    let session =
        opt_text(session_token, "sessionToken: must be a string or null")?.map(Zeroizing::new);
    let host = opt_text(host, "host: must be a string or null")?;
    let user = opt_text(user, "user: must be a string or null")?;
    let region = opt_text(region, "region: must be a string or null")?;
    let service = opt_text(service, "service: must be a string or null")?;
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
    let keys = match (&keys_text, &access_key_id, &secret) {
        (Some(text), _, _) => Some(KeyFile::parse(text)),
        (None, Some(id), Some(secret)) => Some(KeyFile::single(
            id,
            secret,
            session.as_deref().map(String::as_str),
        )),
        _ => None,
    }
    .transpose()
    .map_err(js_error)?;
    let key = |akid: &str| keys.as_ref().and_then(|k| k.get(akid));
    let who = iamauth::verify(&token, key, &expect, int(now)).map_err(js_error)?;
    let obj = TokenInfo::new();
    obj.set_kind(who.kind.as_str());
    obj.set_access_key_id(who.access_key_id);
    obj.set_user(&who.user.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    obj.set_action(who.action);
    obj.set_host(who.host);
    obj.set_port(&opt_num(who.port.map(i64::from)));
    obj.set_region(who.region);
    obj.set_service(who.service);
    obj.set_signed_at(who.signed_at as f64);
    obj.set_expires_at(who.expires_at as f64);
    Ok(obj.into())
}
