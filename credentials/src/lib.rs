//! AWS credentials where AWS puts them, without an AWS SDK: the standard credential chain, in
//! the AWS CLI's order, for programs that sign with [`iamauth`] (the core itself stays `no_std`,
//! takes credentials explicitly and does no I/O).
//!
//! ```no_run
//! let provider = iamauth_credentials::CredentialsProvider::default_chain();
//! let found = provider.credentials()?;
//! println!("{} from {}", found.access_key_id(), found.source());
//! # Ok::<(), iamauth_credentials::Error>(())
//! ```
//!
//! # The sources, in order
//!
//! | # | source | settings | bound |
//! |---|---|---|---|
//! | 1 | environment | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION` (not read when a profile is named with `--profile` / [`Settings::profile`], as in the AWS CLI) | - |
//! | 2 | the profile | `AWS_PROFILE` (or `--profile`), `AWS_CONFIG_FILE` (`~/.aws/config`), `AWS_SHARED_CREDENTIALS_FILE` (`~/.aws/credentials`); in the profile: `role_arn` with `source_profile` or `credential_source` (STS `AssumeRole`, signed by the core's presign; `external_id`, `role_session_name`, `duration_seconds`), `web_identity_token_file`, `sso_session` or the legacy `sso_*` keys (the token cached by `aws sso login`), `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token`, `credential_process` | STS and SSO: 5 s to connect, 10 s in all; `credential_process`: 60 s, 1 MiB of output |
//! | 3 | web identity | `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME` (EKS IRSA: STS `AssumeRoleWithWebIdentity`) | as STS |
//! | 4 | container endpoint | `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (ECS), `AWS_CONTAINER_CREDENTIALS_FULL_URI` (https, or http to loopback, `169.254.170.2`, `169.254.170.23`, `fd00:ec2::23`), `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` / `AWS_CONTAINER_AUTHORIZATION_TOKEN` (EKS Pod Identity) | 2 s per attempt, 3 attempts 1 s apart |
//! | 5 | EC2 instance metadata (IMDSv2) | `AWS_EC2_METADATA_DISABLED`, `AWS_EC2_METADATA_SERVICE_ENDPOINT`, `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`, `AWS_EC2_METADATA_V1_DISABLED`, `AWS_METADATA_SERVICE_TIMEOUT` (1 s), `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (1) | the timeout per request |
//!
//! `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_SSO` and `AWS_ENDPOINT_URL` move STS and the SSO
//! portal, as in the SDKs; `AWS_CA_BUNDLE` adds trusted certificates (PEM) to the system's.
//! The first configured source answers; one that is configured but fails stops the chain with
//! its error; when none is configured, `INVALID_CREDENTIALS` lists each source and why it was
//! skipped. Messages name files, profiles, settings and HTTP statuses, never a secret, a token
//! or an answer's body.
//!
//! [`CredentialsProvider`] keeps what the chain found until 15 minutes before it expires, and
//! callers at the same moment share one fetch.
//!
//! # Dependencies, and why each
//!
//! - `rustls` (with `ring`): TLS for STS and the SSO portal only, in Rust, no OpenSSL to link
//!   or find on the target; `ring` rather than `aws-lc-rs` because it builds with a C compiler
//!   alone (no CMake, no Go), which keeps the wheels and the static C library easy to build.
//! - `rustls-native-certs`: the system's trust store (as the SDKs use), maintained by the
//!   rustls project; `AWS_CA_BUNDLE` is read with rustls' own PEM reader.
//! - `serde_json`: the JSON answers (IMDS, the container endpoint, `credential_process`, the
//!   SSO cache and portal) are read by the most used and fuzzed JSON reader of the ecosystem,
//!   not a hand-written one: they come from other programs.
//! - `sha1` (RustCrypto, as the core's `sha2`): the SSO cache's file names are SHA-1 digests.
//! - No HTTP library: the client needed (one request per connection to a handful of fixed
//!   endpoints, every step bounded) is ~400 lines; `ureq` or `reqwest` would bring their own
//!   TLS and DNS choices and many more crates. No XML library: STS's answers are read by the
//!   few lines of `xml`.

mod chain;
mod config;
mod container;
mod environment;
mod error;
mod found;
mod http;
mod imds;
mod ini;
mod json;
mod process;
mod profile;
mod provider;
mod settings;
mod sso;
mod sts;
mod xml;

pub use chain::resolve;
pub use config::region;
pub use error::{Error, Result};
pub use found::AwsCredentials;
pub use provider::{ADVISORY_REFRESH, CredentialsProvider, MANDATORY_REFRESH};
pub use settings::Settings;
