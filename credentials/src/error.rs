//! The chain's one error: the core's stable code (always `INVALID_CREDENTIALS` today) and a
//! message written here, which may name files, profiles, variables, URLs and HTTP statuses but
//! never a secret, a token or a response body.

use std::fmt;

use iamauth::ErrorCode;

/// Why no credentials came: a stable code and a message naming each source tried.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

impl Error {
    /// An `INVALID_CREDENTIALS` error with this message.
    pub fn new(message: impl Into<String>) -> Error {
        Error {
            code: ErrorCode::InvalidCredentials,
            message: message.into(),
        }
    }

    /// The stable code (`INVALID_CREDENTIALS`).
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The message, without the code.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error, its message prefixed with where it happened (`profile dev: `).
    pub(crate) fn context(self, what: impl fmt::Display) -> Error {
        Error {
            code: self.code,
            message: format!("{what}: {}", self.message),
        }
    }
}

impl From<iamauth::Error> for Error {
    fn from(e: iamauth::Error) -> Error {
        Error {
            code: e.code(),
            message: e.message().to_owned(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

/// Shorthand for this crate's results.
pub type Result<T> = std::result::Result<T, Error>;
