//! # iamauth
//!
//! AWS IAM authentication tokens (RDS / Aurora, Aurora DSQL, ElastiCache / MemoryDB, EKS and
//! MSK) from a small `no_std` SigV4 presign core: no AWS SDK, no clock, no I/O, credentials passed
//! in. The tokens equal botocore's `generate_db_auth_token` (what `aws rds
//! generate-db-auth-token` prints) byte for byte.
//!
//! ```
//! use iamauth::{Credentials, RdsTokenRequest, rds_token};
//!
//! let creds = Credentials::new(
//!     "AKIDEXAMPLE",
//!     "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
//!     None,
//! )?;
//! // 2024-01-02T03:04:05Z; bindings fill in "now" when the caller gives no time.
//! let request = RdsTokenRequest::new(
//!     "mydb.123456789012.us-east-1.rds.amazonaws.com", 5432, "app_user", "us-east-1", 1704164645,
//! );
//! let token = rds_token(&request, &creds)?;
//! assert!(token.starts_with(
//!     "mydb.123456789012.us-east-1.rds.amazonaws.com:5432/?Action=connect&DBUser=app_user&"
//! ));
//!
//! let info = iamauth::inspect(&token)?;
//! assert_eq!(info.user.as_deref(), Some("app_user"));
//! assert_eq!(info.expires_at, 1704164645 + 900);
//! # Ok::<(), iamauth::Error>(())
//! ```
//!
//! The SigV4 steps are public too ([`canonical_request`], [`string_to_sign`], [`signing_key`],
//! [`signature`], [`presign`]); [`Signer::token_with_steps`] returns every intermediate text.
//!
//! ## Where each step lives
//!
//! | module | job |
//! |---|---|
//! | `rules` | every input rule and limit (host, port, user, region, service, expiry per service, skew, the generic presign's method, path, headers, payload hash) |
//! | `credentials`, `environment` | [`Credentials`] (validated, redacted); [`EnvironmentCredentials`] from `AWS_*` variables |
//! | `tokens` | the five token layouts: [`RdsTokenRequest`], [`DsqlTokenRequest`], [`ElastiCacheTokenRequest`], [`EksTokenRequest`], [`MskTokenRequest`] → a request description (and, for EKS and MSK, the base64url wrap of `base64url`) |
//! | `canonical` | step 1's parts: canonical URI, [`canonical_query`], canonical headers, the signed `host` (lowercased, `:443` dropped) |
//! | `query` | the query written once: the presigned text and, from the same bytes, the canonical query |
//! | `sigv4` | the steps as small functions: 1 [`canonical_request`], 2 [`string_to_sign`], 3 [`signing_key`], 4 [`signature`] |
//! | `presign` | the engine: runs steps 1 to 5 over a request description with one allocation; [`SigningSteps`] |
//! | `cache`, `signer` | the signing-key cache ([`KeyCache`]) and the entry points ([`Signer`], [`rds_token`], [`presign`], ...) |
//! | `inspect` | reading a token back ([`decode_token`] for EKS and MSK, [`inspect`], [`TokenInfo`], [`Validity`]) |
//! | `verify` | the database's side: the token's fields laid out again by `tokens` and signed by the same engine ([`verify`]); [`KeyFile`] in `keys` |
//! | `refresh` | the token providers' one rule ([`refresh_at`], [`reuse_until`], [`may_reuse`]) |
//! | `files` (`std`) | the keys file and the log opened safely ([`read_keys_file`], [`append_log_line`]: no links, FIFOs or files others can write) |
//! | `endpoint`, `datetime`, `encode`, `error` | region from a host, times, percent-encoding, the one error table ([`ErrorCode`]) |
//!
//! `docs/architecture.md` in the repository maps how each language binding reaches these.

#![no_std]
// No unsafe code, with one exception: the `std` feature's `files` module calls `geteuid`.
#![cfg_attr(not(all(feature = "std", unix)), forbid(unsafe_code))]
#![cfg_attr(all(feature = "std", unix), deny(unsafe_code))]
#![deny(clippy::indexing_slicing)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod base64url;
mod cache;
mod canonical;
mod credentials;
mod datetime;
mod encode;
mod endpoint;
mod environment;
mod error;
#[cfg(feature = "std")]
mod files;
mod inspect;
mod keys;
mod presign;
mod query;
mod refresh;
mod rules;
mod signer;
mod sigv4;
mod tokens;
mod verify;

pub use cache::{KEY_CACHE_SHARDS, KEY_CACHE_SLOTS, KeyCache};
pub use canonical::{canonical_headers, canonical_query, canonical_uri};
pub use credentials::Credentials;
pub use datetime::{MAX_UNIX_TIME, MIN_UNIX_TIME, SigningTime, format_rfc3339, parse_time};
pub use encode::{encoded_len, is_unreserved, percent_decode, percent_encode};
pub use endpoint::{dns_suffix, region_from_host, region_or_from_host};
pub use environment::{
    ENV_ACCESS_KEY_ID, ENV_SECRET_ACCESS_KEY, ENV_SESSION_TOKEN, EnvironmentCredentials,
};
pub use error::{Error, ErrorCode, Result};
#[cfg(feature = "std")]
pub use files::{FileError, append_log_line, read_keys_file};
pub use inspect::{TokenInfo, TokenKind, Validity, decode_token, inspect};
pub use keys::{KeyFile, MAX_GRANTS, MAX_KEYS, MAX_KEYS_FILE_LEN};
pub use presign::{SessionTokenMode, SigningSteps};
pub use refresh::{may_reuse, refresh_at, reuse_until};
pub use rules::{
    DEFAULT_EXPIRY, MAX_ACCESS_KEY_ID_LEN, MAX_CLUSTER_LEN, MAX_DB_EXPIRY, MAX_HOST_LEN,
    MAX_PRESIGN_EXPIRY, MAX_QUERY_PARAMS, MAX_REGION_LEN, MAX_SECRET_KEY_LEN, MAX_SERVICE_LEN,
    MAX_SESSION_TOKEN_LEN, MAX_SKEW, MAX_USER_AGENT_LEN, MAX_USER_LEN, check_cluster, check_expiry,
    check_host, check_port, check_region, check_service, check_skew, check_user, check_user_agent,
    token_expiry_limit,
};
pub use signer::{
    PresignRequest, Signer, dsql_token, eks_token, elasticache_token, msk_token, presign, rds_token,
};
pub use sigv4::{
    ALGORITHM, EMPTY_PAYLOAD_HASH, SigningKey, canonical_request, payload_hash, signature,
    signing_key, string_to_sign,
};
pub use tokens::{
    CacheService, DsqlAction, DsqlTokenRequest, EKS_EXEC_API_VERSION, EKS_EXPIRATION,
    EKS_TOKEN_LIFETIME, EKS_TOKEN_PREFIX, EksTokenRequest, ElastiCacheTokenRequest, MSK_USER_AGENT,
    MskTokenRequest, RdsTokenRequest, StsEndpoint, TokenRequest,
};
pub use verify::{DEFAULT_SERVICE, DEFAULT_SKEW, Expectations, Identity, VerifyKey, verify};

/// Old names, kept for one release.
#[deprecated(since = "0.1.0", note = "renamed SigningSteps")]
pub type Signed = SigningSteps;
/// Old names, kept for one release.
#[deprecated(
    since = "0.1.0",
    note = "renamed RdsTokenRequest (it is a request, not a token)"
)]
pub type RdsToken<'a> = RdsTokenRequest<'a>;
/// Old names, kept for one release.
#[deprecated(
    since = "0.1.0",
    note = "renamed DsqlTokenRequest (it is a request, not a token)"
)]
pub type DsqlToken<'a> = DsqlTokenRequest<'a>;
/// Old names, kept for one release.
#[deprecated(
    since = "0.1.0",
    note = "renamed ElastiCacheTokenRequest (it is a request, not a token)"
)]
pub type ElastiCacheToken<'a> = ElastiCacheTokenRequest<'a>;

/// The README's Rust example, run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

/// The crate version (every binding reports this).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(feature = "std")]
/// Unix seconds of a `SystemTime` (`INVALID_TIME` before 1970 or after 9999).
pub fn unix_time(t: std::time::SystemTime) -> Result<i64> {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(-1);
    SigningTime::from_unix(secs).map(|t| t.unix())
}

#[cfg(feature = "std")]
/// The current time in unix seconds (the `std` convenience; core itself never reads a clock).
pub fn now() -> i64 {
    unix_time(std::time::SystemTime::now()).unwrap_or(0)
}
