//! The first source: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and
//! `AWS_CREDENTIAL_EXPIRATION` (RFC 3339), read by the core's one environment reader.

use crate::error::{Error, Result};
use crate::found::AwsCredentials;
use crate::settings::Settings;

/// `Ok(None)` when neither key is set (the chain goes on); an error when only one is, or a
/// value breaks a rule (as the AWS CLI stops there too).
pub(crate) fn read(settings: &Settings) -> Result<Option<AwsCredentials>> {
    let id = settings.var(iamauth::ENV_ACCESS_KEY_ID);
    let secret = settings.var(iamauth::ENV_SECRET_ACCESS_KEY);
    if id.is_none() && secret.is_none() {
        return Ok(None);
    }
    let env = iamauth::EnvironmentCredentials::from_lookup(|name| settings.var(name))?;
    let expiration = settings
        .var("AWS_CREDENTIAL_EXPIRATION")
        .map(|t| {
            iamauth::parse_time(&t).map_err(|_| {
                Error::new("environment: AWS_CREDENTIAL_EXPIRATION is not an RFC 3339 time")
            })
        })
        .transpose()?;
    let c = env.credentials();
    AwsCredentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        c.session_token(),
        expiration,
        "environment",
    )
    .map(Some)
}
