//! Reading a token back: what it grants, to whom, and until when. Verification of the signature
//! with a secret key builds on [`TokenInfo`] (it recomputes the signature over the same fields).
//!
//! Accepts the layouts of botocore and this crate, and of the JS, Go, Java and Rust SDKs: their
//! parameter orders differ, Go leaves out the `/` before `?`; parameters are read as a set.
//!
//! EKS and MSK tokens carry their presigned URL in base64: [`decode_token`] gives the text
//! [`inspect`] and [`crate::verify`] read (the token itself for the other kinds).

use crate::base64url;
use crate::datetime::SigningTime;
use crate::encode::percent_decode;
use crate::error::{Error, ErrorCode, Result, fail};
use crate::rules::{MAX_PRESIGN_EXPIRY, check_host, check_region, is_access_key_id};
use crate::sigv4::{ALGORITHM, TERMINATOR};
use crate::tokens::{
    EKS_TOKEN_LIFETIME, EKS_TOKEN_PREFIX, MSK_ACTION, STS_ACTION, STS_GLOBAL_HOST, STS_VERSION,
    StsEndpoint, sts_host,
};
use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

/// What a token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// RDS / Aurora (`rds-db`).
    Rds,
    /// Aurora DSQL (`dsql`).
    Dsql,
    /// ElastiCache or MemoryDB (`elasticache` / `memorydb`).
    ElastiCache,
    /// Amazon EKS (`sts`: a presigned STS `GetCallerIdentity`).
    Eks,
    /// Amazon MSK (`kafka-cluster`).
    Msk,
}

impl TokenKind {
    /// `rds`, `dsql`, `elasticache`, `eks` or `msk`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenKind::Rds => "rds",
            TokenKind::Dsql => "dsql",
            TokenKind::ElastiCache => "elasticache",
            TokenKind::Eks => "eks",
            TokenKind::Msk => "msk",
        }
    }
}

/// Whether a token can be used at a given instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validity {
    /// Usable now, for this many more seconds.
    Valid {
        /// Seconds until it expires.
        seconds_left: i64,
    },
    /// Expired at `expired_at` (unix seconds), `seconds_ago` seconds before `now`.
    Expired {
        /// When it expired, unix seconds.
        expired_at: i64,
        /// How long ago.
        seconds_ago: i64,
    },
    /// Signed in the future relative to `now`: the signer's or this clock is wrong.
    NotYetValid {
        /// Seconds until its signing time.
        starts_in: i64,
    },
}

impl Validity {
    /// The one number of each state, for bindings that flatten it into `(state, seconds)`:
    /// `seconds_left`, `seconds_ago` or `starts_in`.
    pub const fn seconds(&self) -> i64 {
        match *self {
            Validity::Valid { seconds_left } => seconds_left,
            Validity::Expired { seconds_ago, .. } => seconds_ago,
            Validity::NotYetValid { starts_in } => starts_in,
        }
    }

    /// `valid`, `expired` or `not_yet_valid`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Validity::Valid { .. } => "valid",
            Validity::Expired { .. } => "expired",
            Validity::NotYetValid { .. } => "not_yet_valid",
        }
    }
}

/// The fields of a token. Borrowed from the token text where possible.
///
/// `Debug` redacts the signature: together with the other fields it would rebuild the token.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenInfo<'t> {
    /// What the token is for.
    pub kind: TokenKind,
    /// Host (or cache name) as written in the token: for EKS the STS endpoint, for MSK
    /// `kafka.{region}.amazonaws.com`.
    pub host: &'t str,
    /// Port (RDS only).
    pub port: Option<u16>,
    /// `DBUser` (RDS) or `User` (ElastiCache), decoded; `None` for DSQL.
    pub user: Option<Cow<'t, str>>,
    /// `Action`: `connect`, `DbConnect`, `DbConnectAdmin`, `GetCallerIdentity` (EKS) or
    /// `kafka-cluster:Connect` (MSK).
    pub action: &'t str,
    /// ElastiCache Serverless (`ResourceType=ServerlessCache`).
    pub serverless: bool,
    /// Region of the credential scope.
    pub region: &'t str,
    /// Signing service: `rds-db`, `dsql`, `elasticache`, `memorydb`, `sts` (EKS) or
    /// `kafka-cluster` (MSK).
    pub service: &'t str,
    /// Access key id of the signer.
    pub access_key_id: &'t str,
    /// Signing time, unix seconds.
    pub signed_at: i64,
    /// `X-Amz-Expires`, seconds.
    pub expires_in: u32,
    /// `signed_at + expires_in`, unix seconds; for EKS `signed_at` + 15 minutes, the window
    /// the server (aws-iam-authenticator) accepts whatever `X-Amz-Expires` (60) says.
    pub expires_at: i64,
    /// Whether an `X-Amz-Security-Token` is present (its value is never exposed).
    pub has_session_token: bool,
    /// `X-Amz-Signature`, lowercase hex.
    pub signature: &'t str,
}

impl fmt::Debug for TokenInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenInfo")
            .field("kind", &self.kind)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("action", &self.action)
            .field("serverless", &self.serverless)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("access_key_id", &self.access_key_id)
            .field("signed_at", &self.signed_at)
            .field("expires_in", &self.expires_in)
            .field("expires_at", &self.expires_at)
            .field("has_session_token", &self.has_session_token)
            .field("signature", &"<redacted>")
            .finish()
    }
}

impl TokenInfo<'_> {
    /// Whether the token is usable at `now` (unix seconds; `INVALID_TIME` out of range).
    /// Valid from its signing time up to, not including, its expiry time.
    pub fn validity(&self, now: i64) -> Result<Validity> {
        let now = SigningTime::from_unix(now)?.unix();
        Ok(if now < self.signed_at {
            Validity::NotYetValid {
                starts_in: self.signed_at - now,
            }
        } else if now >= self.expires_at {
            Validity::Expired {
                expired_at: self.expires_at,
                seconds_ago: now - self.expires_at,
            }
        } else {
            Validity::Valid {
                seconds_left: self.expires_at - now,
            }
        })
    }
}

const fn malformed(message: &'static str) -> Error {
    Error::new(ErrorCode::MalformedToken, message)
}

/// The query parameters a token may carry, each at most once.
#[derive(Default)]
struct TokenParams<'t> {
    action: Option<&'t str>,
    db_user: Option<&'t str>,
    user: Option<&'t str>,
    resource_type: Option<&'t str>,
    version: Option<&'t str>,
    user_agent: Option<&'t str>,
    algorithm: Option<&'t str>,
    credential: Option<&'t str>,
    date: Option<&'t str>,
    expires: Option<&'t str>,
    signed_headers: Option<&'t str>,
    security_token: Option<&'t str>,
    signature: Option<&'t str>,
}

impl<'t> TokenParams<'t> {
    fn parse(query: &'t str) -> Result<TokenParams<'t>> {
        let mut q = TokenParams::default();
        for pair in query.split('&') {
            let Some((name, value)) = pair.split_once('=') else {
                return Err(malformed("token: every query parameter must be name=value"));
            };
            let slot = match name {
                "Action" => &mut q.action,
                "DBUser" => &mut q.db_user,
                "User" => &mut q.user,
                "ResourceType" => &mut q.resource_type,
                "Version" => &mut q.version,
                "User-Agent" => &mut q.user_agent,
                "X-Amz-Algorithm" => &mut q.algorithm,
                "X-Amz-Credential" => &mut q.credential,
                "X-Amz-Date" => &mut q.date,
                "X-Amz-Expires" => &mut q.expires,
                "X-Amz-SignedHeaders" => &mut q.signed_headers,
                "X-Amz-Security-Token" => &mut q.security_token,
                "X-Amz-Signature" => &mut q.signature,
                _ => return Err(malformed("token: unknown query parameter")),
            };
            if slot.replace(value).is_some() {
                return Err(malformed("token: a query parameter appears twice"));
            }
        }
        Ok(q)
    }
}

fn required<'t>(value: Option<&'t str>, message: &'static str) -> Result<&'t str> {
    value.ok_or(malformed(message))
}

/// The presigned text a token carries, for [`inspect`] and [`crate::verify`]: an EKS token
/// (`k8s-aws-v1.` + URL-safe base64) or an MSK token (URL-safe base64, no `?`) decoded to its
/// `https://` URL; anything else as it is (borrowed), for `inspect` to judge. It never fails,
/// so that verify still checks its expectations before it reads the token.
///
/// ```
/// assert_eq!(iamauth::decode_token("aHR0cHM6Ly9leGFtcGxlLmNvbS8_YT1i"), "https://example.com/?a=b");
/// assert_eq!(iamauth::decode_token("db:5432/?Action=connect"), "db:5432/?Action=connect");
/// assert_eq!(iamauth::inspect(&iamauth::decode_token("k8s-aws-v1.!")).unwrap_err().code().name(), "MALFORMED_TOKEN");
/// ```
pub fn decode_token(token: &str) -> Cow<'_, str> {
    let encoded = match token.strip_prefix(EKS_TOKEN_PREFIX) {
        Some(rest) => rest,
        // A presigned text always has a '?'; base64 never does.
        None if token.contains('?') => return Cow::Borrowed(token),
        None => token,
    };
    base64url::decode(encoded.as_bytes())
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .filter(|url| url.starts_with(URL_SCHEME))
        .map_or(Cow::Borrowed(token), Cow::Owned)
}

/// The scheme of the URL inside EKS and MSK tokens.
const URL_SCHEME: &str = "https://";

/// Reads a token (see the module docs): the token itself, or for EKS and MSK the URL
/// [`decode_token`] gives. `MALFORMED_TOKEN` says what is wrong.
pub fn inspect(token: &str) -> Result<TokenInfo<'_>> {
    if token.is_empty() {
        return fail(ErrorCode::MalformedToken, "token: is empty");
    }
    let Some((authority, query)) = token.split_once('?') else {
        return fail(
            ErrorCode::MalformedToken,
            "token: has no '?' before its query (and is not an EKS or MSK token: URL-safe base64 of an https:// URL, read through decode_token)",
        );
    };
    let (authority, is_url) = match authority.strip_prefix(URL_SCHEME) {
        Some(rest) => (rest, true),
        None => (authority, false),
    };
    // Looked for before the query only: a scheme can only be there, and the query is long.
    if authority.contains("://") {
        return fail(
            ErrorCode::MalformedToken,
            "token: must not start with a scheme such as http:// (only EKS and MSK URLs have https://)",
        );
    }
    // Go's SDK writes `host:port?...`; the others `host:port/?...`.
    let authority = authority.strip_suffix('/').unwrap_or(authority);
    let (host, port) = split_authority(authority)?;
    let q = TokenParams::parse(query)?;

    let algorithm = required(q.algorithm, "token: missing X-Amz-Algorithm")?;
    if algorithm != ALGORITHM {
        return fail(
            ErrorCode::MalformedToken,
            "token: X-Amz-Algorithm must be AWS4-HMAC-SHA256",
        );
    }
    let signed_headers = required(q.signed_headers, "token: missing X-Amz-SignedHeaders")?;
    let date = required(q.date, "token: missing X-Amz-Date")?;
    let signed_at = SigningTime::from_amz_date(date)
        .ok_or(malformed("token: X-Amz-Date must be YYYYMMDDTHHMMSSZ"))?;
    let expires_in = parse_expires(required(q.expires, "token: missing X-Amz-Expires")?)?;
    let signature = required(q.signature, "token: missing X-Amz-Signature")?;
    if signature.len() != 64
        || !signature
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return fail(
            ErrorCode::MalformedToken,
            "token: X-Amz-Signature must be 64 lowercase hex digits",
        );
    }
    let credential = Credential::parse(required(q.credential, "token: missing X-Amz-Credential")?)?;
    if credential.date != signed_at.scope_date() {
        return fail(
            ErrorCode::MalformedToken,
            "token: X-Amz-Credential's date differs from X-Amz-Date's",
        );
    }
    if q.security_token.is_some_and(str::is_empty) {
        return fail(
            ErrorCode::MalformedToken,
            "token: X-Amz-Security-Token is empty",
        );
    }
    let action = required(q.action, "token: missing Action")?;
    // Only EKS and MSK tokens are URLs; only they sign more than `host` or carry a Version or
    // User-Agent.
    let is_eks = credential.service == "sts";
    let is_msk = credential.service == "kafka-cluster";
    if is_url != (is_eks || is_msk) {
        return fail(
            ErrorCode::MalformedToken,
            "token: only EKS (sts) and MSK (kafka-cluster) tokens are https:// URLs, and they always are",
        );
    }
    let want_headers = if is_eks {
        "host%3Bx-k8s-aws-id"
    } else {
        "host"
    };
    if signed_headers != want_headers {
        return fail(
            ErrorCode::MalformedToken,
            "token: X-Amz-SignedHeaders must be host (EKS: host;x-k8s-aws-id)",
        );
    }
    if (q.version.is_some() && !is_eks) || (q.user_agent.is_some() && !is_msk) {
        return fail(
            ErrorCode::MalformedToken,
            "token: Version belongs to EKS tokens and User-Agent to MSK tokens only",
        );
    }
    let mut lifetime = i64::from(expires_in);

    let (kind, user, serverless) = match credential.service {
        "rds-db" => {
            if action != "connect"
                || q.user.is_some()
                || q.resource_type.is_some()
                || port.is_none()
            {
                return fail(
                    ErrorCode::MalformedToken,
                    "token: an rds-db token has host:port, Action=connect and DBUser only",
                );
            }
            let user = decode(required(q.db_user, "token: missing DBUser")?)?;
            (TokenKind::Rds, Some(user), false)
        }
        "dsql" => {
            if !matches!(action, "DbConnect" | "DbConnectAdmin")
                || q.db_user.is_some()
                || q.user.is_some()
                || q.resource_type.is_some()
                || port.is_some()
            {
                return fail(
                    ErrorCode::MalformedToken,
                    "token: a dsql token has no port and Action=DbConnect or DbConnectAdmin only",
                );
            }
            (TokenKind::Dsql, None, false)
        }
        "elasticache" | "memorydb" => {
            let serverless = match q.resource_type {
                None => false,
                Some("ServerlessCache") => true,
                Some(_) => {
                    return fail(
                        ErrorCode::MalformedToken,
                        "token: ResourceType must be ServerlessCache",
                    );
                }
            };
            if action != "connect" || q.db_user.is_some() || port.is_some() {
                return fail(
                    ErrorCode::MalformedToken,
                    "token: a cache token has no port, Action=connect and User only",
                );
            }
            let user = decode(required(q.user, "token: missing User")?)?;
            (TokenKind::ElastiCache, Some(user), serverless)
        }
        "sts" => {
            if action != STS_ACTION
                || q.version != Some(STS_VERSION)
                || q.db_user.is_some()
                || q.user.is_some()
                || q.resource_type.is_some()
                || port.is_some()
                || !is_sts_host(host, credential.region)
            {
                return fail(
                    ErrorCode::MalformedToken,
                    "token: an EKS token is the region's STS endpoint (or sts.amazonaws.com for us-east-1) with Action=GetCallerIdentity and Version=2011-06-15 only",
                );
            }
            lifetime = EKS_TOKEN_LIFETIME;
            (TokenKind::Eks, None, false)
        }
        "kafka-cluster" => {
            if action != "kafka-cluster%3AConnect"
                || q.db_user.is_some()
                || q.user.is_some()
                || q.resource_type.is_some()
                || port.is_some()
            {
                return fail(
                    ErrorCode::MalformedToken,
                    "token: an MSK token has no port and Action=kafka-cluster:Connect (and a User-Agent) only",
                );
            }
            (TokenKind::Msk, None, false)
        }
        _ => {
            return fail(
                ErrorCode::MalformedToken,
                "token: service must be rds-db, dsql, elasticache, memorydb, sts or kafka-cluster",
            );
        }
    };
    // The MSK action is read encoded (`%3A`); it is one constant.
    let action = if kind == TokenKind::Msk {
        MSK_ACTION
    } else {
        action
    };
    let signed_at = signed_at.unix();
    Ok(TokenInfo {
        kind,
        host,
        port,
        user,
        action,
        serverless,
        region: credential.region,
        service: credential.service,
        access_key_id: credential.access_key_id,
        signed_at,
        expires_in,
        expires_at: signed_at + lifetime,
        has_session_token: q.security_token.is_some(),
        signature,
    })
}

/// Whether `host` is an STS endpoint an EKS token for `region` is signed for: the region's own,
/// or the global one (signed for `us-east-1`).
fn is_sts_host(host: &str, region: &str) -> bool {
    if host == STS_GLOBAL_HOST {
        return sts_host(region, StsEndpoint::Global) == (String::from(STS_GLOBAL_HOST), region);
    }
    host == sts_host(region, StsEndpoint::Regional).0
}

fn decode(raw: &str) -> Result<Cow<'_, str>> {
    match percent_decode(raw) {
        Some(user) if !user.is_empty() => Ok(user),
        _ => fail(
            ErrorCode::MalformedToken,
            "token: user must be non-empty, valid percent-encoded UTF-8",
        ),
    }
}

fn split_authority(authority: &str) -> Result<(&str, Option<u16>)> {
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(end) => {
                let (host, rest) = authority.split_at(end + 1);
                match rest {
                    "" => (host, None),
                    _ => match rest.strip_prefix(':') {
                        Some(port) => (host, Some(port)),
                        None => {
                            return fail(
                                ErrorCode::MalformedToken,
                                "token: junk after the IPv6 host",
                            );
                        }
                    },
                }
            }
            None => return fail(ErrorCode::MalformedToken, "token: unclosed '[' in the host"),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if check_host(host).is_err() {
        return fail(
            ErrorCode::MalformedToken,
            "token: the host part breaks the host rule",
        );
    }
    let port = match port {
        None => None,
        Some(p) => {
            let ok = !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit());
            match p.parse::<u16>() {
                Ok(n) if ok && n >= 1 => Some(n),
                _ => return fail(ErrorCode::MalformedToken, "token: port must be 1 to 65535"),
            }
        }
    };
    Ok((host, port))
}

fn parse_expires(s: &str) -> Result<u32> {
    let ok = !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit());
    match s.parse::<u32>() {
        Ok(n) if ok && n >= 1 && i64::from(n) <= MAX_PRESIGN_EXPIRY => Ok(n),
        _ => fail(
            ErrorCode::MalformedToken,
            "token: X-Amz-Expires must be 1 to 604800",
        ),
    }
}

/// `akid/date/region/service/aws4_request`, with `/` written as `%2F` (or not).
struct Credential<'t> {
    access_key_id: &'t str,
    date: &'t str,
    region: &'t str,
    service: &'t str,
}

impl<'t> Credential<'t> {
    fn parse(raw: &'t str) -> Result<Credential<'t>> {
        const RULE: &str =
            "token: X-Amz-Credential must be akid/YYYYMMDD/region/service/aws4_request";
        // One pass: each part ends at a `/` or a `%2F` (either case).
        let mut parts: [&str; 5] = [""; 5];
        let mut count = 0;
        let mut from = 0;
        let bytes = raw.as_bytes();
        let mut i = 0;
        while i <= bytes.len() {
            let width = match bytes.get(i) {
                None => 0,
                Some(b'/') => 1,
                Some(b'%')
                    if bytes.get(i + 1) == Some(&b'2')
                        && matches!(bytes.get(i + 2), Some(b'F' | b'f')) =>
                {
                    3
                }
                Some(_) => {
                    i += 1;
                    continue;
                }
            };
            match parts.get_mut(count) {
                Some(slot) => *slot = raw.get(from..i).unwrap_or_default(),
                None => return fail(ErrorCode::MalformedToken, RULE),
            }
            count += 1;
            if width == 0 {
                break;
            }
            i += width;
            from = i;
        }
        let [access_key_id, date, region, service, terminator] = parts;
        if count != 5
            || terminator != TERMINATOR
            || !is_access_key_id(access_key_id)
            || date.len() != 8
        {
            return fail(ErrorCode::MalformedToken, RULE);
        }
        if check_region(region).is_err() {
            return fail(
                ErrorCode::MalformedToken,
                "token: the credential's region breaks the region rule",
            );
        }
        Ok(Credential {
            access_key_id,
            date,
            region,
            service,
        })
    }
}
