//! Credentials from the `AWS_*` environment variables, the one reader the CLI, Python and Java
//! use. Core reads no environment itself: the caller passes a lookup, and the `std` feature adds
//! [`EnvironmentCredentials::from_env`] over the process environment.

use crate::credentials::Credentials;
use crate::error::{ErrorCode, Result, fail};
use alloc::string::String;
use core::fmt;
use zeroize::Zeroizing;

/// The access key id's variable.
pub const ENV_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
/// The secret key's variable.
pub const ENV_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
/// The session token's variable (temporary credentials only).
pub const ENV_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";

const MISSING: &str = "credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set and not empty (and AWS_SESSION_TOKEN for temporary credentials)";
#[cfg(feature = "std")]
const NOT_UTF8: &str =
    "credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN must be UTF-8";

/// Credentials read from the environment, owned (the secrets are wiped when dropped).
/// `Debug` shows the access key id only.
pub struct EnvironmentCredentials {
    access_key_id: String,
    secret_access_key: Zeroizing<String>,
    session_token: Option<Zeroizing<String>>,
}

impl fmt::Debug for EnvironmentCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.credentials().fmt(f)
    }
}

impl EnvironmentCredentials {
    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` through `get`
    /// (a variable that is unset or empty is absent, as the AWS CLI treats it). Both keys are
    /// required; the three must pass the credential rules. `INVALID_CREDENTIALS` otherwise, with
    /// a message that names the variables, never a value.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<EnvironmentCredentials> {
        EnvironmentCredentials::read(|name| Ok(get(name)))
    }

    /// [`EnvironmentCredentials::from_lookup`] over the process environment (a value that is not
    /// UTF-8 is `INVALID_CREDENTIALS`).
    #[cfg(feature = "std")]
    pub fn from_env() -> Result<EnvironmentCredentials> {
        EnvironmentCredentials::read(|name| match std::env::var_os(name) {
            None => Ok(None),
            Some(v) => v
                .into_string()
                .map(Some)
                .or(fail(ErrorCode::InvalidCredentials, NOT_UTF8)),
        })
    }

    fn read(get: impl Fn(&str) -> Result<Option<String>>) -> Result<EnvironmentCredentials> {
        let var = |name| {
            Ok(get(name)?
                .filter(|v: &String| !v.is_empty())
                .map(Zeroizing::new))
        };
        let access_key_id = var(ENV_ACCESS_KEY_ID)?;
        let secret_access_key = var(ENV_SECRET_ACCESS_KEY)?;
        let session_token = var(ENV_SESSION_TOKEN)?;
        let (Some(access_key_id), Some(secret_access_key)) = (access_key_id, secret_access_key)
        else {
            return fail(ErrorCode::InvalidCredentials, MISSING);
        };
        let found = EnvironmentCredentials {
            access_key_id: String::clone(&access_key_id),
            secret_access_key,
            session_token,
        };
        Credentials::new(
            &found.access_key_id,
            &found.secret_access_key,
            found.session_token.as_deref().map(String::as_str),
        )?;
        Ok(found)
    }

    /// The credentials, borrowed for signing (they passed the rules when read).
    pub fn credentials(&self) -> Credentials<'_> {
        Credentials::unchecked(
            &self.access_key_id,
            &self.secret_access_key,
            self.session_token.as_deref().map(String::as_str),
        )
    }
}
