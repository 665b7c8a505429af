//! What the fuzz targets share: the input format (UTF-8 lines, so seeds are readable text written
//! by `seeds.py` from tests/vectors) and the token signed again from what `inspect` read.

use iamauth::{
    CacheService, Credentials, DsqlAction, DsqlTokenRequest, EksTokenRequest,
    ElastiCacheTokenRequest, Error, ErrorCode, MskTokenRequest, RdsTokenRequest, Result,
    StsEndpoint, TokenInfo, TokenKind, decode_token,
};

/// The input's lines (`None` when it is not UTF-8); missing lines read as empty.
pub fn lines(data: &[u8]) -> Option<Lines<'_>> {
    std::str::from_utf8(data).ok().map(|s| Lines(s.split('\n').collect()))
}

/// An input's lines, read by position.
pub struct Lines<'a>(Vec<&'a str>);

impl<'a> Lines<'a> {
    /// Line `i`, or `""`.
    pub fn get(&self, i: usize) -> &'a str {
        self.0.get(i).copied().unwrap_or("")
    }

    /// Line `i` as a number, when it is one.
    pub fn num(&self, i: usize) -> Option<i64> {
        self.get(i).parse().ok()
    }

    /// Line `i`, or `None` when it is empty.
    pub fn opt(&self, i: usize) -> Option<&'a str> {
        Some(self.get(i)).filter(|s| !s.is_empty())
    }
}

/// The token the signer makes from the fields `inspect` read (host, port, user, action,
/// region, service, time, expiry), with `secret` and `session_token` (and, for EKS, whose token
/// does not carry it, `cluster`), as the text inspect reads (EKS and MSK: decoded). An EKS or
/// MSK token the signer cannot make (another `X-Amz-Expires` than 60, another MSK host than the
/// signers' template) is an `INVALID_REQUEST` here.
pub fn sign_again(
    info: &TokenInfo<'_>,
    secret: &str,
    session_token: Option<&str>,
    cluster: &str,
) -> Result<String> {
    let creds = Credentials::new(info.access_key_id, secret, session_token)?;
    let user = info.user.as_deref().unwrap_or("");
    let expires_in = i64::from(info.expires_in);
    match info.kind {
        TokenKind::Rds => {
            let mut r = RdsTokenRequest::new(
                info.host,
                info.port.map_or(0, i64::from),
                user,
                info.region,
                info.signed_at,
            );
            r.expires_in = expires_in;
            iamauth::rds_token(&r, &creds)
        }
        TokenKind::Dsql => {
            let action = DsqlAction::parse(info.action)?;
            let mut r = DsqlTokenRequest::new(info.host, info.region, action, info.signed_at);
            r.expires_in = expires_in;
            iamauth::dsql_token(&r, &creds)
        }
        TokenKind::ElastiCache => {
            let mut r = ElastiCacheTokenRequest::new(info.host, user, info.region, info.signed_at);
            r.serverless = info.serverless;
            r.service = CacheService::parse(info.service)?;
            r.expires_in = expires_in;
            iamauth::elasticache_token(&r, &creds)
        }
        TokenKind::Eks => {
            let sts_endpoint = if info.host == "sts.amazonaws.com" {
                StsEndpoint::Global
            } else {
                StsEndpoint::Regional
            };
            if expires_in != 60 {
                return Err(NOT_THE_SIGNERS);
            }
            let r = EksTokenRequest {
                sts_endpoint,
                ..EksTokenRequest::new(cluster, info.region, info.signed_at)
            };
            iamauth::eks_token(&r, &creds).map(|t| decode_token(&t).into_owned())
        }
        TokenKind::Msk => {
            // The host is signed lowercased: any case of the template is the signer's token.
            if !info.host.eq_ignore_ascii_case(&format!("kafka.{}.amazonaws.com", info.region)) {
                return Err(NOT_THE_SIGNERS);
            }
            let mut r = MskTokenRequest::new(info.region, info.signed_at);
            r.expires_in = expires_in;
            iamauth::msk_token(&r, &creds).map(|t| decode_token(&t).into_owned())
        }
    }
}

const NOT_THE_SIGNERS: Error = Error::new(
    ErrorCode::InvalidRequest,
    "fuzz: a token the signer cannot make",
);

/// The fields of a token that say what it is for (everything but the signature).
pub fn fields(info: &TokenInfo<'_>) -> impl PartialEq + std::fmt::Debug {
    (
        info.kind,
        info.host.to_ascii_lowercase(),
        info.port,
        info.user.as_deref().map(str::to_owned),
        info.action.to_owned(),
        info.serverless,
        info.region.to_owned(),
        info.service.to_owned(),
        info.access_key_id.to_owned(),
        (info.signed_at, info.expires_in, info.expires_at),
        info.has_session_token,
    )
}
