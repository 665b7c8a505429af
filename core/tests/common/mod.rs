//! Shared helpers for the integration tests: where the vectors live.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// `../shared/vectors` (third-party data, read in place), or `None` with a visible message.
/// Under `CI=true` a missing folder is a failure, not a skip.
pub(crate) fn shared_vectors() -> Option<PathBuf> {
    let dir = std::env::var_os("IAMAUTH_SHARED_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"));
    if dir.join("sigv4-suite/v4").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "CI=true but the shared vectors are missing at {}",
            dir.display()
        );
    }
    // Written straight to stderr so the test harness does not swallow it.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: shared vectors not found at {} (clone ../shared beside the project, or set IAMAUTH_SHARED_VECTORS)",
        dir.display()
    );
    None
}

/// The project's own vectors, `tests/vectors/` at the repository root.
pub(crate) fn project_vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

/// Unix seconds of `2015-08-30T12:36:00Z`-style RFC 3339 text.
pub(crate) fn rfc3339(s: &str) -> i64 {
    iamauth::parse_time(s).unwrap()
}

/// Unix seconds of `20150830T123600Z`-style SigV4 text.
pub(crate) fn amz_date(s: &str) -> i64 {
    iamauth::SigningTime::from_amz_date(s).unwrap().unix()
}

/// `a=b&c=d` into a sorted list of decoded pairs.
pub(crate) fn query_set(query: &str) -> Vec<(String, String)> {
    let mut set: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                iamauth::percent_decode(k).unwrap().into_owned(),
                iamauth::percent_decode(v).unwrap().into_owned(),
            )
        })
        .collect();
    set.sort();
    set
}
