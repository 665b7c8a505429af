//! The chain against loopback mocks: each source, its settings, its faults (each ending within
//! its bound, never a hang), and the cache. The mocks check what the real services check: IMDS
//! refuses a GET without the session token and a PUT without the TTL header; the container
//! endpoint checks `Authorization`; STS recomputes the AssumeRole signature with the core's
//! presign and the caller's secret; the SSO portal checks the bearer token.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Mock, Reply, Req, ok, scratch_dir, test_ca};
use iamauth_credentials::{CredentialsProvider, Settings, resolve};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 2024-01-02T03:04:05Z.
const T0: i64 = 1_704_164_645;

/// Settings with only these variables, IMDS off unless a test turns it on, HOME in a scratch
/// directory (no ~/.aws of the machine's), and the clock at T0.
fn settings(vars: &[(&str, &str)]) -> Settings {
    let home = scratch_dir("home");
    let mut all: Vec<(String, String)> = vec![
        ("HOME".into(), home.display().to_string()),
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
    ];
    for (k, v) in vars {
        all.retain(|(name, _)| name != k);
        all.push(((*k).into(), (*v).into()));
    }
    Settings::from_vars(all).clock(|| T0)
}

fn endpoint_json(akid: &str, expiration: &str) -> Vec<u8> {
    format!(
        r#"{{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"{akid}","SecretAccessKey":"{SECRET}","Token":"IQoJtoken","Expiration":"{expiration}","LastUpdated":"2024-01-02T03:00:00Z"}}"#
    )
    .into_bytes()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn environment_first() {
    let c = resolve(&settings(&[
        ("AWS_ACCESS_KEY_ID", AKID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", "tok"),
        ("AWS_CREDENTIAL_EXPIRATION", "2024-01-02T04:04:05Z"),
    ]))
    .unwrap();
    assert_eq!(
        (c.access_key_id(), c.secret_access_key(), c.session_token()),
        (AKID, SECRET, Some("tok"))
    );
    assert_eq!(
        (c.expiration(), c.source()),
        (Some(T0 + 3600), "environment")
    );
    let shown = format!("{c:?}");
    assert!(
        !shown.contains(SECRET) && !shown.contains("tok\""),
        "{shown}"
    );
    let e = resolve(&settings(&[("AWS_ACCESS_KEY_ID", AKID)])).unwrap_err();
    assert_eq!(e.code().name(), "INVALID_CREDENTIALS");
    assert!(e.message().contains("AWS_SECRET_ACCESS_KEY"), "{e}");
    let e = resolve(&settings(&[
        ("AWS_ACCESS_KEY_ID", AKID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_CREDENTIAL_EXPIRATION", "soon"),
    ]))
    .unwrap_err();
    assert!(e.message().contains("AWS_CREDENTIAL_EXPIRATION"), "{e}");
}

#[test]
fn nothing_configured_lists_every_source() {
    let e = resolve(&settings(&[])).unwrap_err();
    let m = e.message();
    for source in [
        "environment",
        "profile default",
        "container endpoint",
        "IMDS",
    ] {
        assert!(m.contains(source), "{source}: {m}");
    }
}

/// An IMDS mock: the PUT must carry the TTL header, each GET the token it issued.
fn imds(role: &'static str, body: Vec<u8>) -> Mock {
    Mock::http(move |r: &Req| {
        let token_ok = r.header("x-aws-ec2-metadata-token") == Some("imds-session-token");
        match (r.method.as_str(), r.path.as_str()) {
            ("PUT", "/latest/api/token") => {
                match r.header("x-aws-ec2-metadata-token-ttl-seconds") {
                    Some("21600") => ok("text/plain", "imds-session-token"),
                    _ => Reply::Http(400, "text/plain", b"missing TTL".to_vec()),
                }
            }
            (_, _) if !token_ok => Reply::Http(401, "text/plain", Vec::new()),
            ("GET", "/latest/meta-data/iam/security-credentials/") => ok("text/plain", role),
            ("GET", p) if p == format!("/latest/meta-data/iam/security-credentials/{role}") => {
                Reply::Http(200, "application/json", body.clone())
            }
            _ => Reply::Http(404, "text/plain", Vec::new()),
        }
    })
}

#[test]
fn imds_v2() {
    let mock = imds(
        "web-role",
        endpoint_json("ASIAIMDS", "2024-01-02T09:04:05Z"),
    );
    let url = mock.url();
    let c = resolve(&settings(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url),
    ]))
    .unwrap();
    assert_eq!(c.access_key_id(), "ASIAIMDS");
    assert_eq!(c.session_token(), Some("IQoJtoken"));
    assert_eq!(c.expiration(), Some(T0 + 6 * 3600));
    assert_eq!(c.source(), "IMDS");
    assert_eq!(mock.count(), 3);
}

#[test]
fn imds_v1_fallback_and_v1_disabled() {
    // A service that refuses the token PUT (IMDSv1 only) and answers GETs without a token.
    let v1 = || {
        Mock::http(|r: &Req| match (r.method.as_str(), r.path.as_str()) {
            ("PUT", _) => Reply::Http(403, "text/plain", Vec::new()),
            ("GET", "/latest/meta-data/iam/security-credentials/") => ok("text/plain", "r"),
            ("GET", "/latest/meta-data/iam/security-credentials/r") => Reply::Http(
                200,
                "application/json",
                endpoint_json("ASIAV1", "2024-01-02T09:04:05Z"),
            ),
            _ => Reply::Http(404, "text/plain", Vec::new()),
        })
    };
    let mock = v1();
    let url = mock.url();
    let base = [
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", url.as_str()),
    ];
    assert_eq!(resolve(&settings(&base)).unwrap().access_key_id(), "ASIAV1");
    let mut off = base.to_vec();
    off.push(("AWS_EC2_METADATA_V1_DISABLED", "true"));
    let e = resolve(&settings(&off)).unwrap_err();
    assert!(e.message().contains("AWS_EC2_METADATA_V1_DISABLED"), "{e}");
}

#[test]
fn imds_faults_end_within_their_bound() {
    let slow = Mock::http(|_: &Req| Reply::Hang(Duration::from_secs(20)));
    let closes = Mock::http(|_: &Req| Reply::Close);
    let broken = imds("r", b"{not json".to_vec());
    let failing = Mock::http(|_: &Req| Reply::Http(500, "text/plain", Vec::new()));
    for (mock, expect) in [(&slow, "IMDS"), (&closes, "IMDS"), (&failing, "IMDS")] {
        let url = mock.url();
        let started = Instant::now();
        let e = resolve(&settings(&[
            ("AWS_EC2_METADATA_DISABLED", "false"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url),
            ("AWS_METADATA_SERVICE_TIMEOUT", "1"),
        ]))
        .unwrap_err();
        // The token PUT and the v1 GET, one second each at most.
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
        assert!(e.message().contains(expect), "{e}");
    }
    let url = broken.url();
    let e = resolve(&settings(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url),
    ]))
    .unwrap_err();
    assert!(e.message().contains("not a JSON object"), "{e}");
    assert!(!e.message().contains(SECRET));
}

#[test]
fn container_full_uri_with_authorization() {
    let mock = Mock::http(|r: &Req| match r.header("authorization") {
        Some("pod-identity-token") => Reply::Http(
            200,
            "application/json",
            endpoint_json("ASIACONTAINER", "2024-01-02T05:04:05Z"),
        ),
        _ => Reply::Http(401, "text/plain", Vec::new()),
    });
    let url = format!("{}/v1/credentials", mock.url());
    let dir = scratch_dir("container");
    let token_file = write(&dir, "token", "pod-identity-token");
    let c = resolve(&settings(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &token_file),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "ignored-when-the-file-is-set",
        ),
    ]))
    .unwrap();
    assert_eq!(c.access_key_id(), "ASIACONTAINER");
    assert_eq!(mock.last().path, "/v1/credentials");
    let c = resolve(&settings(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "pod-identity-token"),
    ]))
    .unwrap();
    assert_eq!(c.expiration(), Some(T0 + 7200));
    // Wrong token: the endpoint's 401 is the chain's error.
    let e = resolve(&settings(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url)])).unwrap_err();
    assert!(e.message().contains("401"), "{e}");
    // A line break in the token, and a host the SDKs do not allow over http.
    let bad = write(&dir, "bad", "pod-identity-token\n");
    let e = resolve(&settings(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &bad),
    ]))
    .unwrap_err();
    assert!(e.message().contains("line break"), "{e}");
    let e = resolve(&settings(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://10.1.2.3/creds",
    )]))
    .unwrap_err();
    assert!(e.message().contains("must be https://"), "{e}");
}

/// Recomputes an AssumeRole request's signature with the core's presign, the mock's copy of
/// the caller's secret and the request's own parameters; `true` when the query is exactly what
/// it would have signed.
fn assume_role_signed_by(r: &Req, port: u16, secret: &str, token: Option<&str>) -> bool {
    let pairs: Vec<(String, String)> = r
        .query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| {
            (
                k.to_owned(),
                iamauth::percent_decode(v).unwrap().into_owned(),
            )
        })
        .collect();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let own: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(k, _)| !k.starts_with("X-Amz-"))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let scope: Vec<&str> = get("X-Amz-Credential").unwrap().split('/').collect();
    let date = get("X-Amz-Date").unwrap();
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &date[0..4],
        &date[4..6],
        &date[6..8],
        &date[9..11],
        &date[11..13],
        &date[13..15]
    );
    let request = iamauth::PresignRequest {
        method: "GET",
        host: "127.0.0.1",
        port: Some(port),
        path: "/",
        normalize_path: true,
        query: &own,
        headers: &[],
        region: scope[2],
        service: scope[3],
        time: iamauth::parse_time(&rfc3339).unwrap(),
        expires_in: get("X-Amz-Expires").unwrap().parse().unwrap(),
        payload_hash: None,
        session_token_mode: iamauth::SessionTokenMode::Signed,
    };
    let creds = iamauth::Credentials::new(scope[0], secret, token).unwrap();
    iamauth::presign(&request, &creds).unwrap().presigned == r.query
}

fn sts_answer(action: &str, akid: &str, expiration: &str) -> Vec<u8> {
    format!(
        r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><{action}Result><Credentials><AccessKeyId>{akid}</AccessKeyId><SecretAccessKey>role&amp;secret</SecretAccessKey><SessionToken>role-token</SessionToken><Expiration>{expiration}</Expiration></Credentials></{action}Result></{action}Response>"#
    )
    .into_bytes()
}

fn sts_mock() -> Mock {
    let port = std::sync::Arc::new(std::sync::OnceLock::<u16>::new());
    let seen = std::sync::Arc::clone(&port);
    let mock = Mock::https(move |r: &Req| {
        let port = *seen.get().unwrap();
        if r.method == "GET" && r.query.starts_with("Action=AssumeRole&") {
            let signed = assume_role_signed_by(r, port, SECRET, None)
                || assume_role_signed_by(r, port, "role&secret", Some("role-token"));
            if !signed {
                return Reply::Http(
                    403,
                    "text/xml",
                    b"<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>bad</Message></Error></ErrorResponse>".to_vec(),
                );
            }
            let n = r.query.matches("RoleArn=").count();
            assert_eq!(n, 1);
            return ok(
                "text/xml",
                sts_answer("AssumeRole", "ASIAROLE", "2024-01-02T04:04:05Z"),
            );
        }
        let body = String::from_utf8_lossy(&r.body).into_owned();
        if r.method == "POST" && body.contains("Action=AssumeRoleWithWebIdentity") {
            if !body.contains("WebIdentityToken=eyJ.web.identity") {
                return Reply::Http(400, "text/xml", b"<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>no</Message></Error></ErrorResponse>".to_vec());
            }
            return ok(
                "text/xml",
                sts_answer(
                    "AssumeRoleWithWebIdentity",
                    "ASIAWEB",
                    "2024-01-02T04:04:05Z",
                ),
            );
        }
        Reply::Http(400, "text/xml", Vec::new())
    });
    port.set(mock.port).unwrap();
    mock
}

#[test]
fn assume_role_from_a_source_profile_signed_by_our_presign() {
    let sts = sts_mock();
    let dir = scratch_dir("role");
    let config = write(
        &dir,
        "config",
        "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = base\nrole_session_name = s1\nexternal_id = ext-1\nregion = eu-west-1\n\n[profile chained]\nrole_arn = arn:aws:iam::123456789012:role/second\nsource_profile = app\n",
    );
    let credentials = write(
        &dir,
        "credentials",
        &format!("[base]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n"),
    );
    let url = sts.url();
    let ca = test_ca().pem.display().to_string();
    let vars = [
        ("AWS_CONFIG_FILE", config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
        ("AWS_ENDPOINT_URL_STS", url.as_str()),
        ("AWS_CA_BUNDLE", ca.as_str()),
        ("AWS_PROFILE", "app"),
    ];
    let c = resolve(&settings(&vars)).unwrap();
    assert_eq!(c.access_key_id(), "ASIAROLE");
    assert_eq!(c.secret_access_key(), "role&secret");
    assert_eq!(c.expiration(), Some(T0 + 3600));
    let q = sts.last().query;
    assert!(
        q.contains("RoleSessionName=s1") && q.contains("ExternalId=ext-1"),
        "{q}"
    );
    assert!(
        q.contains("X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Feu-west-1%2Fsts%2Faws4_request"),
        "{q}"
    );
    // A chain of two roles: the second is signed with the first one's credentials.
    let c = resolve(&settings(&vars).profile("chained")).unwrap();
    assert_eq!(c.access_key_id(), "ASIAROLE");
    assert!(sts.last().query.contains("X-Amz-Credential=ASIAROLE%2F"));
    assert!(sts.last().query.contains("X-Amz-Security-Token=role-token"));
    // Without the test CA the server is not trusted.
    let untrusted: Vec<_> = vars
        .iter()
        .filter(|(k, _)| *k != "AWS_CA_BUNDLE")
        .copied()
        .collect();
    let e = resolve(&settings(&untrusted)).unwrap_err();
    assert!(e.message().contains("AssumeRole"), "{e}");
}

#[test]
fn web_identity_from_the_environment() {
    let sts = sts_mock();
    let dir = scratch_dir("web");
    let token = write(&dir, "token", "eyJ.web.identity\n");
    let url = sts.url();
    let ca = test_ca().pem.display().to_string();
    let c = resolve(&settings(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", &token),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa"),
        ("AWS_ROLE_SESSION_NAME", "pod-1"),
        ("AWS_ENDPOINT_URL_STS", &url),
        ("AWS_CA_BUNDLE", &ca),
    ]))
    .unwrap();
    assert_eq!(c.access_key_id(), "ASIAWEB");
    let body = String::from_utf8(sts.last().body).unwrap();
    assert!(body.contains("RoleSessionName=pod-1"), "{body}");
    assert!(
        sts.last().query.is_empty(),
        "the token goes in the body, never the URL"
    );
}

#[test]
fn sso_with_a_cached_token() {
    let portal = Mock::https(|r: &Req| {
        if r.path != "/federation/credentials" {
            return Reply::Http(404, "application/json", Vec::new());
        }
        if r.header("x-amz-sso_bearer_token") != Some("cached-access-token") {
            return Reply::Http(401, "application/json", b"{}".to_vec());
        }
        ok(
            "application/json",
            format!(
                r#"{{"roleCredentials":{{"accessKeyId":"ASIASSO","secretAccessKey":"{SECRET}","sessionToken":"sso-token","expiration":{}}}}}"#,
                (T0 + 3600) * 1000 + 999
            ),
        )
    });
    let dir = scratch_dir("sso");
    let home = dir.display().to_string();
    write(
        &dir,
        ".aws/config",
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    let url = portal.url();
    let ca = test_ca().pem.display().to_string();
    let vars = [
        ("HOME", home.as_str()),
        ("AWS_PROFILE", "dev"),
        ("AWS_ENDPOINT_URL_SSO", url.as_str()),
        ("AWS_CA_BUNDLE", ca.as_str()),
    ];
    let e = resolve(&settings(&vars)).unwrap_err();
    assert!(e.message().contains("aws sso login"), "{e}");
    let key = sha1_hex("corp");
    write(
        &dir,
        &format!(".aws/sso/cache/{key}.json"),
        r#"{"startUrl":"https://corp.awsapps.com/start","region":"us-east-1","accessToken":"cached-access-token","expiresAt":"2024-01-02T05:00:00Z"}"#,
    );
    let c = resolve(&settings(&vars)).unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token()),
        ("ASIASSO", Some("sso-token"))
    );
    assert_eq!(c.expiration(), Some(T0 + 3600));
    let q = portal.last().query;
    assert_eq!(q, "role_name=ReadOnly&account_id=123456789012");
    // Expired: says to log in again.
    write(
        &dir,
        &format!(".aws/sso/cache/{key}.json"),
        r#"{"accessToken":"cached-access-token","expiresAt":"2024-01-02T03:00:00Z"}"#,
    );
    let e = resolve(&settings(&vars)).unwrap_err();
    assert!(
        e.message().contains("expired") && e.message().contains("aws sso login"),
        "{e}"
    );
    assert!(!e.message().contains("cached-access-token"));
}

fn sha1_hex(s: &str) -> String {
    use sha1::Digest as _;
    sha1::Sha1::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn provider_caches_refreshes_and_shares_one_fetch() {
    let mock = Mock::http(move |_: &Req| {
        std::thread::sleep(Duration::from_millis(200));
        Reply::Http(
            200,
            "application/json",
            endpoint_json("ASIACACHED", "2024-01-02T04:04:05Z"),
        )
    });
    let url = format!("{}/creds", mock.url());
    let now = Arc::new(std::sync::atomic::AtomicI64::new(T0));
    let clock = Arc::clone(&now);
    let provider = Arc::new(CredentialsProvider::new(
        settings(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url)])
            .clock(move || clock.load(std::sync::atomic::Ordering::SeqCst)),
    ));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let p = Arc::clone(&provider);
            std::thread::spawn(move || p.credentials().unwrap().access_key_id().to_owned())
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), "ASIACACHED");
    }
    assert_eq!(mock.count(), 1, "eight callers, one fetch");
    provider.credentials().unwrap();
    assert_eq!(mock.count(), 1);
    // 16 minutes before expiry: kept; 14 minutes before: fetched again.
    now.store(T0 + 3600 - 16 * 60, std::sync::atomic::Ordering::SeqCst);
    provider.credentials().unwrap();
    assert_eq!(mock.count(), 1);
    now.store(T0 + 3600 - 14 * 60, std::sync::atomic::Ordering::SeqCst);
    provider.credentials().unwrap();
    assert_eq!(mock.count(), 2);
    // Past the expiration the source still hands over: an error, not expired credentials.
    now.store(T0 + 3600 + 1, std::sync::atomic::Ordering::SeqCst);
    let e = provider.credentials().unwrap_err();
    assert!(e.message().contains("expired"), "{e}");
}

/// A role profile whose STS is `sts` (https, the test CA trusted).
fn role_settings(sts: &Mock) -> Settings {
    let dir = scratch_dir("role-faults");
    let config = write(
        &dir,
        "config",
        "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = base\n",
    );
    let credentials = write(
        &dir,
        "credentials",
        &format!("[base]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n"),
    );
    let url = sts.url();
    let ca = test_ca().pem.display().to_string();
    settings(&[
        ("AWS_CONFIG_FILE", config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
        ("AWS_ENDPOINT_URL_STS", url.as_str()),
        ("AWS_CA_BUNDLE", ca.as_str()),
        ("AWS_PROFILE", "app"),
    ])
}

#[test]
fn sts_faults_are_clear_errors_within_the_bound() {
    let refused = Mock::https(|_: &Req| {
        Reply::Http(
            403,
            "text/xml",
            b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error></ErrorResponse>".to_vec(),
        )
    });
    let e = resolve(&role_settings(&refused)).unwrap_err();
    assert!(
        e.message()
            .contains("HTTP 403 AccessDenied: User is not authorized"),
        "{e}"
    );
    assert!(e.message().contains("profile app"), "{e}");
    let garbled = Mock::https(|_: &Req| ok("text/xml", "<AssumeRoleResponse><nope"));
    let e = resolve(&role_settings(&garbled)).unwrap_err();
    assert!(e.message().contains("malformed answer"), "{e}");
    let no_expiration = Mock::https(|_: &Req| {
        ok(
            "text/xml",
            "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken></Credentials></AssumeRoleResult></AssumeRoleResponse>",
        )
    });
    let e = resolve(&role_settings(&no_expiration)).unwrap_err();
    assert!(e.message().contains("malformed answer"), "{e}");
    let failing = Mock::https(|_: &Req| Reply::Http(500, "text/plain", Vec::new()));
    let e = resolve(&role_settings(&failing)).unwrap_err();
    assert!(e.message().contains("HTTP 500"), "{e}");
    let closes = Mock::https(|_: &Req| Reply::Close);
    let e = resolve(&role_settings(&closes)).unwrap_err();
    assert!(e.message().contains("STS AssumeRole"), "{e}");
    // Silent: the request ends at STS's bound (10 s), not later.
    let slow = Mock::https(|_: &Req| Reply::Hang(Duration::from_secs(30)));
    let started = Instant::now();
    let e = resolve(&role_settings(&slow)).unwrap_err();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(9) && took < Duration::from_secs(12),
        "{took:?}"
    );
    assert!(e.message().contains("timed out"), "{e}");
}

#[test]
fn container_faults_are_clear_errors_within_the_bound() {
    let broken = Mock::http(|_: &Req| ok("application/json", "[1, 2]"));
    let url = broken.url();
    let e = resolve(&settings(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url)])).unwrap_err();
    assert!(e.message().contains("not a JSON object"), "{e}");
    let missing = Mock::http(|_: &Req| ok("application/json", r#"{"AccessKeyId": "A"}"#));
    let url = missing.url();
    let e = resolve(&settings(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url)])).unwrap_err();
    assert!(e.message().contains("no SecretAccessKey"), "{e}");
    // A 5xx is retried (3 attempts, 1 s apart), then reported.
    let failing = Mock::http(|_: &Req| Reply::Http(503, "text/plain", Vec::new()));
    let url = failing.url();
    let started = Instant::now();
    let e = resolve(&settings(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url)])).unwrap_err();
    assert!(e.message().contains("HTTP 503"), "{e}");
    assert_eq!(failing.count(), 3);
    assert!(started.elapsed() < Duration::from_secs(4));
    // Silent: three attempts of 2 s and two pauses of 1 s, at most.
    let slow = Mock::http(|_: &Req| Reply::Hang(Duration::from_secs(30)));
    let url = slow.url();
    let started = Instant::now();
    let e = resolve(&settings(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url)])).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(e.message().contains("timed out"), "{e}");
}

#[test]
fn sso_portal_faults() {
    let dir = scratch_dir("sso-faults");
    let home = dir.display().to_string();
    write(
        &dir,
        ".aws/config",
        "[profile dev]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n",
    );
    write(
        &dir,
        &format!(
            ".aws/sso/cache/{}.json",
            sha1_hex("https://corp.awsapps.com/start")
        ),
        r#"{"accessToken":"cached-access-token","expiresAt":"2024-01-02T05:00:00UTC"}"#,
    );
    let ca = test_ca().pem.display().to_string();
    for (reply, expect) in [
        (
            Reply::Http(401, "application/json", b"{}".to_vec()),
            "aws sso login --profile dev",
        ),
        (ok("application/json", "{}"), "no roleCredentials"),
        (
            ok(
                "application/json",
                r#"{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"s","expiration":"soon"}}"#,
            ),
            "milliseconds",
        ),
    ] {
        let reply = std::sync::Mutex::new(Some(reply));
        let portal = Mock::https(move |_: &Req| {
            reply
                .lock()
                .unwrap()
                .take()
                .unwrap_or(Reply::Http(500, "text/plain", Vec::new()))
        });
        let url = portal.url();
        let e = resolve(&settings(&[
            ("HOME", home.as_str()),
            ("AWS_PROFILE", "dev"),
            ("AWS_ENDPOINT_URL_SSO", url.as_str()),
            ("AWS_CA_BUNDLE", ca.as_str()),
        ]))
        .unwrap_err();
        assert!(e.message().contains(expect), "{expect}: {e}");
        assert!(!e.message().contains("cached-access-token"));
    }
}

#[test]
fn unreadable_and_malformed_files() {
    let dir = scratch_dir("files");
    let bad = write(&dir, "config", "[default]\nthis line has no equals sign\n");
    let e = resolve(&settings(&[("AWS_CONFIG_FILE", &bad)])).unwrap_err();
    assert!(e.message().contains("line 2"), "{e}");
    // Expired credentials from the environment are handed over (the caller judges), but the
    // provider refuses them.
    let provider = CredentialsProvider::new(settings(&[
        ("AWS_ACCESS_KEY_ID", AKID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", "t"),
        ("AWS_CREDENTIAL_EXPIRATION", "2024-01-02T03:00:00Z"),
    ]));
    let e = provider.credentials().unwrap_err();
    assert!(e.message().contains("expired"), "{e}");
}
