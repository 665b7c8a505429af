//! Verifying a token the way the database's side does: read it, find the signer's key,
//! recompute the signature from the token's own parameters, then check what it grants.
//!
//! The checks run in this order, and the first failure is the result:
//! 0. the expectations themselves follow the signing rules (`INVALID_HOST`, `INVALID_PORT`,
//!    `INVALID_USER`, `INVALID_REGION`, `INVALID_SERVICE`, `INVALID_TIME` for the skew), and
//!    `now` is a valid time (`INVALID_TIME`);
//! 1. the token reads ([`inspect`], any SDK's layout) (`MALFORMED_TOKEN`);
//! 2. its service is the expected one (`WRONG_SERVICE`) and `X-Amz-Expires` is within the
//!    service's limit, 900 s for `rds-db` (`EXPIRES_TOO_LONG`);
//! 3. its access key id is known (`UNKNOWN_ACCESS_KEY`);
//! 4. the signature matches, compared in constant time (`SIGNATURE_MISMATCH`): it is recomputed
//!    by laying the token's fields out again with the token layouts and running the signing
//!    engine, so signing and verify share every step; from here on every field is the signer's;
//! 5. it carries exactly the key's session token, or none if the key has none
//!    (`SESSION_TOKEN_MISMATCH`);
//! 6. region, host, port, user and action are the expected ones (`WRONG_REGION`, `WRONG_HOST`,
//!    `WRONG_PORT`, `WRONG_USER`, `WRONG_ACTION`), and the key is granted the user and the host
//!    (`USER_NOT_ALLOWED`, `HOST_NOT_ALLOWED`: the keys file's `users` and `hosts`);
//! 7. it is not signed further in the future than the allowed clock skew (`NOT_YET_VALID`) and
//!    has not expired (`EXPIRED_TOKEN`).

use alloc::borrow::Cow;
use alloc::string::String;

use crate::credentials::Credentials;
use crate::datetime::SigningTime;
use crate::encode::percent_decode;
use crate::error::{Error, ErrorCode, Result};
use crate::inspect::{TokenInfo, TokenKind, inspect};
use crate::presign::{Spec, signature_of};
use crate::rules::{
    check_cluster, check_host, check_port, check_region, check_service, check_skew, check_user,
    token_expiry_limit,
};
use crate::sigv4::signing_key_stack;
use crate::tokens::sealed::Layout;
use crate::tokens::{
    CacheService, DsqlAction, DsqlTokenRequest, ElastiCacheTokenRequest, RdsTokenRequest,
    lay_out_eks, lay_out_msk,
};

/// The clock skew allowed by default: a token signed up to 5 minutes in the future is accepted.
pub const DEFAULT_SKEW: i64 = 300;

/// The service a verifier expects when told none: RDS / Aurora.
pub const DEFAULT_SERVICE: &str = "rds-db";

/// A signer's key as the verifier knows it.
#[derive(Clone, Copy)]
pub struct VerifyKey<'k> {
    /// The secret access key.
    pub secret_access_key: &'k str,
    /// The session token tokens signed with this key must carry; `None`: they must carry none.
    pub session_token: Option<&'k str>,
    /// The users this key may sign for (exact names, or a prefix ending in `*`); `None`: any.
    pub users: Option<&'k [String]>,
    /// The hosts this key may sign for (compared without regard to case; a prefix ending in
    /// `*`); `None`: any.
    pub hosts: Option<&'k [String]>,
}

impl<'k> VerifyKey<'k> {
    /// A key with no grant lists (it may sign for any user and host).
    pub const fn new(secret_access_key: &'k str, session_token: Option<&'k str>) -> Self {
        VerifyKey {
            secret_access_key,
            session_token,
            users: None,
            hosts: None,
        }
    }
}

/// Whether `name` is granted by `list` (`None`: no list, so any name): an exact name, or a
/// prefix ending in `*`; `same` compares the exact names and prefixes.
fn granted(list: Option<&[String]>, name: Option<&str>, same: fn(&str, &str) -> bool) -> bool {
    let Some(list) = list else { return true };
    let Some(name) = name else { return false };
    list.iter().any(|g| match g.strip_suffix('*') {
        Some(prefix) => name
            .get(..prefix.len())
            .is_some_and(|head| same(head, prefix)),
        None => same(name, g),
    })
}

impl core::fmt::Debug for VerifyKey<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifyKey")
            .field("secret_access_key", &"<redacted>")
            .field("session_token", &self.session_token.map(|_| "<redacted>"))
            .field("users", &self.users)
            .field("hosts", &self.hosts)
            .finish()
    }
}

/// What a token must grant. `None` accepts any value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expectations<'a> {
    /// The endpoint clients connect to, compared as botocore signs it (case-insensitively).
    pub host: Option<&'a str>,
    /// The port (RDS tokens carry one; DSQL and cache tokens none).
    pub port: Option<u16>,
    /// The database user, exactly (after percent-decoding the token's).
    pub user: Option<&'a str>,
    /// The action: `DbConnect` or `DbConnectAdmin` (DSQL; RDS and cache tokens carry
    /// `connect`, so expecting either refuses them with `WRONG_ACTION`).
    pub action: Option<&'a str>,
    /// The region of the credential scope.
    pub region: Option<&'a str>,
    /// The signing service: `rds-db`, `dsql`, `elasticache` or `memorydb`; `None` is
    /// [`DEFAULT_SERVICE`] (a verifier always checks the service, so that a cache token never
    /// opens a database).
    pub service: Option<&'a str>,
    /// Seconds a token may be signed in the future of `now` (clocks differ).
    pub skew: i64,
    /// The EKS cluster (`x-k8s-aws-id`). An EKS token signs it without writing it down, so
    /// verifying one needs it (`INVALID_CLUSTER` without); a token for another cluster then
    /// fails as `SIGNATURE_MISMATCH`. Other kinds ignore it.
    pub cluster: Option<&'a str>,
}

impl Default for Expectations<'_> {
    fn default() -> Self {
        Expectations {
            host: None,
            port: None,
            user: None,
            action: None,
            region: None,
            service: None,
            skew: DEFAULT_SKEW,
            cluster: None,
        }
    }
}

/// Expectations once checked, with the defaults filled in.
struct Settings<'a> {
    service: &'a str,
    skew: i64,
}

impl<'a> Expectations<'a> {
    /// Every expectation at once, in field order (what a binding builds from its arguments).
    pub const fn new(
        host: Option<&'a str>,
        port: Option<u16>,
        user: Option<&'a str>,
        action: Option<&'a str>,
        region: Option<&'a str>,
        service: Option<&'a str>,
        skew: i64,
    ) -> Self {
        Expectations {
            host,
            port,
            user,
            action,
            region,
            service,
            skew,
            cluster: None,
        }
    }

    /// The same expectations with the EKS cluster to expect.
    pub const fn with_cluster(self, cluster: Option<&'a str>) -> Self {
        Expectations { cluster, ..self }
    }

    /// Checks every expectation by its signing rule, in field order: `INVALID_HOST`,
    /// `INVALID_PORT` (port 0), `INVALID_USER`, `INVALID_ACTION`, `INVALID_REGION`, `INVALID_SERVICE`,
    /// `INVALID_TIME` (skew), `INVALID_CLUSTER`. [`verify`] runs it first; a verifier configured once (the PAM
    /// module) can run it when it reads its configuration.
    pub fn check(&self) -> Result<()> {
        self.settings().map(|_| ())
    }

    /// The checked settings, with the defaults filled in.
    fn settings(&self) -> Result<Settings<'a>> {
        if let Some(host) = self.host {
            check_host(host)?;
        }
        if let Some(port) = self.port {
            check_port(i64::from(port))?;
        }
        if let Some(user) = self.user {
            check_user(user)?;
        }
        if let Some(action) = self.action {
            DsqlAction::parse(action)?;
        }
        if let Some(region) = self.region {
            check_region(region)?;
        }
        let service = self.service.unwrap_or(DEFAULT_SERVICE);
        check_service(service)?;
        let skew = check_skew(self.skew)?;
        if let Some(cluster) = self.cluster {
            check_cluster(cluster)?;
        }
        Ok(Settings { service, skew })
    }
}

/// Who a verified token was signed by and what it grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity<'t> {
    /// What the token is for.
    pub kind: TokenKind,
    /// The signer's access key id.
    pub access_key_id: &'t str,
    /// The database or cache user (`None` for DSQL).
    pub user: Option<Cow<'t, str>>,
    /// `connect`, `DbConnect` or `DbConnectAdmin`.
    pub action: &'t str,
    /// The host as written in the token.
    pub host: &'t str,
    /// The port, if the token has one.
    pub port: Option<u16>,
    /// The credential scope's region.
    pub region: &'t str,
    /// The credential scope's service.
    pub service: &'t str,
    /// When it was signed, unix seconds.
    pub signed_at: i64,
    /// When it expires, unix seconds.
    pub expires_at: i64,
}

const fn error(code: ErrorCode, message: &'static str) -> Error {
    Error::new(code, message)
}

/// Verifies `token` at `now` (unix seconds) with the keys `keys` knows (see the module docs for
/// the order of the checks). Returns the identity, or the first failed check's code.
///
/// ```
/// use iamauth::{Credentials, Expectations, RdsTokenRequest, VerifyKey, rds_token, verify};
///
/// let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// let creds = Credentials::new("AKIDEXAMPLE", secret, None)?;
/// let token = rds_token(&RdsTokenRequest::new("db.example.com", 5432, "app", "us-east-1", 1704164645), &creds)?;
/// let keys = |akid: &str| (akid == "AKIDEXAMPLE").then_some(VerifyKey::new(secret, None));
/// let expect = Expectations { host: Some("db.example.com"), port: Some(5432), user: Some("app"), ..Expectations::default() };
/// let who = verify(&token, keys, &expect, 1704164645 + 60)?;
/// assert_eq!(who.user.as_deref(), Some("app"));
/// let late = verify(&token, keys, &expect, 1704164645 + 900).unwrap_err();
/// assert_eq!(late.code().name(), "EXPIRED_TOKEN");
/// # Ok::<(), iamauth::Error>(())
/// ```
pub fn verify<'t, 'k>(
    token: &'t str,
    keys: impl Fn(&str) -> Option<VerifyKey<'k>>,
    expect: &Expectations<'_>,
    now: i64,
) -> Result<Identity<'t>> {
    // One body for every kind of key lookup (a binding may pass two): smaller builds.
    verify_with(token, &keys, expect, now)
}

fn verify_with<'t, 'k>(
    token: &'t str,
    keys: &dyn Fn(&str) -> Option<VerifyKey<'k>>,
    expect: &Expectations<'_>,
    now: i64,
) -> Result<Identity<'t>> {
    // 0. The verifier's own settings, by the signing rules: a mistyped expectation is reported
    //    as such (`INVALID_HOST`, ...), never as a token that does not match it.
    let Settings { service, skew } = expect.settings()?;
    let now = SigningTime::from_unix(now)?.unix();
    // 1. Read it.
    let info = inspect(token)?;

    // 2. The service and its expiry limit.
    if info.service != service {
        return Err(error(
            ErrorCode::WrongService,
            "token: signed for another service",
        ));
    }
    if i64::from(info.expires_in) > token_expiry_limit(info.service) {
        return Err(error(
            ErrorCode::ExpiresTooLong,
            "token: X-Amz-Expires is above the service's limit (900 s for rds-db)",
        ));
    }

    // 3. The key.
    let key = keys(info.access_key_id).ok_or(error(
        ErrorCode::UnknownAccessKey,
        "token: signed with an unknown access key id",
    ))?;

    // 4. The signature, recomputed by the signing engine from the token's own fields.
    let carried = carried_session_token(token)?;
    let expected = expected_signature(
        &info,
        carried.as_deref(),
        key.secret_access_key,
        expect.cluster,
    )?;
    if !constant_time_eq(&expected, info.signature.as_bytes()) {
        return Err(error(
            ErrorCode::SignatureMismatch,
            "token: the signature does not match",
        ));
    }

    // 5. The session token: exactly the key's, or none.
    let session_ok = match (key.session_token, carried.as_deref()) {
        (None, None) => true,
        (Some(want), Some(got)) => constant_time_eq(want.as_bytes(), got.as_bytes()),
        _ => false,
    };
    if !session_ok {
        return Err(error(
            ErrorCode::SessionTokenMismatch,
            "token: its session token is not the one this key requires",
        ));
    }

    // 6. What it grants.
    if expect.region.is_some_and(|r| r != info.region) {
        return Err(error(
            ErrorCode::WrongRegion,
            "token: signed for another region",
        ));
    }
    if expect
        .host
        .is_some_and(|h| !h.eq_ignore_ascii_case(info.host))
    {
        return Err(error(ErrorCode::WrongHost, "token: made for another host"));
    }
    if expect.port.is_some_and(|p| Some(p) != info.port) {
        return Err(error(ErrorCode::WrongPort, "token: made for another port"));
    }
    if let Some(user) = expect.user {
        if info.user.as_deref() != Some(user) {
            return Err(error(ErrorCode::WrongUser, "token: made for another user"));
        }
    }
    if expect.action.is_some_and(|a| a != info.action) {
        return Err(error(
            ErrorCode::WrongAction,
            "token: made for another action",
        ));
    }
    // The key's grants (its keys-file `users` and `hosts`).
    if !granted(key.users, info.user.as_deref(), |a, b| a == b) {
        return Err(error(
            ErrorCode::UserNotAllowed,
            "token: its key is not granted this user",
        ));
    }
    if !granted(key.hosts, Some(info.host), str::eq_ignore_ascii_case) {
        return Err(error(
            ErrorCode::HostNotAllowed,
            "token: its key is not granted this host",
        ));
    }

    // 7. Time.
    if info.signed_at.saturating_sub(skew) > now {
        return Err(error(
            ErrorCode::NotYetValid,
            "token: signed in the future, beyond the allowed clock skew",
        ));
    }
    if now >= info.expires_at {
        return Err(error(ErrorCode::ExpiredToken, "token: has expired"));
    }

    let TokenInfo {
        kind,
        host,
        port,
        user,
        action,
        region,
        service,
        access_key_id,
        signed_at,
        expires_at,
        ..
    } = info;
    Ok(Identity {
        kind,
        access_key_id,
        user,
        action,
        host,
        port,
        region,
        service,
        signed_at,
        expires_at,
    })
}

/// The session token a token carries, decoded (`None` when it has none).
fn carried_session_token(token: &str) -> Result<Option<Cow<'_, str>>> {
    let query = token.split_once('?').map_or("", |(_, q)| q);
    let Some(raw) = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("X-Amz-Security-Token="))
    else {
        return Ok(None);
    };
    match percent_decode(raw) {
        Some(value) => Ok(Some(value)),
        None => Err(error(
            ErrorCode::MalformedToken,
            "token: X-Amz-Security-Token is not valid percent-encoded UTF-8",
        )),
    }
}

/// The signature the signer must have made: the token's fields laid out again by the token
/// layout of its kind and signed by the same engine as signing uses, with the key's secret and
/// the session token the token carries. Parameter order, the `%2F`s of the credential and Go's
/// missing `/` do not matter: the canonical query is rebuilt from the fields.
fn expected_signature(
    info: &TokenInfo<'_>,
    carried: Option<&str>,
    secret: &str,
    cluster: Option<&str>,
) -> Result<[u8; 64]> {
    // Signing's rules, not re-checked here: inspect read every field by them already.
    let creds = Credentials::unchecked(info.access_key_id, secret, carried);
    let time = SigningTime::from_unix(info.signed_at)?;
    let key = signing_key_stack(secret, time.scope_date(), info.region, info.service).mac();
    let sign = |spec: &Spec<'_>| signature_of(spec, &creds, key);
    let user = info.user.as_deref().unwrap_or_default();
    let expires_in = i64::from(info.expires_in);
    let laid_out = match info.kind {
        TokenKind::Rds => RdsTokenRequest {
            host: info.host,
            port: info.port.map_or(0, i64::from),
            user,
            region: info.region,
            time: info.signed_at,
            expires_in,
        }
        .lay_out(sign),
        TokenKind::Dsql => DsqlTokenRequest {
            host: info.host,
            region: info.region,
            action: DsqlAction::parse(info.action)?,
            time: info.signed_at,
            expires_in,
        }
        .lay_out(sign),
        TokenKind::ElastiCache => ElastiCacheTokenRequest {
            name: info.host,
            user,
            region: info.region,
            serverless: info.serverless,
            service: CacheService::parse(info.service)?,
            time: info.signed_at,
            expires_in,
        }
        .lay_out(sign),
        // The host was read by inspect's rule for each (an STS endpoint of the region; any host).
        TokenKind::Eks => {
            let cluster = cluster.ok_or(error(
                ErrorCode::InvalidCluster,
                "cluster: an EKS token signs its cluster without carrying it: give the cluster to expect",
            ))?;
            lay_out_eks(
                info.host,
                cluster,
                info.region,
                info.signed_at,
                info.expires_in,
                sign,
            )
        }
        TokenKind::Msk => lay_out_msk(
            info.host,
            info.region,
            info.signed_at,
            info.expires_in,
            sign,
        ),
    };
    // A user that no signer following the user rule can make (a control character, more than
    // 512 bytes) is not a token this library reads.
    laid_out.map_err(|e| match e.code() {
        ErrorCode::InvalidUser => error(
            ErrorCode::MalformedToken,
            "token: its user breaks the user rule (control characters or more than 512 bytes)",
        ),
        _ => e,
    })
}

/// Equal bytes, in time that depends only on the lengths.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
