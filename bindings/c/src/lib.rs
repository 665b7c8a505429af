//! # iamauth-c
//!
//! The C ABI of [`iamauth`]: IAM database authentication tokens (RDS / Aurora, Aurora DSQL,
//! ElastiCache / MemoryDB) and token inspection. The header is `include/iamauth.h`, generated
//! by a pinned cbindgen, checked in and diffed by `check-header.sh`.
//!
//! Conventions (those of rustls-ffi):
//! - every fallible function returns an `iamauth_result`: `IAMAUTH_OK` (0) on success, the
//!   core's error codes with the core's numbers (1 to 22), the binding's own codes from 100;
//! - strings come in as (pointer, length) UTF-8, validated and borrowed for the call only; a
//!   NULL pointer with length 0 is the empty string (or "absent" where a string is optional), a
//!   NULL pointer with a length above 0 is `IAMAUTH_NULL_ARGUMENT`;
//! - outputs are written only on success; a too-small buffer gets nothing, only its
//!   out-length receives the length needed;
//! - every body runs inside one panic boundary (`guard`): a bug becomes `IAMAUTH_PANIC`,
//!   never an unwind into C.
//!
//! This crate only converts, fills in "now", maps errors and catches panics; every rule lives in
//! the core.

#![allow(unsafe_code)]
// The Rust names are the C names: `iamauth_result`, `IAMAUTH_OK`, ...
#![allow(non_camel_case_types)]

use core::ffi::c_char;
use iamauth::{
    CacheService, Credentials, DsqlAction, DsqlTokenRequest, ElastiCacheTokenRequest, ErrorCode,
    RdsTokenRequest, TokenKind, Validity,
};
use std::panic::{AssertUnwindSafe, catch_unwind};

#[cfg(test)]
mod tests;

/// Passed as a `time` or `now` argument: use the current time (the library reads the clock).
///
/// It is `INT64_MIN + 1`, not `INT64_MIN`: the shared error vectors require `INT64_MIN` to be
/// rejected with `IAMAUTH_INVALID_TIME` like every other time outside 1970..=9999.
pub const IAMAUTH_NOW: i64 = i64::MIN + 1;

/// The result of every fallible function. The numbers are stable: 1 to 22 are the core's error
/// codes (`ErrorCode::number()`, the same names in every language), 100 and up are this
/// binding's own.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum iamauth_result {
    /// Success.
    IAMAUTH_OK = 0,
    /// The host (or cache name) breaks the host rule.
    IAMAUTH_INVALID_HOST = 1,
    /// The port is not an integer in 1..=65535.
    IAMAUTH_INVALID_PORT = 2,
    /// The database or cache user is empty, too long or has control characters.
    IAMAUTH_INVALID_USER = 3,
    /// The region does not match the region pattern.
    IAMAUTH_INVALID_REGION = 4,
    /// The expiry is outside the range allowed for this kind of token.
    IAMAUTH_INVALID_EXPIRY = 5,
    /// The access key id, secret key or session token breaks its rule.
    IAMAUTH_INVALID_CREDENTIALS = 6,
    /// The signing time (or `now`) is outside 1970-01-01T00:00:00Z..=9999-12-31T23:59:59Z.
    IAMAUTH_INVALID_TIME = 7,
    /// The DSQL action is neither `DbConnect` nor `DbConnectAdmin`.
    IAMAUTH_INVALID_ACTION = 8,
    /// A token given to `iamauth_inspect` is not a token this library can read.
    IAMAUTH_MALFORMED_TOKEN = 9,
    /// The signing service name breaks the service rule (cache tokens: `elasticache` or
    /// `memorydb`).
    IAMAUTH_INVALID_SERVICE = 10,
    /// A generic presign request is invalid (not produced by this API; kept so every core code
    /// has its number).
    IAMAUTH_INVALID_REQUEST = 11,
    /// iamauth_verify: the token has expired.
    IAMAUTH_EXPIRED_TOKEN = 12,
    /// iamauth_verify: the token is signed further in the future than the allowed clock skew.
    IAMAUTH_NOT_YET_VALID = 13,
    /// iamauth_verify: the token's access key id is not a known key.
    IAMAUTH_UNKNOWN_ACCESS_KEY = 14,
    /// iamauth_verify: the signature recomputed from the token does not match.
    IAMAUTH_SIGNATURE_MISMATCH = 15,
    /// iamauth_verify: the token is for another host.
    IAMAUTH_WRONG_HOST = 16,
    /// iamauth_verify: the token is for another port.
    IAMAUTH_WRONG_PORT = 17,
    /// iamauth_verify: the token is for another user.
    IAMAUTH_WRONG_USER = 18,
    /// iamauth_verify: the token is signed for another region.
    IAMAUTH_WRONG_REGION = 19,
    /// iamauth_verify: the token is signed for another service.
    IAMAUTH_WRONG_SERVICE = 20,
    /// iamauth_verify: X-Amz-Expires is above the service's limit (900 s for rds-db).
    IAMAUTH_EXPIRES_TOO_LONG = 21,
    /// iamauth_verify: the token's session token is not the one its key requires.
    IAMAUTH_SESSION_TOKEN_MISMATCH = 22,
    /// A required pointer is NULL, or a (NULL, length > 0) string, or a length above
    /// `PTRDIFF_MAX`.
    IAMAUTH_NULL_ARGUMENT = 100,
    /// A string argument is not valid UTF-8.
    IAMAUTH_INVALID_UTF8 = 101,
    /// The output buffer is too small: the out-length holds the length needed (without the
    /// NUL); call again with a capacity of at least that plus one.
    IAMAUTH_BUFFER_TOO_SMALL = 102,
    /// A bug: the library panicked and caught it. Nothing was written.
    IAMAUTH_PANIC = 103,
    /// An error code this build of the binding does not know (never returned by a consistent
    /// build; the tests check that every core code is mapped).
    IAMAUTH_UNKNOWN_ERROR = 104,
}

use iamauth_result::*;

/// Every result, in number order.
const ALL_RESULTS: [iamauth_result; 28] = [
    IAMAUTH_OK,
    IAMAUTH_INVALID_HOST,
    IAMAUTH_INVALID_PORT,
    IAMAUTH_INVALID_USER,
    IAMAUTH_INVALID_REGION,
    IAMAUTH_INVALID_EXPIRY,
    IAMAUTH_INVALID_CREDENTIALS,
    IAMAUTH_INVALID_TIME,
    IAMAUTH_INVALID_ACTION,
    IAMAUTH_MALFORMED_TOKEN,
    IAMAUTH_INVALID_SERVICE,
    IAMAUTH_INVALID_REQUEST,
    IAMAUTH_EXPIRED_TOKEN,
    IAMAUTH_NOT_YET_VALID,
    IAMAUTH_UNKNOWN_ACCESS_KEY,
    IAMAUTH_SIGNATURE_MISMATCH,
    IAMAUTH_WRONG_HOST,
    IAMAUTH_WRONG_PORT,
    IAMAUTH_WRONG_USER,
    IAMAUTH_WRONG_REGION,
    IAMAUTH_WRONG_SERVICE,
    IAMAUTH_EXPIRES_TOO_LONG,
    IAMAUTH_SESSION_TOKEN_MISMATCH,
    IAMAUTH_NULL_ARGUMENT,
    IAMAUTH_INVALID_UTF8,
    IAMAUTH_BUFFER_TOO_SMALL,
    IAMAUTH_PANIC,
    IAMAUTH_UNKNOWN_ERROR,
];

impl iamauth_result {
    /// The result for a core error code (same number, same name).
    pub const fn from_code(code: ErrorCode) -> iamauth_result {
        match code {
            ErrorCode::InvalidHost => IAMAUTH_INVALID_HOST,
            ErrorCode::InvalidPort => IAMAUTH_INVALID_PORT,
            ErrorCode::InvalidUser => IAMAUTH_INVALID_USER,
            ErrorCode::InvalidRegion => IAMAUTH_INVALID_REGION,
            ErrorCode::InvalidExpiry => IAMAUTH_INVALID_EXPIRY,
            ErrorCode::InvalidCredentials => IAMAUTH_INVALID_CREDENTIALS,
            ErrorCode::InvalidTime => IAMAUTH_INVALID_TIME,
            ErrorCode::InvalidAction => IAMAUTH_INVALID_ACTION,
            ErrorCode::MalformedToken => IAMAUTH_MALFORMED_TOKEN,
            ErrorCode::InvalidService => IAMAUTH_INVALID_SERVICE,
            ErrorCode::InvalidRequest => IAMAUTH_INVALID_REQUEST,
            ErrorCode::ExpiredToken => IAMAUTH_EXPIRED_TOKEN,
            ErrorCode::NotYetValid => IAMAUTH_NOT_YET_VALID,
            ErrorCode::UnknownAccessKey => IAMAUTH_UNKNOWN_ACCESS_KEY,
            ErrorCode::SignatureMismatch => IAMAUTH_SIGNATURE_MISMATCH,
            ErrorCode::WrongHost => IAMAUTH_WRONG_HOST,
            ErrorCode::WrongPort => IAMAUTH_WRONG_PORT,
            ErrorCode::WrongUser => IAMAUTH_WRONG_USER,
            ErrorCode::WrongRegion => IAMAUTH_WRONG_REGION,
            ErrorCode::WrongService => IAMAUTH_WRONG_SERVICE,
            ErrorCode::ExpiresTooLong => IAMAUTH_EXPIRES_TOO_LONG,
            ErrorCode::SessionTokenMismatch => IAMAUTH_SESSION_TOKEN_MISMATCH,
            _ => IAMAUTH_UNKNOWN_ERROR,
        }
    }

    /// The result with this number, if any.
    pub fn from_number(n: u32) -> Option<iamauth_result> {
        ALL_RESULTS.into_iter().find(|r| *r as u32 == n)
    }

    /// The stable name (the core's code name for 1 to 22) and a static description, both
    /// NUL-terminated for C.
    const fn texts(self) -> (&'static [u8], &'static [u8]) {
        match self {
            IAMAUTH_OK => (b"OK\0", b"success\0"),
            IAMAUTH_INVALID_HOST => (
                b"INVALID_HOST\0",
                b"the host (or cache name) breaks the host rule\0",
            ),
            IAMAUTH_INVALID_PORT => (
                b"INVALID_PORT\0",
                b"the port is not an integer from 1 to 65535\0",
            ),
            IAMAUTH_INVALID_USER => (
                b"INVALID_USER\0",
                b"the user is empty, too long or has control characters\0",
            ),
            IAMAUTH_INVALID_REGION => (
                b"INVALID_REGION\0",
                b"the region does not match the region pattern\0",
            ),
            IAMAUTH_INVALID_EXPIRY => (
                b"INVALID_EXPIRY\0",
                b"the expiry is outside the range allowed for this kind of token\0",
            ),
            IAMAUTH_INVALID_CREDENTIALS => (
                b"INVALID_CREDENTIALS\0",
                b"the access key id, secret access key or session token breaks its rule\0",
            ),
            IAMAUTH_INVALID_TIME => (
                b"INVALID_TIME\0",
                b"the time is outside 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z\0",
            ),
            IAMAUTH_INVALID_ACTION => (
                b"INVALID_ACTION\0",
                b"the DSQL action is neither DbConnect nor DbConnectAdmin\0",
            ),
            IAMAUTH_MALFORMED_TOKEN => (
                b"MALFORMED_TOKEN\0",
                b"the token is not a token this library can read\0",
            ),
            IAMAUTH_INVALID_SERVICE => (
                b"INVALID_SERVICE\0",
                b"the service is not a valid signing service (cache tokens: elasticache or memorydb)\0",
            ),
            IAMAUTH_INVALID_REQUEST => (
                b"INVALID_REQUEST\0",
                b"the presign request has a bad method, path, query, header or payload hash\0",
            ),
            IAMAUTH_EXPIRED_TOKEN => (b"EXPIRED_TOKEN\0", b"the token has expired\0"),
            IAMAUTH_NOT_YET_VALID => (b"NOT_YET_VALID\0", b"the token is signed further in the future than the allowed clock skew\0"),
            IAMAUTH_UNKNOWN_ACCESS_KEY => (b"UNKNOWN_ACCESS_KEY\0", b"the token's access key id is not a known key\0"),
            IAMAUTH_SIGNATURE_MISMATCH => (b"SIGNATURE_MISMATCH\0", b"the signature recomputed from the token does not match\0"),
            IAMAUTH_WRONG_HOST => (b"WRONG_HOST\0", b"the token is for another host\0"),
            IAMAUTH_WRONG_PORT => (b"WRONG_PORT\0", b"the token is for another port\0"),
            IAMAUTH_WRONG_USER => (b"WRONG_USER\0", b"the token is for another user\0"),
            IAMAUTH_WRONG_REGION => (b"WRONG_REGION\0", b"the token is signed for another region\0"),
            IAMAUTH_WRONG_SERVICE => (b"WRONG_SERVICE\0", b"the token is signed for another service\0"),
            IAMAUTH_EXPIRES_TOO_LONG => (b"EXPIRES_TOO_LONG\0", b"X-Amz-Expires is above the service's limit (900 s for rds-db)\0"),
            IAMAUTH_SESSION_TOKEN_MISMATCH => (b"SESSION_TOKEN_MISMATCH\0", b"the token's session token is not the one its key requires\0"),
            IAMAUTH_NULL_ARGUMENT => (
                b"NULL_ARGUMENT\0",
                b"a required pointer is NULL, or a string is NULL with a non-zero length\0",
            ),
            IAMAUTH_INVALID_UTF8 => (
                b"INVALID_UTF8\0",
                b"a string argument is not valid UTF-8\0",
            ),
            IAMAUTH_BUFFER_TOO_SMALL => (
                b"BUFFER_TOO_SMALL\0",
                b"the output buffer is too small; the out-length holds the length needed\0",
            ),
            IAMAUTH_PANIC => (
                b"PANIC\0",
                b"internal error: the library panicked (a bug; please report it)\0",
            ),
            IAMAUTH_UNKNOWN_ERROR => (
                b"UNKNOWN_ERROR\0",
                b"an error code this build does not know\0",
            ),
        }
    }

    /// The stable name without the NUL, e.g. `INVALID_PORT`.
    pub fn name(self) -> &'static str {
        let name = self.texts().0;
        core::str::from_utf8(name.get(..name.len().saturating_sub(1)).unwrap_or_default())
            .unwrap_or_default()
    }
}

/// A borrowed, read-only string: `len` bytes of UTF-8 at `data`, NOT NUL-terminated (print it
/// with `printf("%.*s", (int)s.len, s.data)`). What it points into, and so how long it lives,
/// is documented where it is returned.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iamauth_str {
    /// The first byte. Never NULL; not to be dereferenced when `len` is 0.
    pub data: *const c_char,
    /// The length in bytes.
    pub len: usize,
}

impl iamauth_str {
    fn new(s: &str) -> iamauth_str {
        iamauth_str {
            data: s.as_ptr().cast(),
            len: s.len(),
        }
    }
}

/// AWS credentials, borrowed for one call. Each string is (pointer, length) UTF-8.
///
/// `session_token` NULL (with length 0) means "no session token" (long-term credentials); a
/// non-NULL empty session token is `IAMAUTH_INVALID_CREDENTIALS`. A NULL access key id or secret
/// with length 0 is the empty string, which the rules reject.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iamauth_credentials {
    /// Access key id, e.g. `AKIDEXAMPLE`.
    pub access_key_id: *const c_char,
    /// Its length in bytes.
    pub access_key_id_len: usize,
    /// Secret access key.
    pub secret_access_key: *const c_char,
    /// Its length in bytes.
    pub secret_access_key_len: usize,
    /// Session token of temporary credentials, or NULL for none.
    pub session_token: *const c_char,
    /// Its length in bytes (0 when `session_token` is NULL).
    pub session_token_len: usize,
}

/// What a token is for.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum iamauth_token_kind {
    /// RDS / Aurora (`rds-db`).
    IAMAUTH_KIND_RDS = 1,
    /// Aurora DSQL (`dsql`).
    IAMAUTH_KIND_DSQL = 2,
    /// ElastiCache or MemoryDB (`elasticache` / `memorydb`).
    IAMAUTH_KIND_ELASTICACHE = 3,
}

/// Whether a token is usable at the inspection's `now`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum iamauth_validity {
    /// Usable; `seconds` = seconds left.
    IAMAUTH_STATUS_VALID = 0,
    /// Expired; `seconds` = seconds since it expired (at `expires_at`).
    IAMAUTH_STATUS_EXPIRED = 1,
    /// Signed after `now` (a clock is wrong); `seconds` = seconds until `signed_at`.
    IAMAUTH_STATUS_NOT_YET_VALID = 2,
}

/// The fields of an inspected token.
///
/// Every `iamauth_str` points INTO THE CALLER'S TOKEN buffer: valid as long as that buffer is,
/// and not NUL-terminated. The user is not here: it may need percent-decoding, so
/// `iamauth_inspect` copies it into a separate caller buffer.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iamauth_token_info {
    /// What the token is for.
    pub kind: iamauth_token_kind,
    /// Host (or cache name) as written in the token.
    pub host: iamauth_str,
    /// Port (RDS only); 0 when the token has none.
    pub port: u16,
    /// Whether the token names a user (`DBUser` for RDS, `User` for cache tokens; DSQL has none).
    pub has_user: bool,
    /// `Action`: `connect`, `DbConnect` or `DbConnectAdmin`.
    pub action: iamauth_str,
    /// ElastiCache Serverless (`ResourceType=ServerlessCache`).
    pub serverless: bool,
    /// Region of the credential scope.
    pub region: iamauth_str,
    /// Signing service: `rds-db`, `dsql`, `elasticache` or `memorydb`.
    pub service: iamauth_str,
    /// Access key id of the signer.
    pub access_key_id: iamauth_str,
    /// `X-Amz-Signature`, 64 lowercase hex digits.
    pub signature: iamauth_str,
    /// Whether an `X-Amz-Security-Token` is present (its value is not exposed).
    pub has_session_token: bool,
    /// Signing time, unix seconds.
    pub signed_at: i64,
    /// `X-Amz-Expires`, seconds.
    pub expires_in: i64,
    /// `signed_at + expires_in`, unix seconds.
    pub expires_at: i64,
    /// The instant `validity` is relative to (the current time when `IAMAUTH_NOW` was passed).
    pub now: i64,
    /// Usable at `now`, expired, or not yet valid.
    pub validity: iamauth_validity,
    /// Seconds left (valid), seconds ago (expired) or seconds until valid (not yet valid).
    pub seconds: i64,
}

/// What `iamauth_verify` requires of a token. All-zero (`iamauth_expect e = {0};`) accepts any
/// host, port, user and region, for service `rds-db`, with the default skew of 300 s.
///
/// Each string is (pointer, length) UTF-8, borrowed for the call only; NULL with length 0, or any
/// empty string, means "any" (for `service`: `rds-db`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iamauth_expect {
    /// The endpoint clients connect to, compared case-insensitively (botocore signs it
    /// lowercased); empty: any host.
    pub host: *const c_char,
    /// Its length in bytes.
    pub host_len: usize,
    /// The port, 1..=65535; 0: any port (another value is `IAMAUTH_INVALID_PORT`).
    pub port: i64,
    /// The database user, exactly (after percent-decoding the token's); empty: any user.
    pub user: *const c_char,
    /// Its length in bytes.
    pub user_len: usize,
    /// The credential scope's region; empty: any region.
    pub region: *const c_char,
    /// Its length in bytes.
    pub region_len: usize,
    /// The signing service: `rds-db` (empty), `dsql`, `elasticache` or `memorydb`.
    pub service: *const c_char,
    /// Its length in bytes.
    pub service_len: usize,
    /// Whether `skew` is set; false: the default, 300 s (so an all-zero struct is the default).
    pub has_skew: bool,
    /// Seconds a token may be signed in the future of `now`, 0..=86400 (else
    /// `IAMAUTH_INVALID_TIME`); read only when `has_skew`.
    pub skew: i64,
}

/// Who signed a verified token and what it grants.
///
/// Every `iamauth_str` points INTO THE CALLER'S TOKEN buffer: valid as long as that buffer is,
/// and not NUL-terminated. The user may need percent-decoding, so `iamauth_verify` copies it into
/// a separate caller buffer (as `iamauth_inspect` does).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iamauth_identity {
    /// What the token is for.
    pub kind: iamauth_token_kind,
    /// The signer's access key id (a key of the keys file).
    pub access_key_id: iamauth_str,
    /// Whether the token names a user (DSQL tokens have none).
    pub has_user: bool,
    /// `connect`, `DbConnect` or `DbConnectAdmin`.
    pub action: iamauth_str,
    /// The host as written in the token.
    pub host: iamauth_str,
    /// The port; 0 when the token has none (DSQL and cache tokens).
    pub port: u16,
    /// The credential scope's region.
    pub region: iamauth_str,
    /// The credential scope's service.
    pub service: iamauth_str,
    /// When it was signed, unix seconds.
    pub signed_at: i64,
    /// When it expires, unix seconds.
    pub expires_at: i64,
}

/// A failure inside a call: the result code plus a static message.
#[derive(Clone, Copy, Debug)]
struct Fail {
    code: iamauth_result,
    message: &'static str,
}

impl Fail {
    const fn new(code: iamauth_result, message: &'static str) -> Fail {
        Fail { code, message }
    }
}

impl From<iamauth::Error> for Fail {
    fn from(e: iamauth::Error) -> Fail {
        Fail::new(iamauth_result::from_code(e.code()), e.message())
    }
}

const PANICKED: Fail = Fail::new(
    IAMAUTH_PANIC,
    "internal error: the library panicked (a bug; please report it)",
);

/// THE panic boundary: runs `f`, and returns `fallback` if it panics. Every `extern "C"` body
/// goes through here, so no unwind ever crosses into C.
fn guard<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    // AssertUnwindSafe: after a panic nothing `f` captured is looked at again; only the
    // fallback is returned.
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// A fallible call: [`guard`], then the result code, and the message into the optional
/// `message` out-parameter on failure.
fn call(message: *mut iamauth_str, f: impl FnOnce() -> Result<(), Fail>) -> iamauth_result {
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

/// The messages of one string argument, built from its name.
struct Field {
    null: &'static str,
    utf8: &'static str,
}

macro_rules! field {
    ($name:literal) => {
        Field {
            null: concat!($name, ": NULL pointer with a non-zero length"),
            utf8: concat!($name, ": not valid UTF-8"),
        }
    };
}

/// Reads a (pointer, length) string; NULL with length 0 is `None`.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes that stay valid and unchanged for `'a`.
unsafe fn optional_text<'a>(
    ptr: *const c_char,
    len: usize,
    field: Field,
) -> Result<Option<&'a str>, Fail> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(None)
        } else {
            Err(Fail::new(IAMAUTH_NULL_ARGUMENT, field.null))
        };
    }
    if isize::try_from(len).is_err() {
        return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, field.null));
    }
    // SAFETY: `ptr` is non-NULL and, by this function's contract, points to `len` readable
    // bytes valid for 'a; `len` <= isize::MAX was checked; u8 has alignment 1.
    let bytes = unsafe { core::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    match core::str::from_utf8(bytes) {
        Ok(s) => Ok(Some(s)),
        Err(_) => Err(Fail::new(IAMAUTH_INVALID_UTF8, field.utf8)),
    }
}

/// Reads a (pointer, length) string; NULL with length 0 is the empty string.
///
/// # Safety
/// As [`optional_text`].
unsafe fn text<'a>(ptr: *const c_char, len: usize, field: Field) -> Result<&'a str, Fail> {
    // SAFETY: same contract as ours.
    Ok(unsafe { optional_text(ptr, len, field) }?.unwrap_or(""))
}

/// Borrows the caller's credentials and validates them with the core's rules.
///
/// # Safety
/// `creds` is NULL or points to a valid `iamauth_credentials` whose strings follow
/// [`optional_text`]'s contract.
unsafe fn credentials<'a>(creds: *const iamauth_credentials) -> Result<Credentials<'a>, Fail> {
    // SAFETY: NULL or a valid, aligned `iamauth_credentials` (the caller's contract).
    let Some(c) = (unsafe { creds.as_ref() }) else {
        return Err(Fail::new(
            IAMAUTH_NULL_ARGUMENT,
            "credentials: NULL pointer",
        ));
    };
    // SAFETY: each (pointer, length) pair is the caller's string (same for the next two).
    let access_key_id = unsafe {
        text(
            c.access_key_id,
            c.access_key_id_len,
            field!("access_key_id"),
        )
    }?;
    // SAFETY: as above.
    let secret = unsafe {
        text(
            c.secret_access_key,
            c.secret_access_key_len,
            field!("secret_access_key"),
        )
    }?;
    // SAFETY: as above.
    let session_token = unsafe {
        optional_text(
            c.session_token,
            c.session_token_len,
            field!("session_token"),
        )
    }?;
    Ok(Credentials::new(access_key_id, secret, session_token)?)
}

/// `IAMAUTH_NOW` becomes the current time; every other value is passed on as it is.
fn resolve_time(t: i64) -> i64 {
    if t == IAMAUTH_NOW { iamauth::now() } else { t }
}

/// The output buffer of a token: checked before any work, written only on success.
struct Out {
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
}

impl Out {
    fn new(buf: *mut c_char, cap: usize, out_len: *mut usize) -> Result<Out, Fail> {
        if out_len.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "out_len: NULL pointer"));
        }
        if buf.is_null() && cap > 0 {
            return Err(Fail::new(
                IAMAUTH_NULL_ARGUMENT,
                "buf: NULL pointer with a non-zero capacity",
            ));
        }
        Ok(Out { buf, cap, out_len })
    }

    /// Writes `s` plus a NUL and its length (without the NUL); or only the length, with
    /// `IAMAUTH_BUFFER_TOO_SMALL`, when `cap < len + 1`.
    ///
    /// # Safety
    /// `buf` is NULL (then `cap` is 0) or points to `cap` writable bytes; `out_len` is writable.
    unsafe fn put(&self, s: &str) -> Result<(), Fail> {
        let len = s.len();
        if self.cap <= len {
            // SAFETY: `out_len` is non-NULL (checked in `new`) and writable by contract.
            unsafe { self.out_len.write(len) };
            return Err(Fail::new(
                IAMAUTH_BUFFER_TOO_SMALL,
                "buf: too small; *out_len holds the length needed, without the NUL",
            ));
        }
        // SAFETY: cap > len >= 0, so `buf` is non-NULL (checked in `new`) with at least len + 1
        // writable bytes; the source is our own string, so they cannot overlap.
        unsafe {
            core::ptr::copy_nonoverlapping(s.as_ptr(), self.buf.cast::<u8>(), len);
            self.buf.add(len).write(0);
            self.out_len.write(len);
        }
        Ok(())
    }
}

/// An RDS / Aurora IAM authentication token (`aws rds generate-db-auth-token`, byte for byte).
///
/// `port` 1..=65535; `expires_in` seconds, 1..=900 (900 is the usual value); `time` unix seconds
/// or `IAMAUTH_NOW`. The token (plus a NUL) goes to `buf` (capacity `cap`), its length without
/// the NUL to `*out_len`. When `cap < length + 1` the result is `IAMAUTH_BUFFER_TOO_SMALL`, only
/// `*out_len` is written, and a second call with a larger buffer succeeds. `buf` may be NULL when
/// `cap` is 0 (a size query). `message` may be NULL; on failure it receives a static message
/// (see `iamauth_str`).
///
/// # Safety
/// Every (pointer, length) string and `credentials` must be readable for the call; `buf` must
/// have `cap` writable bytes; `out_len` and `message` (if not NULL) must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_rds_token(
    host: *const c_char,
    host_len: usize,
    port: i64,
    user: *const c_char,
    user_len: usize,
    region: *const c_char,
    region_len: usize,
    expires_in: i64,
    time: i64,
    credentials: *const iamauth_credentials,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        let out = Out::new(buf, cap, out_len)?;
        // SAFETY: the caller's strings and credentials are readable for this call, per this
        // function's contract (and so for the blocks below).
        let creds = unsafe { self::credentials(credentials) }?;
        // SAFETY: as above.
        let host = unsafe { text(host, host_len, field!("host")) }?;
        // SAFETY: as above.
        let user = unsafe { text(user, user_len, field!("user")) }?;
        // SAFETY: as above.
        let region = unsafe { text(region, region_len, field!("region")) }?;
        let request = RdsTokenRequest {
            host,
            port,
            user,
            region,
            time: resolve_time(time),
            expires_in,
        };
        let token = iamauth::rds_token(&request, &creds)?;
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        unsafe { out.put(&token) }
    })
}

/// An Aurora DSQL authentication token: action `DbConnectAdmin` when `admin`, else `DbConnect`.
///
/// `expires_in` seconds, 1..=604800; `time`, the buffer and `message` as for `iamauth_rds_token`.
///
/// # Safety
/// As `iamauth_rds_token`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_dsql_token(
    host: *const c_char,
    host_len: usize,
    region: *const c_char,
    region_len: usize,
    admin: bool,
    expires_in: i64,
    time: i64,
    credentials: *const iamauth_credentials,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        let out = Out::new(buf, cap, out_len)?;
        // SAFETY: the caller's strings and credentials are readable for this call, per this
        // function's contract (and so for the blocks below).
        let creds = unsafe { self::credentials(credentials) }?;
        // SAFETY: as above.
        let host = unsafe { text(host, host_len, field!("host")) }?;
        // SAFETY: as above.
        let region = unsafe { text(region, region_len, field!("region")) }?;
        let request = DsqlTokenRequest {
            host,
            region,
            action: if admin {
                DsqlAction::DbConnectAdmin
            } else {
                DsqlAction::DbConnect
            },
            time: resolve_time(time),
            expires_in,
        };
        let token = iamauth::dsql_token(&request, &creds)?;
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        unsafe { out.put(&token) }
    })
}

/// Reads a DSQL action name (`DbConnect` or `DbConnectAdmin`, exact case) into the `admin` flag
/// of `iamauth_dsql_token`; `IAMAUTH_INVALID_ACTION` otherwise. For callers that hold the action
/// as text (configuration files, the shared test vectors).
///
/// # Safety
/// `action` is readable for `action_len` bytes; `admin` and `message` (if not NULL) writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_dsql_action(
    action: *const c_char,
    action_len: usize,
    admin: *mut bool,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        if admin.is_null() {
            return Err(Fail::new(IAMAUTH_NULL_ARGUMENT, "admin: NULL pointer"));
        }
        // SAFETY: the caller's string, per this function's contract.
        let action = unsafe { text(action, action_len, field!("action")) }?;
        let parsed = DsqlAction::parse(action)?;
        // SAFETY: `admin` is non-NULL and writable by contract.
        unsafe { admin.write(parsed == DsqlAction::DbConnectAdmin) };
        Ok(())
    })
}

/// An ElastiCache / MemoryDB IAM authentication token.
///
/// `name` is the replication group id, serverless cache name or MemoryDB cluster name; `user` the
/// cache user id; `serverless` adds `ResourceType=ServerlessCache`; `service` is `elasticache` or
/// `memorydb` (NULL with length 0 means `elasticache`; a non-NULL empty string is
/// `IAMAUTH_INVALID_SERVICE`). `expires_in` 1..=900; `time`, the buffer and `message` as for
/// `iamauth_rds_token`.
///
/// # Safety
/// As `iamauth_rds_token`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iamauth_elasticache_token(
    name: *const c_char,
    name_len: usize,
    user: *const c_char,
    user_len: usize,
    region: *const c_char,
    region_len: usize,
    serverless: bool,
    service: *const c_char,
    service_len: usize,
    expires_in: i64,
    time: i64,
    credentials: *const iamauth_credentials,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    message: *mut iamauth_str,
) -> iamauth_result {
    call(message, || {
        let out = Out::new(buf, cap, out_len)?;
        // SAFETY: the caller's strings and credentials are readable for this call, per this
        // function's contract (and so for the blocks below).
        let creds = unsafe { self::credentials(credentials) }?;
        // SAFETY: as above.
        let name = unsafe { text(name, name_len, field!("name")) }?;
        // SAFETY: as above.
        let user = unsafe { text(user, user_len, field!("user")) }?;
        // SAFETY: as above.
        let region = unsafe { text(region, region_len, field!("region")) }?;
        // SAFETY: as above.
        let service = unsafe { optional_text(service, service_len, field!("service")) }?;
        let service = match service {
            None => CacheService::ElastiCache,
            Some(s) => CacheService::parse(s)?,
        };
        let request = ElastiCacheTokenRequest {
            name,
            user,
            region,
            serverless,
            service,
            time: resolve_time(time),
            expires_in,
        };
        let token = iamauth::elasticache_token(&request, &creds)?;
        // SAFETY: `buf`/`cap`/`out_len` per this function's contract.
        unsafe { out.put(&token) }
    })
}

/// The C kind of a core token kind.
fn kind(k: TokenKind) -> iamauth_token_kind {
    match k {
        TokenKind::Rds => iamauth_token_kind::IAMAUTH_KIND_RDS,
        TokenKind::Dsql => iamauth_token_kind::IAMAUTH_KIND_DSQL,
        TokenKind::ElastiCache => iamauth_token_kind::IAMAUTH_KIND_ELASTICACHE,
    }
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
        let info = iamauth::inspect(token)?;
        let now = resolve_time(now);
        let (validity, seconds) = match info.validity(now)? {
            Validity::Valid { seconds_left } => {
                (iamauth_validity::IAMAUTH_STATUS_VALID, seconds_left)
            }
            Validity::Expired { seconds_ago, .. } => {
                (iamauth_validity::IAMAUTH_STATUS_EXPIRED, seconds_ago)
            }
            Validity::NotYetValid { starts_in } => {
                (iamauth_validity::IAMAUTH_STATUS_NOT_YET_VALID, starts_in)
            }
        };
        if let Some(user_out) = user_out {
            // SAFETY: `user_buf`/`user_cap`/`user_len` per this function's contract.
            unsafe { user_out.put(info.user.as_deref().unwrap_or_default()) }?;
        }
        let result = iamauth_token_info {
            kind: kind(info.kind),
            host: iamauth_str::new(info.host),
            port: info.port.unwrap_or(0),
            has_user: info.user.is_some(),
            action: iamauth_str::new(info.action),
            serverless: info.serverless,
            region: iamauth_str::new(info.region),
            service: iamauth_str::new(info.service),
            access_key_id: iamauth_str::new(info.access_key_id),
            signature: iamauth_str::new(info.signature),
            has_session_token: info.has_session_token,
            signed_at: info.signed_at,
            expires_in: i64::from(info.expires_in),
            expires_at: info.expires_at,
            now,
            validity,
            seconds,
        };
        // SAFETY: `out` is non-NULL and writable by contract; `write` does not read or drop the
        // old (possibly uninitialised) value.
        unsafe { out.write(result) };
        Ok(())
    })
}

/// An expected string: empty (or NULL with length 0) is "any".
///
/// # Safety
/// As [`optional_text`].
unsafe fn expected<'a>(
    ptr: *const c_char,
    len: usize,
    field: Field,
) -> Result<Option<&'a str>, Fail> {
    // SAFETY: same contract as ours.
    Ok(unsafe { optional_text(ptr, len, field) }?.filter(|s| !s.is_empty()))
}

/// Verifies a token as the database does: finds its signer's key in `keys_json` (the keys file
/// of the CLI and the PAM module: `{"AKID": {"secret_access_key": "...", "session_token":
/// "..." | null}}`), recomputes the signature, then checks the session token, what the token
/// grants against `*expect`, and its time at `now` (unix seconds, or `IAMAUTH_NOW`).
///
/// On success `*out` is filled (string views into `token`) and the user, percent-decoded, is
/// copied into `user_buf` with a NUL, its length without the NUL into `*user_len` (length 0 and
/// `has_user` false for DSQL); pass `user_len` NULL to skip it (then `user_buf` and `user_cap`
/// are ignored). When `user_cap < length + 1` the result is `IAMAUTH_BUFFER_TOO_SMALL`, only
/// `*user_len` is written, and `*out` is not.
///
/// Refusals, the first failed check in this order: `IAMAUTH_MALFORMED_TOKEN`,
/// `IAMAUTH_WRONG_SERVICE`, `IAMAUTH_EXPIRES_TOO_LONG`, `IAMAUTH_UNKNOWN_ACCESS_KEY`,
/// `IAMAUTH_SIGNATURE_MISMATCH`, `IAMAUTH_SESSION_TOKEN_MISMATCH`, `IAMAUTH_WRONG_REGION`,
/// `IAMAUTH_WRONG_HOST`, `IAMAUTH_WRONG_PORT`, `IAMAUTH_WRONG_USER`, `IAMAUTH_NOT_YET_VALID`,
/// `IAMAUTH_EXPIRED_TOKEN`. Caller mistakes: `IAMAUTH_INVALID_CREDENTIALS` (keys file),
/// `IAMAUTH_INVALID_PORT`, `IAMAUTH_INVALID_TIME` (`now` or `skew`), `IAMAUTH_NULL_ARGUMENT`
/// (`expect` or `out` NULL), `IAMAUTH_INVALID_UTF8`. `message` as for `iamauth_rds_token`.
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
        let host = unsafe { expected(e.host, e.host_len, field!("expect.host")) }?;
        // SAFETY: as above.
        let user = unsafe { expected(e.user, e.user_len, field!("expect.user")) }?;
        // SAFETY: as above.
        let region = unsafe { expected(e.region, e.region_len, field!("expect.region")) }?;
        // SAFETY: as above.
        let service = unsafe { expected(e.service, e.service_len, field!("expect.service")) }?;
        let port = match e.port {
            0 => None,
            p => Some(iamauth::check_port(p)?),
        };
        let expect = iamauth::Expectations {
            host,
            port,
            user,
            region,
            service,
            skew: if e.has_skew {
                e.skew
            } else {
                iamauth::DEFAULT_SKEW
            },
        };
        let keys = iamauth::KeyFile::parse(keys_json)?;
        let who = iamauth::verify(token, |a| keys.get(a), &expect, resolve_time(now))?;
        if let Some(user_out) = user_out {
            // SAFETY: `user_buf`/`user_cap`/`user_len` per this function's contract.
            unsafe { user_out.put(who.user.as_deref().unwrap_or_default()) }?;
        }
        let result = iamauth_identity {
            kind: kind(who.kind),
            access_key_id: iamauth_str::new(who.access_key_id),
            has_user: who.user.is_some(),
            action: iamauth_str::new(who.action),
            host: iamauth_str::new(who.host),
            port: who.port.unwrap_or(0),
            region: iamauth_str::new(who.region),
            service: iamauth_str::new(who.service),
            signed_at: who.signed_at,
            expires_at: who.expires_at,
        };
        // SAFETY: `out` is non-NULL and writable by contract; `write` does not read or drop the
        // old (possibly uninitialised) value.
        unsafe { out.write(result) };
        Ok(())
    })
}

/// Passed as `credentials_expiration` of `iamauth_refresh_at`: the credentials do not expire
/// (long-term keys).
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
        let limit =
            (credentials_expiration != IAMAUTH_NO_EXPIRATION).then_some(credentials_expiration);
        iamauth::refresh_at(signed_at, expires_in, limit)
    })
}

/// The stable name of a result, e.g. `"INVALID_PORT"` (the core's code name for 1 to 22), or
/// `"UNKNOWN_ERROR"` for a number that is not a result. Static and NUL-terminated.
#[unsafe(no_mangle)]
pub extern "C" fn iamauth_result_name(result: u32) -> *const c_char {
    guard(c"PANIC".as_ptr(), || {
        let r = iamauth_result::from_number(result).unwrap_or(IAMAUTH_UNKNOWN_ERROR);
        r.texts().0.as_ptr().cast()
    })
}

/// A static description of a result (the same for every call; the `message` out-parameter of
/// each function says more). Static and NUL-terminated.
#[unsafe(no_mangle)]
pub extern "C" fn iamauth_result_message(result: u32) -> *const c_char {
    guard(c"internal error".as_ptr(), || {
        let r = iamauth_result::from_number(result).unwrap_or(IAMAUTH_UNKNOWN_ERROR);
        r.texts().1.as_ptr().cast()
    })
}

/// The library version, e.g. `"0.1.0"` (equals `IAMAUTH_VERSION` of a matching header). Static
/// and NUL-terminated.
#[unsafe(no_mangle)]
pub extern "C" fn iamauth_version() -> *const c_char {
    guard(c"".as_ptr(), || {
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    })
}
