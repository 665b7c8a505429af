//! Making tokens: RDS / Aurora, Aurora DSQL (and its action name), ElastiCache / MemoryDB.

use crate::error::Fail;
use crate::panic::call;
use crate::result::iamauth_result::{self, IAMAUTH_NULL_ARGUMENT};
use crate::types::{
    Out, field, iamauth_credentials, iamauth_str, optional_text, resolve_time, text,
};
use core::ffi::c_char;
use iamauth::{
    CacheService, DsqlAction, DsqlTokenRequest, ElastiCacheTokenRequest, RdsTokenRequest,
};

/// An RDS / Aurora IAM authentication token (`aws rds generate-db-auth-token`, byte for byte).
///
/// `port` 1..=65535; `expires_in` seconds, 1..=900 (`iamauth_default_expiry()` is the usual
/// value); `time` unix seconds or `IAMAUTH_NOW`. `region` may be omitted (NULL with length 0):
/// the region is then the one the host names (`*.REGION.rds.amazonaws.com` and the other RDS
/// partitions), else `IAMAUTH_INVALID_REGION`; a non-NULL empty region is
/// `IAMAUTH_INVALID_REGION`. The token (plus a NUL) goes to `buf` (capacity `cap`), its length without
/// the NUL to `*out_len`. When `cap < length + 1` the result is `IAMAUTH_BUFFER_TOO_SMALL`, only
/// `*out_len` is written, and a second call with a larger buffer succeeds. `buf` may be NULL when
/// `cap` is 0 (a size query). `message` may be NULL; on failure it receives a static message
/// (see `iamauth_str`).
///
/// # Safety
/// Every (pointer, length) string and `credentials` must be readable for the call; `buf` must
/// have `cap` writable bytes; `out_len` and `message` (if not NULL) must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_rds_token(
    host: *const c_char,
    host_len: usize,
    port: i64,
    user: *const c_char,
    user_len: usize,
    region: *const c_char,
    region_len: usize,
    expires_in: i64,
    time: i64,
    credentials: *const iamauth_credentials,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        let out = Out::new(buf, cap, out_len)?;
        // SAFETY: the caller's strings and credentials are readable for this call, per this
        // function's contract (and so for the blocks below).
        let creds = unsafe { crate::types::credentials(credentials) }?;
        // SAFETY: as above.
        let request = unsafe {
            rds_request(
                host, host_len, port, user, user_len, region, region_len, expires_in, time,
            )
        }?;
        let token = iamauth::rds_token(&request, &creds)?;
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        unsafe { out.put(&token) }
    })
}

/// An Aurora DSQL authentication token: action `DbConnectAdmin` when `admin`, else `DbConnect`.
///
/// `expires_in` seconds, 1..=604800; `region` may be omitted (NULL with length 0): then the one
/// the cluster endpoint names (`*.dsql.REGION.on.aws`), else `IAMAUTH_INVALID_REGION`; `time`,
/// the buffer and `message` as for `iamauth_rds_token`.
///
/// # Safety
/// As `iamauth_rds_token`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_dsql_token(
    host: *const c_char,
    host_len: usize,
    region: *const c_char,
    region_len: usize,
    admin: bool,
    expires_in: i64,
    time: i64,
    credentials: *const iamauth_credentials,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        let out = Out::new(buf, cap, out_len)?;
        // SAFETY: the caller's strings and credentials are readable for this call, per this
        // function's contract (and so for the blocks below).
        let creds = unsafe { crate::types::credentials(credentials) }?;
        // SAFETY: as above.
        let request =
            unsafe { dsql_request(host, host_len, region, region_len, admin, expires_in, time) }?;
        let token = iamauth::dsql_token(&request, &creds)?;
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        unsafe { out.put(&token) }
    })
}

/// Reads a DSQL action name (`DbConnect` or `DbConnectAdmin`, exact case) into the `admin` flag
/// of `iamauth_dsql_token`; `IAMAUTH_INVALID_ACTION` otherwise. For callers that hold the action
/// as text (configuration files, the shared test vectors).
///
/// # Safety
/// `action` is readable for `action_len` bytes; `admin` and `message` (if not NULL) writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_dsql_action(
    action: *const c_char,
    action_len: usize,
    admin: *mut bool,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        if admin.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "admin: NULL pointer"));
        }
        // SAFETY: the caller's string, per this function's contract.
        let action = unsafe { text(action, action_len, field!("action")) }?;
        let parsed = DsqlAction::parse(action)?;
        // SAFETY: `admin` is non-NULL and writable by contract.
        unsafe { admin.write(parsed == DsqlAction::DbConnectAdmin) };
        Ok(())
    })
}

/// An ElastiCache / MemoryDB IAM authentication token.
///
/// `name` is the replication group id, serverless cache name or MemoryDB cluster name; `user` the
/// cache user id; `serverless` adds `ResourceType=ServerlessCache`; `service` is `elasticache` or
/// `memorydb` (NULL with length 0 means `elasticache`; a non-NULL empty string is
/// `IAMAUTH_INVALID_SERVICE`). `expires_in` 1..=900; `time`, the buffer and `message` as for
/// `iamauth_rds_token`.
///
/// # Safety
/// As `iamauth_rds_token`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_elasticache_token(
    name: *const c_char,
    name_len: usize,
    user: *const c_char,
    user_len: usize,
    region: *const c_char,
    region_len: usize,
    serverless: bool,
    service: *const c_char,
    service_len: usize,
    expires_in: i64,
    time: i64,
    credentials: *const iamauth_credentials,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        let out = Out::new(buf, cap, out_len)?;
        // SAFETY: the caller's strings and credentials are readable for this call, per this
        // function's contract (and so for the blocks below).
        let creds = unsafe { crate::types::credentials(credentials) }?;
        // SAFETY: as above.
        let request = unsafe {
            elasticache_request(
                name,
                name_len,
                user,
                user_len,
                region,
                region_len,
                serverless,
                service,
                service_len,
                expires_in,
                time,
            )
        }?;
        let token = iamauth::elasticache_token(&request, &creds)?;
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        unsafe { out.put(&token) }
    })
}

/// The request of `iamauth_rds_token` (and `iamauth_rds_token_from_provider`) from its C
/// arguments: the strings read, the region taken from the host when omitted, `IAMAUTH_NOW`
/// resolved.
///
/// # Safety
/// Each (pointer, length) string follows `types::optional_text`'s contract for `'a`.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn rds_request<'a>(
    host: *const c_char,
    host_len: usize,
    port: i64,
    user: *const c_char,
    user_len: usize,
    region: *const c_char,
    region_len: usize,
    expires_in: i64,
    time: i64,
) -> Result<RdsTokenRequest<'a>, Fail> {
    // SAFETY: the caller's strings, per this function's contract (and so for the blocks below).
    let host = unsafe { text(host, host_len, field!("host")) }?;
    // SAFETY: as above.
    let user = unsafe { text(user, user_len, field!("user")) }?;
    // SAFETY: as above.
    let region = unsafe { optional_text(region, region_len, field!("region")) }?;
    // Omitted: the one the host names. Given: the signer checks it in the core's field order,
    // as every binding passes it (region_or_from_host would check the host and region twice).
    let region = match region {
        Some(region) => region,
        None => iamauth::region_or_from_host(None, host)?,
    };
    Ok(RdsTokenRequest {
        host,
        port,
        user,
        region,
        time: resolve_time(time),
        expires_in,
    })
}

/// The request of `iamauth_dsql_token` (and `iamauth_dsql_token_from_provider`), as
/// [`rds_request`].
///
/// # Safety
/// As [`rds_request`].
pub(crate) unsafe fn dsql_request<'a>(
    host: *const c_char,
    host_len: usize,
    region: *const c_char,
    region_len: usize,
    admin: bool,
    expires_in: i64,
    time: i64,
) -> Result<DsqlTokenRequest<'a>, Fail> {
    // SAFETY: the caller's strings, per this function's contract (and so for the block below).
    let host = unsafe { text(host, host_len, field!("host")) }?;
    // SAFETY: as above.
    let region = unsafe { optional_text(region, region_len, field!("region")) }?;
    // Omitted: the one the host names. Given: the signer checks it in the core's field order,
    // as every binding passes it (region_or_from_host would check the host and region twice).
    let region = match region {
        Some(region) => region,
        None => iamauth::region_or_from_host(None, host)?,
    };
    Ok(DsqlTokenRequest {
        host,
        region,
        action: if admin {
            DsqlAction::DbConnectAdmin
        } else {
            DsqlAction::DbConnect
        },
        time: resolve_time(time),
        expires_in,
    })
}

/// The request of `iamauth_elasticache_token` (and `iamauth_elasticache_token_from_provider`),
/// as [`rds_request`].
///
/// # Safety
/// As [`rds_request`].
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn elasticache_request<'a>(
    name: *const c_char,
    name_len: usize,
    user: *const c_char,
    user_len: usize,
    region: *const c_char,
    region_len: usize,
    serverless: bool,
    service: *const c_char,
    service_len: usize,
    expires_in: i64,
    time: i64,
) -> Result<ElastiCacheTokenRequest<'a>, Fail> {
    // SAFETY: the caller's strings, per this function's contract (and so for the blocks below).
    let name = unsafe { text(name, name_len, field!("name")) }?;
    // SAFETY: as above.
    let user = unsafe { text(user, user_len, field!("user")) }?;
    // SAFETY: as above.
    let region = unsafe { text(region, region_len, field!("region")) }?;
    // SAFETY: as above.
    let service = unsafe { optional_text(service, service_len, field!("service")) }?;
    let service = match service {
        None => CacheService::default(),
        Some(s) => CacheService::parse(s)?,
    };
    Ok(ElastiCacheTokenRequest {
        name,
        user,
        region,
        serverless,
        service,
        time: resolve_time(time),
        expires_in,
    })
}
