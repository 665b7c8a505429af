//! URL-safe base64 without padding (RFC 4648 section 5): how EKS and MSK tokens carry their
//! presigned URL.

use alloc::vec::Vec;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The alphabet's character for the low six bits of `v`.
fn digit(v: u32) -> u8 {
    ALPHABET.get((v & 0x3f) as usize).copied().unwrap_or(b'A')
}

/// Length of `len` bytes once encoded (no padding).
pub(crate) const fn encoded_len(len: usize) -> usize {
    len / 3 * 4 + (len % 3 * 4).div_ceil(3)
}

/// Appends `bytes` encoded, without `=` padding (as awscli and the MSK signers strip it).
pub(crate) fn encode_to(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut chunks = bytes.chunks_exact(3);
    for chunk in &mut chunks {
        let &[a, b, c] = chunk else { continue };
        let v = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        out.extend_from_slice(&[digit(v >> 18), digit(v >> 12), digit(v >> 6), digit(v)]);
    }
    match *chunks.remainder() {
        [a] => {
            let v = u32::from(a) << 16;
            out.extend_from_slice(&[digit(v >> 18), digit(v >> 12)]);
        }
        [a, b] => {
            let v = u32::from(a) << 16 | u32::from(b) << 8;
            out.extend_from_slice(&[digit(v >> 18), digit(v >> 12), digit(v >> 6)]);
        }
        _ => {}
    }
}

fn value(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes unpadded URL-safe base64. `None` for any other character (`=`, `+`, `/`,
/// whitespace), an impossible length, or leftover bits that are not zero (so every token has
/// exactly one spelling).
pub(crate) fn decode(text: &[u8]) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut chunks = text.chunks(4);
    for chunk in &mut chunks {
        let mut v = 0u32;
        for &c in chunk {
            v = v << 6 | value(c)?;
        }
        let bytes = (v << (6 * (4 - chunk.len()))).to_be_bytes();
        let (keep, spare_bits) = match chunk.len() {
            4 => (3, 0),
            3 => (2, 2),
            _ => (1, 4),
        };
        if v & ((1 << spare_bits) - 1) != 0 {
            return None;
        }
        out.extend_from_slice(bytes.get(1..1 + keep)?);
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    fn encode(bytes: &[u8]) -> alloc::string::String {
        let mut out = Vec::new();
        encode_to(&mut out, bytes);
        assert_eq!(out.len(), encoded_len(bytes.len()));
        alloc::string::String::from_utf8(out).unwrap()
    }

    #[test]
    fn rfc_4648_vectors_unpadded() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), coded);
            assert_eq!(decode(coded.as_bytes()).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn url_safe_alphabet_and_round_trip() {
        let all: Vec<u8> = (0..=255).collect();
        let coded = encode(&all);
        assert!(!coded.contains(['+', '/', '=']));
        assert!(coded.contains('-') && coded.contains('_'));
        for n in 0..all.len() {
            assert_eq!(decode(encode(&all[..n]).as_bytes()).unwrap(), &all[..n]);
        }
    }

    #[test]
    fn refuses_other_spellings() {
        // Padding, a lone sixth, the standard alphabet, a space, non-zero spare bits.
        for bad in ["Zg==", "Zm8=", "Z", "Zm9v+", "Zm/v", "Zm9 v", "Zh", "Zm-"] {
            assert!(decode(bad.as_bytes()).is_none(), "{bad}");
        }
    }
}
