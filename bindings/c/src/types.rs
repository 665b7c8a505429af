//! The FFI types (strings, credentials, inspected and verified token fields, expectations) and
//! the conversions of C inputs into Rust: (pointer, length) text, credentials, the output buffer
//! and the `IAMAUTH_NOW` time.

use crate::error::Fail;
use crate::result::iamauth_result::{
    IAMAUTH_BUFFER_TOO_SMALL, IAMAUTH_INVALID_UTF8, IAMAUTH_NULL_ARGUMENT,
};
use core::ffi::c_char;
use iamauth::{Credentials, TokenKind};

/// Passed as a `time` or `now` argument: use the current time (the library reads the clock).
///
/// It is `INT64_MIN + 1`, not `INT64_MIN`: the shared error vectors require `INT64_MIN` to be
/// rejected with `IAMAUTH_INVALID_TIME` like every other time outside 1970..=9999.
pub const IAMAUTH_NOW: i64 = i64::MIN + 1;

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
    pub(crate) fn new(s: &str) -> iamauth_str {
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
    /// Amazon EKS (`sts`).
    IAMAUTH_KIND_EKS = 4,
    /// Amazon MSK (`kafka-cluster`).
    IAMAUTH_KIND_MSK = 5,
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
/// Every `iamauth_str` points INTO THE CALLER'S TOKEN buffer (`iamauth_inspect`) or into the
/// caller's `text_buf` (`iamauth_inspect2`, which reads EKS and MSK tokens too), or at static
/// text: valid as long as that buffer is, and not NUL-terminated. The user is not here: it may
/// need percent-decoding, so it is copied into a separate caller buffer.
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
    /// Signing service: `rds-db`, `dsql`, `elasticache`, `memorydb`, `sts` (EKS) or
    /// `kafka-cluster` (MSK).
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
/// host, port, user, action and region, for the core's default service and skew
/// (`iamauth_default_service()`, `iamauth_default_skew()`).
///
/// Each string is (pointer, length) UTF-8, borrowed for the call only; NULL with length 0, or any
/// empty string, means "any" (for `service`: the default service). The core checks each given
/// expectation by the signing rules first (`IAMAUTH_INVALID_HOST`, `IAMAUTH_INVALID_PORT`,
/// `IAMAUTH_INVALID_USER`, `IAMAUTH_INVALID_ACTION`, `IAMAUTH_INVALID_REGION`,
/// `IAMAUTH_INVALID_SERVICE`, `IAMAUTH_INVALID_TIME` for the skew).
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
    /// The action: `DbConnect` or `DbConnectAdmin` (DSQL; RDS and cache tokens carry `connect`,
    /// so expecting either refuses them with `IAMAUTH_WRONG_ACTION`); empty: any action.
    pub action: *const c_char,
    /// Its length in bytes.
    pub action_len: usize,
    /// The credential scope's region; empty: any region.
    pub region: *const c_char,
    /// Its length in bytes.
    pub region_len: usize,
    /// The signing service: `rds-db`, `dsql`, `elasticache` or `memorydb`; empty: the default
    /// service, `iamauth_default_service()` (`rds-db`).
    pub service: *const c_char,
    /// Its length in bytes.
    pub service_len: usize,
    /// Whether `skew` is set; false: the default, `iamauth_default_skew()` (so an all-zero struct
    /// is the default).
    pub has_skew: bool,
    /// Seconds a token may be signed in the future of `now`, 0..=86400 (else
    /// `IAMAUTH_INVALID_TIME`); read only when `has_skew`.
    pub skew: i64,
}

/// Who signed a verified token and what it grants.
///
/// Every `iamauth_str` points INTO THE CALLER'S TOKEN buffer (`iamauth_verify`) or into the
/// caller's `text_buf` (`iamauth_verify2`), or at static text: valid as long as that buffer is,
/// and not NUL-terminated. The user may need percent-decoding, so it is copied into a separate
/// caller buffer (as inspect does).
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

/// The messages of one string argument, built from its name.
pub(crate) struct Field {
    pub(crate) null: &'static str,
    pub(crate) utf8: &'static str,
}

macro_rules! field {
    ($name:literal) => {
        $crate::types::Field {
            null: concat!($name, ": NULL pointer with a non-zero length"),
            utf8: concat!($name, ": not valid UTF-8"),
        }
    };
}
pub(crate) use field;

/// Reads a (pointer, length) string; NULL with length 0 is `None`.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes that stay valid and unchanged for `'a`.
pub(crate) unsafe fn optional_text<'a>(
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
    // Every host, user, region and key is ASCII: checked a word at a time, that is a tenth of
    // `from_utf8`'s cost on such short strings (about 450 of the C ABI's 1,400 instructions per
    // token went to the full check). Anything else gets the full check.
    if bytes.is_ascii() {
        // SAFETY: every byte is below 0x80, and ASCII is valid UTF-8 (just checked, not assumed).
        return Ok(Some(unsafe { core::str::from_utf8_unchecked(bytes) }));
    }
    match core::str::from_utf8(bytes) {
        Ok(s) => Ok(Some(s)),
        Err(_) => Err(Fail::new(IAMAUTH_INVALID_UTF8, field.utf8)),
    }
}

/// Reads a (pointer, length) string; NULL with length 0 is the empty string.
///
/// # Safety
/// As [`optional_text`].
pub(crate) unsafe fn text<'a>(
    ptr: *const c_char,
    len: usize,
    field: Field,
) -> Result<&'a str, Fail> {
    // SAFETY: same contract as ours.
    Ok(unsafe { optional_text(ptr, len, field) }?.unwrap_or(""))
}

/// Borrows the caller's credentials and validates them with the core's rules.
///
/// # Safety
/// `creds` is NULL or points to a valid `iamauth_credentials` whose strings follow
/// [`optional_text`]'s contract.
pub(crate) unsafe fn credentials<'a>(
    creds: *const iamauth_credentials,
) -> Result<Credentials<'a>, Fail> {
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
pub(crate) fn resolve_time(t: i64) -> i64 {
    if t == IAMAUTH_NOW { iamauth::now() } else { t }
}

/// The output buffer of a token: checked before any work, written only on success.
pub(crate) struct Out {
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
}

impl Out {
    pub(crate) fn new(buf: *mut c_char, cap: usize, out_len: *mut usize) -> Result<Out, Fail> {
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

    /// Whether `s` plus a NUL fits.
    pub(crate) fn fits(&self, s: &str) -> bool {
        self.cap > s.len()
    }

    /// Writes only the length `s` needs (without the NUL), for a `IAMAUTH_BUFFER_TOO_SMALL`.
    ///
    /// # Safety
    /// `out_len` is writable.
    pub(crate) unsafe fn report(&self, s: &str) {
        // SAFETY: `out_len` is non-NULL (checked in `new`) and writable by contract.
        unsafe { self.out_len.write(s.len()) };
    }

    /// The buffer (for views into what [`Out::put`] wrote there).
    pub(crate) fn ptr(&self) -> *const c_char {
        self.buf
    }

    /// Writes `s` plus a NUL and its length (without the NUL); or only the length, with
    /// `IAMAUTH_BUFFER_TOO_SMALL`, when `cap < len + 1`.
    ///
    /// # Safety
    /// `buf` is NULL (then `cap` is 0) or points to `cap` writable bytes; `out_len` is writable.
    pub(crate) unsafe fn put(&self, s: &str) -> Result<(), Fail> {
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

/// A view of `s` for C: when `s` lies inside `text`, the same bytes inside `copy` (a copy of
/// `text` in a caller's buffer); otherwise `s` itself, which is then static (the core's fields
/// borrow from the token or are constants).
pub(crate) fn rebase(s: &str, text: &str, copy: *const c_char) -> iamauth_str {
    let (start, base) = (s.as_ptr() as usize, text.as_ptr() as usize);
    if start >= base && start + s.len() <= base + text.len() {
        iamauth_str {
            // In bounds of `copy`, which holds text.len() + 1 bytes.
            data: copy.wrapping_add(start - base),
            len: s.len(),
        }
    } else {
        iamauth_str::new(s)
    }
}

/// The C kind of a core token kind.
pub(crate) fn kind(k: TokenKind) -> iamauth_token_kind {
    match k {
        TokenKind::Rds => iamauth_token_kind::IAMAUTH_KIND_RDS,
        TokenKind::Dsql => iamauth_token_kind::IAMAUTH_KIND_DSQL,
        TokenKind::ElastiCache => iamauth_token_kind::IAMAUTH_KIND_ELASTICACHE,
        TokenKind::Eks => iamauth_token_kind::IAMAUTH_KIND_EKS,
        TokenKind::Msk => iamauth_token_kind::IAMAUTH_KIND_MSK,
    }
}

/// An expected string: empty (or NULL with length 0) is "any".
///
/// # Safety
/// As [`optional_text`].
pub(crate) unsafe fn expected<'a>(
    ptr: *const c_char,
    len: usize,
    field: Field,
) -> Result<Option<&'a str>, Fail> {
    // SAFETY: same contract as ours.
    Ok(unsafe { optional_text(ptr, len, field) }?.filter(|s| !s.is_empty()))
}
