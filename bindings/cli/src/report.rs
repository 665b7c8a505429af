//! What a token says, for people (a labelled report) and for programs (JSON fields).
//! The session token's value is never shown (only whether there is one), nor, for people,
//! the signature.

use crate::fail::Failure;
use crate::json::Object;
use iamauth::{Identity, TokenInfo, TokenKind, Validity};
use std::fmt::Write as _;

/// RFC 3339, or `None` past what core formats (an expiry after 9999-12-31T23:59:59Z).
fn rfc3339(unix: i64) -> Option<String> {
    iamauth::format_rfc3339(unix).ok()
}

/// Text from a token (or a profile) made safe for a terminal: control characters (a user name
/// may carry a percent-encoded newline) are shown as `\u{..}` escapes.
pub(crate) fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The status line: usable at `now` or not, and why.
fn status(validity: Validity) -> String {
    match validity {
        Validity::Valid { seconds_left } => format!("valid ({seconds_left} s left)"),
        Validity::Expired {
            expired_at,
            seconds_ago,
        } => format!(
            "expired (since {}, {seconds_ago} s ago)",
            rfc3339(expired_at).unwrap_or_else(|| expired_at.to_string())
        ),
        Validity::NotYetValid { starts_in } => {
            format!("not yet valid (starts in {starts_in} s: clock skew?)")
        }
    }
}

/// The report for people, one `label: value` line each, status relative to `now`.
pub(crate) fn human(info: &TokenInfo<'_>, now: i64) -> Result<String, Failure> {
    let validity = info.validity(now)?;
    let mut out = String::new();
    let mut line = |label: &str, value: &str| {
        let _ = writeln!(out, "{label:<15}{value}");
    };
    line("kind:", info.kind.as_str());
    line("host:", info.host);
    if let Some(port) = info.port {
        line("port:", &port.to_string());
    }
    if let Some(user) = &info.user {
        line("user:", &printable(user));
    }
    line("action:", info.action);
    if info.kind == TokenKind::ElastiCache {
        line("serverless:", if info.serverless { "yes" } else { "no" });
    }
    if info.kind == TokenKind::Eks {
        // Signed as the x-k8s-aws-id header, never written down: only a verifier told it can check it.
        line(
            "cluster:",
            "signed, not written in the token (verify --cluster NAME checks it)",
        );
    }
    line("region:", info.region);
    line("service:", info.service);
    line("access key id:", info.access_key_id);
    line("signed at:", &rfc3339(info.signed_at).unwrap_or_default());
    if info.kind == TokenKind::Eks {
        // The URL says 60 s; the server (aws-iam-authenticator) accepts the token for 15 min.
        line(
            "expires in:",
            &format!(
                "{} s (X-Amz-Expires; the cluster accepts it for {} s)",
                info.expires_in,
                info.expires_at.saturating_sub(info.signed_at)
            ),
        );
    } else {
        line("expires in:", &format!("{} s", info.expires_in));
    }
    line(
        "expires at:",
        &rfc3339(info.expires_at).unwrap_or_else(|| "out of range".to_owned()),
    );
    line(
        "session token:",
        if info.has_session_token {
            "present"
        } else {
            "absent"
        },
    );
    line("status:", &status(validity));
    Ok(out)
}

/// The token's fields as JSON (shared by the token commands and `inspect --json`).
pub(crate) fn json_fields(obj: &mut Object, info: &TokenInfo<'_>) {
    obj.str("kind", info.kind.as_str());
    obj.str("host", info.host);
    obj.opt_int("port", info.port.map(i64::from));
    obj.opt_str("user", info.user.as_deref());
    obj.str("action", info.action);
    obj.bool("serverless", info.serverless);
    obj.str("region", info.region);
    obj.str("service", info.service);
    obj.str("access_key_id", info.access_key_id);
    obj.opt_str("signed_at", rfc3339(info.signed_at).as_deref());
    obj.int("signed_at_unix", info.signed_at);
    obj.int("expires_in", i64::from(info.expires_in));
    obj.opt_str("expires_at", rfc3339(info.expires_at).as_deref());
    obj.int("expires_at_unix", info.expires_at);
    obj.bool("has_session_token", info.has_session_token);
}

/// `inspect --json`: the fields, the signature (the caller passed the token in, so it is
/// theirs already), and the status at `now`.
pub(crate) fn inspect_json(info: &TokenInfo<'_>, now: i64) -> Result<String, Failure> {
    let validity = info.validity(now)?;
    let mut obj = Object::new();
    json_fields(&mut obj, info);
    obj.str("signature", info.signature);
    obj.str("status", validity.as_str());
    match validity {
        Validity::Valid { seconds_left } => obj.int("seconds_left", seconds_left),
        Validity::Expired { seconds_ago, .. } => obj.int("seconds_ago", seconds_ago),
        Validity::NotYetValid { starts_in } => obj.int("starts_in", starts_in),
    }
    obj.opt_str("now", rfc3339(now).as_deref());
    obj.int("now_unix", now);
    Ok(obj.finish())
}

/// `verify`'s report for people: who signed the token and what it grants (never the token,
/// its signature or a session token).
pub(crate) fn verified_human(who: &Identity<'_>) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: &str| {
        let _ = writeln!(out, "{label:<15}{value}");
    };
    line("kind:", who.kind.as_str());
    line("access key id:", &printable(who.access_key_id));
    if let Some(user) = &who.user {
        line("user:", &printable(user));
    }
    line("action:", &printable(who.action));
    line("host:", &printable(who.host));
    if let Some(port) = who.port {
        line("port:", &port.to_string());
    }
    line("region:", &printable(who.region));
    line("service:", &printable(who.service));
    line(
        "signed at:",
        &rfc3339(who.signed_at).unwrap_or_else(|| who.signed_at.to_string()),
    );
    line(
        "expires at:",
        &rfc3339(who.expires_at).unwrap_or_else(|| "out of range".to_owned()),
    );
    line("status:", "verified");
    out
}

/// `verify --json`: the same fields as one JSON object.
pub(crate) fn verified_json(who: &Identity<'_>) -> String {
    let mut obj = Object::new();
    obj.str("kind", who.kind.as_str());
    obj.str("access_key_id", who.access_key_id);
    obj.opt_str("user", who.user.as_deref());
    obj.str("action", who.action);
    obj.str("host", who.host);
    obj.opt_int("port", who.port.map(i64::from));
    obj.str("region", who.region);
    obj.str("service", who.service);
    obj.opt_str("signed_at", rfc3339(who.signed_at).as_deref());
    obj.int("signed_at_unix", who.signed_at);
    obj.opt_str("expires_at", rfc3339(who.expires_at).as_deref());
    obj.int("expires_at_unix", who.expires_at);
    obj.finish()
}
