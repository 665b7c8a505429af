//! What the command reads from the environment: credentials and the region. Nothing else
//! does, so `demo` and `inspect` never see AWS_* variables.

use crate::fail::{Failure, rule_of};
use iamauth::{Credentials, ErrorCode};
use std::ffi::OsString;

/// The message for missing credentials: says where the command looks, since it looks nowhere else.
const NO_CREDENTIALS: &str = "credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the iamauth command reads credentials from the environment)";

/// The message when no source names a region (never a silent default: a wrong region only
/// fails later, at connect time, with a vaguer error).
const NO_REGION: &str = "region: not given; use --region, AWS_REGION or AWS_DEFAULT_REGION (it could not be read from the host)";

/// A variable's value; `None` when unset or empty, as the AWS CLI treats empty ones.
/// `Err(())` when it is not UTF-8 (the value itself is never shown).
fn var(name: &str) -> Result<Option<String>, ()> {
    match std::env::var_os(name).map(OsString::into_string) {
        None => Ok(None),
        Some(Ok(v)) if v.is_empty() => Ok(None),
        Some(Ok(v)) => Ok(Some(v)),
        Some(Err(_)) => Err(()),
    }
}

/// Credentials as found in the environment, owned until signing borrows them.
pub(crate) struct EnvCredentials {
    /// AWS_ACCESS_KEY_ID.
    access_key_id: String,
    /// AWS_SECRET_ACCESS_KEY.
    secret_access_key: String,
    /// AWS_SESSION_TOKEN, when set and not empty.
    session_token: Option<String>,
}

impl EnvCredentials {
    /// Reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
    pub(crate) fn read() -> Result<EnvCredentials, Failure> {
        let not_utf8 = |_| {
            Failure::new(
                ErrorCode::InvalidCredentials,
                "credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN must be UTF-8",
            )
        };
        let access_key_id = var("AWS_ACCESS_KEY_ID").map_err(not_utf8)?;
        let secret_access_key = var("AWS_SECRET_ACCESS_KEY").map_err(not_utf8)?;
        let session_token = var("AWS_SESSION_TOKEN").map_err(not_utf8)?;
        match (access_key_id, secret_access_key) {
            (Some(access_key_id), Some(secret_access_key)) => Ok(EnvCredentials {
                access_key_id,
                secret_access_key,
                session_token,
            }),
            _ => Err(Failure::new(ErrorCode::InvalidCredentials, NO_CREDENTIALS)),
        }
    }

    /// The credentials, checked by core (its error as is).
    pub(crate) fn get(&self) -> Result<Credentials<'_>, Failure> {
        Ok(Credentials::new(
            &self.access_key_id,
            &self.secret_access_key,
            self.session_token.as_deref(),
        )?)
    }
}

/// The region: `--region`, else AWS_REGION, else AWS_DEFAULT_REGION, else (when given a host)
/// what core reads from an RDS or DSQL endpoint name. A given value goes to core unchecked.
pub(crate) fn region(given: Option<&str>, host: Option<&str>) -> Result<String, Failure> {
    if let Some(region) = given {
        return Ok(region.to_owned());
    }
    for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        let value = var(name).map_err(|()| {
            rule_of(
                iamauth::check_region(""),
                ErrorCode::InvalidRegion,
                "region",
            )
        })?;
        if let Some(region) = value {
            return Ok(region);
        }
    }
    host.and_then(iamauth::region_from_host)
        .map(str::to_owned)
        .ok_or_else(|| Failure::new(ErrorCode::InvalidRegion, NO_REGION))
}
