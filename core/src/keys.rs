//! The keys file a verifier reads: which access keys exist, their secrets, and the session token
//! a key's tokens must carry.
//!
//! ```json
//! {"AKIDEXAMPLE": {"secret_access_key": "wJalr...", "session_token": "FwoG...",
//!                  "users": ["app", "report_*"], "hosts": ["db.example.com"]}}
//! ```
//!
//! `users` and `hosts` are optional grants, as RDS grants `rds-db:connect` per database user
//! through IAM policy: a key with a `users` list signs only for those users (exact names, or a
//! prefix ending in `*`), one with a `hosts` list only for those endpoints (compared without
//! regard to case); `verify` refuses others with `USER_NOT_ALLOWED` / `HOST_NOT_ALLOWED`.
//!
//! A small JSON reader for exactly this shape (an object of objects of strings and lists of
//! strings; `session_token`, `users` and `hosts` may be `null` or absent), so the CLI and the PAM module share one parser and the core needs no
//! JSON library. Every error is `INVALID_CREDENTIALS` with a message naming the rule broken,
//! never the text read.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use crate::credentials::Credentials;
use crate::error::{Error, ErrorCode, Result};
use crate::rules::{
    MAX_ACCESS_KEY_ID_LEN, MAX_SECRET_KEY_LEN, MAX_SESSION_TOKEN_LEN, check_host, check_user,
};
use crate::verify::VerifyKey;

/// The most keys one file may list.
pub const MAX_KEYS: usize = 10_000;
/// The most names one `users` or `hosts` grant may list.
pub const MAX_GRANTS: usize = 1_000;
/// The largest keys file read: [`MAX_KEYS`] entries, each with the longest access key id, secret
/// and session token the credential rules allow, plus 1 KiB per entry for the field names, the
/// JSON punctuation, indentation and a short `users` / `hosts` grant (10,000 × (128 + 128 +
/// 8,192 + 1,024) = 94,720,000 bytes, about 90 MiB). A longer text is refused before it is
/// read (`keys=/dev/zero` read 264 MB before failing once).
pub const MAX_KEYS_FILE_LEN: u64 =
    (MAX_KEYS * (MAX_ACCESS_KEY_ID_LEN + MAX_SECRET_KEY_LEN + MAX_SESSION_TOKEN_LEN + 1024)) as u64;
/// [`MAX_KEYS_FILE_LEN`]'s message, the same from the parser and from the file's size.
pub(crate) const TOO_LARGE: &str =
    "keys file: is larger than the largest valid keys file (94720000 bytes: MAX_KEYS_FILE_LEN)";

struct Entry {
    access_key_id: String,
    secret_access_key: Zeroizing<String>,
    session_token: Option<Zeroizing<String>>,
    users: Option<Vec<String>>,
    hosts: Option<Vec<String>>,
}

impl Entry {
    fn key(&self) -> VerifyKey<'_> {
        VerifyKey {
            secret_access_key: &self.secret_access_key,
            session_token: self.session_token.as_deref().map(|s| s.as_str()),
            users: self.users.as_deref(),
            hosts: self.hosts.as_deref(),
        }
    }
}

/// The parsed keys file, its entries sorted by access key id. `Debug` lists the ids only.
pub struct KeyFile {
    entries: Vec<Entry>,
}

impl fmt::Debug for KeyFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.entries.iter().map(|e| &e.access_key_id))
            .finish()
    }
}

const fn bad(message: &'static str) -> Error {
    Error::new(ErrorCode::InvalidCredentials, message)
}

impl KeyFile {
    /// Reads the keys file's text. Each entry must pass the credential rules (the same as
    /// signing's) and the grant rules; an access key id may appear once.
    pub fn parse(text: &str) -> Result<KeyFile> {
        KeyFile::read(text, None)
    }

    /// [`KeyFile::parse`], keeping only the entry of `access_key_id` (what a verifier needs for
    /// one token): the whole file is still checked, every other secret is wiped as soon as it
    /// is read, and the result holds one key or none.
    pub fn parse_for(text: &str, access_key_id: &str) -> Result<KeyFile> {
        KeyFile::read(text, Some(access_key_id))
    }

    fn read(text: &str, only: Option<&str>) -> Result<KeyFile> {
        let mut p = Parser {
            text,
            s: text.as_bytes(),
            at: 0,
        };
        if text.len() as u64 > MAX_KEYS_FILE_LEN {
            return Err(bad(TOO_LARGE));
        }
        let mut entries: Vec<Entry> = Vec::new();
        // Every id seen, for the duplicate rule: a hash set of where each lies (linear, not n^2).
        let mut ids = IdSet::sized_for(text.len());
        p.ws();
        p.expect(b'{', "keys file: must be a JSON object of access key ids")?;
        p.ws();
        if !p.eat(b'}') {
            loop {
                p.ws();
                let id_at = p.at;
                let access_key_id = p.string()?;
                p.ws();
                p.expect(b':', "keys file: expected ':' after an access key id")?;
                p.ws();
                // Only the kept entry's strings are copied; the others are checked where they
                // lie in the text (or, when written with escapes, decoded and wiped at once).
                let keep = only.is_none_or(|id| id == &*access_key_id);
                let mut fields = Fields::default();
                p.entry(keep, &mut fields)?;
                let secret = fields
                    .secret
                    .ok_or(bad("keys file: an entry has no secret_access_key"))?;
                Credentials::new(&access_key_id, &secret, fields.session.as_deref())
                    .map_err(|e| Error::new(ErrorCode::InvalidCredentials, keys_rule(e)))?;
                if ids.len >= MAX_KEYS {
                    return Err(bad("keys file: more than 10000 keys"));
                }
                if keep {
                    entries.push(Entry {
                        access_key_id: String::from(&*access_key_id),
                        secret_access_key: secret.into_secret(),
                        session_token: fields.session.map(Text::into_secret),
                        users: fields.users,
                        hosts: fields.hosts,
                    });
                }
                if ids.insert(&access_key_id, id_at, text)? {
                    return Err(bad("keys file: an access key id appears twice"));
                }
                p.ws();
                if p.eat(b',') {
                    continue;
                }
                p.expect(b'}', "keys file: expected ',' or '}' after an entry")?;
                break;
            }
        }
        p.ws();
        if p.at != p.s.len() {
            return Err(bad("keys file: text after the closing '}'"));
        }
        entries.sort_unstable_by(|a, b| a.access_key_id.cmp(&b.access_key_id));
        Ok(KeyFile { entries })
    }

    /// A key set of one key (what a binding's `verify` takes besides a keys file), by the same
    /// credential rules as a file's entries; no grants (it may sign for any user and host).
    pub fn single(
        access_key_id: &str,
        secret_access_key: &str,
        session_token: Option<&str>,
    ) -> Result<KeyFile> {
        Credentials::new(access_key_id, secret_access_key, session_token)?;
        Ok(KeyFile {
            entries: alloc::vec![Entry {
                access_key_id: access_key_id.into(),
                secret_access_key: Zeroizing::new(secret_access_key.into()),
                session_token: session_token.map(|t| Zeroizing::new(t.into())),
                users: None,
                hosts: None,
            }],
        })
    }

    /// The key for an access key id, as `verify` takes it.
    pub fn get(&self, access_key_id: &str) -> Option<VerifyKey<'_>> {
        self.entries
            .binary_search_by(|e| e.access_key_id.as_str().cmp(access_key_id))
            .ok()
            .and_then(|i| self.entries.get(i))
            .map(Entry::key)
    }

    /// How many keys it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A grant list's rule: each name is a user (or host) by its rule, or such a prefix followed by
/// `*` (`report_*`), or `*` alone (any).
fn check_grant(pattern: &str, rule: fn(&str) -> Result<()>, message: &'static str) -> Result<()> {
    match pattern.strip_suffix('*') {
        Some("") => Ok(()),
        Some(prefix) => rule(prefix),
        None => rule(pattern),
    }
    .map_err(|_| bad(message))
}

/// The credential rule an entry broke, said of the keys file.
fn keys_rule(e: Error) -> &'static str {
    let m = e.message();
    if m.starts_with("session") {
        "keys file: a session_token breaks the session token rule (1 to 8192 bytes without whitespace or control characters)"
    } else if m.starts_with("secret") {
        "keys file: a secret_access_key breaks the secret key rule (1 to 128 bytes)"
    } else {
        "keys file: an access key id breaks the access key id rule (1 to 128 of A-Z a-z 0-9 _)"
    }
}

/// A string read from the file, wiped when dropped.
type SecretText = Zeroizing<String>;

const USERS_RULE: &str = "keys file: users must be a list of user names, each by the user rule, or a prefix ending in * (\"report_*\"), or \"*\"";
const HOSTS_RULE: &str = "keys file: hosts must be a list of hosts, each by the host rule, or a prefix ending in * (\"db-*\"), or \"*\"";

/// One entry's fields as read (the grant lists only when the entry is kept).
#[derive(Default)]
struct Fields<'a> {
    secret: Option<Text<'a>>,
    session: Option<Text<'a>>,
    users: Option<Vec<String>>,
    hosts: Option<Vec<String>>,
}

struct Parser<'a> {
    text: &'a str,
    s: &'a [u8],
    at: usize,
}

/// The access key ids read so far, for the duplicate rule: an open-addressing hash set (linear
/// probing, at most 3/4 full, doubled when it would be fuller) of where each id lies in the text,
/// as `hash's high 32 bits << 32 | offset + 1` (0 is an empty slot). An id is never copied; on
/// equal hashes the earlier id is read again from its offset and compared whole. 8 bytes a slot:
/// 128 KiB for 10,000 ids (a PAM attempt pays a page fault for every 4 KiB it touches).
struct IdSet {
    slots: Vec<u64>,
    len: usize,
}

impl IdSet {
    /// Sized for the ids a text of this length usually holds (an entry of a 20-character id
    /// and a 40-character secret is about 90 bytes: one per 128 bytes, at most [`MAX_KEYS`]),
    /// so a typical file never grows it; a denser one does.
    fn sized_for(text_len: usize) -> IdSet {
        let ids = (text_len / 128).min(MAX_KEYS);
        let size = (ids * 4 / 3 + 1).next_power_of_two().max(64);
        IdSet {
            slots: alloc::vec![0; size],
            len: 0,
        }
    }

    /// Adds the id read at `at` (its opening quote) in `text`; whether it was there already.
    fn insert(&mut self, id: &str, at: usize, text: &str) -> Result<bool> {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        // Offsets fit: the text is at most MAX_KEYS_FILE_LEN bytes, checked first.
        let at = u32::try_from(at).map_err(|_| bad(TOO_LARGE))?;
        let fingerprint = id_hash(id.as_bytes()) >> 32;
        let mask = self.slots.len() - 1;
        let mut i = fingerprint as usize & mask;
        loop {
            let Some(slot) = self.slots.get_mut(i) else {
                return Ok(false); // unreachable: i is masked
            };
            if *slot == 0 {
                *slot = fingerprint << 32 | u64::from(at + 1);
                self.len += 1;
                return Ok(false);
            }
            if *slot >> 32 == fingerprint {
                let earlier = (*slot & 0xffff_ffff) as usize - 1;
                let mut again = Parser {
                    text,
                    s: text.as_bytes(),
                    at: earlier,
                };
                if *again.string()? == *id {
                    return Ok(true);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Twice the slots (64 at first), each id placed again by the hash bits it keeps.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        let old = core::mem::replace(&mut self.slots, alloc::vec![0; size]);
        let mask = size - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let mut i = (slot >> 32) as usize & mask;
            while let Some(taken) = self.slots.get_mut(i) {
                if *taken == 0 {
                    *taken = slot;
                    break;
                }
                i = (i + 1) & mask;
            }
        }
    }
}

/// A 64-bit hash of an id, eight bytes at a time (ids are 20 bytes; a byte-at-a-time hash was a
/// fifth of the parse), finished with MurmurHash3's mixer so the high bits depend on every byte.
/// Not keyed: the keys file is written by whoever may grant keys, not by an attacker.
fn id_hash(id: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (id.len() as u64).wrapping_mul(K);
    let mut chunks = id.chunks_exact(8);
    for chunk in &mut chunks {
        let w = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or_default());
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    let mut tail = [0u8; 8];
    if let Some(t) = tail.get_mut(..chunks.remainder().len()) {
        t.copy_from_slice(chunks.remainder());
    }
    h = (h ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The index of the first `"`, `\` or control byte (below 0x20): eight bytes at a time, since
/// a keys file of 10,000 keys is a megabyte of mostly string bodies (the PAM module reads one
/// per login attempt). A byte with its high bit set (UTF-8 beyond ASCII) is never one of them.
fn first_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let w = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or_default());
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        // "Has a zero byte" / "has a byte below n": the lowest flagged byte is exact (a borrow
        // only ever flags bytes above a true one).
        let found = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (w.wrapping_sub(ONES * 0x20) & !w);
        let found = found & HIGH;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|i| at + i)
}

/// A string as read: borrowed from the keys file's text when it has no escapes (almost every
/// one), else decoded into a buffer that is wiped when dropped.
enum Text<'a> {
    Plain(&'a str),
    Decoded(SecretText),
}

impl core::ops::Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Decoded(s) => s,
        }
    }
}

impl Text<'_> {
    /// An owned copy, allocated once at its length and wiped when dropped.
    fn into_secret(self) -> SecretText {
        match self {
            Text::Plain(s) => Zeroizing::new(String::from(s)),
            Text::Decoded(s) => s,
        }
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        if hit {
            self.at += 1;
        }
        hit
    }

    fn expect(&mut self, b: u8, message: &'static str) -> Result<()> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(bad(message))
        }
    }

    /// `{"secret_access_key": "...", "session_token": "..." | null, "users": [...] | null,
    /// "hosts": [...] | null}`, in any order.
    fn entry(&mut self, keep: bool, f: &mut Fields<'a>) -> Result<()> {
        const SHAPE: &str = "keys file: each entry must be {\"secret_access_key\": \"...\", \"session_token\": \"...\", \"users\": [...], \"hosts\": [...]} (all but the secret optional)";
        self.expect(b'{', SHAPE)?;
        self.ws();
        if self.eat(b'}') {
            return Ok(());
        }
        loop {
            self.ws();
            let name = self.string()?;
            self.ws();
            self.expect(b':', SHAPE)?;
            self.ws();
            let null = self.s.get(self.at..self.at.saturating_add(4)) == Some(b"null");
            if null {
                self.at += 4;
            }
            let twice = match &*name {
                "secret_access_key" => f.secret.replace(self.secret(null)?).is_some(),
                "session_token" => {
                    let value = if null { None } else { Some(self.string()?) };
                    core::mem::replace(&mut f.session, value).is_some()
                }
                "users" => {
                    let list = self.grants(null, keep, check_user, USERS_RULE)?;
                    core::mem::replace(&mut f.users, list).is_some()
                }
                "hosts" => {
                    let list = self.grants(null, keep, check_host, HOSTS_RULE)?;
                    core::mem::replace(&mut f.hosts, list).is_some()
                }
                _ => return Err(bad(SHAPE)),
            };
            if twice {
                return Err(bad("keys file: a field appears twice in an entry"));
            }
            self.ws();
            if self.eat(b',') {
                continue;
            }
            self.expect(b'}', SHAPE)?;
            return Ok(());
        }
    }

    /// The secret key's value: a string (`null` is no secret at all).
    fn secret(&mut self, null: bool) -> Result<Text<'a>> {
        if null {
            return Err(bad("keys file: an entry has no secret_access_key"));
        }
        self.string()
    }

    /// A grant list: `[]` of names by [`check_grant`]'s rule, at most [`MAX_GRANTS`]; `null`
    /// is no grant list (any name). Checked always, kept only when `keep`.
    fn grants(
        &mut self,
        null: bool,
        keep: bool,
        rule: fn(&str) -> Result<()>,
        message: &'static str,
    ) -> Result<Option<Vec<String>>> {
        if null {
            return Ok(None);
        }
        let mut list: Vec<String> = Vec::new();
        let mut count = 0;
        self.expect(b'[', message)?;
        self.ws();
        if self.eat(b']') {
            return Ok(Some(list));
        }
        loop {
            self.ws();
            let name = self.string()?;
            check_grant(&name, rule, message)?;
            if count >= MAX_GRANTS {
                return Err(bad(
                    "keys file: a users or hosts list has more than 1000 names",
                ));
            }
            count += 1;
            if keep {
                list.push(String::from(&*name));
            }
            self.ws();
            if self.eat(b',') {
                continue;
            }
            self.expect(b']', message)?;
            return Ok(Some(list));
        }
    }

    /// A JSON string, escapes decoded, wiped when dropped. Its buffer is allocated once, at
    /// the raw text's length (decoding never lengthens text), so no partial copy of a secret is
    /// ever left behind by a reallocation.
    fn string(&mut self) -> Result<Text<'a>> {
        const RULE: &str = "keys file: a string is not valid JSON";
        self.expect(b'"', "keys file: expected a string")?;
        let rest = self.s.get(self.at..).unwrap_or_default();
        // Most strings have no escape: borrowed as they lie (the text is UTF-8 and `"` is ASCII,
        // so the slice is too).
        let stop = first_special(rest).ok_or(bad(RULE))?;
        if rest.get(stop) == Some(&b'"') {
            let plain = self.text.get(self.at..self.at + stop).ok_or(bad(RULE))?;
            self.at += stop + 1;
            return Ok(Text::Plain(plain));
        }
        let mut escaped = false;
        let raw_len = rest
            .iter()
            .position(|&b| {
                let end = b == b'"' && !escaped;
                escaped = b == b'\\' && !escaped;
                end
            })
            .ok_or(bad(RULE))?;
        let mut out: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(raw_len));
        loop {
            let b = self.peek().ok_or(bad(RULE))?;
            self.at += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let e = self.peek().ok_or(bad(RULE))?;
                    self.at += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(bad(RULE)),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err(bad(RULE)),
                _ => out.push(b),
            }
        }
        if core::str::from_utf8(&out).is_err() {
            return Err(bad("keys file: is not valid UTF-8"));
        }
        // Moves the buffer (no copy); `out` is left empty, and the text is wiped on drop.
        let bytes = core::mem::take(&mut *out);
        Ok(Text::Decoded(Zeroizing::new(
            String::from_utf8(bytes).unwrap_or_default(),
        )))
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self
            .s
            .get(self.at..self.at.saturating_add(4))
            .ok_or(bad("keys file: a \\u escape is cut short"))?;
        self.at += 4;
        digits.iter().try_fold(0u32, |acc, &d| {
            let v = char::from(d)
                .to_digit(16)
                .ok_or(bad("keys file: a \\u escape is not hex"))?;
            Ok(acc * 16 + v)
        })
    }

    /// `\uXXXX`, with surrogate pairs joined; a lone surrogate is an error.
    fn unicode_escape(&mut self) -> Result<char> {
        const LONE: &str = "keys file: a \\u escape is a lone surrogate";
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if self.s.get(self.at..self.at.saturating_add(2)) != Some(b"\\u") {
                return Err(bad(LONE));
            }
            self.at += 2;
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(bad(LONE));
            }
            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
        } else {
            hi
        };
        char::from_u32(code).ok_or(bad(LONE))
    }
}
