//! Where the chain looks: the environment (read through a lookup, so tests and embedders can
//! give their own), the profile asked for, and the clock.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;
type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The chain's view of its world. [`Settings::from_process`] is the process's environment and
/// clock; [`Settings::from_vars`] takes only the variables given (nothing from the process: the
/// tests, and programs that keep their configuration elsewhere).
#[derive(Clone)]
pub struct Settings {
    lookup: Lookup,
    profile: Option<String>,
    clock: Clock,
    /// The process's `AWS_*` (and `HOME`) variables whose value is not UTF-8: an error when the
    /// chain runs, rather than read as unset (which would pick another profile or source).
    not_utf8: Vec<String>,
}

impl Settings {
    /// The process's environment variables and the system clock.
    pub fn from_process() -> Settings {
        let not_utf8 = std::env::vars_os()
            .filter(|(_, value)| value.to_str().is_none())
            .filter_map(|(name, _)| name.into_string().ok())
            .filter(|name| name.starts_with("AWS_") || name == "HOME" || name == "USERPROFILE")
            .collect();
        Settings {
            lookup: Arc::new(|name| std::env::var(name).ok()),
            profile: None,
            clock: Arc::new(iamauth::now),
            not_utf8,
        }
    }

    /// Only these variables (and the system clock).
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Settings {
        let map: HashMap<String, String> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Settings {
            lookup: Arc::new(move |name| map.get(name).cloned()),
            profile: None,
            clock: Arc::new(iamauth::now),
            not_utf8: Vec::new(),
        }
    }

    /// The profile to use, as the AWS CLI's `--profile` (and boto3's `Session(profile_name=)`):
    /// it wins over `AWS_PROFILE`, and, as there, the environment's keys are then not used.
    pub fn profile(mut self, name: impl Into<String>) -> Settings {
        self.profile = Some(name.into());
        self
    }

    /// A clock other than the system's (unix seconds): tests, and signing at a fixed time.
    pub fn clock(mut self, now: impl Fn() -> i64 + Send + Sync + 'static) -> Settings {
        self.clock = Arc::new(now);
        self
    }

    /// `INVALID_CREDENTIALS` naming the variables whose value is not UTF-8, if any.
    pub(crate) fn check_utf8(&self) -> crate::error::Result<()> {
        if self.not_utf8.is_empty() {
            return Ok(());
        }
        Err(crate::error::Error::new(format!(
            "environment: {} must be UTF-8 text",
            self.not_utf8.join(", ")
        )))
    }

    /// A variable's value; unset and empty are the same (as the AWS CLI reads them).
    pub(crate) fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|v| !v.is_empty())
    }

    /// The profile given with [`Settings::profile`], if any.
    pub(crate) fn explicit_profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    /// The profile in use: [`Settings::profile`], else `AWS_DEFAULT_PROFILE`, else
    /// `AWS_PROFILE` (botocore's order: the older variable first), else `default`.
    pub(crate) fn profile_name(&self) -> String {
        self.profile
            .clone()
            .or_else(|| self.var("AWS_DEFAULT_PROFILE"))
            .or_else(|| self.var("AWS_PROFILE"))
            .unwrap_or_else(|| "default".to_owned())
    }

    /// The home directory (`HOME`; `USERPROFILE` on Windows), where `~` in the shared files'
    /// paths and the defaults `~/.aws/config`, `~/.aws/credentials` and `~/.aws/sso/cache` lead.
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.var("HOME")
            .or_else(|| {
                if cfg!(windows) {
                    self.var("USERPROFILE")
                } else {
                    None
                }
            })
            .map(PathBuf::from)
    }

    /// `path` with a leading `~/` (or `~` alone) replaced by the home directory.
    pub(crate) fn expand(&self, path: &str) -> PathBuf {
        match (path.strip_prefix('~'), self.home()) {
            (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with(['/', '\\']) => {
                home.join(rest.trim_start_matches(['/', '\\']))
            }
            _ => PathBuf::from(path),
        }
    }

    /// Now, unix seconds.
    pub(crate) fn now(&self) -> i64 {
        (self.clock)()
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}
