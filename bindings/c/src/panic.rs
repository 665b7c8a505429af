//! THE panic boundary: every `extern "C"` body runs inside [`guard`] (through [`call`] for the
//! fallible ones), so no unwind ever crosses into C.

use crate::error::{Fail, OwnedFail};
use crate::result::iamauth_result::{self, IAMAUTH_OK, IAMAUTH_PANIC};
use crate::types::iamauth_str;
use core::ffi::c_char;
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

/// A fallible call whose failure message may be made at run time (the credential chain's):
/// [`guard`], then the result code, and on failure the message copied into the caller's `error`
/// buffer, NUL-terminated and cut to `error_cap - 1` bytes at a character boundary (nothing is
/// written when `error` is NULL or `error_cap` is 0).
pub(crate) fn call_with_text(
    error: *mut c_char,
    error_cap: usize,
    f: impl FnOnce() -> Result<(), OwnedFail>,
) -> iamauth_result {
    match guard(Err(PANICKED.into()), f) {
        Ok(()) => IAMAUTH_OK,
        Err(fail) => {
            guard((), || {
                // SAFETY: the caller passes NULL or `error_cap` writable bytes.
                unsafe { copy_text(&fail.message, error, error_cap) }
            });
            fail.code
        }
    }
}

/// Copies as much of `text` as fits in `cap - 1` bytes (whole characters only) plus a NUL.
///
/// # Safety
/// `buf` is NULL or points to `cap` writable bytes.
unsafe fn copy_text(text: &str, buf: *mut c_char, cap: usize) {
    if buf.is_null() || cap == 0 {
        return;
    }
    let mut n = text.len().min(cap - 1);
    while !text.is_char_boundary(n) {
        n -= 1;
    }
    // SAFETY: n < cap, so `buf` has room for n bytes and the NUL; the source is our own string,
    // which cannot overlap the caller's buffer.
    unsafe {
        core::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), n);
        buf.add(n).write(0);
    }
}
