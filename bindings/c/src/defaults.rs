//! The core's defaults, for callers that need the numbers (the Java binding reads them once):
//! nothing here restates them.

use crate::panic::guard;
use crate::types::iamauth_str;

/// The usual token lifetime in seconds, the core's default expiry (the most RDS and cache tokens
/// allow; DSQL tokens allow more).
#[unsafe(no_mangle)]
pub extern "C" fn iamauth_default_expiry() -> i64 {
    guard(iamauth::DEFAULT_EXPIRY, || iamauth::DEFAULT_EXPIRY)
}

/// The clock skew `iamauth_verify` allows when `iamauth_expect.has_skew` is false: seconds a
/// token may be signed in the future of `now` (the core's default).
#[unsafe(no_mangle)]
pub extern "C" fn iamauth_default_skew() -> i64 {
    guard(iamauth::DEFAULT_SKEW, || iamauth::DEFAULT_SKEW)
}

/// The service `iamauth_verify` expects when `iamauth_expect.service` is empty (the core's
/// default, `rds-db`). Static; not NUL-terminated (see `iamauth_str`).
#[unsafe(no_mangle)]
pub extern "C" fn iamauth_default_service() -> iamauth_str {
    guard(iamauth_str::new(iamauth::DEFAULT_SERVICE), || {
        iamauth_str::new(iamauth::DEFAULT_SERVICE)
    })
}
