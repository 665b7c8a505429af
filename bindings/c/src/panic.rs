//! THE panic boundary: every `extern "C"` body runs inside [`guard`] (through [`call`] for the
//! fallible ones), so no unwind ever crosses into C.

use crate::error::Fail;
use crate::result::iamauth_result::{self, IAMAUTH_OK, IAMAUTH_PANIC};
use crate::types::iamauth_str;
use std::panic::{AssertUnwindSafe, catch_unwind};

pub(crate) const PANICKED: Fail = Fail::new(
    IAMAUTH_PANIC,
    "internal error: the library panicked (a bug; please report it)",
);

/// THE panic boundary: runs `f`, and returns `fallback` if it panics. Every `extern "C"` body
/// goes through here, so no unwind ever crosses into C.
pub(crate) fn guard<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    // AssertUnwindSafe: after a panic nothing `f` captured is looked at again; only the
    // fallback is returned.
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// A fallible call: [`guard`], then the result code, and the message into the optional
/// `message` out-parameter on failure.
pub(crate) fn call(
    message: *mut iamauth_str,
    f: impl FnOnce() -> Result<(), Fail>,
) -> iamauth_result {
    match guard(Err(PANICKED), f) {
        Ok(()) => IAMAUTH_OK,
        Err(fail) => {
            if !message.is_null() {
                // SAFETY: the caller passes NULL or a writable `iamauth_str`; `write` neither
                // reads nor drops the old (possibly uninitialised) value.
                unsafe { message.write(iamauth_str::new(fail.message)) };
            }
            fail.code
        }
    }
}
