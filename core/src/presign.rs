//! Step 5, the presigned query, and the engine that runs steps 1 to 4 without building the
//! intermediate texts: a token costs one allocation (the returned string).
//!
//! The presigned query is written first ([`crate::query`]), with every value percent-encoded
//! exactly once; the canonical query is then the same `name=value` slices, sorted, so the two
//! can never disagree.

use crate::credentials::Credentials;
use crate::datetime::SigningTime;
use crate::encode::{Decimal, ascii_string, encoded_len, is_unreserved, percent_encode_to};
use crate::error::{ErrorCode, Result, fail};
use crate::query::{QueryWriter, Span};
use crate::rules::{MAX_QUERY_PARAMS, check_query_len};
use crate::sigv4::{
    ALGORITHM, HmacSha256, Recorder, StackText, TERMINATOR, signature_hex, write_canonical_request,
    write_string_to_sign,
};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use hmac::Mac;

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
    /// Step 5: the token (DB tokens), the signed URL an EKS or MSK token wraps, or the
    /// presigned query string (generic presign).
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

/// Everything the engine needs besides the key: a request's description, as a token layout
/// (or verify, from a token) makes it. `pub` only because the sealed `Layout` trait names it;
/// it is not exported.
#[allow(unreachable_pub)]
pub struct Spec<'a> {
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

/// Runs steps 1 to 5. `key` is the HMAC already keyed with the signing key; `session`, when
/// given, is `creds`' session token already percent-encoded (the key cache keeps it).
pub(crate) fn run(
    spec: &Spec<'_>,
    creds: &Credentials<'_>,
    key: HmacSha256,
    session: Option<&[u8]>,
    steps: Option<&mut SigningSteps>,
) -> Result<String> {
    check_query_len(spec.params.len())?;
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
        + token.map_or(0, |t| {
            SECURITY_TOKEN.len() + 2 + session.map_or_else(|| encoded_len(t), <[u8]>::len)
        });
    let mut q = QueryWriter::new(
        Vec::with_capacity(prefix_len + own_len + auth_len + SIGNATURE_PARAM.len() + 64),
        [Span::default(); MAX_QUERY_PARAMS],
    );
    for piece in spec.prefix {
        q.out.extend_from_slice(piece);
    }

    // Step 5 (first half): the presigned query, each value encoded exactly once. The request's
    // own parameters come first, then the `X-Amz-*` ones in botocore's order (the session token
    // after SignedHeaders).
    for (name, value) in spec.params {
        match name {
            Piece::Encoded(name) => q.param(name.as_bytes(), |o| value.write(o), true),
            Piece::Raw(_) => q.param_with(|o| name.write(o), |o| value.write(o), true),
        }
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
            |o| match session {
                Some(encoded) => o.extend_from_slice(encoded),
                None => percent_encode_to(o, t.as_bytes()),
            },
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

/// Steps 1 to 4 for verify: the signature whoever made `spec`'s token must have made, by the
/// same engine (the token text it also writes is dropped).
pub(crate) fn signature_of(
    spec: &Spec<'_>,
    creds: &Credentials<'_>,
    key: HmacSha256,
) -> Result<[u8; 64]> {
    let token = run(spec, creds, key, None, None)?;
    // A token always ends with `&X-Amz-Signature=` and the 64 hex digits.
    let tail = token.as_bytes().get(token.len().saturating_sub(64)..);
    let mut signature = [0u8; 64];
    for (out, b) in signature.iter_mut().zip(tail.unwrap_or_default()) {
        *out = *b;
    }
    Ok(signature)
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
