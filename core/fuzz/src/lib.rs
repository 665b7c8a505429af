//! What the fuzz targets share: the input format (UTF-8 lines, so seeds are readable text written
//! by `seeds.py` from tests/vectors) and the token signed again from what `inspect` read.

use iamauth::{
    CacheService, Credentials, DsqlAction, DsqlTokenRequest, ElastiCacheTokenRequest,
    RdsTokenRequest, Result, TokenInfo, TokenKind,
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
/// region, service, time, expiry), with `secret` and `session_token`.
pub fn sign_again(
    info: &TokenInfo<'_>,
    secret: &str,
    session_token: Option<&str>,
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
    }
}

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
