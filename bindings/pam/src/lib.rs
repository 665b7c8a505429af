//! `pam_iamauth.so`: a PAM module that accepts AWS IAM database authentication tokens as
//! passwords, the way RDS does, so a stock PostgreSQL (`pam` in pg_hba.conf) or MariaDB
//! (`auth_pam`) can check them.
//!
//! ```text
//! auth    required /usr/lib/security/pam_iamauth.so keys=/etc/iamauth/keys.json host=db.example.com port=5432 region=us-east-1
//! account required pam_permit.so
//! ```
//!
//! The module only converts: it reads its arguments, asks libpam for the user and the password,
//! checks the token's shape and reads its access key id ([`iamauth::inspect`]), only then reads
//! the keys file (opened safely by [`iamauth::read_keys_file`]) keeping that one key
//! ([`iamauth::KeyFile::parse_for`]), and hands them to [`iamauth::verify`] with the current
//! time; every rule (signature, expiry, host, port, user, grants, region, session token) is the
//! core's. Every attempt is logged to syslog (authpriv), and to `log=` too when given. See
//! README.md and SECURITY.md.

// An FFI module: libpam calls in with C pointers and is called back through its C API. Every
// unsafe block is here, in this file, with a `SAFETY:` comment; `config` and `log` deny unsafe.
#![allow(unsafe_code)]

mod config;
mod log;

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use iamauth::{FileError, KeyFile};

use crate::config::Config;
use crate::log::Event;

/// libpam's opaque handle (`pam_handle_t`).
#[repr(C)]
pub struct PamHandle {
    _opaque: [u8; 0],
}

// From <security/_pam_types.h> (Linux-PAM; the values are fixed by the X/Open PAM spec).
const PAM_SUCCESS: c_int = 0;
const PAM_SERVICE_ERR: c_int = 3;
const PAM_AUTH_ERR: c_int = 7;
const PAM_SERVICE: c_int = 1;
const PAM_AUTHTOK: c_int = 6;
// From <syslog.h>; pam_syslog adds LOG_AUTHPRIV.
const LOG_ERR: c_int = 3;
const LOG_NOTICE: c_int = 5;
const LOG_INFO: c_int = 6;

// This module's codes for what the core does not judge (the core's names are used otherwise).
/// libpam gave no user name.
const NO_USER: &str = "NO_USER";
/// libpam gave no password (the conversation failed).
const NO_PASSWORD: &str = "NO_PASSWORD";
/// The keys file could not be opened or read (missing, no permission, an I/O error).
const KEYS_UNREADABLE: &str = "KEYS_UNREADABLE";

unsafe extern "C" {
    fn pam_get_user(pamh: *mut PamHandle, user: *mut *const c_char, prompt: *const c_char)
    -> c_int;
    fn pam_get_authtok(
        pamh: *mut PamHandle,
        item: c_int,
        authtok: *mut *const c_char,
        prompt: *const c_char,
    ) -> c_int;
    fn pam_get_item(pamh: *const PamHandle, item_type: c_int, item: *mut *const c_void) -> c_int;
    fn pam_syslog(pamh: *const PamHandle, priority: c_int, fmt: *const c_char, ...);
}

/// Checks the password (an IAM token) of the PAM user. `PAM_SUCCESS` when it verifies,
/// `PAM_AUTH_ERR` when it does not, `PAM_SERVICE_ERR` when the module's line or keys file is
/// wrong (nobody is authenticated then), `PAM_AUTH_ERR` on a panic.
///
/// # Safety
///
/// Called by libpam: `pamh` is its live handle and `argv` holds `argc` NUL-terminated strings,
/// all valid for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pam_sm_authenticate(
    pamh: *mut PamHandle,
    _flags: c_int,
    argc: c_int,
    argv: *const *const c_char,
) -> c_int {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: forwarded from libpam's call, whose contract this function's docs state.
        unsafe { authenticate(pamh, argc, argv) }
    }))
    .unwrap_or(PAM_AUTH_ERR)
}

/// Nothing to set: a token grants a login, not credentials. Always `PAM_SUCCESS`.
///
/// # Safety
///
/// None needed: the arguments are not read. (`unsafe` for symmetry with libpam's contract.)
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pam_sm_setcred(
    _pamh: *mut PamHandle,
    _flags: c_int,
    _argc: c_int,
    _argv: *const *const c_char,
) -> c_int {
    catch_unwind(|| PAM_SUCCESS).unwrap_or(PAM_SERVICE_ERR)
}

/// Where this attempt's lines go.
struct Sink<'a> {
    pamh: *mut PamHandle,
    file: Option<&'a Path>,
    service: Option<&'a [u8]>,
}

impl Sink<'_> {
    /// One line to syslog (authpriv: every event, always), and to the `log=` file when there is
    /// one. The file is opened for this line by the core's safe opener (no link, FIFO, device or
    /// file others can write); when it is refused or the write fails, the syslog line says why,
    /// so the event itself is never lost. Neither can change the authentication result.
    fn write(&self, event: &Event<'_>) {
        let message = log::message(event, self.service);
        let file_failed = self.file.and_then(|path| {
            iamauth::append_log_line(path, &log::file_line(iamauth::now(), &message)).err()
        });
        let priority = match event {
            Event::Accepted { .. } => LOG_INFO,
            Event::Refused { .. } => LOG_NOTICE,
            Event::Error { .. } => LOG_ERR,
        };
        let text = log::syslog_message(&message, file_failed.as_ref());
        // The message is escaped, so it has no NUL; if it had, skip rather than cut it.
        if let Ok(text) = CString::new(text) {
            // SAFETY: `pamh` is libpam's live handle; the format is a literal "%s" whose one
            // argument is a NUL-terminated string that outlives the call.
            unsafe { pam_syslog(self.pamh, priority, c"%s".as_ptr(), text.as_ptr()) };
        }
    }
}

/// The module's arguments as byte strings.
///
/// # Safety
///
/// `argv` holds `argc` NUL-terminated strings valid for `'a` (or `argc` is 0).
unsafe fn arguments<'a>(argc: c_int, argv: *const *const c_char) -> Option<Vec<&'a [u8]>> {
    let count = usize::try_from(argc).ok()?;
    if count == 0 {
        return Some(Vec::new());
    }
    if argv.is_null() {
        return None;
    }
    // SAFETY: libpam's `argv` points to `argc` readable pointers (checked non-NULL above).
    let words = unsafe { std::slice::from_raw_parts(argv, count) };
    words
        .iter()
        .map(|&w| {
            // SAFETY: each non-NULL entry is a NUL-terminated string libpam keeps for the call.
            (!w.is_null()).then(|| unsafe { CStr::from_ptr(w) }.to_bytes())
        })
        .collect()
}

/// The PAM service name (`postgresql`, `mariadb`, ...), if libpam has one.
///
/// # Safety
///
/// `pamh` is libpam's live handle.
unsafe fn service_name<'a>(pamh: *mut PamHandle) -> Option<&'a [u8]> {
    let mut item: *const c_void = std::ptr::null();
    // SAFETY: `pamh` is live; `item` is a valid out-pointer.
    let rc = unsafe { pam_get_item(pamh, PAM_SERVICE, &mut item) };
    if rc != PAM_SUCCESS || item.is_null() {
        return None;
    }
    // SAFETY: PAM_SERVICE's item is a NUL-terminated string owned by the handle, unchanged
    // during the module call.
    Some(unsafe { CStr::from_ptr(item.cast::<c_char>()) }.to_bytes())
}

/// The PAM user, as given to `pam_start` (or asked for by libpam).
///
/// # Safety
///
/// `pamh` is libpam's live handle.
unsafe fn user_name<'a>(pamh: *mut PamHandle) -> Option<&'a [u8]> {
    let mut user: *const c_char = std::ptr::null();
    // SAFETY: `pamh` is live; `user` is a valid out-pointer; NULL prompt: libpam's default.
    let rc = unsafe { pam_get_user(pamh, &mut user, std::ptr::null()) };
    if rc != PAM_SUCCESS || user.is_null() {
        return None;
    }
    // SAFETY: on success libpam points `user` at its PAM_USER item, NUL-terminated and owned
    // by the handle for the module call.
    Some(unsafe { CStr::from_ptr(user) }.to_bytes())
}

/// The password: PAM_AUTHTOK if an earlier module set it, else asked through the conversation
/// (whole: pam_exec's 511-byte cut does not apply to `pam_get_authtok`).
///
/// # Safety
///
/// `pamh` is libpam's live handle.
unsafe fn password<'a>(pamh: *mut PamHandle) -> Option<&'a [u8]> {
    let mut token: *const c_char = std::ptr::null();
    // SAFETY: `pamh` is live; `token` is a valid out-pointer; NULL prompt: libpam's default.
    let rc = unsafe { pam_get_authtok(pamh, PAM_AUTHTOK, &mut token, std::ptr::null()) };
    if rc != PAM_SUCCESS || token.is_null() {
        return None;
    }
    // SAFETY: on success `token` is the handle's PAM_AUTHTOK item, NUL-terminated, kept by
    // libpam until the handle ends (after this call).
    Some(unsafe { CStr::from_ptr(token) }.to_bytes())
}

/// Reads the keys file (again on every attempt, so keys rotate without a restart) through the
/// core's safe opener, and keeps only the key of `access_key_id` (the whole file is still
/// checked). The text holds the secrets: it is wiped once parsed.
fn read_keys(path: &Path, access_key_id: &str) -> Result<KeyFile, (&'static str, String)> {
    let text = iamauth::read_keys_file(path).map_err(|e| match e {
        FileError::Io(io) => (KEYS_UNREADABLE, format!("keys=: {}", io.kind())),
        other => {
            let e = other.error();
            (e.code().name(), e.message().to_owned())
        }
    })?;
    KeyFile::parse_for(&text, access_key_id).map_err(|e| (e.code().name(), e.message().to_owned()))
}

/// The whole attempt, inside the panic boundary.
///
/// # Safety
///
/// As [`pam_sm_authenticate`].
unsafe fn authenticate(pamh: *mut PamHandle, argc: c_int, argv: *const *const c_char) -> c_int {
    // SAFETY: libpam's handle, live for the call.
    let service = unsafe { service_name(pamh) };
    // SAFETY: libpam's argc/argv, valid for the call.
    let Some(args) = (unsafe { arguments(argc, argv) }) else {
        let sink = Sink {
            pamh,
            file: None,
            service,
        };
        sink.write(&Event::Error {
            code: config::BAD_ARGUMENT,
            message: "libpam passed no argument list",
        });
        return PAM_SERVICE_ERR;
    };
    let log_path = config::log_path(&args);
    let mut sink = Sink {
        pamh,
        file: log_path.as_deref(),
        service,
    };
    let config = match config::parse(&args) {
        Ok(config) => config,
        Err(e) => {
            sink.write(&Event::Error {
                code: e.code,
                message: &e.message,
            });
            return PAM_SERVICE_ERR;
        }
    };
    sink.file = config.log.as_deref();

    // SAFETY: libpam's handle, live for the call.
    let Some(user) = (unsafe { user_name(pamh) }) else {
        sink.write(&Event::Refused {
            user: b"",
            code: NO_USER,
            key: None,
        });
        return PAM_AUTH_ERR;
    };
    // The password before the keys file: an attempt without a readable token never reads it.
    // SAFETY: libpam's handle, live for the call.
    let Some(token) = (unsafe { password(pamh) }) else {
        sink.write(&Event::Refused {
            user,
            code: NO_PASSWORD,
            key: None,
        });
        return PAM_AUTH_ERR;
    };
    check(&sink, &config, user, token)
}

/// Verifies `token` for `user` with the core, logs the outcome, and maps it to PAM's result.
/// Bounded work: the token's shape and access key id are checked first (a malformed token costs
/// no file access at all), then the keys file is read keeping that one key.
fn check(sink: &Sink<'_>, config: &Config, user: &[u8], token: &[u8]) -> c_int {
    // A C string never holds a NUL, so `to_bytes()` already left out the terminator; a client
    // that sent one inside the password gets its token cut there by libpam, not by this module.
    let refuse = |code: &str, key: Option<&str>| {
        sink.write(&Event::Refused { user, code, key });
        PAM_AUTH_ERR
    };
    let Ok(user_text) = std::str::from_utf8(user) else {
        return refuse(iamauth::ErrorCode::InvalidUser.name(), None);
    };
    let Ok(token) = std::str::from_utf8(token) else {
        return refuse(iamauth::ErrorCode::MalformedToken.name(), None);
    };
    // The line's values passed the core's checks when it was read (config::parse), so an error
    // here is about the attempt: the token, or the user the client logs in as.
    let expect = config.expectations(Some(user_text));
    let access_key_id = match iamauth::inspect(token) {
        Ok(info) => info.access_key_id,
        // The core's verify would refuse it the same way (it reads the token with inspect):
        // asked here, with no keys, it gives the code the core gives, in the core's order
        // (an invalid user before a malformed token).
        Err(_) => {
            let e = iamauth::verify(token, |_| None, &expect, iamauth::now()).err();
            let code = e.map_or(iamauth::ErrorCode::MalformedToken, |e| e.code());
            return refuse(code.name(), None);
        }
    };
    // A user the core's user rule refuses is refused before the keys file is read, as verify
    // would (it checks its expectations first).
    if let Err(e) = expect.check() {
        return refuse(e.code().name(), Some(access_key_id));
    }
    let keys = match read_keys(&config.keys, access_key_id) {
        Ok(keys) => keys,
        Err((code, message)) => {
            sink.write(&Event::Error {
                code,
                message: &message,
            });
            return PAM_SERVICE_ERR;
        }
    };
    match iamauth::verify(token, |akid| keys.get(akid), &expect, iamauth::now()) {
        Ok(who) => {
            sink.write(&Event::Accepted {
                user,
                key: who.access_key_id,
            });
            PAM_SUCCESS
        }
        Err(e) => refuse(e.code().name(), Some(access_key_id)),
    }
}
