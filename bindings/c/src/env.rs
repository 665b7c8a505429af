//! Credentials from the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SESSION_TOKEN`), read by the core's one reader, behind an opaque handle (the rustls-ffi
//! way: the caller owns the handle, borrows from it, and frees it).

use crate::error::Fail;
use crate::panic::{call, guard};
use crate::result::iamauth_result::{self, IAMAUTH_NULL_ARGUMENT};
use crate::types::{iamauth_credentials, iamauth_str};
use iamauth::EnvironmentCredentials;

/// Credentials read from the environment by `iamauth_env_credentials_read`. Opaque; owned by the
/// caller until `iamauth_env_credentials_free`, which wipes the secret and the session token.
pub struct iamauth_env_credentials {
    inner: EnvironmentCredentials,
}

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` from the process
/// environment (a variable that is unset or empty is absent; both keys are required; the three
/// must pass the credential rules). On success `*out` receives a new handle, which the caller
/// owns and must free with `iamauth_env_credentials_free`; on failure `*out` is not written.
///
/// `IAMAUTH_INVALID_CREDENTIALS` when the variables are missing, not UTF-8 or break the rules
/// (the message names the variables, never a value); `IAMAUTH_NULL_ARGUMENT` when `out` is
/// NULL. `message` as for `iamauth_rds_token`. Reads the environment: do not call it while
/// another thread changes the environment (`setenv`).
///
/// # Safety
/// `out` must be writable; `message` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_env_credentials_read(
    out: *mut *mut iamauth_env_credentials,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        if out.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "out: NULL pointer"));
        }
        let inner = EnvironmentCredentials::from_env()?;
        let handle = Box::into_raw(Box::new(iamauth_env_credentials { inner }));
        // SAFETY: `out` is non-NULL and writable by contract; `write` does not read or drop the
        // old (possibly uninitialised) value.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Fills `*out` with the credentials of `env`: every string of `*out` points INTO `env`, valid
/// until `iamauth_env_credentials_free(env)`; `session_token` is NULL (length 0) for long-term
/// credentials. Pass `*out` to the token functions as any `iamauth_credentials`. `*out` is
/// written only on success; `IAMAUTH_NULL_ARGUMENT` when `env` or `out` is NULL. `message` as
/// for `iamauth_rds_token`.
///
/// # Safety
/// `env` NULL or a live handle from `iamauth_env_credentials_read`; `out` writable; `message` NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_env_credentials_get(
    env: *const iamauth_env_credentials,
    out: *mut iamauth_credentials,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        // SAFETY: NULL or a live handle (the caller's contract).
        let Some(env) = (unsafe { env.as_ref() }) else {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "env: NULL pointer"));
        };
        if out.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "out: NULL pointer"));
        }
        let c = env.inner.credentials();
        let (session_token, session_token_len) = match c.session_token() {
            Some(t) => (t.as_ptr().cast(), t.len()),
            None => (core::ptr::null(), 0),
        };
        let result = iamauth_credentials {
            access_key_id: c.access_key_id().as_ptr().cast(),
            access_key_id_len: c.access_key_id().len(),
            secret_access_key: c.secret_access_key().as_ptr().cast(),
            secret_access_key_len: c.secret_access_key().len(),
            session_token,
            session_token_len,
        };
        // SAFETY: `out` is non-NULL and writable by contract; `write` does not read or drop the
        // old (possibly uninitialised) value.
        unsafe { out.write(result) };
        Ok(())
    })
}

/// Frees a handle from `iamauth_env_credentials_read`, wiping its secret and session token.
/// NULL is a no-op. Every `iamauth_credentials` filled from it dangles afterwards.
///
/// # Safety
/// `env` NULL or a live handle from `iamauth_env_credentials_read`, not used again (nor freed
/// twice) afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_env_credentials_free(env: *mut iamauth_env_credentials) {
    guard((), || {
        if !env.is_null() {
            // SAFETY: a live handle made by `Box::into_raw` in `iamauth_env_credentials_read`,
            // given back exactly once (the caller's contract).
            drop(unsafe { Box::from_raw(env) });
        }
    })
}
