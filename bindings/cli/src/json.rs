//! Just enough JSON output for one flat object of strings, integers, booleans and nulls.

use std::fmt::Write as _;

/// A JSON object written field by field, in order, on one line.
#[derive(Debug)]
pub(crate) struct Object {
    /// The text so far, starting with `{`.
    out: String,
}

impl Object {
    /// An empty object.
    pub(crate) fn new() -> Object {
        Object {
            out: String::from("{"),
        }
    }

    /// Writes `"key":`, after a comma unless it is the first field.
    fn key(&mut self, key: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        push_string(&mut self.out, key);
        self.out.push(':');
    }

    /// A string field.
    pub(crate) fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        push_string(&mut self.out, value);
    }

    /// A string field, or `null`.
    pub(crate) fn opt_str(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(v) => self.str(key, v),
            None => self.null(key),
        }
    }

    /// An integer field.
    pub(crate) fn int(&mut self, key: &str, value: i64) {
        self.key(key);
        let _ = write!(self.out, "{value}");
    }

    /// An integer field, or `null`.
    pub(crate) fn opt_int(&mut self, key: &str, value: Option<i64>) {
        match value {
            Some(v) => self.int(key, v),
            None => self.null(key),
        }
    }

    /// A boolean field.
    pub(crate) fn bool(&mut self, key: &str, value: bool) {
        self.key(key);
        self.out.push_str(if value { "true" } else { "false" });
    }

    /// A `null` field.
    pub(crate) fn null(&mut self, key: &str) {
        self.key(key);
        self.out.push_str("null");
    }

    /// The finished object, without a trailing newline.
    pub(crate) fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// Writes `s` as a JSON string: `"` and `\` escaped, control characters as `\u00XX`
/// (C1 and DEL too, so nothing invisible reaches a terminal); other text passes as UTF-8.
pub(crate) fn push_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::{Object, push_string};

    fn quoted(s: &str) -> String {
        let mut out = String::new();
        push_string(&mut out, s);
        out
    }

    #[test]
    fn escapes_quotes_backslashes_and_controls() {
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(
            quoted("a\nb\t\u{0}\u{1f}\u{7f}\u{85}"),
            r#""a\u000ab\u0009\u0000\u001f\u007f\u0085""#
        );
        assert_eq!(quoted("é 🦀 /"), "\"é 🦀 /\"");
    }

    #[test]
    fn object_fields_in_order() {
        let mut o = Object::new();
        o.str("a", "x");
        o.int("b", -5);
        o.opt_int("c", None);
        o.bool("d", true);
        o.opt_str("e", Some("y"));
        assert_eq!(o.finish(), r#"{"a":"x","b":-5,"c":null,"d":true,"e":"y"}"#);
        assert_eq!(Object::new().finish(), "{}");
    }
}
