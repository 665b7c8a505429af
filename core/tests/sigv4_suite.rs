//! The official AWS SigV4 test suite (aws-c-auth), query/presign variants, read in place from
//! ../shared/vectors/sigv4-suite: all 38 cases, every step compared.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use iamauth::{Credentials, PresignRequest, SessionTokenMode, payload_hash, presign};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// A request parsed byte by byte: the target may hold raw spaces and raw UTF-8, and header
/// values may continue on indented lines, so no HTTP parser is involved.
struct RawRequest {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn parse_request(bytes: &[u8]) -> RawRequest {
    let text = std::str::from_utf8(bytes).expect("request.txt is UTF-8");
    let (head, body) = match text.find("\n\n") {
        Some(i) => (&text[..i], text.as_bytes()[i + 2..].to_vec()),
        None => (text.trim_end_matches('\n'), Vec::new()),
    };
    let mut lines = head.split('\n');
    let request_line = lines.next().unwrap();
    // METHOD SP target SP HTTP/1.1, where the target may itself contain spaces.
    let (method, rest) = request_line.split_once(' ').unwrap();
    let (target, _version) = rest.rsplit_once(' ').unwrap();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let decode = |s: &str| iamauth::percent_decode(s).unwrap().into_owned();
            (decode(k), decode(v))
        })
        .collect();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            // A folded continuation of the previous header's value.
            let last = headers.last_mut().unwrap();
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.to_string(), value.to_string()));
        }
    }
    RawRequest {
        method: method.to_string(),
        path: path.to_string(),
        query,
        headers,
        body,
    }
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap()
}

fn run_case(dir: &Path) -> Result<(), String> {
    let ctx: Value = serde_json::from_str(&read(dir, "context.json")).unwrap();
    let raw = parse_request(&fs::read(dir.join("request.txt")).unwrap());
    let c = &ctx["credentials"];
    let creds = Credentials::new(
        c["access_key_id"].as_str().unwrap(),
        c["secret_access_key"].as_str().unwrap(),
        c["token"].as_str(),
    )
    .unwrap();
    let host = raw
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap();
    let headers: Vec<(&str, &str)> = raw
        .headers
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case("host"))
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let query: Vec<(&str, &str)> = raw
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let body_hash = payload_hash(&raw.body);
    let request = PresignRequest {
        method: &raw.method,
        host: &host,
        port: None,
        path: &raw.path,
        normalize_path: ctx["normalize"].as_bool().unwrap(),
        query: &query,
        headers: &headers,
        region: ctx["region"].as_str().unwrap(),
        service: ctx["service"].as_str().unwrap(),
        time: common::rfc3339(ctx["timestamp"].as_str().unwrap()),
        expires_in: ctx["expiration_in_seconds"].as_i64().unwrap(),
        payload_hash: ctx["sign_body"]
            .as_bool()
            .unwrap()
            .then_some(body_hash.as_str()),
        session_token_mode: if ctx["omit_session_token"].as_bool() == Some(true) {
            SessionTokenMode::AppendedAfterSigning
        } else {
            SessionTokenMode::Signed
        },
    };
    let signed = presign(&request, &creds).map_err(|e| format!("presign failed: {e}"))?;

    let expect = |file: &str, got: &str| -> Result<(), String> {
        let want = read(dir, file);
        if want == got {
            Ok(())
        } else {
            Err(format!("{file} differs\n--- want\n{want}\n--- got\n{got}"))
        }
    };
    expect("query-canonical-request.txt", &signed.canonical_request)?;
    expect("query-string-to-sign.txt", &signed.string_to_sign)?;
    expect("query-signature.txt", &signed.signature)?;

    // The signed request's parameter order is not canonical: compare the parameter sets.
    let signed_request = read(dir, "query-signed-request.txt");
    let request_line = signed_request.lines().next().unwrap();
    let target = request_line
        .split_once(' ')
        .and_then(|(_, r)| r.rsplit_once(' '))
        .map(|(t, _)| t)
        .unwrap();
    let want_query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
    let want = common::query_set(want_query);
    let got = common::query_set(&signed.presigned);
    if want != got {
        return Err(format!("signed query differs\nwant {want:?}\ngot  {got:?}"));
    }
    Ok(())
}

#[test]
fn all_38_query_cases_of_the_aws_sigv4_suite() {
    let Some(shared) = common::shared_vectors() else {
        return;
    };
    let suite = shared.join("sigv4-suite/v4");
    let mut cases: Vec<_> = fs::read_dir(&suite)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 38, "the suite has 38 cases");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|dir| {
            run_case(dir)
                .err()
                .map(|e| format!("{}: {e}", dir.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of 38 cases failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
