//! AWS Signature Version 4, query (presign) flavour, as the spec's steps.
//!
//! 1. canonical request, 2. string to sign, 3. signing key, 4. signature, 5. presigned query.
//!
//! Each step is a small pure function here; [`crate::presign`] strings them together without
//! building the intermediate texts (they are hashed as they are written).

use crate::datetime::SigningTime;
use crate::encode::hex_lower;
use alloc::string::String;
use alloc::vec::Vec;
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

/// Where the canonical request and string to sign are written: a running hash, bytes, or both.
pub(crate) trait Sink {
    fn put(&mut self, bytes: &[u8]);

    #[inline(always)]
    fn put_str(&mut self, s: &str) {
        self.put(s.as_bytes());
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

/// Hashes and, when asked, keeps a copy of the text (for vectors and the demo).
pub(crate) struct Recorder {
    hash: Sha256,
    text: Option<Vec<u8>>,
}

impl Recorder {
    pub(crate) fn new(record: bool) -> Recorder {
        Recorder {
            hash: Sha256::new(),
            text: record.then(Vec::new),
        }
    }

    pub(crate) fn finish(self) -> ([u8; 32], Option<String>) {
        (self.hash.finalize().into(), self.text.map(into_string))
    }
}

impl Sink for Recorder {
    fn put(&mut self, bytes: &[u8]) {
        self.hash.update(bytes);
        if let Some(text) = &mut self.text {
            text.extend_from_slice(bytes);
        }
    }
}

/// Text gathered on the stack, so the hash sees one update instead of a dozen small ones
/// (each update's variable-size copy mispredicts). Writes past `N` are dropped and flagged.
pub(crate) struct StackText<const N: usize> {
    buf: [u8; N],
    len: usize,
    overflow: bool,
}

impl<const N: usize> StackText<N> {
    pub(crate) const fn new() -> Self {
        StackText {
            buf: [0; N],
            len: 0,
            overflow: false,
        }
    }

    /// The text, or `None` if it did not fit.
    pub(crate) fn as_bytes(&self) -> Option<&[u8]> {
        if self.overflow {
            None
        } else {
            self.buf.get(..self.len)
        }
    }
}

impl<const N: usize> Sink for StackText<N> {
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        match self.buf.get_mut(self.len..self.len + bytes.len()) {
            Some(slot) => {
                slot.copy_from_slice(bytes);
                self.len += bytes.len();
            }
            None => self.overflow = true,
        }
    }
}

/// Text written by this module's writers is always whole `&str` pieces, so always UTF-8.
fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Step 1: the canonical request.
///
/// `query` is the canonical query string in one or more runs of `name=value&name=value` (each
/// already encoded, the whole already sorted; runs are joined with `&`); `headers` are canonical
/// (lowercase names, trimmed values) and sorted by name.
pub(crate) fn write_canonical_request<'q>(
    out: &mut impl Sink,
    method: &str,
    canonical_uri: &str,
    query: impl Iterator<Item = &'q [u8]>,
    headers: &[(&str, &str)],
    signed_headers: &str,
    payload_hash: &str,
) {
    out.put_str(method);
    out.put_str("\n");
    out.put_str(canonical_uri);
    out.put_str("\n");
    for (i, run) in query.enumerate() {
        if i > 0 {
            out.put_str("&");
        }
        out.put(run);
    }
    out.put_str("\n");
    for (name, value) in headers {
        out.put_str(name);
        out.put_str(":");
        out.put_str(value);
        out.put_str("\n");
    }
    out.put_str("\n");
    out.put_str(signed_headers);
    out.put_str("\n");
    out.put_str(payload_hash);
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
    let mut out = Vec::new();
    write_canonical_request(
        &mut out,
        method,
        canonical_uri,
        core::iter::once(canonical_query.as_bytes()),
        canonical_headers,
        signed_headers,
        payload_hash,
    );
    into_string(out)
}

/// The credential scope, `20150830/us-east-1/service/aws4_request`, written piece by piece.
pub(crate) fn write_scope(out: &mut impl Sink, date: &[u8], region: &str, service: &str) {
    out.put(date);
    out.put_str("/");
    out.put_str(region);
    out.put_str("/");
    out.put_str(service);
    out.put_str("/");
    out.put_str(TERMINATOR);
}

/// Step 2: the string to sign.
pub(crate) fn write_string_to_sign(
    out: &mut impl Sink,
    amz_date: &[u8; 16],
    region: &str,
    service: &str,
    canonical_request_hash: &[u8; 32],
) {
    out.put_str(ALGORITHM);
    out.put_str("\n");
    out.put(amz_date);
    out.put_str("\n");
    write_scope(out, amz_date.get(..8).unwrap_or_default(), region, service);
    out.put_str("\n");
    out.put(&hex_lower(canonical_request_hash));
}

/// Step 2 as text: `AWS4-HMAC-SHA256 \n date \n scope \n hex(sha256(canonical request))`.
pub fn string_to_sign(
    time: &SigningTime,
    region: &str,
    service: &str,
    canonical_request: &str,
) -> String {
    let hash: [u8; 32] = Sha256::digest(canonical_request.as_bytes()).into();
    let mut out = Vec::new();
    write_string_to_sign(&mut out, time.amz_date_bytes(), region, service, &hash);
    into_string(out)
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
    let key = signing_key_from(
        buf.get(..4 + secret.len()).unwrap_or_default(),
        date,
        region,
        service,
    );
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

/// Step 4 on a pre-keyed MAC: the string to sign is fed straight in, piece by piece.
impl Sink for HmacSha256 {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

/// Step 4's result: lowercase hex of the MAC.
#[inline]
pub(crate) fn signature_hex(mac: HmacSha256) -> [u8; 64] {
    hex_lower(&mac.finalize().into_bytes().into())
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
