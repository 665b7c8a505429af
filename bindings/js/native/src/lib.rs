//! # iamauth-js-native
//!
//! The Rust half of the JS native contract, written once for both JS packages. The Node addon
//! (bindings/node, napi-rs) and the wasm package (wasm/, wasm-bindgen) export the contract's
//! functions (listed at the top of bindings/js/frontend.js) and each only converts its own JS
//! values to the plain types taken here, builds a JS object from a record ([`Field`]s) in one
//! loop, and throws an [`iamauth::Error`] as a JS `Error` whose `.code` is the core's code name.
//!
//! What is here is what both packages would otherwise write alike: a JS number as the core's
//! `i64` ([`int`]), the core's requests built from the contract's positional arguments, the keys
//! and expectations of `verify`, the records `inspect`, `verify` and `errorCodes` return (with
//! the contract's field names), the defaults. No rule: every one is the core's, and the core
//! judges every value (ranges, encodings, the region of an endpoint, a cache service name).
//!
//! `no_std` + `alloc`, like the core: the wasm package builds it for wasm32 without `std`.

#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::string::String;
use iamauth::{
    CacheService, Credentials, DsqlAction, DsqlTokenRequest, EksTokenRequest,
    ElastiCacheTokenRequest, ErrorCode, Expectations, Identity, KeyFile, MskTokenRequest,
    RdsTokenRequest, Result, Signer, SigningSteps, StsEndpoint, TokenInfo, Validity,
};

/// A JS number as the core's `i64`. `as` saturates, so an out-of-range number stays out of range
/// and the core reports it under the field's own code. `NaN` (what a missing or non-numeric
/// value becomes) is `i64::MIN`, not `as`'s 0: 0 is a valid time (1970), and a missing time
/// must not sign a 1970 token.
#[inline]
pub fn int(n: f64) -> i64 {
    if n.is_nan() { i64::MIN } else { n as i64 }
}

/// The value of one field of a record, as JS sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    /// A string.
    Text(&'a str),
    /// A number. Every one here (a time, a duration, a port, a code's number) is exact as a JS
    /// number: the core keeps times within years 0001 to 9999.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// `null`: the value is absent (never a missing property).
    Null,
}

/// One field of a record: its name as the native contract spells it (camelCase), its value.
pub type Field<'a> = (&'static str, Value<'a>);

/// `Some(s)` as a string, `None` as `null`.
fn text_or_null(s: Option<&str>) -> Value<'_> {
    s.map_or(Value::Null, Value::Text)
}

/// `Some(n)` as a number, `None` as `null`.
fn int_or_null<'a>(n: Option<u16>) -> Value<'a> {
    n.map_or(Value::Null, |n| Value::Int(n.into()))
}

/// `rdsToken(host, port, user, region, accessKeyId, secretAccessKey, sessionToken, expiresIn,
/// time)`: an RDS / Aurora IAM authentication token. `region` `None`: the one the endpoint host
/// names (the core's `region_or_from_host`).
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn rds_token(
    signer: &Signer,
    host: &str,
    port: f64,
    user: &str,
    region: Option<&str>,
    access_key_id: &str,
    secret_access_key: &str,
    session_token: Option<&str>,
    expires_in: f64,
    time: f64,
) -> Result<String> {
    let args = (host, port, user, region, expires_in, time);
    with_rds(
        args,
        access_key_id,
        secret_access_key,
        session_token,
        |request, creds| signer.token(request, creds),
    )
}

/// `rdsToken`'s arguments before the credentials: host, port, user, region, expiresIn, time.
type RdsArgs<'a> = (&'a str, f64, &'a str, Option<&'a str>, f64, f64);

/// The core's RDS request and credentials from the contract's arguments, given to `sign`.
fn with_rds<R>(
    (host, port, user, region, expires_in, time): RdsArgs<'_>,
    access_key_id: &str,
    secret_access_key: &str,
    session_token: Option<&str>,
    sign: impl FnOnce(&RdsTokenRequest<'_>, &Credentials<'_>) -> Result<R>,
) -> Result<R> {
    // Omitted: the one the host names. Given: the signer checks it in the core's field order
    // (region_or_from_host would check the host and the region twice).
    let region = match region {
        Some(region) => region,
        None => iamauth::region_or_from_host(None, host)?,
    };
    let request = RdsTokenRequest {
        expires_in: int(expires_in),
        ..RdsTokenRequest::new(host, int(port), user, region, int(time))
    };
    // The credentials after the request's own arguments, as the core orders its checks.
    let creds = Credentials::new(access_key_id, secret_access_key, session_token)?;
    sign(&request, &creds)
}

/// An RDS token with its SigV4 steps, as the core's [`Signer::token_with_steps`] records them.
#[derive(Debug)]
pub struct Steps(pub SigningSteps);

impl Steps {
    /// The record of the native `rdsSigningSteps`.
    pub fn fields(&self) -> [Field<'_>; 4] {
        let s = &self.0;
        [
            ("canonicalRequest", Value::Text(&s.canonical_request)),
            ("stringToSign", Value::Text(&s.string_to_sign)),
            ("signature", Value::Text(&s.signature)),
            ("token", Value::Text(&s.presigned)),
        ]
    }
}

/// `rdsSigningSteps(...)`, `rdsToken`'s arguments: the same token with every SigV4 step (the
/// core's `token_with_steps`), for showing how it is made (`iamauth demo`, the wasm token page).
/// Apart from `rds_token` so that signing alone never records the steps.
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn rds_signing_steps(
    signer: &Signer,
    host: &str,
    port: f64,
    user: &str,
    region: Option<&str>,
    access_key_id: &str,
    secret_access_key: &str,
    session_token: Option<&str>,
    expires_in: f64,
    time: f64,
) -> Result<Steps> {
    let args = (host, port, user, region, expires_in, time);
    with_rds(
        args,
        access_key_id,
        secret_access_key,
        session_token,
        |request, creds| signer.token_with_steps(request, creds).map(Steps),
    )
}

/// `dsqlToken(host, region, accessKeyId, secretAccessKey, sessionToken, admin, expiresIn, time)`:
/// an Aurora DSQL token, `DbConnectAdmin` when `admin`. `region` `None`: the one the endpoint
/// host names.
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn dsql_token(
    signer: &Signer,
    host: &str,
    region: Option<&str>,
    access_key_id: &str,
    secret_access_key: &str,
    session_token: Option<&str>,
    admin: bool,
    expires_in: f64,
    time: f64,
) -> Result<String> {
    let action = match admin {
        true => DsqlAction::DbConnectAdmin,
        false => DsqlAction::DbConnect,
    };
    // Omitted: the one the host names. Given: the signer checks it in the core's field order
    // (region_or_from_host would check the host and the region twice).
    let region = match region {
        Some(region) => region,
        None => iamauth::region_or_from_host(None, host)?,
    };
    let request = DsqlTokenRequest {
        expires_in: int(expires_in),
        ..DsqlTokenRequest::new(host, region, action, int(time))
    };
    // The credentials after the request's own arguments, as the core orders its checks.
    let creds = Credentials::new(access_key_id, secret_access_key, session_token)?;
    signer.token(&request, &creds)
}

/// `elasticacheToken(name, user, region, accessKeyId, secretAccessKey, sessionToken, serverless,
/// service, expiresIn, time)`: an ElastiCache (`elasticache`) or MemoryDB (`memorydb`) token;
/// `serverless` adds `ResourceType=ServerlessCache`. `service` `None`: the core's default cache
/// service.
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn elasticache_token(
    signer: &Signer,
    name: &str,
    user: &str,
    region: &str,
    access_key_id: &str,
    secret_access_key: &str,
    session_token: Option<&str>,
    serverless: bool,
    service: Option<&str>,
    expires_in: f64,
    time: f64,
) -> Result<String> {
    let service = match service {
        Some(s) => CacheService::parse(s)?,
        None => CacheService::default(),
    };
    let request = ElastiCacheTokenRequest {
        serverless,
        service,
        expires_in: int(expires_in),
        ..ElastiCacheTokenRequest::new(name, user, region, int(time))
    };
    // The credentials after the request's own arguments, as the core orders its checks.
    let creds = Credentials::new(access_key_id, secret_access_key, session_token)?;
    signer.token(&request, &creds)
}

/// `eksToken(cluster, region, stsEndpoint, accessKeyId, secretAccessKey, sessionToken, time)`:
/// an Amazon EKS token (`k8s-aws-v1.`...). `sts_endpoint` `None`: the core's default (regional);
/// else `regional` or `global` (the core's `StsEndpoint::parse`).
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn eks_token(
    signer: &Signer,
    cluster: &str,
    region: &str,
    sts_endpoint: Option<&str>,
    access_key_id: &str,
    secret_access_key: &str,
    session_token: Option<&str>,
    time: f64,
) -> Result<String> {
    let sts_endpoint = match sts_endpoint {
        Some(s) => StsEndpoint::parse(s)?,
        None => StsEndpoint::default(),
    };
    let request = EksTokenRequest {
        sts_endpoint,
        ..EksTokenRequest::new(cluster, region, int(time))
    };
    // The credentials after the request's own arguments, as the core orders its checks.
    let creds = Credentials::new(access_key_id, secret_access_key, session_token)?;
    signer.token(&request, &creds)
}

/// `eksExpiration(time)`: the `status.expirationTimestamp` awscli writes into its
/// `ExecCredential` for a token signed at `time` (the core's `EksTokenRequest::expiration`, in
/// the core's RFC 3339 form). `INVALID_TIME` out of range.
pub fn eks_expiration(time: f64) -> Result<String> {
    iamauth::format_rfc3339(EksTokenRequest::new("", "", int(time)).expiration())
}

/// `mskToken(region, accessKeyId, secretAccessKey, sessionToken, expiresIn, userAgent, time)`: an
/// Amazon MSK IAM token (Kafka SASL/OAUTHBEARER). `user_agent` `None`: the core's
/// (`iamauth/<version>`).
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn msk_token(
    signer: &Signer,
    region: &str,
    access_key_id: &str,
    secret_access_key: &str,
    session_token: Option<&str>,
    expires_in: f64,
    user_agent: Option<&str>,
    time: f64,
) -> Result<String> {
    let base = MskTokenRequest::new(region, int(time));
    let request = MskTokenRequest {
        expires_in: int(expires_in),
        user_agent: user_agent.unwrap_or(base.user_agent),
        ..base
    };
    // The credentials after the request's own arguments, as the core orders its checks.
    let creds = Credentials::new(access_key_id, secret_access_key, session_token)?;
    signer.token(&request, &creds)
}

/// `mskExpiryMs(time, expiresIn)`: an MSK token's expiry in unix milliseconds, as the MSK signers
/// return it (the core's `MskTokenRequest::expires_at_ms`).
pub fn msk_expiry_ms(time: f64, expires_in: f64) -> i64 {
    MskTokenRequest {
        expires_in: int(expires_in),
        ..MskTokenRequest::new("", int(time))
    }
    .expires_at_ms()
}

/// A token read back and judged at a time: what `inspect` returns.
#[derive(Debug)]
pub struct Inspected<'t> {
    /// What the token says.
    pub info: TokenInfo<'t>,
    /// Its state at the `now` given.
    pub validity: Validity,
}

impl Inspected<'_> {
    /// The record of the native `inspect`: the token's fields, then `status` (`valid`, `expired`
    /// or `not_yet_valid`) and its one number, `seconds` (the core's `Validity::seconds`).
    pub fn fields(&self) -> [Field<'_>; 16] {
        let i = &self.info;
        [
            ("kind", Value::Text(i.kind.as_str())),
            ("host", Value::Text(i.host)),
            ("port", int_or_null(i.port)),
            ("user", text_or_null(i.user.as_deref())),
            ("action", Value::Text(i.action)),
            ("serverless", Value::Bool(i.serverless)),
            ("region", Value::Text(i.region)),
            ("service", Value::Text(i.service)),
            ("accessKeyId", Value::Text(i.access_key_id)),
            ("signedAt", Value::Int(i.signed_at)),
            ("expiresIn", Value::Int(i.expires_in.into())),
            ("expiresAt", Value::Int(i.expires_at)),
            ("hasSessionToken", Value::Bool(i.has_session_token)),
            ("signature", Value::Text(i.signature)),
            ("status", Value::Text(self.validity.as_str())),
            ("seconds", Value::Int(self.validity.seconds())),
        ]
    }
}

/// `inspect(token, now)`: reads a token back (`MALFORMED_TOKEN` if it is not one; an EKS or MSK
/// token through the core's `decode_token` first) and judges it at `now`, unix seconds
/// (`INVALID_TIME` out of range); `record` is given the result (which borrows the decoded text).
pub fn inspect<R>(token: &str, now: f64, record: impl FnOnce(&Inspected<'_>) -> R) -> Result<R> {
    let text = iamauth::decode_token(token);
    let info = iamauth::inspect(&text)?;
    let validity = info.validity(int(now))?;
    Ok(record(&Inspected { info, validity }))
}

/// Who signed a verified token and what it grants: what `verify` returns.
#[derive(Debug)]
pub struct Verified<'t>(pub Identity<'t>);

impl Verified<'_> {
    /// The record of the native `verify` (times in unix seconds).
    pub fn fields(&self) -> [Field<'_>; 10] {
        let who = &self.0;
        [
            ("kind", Value::Text(who.kind.as_str())),
            ("accessKeyId", Value::Text(who.access_key_id)),
            ("user", text_or_null(who.user.as_deref())),
            ("action", Value::Text(who.action)),
            ("host", Value::Text(who.host)),
            ("port", int_or_null(who.port)),
            ("region", Value::Text(who.region)),
            ("service", Value::Text(who.service)),
            ("signedAt", Value::Int(who.signed_at)),
            ("expiresAt", Value::Int(who.expires_at)),
        ]
    }
}

/// `verify(token, keysText, accessKeyId, secretAccessKey, sessionToken, host, port, user, action,
/// region, service, cluster, skew, now)`: verifies a token as the database would (the core's
/// checks, in the core's order; an EKS or MSK token through the core's `decode_token` first,
/// `cluster` the EKS cluster expected); `record` is given the identity (which borrows the
/// decoded text). The keys are a keys file's JSON text (`keys_text`, with its keys' `users`
/// and `hosts` grants) or else the one key the front-end looked up for the token's access key id
/// (no grants; no key at all when the id or the secret is `None`). `None` expectations accept any value; `service` `None` is the core's default.
/// The port expectation is checked first (`INVALID_PORT`), then the keys are read.
#[allow(clippy::too_many_arguments)] // The positional native contract is the API.
pub fn verify<R>(
    token: &str,
    keys_text: Option<&str>,
    access_key_id: Option<&str>,
    secret_access_key: Option<&str>,
    session_token: Option<&str>,
    host: Option<&str>,
    port: Option<f64>,
    user: Option<&str>,
    action: Option<&str>,
    region: Option<&str>,
    service: Option<&str>,
    cluster: Option<&str>,
    skew: f64,
    now: f64,
    record: impl FnOnce(&Verified<'_>) -> R,
) -> Result<R> {
    let port = match port {
        Some(p) => Some(iamauth::check_port(int(p))?),
        None => None,
    };
    let expect = Expectations::new(host, port, user, action, region, service, int(skew))
        .with_cluster(cluster);
    let keys = match (keys_text, access_key_id, secret_access_key) {
        (Some(text), _, _) => Some(KeyFile::parse(text)?),
        (None, Some(id), Some(secret)) => Some(KeyFile::single(id, secret, session_token)?),
        _ => None,
    };
    let key = |id: &str| keys.as_ref().and_then(|k| k.get(id));
    let text = iamauth::decode_token(token);
    iamauth::verify(&text, key, &expect, int(now)).map(|who| record(&Verified(who)))
}

/// `reuseUntil(signedAt, expiresIn, credentialsExpiration)`: until when (unix seconds) a provider
/// may hand out again a token signed at `signed_at` (the core's `reuse_until`;
/// `INVALID_CREDENTIALS` when the credentials have expired). No expiration: long-term
/// credentials.
pub fn reuse_until(
    signed_at: f64,
    expires_in: f64,
    credentials_expiration: Option<f64>,
) -> Result<i64> {
    iamauth::reuse_until(
        int(signed_at),
        int(expires_in),
        credentials_expiration.map(int),
    )
}

/// `mayReuse(now, signedAt, reuseUntil)`: whether a token cached at `signed_at` until
/// `reuse_until` may be handed out at `now` (the core's `may_reuse`).
pub fn may_reuse(now: f64, signed_at: f64, reuse_until: f64) -> bool {
    iamauth::may_reuse(int(now), int(signed_at), int(reuse_until))
}

/// `errorCodes()`: the core's error table (`ErrorCode::ALL`, in number order), one record per
/// code: `code` (the stable name, `INVALID_PORT`), `number` (the C ABI's), `description`.
pub fn error_codes() -> impl ExactSizeIterator<Item = [Field<'static>; 3]> {
    ErrorCode::ALL.into_iter().map(|c| {
        [
            ("code", Value::Text(c.name())),
            ("number", Value::Int(c.number().into())),
            ("description", Value::Text(c.description())),
        ]
    })
}

/// `defaultExpiresIn()`: a token's lifetime when the caller gives none, seconds.
pub const DEFAULT_EXPIRES_IN: i64 = iamauth::DEFAULT_EXPIRY;

/// `defaultSkew()`: the clock skew `verify` allows when told none, seconds.
pub const DEFAULT_SKEW: i64 = iamauth::DEFAULT_SKEW;

/// `defaultService()`: the service `verify` expects when told none.
pub const DEFAULT_SERVICE: &str = iamauth::DEFAULT_SERVICE;

/// `eksExecApiVersion()`: the `ExecCredential` `apiVersion` when the caller gives none (awscli's).
pub const EKS_EXEC_API_VERSION: &str = iamauth::EKS_EXEC_API_VERSION;

/// `version()`: the packages' version, the Cargo workspace's.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HOST: &str = "mydb.123456789012.us-east-1.rds.amazonaws.com";
    const AKID: &str = "AKIDEXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TIME: f64 = 1_704_164_645.0;

    /// The record's field names, space-separated.
    fn names(fields: &[Field<'_>]) -> String {
        let names: Vec<_> = fields.iter().map(|(name, _)| *name).collect();
        names.join(" ")
    }

    fn token() -> String {
        let signer = Signer::new();
        rds_token(
            &signer, HOST, 5432.0, "iam_user", None, AKID, SECRET, None, 900.0, TIME,
        )
        .unwrap()
    }

    #[test]
    fn int_saturates_and_nan_is_out_of_range() {
        assert_eq!(int(5432.9), 5432);
        assert_eq!(int(f64::NAN), i64::MIN);
        assert_eq!(int(f64::INFINITY), i64::MAX);
        assert_eq!(int(-1e300), i64::MIN);
    }

    #[test]
    fn inspect_record_has_the_contract_names() {
        let token = token();
        inspect(&token, TIME + 55.0, |inspected| {
            let fields = inspected.fields();
            let want = "kind host port user action serverless region service accessKeyId \
                        signedAt expiresIn expiresAt hasSessionToken signature status seconds";
            assert_eq!(names(&fields), want);
            assert_eq!(fields[2].1, Value::Int(5432));
            assert_eq!(fields[14].1, Value::Text("valid"));
            assert_eq!(fields[15].1, Value::Int(845));
        })
        .unwrap();
        assert_eq!(
            inspect(&token, f64::NAN, |_| ()).unwrap_err().code(),
            ErrorCode::InvalidTime
        );
    }

    #[test]
    fn verify_with_one_key_or_a_keys_file() {
        let token = token();
        let skew = DEFAULT_SKEW as f64;
        let user = Some("iam_user");
        let one = verify(
            &token,
            None,
            Some(AKID),
            Some(SECRET),
            None,
            Some(HOST),
            Some(5432.0),
            user,
            None,
            None,
            None,
            None,
            skew,
            TIME,
            |v| names(&v.fields()),
        )
        .unwrap();
        let want = "kind accessKeyId user action host port region service signedAt expiresAt";
        assert_eq!(one, want);
        let file = format!(r#"{{"{AKID}": {{"secret_access_key": "{SECRET}"}}}}"#);
        let with = |keys: Option<&str>, port: Option<f64>| {
            verify(
                &token,
                keys,
                None,
                None,
                None,
                None,
                port,
                None,
                None,
                None,
                None,
                None,
                skew,
                TIME,
                |v| String::from(v.0.access_key_id),
            )
            .map_err(|e| e.code())
        };
        assert_eq!(with(Some(&file), None), Ok(String::from(AKID)));
        assert!(with(None, None).is_err());
        // The port expectation is judged before the keys are read.
        assert_eq!(with(Some("{"), Some(0.0)), Err(ErrorCode::InvalidPort));
    }

    #[test]
    fn tokens_take_the_core_defaults() {
        let signer = Signer::new();
        let cache = |service| {
            elasticache_token(
                &signer,
                "my-cache",
                "alice",
                "us-east-1",
                AKID,
                SECRET,
                None,
                false,
                service,
                900.0,
                TIME,
            )
        };
        assert!(cache(None).unwrap().contains("Action=connect&User=alice"));
        assert_eq!(
            cache(Some("s3")).unwrap_err().code(),
            ErrorCode::InvalidService
        );
        let host = "abc.dsql.us-east-1.on.aws";
        let dsql = dsql_token(&signer, host, None, AKID, SECRET, None, true, 900.0, TIME);
        assert!(dsql.unwrap().contains("Action=DbConnectAdmin"));
    }

    #[test]
    fn error_table_is_the_core_table() {
        let rows: Vec<_> = error_codes().collect();
        assert_eq!(rows.len(), ErrorCode::ALL.len());
        for (row, c) in rows.iter().zip(ErrorCode::ALL) {
            assert_eq!(names(row), "code number description");
            assert_eq!(row[0].1, Value::Text(c.name()));
            assert_eq!(row[1].1, Value::Int(c.number().into()));
        }
    }

    #[test]
    fn signing_steps_are_the_token_and_its_steps() {
        let signer = Signer::new();
        let steps = rds_signing_steps(
            &signer, HOST, 5432.0, "iam_user", None, AKID, SECRET, None, 900.0, TIME,
        )
        .unwrap();
        let fields = steps.fields();
        assert_eq!(
            names(&fields),
            "canonicalRequest stringToSign signature token"
        );
        assert_eq!(fields[3].1, Value::Text(&token()));
        assert!(
            steps
                .0
                .string_to_sign
                .starts_with("AWS4-HMAC-SHA256\n20240102T030405Z\n")
        );
    }

    #[test]
    fn eks_and_msk_tokens_read_back_and_verify() {
        let signer = Signer::new();
        let eks = eks_token(
            &signer,
            "my-cluster",
            "us-east-1",
            None,
            AKID,
            SECRET,
            None,
            TIME,
        )
        .unwrap();
        assert!(eks.starts_with("k8s-aws-v1."));
        assert_eq!(eks_expiration(TIME).unwrap(), "2024-01-02T03:18:05Z");
        let bogus = eks_token(
            &signer,
            "my-cluster",
            "us-east-1",
            Some("bogus"),
            AKID,
            SECRET,
            None,
            TIME,
        );
        assert_eq!(bogus.unwrap_err().code(), ErrorCode::InvalidRequest);
        let kind = inspect(&eks, TIME, |i| i.info.kind.as_str()).unwrap();
        assert_eq!(kind, "eks");
        let skew = DEFAULT_SKEW as f64;
        let check = |token: &str, service, cluster| {
            verify(
                token,
                None,
                Some(AKID),
                Some(SECRET),
                None,
                None,
                None,
                None,
                None,
                None,
                Some(service),
                cluster,
                skew,
                TIME,
                |v| v.0.kind.as_str(),
            )
            .map_err(|e| e.code())
        };
        assert_eq!(check(&eks, "sts", Some("my-cluster")), Ok("eks"));
        assert_eq!(check(&eks, "sts", None), Err(ErrorCode::InvalidCluster));
        assert_eq!(
            check(&eks, "sts", Some("other")),
            Err(ErrorCode::SignatureMismatch)
        );
        let msk = msk_token(&signer, "us-east-1", AKID, SECRET, None, 900.0, None, TIME).unwrap();
        assert_eq!(check(&msk, "kafka-cluster", None), Ok("msk"));
        assert_eq!(msk_expiry_ms(TIME, 900.0), 1_704_165_545_000);
        let ua = msk_token(
            &signer,
            "us-east-1",
            AKID,
            SECRET,
            None,
            900.0,
            Some(""),
            TIME,
        );
        assert_eq!(ua.unwrap_err().code(), ErrorCode::InvalidUserAgent);
    }

    #[test]
    fn reuse_is_the_core_rule() {
        assert_eq!(reuse_until(1_000.0, 900.0, None), Ok(1_600));
        assert!(reuse_until(1_000.0, 900.0, Some(1_000.0)).is_err());
        assert!(may_reuse(1_000.0, 1_000.0, 1_600.0));
        assert!(!may_reuse(f64::NAN, 1_000.0, 1_600.0));
    }
}
