//! Credentials as a source hands them over: owned, checked by the core's credential rules, with
//! their expiration and the name of the source that answered. Secrets are wiped when dropped and
//! never printed.

use std::fmt;

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Credentials found by the chain (or by one source).
#[derive(Clone)]
pub struct AwsCredentials {
    access_key_id: String,
    secret_access_key: Zeroizing<String>,
    session_token: Option<Zeroizing<String>>,
    expiration: Option<i64>,
    source: String,
}

impl AwsCredentials {
    /// Checks the three by the core's credential rules (the same as signing's). `expiration` is
    /// unix seconds (`None`: long-term keys); `source` says where they came from (`environment`,
    /// `profile dev: credential_process`, `IMDS`, ...).
    pub fn new(
        access_key_id: &str,
        secret_access_key: &str,
        session_token: Option<&str>,
        expiration: Option<i64>,
        source: impl Into<String>,
    ) -> Result<AwsCredentials> {
        let source = source.into();
        iamauth::Credentials::new(access_key_id, secret_access_key, session_token)
            .map_err(|e| Error::from(e).context(&source))?;
        Ok(AwsCredentials {
            access_key_id: access_key_id.to_owned(),
            secret_access_key: Zeroizing::new(secret_access_key.to_owned()),
            session_token: session_token.map(|t| Zeroizing::new(t.to_owned())),
            expiration,
            source,
        })
    }

    /// The credentials, borrowed for signing (checked again by the core's rules, which they
    /// passed when found: this does not fail for credentials made by [`AwsCredentials::new`]).
    pub fn credentials(&self) -> iamauth::Result<iamauth::Credentials<'_>> {
        iamauth::Credentials::new(
            &self.access_key_id,
            &self.secret_access_key,
            self.session_token.as_deref().map(String::as_str),
        )
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key (to hand to a signer; never print it).
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref().map(String::as_str)
    }

    /// When they stop working, unix seconds; `None` for long-term keys.
    pub fn expiration(&self) -> Option<i64> {
        self.expiration
    }

    /// Which source answered.
    pub fn source(&self) -> &str {
        &self.source
    }
}

impl fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expiration", &self.expiration)
            .field("source", &self.source)
            .finish()
    }
}
