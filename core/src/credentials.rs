//! AWS credentials, borrowed for one call and never printed.

use crate::error::{ErrorCode, Result, fail};
use crate::rules::{MAX_SECRET_KEY_LEN, MAX_SESSION_TOKEN_LEN, is_access_key_id};
use core::fmt;

/// Credentials passed in explicitly: core never looks for them.
///
/// `Debug` shows the access key id only; the secret key and session token are redacted.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    access_key_id: &'a str,
    secret_access_key: &'a str,
    session_token: Option<&'a str>,
}

impl<'a> Credentials<'a> {
    /// Validates and borrows credentials (`INVALID_CREDENTIALS` on any rule):
    /// access key id 1 to 128 characters of `A-Z a-z 0-9 _` (real ids are `A-Z 0-9`; the
    /// underscore is there because AWS's own SDK test vectors use `ACCESS_KEY`); secret key 1 to 128 bytes;
    /// session token (if any) 1 to 8192 bytes without whitespace or control characters.
    pub fn new(
        access_key_id: &'a str,
        secret_access_key: &'a str,
        session_token: Option<&'a str>,
    ) -> Result<Credentials<'a>> {
        if !is_access_key_id(access_key_id) {
            return fail(
                ErrorCode::InvalidCredentials,
                "access key id: must be 1 to 128 characters of A-Z, a-z, 0-9 and _",
            );
        }
        if secret_access_key.is_empty() || secret_access_key.len() > MAX_SECRET_KEY_LEN {
            return fail(
                ErrorCode::InvalidCredentials,
                "secret access key: must be 1 to 128 bytes",
            );
        }
        if let Some(token) = session_token {
            if token.is_empty()
                || token.len() > MAX_SESSION_TOKEN_LEN
                || token.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                return fail(
                    ErrorCode::InvalidCredentials,
                    "session token: must be 1 to 8192 bytes without whitespace or control characters (omit it when there is none)",
                );
            }
        }
        Ok(Credentials {
            access_key_id,
            secret_access_key,
            session_token,
        })
    }

    /// Credentials already known to pass the rules (read by this crate and checked then).
    pub(crate) const fn unchecked(
        access_key_id: &'a str,
        secret_access_key: &'a str,
        session_token: Option<&'a str>,
    ) -> Credentials<'a> {
        Credentials {
            access_key_id,
            secret_access_key,
            session_token,
        }
    }

    /// The access key id (not secret: it appears in every token).
    pub const fn access_key_id(&self) -> &'a str {
        self.access_key_id
    }

    /// The secret access key. Handle with care.
    pub const fn secret_access_key(&self) -> &'a str {
        self.secret_access_key
    }

    /// The session token, if the credentials are temporary.
    pub const fn session_token(&self) -> Option<&'a str> {
        self.session_token
    }
}

impl fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("session_token", &self.session_token.map(|_| "<redacted>"))
            .finish()
    }
}
