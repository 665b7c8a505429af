//! What the command reads from its surroundings: credentials, found by the AWS credential chain
//! (`iamauth-credentials`: the environment, the profile, web identity, the container endpoint,
//! IMDS, as the AWS CLI finds them), and the region. Nothing else does, so `demo`, `inspect` and
//! `verify` never see AWS_* variables or the shared files.

use crate::args::{Matches, PROFILE};
use crate::fail::{Failure, rule_of};
use iamauth::ErrorCode;
use iamauth_credentials::{AwsCredentials, Settings};
use std::ffi::OsString;

/// Where the chain looks: the process's environment and clock, and the profile given with
/// `--profile` (which, as in the AWS CLI, wins over AWS_PROFILE and sets the environment's
/// keys aside). An empty name is refused: it names no profile.
pub(crate) fn settings(m: &Matches) -> Result<Settings, Failure> {
    let settings = Settings::from_process();
    match m.value(&PROFILE) {
        None => Ok(settings),
        Some("") => Err(Failure::new(
            ErrorCode::InvalidCredentials,
            "profile: must not be empty",
        )),
        Some(name) => Ok(settings.profile(name)),
    }
}

/// The chain's error as it is: its code and its message (which names sources, files and
/// profiles, never a secret).
fn chain_failure(e: &iamauth_credentials::Error) -> Failure {
    Failure::new(e.code(), e.message().to_owned())
}

/// The credentials the chain finds, refused when their expiration has passed by the real
/// clock (whatever `--time` says: the database would refuse every token made with them). The
/// rule is core's `reuse_until`: expired when the expiration is not after now.
pub(crate) fn credentials(settings: &Settings) -> Result<AwsCredentials, Failure> {
    let found = iamauth_credentials::resolve(settings).map_err(|e| chain_failure(&e))?;
    if let Some(expiration) = found.expiration() {
        if expiration <= iamauth::now() {
            let when = iamauth::format_rfc3339(expiration)
                .unwrap_or_else(|_| format!("unix {expiration}"));
            return Err(Failure::new(
                ErrorCode::InvalidCredentials,
                format!(
                    "credentials: expired at {when} (from {}); refresh them and try again",
                    found.source()
                ),
            ));
        }
    }
    Ok(found)
}

/// The missing-region failure: core's (for a host) or the command's own (a cache name names
/// none), then every way to give one.
fn no_region(core: Option<iamauth::Error>) -> Failure {
    const WAYS: &str =
        "use --region REGION, AWS_REGION, AWS_DEFAULT_REGION or the profile's region";
    let message = match core {
        Some(e) => format!("{}; {WAYS}", e.message()),
        None => format!("region: not given; {WAYS} (a cache name names no region)"),
    };
    Failure::new(ErrorCode::InvalidRegion, message)
}

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

/// The region: `--region`, else AWS_REGION, else AWS_DEFAULT_REGION, else the `region` of the
/// profile in use (`settings`: `--profile`, else AWS_PROFILE, else `default`), else (when given
/// a host) the one core reads from an RDS or DSQL endpoint name. A value found goes to core
/// unchecked.
pub(crate) fn region(
    given: Option<&str>,
    host: Option<&str>,
    settings: &Settings,
) -> Result<String, Failure> {
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
    if let Some(region) = iamauth_credentials::region(settings).map_err(|e| chain_failure(&e))? {
        return Ok(region);
    }
    match host {
        Some(host) => iamauth::region_or_from_host(None, host)
            .map(str::to_owned)
            .map_err(|e| no_region(Some(e))),
        None => Err(no_region(None)),
    }
}
