//! The one error type. Every binding surfaces `code().name()` unchanged.

use core::fmt;

/// A stable error code. The numbers are part of the C ABI: never renumber, never reuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The host (or cache name) breaks the host rule.
    InvalidHost = 1,
    /// The port is not an integer in 1..=65535.
    InvalidPort = 2,
    /// The database or cache user is empty, too long or has control characters.
    InvalidUser = 3,
    /// The region does not match the region pattern.
    InvalidRegion = 4,
    /// The expiry is outside the range allowed for this kind of token.
    InvalidExpiry = 5,
    /// The access key id, secret key or session token breaks its rule.
    InvalidCredentials = 6,
    /// The signing time (or `now`) is outside 1970-01-01T00:00:00Z..=9999-12-31T23:59:59Z or unreadable.
    InvalidTime = 7,
    /// The DSQL action is neither `DbConnect` nor `DbConnectAdmin`.
    InvalidAction = 8,
    /// A token given to `inspect` is not a token this library can read.
    MalformedToken = 9,
    /// The signing service name breaks the service rule.
    InvalidService = 10,
    /// A generic presign request has a bad method, path, query, header or payload hash.
    InvalidRequest = 11,
    /// Verify: the token has expired.
    ExpiredToken = 12,
    /// Verify: the token is signed further in the future than the allowed clock skew.
    NotYetValid = 13,
    /// Verify: the token's access key id is not among the known keys.
    UnknownAccessKey = 14,
    /// Verify: the signature recomputed from the token does not match its `X-Amz-Signature`.
    SignatureMismatch = 15,
    /// Verify: the token is for another host.
    WrongHost = 16,
    /// Verify: the token is for another port.
    WrongPort = 17,
    /// Verify: the token is for another user.
    WrongUser = 18,
    /// Verify: the token is signed for another region.
    WrongRegion = 19,
    /// Verify: the token is signed for another service.
    WrongService = 20,
    /// Verify: `X-Amz-Expires` is above the service's limit (900 s for `rds-db`).
    ExpiresTooLong = 21,
    /// Verify: the token's session token is not the one its key requires (or it has one the key
    /// does not, or lacks one the key requires).
    SessionTokenMismatch = 22,
}

impl ErrorCode {
    /// Every code, in number order.
    pub const ALL: [ErrorCode; 22] = [
        ErrorCode::InvalidHost,
        ErrorCode::InvalidPort,
        ErrorCode::InvalidUser,
        ErrorCode::InvalidRegion,
        ErrorCode::InvalidExpiry,
        ErrorCode::InvalidCredentials,
        ErrorCode::InvalidTime,
        ErrorCode::InvalidAction,
        ErrorCode::MalformedToken,
        ErrorCode::InvalidService,
        ErrorCode::InvalidRequest,
        ErrorCode::ExpiredToken,
        ErrorCode::NotYetValid,
        ErrorCode::UnknownAccessKey,
        ErrorCode::SignatureMismatch,
        ErrorCode::WrongHost,
        ErrorCode::WrongPort,
        ErrorCode::WrongUser,
        ErrorCode::WrongRegion,
        ErrorCode::WrongService,
        ErrorCode::ExpiresTooLong,
        ErrorCode::SessionTokenMismatch,
    ];

    /// The stable name every language reports, e.g. `INVALID_PORT`.
    pub const fn name(self) -> &'static str {
        match self {
            ErrorCode::InvalidHost => "INVALID_HOST",
            ErrorCode::InvalidPort => "INVALID_PORT",
            ErrorCode::InvalidUser => "INVALID_USER",
            ErrorCode::InvalidRegion => "INVALID_REGION",
            ErrorCode::InvalidExpiry => "INVALID_EXPIRY",
            ErrorCode::InvalidCredentials => "INVALID_CREDENTIALS",
            ErrorCode::InvalidTime => "INVALID_TIME",
            ErrorCode::InvalidAction => "INVALID_ACTION",
            ErrorCode::MalformedToken => "MALFORMED_TOKEN",
            ErrorCode::InvalidService => "INVALID_SERVICE",
            ErrorCode::InvalidRequest => "INVALID_REQUEST",
            ErrorCode::ExpiredToken => "EXPIRED_TOKEN",
            ErrorCode::NotYetValid => "NOT_YET_VALID",
            ErrorCode::UnknownAccessKey => "UNKNOWN_ACCESS_KEY",
            ErrorCode::SignatureMismatch => "SIGNATURE_MISMATCH",
            ErrorCode::WrongHost => "WRONG_HOST",
            ErrorCode::WrongPort => "WRONG_PORT",
            ErrorCode::WrongUser => "WRONG_USER",
            ErrorCode::WrongRegion => "WRONG_REGION",
            ErrorCode::WrongService => "WRONG_SERVICE",
            ErrorCode::ExpiresTooLong => "EXPIRES_TOO_LONG",
            ErrorCode::SessionTokenMismatch => "SESSION_TOKEN_MISMATCH",
        }
    }

    /// The stable number (the C ABI's `iamauth_result` value).
    pub const fn number(self) -> u32 {
        self as u32
    }

    /// The code with this name, if any.
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An error: a stable code plus a fixed message naming the field and the rule.
///
/// Messages are `'static` text chosen at the call site, so no caller input, and in particular
/// no secret key, session token or token, can ever end up in one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: &'static str,
}

impl Error {
    pub(crate) const fn new(code: ErrorCode, message: &'static str) -> Error {
        Error { code, message }
    }

    /// The stable code.
    pub const fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human-readable message, e.g. `port: must be an integer from 1 to 65535`.
    pub const fn message(&self) -> &'static str {
        self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)
    }
}

impl core::error::Error for Error {}

/// Shorthand for results in this crate.
pub type Result<T> = core::result::Result<T, Error>;

/// `Err(Error::new(code, message))`.
pub(crate) const fn fail<T>(code: ErrorCode, message: &'static str) -> Result<T> {
    Err(Error::new(code, message))
}
