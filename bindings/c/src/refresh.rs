//! The token providers' rule, in the core: when a cached token must be replaced
//! (`iamauth_refresh_at`, `iamauth_reuse_until`) and whether it may still be handed out
//! (`iamauth_may_reuse`). Providers keep only their cache and locking.

use crate::error::Fail;
use crate::panic::{call, guard};
use crate::result::iamauth_result::{self, IAMAUTH_NULL_ARGUMENT};
use crate::types::iamauth_str;

/// Passed as `credentials_expiration` of `iamauth_refresh_at` and `iamauth_reuse_until`: the
/// credentials do not expire (long-term keys).
pub const IAMAUTH_NO_EXPIRATION: i64 = i64::MAX;

/// The unix second from which a cached token must no longer be handed out and a new one must be
/// made: THE refresh rule every token provider follows (the core's `refresh_at`). A token signed
/// at `signed_at`, valid `expires_in` seconds, with credentials expiring at
/// `credentials_expiration` (unix seconds, or `IAMAUTH_NO_EXPIRATION`): refresh when less than a
/// third of its usable lifetime or a minute is left, whichever comes first; half-way for
/// lifetimes under two minutes; never past the credentials' expiration. A result `<= signed_at`
/// means the token is unusable from the start (the credentials have expired). Saturating: no
/// input overflows. Infallible; should it ever panic, it returns `signed_at` (refresh now).
#[unsafe(no_mangle)]
pub extern "C" fn iamauth_refresh_at(
    signed_at: i64,
    expires_in: i64,
    credentials_expiration: i64,
) -> i64 {
    guard(signed_at, || {
        iamauth::refresh_at(signed_at, expires_in, expiration(credentials_expiration))
    })
}

/// The credentials expiration as the core takes it.
fn expiration(credentials_expiration: i64) -> Option<i64> {
    (credentials_expiration != IAMAUTH_NO_EXPIRATION).then_some(credentials_expiration)
}

/// The providers' rule, whole: until when (unix seconds, exclusive) a token just signed at
/// `signed_at`, valid `expires_in` seconds, with credentials expiring at `credentials_expiration`
/// (unix seconds, or `IAMAUTH_NO_EXPIRATION`) may be handed out again. It is
/// `iamauth_refresh_at`, except that credentials already expired at `signed_at` are refused with
/// `IAMAUTH_INVALID_CREDENTIALS` (every token made with them would be refused by the database,
/// so a provider must neither cache nor return one); the message says so.
///
/// `*out` is written only on success. `IAMAUTH_NULL_ARGUMENT` when `out` is NULL. `message` as
/// for `iamauth_rds_token`.
///
/// # Safety
/// `out` and `message` (if not NULL) must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_reuse_until(
    signed_at: i64,
    expires_in: i64,
    credentials_expiration: i64,
    out: *mut i64,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        if out.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "out: NULL pointer"));
        }
        let until =
            iamauth::reuse_until(signed_at, expires_in, expiration(credentials_expiration))?;
        // SAFETY: `out` is non-NULL and writable by contract.
        unsafe { out.write(until) };
        Ok(())
    })
}

/// Whether a token cached at `signed_at`, reusable until `reuse_until` (from
/// `iamauth_reuse_until`), may be handed out at `now` (unix seconds): `signed_at <= now <
/// reuse_until`. A clock that went back before `signed_at` makes a new one. Infallible; should it
/// ever panic, it returns false (make a new token).
#[unsafe(no_mangle)]
pub extern "C" fn iamauth_may_reuse(now: i64, signed_at: i64, reuse_until: i64) -> bool {
    guard(false, || iamauth::may_reuse(now, signed_at, reuse_until))
}
