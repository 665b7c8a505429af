//! EC2 instance metadata (IMDSv2): `PUT /latest/api/token` (TTL 21600 s), then the role name at
//! `/latest/meta-data/iam/security-credentials/`, then its credentials JSON, each request
//! carrying the session token.
//!
//! Settings: `AWS_EC2_METADATA_DISABLED=true` (skip it), `AWS_EC2_METADATA_SERVICE_ENDPOINT`
//! (a URL), `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (`IPv4`: `http://169.254.169.254`, the
//! default; `IPv6`: `http://[fd00:ec2::254]`), `AWS_EC2_METADATA_V1_DISABLED=true` (no fallback
//! to IMDSv1 when the token `PUT` is refused), `AWS_METADATA_SERVICE_TIMEOUT` (seconds per
//! request, default 1) and `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (default 1), as botocore reads
//! them. Each request is bounded by the timeout for connecting and again for the whole answer
//! (at most 64 KiB).

use std::time::Duration;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::found::AwsCredentials;
use crate::http::{self, Limits, Request, Response, Tls, Url};
use crate::json;
use crate::settings::Settings;

const SOURCE: &str = "IMDS";
const TOKEN_TTL: &str = "21600";
const ROLES: &str = "/latest/meta-data/iam/security-credentials/";

/// Why IMDS gave nothing: not configured here (the chain says it was skipped) or a failure.
pub(crate) enum Outcome {
    Found(AwsCredentials),
    Skipped(String),
}

/// Asks IMDS; errors are failures of a configured source (a bad setting, v1 disabled and no
/// token); an unreachable service is `Skipped` with why, as the SDKs fall through.
pub(crate) fn read(settings: &Settings, tls: &Tls) -> Result<Outcome> {
    if settings
        .var("AWS_EC2_METADATA_DISABLED")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return Ok(Outcome::Skipped(
            "AWS_EC2_METADATA_DISABLED is true".to_owned(),
        ));
    }
    let base = endpoint(settings)?;
    let limits = limits(settings)?;
    let attempts = attempts(settings)?;
    let v1_disabled = settings
        .var("AWS_EC2_METADATA_V1_DISABLED")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let fetcher = Fetcher {
        base: &base,
        limits,
        attempts,
        tls,
    };
    // As botocore: a token PUT that fails (refused, or unanswered, as when a container's hop
    // limit drops the answer) falls back to IMDSv1, unless that is disabled.
    let token = match fetcher.token() {
        Ok(t) => t,
        Err(e) if v1_disabled => return Ok(Outcome::Skipped(e.message().to_owned())),
        Err(_) => None,
    };
    if token.is_none() && v1_disabled {
        return Err(Error::new(format!(
            "{SOURCE}: the IMDSv2 token was refused and AWS_EC2_METADATA_V1_DISABLED is true"
        )));
    }
    let role = match fetcher.get(ROLES, token.as_deref().map(String::as_str)) {
        Ok(Some(body)) => body,
        Ok(None) => {
            return Ok(Outcome::Skipped(
                "no instance profile role (the role list is empty or absent)".to_owned(),
            ));
        }
        Err(e) => return Ok(Outcome::Skipped(e.message().to_owned())),
    };
    let role = String::from_utf8_lossy(&role);
    let Some(role) = role.lines().next().map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(Outcome::Skipped("no instance profile role".to_owned()));
    };
    if !role
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
    {
        return Err(Error::new(format!(
            "{SOURCE}: the role name is not an IAM role name"
        )));
    }
    let body = match fetcher.get(
        &format!("{ROLES}{role}"),
        token.as_deref().map(String::as_str),
    )? {
        Some(body) => Zeroizing::new(body),
        None => {
            return Ok(Outcome::Skipped(format!(
                "no credentials for the role {role}"
            )));
        }
    };
    json::endpoint_credentials(&body, SOURCE).map(Outcome::Found)
}

struct Fetcher<'a> {
    base: &'a Url,
    limits: Limits,
    attempts: u32,
    tls: &'a Tls,
}

impl Fetcher<'_> {
    /// One request, retried up to `attempts` times on a connection failure or a 5xx.
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Result<Response> {
        let url = self.base.with_path(path);
        let request = Request {
            method,
            url: &url,
            headers,
            body: b"",
        };
        let mut attempt = 1;
        loop {
            let result = http::send(&request, &self.limits, self.tls);
            let retry = match &result {
                Ok(a) => a.status >= 500,
                Err(_) => true,
            };
            if !retry || attempt >= self.attempts {
                return result.map_err(|e| e.context(SOURCE));
            }
            attempt += 1;
        }
    }

    /// The IMDSv2 session token; `None` when the service refuses to issue one (403, 404, 405:
    /// IMDSv1 only, as botocore reads them).
    fn token(&self) -> Result<Option<Zeroizing<String>>> {
        let answer = self.send(
            "PUT",
            "/latest/api/token",
            &[("x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL)],
        )?;
        match answer.status {
            200 => match String::from_utf8(answer.body) {
                Ok(t) if !t.is_empty() && !t.contains(['\r', '\n']) => Ok(Some(Zeroizing::new(t))),
                _ => Err(Error::new(format!(
                    "{SOURCE}: the IMDSv2 token is malformed"
                ))),
            },
            403..=405 => Ok(None),
            status => Err(Error::new(format!(
                "{SOURCE}: the IMDSv2 token PUT answered HTTP {status}"
            ))),
        }
    }

    /// A metadata document; `None` for 404 (not there).
    fn get(&self, path: &str, token: Option<&str>) -> Result<Option<Vec<u8>>> {
        let mut headers = vec![("Accept", "*/*")];
        if let Some(t) = token {
            headers.push(("x-aws-ec2-metadata-token", t));
        }
        let answer = self.send("GET", path, &headers)?;
        match answer.status {
            200 if !answer.body.is_empty() => Ok(Some(answer.body)),
            200 | 404 => Ok(None),
            status => Err(Error::new(format!(
                "{SOURCE}: {path} answered HTTP {status}"
            ))),
        }
    }
}

fn endpoint(settings: &Settings) -> Result<Url> {
    if let Some(url) = settings.var("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
        return Url::parse(&url, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    }
    let base = match settings.var("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") {
        None => "http://169.254.169.254/",
        Some(m) if m.eq_ignore_ascii_case("ipv4") => "http://169.254.169.254/",
        Some(m) if m.eq_ignore_ascii_case("ipv6") => "http://[fd00:ec2::254]/",
        Some(_) => {
            return Err(Error::new(
                "IMDS: AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be IPv4 or IPv6",
            ));
        }
    };
    Url::parse(base, "IMDS endpoint")
}

fn limits(settings: &Settings) -> Result<Limits> {
    let seconds = match settings.var("AWS_METADATA_SERVICE_TIMEOUT") {
        None => 1.0,
        Some(v) => match v.trim().parse::<f64>() {
            Ok(s) if s > 0.0 && s <= 3600.0 => s,
            _ => {
                return Err(Error::new(
                    "IMDS: AWS_METADATA_SERVICE_TIMEOUT must be a number of seconds (0 to 3600)",
                ));
            }
        },
    };
    let each = Duration::from_secs_f64(seconds);
    Ok(Limits {
        connect: each,
        total: each,
        max_body: 64 * 1024,
    })
}

fn attempts(settings: &Settings) -> Result<u32> {
    match settings.var("AWS_METADATA_SERVICE_NUM_ATTEMPTS") {
        None => Ok(1),
        Some(v) => match v.trim().parse::<u32>() {
            Ok(n) if (1..=10).contains(&n) => Ok(n),
            _ => Err(Error::new(
                "IMDS: AWS_METADATA_SERVICE_NUM_ATTEMPTS must be a whole number from 1 to 10",
            )),
        },
    }
}
