//! Reading a token back (no secret needed).

use crate::error::Fail;
use crate::panic::call;
use crate::result::iamauth_result::{self, IAMAUTH_NULL_ARGUMENT};
use crate::types::{
    Out, field, iamauth_str, iamauth_token_info, iamauth_validity, kind, resolve_time, text,
};
use core::ffi::c_char;
use iamauth::Validity;

/// Reads a token back (no secret needed): fills `*out`, with string views into `token`, and
/// tells whether it is usable at `now` (unix seconds, or `IAMAUTH_NOW`).
///
/// The user (decoded from `DBUser` / `User`, which may be percent-encoded) is copied into
/// `user_buf` with a NUL, its length without the NUL into `*user_len`; DSQL tokens have no user
/// (length 0, `has_user` false). Pass `user_len` NULL to skip the user (then `user_buf` and
/// `user_cap` are ignored). When `user_cap < length + 1` the result is
/// `IAMAUTH_BUFFER_TOO_SMALL` and only `*user_len` is written.
///
/// `IAMAUTH_MALFORMED_TOKEN` for text that is not a token; `IAMAUTH_INVALID_TIME` for a `now`
/// outside 1970..=9999. `*out` is written only on success.
///
/// # Safety
/// `token` readable for `token_len` bytes (and kept alive while the views in `*out` are used);
/// `out` writable; `user_buf` has `user_cap` writable bytes; `user_len` and `message` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_inspect(
    token: *const c_char,
    token_len: usize,
    now: i64,
    out: *mut iamauth_token_info,
    user_buf: *mut c_char,
    user_cap: usize,
    user_len: *mut usize,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        if out.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "out: NULL pointer"));
        }
        let user_out = if user_len.is_null() {
            None
        } else {
            Some(Out::new(user_buf, user_cap, user_len)?)
        };
        // SAFETY: the caller's token, per this function's contract.
        let token = unsafe { text(token, token_len, field!("token")) }?;
        let info = iamauth::inspect(token)?;
        let now = resolve_time(now);
        let (validity, seconds) = match info.validity(now)? {
            Validity::Valid { seconds_left } => {
                (iamauth_validity::IAMAUTH_STATUS_VALID, seconds_left)
            }
            Validity::Expired { seconds_ago, .. } => {
                (iamauth_validity::IAMAUTH_STATUS_EXPIRED, seconds_ago)
            }
            Validity::NotYetValid { starts_in } => {
                (iamauth_validity::IAMAUTH_STATUS_NOT_YET_VALID, starts_in)
            }
        };
        if let Some(user_out) = user_out {
            // SAFETY: `user_buf`/`user_cap`/`user_len` per this function's contract.
            unsafe { user_out.put(info.user.as_deref().unwrap_or_default()) }?;
        }
        let result = iamauth_token_info {
            kind: kind(info.kind),
            host: iamauth_str::new(info.host),
            port: info.port.unwrap_or(0),
            has_user: info.user.is_some(),
            action: iamauth_str::new(info.action),
            serverless: info.serverless,
            region: iamauth_str::new(info.region),
            service: iamauth_str::new(info.service),
            access_key_id: iamauth_str::new(info.access_key_id),
            signature: iamauth_str::new(info.signature),
            has_session_token: info.has_session_token,
            signed_at: info.signed_at,
            expires_in: i64::from(info.expires_in),
            expires_at: info.expires_at,
            now,
            validity,
            seconds,
        };
        // SAFETY: `out` is non-NULL and writable by contract; `write` does not read or drop the
        // old (possibly uninitialised) value.
        unsafe { out.write(result) };
        Ok(())
    })
}
