//! JS string arguments as UTF-8, read with one N-API call into a buffer inside the argument.
//!
//! napi's own `String` argument costs two calls (the UTF-8 length, then the bytes) and a heap
//! allocation and, for a value of the wrong type, builds its error message from the value itself
//! (an object through `JSON.stringify`, which runs user code and could copy a secret into the
//! message). [`Text`] reads into a buffer of its own that fits the usual host, user, region and
//! key with no allocation (the 1 KB heap buffer per argument it replaces cost about 130
//! instructions each to allocate and free), takes napi's two-call read only for longer strings (a
//! long host or session token), and throws a message that names no value. A [`Secret`] is kept on
//! the heap, so moves copy no secret bytes. The token goes back as a [`Token`]: ASCII (always: the
//! core percent-encodes everything else) is handed to V8 as Latin-1, a plain copy, instead of
//! through V8's UTF-8 decoder.

// The one place this crate writes `unsafe`: `FromNapiValue` / `ToNapiValue` (napi's extension
// points for argument and return types) are `unsafe fn`s, and the reads are direct N-API calls.
#![allow(unsafe_code)]

use napi::bindgen_prelude::{FromNapiValue, ToNapiValue};
use napi::{Status, sys};
use std::ops::Deref;
use zeroize::Zeroize;

/// Bytes the single read can take: real endpoints (about 50 to 80 bytes), regions and keys. An
/// argument is moved a few times on its way in, so the buffer is not made larger than that.
const INLINE: usize = 128;

/// The longest UTF-8 character: N-API stops before a character that does not fit whole.
const MAX_CHAR: usize = 4;

/// A JS `string` argument as UTF-8 (lone surrogates become U+FFFD, as N-API reads them).
pub struct Text(Repr);

enum Repr {
    /// `len` bytes of checked UTF-8 at the start of `buf`.
    Inline { len: usize, buf: [u8; INLINE] },
    /// A string too long for the buffer.
    Heap(String),
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, buf } => {
                let bytes = buf.get(..*len).unwrap_or_default();
                // SAFETY: `from_napi_value` checked these bytes as UTF-8 before making this
                // value, and nothing writes them afterwards (only `Secret`'s drop, after the
                // last read).
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            Repr::Heap(s) => s,
        }
    }
}

/// The error for a non-string argument; like napi's number and boolean errors, it names no value.
fn not_a_string() -> napi::Error {
    napi::Error::new(Status::StringExpected, "expected a string")
}

/// Reads a JS string into `buf`: its length, or `None` when it may not have fit (then napi's
/// two-call read takes it).
///
/// # Safety
/// `env` and `value` are the live callback's (`FromNapiValue`'s contract).
unsafe fn read_inline(
    env: sys::napi_env,
    value: sys::napi_value,
    buf: &mut [u8; INLINE],
) -> napi::Result<Option<usize>> {
    let mut written = 0usize;
    // SAFETY: `env` and `value` per this function's contract; `buf` has `INLINE` writable bytes,
    // the size passed; `written` is a valid out-pointer.
    let status = unsafe {
        sys::napi_get_value_string_utf8(env, value, buf.as_mut_ptr().cast(), INLINE, &mut written)
    };
    if status != sys::Status::napi_ok {
        return Err(not_a_string());
    }
    // N-API writes at most `INLINE - 1` bytes and only whole characters, so a cut string leaves
    // fewer than `MAX_CHAR` of them unused: with more to spare, all of it was read.
    if written + MAX_CHAR >= INLINE {
        return Ok(None);
    }
    // V8 writes valid UTF-8; checked anyway (ASCII, every host, region and key, a word at a time,
    // then the full check only for the rest).
    let bytes = buf.get(..written).unwrap_or_default();
    if !bytes.is_ascii() && std::str::from_utf8(bytes).is_err() {
        return Err(not_a_string());
    }
    Ok(Some(written))
}

/// napi's two-call read, for a string longer than the buffer.
///
/// # Safety
/// As [`read_inline`].
unsafe fn read_heap(env: sys::napi_env, value: sys::napi_value) -> napi::Result<String> {
    // SAFETY: the caller's guarantees; napi's `String` reads the length, then that many bytes.
    unsafe { String::from_napi_value(env, value) }.map_err(|_| not_a_string())
}

impl FromNapiValue for Text {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let mut buf = [0u8; INLINE];
        // SAFETY: the caller's guarantees are passed on unchanged (and to `read_heap`).
        match unsafe { read_inline(env, value, &mut buf) }? {
            Some(len) => Ok(Text(Repr::Inline { len, buf })),
            // SAFETY: as above.
            None => unsafe { read_heap(env, value) }.map(|s| Text(Repr::Heap(s))),
        }
    }
}

/// A [`Text`] holding a secret (the secret access key): always on the heap, so that moving it
/// copies no secret bytes, and zeroed when dropped (the stack buffer it is read into, at once).
pub struct Secret(Text);

impl Deref for Secret {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        match &mut self.0.0 {
            Repr::Inline { buf, .. } => buf.zeroize(),
            Repr::Heap(s) => s.as_mut_str().zeroize(),
        }
    }
}

impl FromNapiValue for Secret {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let mut buf = [0u8; INLINE];
        // SAFETY: the caller's guarantees are passed on unchanged (and to `read_heap`).
        let secret = match unsafe { read_inline(env, value, &mut buf) } {
            // (checked by `read_inline`; `from_utf8` again is the safe way to a `&str`, and its
            // ASCII path is cheap: `from_utf8_lossy`'s chunk iterator cost 50 ns a call)
            Ok(Some(len)) => std::str::from_utf8(buf.get(..len).unwrap_or_default())
                .map(str::to_owned)
                .map_err(|_| not_a_string()),
            // SAFETY: as above.
            Ok(None) => unsafe { read_heap(env, value) },
            Err(e) => Err(e),
        };
        buf.zeroize();
        secret.map(|s| Secret(Text(Repr::Heap(s))))
    }
}

/// A token returned to JS: a JS string with the same characters.
pub struct Token(pub String);

impl ToNapiValue for Token {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        if !val.0.is_ascii() {
            // SAFETY: the caller's guarantees are passed on unchanged.
            return unsafe { String::to_napi_value(env, val.0) };
        }
        let mut out = std::ptr::null_mut();
        // SAFETY: `env` is the live callback's; the pointer and length are the string's own bytes
        // (ASCII, so Latin-1 reads the same characters); `out` is a valid out-pointer.
        let status = unsafe {
            sys::napi_create_string_latin1(
                env,
                val.0.as_ptr().cast(),
                val.0.len() as isize,
                &mut out,
            )
        };
        if status != sys::Status::napi_ok {
            return Err(napi::Error::new(
                Status::GenericFailure,
                "could not create the token string",
            ));
        }
        Ok(out)
    }
}
