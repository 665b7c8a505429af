//! Reading a token back (no secret needed), and decoding EKS / MSK tokens into the text that is
//! read.

use crate::error::Fail;
use crate::panic::call;
use crate::result::iamauth_result::{
    self, IAMAUTH_BUFFER_TOO_SMALL, IAMAUTH_MALFORMED_TOKEN, IAMAUTH_NULL_ARGUMENT,
};
use crate::types::{
    Out, field, iamauth_str, iamauth_token_info, iamauth_validity, kind, rebase, resolve_time, text,
};
use core::ffi::c_char;
use iamauth::{TokenInfo, Validity};
use std::borrow::Cow;

/// The refusal of the functions whose views point into the caller's token, for a token whose
/// text is a decoded copy (EKS, MSK).
pub(crate) const ENCODED_TOKEN: Fail = Fail::new(
    IAMAUTH_MALFORMED_TOKEN,
    "token: an EKS or MSK token (base64); read it with iamauth_inspect2 / iamauth_verify2, whose views point into a buffer of yours",
);

/// The text `iamauth_inspect` and `iamauth_verify` read: the core's `decode_token`, or
/// [`ENCODED_TOKEN`] when that is a decoded copy (no caller storage for the views).
pub(crate) fn borrowed_text(token: &str) -> Result<&str, Fail> {
    match iamauth::decode_token(token) {
        Cow::Borrowed(text) => Ok(text),
        Cow::Owned(_) => Err(ENCODED_TOKEN),
    }
}

/// Writes the text read into `text_out` and the user into `user_out` (if asked), or neither:
/// when either does not fit, only the lengths are written, with `IAMAUTH_BUFFER_TOO_SMALL`, so
/// that one retry with both sizes succeeds.
///
/// # Safety
/// Both `Out`s follow [`Out::put`]'s contract.
pub(crate) unsafe fn put_text_and_user(
    text_out: &Out,
    text: &str,
    user_out: Option<&Out>,
    user: &str,
) -> Result<(), Fail> {
    let user_fits = user_out.is_none_or(|u| u.fits(user));
    if !text_out.fits(text) || !user_fits {
        // SAFETY: per this function's contract.
        unsafe {
            text_out.report(text);
            if let Some(u) = user_out {
                u.report(user);
            }
        }
        return Err(Fail::new(
            IAMAUTH_BUFFER_TOO_SMALL,
            "text_buf or user_buf: too small; *text_len and *user_len hold the lengths needed, without the NUL",
        ));
    }
    // SAFETY: per this function's contract; both fit.
    unsafe {
        text_out.put(text)?;
        if let Some(u) = user_out {
            u.put(user)?;
        }
    }
    Ok(())
}

/// Reads a token back (no secret needed): fills `*out`, with string views into `token`, and
/// tells whether it is usable at `now` (unix seconds, or `IAMAUTH_NOW`).
///
/// The user (decoded from `DBUser` / `User`, which may be percent-encoded) is copied into
/// `user_buf` with a NUL, its length without the NUL into `*user_len`; DSQL tokens have no user
/// (length 0, `has_user` false). Pass `user_len` NULL to skip the user (then `user_buf` and
/// `user_cap` are ignored). When `user_cap < length + 1` the result is
/// `IAMAUTH_BUFFER_TOO_SMALL` and only `*user_len` is written.
///
/// EKS and MSK tokens are base64 of their presigned URL: the views would point into a decoded
/// copy, so this function refuses them (`IAMAUTH_MALFORMED_TOKEN`, the message says so);
/// `iamauth_inspect2` reads every kind.
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
        let token = borrowed_text(token)?;
        let info = iamauth::inspect(token)?;
        let result = info_of(&info, now, iamauth_str::new)?;
        if let Some(user_out) = user_out {
            // SAFETY: `user_buf`/`user_cap`/`user_len` per this function's contract.
            unsafe { user_out.put(info.user.as_deref().unwrap_or_default()) }?;
        }
        // SAFETY: `out` is non-NULL and writable by contract; `write` does not read or drop the
        // old (possibly uninitialised) value.
        unsafe { out.write(result) };
        Ok(())
    })
}

/// Reads any token back, EKS and MSK tokens included: as `iamauth_inspect`, but the text read
/// (the core's `decode_token`: the presigned URL of an EKS or MSK token, the token itself for
/// the other kinds) is copied into `text_buf` with a NUL, its length without the NUL into
/// `*text_len`, and every view of `*out` points into `text_buf` (or is static): valid as long as
/// that buffer is, the token may be freed. The text is never longer than the token, so
/// `token_len + 1` bytes always suffice.
///
/// When `text_buf` or `user_buf` is too small the result is `IAMAUTH_BUFFER_TOO_SMALL`, both
/// lengths needed are written (`*text_len`, and `*user_len` when not NULL) and nothing else.
///
/// # Safety
/// As `iamauth_inspect`; `text_buf` has `text_cap` writable bytes; `text_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_inspect2(
    token: *const c_char,
    token_len: usize,
    now: i64,
    out: *mut iamauth_token_info,
    text_buf: *mut c_char,
    text_cap: usize,
    text_len: *mut usize,
    user_buf: *mut c_char,
    user_cap: usize,
    user_len: *mut usize,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        if out.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "out: NULL pointer"));
        }
        let text_out = Out::new(text_buf, text_cap, text_len)?;
        let user_out = if user_len.is_null() {
            None
        } else {
            Some(Out::new(user_buf, user_cap, user_len)?)
        };
        // SAFETY: the caller's token, per this function's contract.
        let token = unsafe { text(token, token_len, field!("token")) }?;
        let decoded = iamauth::decode_token(token);
        let info = iamauth::inspect(&decoded)?;
        let result = info_of(&info, now, |s| rebase(s, &decoded, text_out.ptr()))?;
        let user = info.user.as_deref().unwrap_or_default();
        // SAFETY: the buffers per this function's contract.
        unsafe { put_text_and_user(&text_out, &decoded, user_out.as_ref(), user) }?;
        // SAFETY: `out` is non-NULL and writable by contract; `write` does not read or drop the
        // old (possibly uninitialised) value.
        unsafe { out.write(result) };
        Ok(())
    })
}

/// The C struct of an inspected token, each string made a view by `view`.
fn info_of(
    info: &TokenInfo<'_>,
    now: i64,
    view: impl Fn(&str) -> iamauth_str,
) -> Result<iamauth_token_info, Fail> {
    let now = resolve_time(now);
    let (validity, seconds) = match info.validity(now)? {
        Validity::Valid { seconds_left } => (iamauth_validity::IAMAUTH_STATUS_VALID, seconds_left),
        Validity::Expired { seconds_ago, .. } => {
            (iamauth_validity::IAMAUTH_STATUS_EXPIRED, seconds_ago)
        }
        Validity::NotYetValid { starts_in } => {
            (iamauth_validity::IAMAUTH_STATUS_NOT_YET_VALID, starts_in)
        }
    };
    Ok(iamauth_token_info {
        kind: kind(info.kind),
        host: view(info.host),
        port: info.port.unwrap_or(0),
        has_user: info.user.is_some(),
        action: view(info.action),
        serverless: info.serverless,
        region: view(info.region),
        service: view(info.service),
        access_key_id: view(info.access_key_id),
        signature: view(info.signature),
        has_session_token: info.has_session_token,
        signed_at: info.signed_at,
        expires_in: i64::from(info.expires_in),
        expires_at: info.expires_at,
        now,
        validity,
        seconds,
    })
}

/// Decodes a token into the text `iamauth_inspect2` and `iamauth_verify2` read (the core's
/// `decode_token`): the presigned `https://` URL inside an EKS (`k8s-aws-v1.` + base64) or MSK
/// (base64) token, the token itself for the other kinds. The text (plus a NUL) goes to `buf`,
/// its length to `*out_len`, with the buffer protocol of `iamauth_rds_token` (`token_len + 1`
/// bytes always suffice). Anything else (not a token, or base64 of something else) comes back as
/// it is, for inspect and verify to judge.
///
/// # Safety
/// `token` readable for `token_len` bytes; `buf` has `cap` writable bytes; `out_len` writable;
/// `message` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_decode_token(
    token: *const c_char,
    token_len: usize,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        let out = Out::new(buf, cap, out_len)?;
        // SAFETY: the caller's token, per this function's contract.
        let token = unsafe { text(token, token_len, field!("token")) }?;
        let decoded = iamauth::decode_token(token);
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        unsafe { out.put(&decoded) }
    })
}
