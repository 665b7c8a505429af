//! STS, the two calls the chain makes: `AssumeRole` (a role profile), signed by this project's
//! own presign as a query request (`GET /?Action=AssumeRole&...&X-Amz-Signature=...`), and
//! `AssumeRoleWithWebIdentity` (EKS IRSA, `web_identity_token_file`), which is unsigned and
//! sends the token in a form body. Both answer XML (see [`crate::xml`]).
//!
//! The endpoint: `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`, else the regional
//! `https://sts.{region}.{partition suffix}` of the profile's `region` (or `AWS_REGION` /
//! `AWS_DEFAULT_REGION`), else the global `https://sts.amazonaws.com` signed for `us-east-1`.
//! Each call: connect within 5 s, the whole answer within 10 s, at most 64 KiB.

use std::time::Duration;

use iamauth::{PresignRequest, SessionTokenMode};

use crate::error::{Error, Result};
use crate::found::AwsCredentials;
use crate::http::{self, Limits, Request, Scheme, Tls, Url};
use crate::settings::Settings;
use crate::xml;

/// STS's bounds.
pub(crate) const STS_LIMITS: Limits = Limits {
    connect: Duration::from_secs(5),
    total: Duration::from_secs(10),
    max_body: 64 * 1024,
};
const VERSION: &str = "2011-06-15";

/// The STS endpoint and the region to sign for.
pub(crate) fn endpoint(settings: &Settings, region: Option<&str>) -> Result<(Url, String)> {
    let region = region
        .map(str::to_owned)
        .or_else(|| settings.var("AWS_REGION"))
        .or_else(|| settings.var("AWS_DEFAULT_REGION"));
    if let Some(url) = Url::from_endpoint_setting(settings, "AWS_ENDPOINT_URL_STS")? {
        return Ok((url, region.unwrap_or_else(|| "us-east-1".to_owned())));
    }
    match region {
        Some(region) => {
            iamauth::check_region(&region).map_err(|e| Error::from(e).context("STS"))?;
            let host = format!("sts.{region}.{}", iamauth::dns_suffix(&region));
            let url = Url::parse(&format!("https://{host}/"), "STS endpoint")?;
            Ok((url, region))
        }
        None => Ok((
            Url::parse("https://sts.amazonaws.com/", "STS endpoint")?,
            "us-east-1".to_owned(),
        )),
    }
}

/// What `AssumeRole` is asked.
pub(crate) struct AssumeRole<'a> {
    pub(crate) role_arn: &'a str,
    pub(crate) role_session_name: &'a str,
    pub(crate) external_id: Option<&'a str>,
    pub(crate) duration_seconds: Option<u32>,
    pub(crate) region: Option<&'a str>,
}

/// `AssumeRole` with `source`'s credentials.
pub(crate) fn assume_role(
    settings: &Settings,
    tls: &Tls,
    ask: &AssumeRole<'_>,
    source: &AwsCredentials,
    described: &str,
) -> Result<AwsCredentials> {
    let (url, region) = endpoint(settings, ask.region)?;
    let duration = ask.duration_seconds.map(|d| d.to_string());
    let mut query: Vec<(&str, &str)> = vec![
        ("Action", "AssumeRole"),
        ("Version", VERSION),
        ("RoleArn", ask.role_arn),
        ("RoleSessionName", ask.role_session_name),
    ];
    if let Some(d) = &duration {
        query.push(("DurationSeconds", d));
    }
    if let Some(id) = ask.external_id {
        query.push(("ExternalId", id));
    }
    let default_port = if url.scheme == Scheme::Https { 443 } else { 80 };
    let request = PresignRequest {
        method: "GET",
        host: &url.host,
        port: (url.port != default_port).then_some(url.port),
        path: "/",
        normalize_path: true,
        query: &query,
        headers: &[],
        region: &region,
        service: "sts",
        time: settings.now(),
        expires_in: 60,
        payload_hash: None,
        session_token_mode: SessionTokenMode::Signed,
    };
    let signed = iamauth::presign(&request, &source.credentials()?)
        .map_err(|e| Error::from(e).context(format!("{described}: signing AssumeRole")))?;
    let target = url.with_path(&format!("/?{}", signed.presigned));
    let answer = http::send(
        &Request {
            method: "GET",
            url: &target,
            headers: &[("Accept", "application/xml")],
            body: b"",
        },
        &STS_LIMITS,
        tls,
    )
    .map_err(|e| e.context(format!("{described}: STS AssumeRole")))?;
    read_answer(&answer, "AssumeRole", described)
}

/// `AssumeRoleWithWebIdentity` with the token read from `token_file` (unsigned).
pub(crate) fn assume_role_with_web_identity(
    settings: &Settings,
    tls: &Tls,
    role_arn: &str,
    role_session_name: &str,
    web_identity_token: &str,
    region: Option<&str>,
    described: &str,
) -> Result<AwsCredentials> {
    let (url, _) = endpoint(settings, region)?;
    let mut body = String::new();
    for (i, (name, value)) in [
        ("Action", "AssumeRoleWithWebIdentity"),
        ("Version", VERSION),
        ("RoleArn", role_arn),
        ("RoleSessionName", role_session_name),
        ("WebIdentityToken", web_identity_token),
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            body.push('&');
        }
        body.push_str(name);
        body.push('=');
        body.push_str(&iamauth::percent_encode(value));
    }
    let body = zeroize::Zeroizing::new(body);
    let answer = http::send(
        &Request {
            method: "POST",
            url: &url,
            headers: &[
                (
                    "Content-Type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                ),
                ("Accept", "application/xml"),
            ],
            body: body.as_bytes(),
        },
        &STS_LIMITS,
        tls,
    )
    .map_err(|e| e.context(format!("{described}: STS AssumeRoleWithWebIdentity")))?;
    read_answer(&answer, "AssumeRoleWithWebIdentity", described)
}

/// The credentials in an STS answer, or its error's code and message.
fn read_answer(answer: &http::Response, action: &str, described: &str) -> Result<AwsCredentials> {
    let xml = std::str::from_utf8(&answer.body).unwrap_or("");
    if answer.status != 200 {
        let error = xml::element(xml, "Error");
        let code = error.and_then(|e| xml::text(e, "Code"));
        let message = error.and_then(|e| xml::text(e, "Message"));
        return Err(Error::new(format!(
            "{described}: STS {action} answered HTTP {}{}",
            answer.status,
            match (code, message) {
                (Some(c), Some(m)) => format!(" {c}: {}", printable(&m, 300)),
                (Some(c), None) => format!(" {c}"),
                _ => String::new(),
            }
        )));
    }
    let malformed = || Error::new(format!("{described}: STS {action}: malformed answer"));
    let creds = xml::element(xml, &format!("{action}Result"))
        .and_then(|r| xml::element(r, "Credentials"))
        .ok_or_else(malformed)?;
    let field = |name| xml::text(creds, name).ok_or_else(malformed);
    let expiration = iamauth::parse_time(&field("Expiration")?).map_err(|_| malformed())?;
    let secret = zeroize::Zeroizing::new(field("SecretAccessKey")?);
    let token = zeroize::Zeroizing::new(field("SessionToken")?);
    AwsCredentials::new(
        &field("AccessKeyId")?,
        &secret,
        Some(&token),
        Some(expiration),
        format!("{described} (STS {action})"),
    )
}

/// At most `max` characters of `s`, control characters dropped (a server's message quoted in
/// ours).
pub(crate) fn printable(s: &str, max: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(max).collect()
}
