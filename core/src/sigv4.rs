//! AWS Signature Version 4, query (presign) flavour, as the spec's steps.
//!
//! 1. canonical request, 2. string to sign, 3. signing key, 4. signature, 5. presigned query.
//! Each step is a small pure function here; [`crate::presign`] strings them together without
//! building the intermediate texts (they are hashed as they are written).

use crate::datetime::SigningTime;
use crate::encode::hex_lower;
use alloc::string::String;
use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

/// `X-Amz-Algorithm`.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The scope terminator.
pub(crate) const TERMINATOR: &str = "aws4_request";
/// SHA-256 of the empty body: the payload hash of every token.
pub const EMPTY_PAYLOAD_HASH: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

pub(crate) type HmacSha256 = hmac::Hmac<Sha256>;

/// Where the canonical request and string to sign are written: a running hash, a string, or both.
pub(crate) trait Sink {
    fn put(&mut self, s: &str);
}

impl Sink for String {
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

impl Sink for Sha256 {
    fn put(&mut self, s: &str) {
        self.update(s.as_bytes());
    }
}

/// Hashes and, when asked, keeps a copy of the text (for vectors and the demo).
pub(crate) struct Recorder {
    hash: Sha256,
    text: Option<String>,
}

impl Recorder {
    pub(crate) fn new(record: bool) -> Recorder {
        Recorder {
            hash: Sha256::new(),
            text: record.then(String::new),
        }
    }

    pub(crate) fn finish(self) -> ([u8; 32], Option<String>) {
        (self.hash.finalize().into(), self.text)
    }
}

impl Sink for Recorder {
    fn put(&mut self, s: &str) {
        self.hash.update(s.as_bytes());
        if let Some(text) = &mut self.text {
            text.push_str(s);
        }
    }
}

/// Step 1: the canonical request.
///
/// `query` is the canonical query string's parameters, each already encoded, already sorted
/// (see [`crate::canonical::canonical_query`]); `headers` are canonical (lowercase names, trimmed
/// values) and sorted by name.
pub(crate) fn write_canonical_request<'q>(
    out: &mut impl Sink,
    method: &str,
    canonical_uri: &str,
    query: impl Iterator<Item = (&'q str, &'q str)>,
    headers: &[(&str, &str)],
    signed_headers: &str,
    payload_hash: &str,
) {
    out.put(method);
    out.put("\n");
    out.put(canonical_uri);
    out.put("\n");
    for (i, (name, value)) in query.enumerate() {
        if i > 0 {
            out.put("&");
        }
        out.put(name);
        out.put("=");
        out.put(value);
    }
    out.put("\n");
    for (name, value) in headers {
        out.put(name);
        out.put(":");
        out.put(value);
        out.put("\n");
    }
    out.put("\n");
    out.put(signed_headers);
    out.put("\n");
    out.put(payload_hash);
}

/// Step 1 as text: the canonical request for already-canonical parts.
pub fn canonical_request(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    canonical_headers: &[(&str, &str)],
    signed_headers: &str,
    payload_hash: &str,
) -> String {
    let mut out = String::new();
    let query = canonical_query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")));
    write_canonical_request(
        &mut out,
        method,
        canonical_uri,
        query,
        canonical_headers,
        signed_headers,
        payload_hash,
    );
    out
}

/// The credential scope, `20150830/us-east-1/service/aws4_request`, written piece by piece.
pub(crate) fn write_scope(out: &mut impl Sink, date: &str, region: &str, service: &str) {
    out.put(date);
    out.put("/");
    out.put(region);
    out.put("/");
    out.put(service);
    out.put("/");
    out.put(TERMINATOR);
}

/// Step 2: the string to sign.
pub(crate) fn write_string_to_sign(
    out: &mut impl Sink,
    time: &SigningTime,
    region: &str,
    service: &str,
    canonical_request_hash: &[u8; 32],
) {
    out.put(ALGORITHM);
    out.put("\n");
    out.put(time.amz_date());
    out.put("\n");
    write_scope(out, time.scope_date(), region, service);
    out.put("\n");
    let hex = hex_lower(canonical_request_hash);
    out.put(core::str::from_utf8(&hex).unwrap_or_default());
}

/// Step 2 as text: `AWS4-HMAC-SHA256 \n date \n scope \n hex(sha256(canonical request))`.
pub fn string_to_sign(
    time: &SigningTime,
    region: &str,
    service: &str,
    canonical_request: &str,
) -> String {
    let hash: [u8; 32] = Sha256::digest(canonical_request.as_bytes()).into();
    let mut out = String::new();
    write_string_to_sign(&mut out, time, region, service, &hash);
    out
}

/// The derived SigV4 signing key. Zeroized on drop; never printed.
#[derive(Clone)]
pub struct SigningKey(Zeroizing<[u8; 32]>);

impl SigningKey {
    /// The raw key bytes (for cross-checking against other implementations).
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// HMAC-SHA256 keyed with this key, ready to sign (its key blocks are absorbed once, so
    /// cloning it saves two compressions per signature).
    pub(crate) fn mac(&self) -> HmacSha256 {
        hmac_sha256_keyed(self.0.as_slice())
    }
}

impl zeroize::ZeroizeOnDrop for SigningKey {}

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

fn hmac_sha256_keyed(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this never takes the fallback.
    HmacSha256::new_from_slice(key).unwrap_or_else(|_| HmacSha256::new(&Default::default()))
}

fn hmac_sha256(key: &[u8], data: &str) -> Zeroizing<[u8; 32]> {
    let mut mac = hmac_sha256_keyed(key);
    mac.update(data.as_bytes());
    Zeroizing::new(mac.finalize().into_bytes().into())
}

/// Step 3: the signing key, `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
pub fn signing_key(secret_access_key: &str, date: &str, region: &str, service: &str) -> SigningKey {
    let mut k_secret: Zeroizing<alloc::vec::Vec<u8>> =
        Zeroizing::new(alloc::vec::Vec::with_capacity(4 + secret_access_key.len()));
    k_secret.extend_from_slice(b"AWS4");
    k_secret.extend_from_slice(secret_access_key.as_bytes());
    signing_key_from(k_secret.as_slice(), date, region, service)
}

/// Step 3 without a heap buffer for `"AWS4" + secret` (secrets are at most 128 bytes).
pub(crate) fn signing_key_stack(
    secret_access_key: &str,
    date: &str,
    region: &str,
    service: &str,
) -> SigningKey {
    let secret = secret_access_key.as_bytes();
    let mut buf = Zeroizing::new([0u8; 4 + crate::rules::MAX_SECRET_KEY_LEN]);
    match buf.get_mut(4..4 + secret.len()) {
        Some(slot) => slot.copy_from_slice(secret),
        None => return signing_key(secret_access_key, date, region, service),
    }
    if let Some(prefix) = buf.get_mut(..4) {
        prefix.copy_from_slice(b"AWS4");
    }
    let key = signing_key_from(buf.get(..4 + secret.len()).unwrap_or_default(), date, region, service);
    buf.zeroize();
    key
}

fn signing_key_from(k_secret: &[u8], date: &str, region: &str, service: &str) -> SigningKey {
    let k_date = hmac_sha256(k_secret, date);
    let k_region = hmac_sha256(k_date.as_slice(), region);
    let k_service = hmac_sha256(k_region.as_slice(), service);
    SigningKey(hmac_sha256(k_service.as_slice(), TERMINATOR))
}

/// Step 4: the signature, lowercase hex of `HMAC(signing key, string to sign)`.
pub fn signature(key: &SigningKey, string_to_sign: &str) -> String {
    let mut mac = key.mac();
    mac.update(string_to_sign.as_bytes());
    let bytes: [u8; 32] = mac.finalize().into_bytes().into();
    String::from(core::str::from_utf8(&hex_lower(&bytes)).unwrap_or_default())
}

/// Step 4 on a pre-keyed MAC, feeding the string to sign straight from its pieces.
pub(crate) struct SignatureSink(pub(crate) HmacSha256);

impl Sink for SignatureSink {
    fn put(&mut self, s: &str) {
        self.0.update(s.as_bytes());
    }
}

impl SignatureSink {
    pub(crate) fn finish(self) -> [u8; 64] {
        hex_lower(&self.0.finalize().into_bytes().into())
    }
}

/// SHA-256 of a request body, lowercase hex: the payload hash of a signed body.
pub fn payload_hash(body: &[u8]) -> String {
    let hash: [u8; 32] = Sha256::digest(body).into();
    String::from(core::str::from_utf8(&hex_lower(&hash)).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intermediate_keys_zeroize() {
        fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        zeroized_on_drop::<Zeroizing<[u8; 32]>>();
        zeroized_on_drop::<SigningKey>();
        // `Hmac<Sha256>` holds two of these (the ipad and opad states); each wipes itself.
        zeroized_on_drop::<<Sha256 as hmac::EagerHash>::Core>();
    }

    #[test]
    fn stack_and_heap_key_derivations_agree() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let a = signing_key(secret, "20150830", "us-east-1", "iam");
        let b = signing_key_stack(secret, "20150830", "us-east-1", "iam");
        assert_eq!(a.as_bytes(), b.as_bytes());
        // AWS's documented example key for these inputs.
        assert_eq!(
            core::str::from_utf8(&hex_lower(a.as_bytes())).unwrap_or_default(),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
    }
}
