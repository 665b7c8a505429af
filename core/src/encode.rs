//! Percent-encoding as SigV4 defines it (RFC 3986, uppercase hex), and its inverse for `inspect`.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// RFC 3986 unreserved characters: the only bytes SigV4 leaves literal.
pub const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Length of `s` after [`percent_encode_into`]. Lets a token be allocated exactly once.
pub fn encoded_len(s: &str) -> usize {
    s.bytes()
        .map(|b| if is_unreserved(b) { 1 } else { 3 })
        .sum()
}

/// Appends `s` percent-encoded: every byte but the unreserved ones becomes `%XX` (uppercase hex),
/// so space is `%20` (never `+`), `/` is `%2F`, `%` is `%25` and each UTF-8 byte is encoded alone.
pub(crate) fn percent_encode_into(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut literal_from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !is_unreserved(b) {
            // Runs of unreserved bytes are copied in one go; `i` is always a char boundary here
            // because every byte of a multi-byte UTF-8 character is reserved.
            out.push_str(s.get(literal_from..i).unwrap_or_default());
            let hex = [
                b'%',
                HEX_UPPER[usize::from(b >> 4)],
                HEX_UPPER[usize::from(b & 0x0f)],
            ];
            out.push_str(core::str::from_utf8(&hex).unwrap_or_default());
            literal_from = i + 1;
        }
    }
    out.push_str(s.get(literal_from..).unwrap_or_default());
}

/// `s` percent-encoded into a new string (see [`percent_encode_into`]).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(encoded_len(s));
    percent_encode_into(&mut out, s);
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes. `None` when an escape is truncated or not hex, or the result is not
/// UTF-8. `+` stays `+`: SigV4 never encodes a space as `+`.
pub fn percent_decode(s: &str) -> Option<Cow<'_, str>> {
    if !s.contains('%') {
        return Some(Cow::Borrowed(s));
    }
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hi = hex_value(bytes.next()?)?;
            let lo = hex_value(bytes.next()?)?;
            out.push(hi << 4 | lo);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

/// Lowercase hex of a digest, as SigV4 writes hashes and signatures.
pub(crate) fn hex_lower(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    // `encode_to_slice` only fails when the lengths disagree, which they cannot here.
    let _ = hex::encode_to_slice(bytes, &mut out);
    out
}
