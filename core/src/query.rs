//! The query, written once: the presigned query's text, and from the same bytes the canonical
//! query of step 1 (the signed parameters sorted by encoded name, then value). Signing, the
//! public [`crate::canonical_query`] and, through signing, verify all build their query here, so
//! the text sent and the text signed can never disagree.

use alloc::vec::Vec;
use core::cmp::Ordering;

/// One `name=value` parameter in the output: byte offsets of the name, the `=` and the end.
#[derive(Clone, Copy, Default)]
pub(crate) struct Span {
    /// The name's first eight bytes, big-endian: sorts like the name and decides almost every
    /// comparison in one predictable step.
    key: u64,
    start: usize,
    eq: usize,
    end: usize,
    signed: bool,
}

/// Where the spans are kept: a fixed array for tokens (no allocation), a `Vec` for the public
/// [`crate::canonical_query`], which takes any number of parameters.
pub(crate) trait Spans {
    /// Stores the `n`th span; false when there is no room.
    fn put(&mut self, n: usize, span: Span) -> bool;
    /// The first `n` spans.
    fn first(&mut self, n: usize) -> &mut [Span];
}

impl<const N: usize> Spans for [Span; N] {
    fn put(&mut self, n: usize, span: Span) -> bool {
        self.get_mut(n).map(|slot| *slot = span).is_some()
    }

    fn first(&mut self, n: usize) -> &mut [Span] {
        self.get_mut(..n).unwrap_or_default()
    }
}

impl Spans for Vec<Span> {
    fn put(&mut self, _n: usize, span: Span) -> bool {
        self.push(span);
        true
    }

    fn first(&mut self, n: usize) -> &mut [Span] {
        self.get_mut(..n).unwrap_or_default()
    }
}

/// The query as it is written, with the position of each parameter.
pub(crate) struct QueryWriter<S: Spans> {
    pub(crate) out: Vec<u8>,
    spans: S,
    n: usize,
}

impl<S: Spans> QueryWriter<S> {
    /// A writer appending to `out` (which may already hold a prefix such as `host:port/?`).
    pub(crate) fn new(out: Vec<u8>, spans: S) -> QueryWriter<S> {
        QueryWriter { out, spans, n: 0 }
    }

    /// Writes `&name=value` (no `&` before the first) and remembers where it is. `name` is
    /// already encoded (a constant, or text limited to unreserved characters).
    pub(crate) fn param(&mut self, name: &[u8], value: impl FnOnce(&mut Vec<u8>), signed: bool) {
        // The sort key from the name itself, not read back from the text just written (a load
        // of bytes still in flight as stores stalls).
        self.put(
            |o| o.extend_from_slice(name),
            |_| sort_key(name),
            value,
            signed,
        );
    }

    /// [`QueryWriter::param`] with the name written by `name` (for names that need encoding).
    pub(crate) fn param_with(
        &mut self,
        name: impl FnOnce(&mut Vec<u8>),
        value: impl FnOnce(&mut Vec<u8>),
        signed: bool,
    ) {
        self.put(name, sort_key, value, signed);
    }

    fn put(
        &mut self,
        name: impl FnOnce(&mut Vec<u8>),
        key: impl FnOnce(&[u8]) -> u64,
        value: impl FnOnce(&mut Vec<u8>),
        signed: bool,
    ) {
        if self.n > 0 {
            self.out.push(b'&');
        }
        let start = self.out.len();
        name(&mut self.out);
        let eq = self.out.len();
        let key = key(self.out.get(start..eq).unwrap_or_default());
        self.out.push(b'=');
        value(&mut self.out);
        let span = Span {
            key,
            start,
            eq,
            end: self.out.len(),
            signed,
        };
        if self.spans.put(self.n, span) {
            self.n += 1;
        }
    }

    /// Step 1's canonical query: the signed parameters sorted by encoded name, then value,
    /// as runs of text. Parameters that already follow each other in canonical order form one
    /// run (a token without a session token is a single run), hashed in one piece. Runs are
    /// joined with `&`.
    pub(crate) fn canonical_runs(&mut self) -> impl Iterator<Item = &[u8]> + '_ {
        let QueryWriter { out, spans, n } = self;
        let text = |from: usize, to: usize| out.get(from..to).unwrap_or_default();
        let spans = spans.first(*n);
        // Tokens write most parameters in canonical order already: one pass over the keys
        // usually shows there is nothing to sort.
        if !spans.is_sorted_by(|a, b| a.key < b.key) {
            spans.sort_unstable_by(|a, b| {
                a.key
                    .cmp(&b.key)
                    .then_with(|| bytes_cmp(text(a.start, a.eq), text(b.start, b.eq)))
                    .then_with(|| bytes_cmp(text(a.eq + 1, a.end), text(b.eq + 1, b.end)))
            });
        }
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
