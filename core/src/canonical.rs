//! The parts of SigV4 step 1 that a general presigner needs: canonical URI, query and headers.
//! DB tokens do not call these (their parts are fixed); the AWS test suite does.

use crate::encode::percent_encode;
use alloc::string::String;
use alloc::vec::Vec;

/// The canonical URI: each path segment percent-encoded (so `%` becomes `%25`: the non-S3
/// "double encoding"), after RFC 3986 dot-segment removal and `//` collapsing when `normalize`.
pub fn canonical_uri(path: &str, normalize: bool) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    if !normalize {
        for (i, segment) in path.split('/').enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.push_str(&percent_encode(segment));
        }
        if !out.starts_with('/') {
            out.insert(0, '/');
        }
        return out;
    }
    let mut kept: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            s => kept.push(s),
        }
    }
    for segment in &kept {
        out.push('/');
        out.push_str(&percent_encode(segment));
    }
    let ends_in_directory = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    if kept.is_empty() || ends_in_directory {
        out.push('/');
    }
    out
}

/// The canonical query string: names and values percent-encoded once, then sorted by encoded
/// name and then encoded value (sorting after encoding is what the spec and the suite require).
pub fn canonical_query(params: &[(&str, &str)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    encoded.sort_unstable();
    let mut out = String::new();
    for (i, (k, v)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Canonical headers: names lowercased, values trimmed with inner whitespace runs (line folds
/// included) collapsed to one space, repeated headers joined with `,` in order, sorted by name.
/// Returns the headers and the `SignedHeaders` list (`host;x-amz-date`).
pub fn canonical_headers(headers: &[(&str, &str)]) -> (Vec<(String, String)>, String) {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        let value = collapse_whitespace(value);
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(&value);
            }
            None => out.push((name, value)),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    let signed = out
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    (out, signed)
}

fn collapse_whitespace(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
