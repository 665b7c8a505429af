//! What `iamauth eks` says to kubectl: the `ExecCredential` JSON of the client-go exec plugin
//! protocol, laid out as `aws eks get-token` (awscli 1.46.3) prints it, and the `apiVersion` read
//! from `KUBERNETES_EXEC_INFO` as awscli's `discover_api_version` reads it (with its messages on
//! stderr). The token and its expiry are core's.

use std::fmt::Write as _;

/// client-go's exec plugin API versions awscli answers with.
const V1: &str = "client.authentication.k8s.io/v1";
const V1BETA1: &str = iamauth::EKS_EXEC_API_VERSION;
const V1ALPHA1: &str = "client.authentication.k8s.io/v1alpha1";

/// The version to answer with and what to say on stderr about it (awscli's texts, word for word).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ApiVersion {
    /// The `apiVersion` of the `ExecCredential`.
    pub(crate) version: &'static str,
    /// A line (with its newline) for stderr, or `None`.
    pub(crate) warning: Option<String>,
}

/// awscli's `discover_api_version`: unset or empty -> v1beta1 silently; not JSON -> v1beta1 and
/// "Error parsing ..."; v1 or v1beta1 -> as asked; v1alpha1 -> as asked, with the deprecation
/// message; anything else (no `apiVersion`, another value, a document that is not an object,
/// where awscli itself fails) -> v1beta1 and "Unrecognized API version ...".
pub(crate) fn api_version(exec_info: Option<&str>) -> ApiVersion {
    let raw = exec_info.unwrap_or_default();
    if raw.is_empty() {
        return ApiVersion {
            version: V1BETA1,
            warning: None,
        };
    }
    let warn = |line: String| ApiVersion {
        version: V1BETA1,
        warning: Some(line + "\n"),
    };
    let asked = match api_version_of(raw) {
        Err(NotJson) => {
            return warn(format!(
                "Error parsing KUBERNETES_EXEC_INFO, defaulting to {V1BETA1}. This is likely a bug in your Kubernetes client. Please update your Kubernetes client."
            ));
        }
        Ok(asked) => asked,
    };
    match asked.as_deref() {
        Some(V1) => ApiVersion {
            version: V1,
            warning: None,
        },
        Some(V1BETA1) => ApiVersion {
            version: V1BETA1,
            warning: None,
        },
        Some(V1ALPHA1) => ApiVersion {
            version: V1ALPHA1,
            warning: Some(format!(
                "Kubeconfig user entry is using deprecated API version {V1ALPHA1}. Run 'aws eks update-kubeconfig' to update.\n"
            )),
        },
        _ => warn(format!(
            "Unrecognized API version in KUBERNETES_EXEC_INFO, defaulting to {V1BETA1}. This is likely due to an outdated AWS CLI. Please update your AWS CLI."
        )),
    }
}

/// The `ExecCredential` as awscli prints it: Python's `json.dump(indent=4)` of
/// `{kind, apiVersion, spec: {}, status: {expirationTimestamp, token}}`, then its formatter's
/// newline and `uni_print('\n')` (so it ends with an empty line). Every value is ASCII without
/// anything JSON escapes (a version above, RFC 3339, base64url), so no escaping is needed.
pub(crate) fn exec_credential(api_version: &str, expiration: &str, token: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "{{\n    \"kind\": \"ExecCredential\",\n    \"apiVersion\": \"{api_version}\",\n    \"spec\": {{}},\n    \"status\": {{\n        \"expirationTimestamp\": \"{expiration}\",\n        \"token\": \"{token}\"\n    }}\n}}\n\n"
    );
    out
}

/// The text was not JSON (as Python's `json.loads` reads it).
#[derive(Debug, PartialEq, Eq)]
struct NotJson;

/// The deepest nesting read (Python's parser stops near its recursion limit, 1000).
const MAX_DEPTH: usize = 512;

/// The last `apiVersion` member of the top-level object if it is a string (Python's dict keeps
/// the last of duplicate keys); `None` when there is none, it is not a string, or the document
/// is not an object. `Err` when the text is not one JSON value.
fn api_version_of(text: &str) -> Result<Option<String>, NotJson> {
    let mut r = Reader {
        s: text.as_bytes(),
        i: 0,
    };
    r.ws();
    let found = if r.peek() == Some(b'{') {
        r.object(0, true)?
    } else {
        r.value(0)?;
        None
    };
    r.ws();
    if r.i != r.s.len() {
        return Err(NotJson);
    }
    Ok(found)
}

/// A JSON reader over bytes, the grammar of Python's `json` module (strict strings, and its
/// `NaN`, `Infinity` and `-Infinity`).
struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn next(&mut self) -> Result<u8, NotJson> {
        let b = self.peek().ok_or(NotJson)?;
        self.i += 1;
        Ok(b)
    }

    fn eat(&mut self, b: u8) -> Result<(), NotJson> {
        if self.next()? == b {
            Ok(())
        } else {
            Err(NotJson)
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), NotJson> {
        if self
            .s
            .get(self.i..)
            .is_some_and(|rest| rest.starts_with(word.as_bytes()))
        {
            self.i += word.len();
            Ok(())
        } else {
            Err(NotJson)
        }
    }

    /// JSON whitespace.
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Any value; a string's text is returned (for `apiVersion`), others `None`.
    fn value(&mut self, depth: usize) -> Result<Option<String>, NotJson> {
        if depth > MAX_DEPTH {
            return Err(NotJson);
        }
        match self.peek().ok_or(NotJson)? {
            b'{' => self.object(depth, false).map(|_| None),
            b'[' => self.array(depth).map(|()| None),
            b'"' => self.string().map(Some),
            b't' => self.literal("true").map(|()| None),
            b'f' => self.literal("false").map(|()| None),
            b'n' => self.literal("null").map(|()| None),
            b'N' => self.literal("NaN").map(|()| None),
            b'I' => self.literal("Infinity").map(|()| None),
            _ => self.number().map(|()| None),
        }
    }

    /// An object; with `top`, the last string value of its `apiVersion` member.
    fn object(&mut self, depth: usize, top: bool) -> Result<Option<String>, NotJson> {
        self.eat(b'{')?;
        let mut found = None;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(None);
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(NotJson);
            }
            let key = self.string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            let value = self.value(depth + 1)?;
            if top && key == "apiVersion" {
                // A later non-string `apiVersion` replaces an earlier string one too.
                found = value;
            }
            self.ws();
            match self.next()? {
                b',' => {}
                b'}' => return Ok(found),
                _ => return Err(NotJson),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), NotJson> {
        self.eat(b'[')?;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            self.value(depth + 1)?;
            self.ws();
            match self.next()? {
                b',' => {}
                b']' => return Ok(()),
                _ => return Err(NotJson),
            }
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, or `-Infinity`.
    fn number(&mut self) -> Result<(), NotJson> {
        if self.peek() == Some(b'-') {
            self.i += 1;
            if self.peek() == Some(b'I') {
                return self.literal("Infinity");
            }
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return Err(NotJson),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.digit()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            self.digit()?;
        }
        Ok(())
    }

    /// At least one digit.
    fn digit(&mut self) -> Result<(), NotJson> {
        if !self.next()?.is_ascii_digit() {
            return Err(NotJson);
        }
        self.digits();
        Ok(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
    }

    /// A string, unescaped: no raw control characters (Python's strict mode); `\uXXXX` with
    /// surrogate pairs joined (a lone surrogate, which Python keeps, can equal no version and
    /// becomes U+FFFD).
    fn string(&mut self) -> Result<String, NotJson> {
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            match self.next()? {
                b'"' => break,
                b'\\' => match self.next()? {
                    b'"' => out.push(b'"'),
                    b'\\' => out.push(b'\\'),
                    b'/' => out.push(b'/'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'u' => {
                        let c = self.unicode_escape()?;
                        let mut buf = [0; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                    _ => return Err(NotJson),
                },
                b if b < 0x20 => return Err(NotJson),
                b => out.push(b),
            }
        }
        // The input is a `&str`, so the bytes between escapes are whole UTF-8 sequences.
        String::from_utf8(out).map_err(|_| NotJson)
    }

    /// The character of a `\u` escape (after the `u`), joining a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, NotJson> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.s.get(self.i..self.i + 2) == Some(b"\\u") {
            let save = self.i;
            self.i += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
            }
            // Not a pair: the second escape is read on its own.
            self.i = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{fffd}'))
    }

    fn hex4(&mut self) -> Result<u32, NotJson> {
        let mut v = 0;
        for _ in 0..4 {
            let d = char::from(self.next()?).to_digit(16).ok_or(NotJson)?;
            v = v * 16 + d;
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::{NotJson, V1, V1ALPHA1, V1BETA1, api_version, api_version_of, exec_credential};

    fn version(text: &str) -> &'static str {
        api_version(Some(text)).version
    }

    #[test]
    fn reads_the_api_version_of_the_top_level_object() {
        let kubectl = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false,"cluster":{"server":"https://x","config":{"apiVersion":"client.authentication.k8s.io/v1beta1","a":[1,2.5e-3,{"b":null}]}}}}"#;
        assert_eq!(version(kubectl), V1);
        assert_eq!(api_version(Some(kubectl)).warning, None);
        // Whitespace, escapes and a later duplicate key (Python keeps the last).
        let text = "\n { \"apiVersion\" : \"x\", \"api\\u0056ersion\":\t\"client.authentication.k8s.io\\/v1beta1\" } \r\n";
        assert_eq!(api_version_of(text), Ok(Some(V1BETA1.to_owned())));
        assert_eq!(
            version(r#"{"apiVersion":"client.authentication.k8s.io/v1alpha1"}"#),
            V1ALPHA1
        );
        // Nested apiVersion members are not the top level's.
        assert_eq!(api_version_of(r#"{"spec":{"apiVersion":"v"}}"#), Ok(None));
        assert_eq!(
            api_version_of(r#"{"apiVersion":"v","apiVersion":1}"#),
            Ok(None)
        );
        assert_eq!(api_version_of(r#"["apiVersion"]"#), Ok(None));
        assert_eq!(api_version_of(r#""\ud83e\udd80""#), Ok(None));
        assert_eq!(
            api_version_of(r#"{"a":[NaN,-Infinity,Infinity,-0.5E+2,true,false]}"#),
            Ok(None)
        );
    }

    #[test]
    fn refuses_what_python_refuses() {
        for text in [
            "{",
            "}",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "[1,]",
            "[1 2]",
            "01",
            "1.",
            ".5",
            "1e",
            "+1",
            "\"a\nb\"",
            "\"\\x\"",
            "\"\\u12\"",
            "{a:1}",
            "{'a':1}",
            "tru",
            "nul",
            "{} {}",
            "\"",
            "-",
            "-I",
        ] {
            assert_eq!(api_version_of(text), Err(NotJson), "{text:?}");
        }
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert_eq!(api_version_of(&deep), Err(NotJson));
    }

    #[test]
    fn awscli_messages() {
        assert_eq!(api_version(None).version, V1BETA1);
        assert_eq!(api_version(Some("")).warning, None);
        let garbage = api_version(Some("not json"));
        assert_eq!(garbage.version, V1BETA1);
        assert_eq!(
            garbage.warning.as_deref(),
            Some(
                "Error parsing KUBERNETES_EXEC_INFO, defaulting to client.authentication.k8s.io/v1beta1. This is likely a bug in your Kubernetes client. Please update your Kubernetes client.\n"
            )
        );
        let other = api_version(Some(r#"{"apiVersion":"client.authentication.k8s.io/v2"}"#));
        assert_eq!(other.version, V1BETA1);
        assert!(
            other
                .warning
                .is_some_and(|w| w.starts_with("Unrecognized API version in KUBERNETES_EXEC_INFO"))
        );
        let alpha = api_version(Some(
            r#"{"apiVersion":"client.authentication.k8s.io/v1alpha1"}"#,
        ));
        assert_eq!(alpha.version, V1ALPHA1);
        assert_eq!(
            alpha.warning.as_deref(),
            Some(
                "Kubeconfig user entry is using deprecated API version client.authentication.k8s.io/v1alpha1. Run 'aws eks update-kubeconfig' to update.\n"
            )
        );
    }

    #[test]
    fn exec_credential_layout() {
        assert_eq!(
            exec_credential(V1, "2024-01-02T03:18:05Z", "k8s-aws-v1.abc"),
            "{\n    \"kind\": \"ExecCredential\",\n    \"apiVersion\": \"client.authentication.k8s.io/v1\",\n    \"spec\": {},\n    \"status\": {\n        \"expirationTimestamp\": \"2024-01-02T03:18:05Z\",\n        \"token\": \"k8s-aws-v1.abc\"\n    }\n}\n\n"
        );
    }
}
