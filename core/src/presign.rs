//! Step 5, the presigned query, and the engine that runs steps 1 to 4 without building the
//! intermediate texts: a token costs one allocation (the returned string).
//!
//! The presigned query is written first, with every value percent-encoded exactly once; the
//! canonical query is then the same `name=value` slices, sorted, so the two can never disagree.

use crate::credentials::Credentials;
use crate::datetime::SigningTime;
use crate::encode::{encoded_len, percent_encode_into};
use crate::error::{ErrorCode, Result, fail};
use crate::sigv4::{
    ALGORITHM, HmacSha256, Recorder, SignatureSink, TERMINATOR, write_canonical_request,
    write_string_to_sign,
};
use alloc::string::String;
use core::fmt;

/// Most query parameters a presigned request may carry (its own plus the six `X-Amz-*`).
pub const MAX_QUERY_PARAMS: usize = 32;

/// Where the session token goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SessionTokenMode {
    /// Inside the signed canonical query (RDS, DSQL, ElastiCache, and SigV4's default).
    #[default]
    Signed,
    /// Appended after signing, outside the signature (what AWS IoT websockets expect).
    AppendedAfterSigning,
}

/// A signed result with every intermediate step, for vectors, the demo and debugging.
///
/// `Debug` redacts the canonical request and the presigned output: both may hold a session
/// token, and the output is a bearer credential.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    /// Step 1.
    pub canonical_request: String,
    /// Step 2.
    pub string_to_sign: String,
    /// Step 4 (lowercase hex).
    pub signature: String,
    /// Step 5: the token (DB tokens) or the presigned query string (generic presign).
    pub presigned: String,
}

impl fmt::Debug for Signed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signed")
            .field("canonical_request", &"<redacted>")
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &"<redacted>")
            .field("presigned", &"<redacted>")
            .finish()
    }
}

/// Everything the engine needs besides the key.
pub(crate) struct Spec<'a> {
    /// Written before the query: `host:port/?` for DB tokens, nothing for a generic query.
    pub(crate) prefix: &'a [&'a str],
    pub(crate) method: &'a str,
    pub(crate) canonical_uri: &'a str,
    /// The request's own parameters, unencoded, in output order (before the `X-Amz-*` ones).
    pub(crate) params: &'a [(&'a str, &'a str)],
    /// Canonical headers, sorted by name.
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) signed_headers: &'a str,
    pub(crate) payload_hash: &'a str,
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
    pub(crate) time: SigningTime,
    pub(crate) expires_in: u32,
    pub(crate) session_token_mode: SessionTokenMode,
}

/// One `name=value` parameter in the output: byte offsets of the name, the `=` and the end.
#[derive(Clone, Copy, Default)]
struct Span {
    start: usize,
    eq: usize,
    end: usize,
    signed: bool,
}

/// Runs steps 1 to 5. `key` is the HMAC already keyed with the signing key.
pub(crate) fn run(
    spec: &Spec<'_>,
    creds: &Credentials<'_>,
    key: HmacSha256,
    record: bool,
) -> Result<(String, Option<Signed>)> {
    let scope_date = spec.time.scope_date();
    let credential: [&str; 9] = [
        creds.access_key_id(),
        "/",
        scope_date,
        "/",
        spec.region,
        "/",
        spec.service,
        "/",
        TERMINATOR,
    ];
    let expires = Decimal::new(u64::from(spec.expires_in));
    let token = creds.session_token().map(|t| [t]);
    let token_signed = spec.session_token_mode == SessionTokenMode::Signed;
    // The `X-Amz-*` parameters in botocore's order: the session token after SignedHeaders.
    let auth: [Option<(&str, &[&str], bool)>; 6] = [
        Some(("X-Amz-Algorithm", &[ALGORITHM], true)),
        Some(("X-Amz-Credential", &credential, true)),
        Some(("X-Amz-Date", &[spec.time.amz_date()], true)),
        Some(("X-Amz-Expires", &[expires.as_str()], true)),
        Some(("X-Amz-SignedHeaders", &[spec.signed_headers], true)),
        token
            .as_ref()
            .map(|t| ("X-Amz-Security-Token", t.as_slice(), token_signed)),
    ];
    let own = spec.params.iter().map(|(name, value)| {
        let value: &[&str] = core::slice::from_ref(value);
        (*name, value, true)
    });
    let params = || own.clone().chain(auth.iter().flatten().copied());
    if params().count() > MAX_QUERY_PARAMS {
        return fail(
            ErrorCode::InvalidRequest,
            "query: at most 26 parameters of the request's own may be presigned",
        );
    }

    // Exact length, so the token is allocated once.
    let query_len: usize = params()
        .map(|(name, pieces, _)| {
            1 + encoded_len(name) + 1 + pieces.iter().map(|p| encoded_len(p)).sum::<usize>()
        })
        .sum();
    let prefix_len: usize = spec.prefix.iter().map(|p| p.len()).sum();
    let tail_len = SIGNATURE_PARAM.len() + 64;
    let mut out = String::with_capacity(prefix_len + query_len - 1 + tail_len);
    for piece in spec.prefix {
        out.push_str(piece);
    }

    // Step 5 (first half): the presigned query, each value encoded exactly once.
    let mut spans = [Span::default(); MAX_QUERY_PARAMS];
    let mut n = 0;
    for (name, pieces, signed) in params() {
        if n > 0 {
            out.push('&');
        }
        let start = out.len();
        percent_encode_into(&mut out, name);
        let eq = out.len();
        out.push('=');
        for piece in pieces {
            percent_encode_into(&mut out, piece);
        }
        if let Some(span) = spans.get_mut(n) {
            *span = Span {
                start,
                eq,
                end: out.len(),
                signed,
            };
        }
        n += 1;
    }

    // Step 1: the canonical query is the same parameters sorted by encoded name, then value.
    let spans = spans.get_mut(..n).unwrap_or_default();
    let slice = |from: usize, to: usize| out.get(from..to).unwrap_or_default();
    spans.sort_unstable_by(|a, b| {
        (slice(a.start, a.eq), slice(a.eq + 1, a.end))
            .cmp(&(slice(b.start, b.eq), slice(b.eq + 1, b.end)))
    });
    let mut canonical = Recorder::new(record);
    write_canonical_request(
        &mut canonical,
        spec.method,
        spec.canonical_uri,
        spans
            .iter()
            .filter(|s| s.signed)
            .map(|s| (slice(s.start, s.eq), slice(s.eq + 1, s.end))),
        spec.headers,
        spec.signed_headers,
        spec.payload_hash,
    );
    let (hash, canonical_request) = canonical.finish();

    // Steps 2 and 4: the string to sign goes straight into the keyed HMAC.
    let mut mac = SignatureSink(key);
    let mut string_to_sign = record.then(String::new);
    write_string_to_sign(&mut mac, &spec.time, spec.region, spec.service, &hash);
    if let Some(text) = &mut string_to_sign {
        write_string_to_sign(text, &spec.time, spec.region, spec.service, &hash);
    }
    let signature = mac.finish();
    let signature = core::str::from_utf8(&signature).unwrap_or_default();

    // Step 5 (second half): the signature goes last.
    out.push_str(SIGNATURE_PARAM);
    out.push_str(signature);

    let steps = match (canonical_request, string_to_sign) {
        (Some(canonical_request), Some(string_to_sign)) => Some(Signed {
            canonical_request,
            string_to_sign,
            signature: signature.into(),
            presigned: out.clone(),
        }),
        _ => None,
    };
    Ok((out, steps))
}

const SIGNATURE_PARAM: &str = "&X-Amz-Signature=";

/// Decimal digits on the stack (`core::fmt` is the largest thing in a wasm build).
pub(crate) struct Decimal {
    buf: [u8; 20],
    start: usize,
}

impl Decimal {
    pub(crate) fn new(mut value: u64) -> Decimal {
        let mut buf = [0u8; 20];
        let mut start = buf.len();
        loop {
            start -= 1;
            if let Some(slot) = buf.get_mut(start) {
                *slot = b'0' + (value % 10) as u8;
            }
            value /= 10;
            if value == 0 || start == 0 {
                break;
            }
        }
        Decimal { buf, start }
    }

    pub(crate) fn new_u16(value: u16) -> Decimal {
        Decimal::new(u64::from(value))
    }

    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(self.buf.get(self.start..).unwrap_or_default()).unwrap_or_default()
    }
}
