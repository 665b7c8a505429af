//! `CredentialChain`: the standard AWS credential chain with its cache (the `iamauth-credentials`
//! crate: the environment, `~/.aws` profiles, `credential_process`, SSO, roles, web identity,
//! the ECS / EKS container endpoint, IMDS), behind the front-end's `fromDefaultChain`. Only this
//! package has it: the wasm package does not link the chain.
//!
//! The chain's I/O blocks, so `credentials()` runs it on libuv's thread pool (napi's
//! `AsyncTask`) and settles a Promise on the main thread: the event loop keeps running while a
//! credential endpoint answers. This file only converts: the chain, its order, its cache (one
//! per `CredentialChain`, shared by concurrent calls) and its messages are the crate's.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use iamauth_credentials::{AwsCredentials, CredentialsProvider, Settings};
use iamauth_js_native::Value;
use napi::bindgen_prelude::{AsyncTask, Env, Object};
use napi::{JsError, ScopedTask, Status};
use napi_derive::napi;

use crate::object;
use crate::text::Text;

/// The chain over the process's environment (read at each fetch, so `process.env` changes made
/// before a call are seen: Node's setter calls `setenv`) and clock, with its cache.
#[napi]
pub struct CredentialChain {
    provider: Arc<CredentialsProvider>,
}

#[napi]
impl CredentialChain {
    /// `profile` (`null`: none): as the AWS CLI's `--profile`; it wins over `AWS_PROFILE`, and
    /// the environment's keys are then not read.
    #[napi(constructor, catch_unwind)]
    pub fn new(profile: Option<Text>) -> CredentialChain {
        let settings = Settings::from_process();
        let settings = match profile {
            Some(name) => settings.profile(&*name),
            None => settings,
        };
        CredentialChain {
            provider: Arc::new(CredentialsProvider::new(settings)),
        }
    }

    /// A Promise of `{ accessKeyId, secretAccessKey, sessionToken, expiration, source }`
    /// (`sessionToken` and `expiration`, unix seconds, `null` when absent), from the cache or
    /// fetched off the main thread; rejected with an `Error` whose `.code` is the chain's
    /// (`INVALID_CREDENTIALS`) and whose `.message` is the chain's (no secret in it).
    #[napi(catch_unwind)]
    pub fn credentials(&self) -> AsyncTask<Fetch> {
        AsyncTask::new(Fetch(Arc::clone(&self.provider)))
    }
}

/// One `credentials()` call: the chain on the thread pool, the result converted on the main
/// thread.
pub struct Fetch(Arc<CredentialsProvider>);

impl<'task> ScopedTask<'task> for Fetch {
    /// The chain's answer; its error is thrown on the main thread, where a JS `Error` with the
    /// chain's code can be made.
    type Output = iamauth_credentials::Result<Arc<AwsCredentials>>;
    type JsValue = Object<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        // A panic here would cross into libuv's thread pool: caught, it is a defect the
        // front-end rethrows as it is (`GenericFailure`). The provider's lock survives it.
        catch_unwind(AssertUnwindSafe(|| self.0.credentials())).map_err(|_| {
            napi::Error::new(
                Status::GenericFailure,
                "iamauth: the credential chain panicked",
            )
        })
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Object<'task>> {
        let found = output.map_err(|e| {
            let error = JsError::from(napi::Error::new(e.code().name(), e.message()));
            // The JS error itself is the rejection (napi keeps a code only as a `Status`).
            napi::Error::from(error.into_unknown(*env))
        })?;
        object(
            env,
            &[
                ("accessKeyId", Value::Text(found.access_key_id())),
                ("secretAccessKey", Value::Text(found.secret_access_key())),
                (
                    "sessionToken",
                    found.session_token().map_or(Value::Null, Value::Text),
                ),
                (
                    "expiration",
                    found.expiration().map_or(Value::Null, Value::Int),
                ),
                ("source", Value::Text(found.source())),
            ],
        )
        .map_err(|e| napi::Error::new(Status::GenericFailure, e.reason))
    }
}
