//! The five token layouts: RDS/Aurora, Aurora DSQL, ElastiCache/MemoryDB, EKS and MSK.
//!
//! Each reproduces what its reference prints for the same inputs, byte for byte (botocore for
//! the first three, awscli's `eks get-token`, aws-msk-iam-sasl-signer-python); the quirks are
//! commented where they happen.

use crate::base64url;
use crate::canonical::SignedHost;
use crate::datetime::SigningTime;
use crate::encode::{Decimal, encoded_len, percent_encode_to};
use crate::endpoint::dns_suffix;
use crate::error::{ErrorCode, Result, fail};
use crate::presign::{Piece, SessionTokenMode, Spec};
use crate::rules::{
    DEFAULT_EXPIRY, check_cluster, check_expiry, check_host, check_port, check_region, check_user,
    check_user_agent, token_expiry_limit,
};
use crate::sigv4::EMPTY_PAYLOAD_HASH;
use alloc::string::String;
use alloc::vec::Vec;

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

/// Which STS endpoint an EKS token is presigned for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum StsEndpoint {
    /// `sts.{region}.{partition's DNS suffix}`, signed for the region (botocore's default).
    #[default]
    Regional,
    /// The legacy global endpoint `sts.amazonaws.com`, signed for `us-east-1`, for the regions
    /// botocore's `sts_regional_endpoints = legacy` sends there; every other region (opt-in
    /// regions, other partitions) keeps its regional endpoint, as botocore does.
    Global,
}

impl StsEndpoint {
    /// `regional` or `global`.
    pub const fn as_str(self) -> &'static str {
        match self {
            StsEndpoint::Regional => "regional",
            StsEndpoint::Global => "global",
        }
    }

    /// Reads `regional` or `global`; `INVALID_REQUEST` otherwise. Every binding that takes the
    /// endpoint as text parses it before it builds the request, so a wrong one is reported
    /// before the request's own fields (cluster, region, credentials, time).
    pub fn parse(s: &str) -> Result<StsEndpoint> {
        match s {
            "regional" => Ok(StsEndpoint::Regional),
            "global" => Ok(StsEndpoint::Global),
            _ => fail(
                ErrorCode::InvalidRequest,
                "sts_endpoint: must be regional or global",
            ),
        }
    }
}

/// botocore's `LEGACY_GLOBAL_STS_REGIONS` (botocore/args.py): where `legacy` means the global
/// endpoint.
const LEGACY_GLOBAL_STS_REGIONS: [&str; 15] = [
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// The global STS endpoint and the region it is signed for.
pub(crate) const STS_GLOBAL_HOST: &str = "sts.amazonaws.com";
const STS_GLOBAL_REGION: &str = "us-east-1";

/// The STS host and signing region of an EKS token (`region` already checked).
pub(crate) fn sts_host(region: &str, endpoint: StsEndpoint) -> (String, &str) {
    if endpoint == StsEndpoint::Global && LEGACY_GLOBAL_STS_REGIONS.contains(&region) {
        return (String::from(STS_GLOBAL_HOST), STS_GLOBAL_REGION);
    }
    (join(&["sts.", region, ".", dns_suffix(region)]), region)
}

/// An Amazon EKS authentication token request: what `aws eks get-token` makes and `kubectl`
/// sends as a bearer token.
///
/// The token is `k8s-aws-v1.` + URL-safe base64 (no padding) of a presigned STS
/// `GetCallerIdentity` URL (`X-Amz-Expires=60`) that also signs the header
/// `x-k8s-aws-id: {cluster}`. The cluster name is not in the URL: a verifier must know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EksTokenRequest<'a> {
    /// Cluster name (or an Outposts cluster id): `x-k8s-aws-id`.
    pub cluster: &'a str,
    /// The region whose STS endpoint signs, e.g. `us-east-1`.
    pub region: &'a str,
    /// Regional (default) or the legacy global endpoint.
    pub sts_endpoint: StsEndpoint,
    /// Signing time, unix seconds.
    pub time: i64,
}

impl<'a> EksTokenRequest<'a> {
    /// A request for the regional STS endpoint.
    pub const fn new(cluster: &'a str, region: &'a str, time: i64) -> Self {
        EksTokenRequest {
            cluster,
            region,
            sts_endpoint: StsEndpoint::Regional,
            time,
        }
    }

    /// When `kubectl` should get a new token: signing time + 14 minutes, the
    /// `status.expirationTimestamp` awscli writes into its `ExecCredential` (the server accepts
    /// a token for 15).
    pub const fn expiration(&self) -> i64 {
        self.time.saturating_add(EKS_EXPIRATION)
    }
}

/// awscli's `TOKEN_EXPIRATION_MINS`: the `ExecCredential` expiry after signing.
pub const EKS_EXPIRATION: i64 = 14 * 60;
/// How long after signing aws-iam-authenticator accepts an EKS token (its
/// `presignedURLExpiration`), whatever `X-Amz-Expires` says.
pub const EKS_TOKEN_LIFETIME: i64 = 15 * 60;
/// awscli's `URL_TIMEOUT`: the `X-Amz-Expires` of an EKS token's URL.
pub(crate) const EKS_URL_EXPIRES: u32 = 60;
/// The prefix of an EKS token.
pub const EKS_TOKEN_PREFIX: &str = "k8s-aws-v1.";
/// The `apiVersion` of an EKS `ExecCredential` (kubectl's exec plugin protocol) unless
/// `KUBERNETES_EXEC_INFO` asks for another: awscli's default and fallback.
pub const EKS_EXEC_API_VERSION: &str = "client.authentication.k8s.io/v1beta1";

/// The User-Agent this library writes into MSK tokens: `iamauth/{version}`.
pub const MSK_USER_AGENT: &str = concat!("iamauth/", env!("CARGO_PKG_VERSION"));

/// An Amazon MSK IAM authentication token request: the SASL/OAUTHBEARER token Kafka clients
/// send.
///
/// The token is URL-safe base64 (no padding) of the presigned
/// `https://kafka.{region}.amazonaws.com/?Action=kafka-cluster%3AConnect&...` with
/// `&User-Agent={user_agent}` appended after signing, as aws-msk-iam-sasl-signer-python writes
/// it (with the template's `amazonaws.com` in every partition).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MskTokenRequest<'a> {
    /// AWS region of the cluster.
    pub region: &'a str,
    /// Signing time, unix seconds.
    pub time: i64,
    /// Validity in seconds, 1..=900 (default 900).
    pub expires_in: i64,
    /// The unsigned `User-Agent` parameter (default [`MSK_USER_AGENT`]).
    pub user_agent: &'a str,
}

impl<'a> MskTokenRequest<'a> {
    /// A request with the default expiry (900 s) and User-Agent.
    pub const fn new(region: &'a str, time: i64) -> Self {
        MskTokenRequest {
            region,
            time,
            expires_in: DEFAULT_EXPIRY,
            user_agent: MSK_USER_AGENT,
        }
    }

    /// The token's expiry in unix milliseconds, as the MSK signers return it (and
    /// OAUTHBEARER clients take it): `(time + expires_in) * 1000`.
    pub const fn expires_at_ms(&self) -> i64 {
        self.time
            .saturating_add(self.expires_in)
            .saturating_mul(1000)
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

/// A request that becomes a token: [`RdsTokenRequest`], [`DsqlTokenRequest`],
/// [`ElastiCacheTokenRequest`], [`EksTokenRequest`] or [`MskTokenRequest`]. Sealed: the
/// layouts are this crate's job.
pub trait TokenRequest: sealed::Layout {}

impl TokenRequest for RdsTokenRequest<'_> {}
impl TokenRequest for DsqlTokenRequest<'_> {}
impl TokenRequest for ElastiCacheTokenRequest<'_> {}
impl TokenRequest for EksTokenRequest<'_> {}
impl TokenRequest for MskTokenRequest<'_> {}

pub(crate) mod sealed {
    use super::{Result, Spec, String};

    pub trait Layout {
        /// Validates the inputs (in field order), lays out the token and hands its description
        /// to `sign` (the signer's engine, or verify's, which runs the same one).
        fn lay_out<R>(&self, sign: impl FnOnce(&Spec<'_>) -> Result<R>) -> Result<R>;

        /// The token from the presigned text the engine wrote (step 5): the text itself for
        /// the database tokens; wrapped for EKS and MSK.
        fn finish(&self, presigned: String) -> String {
            presigned
        }
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

/// The signing service of EKS tokens (STS).
pub(crate) const STS_SERVICE: &str = "sts";
/// The signing service of MSK tokens.
pub(crate) const MSK_SERVICE: &str = "kafka-cluster";
/// The Action of an MSK token.
pub(crate) const MSK_ACTION: &str = "kafka-cluster:Connect";
/// The Action and Version of an EKS token's STS call.
pub(crate) const STS_ACTION: &str = "GetCallerIdentity";
pub(crate) const STS_VERSION: &str = "2011-06-15";

impl sealed::Layout for EksTokenRequest<'_> {
    fn lay_out<R>(&self, sign: impl FnOnce(&Spec<'_>) -> Result<R>) -> Result<R> {
        check_cluster(self.cluster)?;
        check_region(self.region)?;
        let (host, signing_region) = sts_host(self.region, self.sts_endpoint);
        lay_out_eks(
            &host,
            self.cluster,
            signing_region,
            self.time,
            EKS_URL_EXPIRES,
            sign,
        )
    }

    fn finish(&self, presigned: String) -> String {
        wrap(EKS_TOKEN_PREFIX, presigned.as_bytes())
    }
}

/// An EKS token's layout from its parts (`host` a valid STS host): signing, and verify
/// re-laying out a token it read.
pub(crate) fn lay_out_eks<R>(
    host: &str,
    cluster: &str,
    region: &str,
    time: i64,
    expires_in: u32,
    sign: impl FnOnce(&Spec<'_>) -> Result<R>,
) -> Result<R> {
    let time = SigningTime::from_unix(time)?;
    let signed_host = SignedHost::for_token(host, None)?;
    let prefix = [b"https://".as_slice(), host.as_bytes(), b"/?"];
    // botocore's order: the operation's parameters, then the X-Amz-* ones.
    let params = [
        (Piece::Encoded("Action"), Piece::Encoded(STS_ACTION)),
        (Piece::Encoded("Version"), Piece::Encoded(STS_VERSION)),
    ];
    // The cluster rule leaves nothing for the canonical header value to trim.
    let headers = [("host", signed_host.as_str()), ("x-k8s-aws-id", cluster)];
    sign(&Spec {
        headers: &headers,
        signed_headers: "host;x-k8s-aws-id",
        ..token_spec(&prefix, &params, &[], region, STS_SERVICE, time, expires_in)
    })
}

impl sealed::Layout for MskTokenRequest<'_> {
    fn lay_out<R>(&self, sign: impl FnOnce(&Spec<'_>) -> Result<R>) -> Result<R> {
        check_region(self.region)?;
        let expires_in = check_expiry(self.expires_in, token_expiry_limit(MSK_SERVICE))?;
        let time = SigningTime::from_unix(self.time)?;
        check_user_agent(self.user_agent)?;
        lay_out_msk(
            &msk_host(self.region),
            self.region,
            time.unix(),
            expires_in,
            sign,
        )
    }

    fn finish(&self, presigned: String) -> String {
        // Appended after signing, outside the signature, as the reference signers do.
        let mut url = presigned.into_bytes();
        url.reserve(USER_AGENT_PARAM.len() + encoded_len(self.user_agent));
        url.extend_from_slice(USER_AGENT_PARAM);
        percent_encode_to(&mut url, self.user_agent.as_bytes());
        wrap("", &url)
    }
}

const USER_AGENT_PARAM: &[u8] = b"&User-Agent=";

/// The MSK signers' endpoint template: `kafka.{region}.amazonaws.com`, in every partition.
pub(crate) fn msk_host(region: &str) -> String {
    join(&["kafka.", region, ".amazonaws.com"])
}

/// An MSK token's layout from its parts: signing, and verify re-laying out a token it read.
pub(crate) fn lay_out_msk<R>(
    host: &str,
    region: &str,
    time: i64,
    expires_in: u32,
    sign: impl FnOnce(&Spec<'_>) -> Result<R>,
) -> Result<R> {
    let time = SigningTime::from_unix(time)?;
    let signed_host = SignedHost::for_token(host, None)?;
    let prefix = [b"https://".as_slice(), host.as_bytes(), b"/?"];
    let params = [(Piece::Encoded("Action"), Piece::Raw(MSK_ACTION))];
    let headers = [("host", signed_host.as_str())];
    sign(&token_spec(
        &prefix,
        &params,
        &headers,
        region,
        MSK_SERVICE,
        time,
        expires_in,
    ))
}

/// The pieces as one string (not `format!`: the formatting machinery would grow the wasm
/// signing module by kilobytes).
fn join(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

/// `prefix` + URL-safe base64 (no padding) of `url`.
fn wrap(prefix: &str, url: &[u8]) -> String {
    let mut out = Vec::with_capacity(prefix.len() + base64url::encoded_len(url.len()));
    out.extend_from_slice(prefix.as_bytes());
    base64url::encode_to(&mut out, url);
    crate::encode::ascii_string(out)
}
