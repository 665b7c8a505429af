//! The library's version.

use crate::panic::guard;
use core::ffi::c_char;

/// The library version, e.g. `"0.1.0"` (equals `IAMAUTH_VERSION` of a matching header). Static
/// and NUL-terminated.
#[unsafe(no_mangle)]
pub extern "C" fn iamauth_version() -> *const c_char {
    guard(c"".as_ptr(), || {
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    })
}
