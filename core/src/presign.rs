//! Step 5, the presigned query, and the engine that runs steps 1 to 4 without building the
//! intermediate texts: a token costs one allocation (the returned string).
//!
//! The presigned query is written first, with every value percent-encoded exactly once; the
//! canonical query is then the same `name=value` slices, sorted, so the two can never disagree.

use crate::credentials::Credentials;
use crate::datetime::SigningTime;
use crate::encode::{ascii_string, encoded_len, is_unreserved, percent_encode_to};
use crate::error::{ErrorCode, Result, fail};
use crate::sigv4::{
    ALGORITHM, HmacSha256, Recorder, StackText, TERMINATOR, signature_hex, write_canonical_request,
    write_string_to_sign,
};
use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt;
use hmac::Mac;

/// Most query parameters a presigned request may carry (its own plus the six `X-Amz-*`).
pub const MAX_QUERY_PARAMS: usize = 16;

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
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SigningSteps {
    /// Step 1.
    pub canonical_request: String,
    /// Step 2.
    pub string_to_sign: String,
    /// Step 4 (lowercase hex).
    pub signature: String,
    /// Step 5: the token (DB tokens) or the presigned query string (generic presign).
    pub presigned: String,
}

impl fmt::Debug for SigningSteps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningSteps")
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
    pub(crate) prefix: &'a [&'a [u8]],
    pub(crate) method: &'a str,
    pub(crate) canonical_uri: &'a str,
    /// The request's own parameters in output order (before the `X-Amz-*` ones).
    pub(crate) params: &'a [(Piece<'a>, Piece<'a>)],
    /// Canonical headers, sorted by name.
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) signed_headers: &'a str,
    pub(crate) payload_hash: &'a str,
    /// Validated: `a-z 0-9 -` only.
    pub(crate) region: &'a str,
    /// Validated: `a-z 0-9 -` only.
    pub(crate) service: &'a str,
    pub(crate) time: SigningTime,
    pub(crate) expires_in: u32,
    pub(crate) session_token_mode: SessionTokenMode,
}

/// A piece of a query parameter's name or value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Piece<'a> {
    /// Caller text, percent-encoded on the way out.
    Raw(&'a str),
    /// Text that needs no encoding: constants made of unreserved characters only.
    Encoded(&'a str),
}

impl Piece<'_> {
    /// Length once written.
    fn len(&self) -> usize {
        match self {
            Piece::Raw(s) => encoded_len(s),
            Piece::Encoded(s) => s.len(),
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Piece::Raw(s) => percent_encode_to(out, s.as_bytes()),
            Piece::Encoded(s) => write_unreserved(out, s),
        }
    }
}

/// Copies text that its input rule (or its being a constant) limits to unreserved characters.
fn write_unreserved(out: &mut Vec<u8>, s: &str) {
    debug_assert!(s.bytes().all(is_unreserved), "{s} needs encoding");
    out.extend_from_slice(s.as_bytes());
}

/// One `name=value` parameter in the output: byte offsets of the name, the `=` and the end.
#[derive(Clone, Copy, Default)]
struct Span {
    /// The name's first eight bytes, big-endian: sorts like the name and decides almost every
    /// comparison in one predictable step.
    key: u64,
    start: usize,
    eq: usize,
    end: usize,
    signed: bool,
}

/// The presigned query as it is written, with the position of each parameter.
struct Query {
    out: Vec<u8>,
    spans: [Span; MAX_QUERY_PARAMS],
    n: usize,
}

impl Query {
    /// Writes `&name=value` (no `&` before the first) and remembers where it is.
    fn param(&mut self, name: &[u8], value: impl FnOnce(&mut Vec<u8>), signed: bool) {
        self.param_with(|o| o.extend_from_slice(name), value, signed);
    }

    /// [`Query::param`] with the name written by `name` (for names that need encoding).
    fn param_with(
        &mut self,
        name: impl FnOnce(&mut Vec<u8>),
        value: impl FnOnce(&mut Vec<u8>),
        signed: bool,
    ) {
        if self.n > 0 {
            self.out.push(b'&');
        }
        let start = self.out.len();
        name(&mut self.out);
        let eq = self.out.len();
        self.out.push(b'=');
        value(&mut self.out);
        let key = sort_key(self.out.get(start..eq).unwrap_or_default());
        if let Some(span) = self.spans.get_mut(self.n) {
            *span = Span {
                key,
                start,
                eq,
                end: self.out.len(),
                signed,
            };
            self.n += 1;
        }
    }

    /// Step 1's canonical query: the signed parameters sorted by encoded name, then value,
    /// as runs of text. Parameters that already follow each other in canonical order form one
    /// run (a token without a session token is a single run), hashed in one piece.
    fn canonical_runs(&mut self) -> impl Iterator<Item = &[u8]> + '_ {
        let Query { out, spans, n } = self;
        let text = |from: usize, to: usize| out.get(from..to).unwrap_or_default();
        let spans = spans.get_mut(..*n).unwrap_or_default();
        spans.sort_unstable_by(|a, b| {
            a.key
                .cmp(&b.key)
                .then_with(|| bytes_cmp(text(a.start, a.eq), text(b.start, b.eq)))
                .then_with(|| bytes_cmp(text(a.eq + 1, a.end), text(b.eq + 1, b.end)))
        });
        let mut signed = spans.iter().filter(|s| s.signed).peekable();
        core::iter::from_fn(move || {
            let first = signed.next()?;
            let mut end = first.end;
            while let Some(next) = signed.next_if(|s| s.start == end + 1) {
                end = next.end;
            }
            Some(text(first.start, end))
        })
    }
}

/// The first eight bytes of an encoded name as a big-endian number, zero-padded. Encoded text
/// never holds a NUL byte, so the padding sorts a shorter name first, as byte order does; equal
/// keys fall back to comparing the whole names.
fn sort_key(name: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    for (dst, src) in word.iter_mut().zip(name) {
        *dst = *src;
    }
    u64::from_be_bytes(word)
}

/// Byte-wise order of short strings (parameter names differ within a few bytes, so an inline
/// loop beats a `memcmp` call).
fn bytes_cmp(a: &[u8], b: &[u8]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// Runs steps 1 to 5. `key` is the HMAC already keyed with the signing key.
pub(crate) fn run(
    spec: &Spec<'_>,
    creds: &Credentials<'_>,
    key: HmacSha256,
    steps: Option<&mut SigningSteps>,
) -> Result<String> {
    if spec.params.len() + 6 > MAX_QUERY_PARAMS {
        return fail(
            ErrorCode::InvalidRequest,
            "query: at most 10 parameters of the request's own may be presigned",
        );
    }
    let amz_date = spec.time.amz_date_bytes();
    let scope_date = amz_date.get(..8).unwrap_or_default();
    let expires = Decimal::new(u64::from(spec.expires_in));
    let token = creds.session_token();
    let token_signed = spec.session_token_mode == SessionTokenMode::Signed;

    // Exact length, so the token is allocated once.
    let prefix_len: usize = spec.prefix.iter().map(|p| p.len()).sum();
    let own_len: usize = spec.params.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let auth_len = AUTH_FIXED_LEN
        + creds.access_key_id().len()
        + spec.region.len()
        + spec.service.len()
        + expires.as_bytes().len()
        + encoded_len(spec.signed_headers)
        + token.map_or(0, |t| SECURITY_TOKEN.len() + 2 + encoded_len(t));
    let mut q = Query {
        out: Vec::with_capacity(prefix_len + own_len + auth_len + SIGNATURE_PARAM.len() + 64),
        spans: [Span::default(); MAX_QUERY_PARAMS],
        n: 0,
    };
    for piece in spec.prefix {
        q.out.extend_from_slice(piece);
    }

    // Step 5 (first half): the presigned query, each value encoded exactly once. The request's
    // own parameters come first, then the `X-Amz-*` ones in botocore's order (the session token
    // after SignedHeaders).
    for (name, value) in spec.params {
        q.param_with(|o| name.write(o), |o| value.write(o), true);
    }
    q.param(
        b"X-Amz-Algorithm",
        |o| o.extend_from_slice(ALGORITHM.as_bytes()),
        true,
    );
    q.param(
        b"X-Amz-Credential",
        |o| {
            // The access key id, region and service are validated to unreserved characters.
            write_unreserved(o, creds.access_key_id());
            o.extend_from_slice(b"%2F");
            o.extend_from_slice(scope_date);
            o.extend_from_slice(b"%2F");
            write_unreserved(o, spec.region);
            o.extend_from_slice(b"%2F");
            write_unreserved(o, spec.service);
            o.extend_from_slice(b"%2F");
            o.extend_from_slice(TERMINATOR.as_bytes());
        },
        true,
    );
    q.param(b"X-Amz-Date", |o| o.extend_from_slice(amz_date), true);
    q.param(
        b"X-Amz-Expires",
        |o| o.extend_from_slice(expires.as_bytes()),
        true,
    );
    q.param(
        b"X-Amz-SignedHeaders",
        |o| percent_encode_to(o, spec.signed_headers.as_bytes()),
        true,
    );
    if let Some(t) = token {
        q.param(
            SECURITY_TOKEN,
            |o| percent_encode_to(o, t.as_bytes()),
            token_signed,
        );
    }

    // Step 1: the canonical request, hashed as it is written.
    let mut canonical = Recorder::new(steps.is_some());
    write_canonical_request(
        &mut canonical,
        spec.method,
        spec.canonical_uri,
        q.canonical_runs(),
        spec.headers,
        spec.signed_headers,
        spec.payload_hash,
    );
    let (hash, canonical_request) = canonical.finish();

    // Steps 2 and 4: the string to sign, gathered on the stack, goes into the keyed HMAC. It
    // always fits: the region and service are validated to at most 32 and 64 bytes.
    let mut string_to_sign = StackText::<STRING_TO_SIGN_MAX>::new();
    write_string_to_sign(
        &mut string_to_sign,
        amz_date,
        spec.region,
        spec.service,
        &hash,
    );
    let Some(string_to_sign) = string_to_sign.as_bytes() else {
        return fail(
            ErrorCode::InvalidRequest,
            "internal: string to sign too long",
        );
    };
    let mut mac = key;
    mac.update(string_to_sign);
    let signature = signature_hex(mac);

    // Step 5 (second half): the signature goes last.
    q.out.extend_from_slice(SIGNATURE_PARAM.as_bytes());
    q.out.extend_from_slice(&signature);
    let out = ascii_string(q.out);

    if let Some(steps) = steps {
        *steps = SigningSteps {
            canonical_request: canonical_request.unwrap_or_default(),
            string_to_sign: ascii_string(string_to_sign.to_vec()),
            signature: ascii_string(signature.to_vec()),
            presigned: out.clone(),
        };
    }
    Ok(out)
}

const SIGNATURE_PARAM: &str = "&X-Amz-Signature=";
/// Room for the longest string to sign: 17 + 16 + 1 + scope (8 + 1 + 32 + 1 + 64 + 13) + 1 + 64.
const STRING_TO_SIGN_MAX: usize = 256;
const SECURITY_TOKEN: &[u8] = b"X-Amz-Security-Token";
/// The fixed bytes of the `X-Amz-*` parameters: names, `=` and `&`, the algorithm, the
/// credential's separators, terminator and date, and the 16-byte `X-Amz-Date`.
const AUTH_FIXED_LEN: usize = "X-Amz-Algorithm=AWS4-HMAC-SHA256".len()
    + "&X-Amz-Credential=".len()
    + "%2F".len() * 3
    + "%2Faws4_request".len()
    + 8
    + "&X-Amz-Date=".len()
    + 16
    + "&X-Amz-Expires=".len()
    + "&X-Amz-SignedHeaders=".len();

/// Decimal digits on the stack (`core::fmt` is the largest thing in a wasm build).
pub(crate) struct Decimal {
    buf: [u8; 20],
    start: usize,
}

impl Decimal {
    #[inline]
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

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}
