//! Signing entry points: a [`Signer`] owns a signing-key cache; the free functions use one
//! shared by the whole process (with `std`) or none (without).

use crate::cache::{EncodedToken, KeyCache, Scope};
use crate::canonical::{SignedHost, canonical_headers, canonical_uri};
use crate::credentials::Credentials;
use crate::datetime::SigningTime;
use crate::encode::Decimal;
use crate::error::Result;
use crate::presign::{Piece, SessionTokenMode, SigningSteps, Spec, run};
use crate::rules::{
    MAX_PRESIGN_EXPIRY, check_expiry, check_header, check_host, check_method, check_path,
    check_payload_hash, check_query_len, check_region, check_service,
};
use crate::sigv4::EMPTY_PAYLOAD_HASH;
use crate::tokens::{
    DsqlTokenRequest, EksTokenRequest, ElastiCacheTokenRequest, MskTokenRequest, RdsTokenRequest,
    TokenRequest,
};
use alloc::string::String;
use alloc::vec::Vec;

/// Makes tokens, remembering derived signing keys (see [`KeyCache`]).
///
/// With `std` it is `Sync`: keep one in a `static` and use it from every thread.
#[derive(Debug, Default)]
pub struct Signer {
    cache: KeyCache,
}

impl Signer {
    /// A signer with an empty cache (usable in a `static`).
    pub const fn new() -> Signer {
        Signer {
            cache: KeyCache::new(),
        }
    }

    /// The signer behind the free functions, shared by the whole process.
    #[cfg(feature = "std")]
    pub fn shared() -> &'static Signer {
        static SHARED: Signer = Signer::new();
        &SHARED
    }

    /// This signer's key cache.
    pub fn cache(&self) -> &KeyCache {
        &self.cache
    }

    pub(crate) fn sign_spec(
        &self,
        spec: &Spec<'_>,
        creds: &Credentials<'_>,
        steps: Option<&mut SigningSteps>,
    ) -> Result<String> {
        let found = self.cache.lookup(&Scope {
            secret: creds.secret_access_key(),
            date: spec.time.scope_date(),
            region: spec.region,
            service: spec.service,
            session_token: creds.session_token(),
        });
        let session = found.session.as_deref().map(EncodedToken::encoded);
        run(spec, creds, found.mac, session, steps)
    }

    /// A token. One heap allocation (the returned string) when the key is cached.
    pub fn token(&self, request: &impl TokenRequest, creds: &Credentials<'_>) -> Result<String> {
        request
            .lay_out(|spec| self.sign_spec(spec, creds, None))
            .map(|presigned| request.finish(presigned))
    }

    /// A token with every SigV4 step (for vectors, debugging and the demo). For EKS and MSK
    /// tokens, `presigned` is the signed URL that [`Signer::token`] wraps.
    pub fn token_with_steps(
        &self,
        request: &impl TokenRequest,
        creds: &Credentials<'_>,
    ) -> Result<SigningSteps> {
        let mut steps = SigningSteps::default();
        request.lay_out(|spec| self.sign_spec(spec, creds, Some(&mut steps)))?;
        Ok(steps)
    }

    /// A general SigV4 query presign (see [`PresignRequest`]); `presigned` is the query string.
    pub fn presign(
        &self,
        request: &PresignRequest<'_>,
        creds: &Credentials<'_>,
    ) -> Result<SigningSteps> {
        check_method(request.method)?;
        check_host(request.host)?;
        check_path(request.path)?;
        check_region(request.region)?;
        check_service(request.service)?;
        let expires_in = check_expiry(request.expires_in, MAX_PRESIGN_EXPIRY)?;
        let time = SigningTime::from_unix(request.time)?;
        let payload_hash = match request.payload_hash {
            None => EMPTY_PAYLOAD_HASH,
            Some(h) => check_payload_hash(h).map(|()| h)?,
        };
        check_query_len(request.query.len())?;
        // The port as given: a generic request's caller leaves out the scheme's default.
        let port = request.port.map(|p| Decimal::new(p.into()));
        let host = SignedHost::new(request.host, port.as_ref().map(|p| p.as_str()))?;
        let mut all_headers: Vec<(&str, &str)> = Vec::with_capacity(request.headers.len() + 1);
        all_headers.push(("host", host.as_str()));
        for (name, value) in request.headers {
            check_header(name, value)?;
            all_headers.push((name, value));
        }
        let (headers, signed_headers) = canonical_headers(&all_headers);
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let uri = canonical_uri(request.path, request.normalize_path);
        let query: Vec<(Piece<'_>, Piece<'_>)> = request
            .query
            .iter()
            .map(|(name, value)| (Piece::Raw(name), Piece::Raw(value)))
            .collect();
        let spec = Spec {
            prefix: &[],
            method: request.method,
            canonical_uri: &uri,
            params: &query,
            headers: &headers,
            signed_headers: &signed_headers,
            payload_hash,
            region: request.region,
            service: request.service,
            time,
            expires_in,
            session_token_mode: request.session_token_mode,
        };
        let mut steps = SigningSteps::default();
        self.sign_spec(&spec, creds, Some(&mut steps))?;
        Ok(steps)
    }
}

/// A general SigV4 presign of an HTTP request, as the AWS test suite exercises it.
#[derive(Clone, Copy, Debug)]
pub struct PresignRequest<'a> {
    /// HTTP method, uppercase (`GET`).
    pub method: &'a str,
    /// Host (host rule); signed lowercased.
    pub host: &'a str,
    /// Port, signed as `host:port` when given (callers leave out the scheme's default port).
    pub port: Option<u16>,
    /// Path, unencoded (`/example space/`); it is encoded per segment.
    pub path: &'a str,
    /// Remove dot segments and collapse `//` (every service but S3).
    pub normalize_path: bool,
    /// The request's own query parameters, unencoded, in output order.
    pub query: &'a [(&'a str, &'a str)],
    /// Headers to sign besides `host`.
    pub headers: &'a [(&'a str, &'a str)],
    /// Region.
    pub region: &'a str,
    /// Signing service name.
    pub service: &'a str,
    /// Signing time, unix seconds.
    pub time: i64,
    /// `X-Amz-Expires`, 1..=604800.
    pub expires_in: i64,
    /// Hex SHA-256 of the body (see [`crate::payload_hash`]); `None` for an empty body.
    pub payload_hash: Option<&'a str>,
    /// Where the session token goes.
    pub session_token_mode: SessionTokenMode,
}

#[cfg(feature = "std")]
fn default_signer<R>(f: impl FnOnce(&Signer) -> R) -> R {
    f(Signer::shared())
}

#[cfg(not(feature = "std"))]
fn default_signer<R>(f: impl FnOnce(&Signer) -> R) -> R {
    f(&Signer::new())
}

/// An RDS / Aurora token (see [`RdsTokenRequest`]), with the process-wide key cache when `std` is on.
pub fn rds_token(request: &RdsTokenRequest<'_>, creds: &Credentials<'_>) -> Result<String> {
    default_signer(|s| s.token(request, creds))
}

/// An Aurora DSQL token (see [`DsqlTokenRequest`]).
pub fn dsql_token(request: &DsqlTokenRequest<'_>, creds: &Credentials<'_>) -> Result<String> {
    default_signer(|s| s.token(request, creds))
}

/// An ElastiCache / MemoryDB token (see [`ElastiCacheTokenRequest`]).
pub fn elasticache_token(
    request: &ElastiCacheTokenRequest<'_>,
    creds: &Credentials<'_>,
) -> Result<String> {
    default_signer(|s| s.token(request, creds))
}

/// An EKS token, `k8s-aws-v1.…` (see [`EksTokenRequest`]).
pub fn eks_token(request: &EksTokenRequest<'_>, creds: &Credentials<'_>) -> Result<String> {
    default_signer(|s| s.token(request, creds))
}

/// An MSK (Kafka SASL/OAUTHBEARER) token (see [`MskTokenRequest`]); its expiry in
/// milliseconds is [`MskTokenRequest::expires_at_ms`].
pub fn msk_token(request: &MskTokenRequest<'_>, creds: &Credentials<'_>) -> Result<String> {
    default_signer(|s| s.token(request, creds))
}

/// A general SigV4 presign (see [`PresignRequest`]).
pub fn presign(request: &PresignRequest<'_>, creds: &Credentials<'_>) -> Result<SigningSteps> {
    default_signer(|s| s.presign(request, creds))
}
