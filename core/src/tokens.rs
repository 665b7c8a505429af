//! The three token layouts: RDS/Aurora, Aurora DSQL and ElastiCache/MemoryDB.
//!
//! Each reproduces what botocore prints for the same inputs, byte for byte; the quirks are
//! commented where they happen.

use crate::canonical::SignedHost;
use crate::datetime::SigningTime;
use crate::encode::Decimal;
use crate::error::{ErrorCode, Result, fail};
use crate::presign::{Piece, SessionTokenMode, Spec};
use crate::rules::{
    DEFAULT_EXPIRY, check_expiry, check_host, check_port, check_region, check_user,
    token_expiry_limit,
};
use crate::sigv4::EMPTY_PAYLOAD_HASH;

/// An RDS / Aurora (MySQL, PostgreSQL, MariaDB) IAM authentication token request.
///
/// The token is `{host}:{port}/?Action=connect&DBUser={user}&X-Amz-Algorithm=...`, exactly as
/// `aws rds generate-db-auth-token` prints it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RdsTokenRequest<'a> {
    /// Endpoint host as the client connects to it (kept as given in the token).
    pub host: &'a str,
    /// Endpoint port, 1..=65535.
    pub port: i64,
    /// Database user name.
    pub user: &'a str,
    /// AWS region of the database, e.g. `us-east-1`.
    pub region: &'a str,
    /// Signing time, unix seconds.
    pub time: i64,
    /// Validity in seconds, 1..=900 (default 900).
    pub expires_in: i64,
}

impl<'a> RdsTokenRequest<'a> {
    /// A request with the default expiry (900 s).
    pub const fn new(host: &'a str, port: i64, user: &'a str, region: &'a str, time: i64) -> Self {
        RdsTokenRequest {
            host,
            port,
            user,
            region,
            time,
            expires_in: DEFAULT_EXPIRY,
        }
    }
}

/// The two Aurora DSQL actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum DsqlAction {
    /// `DbConnect`: connect as a custom database role.
    #[default]
    DbConnect,
    /// `DbConnectAdmin`: connect as the `admin` role.
    DbConnectAdmin,
}

impl DsqlAction {
    /// The action's wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            DsqlAction::DbConnect => "DbConnect",
            DsqlAction::DbConnectAdmin => "DbConnectAdmin",
        }
    }

    /// Reads `DbConnect` or `DbConnectAdmin` (exact case); `INVALID_ACTION` otherwise.
    pub fn parse(s: &str) -> Result<DsqlAction> {
        match s {
            "DbConnect" => Ok(DsqlAction::DbConnect),
            "DbConnectAdmin" => Ok(DsqlAction::DbConnectAdmin),
            _ => fail(
                ErrorCode::InvalidAction,
                "action: must be DbConnect or DbConnectAdmin",
            ),
        }
    }
}

/// An Aurora DSQL authentication token request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DsqlTokenRequest<'a> {
    /// Cluster endpoint, e.g. `abc.dsql.us-east-1.on.aws` (no port: DSQL tokens carry none).
    pub host: &'a str,
    /// AWS region of the cluster.
    pub region: &'a str,
    /// `DbConnect` or `DbConnectAdmin`.
    pub action: DsqlAction,
    /// Signing time, unix seconds.
    pub time: i64,
    /// Validity in seconds, 1..=604800 (default 900).
    pub expires_in: i64,
}

impl<'a> DsqlTokenRequest<'a> {
    /// A request with the default expiry (900 s).
    pub const fn new(host: &'a str, region: &'a str, action: DsqlAction, time: i64) -> Self {
        DsqlTokenRequest {
            host,
            region,
            action,
            time,
            expires_in: DEFAULT_EXPIRY,
        }
    }
}

/// The signing service of a cache token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum CacheService {
    /// Amazon ElastiCache (Valkey / Redis OSS).
    #[default]
    ElastiCache,
    /// Amazon MemoryDB.
    MemoryDb,
}

impl CacheService {
    /// The signing name: `elasticache` or `memorydb`.
    pub const fn as_str(self) -> &'static str {
        match self {
            CacheService::ElastiCache => "elasticache",
            CacheService::MemoryDb => "memorydb",
        }
    }

    /// Reads `elasticache` or `memorydb`; `INVALID_SERVICE` otherwise.
    pub fn parse(s: &str) -> Result<CacheService> {
        match s {
            "elasticache" => Ok(CacheService::ElastiCache),
            "memorydb" => Ok(CacheService::MemoryDb),
            _ => fail(
                ErrorCode::InvalidService,
                "service: must be elasticache or memorydb",
            ),
        }
    }
}

/// An ElastiCache / MemoryDB IAM authentication token request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElastiCacheTokenRequest<'a> {
    /// Replication group id, serverless cache name or MemoryDB cluster name (host rule).
    pub name: &'a str,
    /// The cache user id.
    pub user: &'a str,
    /// AWS region of the cache.
    pub region: &'a str,
    /// Adds `ResourceType=ServerlessCache` (ElastiCache Serverless).
    pub serverless: bool,
    /// `elasticache` or `memorydb`.
    pub service: CacheService,
    /// Signing time, unix seconds.
    pub time: i64,
    /// Validity in seconds, 1..=900 (default 900).
    pub expires_in: i64,
}

impl<'a> ElastiCacheTokenRequest<'a> {
    /// A non-serverless ElastiCache request with the default expiry (900 s).
    pub const fn new(name: &'a str, user: &'a str, region: &'a str, time: i64) -> Self {
        ElastiCacheTokenRequest {
            name,
            user,
            region,
            serverless: false,
            service: CacheService::ElastiCache,
            time,
            expires_in: DEFAULT_EXPIRY,
        }
    }
}

/// The fixed parts every token shares: `GET /`, only `host` signed, an empty body, and the
/// session token inside the signed query.
fn token_spec<'a>(
    prefix: &'a [&'a [u8]],
    params: &'a [(Piece<'a>, Piece<'a>)],
    headers: &'a [(&'a str, &'a str)],
    region: &'a str,
    service: &'a str,
    time: SigningTime,
    expires_in: u32,
) -> Spec<'a> {
    Spec {
        prefix,
        method: "GET",
        canonical_uri: "/",
        params,
        headers,
        signed_headers: "host",
        payload_hash: EMPTY_PAYLOAD_HASH,
        region,
        service,
        time,
        expires_in,
        session_token_mode: SessionTokenMode::Signed,
    }
}

/// A request that becomes a token: [`RdsTokenRequest`], [`DsqlTokenRequest`] or
/// [`ElastiCacheTokenRequest`]. Sealed: the layouts are this crate's job.
pub trait TokenRequest: sealed::Layout {}

impl TokenRequest for RdsTokenRequest<'_> {}
impl TokenRequest for DsqlTokenRequest<'_> {}
impl TokenRequest for ElastiCacheTokenRequest<'_> {}

pub(crate) mod sealed {
    use super::{Result, Spec};

    pub trait Layout {
        /// Validates the inputs (in field order), lays out the token and hands its description
        /// to `sign` (the signer's engine, or verify's, which runs the same one).
        fn lay_out<R>(&self, sign: impl FnOnce(&Spec<'_>) -> Result<R>) -> Result<R>;
    }
}

/// The signing service of RDS / Aurora tokens.
pub(crate) const RDS_SERVICE: &str = "rds-db";
/// The signing service of Aurora DSQL tokens.
pub(crate) const DSQL_SERVICE: &str = "dsql";

impl sealed::Layout for RdsTokenRequest<'_> {
    fn lay_out<R>(&self, sign: impl FnOnce(&Spec<'_>) -> Result<R>) -> Result<R> {
        check_host(self.host)?;
        let port = check_port(self.port)?;
        check_user(self.user)?;
        check_region(self.region)?;
        let expires_in = check_expiry(self.expires_in, token_expiry_limit(RDS_SERVICE))?;
        let time = SigningTime::from_unix(self.time)?;
        // The signature covers `host:port` lowercased (but `:443` left out); the token text
        // keeps host and port exactly as given.
        let host = SignedHost::for_token(self.host, Some(port))?;
        let port_text = Decimal::new(u64::from(port));
        let prefix = [self.host.as_bytes(), b":", port_text.as_bytes(), b"/?"];
        // botocore's order: Action, DBUser, then the X-Amz-* parameters.
        let params = [
            (Piece::Encoded("Action"), Piece::Encoded("connect")),
            (Piece::Encoded("DBUser"), Piece::Raw(self.user)),
        ];
        let headers = [("host", host.as_str())];
        sign(&token_spec(
            &prefix,
            &params,
            &headers,
            self.region,
            RDS_SERVICE,
            time,
            expires_in,
        ))
    }
}

impl sealed::Layout for DsqlTokenRequest<'_> {
    fn lay_out<R>(&self, sign: impl FnOnce(&Spec<'_>) -> Result<R>) -> Result<R> {
        check_host(self.host)?;
        check_region(self.region)?;
        let expires_in = check_expiry(self.expires_in, token_expiry_limit(DSQL_SERVICE))?;
        let time = SigningTime::from_unix(self.time)?;
        // No port anywhere: botocore signs `https://{host}`.
        let host = SignedHost::for_token(self.host, None)?;
        let prefix = [self.host.as_bytes(), b"/?"];
        let params = [(
            Piece::Encoded("Action"),
            Piece::Encoded(self.action.as_str()),
        )];
        let headers = [("host", host.as_str())];
        sign(&token_spec(
            &prefix,
            &params,
            &headers,
            self.region,
            DSQL_SERVICE,
            time,
            expires_in,
        ))
    }
}

impl sealed::Layout for ElastiCacheTokenRequest<'_> {
    fn lay_out<R>(&self, sign: impl FnOnce(&Spec<'_>) -> Result<R>) -> Result<R> {
        check_host(self.name)?;
        check_user(self.user)?;
        check_region(self.region)?;
        let service = self.service.as_str();
        let expires_in = check_expiry(self.expires_in, token_expiry_limit(service))?;
        let time = SigningTime::from_unix(self.time)?;
        // AWS's recipe presigns `GET http://{name}/?Action=connect&User={user}` and strips the
        // scheme: the signed host is the name lowercased, with no port.
        let host = SignedHost::for_token(self.name, None)?;
        let prefix = [self.name.as_bytes(), b"/?"];
        let action = (Piece::Encoded("Action"), Piece::Encoded("connect"));
        let user = (Piece::Encoded("User"), Piece::Raw(self.user));
        let connect = [action, user];
        let serverless = [
            action,
            user,
            (
                Piece::Encoded("ResourceType"),
                Piece::Encoded("ServerlessCache"),
            ),
        ];
        let params: &[(Piece<'_>, Piece<'_>)] = if self.serverless {
            &serverless
        } else {
            &connect
        };
        let headers = [("host", host.as_str())];
        sign(&token_spec(
            &prefix,
            params,
            &headers,
            self.region,
            service,
            time,
            expires_in,
        ))
    }
}
