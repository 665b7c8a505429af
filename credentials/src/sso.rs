//! IAM Identity Center (SSO): the access token `aws sso login` cached under
//! `~/.aws/sso/cache/<sha1>.json` (the SHA-1 of the `sso_session` name, or of the start URL for
//! a legacy profile), traded at the portal's `GET /federation/credentials` for role
//! credentials. The token is never refreshed here: an expired one is an error that says to run
//! `aws sso login`.
//!
//! The portal: `AWS_ENDPOINT_URL_SSO`, else `AWS_ENDPOINT_URL`, else
//! `https://portal.sso.{sso_region}.{partition suffix}`; connect within 5 s, the answer within
//! 10 s, at most 64 KiB.

use std::io::Read as _;
use std::path::PathBuf;

use serde_json::Value;
use sha1::{Digest as _, Sha1};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::found::AwsCredentials;
use crate::http::{self, Request, Tls, Url};
use crate::json;
use crate::settings::Settings;
use crate::sts::STS_LIMITS;

/// The most bytes of a cached token file read.
const MAX_CACHE_FILE: u64 = 1024 * 1024;

/// What an SSO profile names.
pub(crate) struct Sso<'a> {
    pub(crate) start_url: &'a str,
    pub(crate) sso_region: &'a str,
    pub(crate) account_id: &'a str,
    pub(crate) role_name: &'a str,
    /// The `sso_session` name; `None` for a legacy profile (keys on the profile itself).
    pub(crate) session: Option<&'a str>,
}

/// Role credentials for `sso`, `described` naming the profile in messages.
pub(crate) fn read(
    settings: &Settings,
    tls: &Tls,
    sso: &Sso<'_>,
    profile: &str,
    described: &str,
) -> Result<AwsCredentials> {
    let token = cached_token(settings, sso, profile, described)?;
    let url = portal(settings, sso.sso_region, described)?;
    let query = format!(
        "/federation/credentials?role_name={}&account_id={}",
        iamauth::percent_encode(sso.role_name),
        iamauth::percent_encode(sso.account_id)
    );
    let url = url.with_path(&query);
    let answer = http::send(
        &Request {
            method: "GET",
            url: &url,
            headers: &[
                ("x-amz-sso_bearer_token", &token),
                ("Accept", "application/json"),
            ],
            body: b"",
        },
        &STS_LIMITS,
        tls,
    )
    .map_err(|e| e.context(format!("{described}: SSO GetRoleCredentials")))?;
    match answer.status {
        200 => {}
        401 | 403 => {
            return Err(Error::new(format!(
                "{described}: the SSO session has expired or is otherwise invalid (the portal answered HTTP {}); run `aws sso login --profile {profile}`",
                answer.status
            )));
        }
        status => {
            return Err(Error::new(format!(
                "{described}: SSO GetRoleCredentials answered HTTP {status}"
            )));
        }
    }
    let source = format!("{described}: SSO GetRoleCredentials");
    let map = json::object(&answer.body, &source)?;
    let Some(Value::Object(role)) = map.get("roleCredentials") else {
        return Err(Error::new(format!(
            "{source}: the answer has no roleCredentials"
        )));
    };
    let expiration = match role.get("expiration") {
        Some(Value::Number(ms)) => ms.as_i64().map(|ms| ms.div_euclid(1000)),
        _ => None,
    }
    .ok_or_else(|| {
        Error::new(format!(
            "{source}: expiration is not a number of milliseconds"
        ))
    })?;
    AwsCredentials::new(
        json::required(role, "accessKeyId", &source)?,
        json::required(role, "secretAccessKey", &source)?,
        json::string(role, "sessionToken", &source)?,
        Some(expiration),
        format!("{described} (SSO)"),
    )
}

/// The portal's URL.
fn portal(settings: &Settings, sso_region: &str, described: &str) -> Result<Url> {
    if let Some(url) = Url::from_endpoint_setting(settings, "AWS_ENDPOINT_URL_SSO")? {
        return Ok(url);
    }
    iamauth::check_region(sso_region)
        .map_err(|e| Error::from(e).context(format!("{described}: sso_region")))?;
    Url::parse(
        &format!(
            "https://portal.sso.{sso_region}.{}/",
            iamauth::dns_suffix(sso_region)
        ),
        "SSO portal",
    )
}

/// The cache file of this session (or start URL).
pub(crate) fn cache_file(settings: &Settings, sso: &Sso<'_>) -> Option<PathBuf> {
    let key = sso.session.unwrap_or(sso.start_url);
    let digest = Sha1::digest(key.as_bytes());
    let name = format!("{}.json", hex_lower(&digest));
    settings
        .home()
        .map(|home| home.join(".aws").join("sso").join("cache").join(name))
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The cached access token, if present and not expired.
fn cached_token(
    settings: &Settings,
    sso: &Sso<'_>,
    profile: &str,
    described: &str,
) -> Result<Zeroizing<String>> {
    let login = format!("run `aws sso login --profile {profile}`");
    let path = cache_file(settings, sso)
        .ok_or_else(|| Error::new(format!("{described}: no home directory for the SSO cache")))?;
    let shown = path.display();
    let mut text = Zeroizing::new(String::new());
    match std::fs::File::open(&path) {
        Ok(f) => f
            .take(MAX_CACHE_FILE + 1)
            .read_to_string(&mut text)
            .map_err(|e| {
                Error::new(format!(
                    "{described}: the SSO token cache {shown} cannot be read ({})",
                    e.kind()
                ))
            })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::new(format!(
                "{described}: no cached SSO token ({shown} does not exist); {login}"
            )));
        }
        Err(e) => {
            return Err(Error::new(format!(
                "{described}: the SSO token cache {shown} cannot be read ({})",
                e.kind()
            )));
        }
    };
    let malformed = || {
        Error::new(format!(
            "{described}: the SSO token cache {shown} is malformed; {login}"
        ))
    };
    let map = json::object(text.as_bytes(), described).map_err(|_| malformed())?;
    let token = json::string(&map, "accessToken", described)
        .ok()
        .flatten()
        .ok_or_else(malformed)?;
    let expires_at = json::string(&map, "expiresAt", described)
        .ok()
        .flatten()
        .ok_or_else(malformed)?;
    // botocore writes `2024-01-02T03:04:05Z`; older caches end in `UTC`.
    let expires_at = expires_at
        .strip_suffix("UTC")
        .map_or_else(|| expires_at.to_owned(), |t| format!("{t}Z"));
    let expires_at = iamauth::parse_time(&expires_at).map_err(|_| malformed())?;
    if expires_at <= settings.now() {
        return Err(Error::new(format!(
            "{described}: the cached SSO token has expired; {login}"
        )));
    }
    Ok(Zeroizing::new(token.to_owned()))
}
