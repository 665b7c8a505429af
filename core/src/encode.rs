//! Percent-encoding as SigV4 defines it (RFC 3986, uppercase hex), and its inverse for `inspect`.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// The hex digit of a nibble; `a` is `b'a'` or `b'A'` for the letters' case.
const fn hex_digit(nibble: u8, a: u8) -> u8 {
    if nibble < 10 {
        b'0' + nibble
    } else {
        a + nibble - 10
    }
}

/// RFC 3986 unreserved characters: the only bytes SigV4 leaves literal.
pub const fn is_unreserved(b: u8) -> bool {
    matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~')
}

/// 0 for an unreserved byte, 1 for one that needs `%XX`: a table, because range tests on
/// base64-like text (session tokens) mispredict about every other byte.
const RESERVED: [u8; 256] = {
    let mut table = [1u8; 256];
    let mut b = 0;
    while b < 256 {
        if is_unreserved(b as u8) {
            // Evaluated at compile time: an out-of-range index would fail the build.
            #[allow(clippy::indexing_slicing)]
            {
                table[b] = 0;
            }
        }
        b += 1;
    }
    table
};

fn reserved(b: u8) -> u8 {
    RESERVED.get(usize::from(b)).copied().unwrap_or(1)
}

/// Length of `s` after percent-encoding. Lets a token be allocated exactly once.
pub fn encoded_len(s: &str) -> usize {
    // Branch-free: each reserved byte grows by two (`%XX`).
    s.len() + 2 * s.bytes().map(|b| usize::from(reserved(b))).sum::<usize>()
}

/// Appends `s` percent-encoded: every byte but the unreserved ones becomes `%XX` (uppercase hex),
/// so space is `%20` (never `+`), `/` is `%2F`, `%` is `%25` and each UTF-8 byte is encoded alone.
///
/// Runs of unreserved bytes are copied whole. (A branch-free table writer, four bytes per input
/// byte, measured no faster on a 720-character session token, about 0.8 ns a byte either way,
/// and twice as slow on short names: docs/benchmarks.md.)
pub(crate) fn percent_encode_to(out: &mut Vec<u8>, s: &[u8]) {
    let mut rest = s;
    while !rest.is_empty() {
        // Runs of unreserved bytes go in one copy.
        let run = rest
            .iter()
            .position(|&b| reserved(b) != 0)
            .unwrap_or(rest.len());
        let (literal, tail) = rest.split_at(run);
        out.extend_from_slice(literal);
        let Some((&b, after)) = tail.split_first() else {
            return;
        };
        out.extend_from_slice(&[b'%', hex_digit(b >> 4, b'A'), hex_digit(b & 0x0f, b'A')]);
        rest = after;
    }
}

/// `s` percent-encoded into a new string (see [`percent_encode_to`]).
pub fn percent_encode(s: &str) -> String {
    let mut out = Vec::with_capacity(encoded_len(s));
    percent_encode_to(&mut out, s.as_bytes());
    ascii_string(out)
}

/// A string from bytes this crate wrote itself (encoded text, digits, hex): always ASCII.
pub(crate) fn ascii_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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

/// Each byte's two lowercase hex digits: one load per byte instead of two per nibble.
const HEX_PAIRS: [[u8; 2]; 256] = {
    let mut table = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        // Evaluated at compile time: an out-of-range index would fail the build.
        #[allow(clippy::indexing_slicing)]
        {
            table[b] = [
                hex_digit((b >> 4) as u8, b'a'),
                hex_digit((b & 0x0f) as u8, b'a'),
            ];
        }
        b += 1;
    }
    table
};

/// Lowercase hex of a digest, as SigV4 writes hashes and signatures.
pub(crate) fn hex_lower(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(HEX_PAIRS.get(usize::from(b)).unwrap_or(&[b'0'; 2]));
    }
    out
}

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

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}
