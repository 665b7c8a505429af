//! The signing-key cache: step 3 costs four HMACs (eight SHA-256 compressions plus keying), so
//! the derived key, already absorbed into an HMAC, is kept per (secret, date, region, service),
//! with the session token last signed with it, percent-encoded once (for a 720-character token
//! that encoding cost more than the rest of the token's writing).
//!
//! Bounded ([`KEY_CACHE_SLOTS`] entries per shard, replaced round-robin), allocation-free, and
//! every secret in it is zeroized when its entry is evicted or the cache dropped. With the `std`
//! feature the cache has [`KEY_CACHE_SHARDS`] shards, each behind its own `Mutex` on its own
//! cache lines, and threads take shards in turn: signers on two threads do not wait for each
//! other (measured in benches/ratios.rs). Without it (wasm, bare metal) it is one shard behind a
//! `RefCell` and is not `Sync`.

use crate::encode::{encoded_len, percent_encode_to};
use crate::rules::{MAX_REGION_LEN, MAX_SECRET_KEY_LEN, MAX_SERVICE_LEN};
use crate::sigv4::{HmacSha256, signing_key_stack};
use alloc::sync::Arc;
use alloc::vec::Vec;
use zeroize::Zeroize;

/// How many keys a cache shard holds (a thread uses one shard: see [`KEY_CACHE_SHARDS`]). A
/// process rarely signs with more than one or two credentials.
pub const KEY_CACHE_SLOTS: usize = 8;

/// A fixed-capacity string held inline.
struct Inline<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Inline<N> {
    fn new(s: &str) -> Option<Inline<N>> {
        let mut bytes = [0u8; N];
        bytes.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        Some(Inline {
            bytes,
            len: s.len(),
        })
    }

    fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

struct Entry {
    secret: Inline<MAX_SECRET_KEY_LEN>,
    date: Inline<8>,
    region: Inline<MAX_REGION_LEN>,
    service: Inline<MAX_SERVICE_LEN>,
    /// Zeroizes itself on drop (hmac/sha2 `zeroize` features).
    mac: HmacSha256,
    /// The session token last signed with this key, percent-encoded once.
    session: Option<Arc<EncodedToken>>,
}

/// A session token and its percent-encoded form. A session token (700 to 2,000 characters) costs
/// more to encode than the rest of a token to write, and a process signs with the same one until
/// its credentials rotate: kept beside the key it came with, so it is encoded once. Both copies
/// are wiped when the last user drops it.
pub(crate) struct EncodedToken {
    /// The raw token, then its encoding: one buffer.
    bytes: Vec<u8>,
    raw_len: usize,
}

impl EncodedToken {
    fn new(raw: &str) -> EncodedToken {
        let mut bytes = Vec::with_capacity(raw.len() + encoded_len(raw));
        bytes.extend_from_slice(raw.as_bytes());
        percent_encode_to(&mut bytes, raw.as_bytes());
        EncodedToken {
            bytes,
            raw_len: raw.len(),
        }
    }

    fn is_for(&self, raw: &str) -> bool {
        self.bytes.get(..self.raw_len) == Some(raw.as_bytes())
    }

    /// The token percent-encoded, as it goes into a query.
    pub(crate) fn encoded(&self) -> &[u8] {
        self.bytes.get(self.raw_len..).unwrap_or_default()
    }
}

impl Drop for EncodedToken {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

/// The cached session token for `raw`: the entry's own when it is the same token, else a new one,
/// which the entry keeps from now on.
fn session_for(slot: &mut Option<Arc<EncodedToken>>, raw: &str) -> Arc<EncodedToken> {
    match slot {
        Some(kept) if kept.is_for(raw) => Arc::clone(kept),
        _ => Arc::clone(slot.insert(Arc::new(EncodedToken::new(raw)))),
    }
}

impl Entry {
    fn matches(&self, secret: &str, date: &str, region: &str, service: &str) -> bool {
        self.date.as_bytes() == date.as_bytes()
            && self.region.as_bytes() == region.as_bytes()
            && self.service.as_bytes() == service.as_bytes()
            && same_secret(self.secret.as_bytes(), secret.as_bytes())
    }
}

/// Compares without an early exit, so the time taken does not depend on where secrets differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Entry {
    /// Zeroizes the secret (the MAC zeroizes itself when dropped).
    fn wipe(&mut self) {
        self.secret.bytes.zeroize();
        self.secret.len = 0;
    }
}

impl Drop for Entry {
    fn drop(&mut self) {
        self.wipe();
    }
}

/// What a key is looked up by, and the session token signed with it.
pub(crate) struct Scope<'a> {
    pub(crate) secret: &'a str,
    pub(crate) date: &'a str,
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
    pub(crate) session_token: Option<&'a str>,
}

/// A lookup's result: the keyed HMAC, and the session token encoded when there is one.
pub(crate) struct Found {
    pub(crate) mac: HmacSha256,
    pub(crate) session: Option<Arc<EncodedToken>>,
}

struct Slots {
    entries: [Option<Entry>; KEY_CACHE_SLOTS],
    next: usize,
}

impl Slots {
    const fn new() -> Slots {
        Slots {
            entries: [const { None }; KEY_CACHE_SLOTS],
            next: 0,
        }
    }

    fn find(&mut self, scope: &Scope<'_>) -> Option<Found> {
        self.entries
            .iter_mut()
            .flatten()
            .find(|e| e.matches(scope.secret, scope.date, scope.region, scope.service))
            .map(|e| Found {
                mac: e.mac.clone(),
                session: scope.session_token.map(|t| session_for(&mut e.session, t)),
            })
    }

    fn insert(&mut self, entry: Entry) {
        let slot = self.next % KEY_CACHE_SLOTS;
        self.next = (slot + 1) % KEY_CACHE_SLOTS;
        if let Some(place) = self.entries.get_mut(slot) {
            // The evicted entry is dropped here, zeroizing its secret and key.
            *place = Some(entry);
        }
    }

    fn len(&self) -> usize {
        self.entries.iter().flatten().count()
    }
}

#[cfg(feature = "std")]
type Lock<T> = std::sync::Mutex<T>;
#[cfg(not(feature = "std"))]
type Lock<T> = core::cell::RefCell<T>;

/// How many shards a cache has: threads are spread over them, so signers on different threads
/// take different locks on different cache lines (a shared lock's cache line bouncing between
/// cores would serialize them). Without `std` there are no threads: one shard.
#[cfg(feature = "std")]
pub const KEY_CACHE_SHARDS: usize = 4;
/// How many shards a cache has (one without `std`).
#[cfg(not(feature = "std"))]
pub const KEY_CACHE_SHARDS: usize = 4;

/// One shard, alone on its cache lines (128 bytes: adjacent-line prefetch pairs lines).
#[repr(align(128))]
struct Shard(Lock<Slots>);

/// A bounded cache of derived signing keys. See the module docs.
pub struct KeyCache {
    shards: [Shard; KEY_CACHE_SHARDS],
}

impl Default for KeyCache {
    fn default() -> KeyCache {
        KeyCache::new()
    }
}

impl core::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyCache")
            .field("entries", &self.len())
            .finish()
    }
}

/// This thread's shard: threads take shards in turn, the first time each signs.
#[cfg(feature = "std")]
fn my_shard() -> usize {
    use core::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    std::thread_local! {
        static MINE: usize = NEXT.fetch_add(1, Ordering::Relaxed) % KEY_CACHE_SHARDS;
    }
    MINE.try_with(|s| *s).unwrap_or(0)
}

#[cfg(not(feature = "std"))]
fn my_shard() -> usize {
    0
}

impl Shard {
    fn with<R>(&self, f: impl FnOnce(&mut Slots) -> R) -> Option<R> {
        #[cfg(feature = "std")]
        {
            // Nothing panics while the lock is held, but a poisoned lock is still usable.
            let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
            Some(f(&mut guard))
        }
        #[cfg(not(feature = "std"))]
        {
            self.0.try_borrow_mut().ok().map(|mut s| f(&mut s))
        }
    }
}

impl KeyCache {
    /// An empty cache (usable in a `static`).
    pub const fn new() -> KeyCache {
        KeyCache {
            shards: [const { Shard(Lock::new(Slots::new())) }; KEY_CACHE_SHARDS],
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut Slots) -> R) -> Option<R> {
        self.shards.get(my_shard()).and_then(|shard| shard.with(f))
    }

    /// The keyed HMAC for this scope, from the cache or derived (step 3) and remembered, and the
    /// scope's session token percent-encoded (kept with the key).
    pub(crate) fn lookup(&self, scope: &Scope<'_>) -> Found {
        if let Some(Some(found)) = self.with(|s| s.find(scope)) {
            return found;
        }
        let mac = signing_key_stack(scope.secret, scope.date, scope.region, scope.service).mac();
        let session = scope.session_token.map(|t| Arc::new(EncodedToken::new(t)));
        let entry = (|| {
            Some(Entry {
                secret: Inline::new(scope.secret)?,
                date: Inline::new(scope.date)?,
                region: Inline::new(scope.region)?,
                service: Inline::new(scope.service)?,
                mac: mac.clone(),
                session: session.clone(),
            })
        })();
        if let Some(entry) = entry {
            self.with(|s| s.insert(entry));
        }
        Found { mac, session }
    }

    /// How many keys are cached now, over all shards (a key used from threads on different
    /// shards counts once per shard).
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|shard| shard.with(|s| s.len()).unwrap_or(0))
            .sum()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets (and zeroizes) every cached key, e.g. when credentials are rotated.
    pub fn clear(&self) {
        for shard in &self.shards {
            // In place: each evicted entry is dropped (and zeroized) where it lies.
            shard.with(|s| s.entries.iter_mut().for_each(|e| *e = None));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}

    #[test]
    fn cached_keys_zeroize() {
        // The keyed HMAC state (the signing key's ipad/opad blocks) wipes itself on drop.
        zeroized_on_drop::<<sha2::Sha256 as hmac::EagerHash>::Core>();
        let mut entry = Entry {
            secret: Inline::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap_or(Inline {
                bytes: [1; MAX_SECRET_KEY_LEN],
                len: 1,
            }),
            date: Inline::new("20240102").unwrap_or(Inline {
                bytes: [0; 8],
                len: 0,
            }),
            region: Inline::new("us-east-1").unwrap_or(Inline {
                bytes: [0; MAX_REGION_LEN],
                len: 0,
            }),
            service: Inline::new("rds-db").unwrap_or(Inline {
                bytes: [0; MAX_SERVICE_LEN],
                len: 0,
            }),
            mac: signing_key_stack("s", "20240102", "us-east-1", "rds-db").mac(),
            session: None,
        };
        assert!(entry.secret.bytes.iter().any(|&b| b != 0));
        entry.wipe();
        assert!(entry.secret.bytes.iter().all(|&b| b == 0));
        assert!(entry.secret.as_bytes().is_empty());
    }
}
