//! JS string arguments as UTF-8, read with one N-API call.
//!
//! napi's own `String` argument costs two calls (the UTF-8 length, then the bytes) and, for a
//! value of the wrong type, builds its error message from the value itself (an object through
//! `JSON.stringify`, which runs user code and could copy a secret into the message). [`Text`]
//! reads into a buffer that fits every host, user, region and key in one call, takes napi's
//! two-call read only for longer strings (a long session token), and throws a message that
//! names no value.

// The one place this crate writes `unsafe`: `FromNapiValue` (napi's extension point for
// argument types) is an `unsafe fn`, and the read is a direct N-API call.
#![allow(unsafe_code)]

use napi::bindgen_prelude::FromNapiValue;
use napi::{Status, sys};
use std::ops::Deref;
use zeroize::Zeroize;

/// Bytes the single read can take: more than any host (253), region, key id or secret key.
const FIRST_READ: usize = 1024;

/// The longest UTF-8 character: N-API stops before a character that does not fit whole.
const MAX_CHAR: usize = 4;

/// A JS `string` argument as UTF-8 (lone surrogates become U+FFFD, as N-API reads them).
pub struct Text(String);

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// The error for a non-string argument; like napi's number and boolean errors, it names no value.
fn not_a_string() -> napi::Error {
    napi::Error::new(Status::StringExpected, "expected a string")
}

impl FromNapiValue for Text {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let mut buf = Vec::<u8>::with_capacity(FIRST_READ);
        let mut written = 0usize;
        // SAFETY: `env` and `value` are the live callback's (this trait's contract); `buf` owns
        // `FIRST_READ` writable bytes, the size passed; `written` is a valid out-pointer.
        let status = unsafe {
            sys::napi_get_value_string_utf8(
                env,
                value,
                buf.as_mut_ptr().cast(),
                FIRST_READ,
                &mut written,
            )
        };
        if status != sys::Status::napi_ok {
            return Err(not_a_string());
        }
        // N-API writes at most `FIRST_READ - 1` bytes and only whole characters, so a cut string
        // leaves fewer than `MAX_CHAR` of them unused: with more to spare, all of it was read.
        if written + MAX_CHAR >= FIRST_READ {
            // SAFETY: as above; napi's `String` reads the length, then exactly that many bytes.
            return unsafe { String::from_napi_value(env, value) }
                .map(Text)
                .map_err(|_| not_a_string());
        }
        // SAFETY: N-API initialised the first `written` bytes, and `written < FIRST_READ`, the
        // capacity.
        unsafe { buf.set_len(written) };
        // V8 writes valid UTF-8; checking it anyway costs little next to the call.
        String::from_utf8(buf).map(Text).map_err(|_| not_a_string())
    }
}

/// A [`Text`] holding a secret (the secret access key): its bytes are zeroed when dropped.
pub struct Secret(Text);

impl Deref for Secret {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.0.as_mut_str().zeroize();
    }
}

impl FromNapiValue for Secret {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: the caller's guarantees are passed on unchanged.
        unsafe { Text::from_napi_value(env, value) }.map(Secret)
    }
}
