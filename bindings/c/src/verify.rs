//! Verifying a token as the database does.

use crate::error::Fail;
use crate::inspect::{borrowed_text, put_text_and_user};
use crate::panic::call;
use crate::result::iamauth_result::{self, IAMAUTH_NULL_ARGUMENT};
use crate::types::{
    Out, expected, field, iamauth_expect, iamauth_identity, iamauth_str, kind, rebase,
    resolve_time, text,
};
use core::ffi::c_char;
use iamauth::{Expectations, Identity, KeyFile};

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
/// EKS and MSK tokens are base64 of their presigned URL: the views would point into a decoded
/// copy, so this function refuses them (`IAMAUTH_MALFORMED_TOKEN`, the message says so);
/// `iamauth_verify2` verifies every kind (and takes the EKS cluster).
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
        let expect = unsafe { expectations(e) }?;
        let keys = KeyFile::parse(keys_json)?;
        let token = borrowed_text(token)?;
        let who = iamauth::verify(token, |a| keys.get(a), &expect, resolve_time(now))?;
        if let Some(user_out) = user_out {
            // SAFETY: `user_buf`/`user_cap`/`user_len` per this function's contract.
            unsafe { user_out.put(who.user.as_deref().unwrap_or_default()) }?;
        }
        let result = identity_of(&who, iamauth_str::new);
        // SAFETY: `out` is non-NULL and writable by contract; `write` does not read or drop the
        // old (possibly uninitialised) value.
        unsafe { out.write(result) };
        Ok(())
    })
}

/// Verifies any token, EKS and MSK tokens included, as `iamauth_verify` does, with one more
/// expectation: `cluster`, the EKS cluster name (NULL with length 0, or empty: none). An EKS
/// token signs its cluster without writing it down, so verifying one needs it
/// (`IAMAUTH_INVALID_CLUSTER` without, or for a name that breaks the cluster rule); a token for
/// another cluster is `IAMAUTH_SIGNATURE_MISMATCH`. Other kinds ignore it. Set
/// `expect->service` to `sts` for EKS tokens and `kafka-cluster` for MSK tokens (the default
/// service is `rds-db`).
///
/// The text verified (the core's `decode_token`: the presigned URL of an EKS or MSK token, the
/// token itself otherwise) is copied into `text_buf` with a NUL, its length into `*text_len`,
/// and every view of `*out` points into `text_buf` (or is static); `token_len + 1` bytes always
/// suffice. When `text_buf` or `user_buf` is too small the result is `IAMAUTH_BUFFER_TOO_SMALL`,
/// both lengths needed are written (`*text_len`, and `*user_len` when not NULL) and nothing
/// else.
///
/// # Safety
/// As `iamauth_verify`; `cluster` readable for `cluster_len` bytes; `text_buf` has `text_cap`
/// writable bytes; `text_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_verify2(
    token: *const c_char,
    token_len: usize,
    keys_json: *const c_char,
    keys_json_len: usize,
    expect: *const iamauth_expect,
    cluster: *const c_char,
    cluster_len: usize,
    now: i64,
    out: *mut iamauth_identity,
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
        // SAFETY: NULL or a valid, aligned `iamauth_expect` (the caller's contract).
        let Some(e) = (unsafe { expect.as_ref() }) else {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "expect: NULL pointer"));
        };
        let text_out = Out::new(text_buf, text_cap, text_len)?;
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
        let cluster = unsafe { expected(cluster, cluster_len, field!("cluster")) }?;
        // SAFETY: as above.
        let expect = unsafe { expectations(e) }?.with_cluster(cluster);
        let keys = KeyFile::parse(keys_json)?;
        let decoded = iamauth::decode_token(token);
        let who = iamauth::verify(&decoded, |a| keys.get(a), &expect, resolve_time(now))?;
        let result = identity_of(&who, |s| rebase(s, &decoded, text_out.ptr()));
        let user = who.user.as_deref().unwrap_or_default();
        // SAFETY: the buffers per this function's contract.
        unsafe { put_text_and_user(&text_out, &decoded, user_out.as_ref(), user) }?;
        // SAFETY: `out` is non-NULL and writable by contract; `write` does not read or drop the
        // old (possibly uninitialised) value.
        unsafe { out.write(result) };
        Ok(())
    })
}

/// The core's expectations of an `iamauth_expect` (no cluster).
///
/// # Safety
/// The strings of `e` are readable for `'a`.
unsafe fn expectations<'a>(e: &iamauth_expect) -> Result<Expectations<'a>, Fail> {
    // SAFETY: the caller's strings, per this function's contract (and so for the blocks below).
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
    Ok(Expectations::new(
        host, port, user, action, region, service, skew,
    ))
}

/// The C struct of an identity, each string made a view by `view`.
fn identity_of(who: &Identity<'_>, view: impl Fn(&str) -> iamauth_str) -> iamauth_identity {
    iamauth_identity {
        kind: kind(who.kind),
        access_key_id: view(who.access_key_id),
        has_user: who.user.is_some(),
        action: view(who.action),
        host: view(who.host),
        port: who.port.unwrap_or(0),
        region: view(who.region),
        service: view(who.service),
        signed_at: who.signed_at,
        expires_at: who.expires_at,
    }
}
