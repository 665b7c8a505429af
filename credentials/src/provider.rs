//! The chain behind a cache: credentials are kept until 15 minutes before they expire, then
//! fetched again; callers at the same moment share one fetch (they wait on the one lock). If a
//! fetch fails while the kept ones still have 10 minutes left, those are handed out (botocore's
//! advisory and mandatory refresh windows).

use std::sync::{Arc, Mutex, PoisonError};

use crate::chain;
use crate::error::{Error, Result};
use crate::found::AwsCredentials;
use crate::settings::Settings;

/// Fetch again when less than this is left (seconds).
pub const ADVISORY_REFRESH: i64 = 15 * 60;
/// A failed fetch is an error when less than this is left (seconds).
pub const MANDATORY_REFRESH: i64 = 10 * 60;

/// The default credential chain with a cache; cheap to share (`Arc`), safe from many threads.
pub struct CredentialsProvider {
    settings: Settings,
    kept: Mutex<Option<Arc<AwsCredentials>>>,
}

impl CredentialsProvider {
    /// The chain over these settings.
    pub fn new(settings: Settings) -> CredentialsProvider {
        CredentialsProvider {
            settings,
            kept: Mutex::new(None),
        }
    }

    /// The chain over the process's environment and clock.
    pub fn default_chain() -> CredentialsProvider {
        CredentialsProvider::new(Settings::from_process())
    }

    /// Credentials with at least [`ADVISORY_REFRESH`] seconds left (or long-term ones), from the
    /// cache or fetched now. Credentials a source hands over already expired are an error.
    pub fn credentials(&self) -> Result<Arc<AwsCredentials>> {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        let now = self.settings.now();
        if let Some(c) = kept.as_ref().filter(|c| left(c, now) > ADVISORY_REFRESH) {
            return Ok(Arc::clone(c));
        }
        match chain::resolve(&self.settings) {
            Ok(found) => {
                if left(&found, now) <= 0 {
                    return Err(Error::new(format!(
                        "credentials from {} expired already ({} s ago)",
                        found.source(),
                        -left(&found, now)
                    )));
                }
                let found = Arc::new(found);
                *kept = Some(Arc::clone(&found));
                Ok(found)
            }
            Err(e) => match kept.as_ref().filter(|c| left(c, now) > MANDATORY_REFRESH) {
                Some(c) => Ok(Arc::clone(c)),
                None => Err(e),
            },
        }
    }

    /// The settings the chain reads.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
}

impl std::fmt::Debug for CredentialsProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialsProvider")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Seconds left before `c` expires (`i64::MAX` for long-term keys).
fn left(c: &AwsCredentials, now: i64) -> i64 {
    c.expiration().map_or(i64::MAX, |e| e.saturating_sub(now))
}
