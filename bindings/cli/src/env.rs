//! What the command reads from the environment: credentials and the region. Nothing else
//! does, so `demo` and `inspect` never see AWS_* variables. When credentials or a region are
//! missing it also looks (only looks: nothing is read) for what the AWS CLI would have used,
//! AWS_PROFILE and the shared files, to say that they are not read yet and what to do.

use crate::fail::{Failure, rule_of};
use iamauth::{EnvironmentCredentials, ErrorCode};
use std::ffi::OsString;
use std::path::PathBuf;

/// How to get credentials from wherever the AWS CLI finds them (a profile, SSO, an EC2 or ECS
/// role) into the environment, the one place this command reads them from.
const EXPORT: &str = "eval \"$(aws configure export-credentials --format env)\"";

/// What the command adds to core's missing-credentials message: it looks nowhere else, and how
/// to fill the environment in.
const ENVIRONMENT_ONLY: &str = "the iamauth command reads credentials from the environment only, so for a profile, SSO or an EC2/ECS role run";

/// The message for `--profile`, given any value: the command reads no profile yet.
pub(crate) fn profile_refused() -> Failure {
    Failure::new(
        ErrorCode::InvalidCredentials,
        "credentials: --profile is not supported yet (the iamauth command reads no profile, ~/.aws file or SSO cache); export the profile's credentials, then run iamauth without --profile: eval \"$(aws configure export-credentials --profile NAME --format env)\"",
    )
}

/// The home directory, as the AWS CLI finds `~`: HOME, else (Windows) USERPROFILE.
fn home() -> Option<PathBuf> {
    ["HOME", "USERPROFILE"]
        .into_iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// A file the AWS CLI reads that this command does not read yet.
struct SharedFile {
    /// The variable that moves it.
    variable: &'static str,
    /// Where it is otherwise, under the home directory.
    usual: &'static str,
}

/// The credentials file.
const CREDENTIALS_FILE: SharedFile = SharedFile {
    variable: "AWS_SHARED_CREDENTIALS_FILE",
    usual: "~/.aws/credentials",
};

/// The config file.
const CONFIG_FILE: SharedFile = SharedFile {
    variable: "AWS_CONFIG_FILE",
    usual: "~/.aws/config",
};

impl SharedFile {
    /// The file's name as the user set it up (`$AWS_CONFIG_FILE` when the variable moves it,
    /// never its value), when the file exists.
    fn found(&self) -> Option<String> {
        let (path, name) = match std::env::var_os(self.variable).filter(|v| !v.is_empty()) {
            Some(set) => (PathBuf::from(set), format!("${}", self.variable)),
            None => (PathBuf::from(self.usual), self.usual.to_owned()),
        };
        // The AWS CLI expands a leading `~` in both.
        let path = match (path.strip_prefix("~"), home()) {
            (Ok(rest), Some(home)) => home.join(rest),
            (Ok(_), None) => return None,
            (Err(_), _) => path,
        };
        path.is_file().then_some(name)
    }
}

/// What the user has set up for the AWS CLI that this command does not read yet (AWS_PROFILE,
/// then each of `files` that is there), as "A, B and C are not read yet". Names, never values.
fn not_read_yet(files: &[&SharedFile]) -> Option<String> {
    let mut found: Vec<String> = Vec::new();
    if std::env::var_os("AWS_PROFILE").is_some_and(|v| !v.is_empty()) {
        found.push("AWS_PROFILE".to_owned());
    }
    found.extend(files.iter().filter_map(|f| f.found()));
    let (last, rest) = found.split_last()?;
    Some(if rest.is_empty() {
        format!("{last} is not read yet")
    } else {
        format!("{} and {last} are not read yet", rest.join(", "))
    })
}

/// Core's missing-credentials failure, with where the command looks (only there), how to fill
/// that in, and what is set up but not read.
fn no_credentials(core: iamauth::Error) -> Failure {
    let mut message = format!("{}; {ENVIRONMENT_ONLY} {EXPORT}", core.message());
    if let Some(note) = not_read_yet(&[&CREDENTIALS_FILE, &CONFIG_FILE]) {
        message.push_str(" (");
        message.push_str(&note);
        message.push(')');
    }
    Failure::new(core.code(), message)
}

/// The missing-region failure: core's (for a host) or the command's own (a cache name names
/// none), then every way to give one.
fn no_region(core: Option<iamauth::Error>) -> Failure {
    let mut message = match core {
        Some(e) => format!(
            "{}; use --region REGION, AWS_REGION or AWS_DEFAULT_REGION",
            e.message()
        ),
        None => "region: not given; use --region REGION, AWS_REGION or AWS_DEFAULT_REGION (a cache name names no region)".to_owned(),
    };
    if let Some(note) = not_read_yet(&[&CONFIG_FILE]) {
        message.push_str("; ");
        message.push_str(&note);
        // The AWS CLI reads them (AWS_PROFILE included) and can say.
        message.push_str(" (--region \"$(aws configure get region)\" asks the AWS CLI)");
    }
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

/// The credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, read and
/// checked by core; when they are missing, core's message says what the command adds.
pub(crate) fn credentials() -> Result<EnvironmentCredentials, Failure> {
    EnvironmentCredentials::from_env().map_err(|e| {
        // Core's error for "nothing is set", asked of core so that its text lives there only.
        let missing = EnvironmentCredentials::from_lookup(|_| None).err();
        if Some(e) == missing {
            no_credentials(e)
        } else {
            e.into()
        }
    })
}

/// The region: `--region`, else AWS_REGION, else AWS_DEFAULT_REGION, else (when given a host)
/// the one core reads from an RDS or DSQL endpoint name. A given value goes to core unchecked.
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
    match host {
        Some(host) => iamauth::region_or_from_host(None, host)
            .map(str::to_owned)
            .map_err(|e| no_region(Some(e))),
        None => Err(no_region(None)),
    }
}
