//! Making tokens: RDS / Aurora, Aurora DSQL (and its action name), ElastiCache / MemoryDB,
//! Amazon EKS (and its STS endpoint name), Amazon MSK.

use crate::error::Fail;
use crate::panic::call;
use crate::result::iamauth_result::{self, IAMAUTH_NULL_ARGUMENT};
use crate::types::{
    Out, field, iamauth_credentials, iamauth_str, optional_text, resolve_time, text,
};
use core::ffi::c_char;
use iamauth::{
    CacheService, DsqlAction, DsqlTokenRequest, EksTokenRequest, ElastiCacheTokenRequest,
    MskTokenRequest, RdsTokenRequest, StsEndpoint,
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

/// Which STS endpoint an EKS token is presigned for (`sts_endpoint` of `iamauth_eks_token`, a
/// `uint32_t`: any other value is `IAMAUTH_INVALID_REQUEST`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum iamauth_sts_endpoint {
    /// `sts.REGION.<partition's DNS suffix>`, signed for the region (awscli's default).
    IAMAUTH_STS_REGIONAL = 0,
    /// The legacy global endpoint `sts.amazonaws.com`, signed for `us-east-1`, for the regions
    /// botocore's `sts_regional_endpoints = legacy` sends there (the regional one elsewhere).
    IAMAUTH_STS_GLOBAL = 1,
}

/// The core's endpoint of a C `sts_endpoint` value.
fn sts_endpoint(value: u32) -> Result<StsEndpoint, Fail> {
    match value {
        v if v == iamauth_sts_endpoint::IAMAUTH_STS_REGIONAL as u32 => Ok(StsEndpoint::Regional),
        v if v == iamauth_sts_endpoint::IAMAUTH_STS_GLOBAL as u32 => Ok(StsEndpoint::Global),
        _ => Err(Fail::new(
            iamauth_result::IAMAUTH_INVALID_REQUEST,
            "sts_endpoint: must be IAMAUTH_STS_REGIONAL or IAMAUTH_STS_GLOBAL",
        )),
    }
}

/// An Amazon EKS authentication token (`aws eks get-token`'s `status.token`, byte for byte):
/// `k8s-aws-v1.` + URL-safe base64 of a presigned STS `GetCallerIdentity` URL that signs the
/// header `x-k8s-aws-id: cluster`.
///
/// `cluster` the cluster name (or Outposts cluster id); `region` required (the STS endpoint's);
/// `sts_endpoint` `IAMAUTH_STS_REGIONAL` or `IAMAUTH_STS_GLOBAL` (any other value is
/// `IAMAUTH_INVALID_REQUEST`; `iamauth_sts_endpoint_parse` reads the names); `time`, the buffer and
/// `message` as for `iamauth_rds_token`. On success `*out_expiration` (when not NULL) receives
/// the `ExecCredential` `status.expirationTimestamp` as unix seconds: the signing time + 14
/// minutes, as awscli writes it.
///
/// # Safety
/// As `iamauth_rds_token`; `out_expiration` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_eks_token(
    cluster: *const c_char,
    cluster_len: usize,
    region: *const c_char,
    region_len: usize,
    sts_endpoint: u32,
    time: i64,
    credentials: *const iamauth_credentials,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    out_expiration: *mut i64,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        let out = Out::new(buf, cap, out_len)?;
        // The core's field order: cluster, region, endpoint, then the credentials and the time.
        // SAFETY: the caller's strings and credentials are readable for this call, per this
        // function's contract (and so for the blocks below).
        let request =
            unsafe { eks_request(cluster, cluster_len, region, region_len, sts_endpoint, time) }?;
        // SAFETY: as above.
        let creds = unsafe { crate::types::credentials(credentials) }?;
        let token = iamauth::eks_token(&request, &creds)?;
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        unsafe { out.put(&token) }?;
        if !out_expiration.is_null() {
            // SAFETY: non-NULL and writable by contract.
            unsafe { out_expiration.write(request.expiration()) };
        }
        Ok(())
    })
}

/// Reads an STS endpoint name (`regional` or `global`, exact case) into the `sts_endpoint` value
/// of `iamauth_eks_token`; `IAMAUTH_INVALID_REQUEST` otherwise. For callers that hold it as text
/// (configuration files, the shared test vectors).
///
/// # Safety
/// `name` is readable for `name_len` bytes; `out` and `message` (if not NULL) writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_sts_endpoint_parse(
    name: *const c_char,
    name_len: usize,
    out: *mut u32,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        if out.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "out: NULL pointer"));
        }
        // SAFETY: the caller's string, per this function's contract.
        let name = unsafe { text(name, name_len, field!("sts_endpoint")) }?;
        let value = match StsEndpoint::parse(name)? {
            StsEndpoint::Regional => iamauth_sts_endpoint::IAMAUTH_STS_REGIONAL,
            StsEndpoint::Global => iamauth_sts_endpoint::IAMAUTH_STS_GLOBAL,
        };
        // SAFETY: `out` is non-NULL and writable by contract.
        unsafe { out.write(value as u32) };
        Ok(())
    })
}

/// An Amazon MSK IAM authentication token, the SASL/OAUTHBEARER token Kafka clients send (as
/// aws-msk-iam-sasl-signer-python makes it): URL-safe base64 of the presigned
/// `https://kafka.REGION.amazonaws.com/?Action=kafka-cluster%3AConnect&...` with the unsigned
/// `User-Agent` parameter appended.
///
/// `region` required; `expires_in` seconds, 1..=900 (`iamauth_default_expiry()` is the usual
/// value); `user_agent` NULL with length 0 for the library's own (`iamauth/VERSION`), else 1..=256
/// printable ASCII characters (`IAMAUTH_INVALID_USER_AGENT`); `time`, the buffer and `message`
/// as for `iamauth_rds_token`. On success `*out_expiry_ms` (when not NULL) receives the token's
/// expiry in unix milliseconds, `(time + expires_in) * 1000`, what the MSK signers return and
/// OAUTHBEARER clients take.
///
/// # Safety
/// As `iamauth_rds_token`; `out_expiry_ms` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_msk_token(
    region: *const c_char,
    region_len: usize,
    expires_in: i64,
    user_agent: *const c_char,
    user_agent_len: usize,
    time: i64,
    credentials: *const iamauth_credentials,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    out_expiry_ms: *mut i64,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        let out = Out::new(buf, cap, out_len)?;
        // SAFETY: the caller's strings and credentials are readable for this call, per this
        // function's contract (and so for the blocks below).
        let creds = unsafe { crate::types::credentials(credentials) }?;
        // SAFETY: as above.
        let request = unsafe {
            msk_request(
                region,
                region_len,
                expires_in,
                user_agent,
                user_agent_len,
                time,
            )
        }?;
        let token = iamauth::msk_token(&request, &creds)?;
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        unsafe { out.put(&token) }?;
        if !out_expiry_ms.is_null() {
            // SAFETY: non-NULL and writable by contract.
            unsafe { out_expiry_ms.write(request.expires_at_ms()) };
        }
        Ok(())
    })
}

/// The request of `iamauth_eks_token`, as [`rds_request`].
///
/// # Safety
/// As [`rds_request`].
pub(crate) unsafe fn eks_request<'a>(
    cluster: *const c_char,
    cluster_len: usize,
    region: *const c_char,
    region_len: usize,
    endpoint: u32,
    time: i64,
) -> Result<EksTokenRequest<'a>, Fail> {
    // SAFETY: the caller's strings, per this function's contract (and so for the block below).
    let cluster = unsafe { text(cluster, cluster_len, field!("cluster")) }?;
    // SAFETY: as above.
    let region = unsafe { text(region, region_len, field!("region")) }?;
    // The core checks the cluster and region first (its field order), the endpoint value after.
    iamauth::check_cluster(cluster)?;
    iamauth::check_region(region)?;
    Ok(EksTokenRequest {
        cluster,
        region,
        sts_endpoint: sts_endpoint(endpoint)?,
        time: resolve_time(time),
    })
}

/// The request of `iamauth_msk_token`, as [`rds_request`]; the User-Agent omitted (NULL with
/// length 0) is the core's default.
///
/// # Safety
/// As [`rds_request`].
pub(crate) unsafe fn msk_request<'a>(
    region: *const c_char,
    region_len: usize,
    expires_in: i64,
    user_agent: *const c_char,
    user_agent_len: usize,
    time: i64,
) -> Result<MskTokenRequest<'a>, Fail> {
    // SAFETY: the caller's strings, per this function's contract (and so for the block below).
    let region = unsafe { text(region, region_len, field!("region")) }?;
    // SAFETY: as above.
    let user_agent = unsafe { optional_text(user_agent, user_agent_len, field!("user_agent")) }?;
    Ok(MskTokenRequest {
        region,
        time: resolve_time(time),
        expires_in,
        user_agent: user_agent.unwrap_or(iamauth::MSK_USER_AGENT),
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
