//! The standard AWS credential chain (the `iamauth-credentials` crate: environment, profiles,
//! `credential_process`, SSO, web identity, the container endpoint, IMDSv2) with its cache,
//! behind an opaque handle, and the token calls that sign with what it finds.
//!
//! The chain's messages are made at run time (they name files, profiles, settings and HTTP
//! statuses, never a secret), so these calls copy them into a caller's `error` buffer instead of
//! lending a static `iamauth_str`.

use std::sync::{Arc, Mutex, PoisonError};

use crate::error::{Fail, OwnedFail};
use crate::panic::{call, call_with_text, guard};
use crate::refresh::IAMAUTH_NO_EXPIRATION;
use crate::result::iamauth_result::{
    self, IAMAUTH_BUFFER_TOO_SMALL, IAMAUTH_INVALID_CREDENTIALS, IAMAUTH_NULL_ARGUMENT,
};
use crate::tokens::{dsql_request, elasticache_request, rds_request};
use crate::types::{Out, field, iamauth_credentials, iamauth_str, optional_text};
use ::iamauth_credentials::{AwsCredentials, CredentialsProvider, Settings};
use core::ffi::c_char;

/// The default AWS credential chain with its cache, from `iamauth_credentials_provider_new`.
/// Opaque; owned by the caller until `iamauth_credentials_provider_free`. Thread-safe: any
/// number of threads may use one handle at once (callers at the same moment share one fetch).
pub struct iamauth_credentials_provider {
    inner: CredentialsProvider,
    /// The source of the credentials handed out last (`iamauth_credentials_provider_source`).
    last_source: Mutex<String>,
}

// The handle is shared between threads by C callers: it must stay Send + Sync.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<iamauth_credentials_provider>();
};

impl iamauth_credentials_provider {
    /// Credentials from the cache or the chain, remembering their source.
    fn fetch(&self) -> Result<Arc<AwsCredentials>, OwnedFail> {
        let found = self.inner.credentials()?;
        let mut last = self
            .last_source
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if *last != found.source() {
            found.source().clone_into(&mut last);
        }
        Ok(found)
    }

    /// Signs with `sign` and the chain's credentials, refusing (`IAMAUTH_INVALID_CREDENTIALS`,
    /// the core's `reuse_until` rule) credentials already expired at the signing time.
    fn sign(
        &self,
        time: i64,
        expires_in: i64,
        sign: impl FnOnce(&iamauth::Credentials<'_>) -> iamauth::Result<String>,
    ) -> Result<String, OwnedFail> {
        let found = self.fetch()?;
        let token = sign(&found.credentials()?)?;
        iamauth::reuse_until(time, expires_in, found.expiration())?;
        Ok(token)
    }
}

/// Borrows a handle.
///
/// # Safety
/// `provider` is NULL or a live handle from `iamauth_credentials_provider_new`.
unsafe fn borrow<'a>(
    provider: *const iamauth_credentials_provider,
) -> Result<&'a iamauth_credentials_provider, Fail> {
    // SAFETY: NULL or a live handle (the caller's contract).
    unsafe { provider.as_ref() }.ok_or(Fail::new(IAMAUTH_NULL_ARGUMENT, "provider: NULL pointer"))
}

/// A new credential chain over the process environment and the system clock, the AWS CLI's:
/// the environment's keys (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
/// `AWS_CREDENTIAL_EXPIRATION`), the profile (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`:
/// keys, `credential_process`, SSO, assumed roles, web identity), web identity
/// (`AWS_WEB_IDENTITY_TOKEN_FILE`), the container endpoint
/// (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`), EC2 instance metadata (IMDSv2;
/// `AWS_EC2_METADATA_DISABLED=true` turns it off). Nothing is read until the first
/// `iamauth_credentials_provider_resolve` (or token call), and the environment is read anew
/// at each fetch.
///
/// `profile` NULL with length 0: `AWS_PROFILE`, else `default`. A named profile wins over
/// `AWS_PROFILE` and, as the AWS CLI's `--profile`, the environment's keys are then not read; a
/// non-NULL empty name is `IAMAUTH_INVALID_CREDENTIALS`. On success `*out` receives a new handle,
/// which the caller owns and must free with `iamauth_credentials_provider_free`; on failure
/// `*out` is not written. `IAMAUTH_NULL_ARGUMENT` when `out` is NULL; `IAMAUTH_INVALID_UTF8`
/// for a profile that is not UTF-8. `message` as for `iamauth_rds_token`.
///
/// # Safety
/// `profile` readable for `profile_len` bytes (or NULL with 0); `out` writable; `message` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_credentials_provider_new(
    profile: *const c_char,
    profile_len: usize,
    out: *mut *mut iamauth_credentials_provider,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        if out.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "out: NULL pointer"));
        }
        // SAFETY: the caller's string, per this function's contract.
        let profile = unsafe { optional_text(profile, profile_len, field!("profile")) }?;
        let settings = match profile {
            None => Settings::from_process(),
            Some("") => {
                return Err(Fail::new(
                    IAMAUTH_INVALID_CREDENTIALS,
                    "profile: empty (pass NULL with length 0 for AWS_PROFILE or `default`)",
                ));
            }
            Some(name) => Settings::from_process().profile(name),
        };
        let handle = Box::into_raw(Box::new(iamauth_credentials_provider {
            inner: CredentialsProvider::new(settings),
            last_source: Mutex::new(String::new()),
        }));
        // SAFETY: `out` is non-NULL and writable by contract; `write` does not read or drop the
        // old (possibly uninitialised) value.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Credentials from `provider`: the cached ones while more than 15 minutes are left before they
/// expire, else the chain runs (which may take seconds: files, a `credential_process`, HTTP to
/// STS, SSO, the container endpoint or IMDS); threads asking at the same moment share one run.
///
/// The access key id, the secret access key and the session token are copied into the caller's
/// ONE buffer `buf` (capacity `cap`), each followed by a NUL, back to back, and `*out` points
/// into `buf` (`session_token` NULL with length 0 for long-term keys), so `out` can be passed to
/// `iamauth_rds_token` and the other token calls for as long as `buf` lives. `*out_len`
/// receives the bytes used without the last NUL (as for every buffer of this library, the
/// capacity needed is `*out_len + 1`); `*expiration` when the credentials expire, unix seconds,
/// or `IAMAUTH_NO_EXPIRATION` for long-term keys (pass it on to `iamauth_reuse_until`). The
/// buffer holds a secret: wipe it when done. When `cap < *out_len + 1` the result is
/// `IAMAUTH_BUFFER_TOO_SMALL` and only `*out_len` is written (`buf` may be NULL when `cap` is
/// 0: a size query; the next call may find other credentials if the cached ones were refreshed
/// between the two, and answer `IAMAUTH_BUFFER_TOO_SMALL` again).
///
/// `IAMAUTH_INVALID_CREDENTIALS` when no source has credentials, a configured source fails, or
/// its credentials have already expired; `IAMAUTH_NULL_ARGUMENT` when `provider`, `out_len`,
/// `out` or `expiration` is NULL, or `buf` is NULL with `cap > 0`. On failure the message (with
/// nothing found, the chain lists each source and why it was skipped) is copied into `error`,
/// NUL-terminated and cut to `error_cap - 1` bytes at a character boundary; `error` may be NULL (with any
/// `error_cap`). Outputs are written only on success.
///
/// # Safety
/// `provider` NULL or a live handle; `buf` NULL or `cap` writable bytes; `out_len`, `out`,
/// `expiration` NULL or writable; `error` NULL or `error_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_credentials_provider_resolve(
    provider: *const iamauth_credentials_provider,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    out: *mut iamauth_credentials,
    expiration: *mut i64,
    error: *mut c_char,
    error_cap: usize,
) -> iamauth_result {
    call_with_text(error, error_cap, || {
        // SAFETY: NULL or a live handle (the caller's contract).
        let provider = unsafe { borrow(provider) }?;
        if out_len.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "out_len: NULL pointer").into());
        }
        if buf.is_null() && cap > 0 {
            return Err(Fail::new(
                IAMAUTH_NULL_ARGUMENT,
                "buf: NULL pointer with a non-zero capacity",
            )
            .into());
        }
        if out.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "out: NULL pointer").into());
        }
        if expiration.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "expiration: NULL pointer").into());
        }
        let found = provider.fetch()?;
        let parts = [
            Some(found.access_key_id()),
            Some(found.secret_access_key()),
            found.session_token(),
        ];
        let needed: usize = parts.iter().flatten().map(|p| p.len() + 1).sum();
        if cap < needed {
            // SAFETY: `out_len` is non-NULL (checked above) and writable by contract.
            unsafe { out_len.write(needed - 1) };
            return Err(Fail::new(
                IAMAUTH_BUFFER_TOO_SMALL,
                "buf: too small; *out_len + 1 is the capacity needed",
            )
            .into());
        }
        // Each part straight from the provider's copy into the caller's buffer: no temporary
        // holds the secret.
        let mut at = 0;
        let mut views = [(core::ptr::null::<c_char>(), 0usize); 3];
        for (view, part) in views.iter_mut().zip(parts) {
            let Some(part) = part else { continue };
            // SAFETY: `buf` has `cap >= needed` writable bytes (checked above) and
            // `at + part.len() + 1 <= needed`; the source is the provider's own string, which
            // cannot overlap the caller's buffer.
            unsafe {
                let dst = buf.add(at);
                core::ptr::copy_nonoverlapping(part.as_ptr(), dst.cast::<u8>(), part.len());
                dst.add(part.len()).write(0);
                *view = (dst.cast_const(), part.len());
            }
            at += part.len() + 1;
        }
        let result = iamauth_credentials {
            access_key_id: views[0].0,
            access_key_id_len: views[0].1,
            secret_access_key: views[1].0,
            secret_access_key_len: views[1].1,
            session_token: views[2].0,
            session_token_len: views[2].1,
        };
        // SAFETY: `out_len`, `out` and `expiration` are non-NULL (checked above) and writable by
        // contract; `write` does not read or drop the old (possibly uninitialised) values.
        unsafe {
            out_len.write(needed - 1);
            out.write(result);
            expiration.write(found.expiration().unwrap_or(IAMAUTH_NO_EXPIRATION));
        }
        Ok(())
    })
}

/// Which source answered last (`environment`, `profile dev (shared-credentials-file)`,
/// `container endpoint`, `IMDS`, ...; the empty string before the first successful resolve or
/// token call). Never a secret. The buffer and `message` as for `iamauth_rds_token`;
/// `IAMAUTH_NULL_ARGUMENT` when `provider` is NULL.
///
/// # Safety
/// `provider` NULL or a live handle; `buf` NULL or `cap` writable bytes; `out_len` and `message`
/// (if not NULL) writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_credentials_provider_source(
    provider: *const iamauth_credentials_provider,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        // SAFETY: NULL or a live handle (the caller's contract).
        let provider = unsafe { borrow(provider) }?;
        let out = Out::new(buf, cap, out_len)?;
        let source = provider
            .last_source
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        unsafe { out.put(&source) }
    })
}

/// Frees a handle from `iamauth_credentials_provider_new`, wiping the cached secret and session
/// token. NULL is a no-op.
///
/// # Safety
/// `provider` NULL or a live handle, not in use by another thread, and not used again (nor freed
/// twice) afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_credentials_provider_free(
    provider: *mut iamauth_credentials_provider,
) {
    guard((), || {
        if !provider.is_null() {
            // SAFETY: a live handle made by `Box::into_raw` in
            // `iamauth_credentials_provider_new`, given back exactly once (the caller's contract).
            drop(unsafe { Box::from_raw(provider) });
        }
    })
}

/// `iamauth_rds_token` with the credentials of `provider` (cached, or found by the chain as
/// `iamauth_credentials_provider_resolve` finds them). Credentials already expired at the
/// signing time `time` are refused with `IAMAUTH_INVALID_CREDENTIALS` (the rule of
/// `iamauth_reuse_until`: no database would accept the token). The arguments are checked before
/// the chain runs. The buffer as for `iamauth_rds_token`; on failure the message goes to
/// `error` as for `iamauth_credentials_provider_resolve`.
///
/// # Safety
/// `provider` NULL or a live handle; the strings, the buffer and `out_len` as for
/// `iamauth_rds_token`; `error` NULL or `error_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_rds_token_from_provider(
    provider: *const iamauth_credentials_provider,
    host: *const c_char,
    host_len: usize,
    port: i64,
    user: *const c_char,
    user_len: usize,
    region: *const c_char,
    region_len: usize,
    expires_in: i64,
    time: i64,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    error: *mut c_char,
    error_cap: usize,
) -> iamauth_result {
    call_with_text(error, error_cap, || {
        // SAFETY: NULL or a live handle (the caller's contract).
        let provider = unsafe { borrow(provider) }?;
        let out = Out::new(buf, cap, out_len)?;
        // SAFETY: the caller's strings are readable for this call, per this function's contract.
        let request = unsafe {
            rds_request(
                host, host_len, port, user, user_len, region, region_len, expires_in, time,
            )
        }?;
        let token = provider.sign(request.time, request.expires_in, |c| {
            iamauth::rds_token(&request, c)
        })?;
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        Ok(unsafe { out.put(&token) }?)
    })
}

/// `iamauth_dsql_token` with the credentials of `provider`, as `iamauth_rds_token_from_provider`.
///
/// # Safety
/// As `iamauth_rds_token_from_provider`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_dsql_token_from_provider(
    provider: *const iamauth_credentials_provider,
    host: *const c_char,
    host_len: usize,
    region: *const c_char,
    region_len: usize,
    admin: bool,
    expires_in: i64,
    time: i64,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    error: *mut c_char,
    error_cap: usize,
) -> iamauth_result {
    call_with_text(error, error_cap, || {
        // SAFETY: NULL or a live handle (the caller's contract).
        let provider = unsafe { borrow(provider) }?;
        let out = Out::new(buf, cap, out_len)?;
        // SAFETY: the caller's strings are readable for this call, per this function's contract.
        let request =
            unsafe { dsql_request(host, host_len, region, region_len, admin, expires_in, time) }?;
        let token = provider.sign(request.time, request.expires_in, |c| {
            iamauth::dsql_token(&request, c)
        })?;
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        Ok(unsafe { out.put(&token) }?)
    })
}

/// `iamauth_elasticache_token` with the credentials of `provider`, as
/// `iamauth_rds_token_from_provider`.
///
/// # Safety
/// As `iamauth_rds_token_from_provider`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_elasticache_token_from_provider(
    provider: *const iamauth_credentials_provider,
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
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    error: *mut c_char,
    error_cap: usize,
) -> iamauth_result {
    call_with_text(error, error_cap, || {
        // SAFETY: NULL or a live handle (the caller's contract).
        let provider = unsafe { borrow(provider) }?;
        let out = Out::new(buf, cap, out_len)?;
        // SAFETY: the caller's strings are readable for this call, per this function's contract.
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
        let token = provider.sign(request.time, request.expires_in, |c| {
            iamauth::elasticache_token(&request, c)
        })?;
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        Ok(unsafe { out.put(&token) }?)
    })
}
