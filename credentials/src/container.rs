//! The container endpoint: ECS task roles (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, on
//! `http://169.254.170.2`) and EKS Pod Identity / custom agents
//! (`AWS_CONTAINER_CREDENTIALS_FULL_URI`), with `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN` sent as `Authorization`.
//!
//! A full URI must be `https://`, or `http://` to a loopback address or to one of the
//! container agents' addresses (`169.254.170.2`, `169.254.170.23`, `fd00:ec2::23`), as the AWS
//! SDKs require. Each attempt: connect within 2 s, the answer within 2 s, at most 64 KiB; up to
//! 3 attempts, 1 s apart, for a refused connection, a timeout or a 5xx (botocore's numbers).

use std::net::IpAddr;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::found::AwsCredentials;
use crate::http::{self, Limits, Request, Scheme, Tls, Url};
use crate::json;
use crate::settings::Settings;

const LIMITS: Limits = Limits {
    connect: Duration::from_secs(2),
    total: Duration::from_secs(2),
    max_body: 64 * 1024,
};
const ATTEMPTS: u32 = 3;
const PAUSE: Duration = Duration::from_secs(1);
/// The most bytes of an authorization token file read.
const MAX_TOKEN_FILE: u64 = 16 * 1024;
const ECS_HOST: &str = "169.254.170.2";

/// `Ok(None)` when neither variable is set.
pub(crate) fn read(settings: &Settings, tls: &Tls) -> Result<Option<AwsCredentials>> {
    const SOURCE: &str = "container endpoint";
    let url = if let Some(relative) = settings.var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        let sep = if relative.starts_with('/') { "" } else { "/" };
        Url::parse(
            &format!("http://{ECS_HOST}{sep}{relative}"),
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        )?
    } else if let Some(full) = settings.var("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
        let url = Url::parse(&full, "AWS_CONTAINER_CREDENTIALS_FULL_URI")?;
        if url.scheme == Scheme::Http && !allowed_http_host(&url.host) {
            return Err(Error::new(format!(
                "{SOURCE}: AWS_CONTAINER_CREDENTIALS_FULL_URI must be https://, or http:// to a \
                 loopback address, {ECS_HOST}, 169.254.170.23 or [fd00:ec2::23] (not {})",
                url.host
            )));
        }
        url
    } else {
        return Ok(None);
    };
    let token = authorization(settings)?;
    let mut headers: Vec<(&str, &str)> = vec![("Accept", "application/json")];
    if let Some(t) = &token {
        headers.push(("Authorization", t));
    }
    let request = Request {
        method: "GET",
        url: &url,
        headers: &headers,
        body: b"",
    };
    let mut attempt = 1;
    let answer = loop {
        let result = http::send(&request, &LIMITS, tls);
        let retry = match &result {
            Ok(a) => a.status >= 500,
            Err(_) => true,
        };
        if !retry || attempt >= ATTEMPTS {
            break result.map_err(|e| e.context(SOURCE))?;
        }
        attempt += 1;
        std::thread::sleep(PAUSE);
    };
    if answer.status != 200 {
        return Err(Error::new(format!(
            "{SOURCE}: {} answered HTTP {}",
            url.host, answer.status
        )));
    }
    json::endpoint_credentials(&answer.body, SOURCE).map(Some)
}

/// Loopback (`127.0.0.0/8`, `::1`, `localhost`) or a container agent's address.
fn allowed_http_host(host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(ip) => {
            ip.is_loopback()
                || ip == IpAddr::from([169, 254, 170, 2])
                || ip == IpAddr::from([169, 254, 170, 23])
                || ip == IpAddr::from([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23])
        }
        Err(_) => false,
    }
}

/// The `Authorization` value: the token file's text (read anew each time: the agent rotates
/// it), else the variable. A CR or LF in it is an error, as in botocore.
fn authorization(settings: &Settings) -> Result<Option<Zeroizing<String>>> {
    let token = if let Some(path) = settings.var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        use std::io::Read as _;
        let mut text = Zeroizing::new(String::new());
        std::fs::File::open(settings.expand(&path))
            .and_then(|f| f.take(MAX_TOKEN_FILE + 1).read_to_string(&mut text))
            .map_err(|e| {
                Error::new(format!(
                    "container endpoint: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: cannot be read ({})",
                    e.kind()
                ))
            })?;
        if text.len() as u64 > MAX_TOKEN_FILE {
            return Err(Error::new(format!(
                "container endpoint: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: larger than {MAX_TOKEN_FILE} bytes"
            )));
        }
        Some(text)
    } else {
        settings
            .var("AWS_CONTAINER_AUTHORIZATION_TOKEN")
            .map(Zeroizing::new)
    };
    if token.as_ref().is_some_and(|t| t.contains(['\r', '\n'])) {
        return Err(Error::new(
            "container endpoint: the authorization token holds a line break (not a legal header value)",
        ));
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::allowed_http_host;

    #[test]
    fn http_hosts() {
        for ok in [
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "localhost",
            "169.254.170.2",
            "169.254.170.23",
            "fd00:ec2::23",
        ] {
            assert!(allowed_http_host(ok), "{ok}");
        }
        for bad in ["169.254.169.254", "10.0.0.1", "example.com", "fd00:ec2::24"] {
            assert!(!allowed_http_host(bad), "{bad}");
        }
    }
}
