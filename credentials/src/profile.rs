//! What the profile in use says to do for credentials, decided as botocore's credential chain
//! decides it, without doing it: a [`Plan`] the chain then carries out (STS, SSO, IMDS, the
//! container endpoint and `credential_process` are the chain's).
//!
//! For one profile, botocore's order (`create_credential_resolver`, after the environment's
//! keys, which are the chain's):
//! 1. `role_arn` without `web_identity_token_file`: assume the role, from `source_profile` or
//!    `credential_source` (`AssumeRoleProvider`);
//! 2. `web_identity_token_file` (`AWS_WEB_IDENTITY_TOKEN_FILE`), with `role_arn`
//!    (`AWS_ROLE_ARN`) and `role_session_name` (`AWS_ROLE_SESSION_NAME`): each variable wins over
//!    its key, and the variables alone are enough, unless the profile was named with
//!    [`Settings::profile`] (then they are not read);
//! 3. `sso_account_id` or `sso_role_name`: SSO, with `sso_session` or the legacy keys;
//! 4. `aws_access_key_id` in the credentials file's section;
//! 5. `login_session` (`aws login`): not supported, an error rather than another source;
//! 6. `credential_process`;
//! 7. `aws_access_key_id` in the config file's profile.
//!
//! A profile's keys are the config file's `[profile NAME]` (or `[default]`) with the
//! credentials file's `[NAME]` over them, key by key (botocore's `Session.full_config`), except
//! for the static keys of steps 4 and 7, each read from its own file.
//!
//! A source profile is itself resolved by steps 2 to 7 (the environment not read), unless it
//! has `role_arn` (and no static key): then its own role is assumed first, and so on, with
//! botocore's cycle rule: a profile may name itself as its source only to use its own static
//! keys.

use std::fmt;
use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::ini::{FileKind, Section, SharedFiles, Value};
use crate::settings::Settings;

/// Where an assumed role's source credentials come from without a source profile
/// (`credential_source`, spelled exactly as botocore's canonical names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CredentialSource {
    /// `Environment`: the environment's keys.
    Environment,
    /// `Ec2InstanceMetadata`: IMDS.
    Ec2InstanceMetadata,
    /// `EcsContainer`: the container credentials endpoint.
    EcsContainer,
}

impl CredentialSource {
    /// The value as written in the file.
    pub(crate) fn name(self) -> &'static str {
        match self {
            CredentialSource::Environment => "Environment",
            CredentialSource::Ec2InstanceMetadata => "Ec2InstanceMetadata",
            CredentialSource::EcsContainer => "EcsContainer",
        }
    }

    /// Reads a `credential_source` value (case as written: botocore's `is_supported` compares
    /// exactly).
    fn parse(value: &str) -> Option<CredentialSource> {
        [
            CredentialSource::Environment,
            CredentialSource::Ec2InstanceMetadata,
            CredentialSource::EcsContainer,
        ]
        .into_iter()
        .find(|s| s.name() == value)
    }
}

/// What a profile says to do for credentials.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Plan {
    /// `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token` (or the older
    /// `aws_security_token`, which wins) in the credentials file (source
    /// `shared-credentials-file`) or the config file (`config-file`).
    Static {
        /// The profile.
        profile: String,
        /// The file the keys are in.
        file: FileKind,
        /// `aws_access_key_id`.
        access_key_id: String,
        /// `aws_secret_access_key`.
        secret_access_key: Zeroizing<String>,
        /// `aws_security_token`, else `aws_session_token` (empty: none).
        session_token: Option<Zeroizing<String>>,
    },
    /// `credential_process`: run it ([`crate::process::run`]).
    Process {
        /// The profile.
        profile: String,
        /// The command line, as written.
        command: String,
    },
    /// `role_arn`: call STS AssumeRole with the source's credentials.
    AssumeRole {
        /// The profile with `role_arn`.
        profile: String,
        /// `role_arn`.
        role_arn: String,
        /// `external_id`.
        external_id: Option<String>,
        /// `role_session_name` (none: the chain makes one, as botocore's `botocore-session-<unix time>`).
        role_session_name: Option<String>,
        /// `duration_seconds`.
        duration_seconds: Option<u32>,
        /// The `region` of the profile in use (not of this one, for a chained role: botocore
        /// makes every STS client with the session's region), for STS's endpoint.
        region: Option<String>,
        /// Where the credentials that call AssumeRole come from.
        source: Box<Plan>,
    },
    /// `credential_source`: the source credentials of an assumed role.
    CredentialSource {
        /// The profile with `role_arn` and `credential_source`.
        profile: String,
        /// Which source.
        source: CredentialSource,
    },
    /// `web_identity_token_file` (or `AWS_WEB_IDENTITY_TOKEN_FILE`): STS
    /// AssumeRoleWithWebIdentity with the token read from the file.
    WebIdentity {
        /// The profile (the profile in use when only the variables said so).
        profile: String,
        /// `role_arn` or `AWS_ROLE_ARN`.
        role_arn: String,
        /// The token's file, as written (botocore does not expand `~` in it).
        token_file: PathBuf,
        /// `role_session_name` or `AWS_ROLE_SESSION_NAME`.
        role_session_name: Option<String>,
        /// The `region` of the profile in use, for STS's endpoint.
        region: Option<String>,
    },
    /// `sso_account_id` / `sso_role_name`: SSO GetRoleCredentials with the cached token.
    Sso {
        /// The profile.
        profile: String,
        /// `sso_start_url` (of the profile, or of its `[sso-session]`).
        start_url: String,
        /// `sso_region` (likewise).
        sso_region: String,
        /// `sso_account_id`.
        account_id: String,
        /// `sso_role_name`.
        role_name: String,
        /// `sso_session`'s name; `None`: the legacy keys (token cached by start URL).
        session: Option<String>,
    },
}

impl Plan {
    /// The profile this step belongs to.
    pub(crate) fn profile(&self) -> &str {
        match self {
            Plan::Static { profile, .. }
            | Plan::Process { profile, .. }
            | Plan::AssumeRole { profile, .. }
            | Plan::CredentialSource { profile, .. }
            | Plan::WebIdentity { profile, .. }
            | Plan::Sso { profile, .. } => profile,
        }
    }

    /// One line for people and logs, without secrets: `profile dev: assume role
    /// arn:aws:iam::123:role/x from profile base (shared-credentials-file)`.
    pub(crate) fn describe(&self) -> String {
        format!("profile {}: {}", self.profile(), self.what())
    }

    /// What the step does, without its profile.
    fn what(&self) -> String {
        match self {
            Plan::Static { file, .. } => format!("static keys ({})", file.source()),
            Plan::Process { .. } => "credential_process".to_owned(),
            Plan::AssumeRole {
                role_arn, source, ..
            } => format!("assume role {role_arn} from {}", source.origin()),
            Plan::CredentialSource { source, .. } => {
                format!("credential_source {}", source.name())
            }
            Plan::WebIdentity {
                role_arn,
                token_file,
                ..
            } => format!(
                "assume role {role_arn} with the web identity token in {}",
                token_file.display()
            ),
            Plan::Sso {
                account_id,
                role_name,
                start_url,
                ..
            } => format!("SSO role {role_name} in account {account_id} ({start_url})"),
        }
    }

    /// A source, as the step that uses it names it.
    fn origin(&self) -> String {
        match self {
            Plan::CredentialSource { source, .. } => format!("credential_source {}", source.name()),
            Plan::Static { profile, file, .. } => format!("profile {profile} ({})", file.source()),
            other => format!("profile {} ({})", other.profile(), other.what()),
        }
    }
}

impl fmt::Debug for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // No secrets: the description only.
        write!(f, "Plan({})", self.describe())
    }
}

/// The plan of the profile in use (see the module's doc): `Ok(None)` when it says nothing
/// about credentials, or is `default` and does not exist (the chain goes on to the container
/// endpoint and IMDS). A profile asked for ([`Settings::profile`], `AWS_PROFILE`,
/// `AWS_DEFAULT_PROFILE`, `default` too) that is in neither file is an error, as botocore's
/// `ProfileNotFound`.
pub(crate) fn plan(settings: &Settings) -> Result<Option<Plan>> {
    let files = SharedFiles::load(settings)?;
    plan_with(settings, &files)
}

/// [`plan`] with the files already read.
pub(crate) fn plan_with(settings: &Settings, files: &SharedFiles) -> Result<Option<Plan>> {
    let name = settings.profile_name();
    let asked = settings.explicit_profile().is_some()
        || settings.var("AWS_PROFILE").is_some()
        || settings.var("AWS_DEFAULT_PROFILE").is_some();
    let profile = match files.profile(&name) {
        Some(profile) => profile,
        None if asked => {
            return Err(Error::new(format!(
                "profile {name}: not found in {} and {}",
                files.path_of(FileKind::Config),
                files.path_of(FileKind::Credentials)
            )));
        }
        None => Section::new(),
    };
    let mut resolver = Resolver {
        settings,
        files,
        region: text(&profile, "region", &name)?.map(str::to_owned),
        visited: vec![name.clone()],
        top: name.clone(),
    };
    if has_role(&profile) {
        return resolver.assume_role(&name, &profile).map(Some);
    }
    resolver.providers(&name, &profile, settings.explicit_profile().is_none())
}

/// Where an assumed role's source credentials come from.
enum Source<'s> {
    /// `source_profile`.
    Profile(&'s str),
    /// `credential_source`.
    Named(CredentialSource),
}

/// The walk through one profile and its sources.
struct Resolver<'a> {
    /// The environment (for web identity's variables).
    settings: &'a Settings,
    /// The shared files.
    files: &'a SharedFiles,
    /// The profile in use's `region`.
    region: Option<String>,
    /// The profiles whose role is being assumed, in order (botocore's `_visited_profiles`).
    visited: Vec<String>,
    /// The profile in use (for messages about cycles).
    top: String,
}

/// A key's text; a nested section where a value is expected is an error naming the key.
fn text<'s>(section: &'s Section, key: &str, profile: &str) -> Result<Option<&'s str>> {
    match section.get(key) {
        None => Ok(None),
        Some(Value::Text(t)) => Ok(Some(t.as_str())),
        Some(Value::Nested(_)) => Err(Error::new(format!(
            "profile {profile}: {key} is an indented block, not a value"
        ))),
    }
}

/// botocore's `_has_assume_role_config_vars`.
fn has_role(profile: &Section) -> bool {
    profile.contains_key("role_arn") && !profile.contains_key("web_identity_token_file")
}

/// botocore's `_has_static_credentials` (either key is enough).
fn has_static(profile: &Section) -> bool {
    profile.contains_key("aws_access_key_id") || profile.contains_key("aws_secret_access_key")
}

impl Resolver<'_> {
    /// botocore's `_load_creds_via_assume_role` for a profile with `role_arn`.
    fn assume_role(&mut self, name: &str, profile: &Section) -> Result<Plan> {
        let fail = |why: String| Error::new(format!("profile {name}: {why}"));
        let role_arn = text(profile, "role_arn", name)?
            .unwrap_or_default()
            .to_owned();
        let source_profile = text(profile, "source_profile", name)?;
        let credential_source = text(profile, "credential_source", name)?;
        let duration_seconds = match text(profile, "duration_seconds", name)? {
            None => None,
            Some(d) => Some(parse_duration(d).ok_or_else(|| {
                fail("duration_seconds is not a whole number of seconds".to_owned())
            })?),
        };
        let source = match (source_profile, credential_source) {
            (Some(_), Some(_)) => {
                return Err(fail(
                    "has both source_profile and credential_source; role_arn takes one".to_owned(),
                ));
            }
            (None, None) => {
                return Err(fail(
                    "role_arn needs source_profile or credential_source".to_owned(),
                ));
            }
            (None, Some(value)) => match CredentialSource::parse(value) {
                Some(source) => Source::Named(source),
                None => {
                    return Err(fail(format!(
                        "credential_source {value} is not Environment, Ec2InstanceMetadata or EcsContainer"
                    )));
                }
            },
            (Some(source), None) => {
                self.check_source_profile(name, source)?;
                Source::Profile(source)
            }
        };
        if profile.contains_key("mfa_serial") {
            return Err(fail(
                "mfa_serial is not supported: there is no prompt for an MFA code here (get a session with the code first, e.g. from credential_process)"
                    .to_owned(),
            ));
        }
        let source = match source {
            Source::Named(source) => Plan::CredentialSource {
                profile: name.to_owned(),
                source,
            },
            Source::Profile(source_profile) => {
                self.visited.push(source_profile.to_owned());
                self.source_plan(name, source_profile)?
            }
        };
        Ok(Plan::AssumeRole {
            profile: name.to_owned(),
            role_arn,
            external_id: text(profile, "external_id", name)?.map(str::to_owned),
            role_session_name: text(profile, "role_session_name", name)?.map(str::to_owned),
            duration_seconds,
            region: self.region.clone(),
            source: Box::new(source),
        })
    }

    /// botocore's `_validate_source_profile`: it exists, and naming a profile already on the
    /// way is a cycle, unless a profile names itself and has static keys.
    fn check_source_profile(&self, parent: &str, source: &str) -> Result<()> {
        let Some(profile) = self.files.profile(source) else {
            return Err(Error::new(format!(
                "profile {parent}: source_profile {source} is in neither {} nor {}",
                self.files.path_of(FileKind::Config),
                self.files.path_of(FileKind::Credentials)
            )));
        };
        if !self.visited.iter().any(|v| v == source) || (source == parent && has_static(&profile)) {
            return Ok(());
        }
        let mut cycle = self.visited.clone();
        cycle.push(source.to_owned());
        Err(Error::new(format!(
            "profile {}: source_profile cycle: {}",
            self.top,
            cycle.join(" -> ")
        )))
    }

    /// botocore's `_resolve_credentials_from_profile`: a source profile's own providers, or
    /// its role when it has one and no static key.
    fn source_plan(&mut self, parent: &str, name: &str) -> Result<Plan> {
        let profile = self.files.profile(name).unwrap_or_default();
        if has_static(&profile) || !has_role(&profile) {
            return self.providers(name, &profile, false)?.ok_or_else(|| {
                Error::new(format!(
                    "profile {parent}: its source_profile {name} has no credentials"
                ))
            });
        }
        self.assume_role(name, &profile)
    }

    /// botocore's `ProfileProviderBuilder.providers`, in order; `env` says whether the web
    /// identity variables are read.
    fn providers(&self, name: &str, profile: &Section, env: bool) -> Result<Option<Plan>> {
        if let Some(plan) = self.web_identity(name, profile, env)? {
            return Ok(Some(plan));
        }
        if let Some(plan) = self.sso(name, profile)? {
            return Ok(Some(plan));
        }
        if let Some(section) = self.files.credentials_profile(name) {
            if let Some(plan) = self.static_keys(name, section, FileKind::Credentials)? {
                return Ok(Some(plan));
            }
        }
        if profile.contains_key("login_session") {
            return Err(Error::new(format!(
                "profile {name}: login_session (aws login) is not supported"
            )));
        }
        if let Some(command) = text(profile, "credential_process", name)? {
            return Ok(Some(Plan::Process {
                profile: name.to_owned(),
                command: command.to_owned(),
            }));
        }
        if let Some(section) = self.files.config_profile(name) {
            return self.static_keys(name, section, FileKind::Config);
        }
        Ok(None)
    }

    /// botocore's `AssumeRoleWithWebIdentityProvider`: each variable (when read) wins over its
    /// key; no token file (or an empty one) is no plan; a token file without a role is an
    /// error.
    fn web_identity(&self, name: &str, profile: &Section, env: bool) -> Result<Option<Plan>> {
        let get = |key: &str, variable: &str| -> Result<Option<String>> {
            if env {
                if let Some(value) = self.settings.var(variable) {
                    return Ok(Some(value));
                }
            }
            Ok(text(profile, key, name)?.map(str::to_owned))
        };
        let Some(token_file) = get("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE")?
            .filter(|t| !t.is_empty())
        else {
            return Ok(None);
        };
        let Some(role_arn) = get("role_arn", "AWS_ROLE_ARN")?.filter(|r| !r.is_empty()) else {
            return Err(Error::new(format!(
                "profile {name}: a web identity token file is set but no role (role_arn in the profile, or AWS_ROLE_ARN)"
            )));
        };
        Ok(Some(Plan::WebIdentity {
            profile: name.to_owned(),
            role_arn,
            token_file: PathBuf::from(token_file),
            role_session_name: get("role_session_name", "AWS_ROLE_SESSION_NAME")?,
            region: self.region.clone(),
        }))
    }

    /// botocore's `SSOProvider._load_sso_config`: on when `sso_role_name` or `sso_account_id`
    /// is set; `sso_session` names an `[sso-session]` whose keys join the profile's (a key in
    /// both must agree); then the four keys (and `sso_session`) must all be there.
    fn sso(&self, name: &str, profile: &Section) -> Result<Option<Plan>> {
        if !profile.contains_key("sso_role_name") && !profile.contains_key("sso_account_id") {
            return Ok(None);
        }
        let fail = |why: String| Error::new(format!("profile {name}: {why}"));
        let mut config = profile.clone();
        let session = text(profile, "sso_session", name)?;
        if let Some(session) = session {
            let Some(keys) = self.files.sso_session(session) else {
                return Err(fail(format!(
                    "sso_session {session}: there is no [sso-session {session}] in {}",
                    self.files.path_of(FileKind::Config)
                )));
            };
            for (key, value) in keys {
                if let Some(own) = config.get(key) {
                    if own != value {
                        let show = |v: &Value| v.text().unwrap_or("(an indented block)").to_owned();
                        return Err(fail(format!(
                            "{key} is {} in the profile but {} in [sso-session {session}]",
                            show(own),
                            show(value)
                        )));
                    }
                }
                config.insert(key.clone(), value.clone());
            }
        }
        let mut required = vec![
            "sso_role_name",
            "sso_account_id",
            "sso_start_url",
            "sso_region",
        ];
        if session.is_some() {
            required.push("sso_session");
        }
        let missing: Vec<&str> = required
            .into_iter()
            .filter(|key| !config.contains_key(*key))
            .collect();
        if !missing.is_empty() {
            return Err(fail(format!(
                "configured for SSO but missing {}",
                missing.join(", ")
            )));
        }
        let get = |key: &str| -> Result<String> {
            Ok(text(&config, key, name)?.unwrap_or_default().to_owned())
        };
        Ok(Some(Plan::Sso {
            profile: name.to_owned(),
            start_url: get("sso_start_url")?,
            sso_region: get("sso_region")?,
            account_id: get("sso_account_id")?,
            role_name: get("sso_role_name")?,
            session: session.map(str::to_owned),
        }))
    }

    /// `SharedCredentialProvider` / `ConfigProvider`: on when `aws_access_key_id` is in the
    /// file's section; then `aws_secret_access_key` must be too.
    fn static_keys(&self, name: &str, section: &Section, file: FileKind) -> Result<Option<Plan>> {
        let Some(access_key_id) = text(section, "aws_access_key_id", name)? else {
            return Ok(None);
        };
        let Some(secret) = text(section, "aws_secret_access_key", name)? else {
            return Err(Error::new(format!(
                "profile {name}: aws_access_key_id without aws_secret_access_key in {}",
                self.files.path_of(file)
            )));
        };
        let token = match text(section, "aws_security_token", name)? {
            Some(token) => Some(token),
            None => text(section, "aws_session_token", name)?,
        };
        Ok(Some(Plan::Static {
            profile: name.to_owned(),
            file,
            access_key_id: access_key_id.to_owned(),
            secret_access_key: Zeroizing::new(secret.to_owned()),
            session_token: token
                .filter(|t| !t.is_empty())
                .map(|t| Zeroizing::new(t.to_owned())),
        }))
    }
}

/// `duration_seconds` as a number of seconds (digits, an optional `+`, spaces around).
fn parse_duration(value: &str) -> Option<u32> {
    let digits = value.trim();
    let digits = digits.strip_prefix('+').unwrap_or(digits);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static COUNTER: AtomicUsize = AtomicUsize::new(0);

    /// Settings over a fresh directory holding these two files (`None`: no such file).
    fn setup(config: Option<&str>, creds: Option<&str>, vars: &[(&str, &str)]) -> Settings {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("iamauth-profile-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config_path = dir.join("config");
        let creds_path = dir.join("credentials");
        if let Some(text) = config {
            std::fs::write(&config_path, text).unwrap();
        }
        if let Some(text) = creds {
            std::fs::write(&creds_path, text).unwrap();
        }
        let mut all: Vec<(String, String)> = vec![
            ("HOME".into(), dir.display().to_string()),
            ("AWS_CONFIG_FILE".into(), config_path.display().to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".into(),
                creds_path.display().to_string(),
            ),
        ];
        all.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        Settings::from_vars(all)
    }

    /// The plan, the directory removed after.
    fn plan_in(s: &Settings) -> Result<Option<Plan>> {
        let r = plan(s);
        std::fs::remove_dir_all(s.var("HOME").unwrap()).unwrap();
        r
    }

    fn plan_of(config: &str, creds: &str, vars: &[(&str, &str)]) -> Result<Option<Plan>> {
        plan_in(&setup(Some(config), Some(creds), vars))
    }

    fn ok(config: &str, creds: &str, vars: &[(&str, &str)]) -> Plan {
        plan_of(config, creds, vars).unwrap().expect("a plan")
    }

    fn err(config: &str, creds: &str, vars: &[(&str, &str)]) -> String {
        plan_of(config, creds, vars)
            .unwrap_err()
            .message()
            .to_owned()
    }

    fn stat(profile: &str, file: FileKind, id: &str, token: Option<&str>) -> Plan {
        Plan::Static {
            profile: profile.into(),
            file,
            access_key_id: id.into(),
            secret_access_key: Zeroizing::new("s".into()),
            session_token: token.map(|t| Zeroizing::new(t.into())),
        }
    }

    const DEV: &[(&str, &str)] = &[("AWS_PROFILE", "dev")];

    #[test]
    fn no_files_no_plan() {
        assert_eq!(plan_in(&setup(None, None, &[])).unwrap(), None);
        assert_eq!(plan_of("", "", &[]).unwrap(), None);
        // default exists but says nothing about credentials.
        assert_eq!(
            plan_of("[default]\nregion = eu-west-1\n", "", &[]).unwrap(),
            None
        );
    }

    #[test]
    fn named_profile_must_exist() {
        let e = err("[profile x]\n", "[y]\n", DEV);
        assert!(
            e.starts_with("profile dev: not found in /") && e.contains("/config and /"),
            "{e}"
        );
        // Named default too (AWS_PROFILE=default), and with Settings::profile.
        assert!(
            err("", "", &[("AWS_PROFILE", "default")]).starts_with("profile default: not found")
        );
        let s = setup(Some(""), Some(""), &[]).profile("p");
        assert!(
            plan_in(&s)
                .unwrap_err()
                .message()
                .starts_with("profile p: not found")
        );
        // In the credentials file only is enough.
        assert_eq!(plan_of("", "[dev]\nregion = x\n", DEV).unwrap(), None);
        // `[dev]` in the config file is not a profile.
        assert!(err("[dev]\naws_access_key_id = A\n", "", DEV).contains("not found"));
    }

    #[test]
    fn static_from_credentials_file() {
        let p = ok(
            "",
            "[default]\naws_access_key_id = A\naws_secret_access_key = s\n",
            &[],
        );
        assert_eq!(p, stat("default", FileKind::Credentials, "A", None));
        assert_eq!(
            p.describe(),
            "profile default: static keys (shared-credentials-file)"
        );
        // aws_security_token wins over aws_session_token.
        let p = ok(
            "",
            "[dev]\naws_access_key_id = A\naws_secret_access_key = s\naws_session_token = t2\naws_security_token = t1\n",
            DEV,
        );
        assert_eq!(p, stat("dev", FileKind::Credentials, "A", Some("t1")));
    }

    #[test]
    fn static_from_config_file_and_precedence() {
        let p = ok(
            "[profile dev]\naws_access_key_id = C\naws_secret_access_key = s\naws_session_token = t\n",
            "",
            DEV,
        );
        assert_eq!(p, stat("dev", FileKind::Config, "C", Some("t")));
        // The credentials file's keys come before the config file's.
        let p = ok(
            "[profile dev]\naws_access_key_id = C\naws_secret_access_key = s\n",
            "[dev]\naws_access_key_id = K\naws_secret_access_key = s\n",
            DEV,
        );
        assert_eq!(p, stat("dev", FileKind::Credentials, "K", None));
        // credential_process comes between them.
        let p = ok(
            "[profile dev]\naws_access_key_id = C\naws_secret_access_key = s\ncredential_process = /bin/creds --x\n",
            "",
            DEV,
        );
        assert_eq!(
            p,
            Plan::Process {
                profile: "dev".into(),
                command: "/bin/creds --x".into()
            }
        );
        let p = ok(
            "[profile dev]\ncredential_process = /bin/creds\n",
            "[dev]\naws_access_key_id = K\naws_secret_access_key = s\n",
            DEV,
        );
        assert_eq!(p, stat("dev", FileKind::Credentials, "K", None));
        // credential_process in the credentials file counts too (the merged profile).
        let p = ok("", "[dev]\ncredential_process = run me\n", DEV);
        assert_eq!(p.describe(), "profile dev: credential_process");
    }

    #[test]
    fn default_and_profile_default() {
        // The later section wins, whole.
        let p = ok(
            "[default]\naws_access_key_id = D\naws_secret_access_key = s\n[profile default]\naws_access_key_id = P\naws_secret_access_key = s\n",
            "",
            &[],
        );
        assert_eq!(p, stat("default", FileKind::Config, "P", None));
        let p = ok(
            "[profile default]\naws_access_key_id = P\naws_secret_access_key = s\n[default]\naws_access_key_id = D\naws_secret_access_key = s\n",
            "",
            &[],
        );
        assert_eq!(p, stat("default", FileKind::Config, "D", None));
    }

    #[test]
    fn partial_static_keys() {
        let e = err("", "[dev]\naws_access_key_id = AKIDSECRETLOOKING\n", DEV);
        assert!(
            e.starts_with("profile dev: aws_access_key_id without aws_secret_access_key in /"),
            "{e}"
        );
        assert!(
            e.ends_with("/credentials") && !e.contains("AKIDSECRET"),
            "{e}"
        );
        let e = err("[profile dev]\naws_access_key_id = A\n", "", DEV);
        assert!(e.ends_with("/config"), "{e}");
        // A secret without an id is no static keys at all (botocore looks for the id).
        assert_eq!(
            plan_of("", "[dev]\naws_secret_access_key = s\n", DEV).unwrap(),
            None
        );
    }

    #[test]
    fn assume_role_from_static_source() {
        let p = ok(
            "[profile dev]\nrole_arn = arn:aws:iam::123:role/x\nsource_profile = base\nregion = eu-west-1\nexternal_id = ext\nrole_session_name = me\nduration_seconds = 3600\n",
            "[base]\naws_access_key_id = B\naws_secret_access_key = s\n",
            DEV,
        );
        assert_eq!(
            p,
            Plan::AssumeRole {
                profile: "dev".into(),
                role_arn: "arn:aws:iam::123:role/x".into(),
                external_id: Some("ext".into()),
                role_session_name: Some("me".into()),
                duration_seconds: Some(3600),
                region: Some("eu-west-1".into()),
                source: Box::new(stat("base", FileKind::Credentials, "B", None)),
            }
        );
        assert_eq!(
            p.describe(),
            "profile dev: assume role arn:aws:iam::123:role/x from profile base (shared-credentials-file)"
        );
    }

    #[test]
    fn role_comes_before_everything() {
        // role_arn wins over the profile's own static keys, process and SSO.
        let p = ok(
            "[profile dev]\nrole_arn = R\nsource_profile = base\ncredential_process = x\nsso_account_id = 1\n[profile base]\naws_access_key_id = B\naws_secret_access_key = s\n",
            "[dev]\naws_access_key_id = K\naws_secret_access_key = s\n",
            DEV,
        );
        assert!(
            matches!(p, Plan::AssumeRole { ref source, .. } if **source == stat("base", FileKind::Config, "B", None))
        );
    }

    #[test]
    fn self_source_with_static_keys() {
        let p = ok(
            "",
            "[dev]\nrole_arn = R\nsource_profile = dev\naws_access_key_id = K\naws_secret_access_key = s\n",
            DEV,
        );
        assert!(
            matches!(p, Plan::AssumeRole { ref source, .. } if **source == stat("dev", FileKind::Credentials, "K", None))
        );
        // Without static keys it is a cycle.
        let e = err(
            "[profile dev]\nrole_arn = R\nsource_profile = dev\n",
            "",
            DEV,
        );
        assert_eq!(e, "profile dev: source_profile cycle: dev -> dev");
    }

    #[test]
    fn chained_roles_and_cycles() {
        let config = "[profile a]\nrole_arn = RA\nsource_profile = b\nregion = r-a\n\
                      [profile b]\nrole_arn = RB\nsource_profile = c\nregion = r-b\n\
                      [profile c]\naws_access_key_id = C\naws_secret_access_key = s\n";
        let p = ok(config, "", &[("AWS_PROFILE", "a")]);
        assert_eq!(
            p.describe(),
            "profile a: assume role RA from profile b (assume role RB from profile c (config-file))"
        );
        // Every STS call uses the region of the profile in use.
        let Plan::AssumeRole { region, source, .. } = &p else {
            panic!()
        };
        assert_eq!(region.as_deref(), Some("r-a"));
        let Plan::AssumeRole { region, .. } = &**source else {
            panic!()
        };
        assert_eq!(region.as_deref(), Some("r-a"));
        let cyc = "[profile a]\nrole_arn = RA\nsource_profile = b\n[profile b]\nrole_arn = RB\nsource_profile = c\n[profile c]\nrole_arn = RC\nsource_profile = a\n";
        assert_eq!(
            err(cyc, "", &[("AWS_PROFILE", "a")]),
            "profile a: source_profile cycle: a -> b -> c -> a"
        );
        // A source profile naming itself without keys, deeper down.
        let e = err(
            "[profile a]\nrole_arn = RA\nsource_profile = b\n[profile b]\nrole_arn = RB\nsource_profile = b\n",
            "",
            &[("AWS_PROFILE", "a")],
        );
        assert_eq!(e, "profile a: source_profile cycle: a -> b -> b");
        // A source with static keys and a role: its keys are used, its role ignored.
        let p = ok(
            "[profile a]\nrole_arn = RA\nsource_profile = b\n[profile b]\nrole_arn = RB\nsource_profile = a\naws_access_key_id = B\naws_secret_access_key = s\n",
            "",
            &[("AWS_PROFILE", "a")],
        );
        assert!(
            matches!(p, Plan::AssumeRole { ref source, .. } if **source == stat("b", FileKind::Config, "B", None))
        );
    }

    #[test]
    fn source_profile_errors() {
        let e = err(
            "[profile dev]\nrole_arn = R\nsource_profile = nope\n",
            "",
            DEV,
        );
        assert!(
            e.starts_with("profile dev: source_profile nope is in neither /"),
            "{e}"
        );
        let e = err(
            "[profile dev]\nrole_arn = R\nsource_profile = base\n[profile base]\nregion = x\n",
            "",
            DEV,
        );
        assert_eq!(e, "profile dev: its source_profile base has no credentials");
        let e = err(
            "[profile dev]\nrole_arn = R\nsource_profile = b\ncredential_source = Environment\n[profile b]\n",
            "",
            DEV,
        );
        assert_eq!(
            e,
            "profile dev: has both source_profile and credential_source; role_arn takes one"
        );
        let e = err("[profile dev]\nrole_arn = R\n", "", DEV);
        assert_eq!(
            e,
            "profile dev: role_arn needs source_profile or credential_source"
        );
        // A source profile with only a secret: no credentials (botocore's has-static check
        // sends it to the providers, which look for the id).
        let e = err(
            "[profile dev]\nrole_arn = R\nsource_profile = b\n[profile b]\naws_secret_access_key = s\n",
            "",
            DEV,
        );
        assert!(e.ends_with("has no credentials"), "{e}");
    }

    #[test]
    fn credential_source() {
        for (value, source) in [
            ("Environment", CredentialSource::Environment),
            ("Ec2InstanceMetadata", CredentialSource::Ec2InstanceMetadata),
            ("EcsContainer", CredentialSource::EcsContainer),
        ] {
            let p = ok(
                &format!("[profile dev]\nrole_arn = R\ncredential_source = {value}\n"),
                "",
                DEV,
            );
            let Plan::AssumeRole { source: s, .. } = &p else {
                panic!()
            };
            assert_eq!(
                **s,
                Plan::CredentialSource {
                    profile: "dev".into(),
                    source
                }
            );
            assert_eq!(
                p.describe(),
                format!("profile dev: assume role R from credential_source {value}")
            );
        }
        let e = err(
            "[profile dev]\nrole_arn = R\ncredential_source = environment\n",
            "",
            DEV,
        );
        assert_eq!(
            e,
            "profile dev: credential_source environment is not Environment, Ec2InstanceMetadata or EcsContainer"
        );
    }

    #[test]
    fn mfa_and_duration() {
        let e = err(
            "[profile dev]\nrole_arn = R\ncredential_source = Environment\nmfa_serial = arn:mfa\n",
            "",
            DEV,
        );
        assert!(
            e.starts_with("profile dev: mfa_serial is not supported: "),
            "{e}"
        );
        let e = err(
            "[profile dev]\nrole_arn = R\ncredential_source = Environment\nduration_seconds = 1h\n",
            "",
            DEV,
        );
        assert_eq!(
            e,
            "profile dev: duration_seconds is not a whole number of seconds"
        );
        let p = ok(
            "[profile dev]\nrole_arn = R\ncredential_source = Environment\nduration_seconds = +900\n",
            "",
            DEV,
        );
        assert!(matches!(
            p,
            Plan::AssumeRole {
                duration_seconds: Some(900),
                ..
            }
        ));
    }

    #[test]
    fn web_identity_from_profile_and_env() {
        let p = ok(
            "[profile dev]\nrole_arn = R\nweb_identity_token_file = /t\nregion = r\n",
            "",
            DEV,
        );
        assert_eq!(
            p,
            Plan::WebIdentity {
                profile: "dev".into(),
                role_arn: "R".into(),
                token_file: "/t".into(),
                role_session_name: None,
                region: Some("r".into()),
            }
        );
        // Variables alone, no profile at all.
        let vars = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/v"),
            ("AWS_ROLE_ARN", "RV"),
            ("AWS_ROLE_SESSION_NAME", "sv"),
        ];
        let p = ok("", "", &vars);
        assert_eq!(
            p,
            Plan::WebIdentity {
                profile: "default".into(),
                role_arn: "RV".into(),
                token_file: "/v".into(),
                role_session_name: Some("sv".into()),
                region: None,
            }
        );
        // Each variable wins over its key.
        let p = ok(
            "[profile dev]\nrole_arn = R\nweb_identity_token_file = /t\nrole_session_name = s\n",
            "",
            &[("AWS_PROFILE", "dev"), ("AWS_ROLE_ARN", "RV")],
        );
        assert!(
            matches!(p, Plan::WebIdentity { ref role_arn, ref token_file, ref role_session_name, .. }
            if role_arn == "RV" && token_file == &PathBuf::from("/t") && role_session_name.as_deref() == Some("s"))
        );
        // A token file without a role.
        let e = err("", "", &[("AWS_WEB_IDENTITY_TOKEN_FILE", "/v")]);
        assert!(
            e.starts_with("profile default: a web identity token file is set but no role"),
            "{e}"
        );
        // Variables ignored when the profile is given explicitly.
        let s = setup(Some("[profile p]\nregion = r\n"), Some(""), &vars).profile("p");
        assert_eq!(plan_in(&s).unwrap(), None);
        // role_arn + env token file (no key in the profile): the role wins (step 1).
        let p = ok(
            "[profile dev]\nrole_arn = R\ncredential_source = Ec2InstanceMetadata\n",
            "",
            &[
                ("AWS_PROFILE", "dev"),
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/v"),
            ],
        );
        assert!(matches!(p, Plan::AssumeRole { .. }));
        // Web identity comes before the credentials file's keys.
        let p = ok(
            "",
            "[default]\naws_access_key_id = K\naws_secret_access_key = s\n",
            &vars,
        );
        assert!(matches!(p, Plan::WebIdentity { .. }));
    }

    #[test]
    fn web_identity_as_a_source() {
        let p = ok(
            "[profile dev]\nrole_arn = R\nsource_profile = w\n[profile w]\nrole_arn = RW\nweb_identity_token_file = /t\n",
            "",
            &[
                ("AWS_PROFILE", "dev"),
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/env"),
            ],
        );
        let Plan::AssumeRole { source, .. } = &p else {
            panic!()
        };
        // The source's providers do not read the variables.
        assert!(
            matches!(&**source, Plan::WebIdentity { profile, token_file, .. } if profile == "w" && token_file == &PathBuf::from("/t"))
        );
    }

    #[test]
    fn sso_legacy_and_session() {
        let p = ok(
            "[profile dev]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123\nsso_role_name = Admin\n",
            "",
            DEV,
        );
        assert_eq!(
            p,
            Plan::Sso {
                profile: "dev".into(),
                start_url: "https://x.awsapps.com/start".into(),
                sso_region: "us-east-1".into(),
                account_id: "123".into(),
                role_name: "Admin".into(),
                session: None,
            }
        );
        let p = ok(
            "[profile dev]\nsso_session = corp\nsso_account_id = 123\nsso_role_name = Admin\nsso_region = eu-west-1\n\
             [sso-session corp]\nsso_start_url = https://c/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n",
            "",
            DEV,
        );
        assert!(
            matches!(p, Plan::Sso { ref start_url, ref session, ref sso_region, .. }
            if start_url == "https://c/start" && session.as_deref() == Some("corp") && sso_region == "eu-west-1")
        );
        // SSO comes before the credentials file's keys.
        let p = ok(
            "[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n[sso-session corp]\nsso_start_url = u\nsso_region = g\n",
            "[dev]\naws_access_key_id = K\naws_secret_access_key = s\n",
            DEV,
        );
        assert!(matches!(p, Plan::Sso { .. }));
    }

    #[test]
    fn sso_errors() {
        let e = err("[profile dev]\nsso_account_id = 123\n", "", DEV);
        assert_eq!(
            e,
            "profile dev: configured for SSO but missing sso_role_name, sso_start_url, sso_region"
        );
        let e = err(
            "[profile dev]\nsso_role_name = r\nsso_session = corp\n[sso-session corp]\nsso_region = g\n",
            "",
            DEV,
        );
        assert_eq!(
            e,
            "profile dev: configured for SSO but missing sso_account_id, sso_start_url"
        );
        let e = err(
            "[profile dev]\nsso_role_name = r\nsso_session = nope\n",
            "",
            DEV,
        );
        assert!(
            e.starts_with("profile dev: sso_session nope: there is no [sso-session nope] in /"),
            "{e}"
        );
        let e = err(
            "[profile dev]\nsso_role_name = r\nsso_account_id = 1\nsso_region = a\nsso_session = corp\n[sso-session corp]\nsso_region = b\nsso_start_url = u\n",
            "",
            DEV,
        );
        assert_eq!(
            e,
            "profile dev: sso_region is a in the profile but b in [sso-session corp]"
        );
        // Only sso_start_url set: not SSO (botocore looks at the role and the account).
        assert_eq!(
            plan_of("[profile dev]\nsso_start_url = u\n", "", DEV).unwrap(),
            None
        );
    }

    #[test]
    fn login_session_is_refused() {
        let e = err(
            "[profile dev]\nlogin_session = arn:aws:iam::1:user/x\ncredential_process = x\n",
            "",
            DEV,
        );
        assert_eq!(e, "profile dev: login_session (aws login) is not supported");
    }

    #[test]
    fn files_errors() {
        let e = err("[profile dev]\nregion = x\nBROKEN SECRET LINE\n", "", DEV);
        assert!(e.ends_with("/config: line 3: not a [section], a key = value, a comment or an indented continuation"), "{e}");
        assert!(!e.contains("SECRET"));
        let e = err("", "[dev]\nk=1\n[dev]\n", DEV);
        assert!(
            e.ends_with("/credentials: line 3: section [dev] given twice"),
            "{e}"
        );
    }

    #[test]
    fn default_section_and_quoted_names() {
        // [DEFAULT] keys apply to every section of the credentials file.
        let p = ok(
            "",
            "[DEFAULT]\naws_secret_access_key = s\n[dev]\naws_access_key_id = A\n",
            DEV,
        );
        assert_eq!(p, stat("dev", FileKind::Credentials, "A", None));
        let p = ok(
            "[profile \"my dev\"]\naws_access_key_id = Q\naws_secret_access_key = s\n",
            "",
            &[("AWS_PROFILE", "my dev")],
        );
        assert_eq!(p, stat("my dev", FileKind::Config, "Q", None));
    }

    #[test]
    fn settings_profile_wins_over_aws_profile() {
        let s = setup(
            Some("[profile a]\naws_access_key_id = A\naws_secret_access_key = s\n[profile b]\naws_access_key_id = B\naws_secret_access_key = s\n"),
            Some(""),
            &[("AWS_PROFILE", "a")],
        )
        .profile("b");
        assert_eq!(
            plan_in(&s).unwrap().unwrap(),
            stat("b", FileKind::Config, "B", None)
        );
    }

    #[test]
    fn debug_has_no_secrets() {
        let p = ok(
            "",
            "[dev]\naws_access_key_id = A\naws_secret_access_key = TOPSECRET\naws_session_token = TOKSECRET\n",
            DEV,
        );
        let d = format!("{p:?}");
        assert!(!d.contains("TOPSECRET") && !d.contains("TOKSECRET"), "{d}");
    }
}
