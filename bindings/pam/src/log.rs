//! One line per attempt, for the operator: who, which key, and the core's code when refused.
//! Every line goes to syslog (authpriv, without the time: syslog adds its own); with `log=`,
//! also to that file (opened per line by `iamauth::append_log_line`, under the same rules as
//! the keys file):
//!
//! ```text
//! 2026-11-28T20:50:00Z pam_iamauth: accepted user=app key=AKIDEXAMPLE service=postgresql
//! 2026-11-28T20:50:01Z pam_iamauth: refused user=app code=EXPIRED_TOKEN key=AKIDEXAMPLE service=postgresql
//! 2026-11-28T20:50:02Z pam_iamauth: error code=INVALID_PORT service=postgresql -- port: must be ...
//! ```
//!
//! Never the token, its signature, the secret or the session token. Every value that comes from
//! outside (user, key id, service name) is escaped, so a crafted user name cannot forge a line.

#![deny(unsafe_code)]

use std::fmt::Write as _;

/// `bytes` with everything outside `!`..=`~`, and `\` itself, as `\xNN`: no spaces (a field
/// cannot be faked), no newlines (a line cannot be), no terminal escapes.
pub(crate) fn escape(bytes: impl IntoIterator<Item = u8>) -> String {
    let mut out = String::new();
    for b in bytes {
        if b.is_ascii_graphic() && b != b'\\' {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// What happened on one attempt.
pub(crate) enum Event<'a> {
    /// The token verified.
    Accepted {
        /// The PAM user, raw.
        user: &'a [u8],
        /// The signer's access key id.
        key: &'a str,
    },
    /// The token was refused (`code`: the core's name, or one of this module's).
    Refused {
        /// The PAM user, raw (empty if PAM had none).
        user: &'a [u8],
        /// Why.
        code: &'a str,
        /// The token's access key id, when the token reads that far.
        key: Option<&'a str>,
    },
    /// The module could not run: its configuration or its keys file is wrong.
    Error {
        /// Why.
        code: &'a str,
        /// A message safe to log (values in it already escaped).
        message: &'a str,
    },
}

/// The line for `event`, without the time (syslog adds its own) and without a newline.
pub(crate) fn message(event: &Event<'_>, service: Option<&[u8]>) -> String {
    let mut line = String::from("pam_iamauth: ");
    // Writing to a String cannot fail.
    let _ = match event {
        Event::Accepted { user, key } => write!(
            line,
            "accepted user={} key={}",
            escape(user.iter().copied()),
            escape(key.bytes())
        ),
        Event::Refused { user, code, key } => write!(
            line,
            "refused user={} code={} key={}",
            escape(user.iter().copied()),
            escape(code.bytes()),
            key.map_or_else(|| "-".to_owned(), |k| escape(k.bytes()))
        ),
        Event::Error { code, .. } => write!(line, "error code={}", escape(code.bytes())),
    };
    if let Some(service) = service {
        let _ = write!(line, " service={}", escape(service.iter().copied()));
    }
    if let Event::Error { message, .. } = event {
        // Control characters only: the message is this module's or the core's own text.
        let clean: String = message.chars().filter(|c| !c.is_control()).collect();
        let _ = write!(line, " -- {clean}");
    }
    line
}

/// The file line: RFC 3339 UTC time, the message, a newline.
pub(crate) fn file_line(now: i64, message: &str) -> String {
    let time = iamauth::format_rfc3339(now).unwrap_or_else(|_| "-".to_owned());
    format!("{time} {message}\n")
}

/// The syslog line: the message without its `pam_iamauth: ` prefix (pam_syslog writes
/// `pam_iamauth(SERVICE:auth): ` before it), and, when the `log=` file was not written, why
/// (the rule it broke, or the I/O error's kind): the event itself is in syslog either way.
pub(crate) fn syslog_message(message: &str, file_failed: Option<&iamauth::FileError>) -> String {
    let text = message.strip_prefix("pam_iamauth: ").unwrap_or(message);
    match file_failed {
        None => text.to_owned(),
        Some(e) => {
            let why: String = e.to_string().chars().filter(|c| !c.is_control()).collect();
            format!("{text} (log= not written: {why})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_printable_ascii_only() {
        assert_eq!(escape(*b"app_user-1.x@y"), "app_user-1.x@y");
        assert_eq!(
            escape(*b"a b\ncode=X\\\x1b\xff"),
            "a\\x20b\\x0acode=X\\x5c\\x1b\\xff"
        );
        assert_eq!(escape("é".bytes()), "\\xc3\\xa9");
    }

    #[test]
    fn lines_have_the_documented_shape() {
        let ok = message(
            &Event::Accepted {
                user: b"app",
                key: "AKIDEXAMPLE",
            },
            Some(b"postgresql"),
        );
        assert_eq!(
            ok,
            "pam_iamauth: accepted user=app key=AKIDEXAMPLE service=postgresql"
        );
        let refused = message(
            &Event::Refused {
                user: b"evil\nuser",
                code: "WRONG_USER",
                key: None,
            },
            None,
        );
        assert_eq!(
            refused,
            "pam_iamauth: refused user=evil\\x0auser code=WRONG_USER key=-"
        );
        let error = message(
            &Event::Error {
                code: "INVALID_PORT",
                message: "port: bad\n",
            },
            Some(b"svc"),
        );
        assert_eq!(
            error,
            "pam_iamauth: error code=INVALID_PORT service=svc -- port: bad"
        );
        assert_eq!(file_line(1_704_164_645, "x"), "2024-01-02T03:04:05Z x\n");
        assert_eq!(
            syslog_message(&ok, None),
            "accepted user=app key=AKIDEXAMPLE service=postgresql"
        );
        let link = iamauth::FileError::Unsafe("log file: is a symbolic link");
        assert_eq!(
            syslog_message(&refused, Some(&link)),
            "refused user=evil\\x0auser code=WRONG_USER key=- (log= not written: log file: is a symbolic link)"
        );
    }
}
