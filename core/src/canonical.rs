//! The parts of SigV4 step 1: canonical URI, query and headers, and the signed `host` header
//! (one rule for signing and verify). DB tokens use only the host (their other parts are
//! fixed); the generic presign and the AWS test suite use all of them.

use crate::encode::{percent_encode, percent_encode_to};
use crate::error::{ErrorCode, Result, fail};
use crate::query::{QueryWriter, Span};
use crate::rules::MAX_HOST_LEN;
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
/// Built by the same writer as every token's query ([`crate::query`]).
pub fn canonical_query(params: &[(&str, &str)]) -> String {
    let mut q = QueryWriter::new(Vec::new(), Vec::<Span>::with_capacity(params.len()));
    for (name, value) in params {
        q.param_with(
            |o| percent_encode_to(o, name.as_bytes()),
            |o| percent_encode_to(o, value.as_bytes()),
            true,
        );
    }
    let mut out: Vec<u8> = Vec::new();
    for (i, run) in q.canonical_runs().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        out.extend_from_slice(run);
    }
    crate::encode::ascii_string(out)
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

/// The `host` header value that gets signed, built on the stack.
pub(crate) struct SignedHost {
    buf: [u8; MAX_HOST_LEN + 6],
    len: usize,
}

impl SignedHost {
    /// botocore signs `_host_from_url(url)`: the host lowercased (`urlsplit().hostname`), plus
    /// `:port` when given.
    pub(crate) fn new(host: &str, port: Option<&str>) -> Result<SignedHost> {
        let mut s = SignedHost {
            buf: [0; MAX_HOST_LEN + 6],
            len: 0,
        };
        s.push(host.as_bytes())?;
        if let Some(lower) = s.buf.get_mut(..s.len) {
            lower.make_ascii_lowercase();
        }
        if let Some(port) = port {
            s.push(b":")?;
            s.push(port.as_bytes())?;
        }
        Ok(s)
    }

    /// A token's signed host (signing and verify): botocore's URL is https, so port 443 is the
    /// default and is left out of the signed host (but not out of the token's text).
    pub(crate) fn for_token(host: &str, port: Option<u16>) -> Result<SignedHost> {
        let port = port
            .filter(|&p| p != 443)
            .map(|p| crate::encode::Decimal::new(p.into()));
        SignedHost::new(host, port.as_ref().map(|p| p.as_str()))
    }

    fn push(&mut self, bytes: &[u8]) -> Result<()> {
        let end = self.len + bytes.len();
        match self.buf.get_mut(self.len..end) {
            Some(slot) => slot.copy_from_slice(bytes),
            None => {
                return fail(
                    ErrorCode::InvalidHost,
                    "host: must be at most 253 characters",
                );
            }
        }
        self.len = end;
        Ok(())
    }

    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(self.buf.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}
