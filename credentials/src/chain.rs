//! The chain, in the AWS CLI's order: the environment, the profile (a role, web identity, SSO,
//! the credentials file's keys, `credential_process`, the config file's keys, as the profile
//! says), the container endpoint, IMDS. The first source that is configured answers; a
//! configured source that fails stops the chain with its error (as the AWS CLI does), and when
//! none is configured the error lists each source and why it was skipped.

use std::io::Read as _;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::found::AwsCredentials;
use crate::http::Tls;
use crate::profile::{self, CredentialSource, Plan};
use crate::settings::Settings;
use crate::{container, environment, imds, process, sso, sts};

/// The most bytes of a web identity token file read.
const MAX_WEB_IDENTITY_TOKEN: u64 = 64 * 1024;

/// Runs the chain once (no cache: see [`crate::CredentialsProvider`] for that).
pub fn resolve(settings: &Settings) -> Result<AwsCredentials> {
    settings.check_utf8()?;
    let tls = Tls::from_settings(settings)?;
    let mut skipped: Vec<String> = Vec::new();
    // The profile is read first, as botocore does: a named profile that does not exist, or a
    // malformed file, is an error even when the environment has keys.
    let plan = profile::plan(settings)?;
    if settings.explicit_profile().is_none() {
        match environment::read(settings)? {
            Some(found) => return Ok(found),
            None => skipped.push(
                "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set".to_owned(),
            ),
        }
    } else {
        skipped.push("environment: not read when a profile is named (--profile)".to_owned());
    }
    match plan {
        Some(plan) => return run(settings, &tls, &plan),
        None => skipped.push(format!(
            "profile {}: no credentials in the config or credentials file",
            settings.profile_name()
        )),
    }
    match container::read(settings, &tls)? {
        Some(found) => return Ok(found),
        None => skipped.push(
            "container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set"
                .to_owned(),
        ),
    }
    match imds::read(settings, &tls)? {
        imds::Outcome::Found(found) => return Ok(found),
        imds::Outcome::Skipped(why) => skipped.push(format!("IMDS: {why}")),
    }
    Err(Error::new(format!(
        "no credentials found; tried {}",
        skipped.join("; ")
    )))
}

/// Carries out what a profile says.
fn run(settings: &Settings, tls: &Tls, plan: &Plan) -> Result<AwsCredentials> {
    let described = plan.describe();
    match plan {
        Plan::Static {
            profile,
            file,
            access_key_id,
            secret_access_key,
            session_token,
        } => AwsCredentials::new(
            access_key_id,
            secret_access_key,
            session_token.as_deref().map(String::as_str),
            None,
            format!("profile {profile} ({})", file.source()),
        ),
        Plan::Process { profile, command } => process::run(command, profile, settings),
        Plan::AssumeRole {
            role_arn,
            external_id,
            role_session_name,
            duration_seconds,
            region,
            source,
            ..
        } => {
            let from = run(settings, tls, source)?;
            let session = role_session_name
                .clone()
                .unwrap_or_else(|| default_session_name(settings));
            sts::assume_role(
                settings,
                tls,
                &sts::AssumeRole {
                    role_arn,
                    role_session_name: &session,
                    external_id: external_id.as_deref(),
                    duration_seconds: *duration_seconds,
                    region: region.as_deref(),
                },
                &from,
                &described,
            )
        }
        Plan::CredentialSource { source, .. } => {
            let found = match source {
                CredentialSource::Environment => environment::read(settings)?,
                CredentialSource::Ec2InstanceMetadata => match imds::read(settings, tls)? {
                    imds::Outcome::Found(c) => Some(c),
                    imds::Outcome::Skipped(why) => {
                        return Err(Error::new(format!("{described}: IMDS: {why}")));
                    }
                },
                CredentialSource::EcsContainer => container::read(settings, tls)?,
            };
            found.ok_or_else(|| Error::new(format!("{described}: it has no credentials")))
        }
        Plan::WebIdentity {
            role_arn,
            token_file,
            role_session_name,
            region,
            ..
        } => {
            let token = read_token_file(token_file, &described)?;
            let session = role_session_name
                .clone()
                .unwrap_or_else(|| default_session_name(settings));
            sts::assume_role_with_web_identity(
                settings,
                tls,
                role_arn,
                &session,
                token.trim(),
                region.as_deref(),
                &described,
            )
        }
        Plan::Sso {
            profile,
            start_url,
            sso_region,
            account_id,
            role_name,
            session,
        } => sso::read(
            settings,
            tls,
            &sso::Sso {
                start_url,
                sso_region,
                account_id,
                role_name,
                session: session.as_deref(),
            },
            profile,
            &described,
        ),
    }
}

/// The session name STS is given when the profile names none (botocore's is
/// `botocore-session-<unix seconds>`).
fn default_session_name(settings: &Settings) -> String {
    format!("iamauth-session-{}", settings.now())
}

/// The web identity token (EKS writes a fresh one to this file every hour).
fn read_token_file(path: &std::path::Path, described: &str) -> Result<Zeroizing<String>> {
    let mut token = Zeroizing::new(String::new());
    let shown = path.display();
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(MAX_WEB_IDENTITY_TOKEN + 1)
                .read_to_string(&mut token)
        })
        .map_err(|e| {
            Error::new(format!(
                "{described}: the web identity token file {shown} cannot be read ({})",
                e.kind()
            ))
        })?;
    if token.len() as u64 > MAX_WEB_IDENTITY_TOKEN || token.trim().is_empty() {
        return Err(Error::new(format!(
            "{described}: the web identity token file {shown} is empty or larger than {MAX_WEB_IDENTITY_TOKEN} bytes"
        )));
    }
    Ok(token)
}
