//! Verifying a token as the database does.

use crate::error::Fail;
use crate::panic::call;
use crate::result::iamauth_result::{self, IAMAUTH_NULL_ARGUMENT};
use crate::types::{
    Out, expected, field, iamauth_expect, iamauth_identity, iamauth_str, kind, resolve_time, text,
};
use core::ffi::c_char;

/// Verifies a token as the database does: finds its signer's key in `keys_json` (the keys file
/// of the CLI and the PAM module: `{"AKID": {"secret_access_key": "...", "session_token":
/// "..." | null, "users": [...], "hosts": [...]}}`, `users` and `hosts` optional grants: exact
/// names, a prefix ending in `*`, or `"*"`), recomputes the signature, then checks the session
/// token, what the token grants against `*expect` and the key's grants, and its time at `now`
/// (unix seconds, or `IAMAUTH_NOW`).
///
/// On success `*out` is filled (string views into `token`) and the user, percent-decoded, is
/// copied into `user_buf` with a NUL, its length without the NUL into `*user_len` (length 0 and
/// `has_user` false for DSQL); pass `user_len` NULL to skip it (then `user_buf` and `user_cap`
/// are ignored). When `user_cap < length + 1` the result is `IAMAUTH_BUFFER_TOO_SMALL`, only
/// `*user_len` is written, and `*out` is not.
///
/// The core first checks each given expectation by the signing rules: `IAMAUTH_INVALID_HOST`,
/// `IAMAUTH_INVALID_PORT`, `IAMAUTH_INVALID_USER`, `IAMAUTH_INVALID_ACTION`,
/// `IAMAUTH_INVALID_REGION`, `IAMAUTH_INVALID_SERVICE`, `IAMAUTH_INVALID_TIME` (`skew`), so a
/// malformed expected host is `IAMAUTH_INVALID_HOST`, never `IAMAUTH_WRONG_HOST`.
///
/// Refusals, the first failed check in this order: `IAMAUTH_MALFORMED_TOKEN`,
/// `IAMAUTH_WRONG_SERVICE`, `IAMAUTH_EXPIRES_TOO_LONG`, `IAMAUTH_UNKNOWN_ACCESS_KEY`,
/// `IAMAUTH_SIGNATURE_MISMATCH`, `IAMAUTH_SESSION_TOKEN_MISMATCH`, `IAMAUTH_WRONG_REGION`,
/// `IAMAUTH_WRONG_HOST`, `IAMAUTH_WRONG_PORT`, `IAMAUTH_WRONG_USER`, `IAMAUTH_WRONG_ACTION`,
/// `IAMAUTH_USER_NOT_ALLOWED`, `IAMAUTH_HOST_NOT_ALLOWED` (the key's `users` / `hosts`),
/// `IAMAUTH_NOT_YET_VALID`, `IAMAUTH_EXPIRED_TOKEN`. Caller mistakes:
/// `IAMAUTH_INVALID_CREDENTIALS` (keys file), `IAMAUTH_INVALID_PORT`, `IAMAUTH_INVALID_TIME`
/// (`now` or `skew`), `IAMAUTH_NULL_ARGUMENT` (`expect` or `out` NULL), `IAMAUTH_INVALID_UTF8`.
/// `message` as for `iamauth_rds_token`.
///
/// # Safety
/// `token` readable for `token_len` bytes (and kept alive while the views in `*out` are used);
/// `keys_json` and the strings of `*expect` readable for the call; `out` writable; `user_buf`
/// has `user_cap` writable bytes; `user_len` and `message` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_verify(
    token: *const c_char,
    token_len: usize,
    keys_json: *const c_char,
    keys_json_len: usize,
    expect: *const iamauth_expect,
    now: i64,
    out: *mut iamauth_identity,
    user_buf: *mut c_char,
    user_cap: usize,
    user_len: *mut usize,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        if out.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "out: NULL pointer"));
        }
        // SAFETY: NULL or a valid, aligned `iamauth_expect` (the caller's contract).
        let Some(e) = (unsafe { expect.as_ref() }) else {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "expect: NULL pointer"));
        };
        let user_out = if user_len.is_null() {
            None
        } else {
            Some(Out::new(user_buf, user_cap, user_len)?)
        };
        // SAFETY: the caller's strings are readable for this call, per this function's
        // contract (and so for the blocks below).
        let token = unsafe { text(token, token_len, field!("token")) }?;
        // SAFETY: as above.
        let keys_json = unsafe { text(keys_json, keys_json_len, field!("keys_json")) }?;
        // SAFETY: as above.
        let host = unsafe { expected(e.host, e.host_len, field!("expect.host")) }?;
        // SAFETY: as above.
        let user = unsafe { expected(e.user, e.user_len, field!("expect.user")) }?;
        // SAFETY: as above.
        let action = unsafe { expected(e.action, e.action_len, field!("expect.action")) }?;
        // SAFETY: as above.
        let region = unsafe { expected(e.region, e.region_len, field!("expect.region")) }?;
        // SAFETY: as above.
        let service = unsafe { expected(e.service, e.service_len, field!("expect.service")) }?;
        let port = match e.port {
            0 => None,
            p => Some(iamauth::check_port(p)?),
        };
        let skew = if e.has_skew {
            e.skew
        } else {
            iamauth::DEFAULT_SKEW
        };
        let expect = iamauth::Expectations::new(host, port, user, action, region, service, skew);
        let keys = iamauth::KeyFile::parse(keys_json)?;
        let who = iamauth::verify(token, |a| keys.get(a), &expect, resolve_time(now))?;
        if let Some(user_out) = user_out {
            // SAFETY: `user_buf`/`user_cap`/`user_len` per this function's contract.
            unsafe { user_out.put(who.user.as_deref().unwrap_or_default()) }?;
        }
        let result = iamauth_identity {
            kind: kind(who.kind),
            access_key_id: iamauth_str::new(who.access_key_id),
            has_user: who.user.is_some(),
            action: iamauth_str::new(who.action),
            host: iamauth_str::new(who.host),
            port: who.port.unwrap_or(0),
            region: iamauth_str::new(who.region),
            service: iamauth_str::new(who.service),
            signed_at: who.signed_at,
            expires_at: who.expires_at,
        };
        // SAFETY: `out` is non-NULL and writable by contract; `write` does not read or drop the
        // old (possibly uninitialised) value.
        unsafe { out.write(result) };
        Ok(())
    })
}
