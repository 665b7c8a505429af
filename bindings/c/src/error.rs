//! Results: this binding's own codes (the one table of them), the failure type of a call, and
//! the static names and descriptions `iamauth_result_name` / `iamauth_result_message` return.
//!
//! The `iamauth_result` enum itself is generated into `result.rs` from the core's
//! `ErrorCode::ALL` (number, name, description) and [`BINDING_RESULTS`]; a test regenerates it
//! and fails when the committed file differs (`IAMAUTH_BLESS=1 cargo test -p iamauth-c` rewrites
//! it).

use core::ffi::{CStr, c_char};
use iamauth::ErrorCode;
use std::borrow::Cow;
use std::ffi::CString;
use std::sync::OnceLock;

use crate::panic::guard;
pub use crate::result::iamauth_result;
use iamauth_result::*;

/// A result of this binding that is not a core error code: number, name (the C name without its
/// `IAMAUTH_` prefix), description. Every other result is a core code, with the core's number,
/// name and description.
pub(crate) struct BindingResult {
    pub(crate) number: u32,
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
}

/// This binding's own results, the only place they are written.
pub(crate) const BINDING_RESULTS: [BindingResult; 5] = [
    BindingResult {
        number: 0,
        name: "OK",
        description: "Success.",
    },
    BindingResult {
        number: 100,
        name: "NULL_ARGUMENT",
        description: "A required pointer is NULL, or a (NULL, length > 0) string, or a length above `PTRDIFF_MAX`.",
    },
    BindingResult {
        number: 102,
        name: "BUFFER_TOO_SMALL",
        description: "The output buffer is too small: the out-length holds the length needed (without the NUL); call again with a capacity of at least that plus one.",
    },
    BindingResult {
        number: 103,
        name: "PANIC",
        description: "A bug: the library panicked and caught it. Nothing was written.",
    },
    BindingResult {
        number: 104,
        name: "UNKNOWN_ERROR",
        description: "An error code this build of the binding does not know (never returned by a consistent build; the tests check that every core code is mapped).",
    },
];

impl iamauth_result {
    /// The result for a core error code (same number, same name).
    pub(crate) fn from_code(code: ErrorCode) -> iamauth_result {
        iamauth_result::from_number(code.number()).unwrap_or(IAMAUTH_UNKNOWN_ERROR)
    }

    /// The stable name (the core's code name for a core code) and the description, as text.
    pub(crate) fn texts(self) -> (&'static str, &'static str) {
        let number = self as u32;
        if let Some(code) = ErrorCode::from_number(number) {
            return (code.name(), code.description());
        }
        BINDING_RESULTS
            .iter()
            .find(|r| r.number == number)
            .map_or(("UNKNOWN_ERROR", ""), |r| (r.name, r.description))
    }

    /// The stable name, e.g. `INVALID_PORT`.
    #[cfg(test)]
    pub(crate) fn name(self) -> &'static str {
        self.texts().0
    }
}

/// A failure inside a call: the result code plus a static message.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fail {
    pub(crate) code: iamauth_result,
    pub(crate) message: &'static str,
}

impl Fail {
    pub(crate) const fn new(code: iamauth_result, message: &'static str) -> Fail {
        Fail { code, message }
    }
}

impl From<iamauth::Error> for Fail {
    fn from(e: iamauth::Error) -> Fail {
        Fail::new(iamauth_result::from_code(e.code()), e.message())
    }
}

/// A failure whose message may be made at run time: the credential chain's, which names files,
/// profiles, settings and HTTP statuses (never a secret). The calls that can fail this way copy
/// the message into a caller's buffer (`panic::call_with_text`) rather than lending a static one.
#[derive(Clone, Debug)]
pub(crate) struct OwnedFail {
    pub(crate) code: iamauth_result,
    pub(crate) message: Cow<'static, str>,
}

impl From<Fail> for OwnedFail {
    fn from(f: Fail) -> OwnedFail {
        OwnedFail {
            code: f.code,
            message: Cow::Borrowed(f.message),
        }
    }
}

impl From<iamauth::Error> for OwnedFail {
    fn from(e: iamauth::Error) -> OwnedFail {
        Fail::from(e).into()
    }
}

impl From<::iamauth_credentials::Error> for OwnedFail {
    fn from(e: ::iamauth_credentials::Error) -> OwnedFail {
        OwnedFail {
            code: iamauth_result::from_code(e.code()),
            message: Cow::Owned(e.message().to_owned()),
        }
    }
}

/// The NUL-terminated name and description of every result, built once from
/// `iamauth_result::texts`, in number order.
fn c_texts(result: u32) -> Option<&'static (CString, CString)> {
    static TABLE: OnceLock<Vec<(u32, (CString, CString))>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let numbers = BINDING_RESULTS
            .iter()
            .map(|r| r.number)
            .chain(ErrorCode::ALL.iter().map(|c| c.number()));
        numbers
            .filter_map(|n| {
                let (name, description) = iamauth_result::from_number(n)?.texts();
                let c = |s: &str| CString::new(s).unwrap_or_default();
                Some((n, (c(name), c(description))))
            })
            .collect()
    });
    table.iter().find(|(n, _)| *n == result).map(|(_, t)| t)
}

/// The C text of `result`, or that of `IAMAUTH_UNKNOWN_ERROR` for a number that is no result.
fn c_text(result: u32, pick: fn(&'static (CString, CString)) -> &'static CStr) -> *const c_char {
    c_texts(result)
        .or_else(|| c_texts(IAMAUTH_UNKNOWN_ERROR as u32))
        .map_or(c"UNKNOWN_ERROR".as_ptr(), |t| pick(t).as_ptr())
}

/// The stable name of a result, e.g. `"INVALID_PORT"` (the core's code name for a core code),
/// or `"UNKNOWN_ERROR"` for a number that is not a result. Static and NUL-terminated.
#[unsafe(no_mangle)]
pub extern "C" fn iamauth_result_name(result: u32) -> *const c_char {
    guard(c"PANIC".as_ptr(), || c_text(result, |t| &t.0))
}

/// A static description of a result (the same for every call; the `message` out-parameter of
/// each function says more). Static and NUL-terminated.
#[unsafe(no_mangle)]
pub extern "C" fn iamauth_result_message(result: u32) -> *const c_char {
    guard(c"internal error".as_ptr(), || c_text(result, |t| &t.1))
}
