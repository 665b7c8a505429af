//! The one error type. Every binding surfaces `code().name()` unchanged.

use core::fmt;

/// Defines [`ErrorCode`] and its table from one list: number, variant, stable name and
/// description. Everything else (the C enum and its texts, the JS table, the docs) is derived
/// from [`ErrorCode::ALL`], [`ErrorCode::name`] and [`ErrorCode::description`].
macro_rules! error_codes {
    ($($number:literal $variant:ident $name:literal $description:literal;)*) => {
        /// A stable error code. The numbers are part of the C ABI: never renumber, never reuse.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(#[doc = $description] $variant = $number,)*
        }

        impl ErrorCode {
            /// Every code, in number order.
            pub const ALL: [ErrorCode; [$($number),*].len()] = [$(ErrorCode::$variant),*];

            /// The stable name every language reports, e.g. `INVALID_PORT`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }

            /// What the code means, one sentence (the C header's and the docs' text).
            pub const fn description(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $description,)*
                }
            }
        }
    };
}

error_codes! {
    1 InvalidHost "INVALID_HOST" "The host (or cache name) breaks the host rule.";
    2 InvalidPort "INVALID_PORT" "The port is not an integer in 1..=65535.";
    3 InvalidUser "INVALID_USER" "The database or cache user is empty, too long or has control characters.";
    4 InvalidRegion "INVALID_REGION" "The region does not match the region pattern (or, where it may be left out, the host names none).";
    5 InvalidExpiry "INVALID_EXPIRY" "The expiry is outside the range allowed for this kind of token.";
    6 InvalidCredentials "INVALID_CREDENTIALS" "The access key id, secret key or session token breaks its rule, is missing, or has expired.";
    7 InvalidTime "INVALID_TIME" "The signing time (or `now`) is outside 1970-01-01T00:00:00Z..=9999-12-31T23:59:59Z or unreadable.";
    8 InvalidAction "INVALID_ACTION" "The DSQL action is neither `DbConnect` nor `DbConnectAdmin`.";
    9 MalformedToken "MALFORMED_TOKEN" "A token given to inspect or verify is not a token this library can read.";
    10 InvalidService "INVALID_SERVICE" "The signing service name breaks the service rule.";
    11 InvalidRequest "INVALID_REQUEST" "A generic presign request has a bad method, path, query, header or payload hash (or a binding got an unknown option).";
    12 ExpiredToken "EXPIRED_TOKEN" "Verify: the token has expired.";
    13 NotYetValid "NOT_YET_VALID" "Verify: the token is signed further in the future than the allowed clock skew.";
    14 UnknownAccessKey "UNKNOWN_ACCESS_KEY" "Verify: the token's access key id is not among the known keys.";
    15 SignatureMismatch "SIGNATURE_MISMATCH" "Verify: the signature recomputed from the token does not match its `X-Amz-Signature`.";
    16 WrongHost "WRONG_HOST" "Verify: the token is for another host.";
    17 WrongPort "WRONG_PORT" "Verify: the token is for another port.";
    18 WrongUser "WRONG_USER" "Verify: the token is for another user.";
    19 WrongRegion "WRONG_REGION" "Verify: the token is signed for another region.";
    20 WrongService "WRONG_SERVICE" "Verify: the token is signed for another service.";
    21 ExpiresTooLong "EXPIRES_TOO_LONG" "Verify: `X-Amz-Expires` is above the service's limit (900 s for `rds-db`).";
    22 SessionTokenMismatch "SESSION_TOKEN_MISMATCH" "Verify: the token's session token is not the one its key requires (or it has one the key does not, or lacks one the key requires).";
    23 UserNotAllowed "USER_NOT_ALLOWED" "Verify: the token's key is not granted its user (the keys file's `users` list; a key with one makes no user-less DSQL tokens).";
    24 HostNotAllowed "HOST_NOT_ALLOWED" "Verify: the token's key is not granted its host (the keys file's `hosts` list).";
    25 WrongAction "WRONG_ACTION" "Verify: the token is for another action (DSQL `DbConnect` where `DbConnectAdmin` is expected, or the reverse).";
    26 InsecureKeysFile "INSECURE_KEYS_FILE" "A keys file is not a regular file owned by root or the reader's user and closed to others (not group- or world-writable, not world-readable, not a link), or is larger than its limit.";
    27 InvalidCluster "INVALID_CLUSTER" "The EKS cluster name breaks the cluster rule (or verify of an EKS token was not told the cluster to expect).";
    28 InvalidUserAgent "INVALID_USER_AGENT" "The MSK token's User-Agent is empty, longer than 256 characters or not printable ASCII.";
    101 InvalidUtf8 "INVALID_UTF8" "A string has no UTF-8 form: invalid UTF-8 bytes (C), or a lone UTF-16 surrogate (JS, Java, Python).";
}

impl ErrorCode {
    /// The stable number (the C ABI's `iamauth_result` value).
    pub const fn number(self) -> u32 {
        self as u32
    }

    /// The code with this name, if any.
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The code with this number, if any.
    pub fn from_number(number: u32) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.number() == number)
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
    /// An error with a fixed message (bindings use it for their own checks, such as
    /// `INVALID_UTF8`, so that every error in every language has the same shape).
    pub const fn new(code: ErrorCode, message: &'static str) -> Error {
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
