//! The keys file a verifier reads: which access keys exist, their secrets, and the session token
//! a key's tokens must carry.
//!
//! ```json
//! {"AKIDEXAMPLE": {"secret_access_key": "wJalr...", "session_token": "FwoG..."}}
//! ```
//!
//! A small JSON reader for exactly this shape (an object of objects of strings; `session_token`
//! may be `null` or absent), so the CLI and the PAM module share one parser and the core needs no
//! JSON library. Every error is `INVALID_CREDENTIALS` with a message naming the rule broken,
//! never the text read.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use crate::credentials::Credentials;
use crate::error::{Error, ErrorCode, Result};
use crate::verify::VerifyKey;

/// The most keys one file may list.
pub const MAX_KEYS: usize = 10_000;

struct Entry {
    access_key_id: String,
    secret_access_key: Zeroizing<String>,
    session_token: Option<Zeroizing<String>>,
}

/// The parsed keys file. `Debug` lists the access key ids only.
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
    /// signing's); an access key id may appear once.
    pub fn parse(text: &str) -> Result<KeyFile> {
        let mut p = Parser {
            s: text.as_bytes(),
            at: 0,
        };
        let mut entries: Vec<Entry> = Vec::new();
        p.ws();
        p.expect(b'{', "keys file: must be a JSON object of access key ids")?;
        p.ws();
        if !p.eat(b'}') {
            loop {
                p.ws();
                let access_key_id = p.string()?;
                p.ws();
                p.expect(b':', "keys file: expected ':' after an access key id")?;
                p.ws();
                let (secret, session) = p.entry()?;
                let secret = secret.ok_or(bad("keys file: an entry has no secret_access_key"))?;
                Credentials::new(
                    &access_key_id,
                    &secret,
                    session.as_deref().map(|s| s.as_str()),
                )
                .map_err(|e| Error::new(ErrorCode::InvalidCredentials, keys_rule(e)))?;
                if entries.iter().any(|e| e.access_key_id == access_key_id) {
                    return Err(bad("keys file: an access key id appears twice"));
                }
                if entries.len() >= MAX_KEYS {
                    return Err(bad("keys file: more than 10000 keys"));
                }
                entries.push(Entry {
                    access_key_id,
                    secret_access_key: secret,
                    session_token: session,
                });
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
        Ok(KeyFile { entries })
    }

    /// A key set of one key (what a binding's `verify` takes besides a keys file), by the same
    /// credential rules as a file's entries.
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
            }],
        })
    }

    /// The key for an access key id, as `verify` takes it.
    pub fn get(&self, access_key_id: &str) -> Option<VerifyKey<'_>> {
        self.entries
            .iter()
            .find(|e| e.access_key_id == access_key_id)
            .map(|e| VerifyKey {
                secret_access_key: &e.secret_access_key,
                session_token: e.session_token.as_deref().map(|s| s.as_str()),
            })
    }

    /// How many keys the file lists.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it lists none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
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

/// A secret read from the file, wiped when dropped.
type SecretText = Zeroizing<String>;

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl Parser<'_> {
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

    /// `{"secret_access_key": "...", "session_token": "..." | null}`, in any order.
    fn entry(&mut self) -> Result<(Option<SecretText>, Option<SecretText>)> {
        const SHAPE: &str = "keys file: each entry must be {\"secret_access_key\": \"...\", \"session_token\": \"...\"}";
        let mut secret = None;
        let mut session = None;
        self.expect(b'{', SHAPE)?;
        self.ws();
        if self.eat(b'}') {
            return Ok((secret, session));
        }
        loop {
            self.ws();
            let name = self.string()?;
            self.ws();
            self.expect(b':', SHAPE)?;
            self.ws();
            let value = if self.s.get(self.at..self.at.saturating_add(4)) == Some(b"null") {
                self.at += 4;
                None
            } else {
                Some(Zeroizing::new(self.string()?))
            };
            let slot = match name.as_str() {
                "secret_access_key" => &mut secret,
                "session_token" => &mut session,
                _ => return Err(bad(SHAPE)),
            };
            if slot.is_some() {
                return Err(bad("keys file: a field appears twice in an entry"));
            }
            *slot = value;
            self.ws();
            if self.eat(b',') {
                continue;
            }
            self.expect(b'}', SHAPE)?;
            return Ok((secret, session));
        }
    }

    /// A JSON string, escapes decoded.
    fn string(&mut self) -> Result<String> {
        const RULE: &str = "keys file: a string is not valid JSON";
        self.expect(b'"', "keys file: expected a string")?;
        let mut out = Vec::new();
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
        String::from_utf8(out).map_err(|_| bad("keys file: is not valid UTF-8"))
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
