//! `iamauth credentials`: runs the credential chain as the token commands do and says which
//! source answered, the access key id, whether there is a session token and when they expire.
//! Never the secret or the session token.

use crate::args::{self, JSON, PROFILE, Parsed, Spec};
use crate::env;
use crate::fail::Failure;
use crate::json::Object;
use crate::report::printable;
use iamauth_credentials::AwsCredentials;
use std::ffi::OsString;

/// `iamauth credentials`.
static CREDENTIALS: Spec = Spec {
    command: "credentials",
    values: &[&PROFILE],
    switches: &[&JSON],
    positional: None,
};

/// A span of seconds for people: `45 s`, `59 min`, `5 h 3 min`, `2 d 4 h`.
fn span(seconds: i64) -> String {
    let (d, h, m) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
    );
    match seconds {
        ..60 => format!("{seconds} s"),
        60..3_600 => format!("{m} min"),
        3_600..86_400 if m == 0 => format!("{h} h"),
        3_600..86_400 => format!("{h} h {m} min"),
        _ if h == 0 => format!("{d} d"),
        _ => format!("{d} d {h} h"),
    }
}

/// The expiration as RFC 3339 (unix seconds past what core formats).
fn rfc3339(unix: i64) -> String {
    iamauth::format_rfc3339(unix).unwrap_or_else(|_| format!("unix {unix}"))
}

/// The report for people, one `label: value` line each.
fn human(found: &AwsCredentials, now: i64) -> String {
    let expires = match found.expiration() {
        Some(at) => format!("{} (in {})", rfc3339(at), span(at - now)),
        None => "none (long-term keys)".to_owned(),
    };
    format!(
        "source: {}\naccess key id: {}\nsession token: {}\nexpires: {expires}\n",
        printable(found.source()),
        printable(found.access_key_id()),
        if found.session_token().is_some() {
            "yes"
        } else {
            "no"
        },
    )
}

/// `--json`: the same, one object.
fn json(found: &AwsCredentials, now: i64) -> String {
    let mut obj = Object::new();
    obj.str("source", found.source());
    obj.str("accessKeyId", found.access_key_id());
    obj.bool("sessionToken", found.session_token().is_some());
    obj.opt_str("expiration", found.expiration().map(rfc3339).as_deref());
    obj.opt_int("expiresIn", found.expiration().map(|at| at - now));
    obj.finish() + "\n"
}

/// `iamauth credentials [--profile NAME] [--json]`.
pub(crate) fn run(args: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    let Parsed::Args(m) = args::parse(&CREDENTIALS, args)? else {
        return Ok(args::help(&CREDENTIALS));
    };
    let settings = env::settings(&m)?;
    // Refused when expired, as the token commands refuse them.
    let found = env::credentials(&settings)?;
    let now = iamauth::now();
    Ok(if m.switch(&JSON) {
        json(&found, now)
    } else {
        human(&found, now)
    })
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn spans() {
        assert_eq!(span(0), "0 s");
        assert_eq!(span(59), "59 s");
        assert_eq!(span(60), "1 min");
        assert_eq!(span(3_599), "59 min");
        assert_eq!(span(3_600), "1 h");
        assert_eq!(span(3_600 * 5 + 180), "5 h 3 min");
        assert_eq!(span(86_400), "1 d");
        assert_eq!(span(86_400 * 2 + 3_600 * 4 + 59), "2 d 4 h");
    }
}
