//! # iamauth-c
//!
//! The C ABI of [`iamauth`]: IAM authentication tokens (RDS / Aurora, Aurora DSQL,
//! ElastiCache / MemoryDB, Amazon EKS, Amazon MSK), token inspection and verification, and the AWS credential chain of
//! [`iamauth_credentials`]. The header is `include/iamauth.h`, generated
//! by a pinned cbindgen, checked in and diffed by `check-header.sh`.
//!
//! Conventions (those of rustls-ffi):
//! - every fallible function returns an `iamauth_result`: `IAMAUTH_OK` (0) on success, the
//!   core's error codes with the core's numbers (`ErrorCode::ALL`), the binding's own codes from
//!   100 (see `error.rs`; `result.rs` is generated from both);
//! - strings come in as (pointer, length) UTF-8, validated and borrowed for the call only; a
//!   NULL pointer with length 0 is the empty string (or "absent" where a string is optional), a
//!   NULL pointer with a length above 0 is `IAMAUTH_NULL_ARGUMENT`;
//! - outputs are written only on success; a too-small buffer gets nothing, only its
//!   out-length receives the length needed;
//! - every body runs inside one panic boundary (`panic::guard`): a bug becomes `IAMAUTH_PANIC`,
//!   never an unwind into C.
//!
//! This crate only converts, fills in "now", maps errors and catches panics; every rule lives in
//! the core.
//!
//! Modules: `result` (the generated `iamauth_result` enum), `error` (the binding's own codes,
//! `Fail`, result names and messages), `panic` (the call boundary), `types` (the FFI structs and
//! the input conversions), then one module per part of the API: `tokens`, `inspect`, `verify`,
//! `refresh`, `env` (credentials from the environment), `provider` (the standard AWS credential
//! chain, with its cache, and the token calls that sign with it), `defaults`, `version`.

#![allow(unsafe_code)]
// The Rust names are the C names: `iamauth_result`, `IAMAUTH_OK`, ...
#![allow(non_camel_case_types)]

// The module order is the header's order (cbindgen reads them in this order).
mod result;

mod types;
pub use types::*;

mod tokens;
pub use tokens::*;

mod inspect;
pub use inspect::*;

mod verify;
pub use verify::*;

mod refresh;
pub use refresh::*;

mod error;
pub use error::*;

mod version;
pub use version::*;

mod env;
pub use env::*;

mod provider;
pub use provider::*;

mod defaults;
pub use defaults::*;

mod panic;

/// cbindgen:ignore
#[cfg(feature = "bench")]
mod bench;

#[cfg(test)]
mod tests;
