//! The shared files (`~/.aws/config`, `~/.aws/credentials`) read as botocore reads them:
//! Python's `configparser.RawConfigParser()` with its defaults (botocore's `raw_config_parse`),
//! then botocore's `build_profile_map` for the config file and `Session.full_config` for the
//! two files together.
//!
//! What that means, rule by rule (each checked against botocore 1.44 on Python 3.11):
//! - `[name]` opens a section; the name is everything between the first `[` and the last `]`
//!   of the line, spaces kept (`[ default ]` is not `default`); anything after the last `]` is
//!   ignored. `[DEFAULT]` (exactly) is not a section: its keys are defaults of every section.
//! - `key = value` or `key: value`, split at the first `=` or `:`; the key is trimmed and
//!   lowercased, the value trimmed. A line that is neither (and no key before the delimiter)
//!   is an error, as is a key or a section given twice in one file (configparser's `strict`).
//! - `#` and `;` start a comment only as a line's first non-blank character: there are no
//!   inline comments (`region = us-east-1 # x` is the value `us-east-1 # x`).
//! - A line indented deeper than its key's line continues the value (blank lines inside are
//!   kept, trailing ones dropped). A value that is empty on its key's line and continued is a
//!   nested section (`s3 =\n  addressing_style = path`): `key = value` lines (only `=`), keys
//!   kept as written.
//! - The text must be UTF-8; a byte order mark is not skipped (botocore fails on it too).
//!
//! Error messages name the file and the line, never a line's text (values may be secrets).

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::settings::Settings;

/// The largest shared file read (larger is an error, not a truncation).
pub(crate) const MAX_FILE_LEN: u64 = 1024 * 1024;

/// configparser's section of defaults: its keys apply to every section of the file.
const DEFAULT_SECTION: &str = "DEFAULT";

/// One value of a section: text, or a nested section (`s3 =` then indented `key = value`).
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// A value as written (continuation lines joined with `\n`).
    Text(Zeroizing<String>),
    /// An indented block under an empty value.
    Nested(BTreeMap<String, Zeroizing<String>>),
}

impl Value {
    /// The text, or `None` for a nested section.
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t.as_str()),
            Value::Nested(_) => None,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be secrets: only their shape is printed.
        match self {
            Value::Text(_) => f.write_str("Text(<redacted>)"),
            Value::Nested(map) => f.debug_set().entries(map.keys()).finish(),
        }
    }
}

/// The keys of one section (the file's `[DEFAULT]` keys included).
pub(crate) type Section = BTreeMap<String, Value>;

/// A parsed file: its sections in the order of the file.
#[derive(Clone, Default, Debug)]
pub(crate) struct Sections {
    list: Vec<(String, Section)>,
}

impl Sections {
    /// The section of that exact name.
    pub(crate) fn get(&self, name: &str) -> Option<&Section> {
        self.list.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }

    /// Every section, in the file's order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Section)> {
        self.list.iter().map(|(n, s)| (n.as_str(), s))
    }

    /// How many sections.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }
}

/// Where a parse stopped, as `line N: why` (the caller adds the file).
fn line_error(lineno: usize, why: &str) -> Error {
    Error::new(format!("line {lineno}: {why}"))
}

/// Python's `str.isspace()` (what `strip()` and the regexes' `\s` use): Unicode whitespace
/// plus the information separators U+001C..U+001F, which Rust does not count.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()`.
fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// The lines of a text as Python's text files give them (universal newlines: `\n`, `\r\n`
/// and a lone `\r` each end a line), without their ends.
fn py_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match rest.find(['\n', '\r']) {
            Some(i) => {
                lines.push(rest.get(..i).unwrap_or_default());
                let end = if rest.get(i..i + 2) == Some("\r\n") {
                    i + 2
                } else {
                    i + 1
                };
                rest = rest.get(end..).unwrap_or_default();
            }
            None => {
                lines.push(rest);
                rest = "";
            }
        }
    }
    lines
}

/// A section being read: its keys in order, each value as its lines.
type RawSection = Vec<(String, Vec<String>, usize)>;

/// Parses a shared file's text as botocore's `raw_config_parse` does (see the module's doc).
pub(crate) fn parse(text: &str) -> Result<Sections> {
    let mut sections: Vec<(String, RawSection)> = Vec::new();
    let mut defaults: RawSection = Vec::new();
    // Which section is being read: None before the first header, Some(None) for [DEFAULT].
    let mut current: Option<Option<usize>> = None;
    // The key whose value continuation lines extend (an index into the current section).
    let mut option: Option<usize> = None;
    let mut indent_level = 0usize;
    for (index, line) in py_lines(text).into_iter().enumerate() {
        let lineno = index + 1;
        let value = py_strip(line);
        if value.starts_with(['#', ';']) {
            continue;
        }
        let section = match current {
            Some(Some(i)) => sections.get_mut(i).map(|(_, s)| s),
            Some(None) => Some(&mut defaults),
            None => None,
        };
        if value.is_empty() {
            // A blank line belongs to the value being read (dropped again if trailing).
            if let (Some(section), Some(o)) = (section, option) {
                if let Some((_, lines, _)) = section.get_mut(o) {
                    lines.push(String::new());
                }
            }
            continue;
        }
        let indent = line.chars().take_while(|&c| is_py_space(c)).count();
        if let (Some(section), Some(o)) = (section, option) {
            if indent > indent_level {
                if let Some((_, lines, _)) = section.get_mut(o) {
                    lines.push(value.to_owned());
                }
                continue;
            }
        }
        indent_level = indent;
        if let Some(name) = section_header(value) {
            if name == DEFAULT_SECTION {
                current = Some(None);
            } else if sections.iter().any(|(n, _)| n == name) {
                return Err(line_error(lineno, &format!("section [{name}] given twice")));
            } else {
                sections.push((name.to_owned(), Vec::new()));
                current = Some(Some(sections.len() - 1));
            }
            option = None;
            continue;
        }
        let section = match current {
            Some(Some(i)) => sections.get_mut(i).map(|(_, s)| s),
            Some(None) => Some(&mut defaults),
            None => None,
        };
        let Some(section) = section else {
            let why = if lineno == 1 && value.starts_with('\u{feff}') {
                "the file starts with a byte order mark (save it as UTF-8 without one)"
            } else {
                "a key before any [section]"
            };
            return Err(line_error(lineno, why));
        };
        let Some((key, val)) = option_line(value) else {
            return Err(line_error(
                lineno,
                "not a [section], a key = value, a comment or an indented continuation",
            ));
        };
        if key.is_empty() {
            return Err(line_error(lineno, "no key before the = or :"));
        }
        if section.iter().any(|(k, _, _)| *k == key) {
            return Err(line_error(
                lineno,
                &format!("key {key} given twice in its section"),
            ));
        }
        section.push((key, vec![val.to_owned()], lineno));
        option = Some(section.len() - 1);
    }
    let defaults = join_section(defaults)?;
    let mut list = Vec::with_capacity(sections.len());
    for (name, raw) in sections {
        let mut section = defaults.clone();
        section.extend(join_section(raw)?);
        list.push((name, section));
    }
    Ok(Sections { list })
}

/// The name of a `[section]` line (configparser's `\[(?P<header>.+)\]`, matched at the start:
/// up to the last `]`, at least one character).
fn section_header(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('[')?;
    let end = rest.rfind(']')?;
    rest.get(..end).filter(|name| !name.is_empty())
}

/// A `key = value` or `key: value` line split at its first delimiter: the key trimmed and
/// lowercased (configparser's `optionxform`), the value trimmed.
fn option_line(line: &str) -> Option<(String, &str)> {
    let at = line.find(['=', ':'])?;
    let key = line.get(..at)?.trim_end_matches(is_py_space).to_lowercase();
    let value = py_strip(line.get(at + 1..)?);
    Some((key, value))
}

/// A section's values joined (configparser's `'\n'.join(lines).rstrip()`), nested ones parsed.
fn join_section(raw: RawSection) -> Result<Section> {
    let mut section = Section::new();
    for (key, lines, lineno) in raw {
        let joined = Zeroizing::new(lines.join("\n"));
        let text = joined.trim_end_matches(is_py_space);
        let value = if text.starts_with('\n') {
            Value::Nested(parse_nested(text, lineno)?)
        } else {
            Value::Text(Zeroizing::new(text.to_owned()))
        };
        section.insert(key, value);
    }
    Ok(section)
}

/// botocore's `_parse_nested`: each non-blank line `key = value` (only `=`), both trimmed,
/// the key's case kept; a later key replaces an earlier one.
fn parse_nested(text: &str, lineno: usize) -> Result<BTreeMap<String, Zeroizing<String>>> {
    // Python's str.splitlines() boundaries.
    const BREAKS: [char; 10] = [
        '\n', '\r', '\u{b}', '\u{c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}',
        '\u{2029}',
    ];
    let mut map = BTreeMap::new();
    for line in text.split(BREAKS) {
        let line = py_strip(line);
        if line.is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(line_error(
                lineno,
                "a line of this key's nested section has no = (nested lines are key = value)",
            ));
        };
        map.insert(
            py_strip(key).to_owned(),
            Zeroizing::new(py_strip(value).to_owned()),
        );
    }
    Ok(map)
}

/// Which shared file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// `AWS_CONFIG_FILE`, else `~/.aws/config`: `[default]`, `[profile NAME]`, `[sso-session NAME]`.
    Config,
    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`: `[NAME]`.
    Credentials,
}

impl FileKind {
    /// The botocore provider name of static keys found in this file (`config-file`,
    /// `shared-credentials-file`), used as the source's name.
    pub(crate) fn source(self) -> &'static str {
        match self {
            FileKind::Config => "config-file",
            FileKind::Credentials => "shared-credentials-file",
        }
    }

    /// The variable naming the file.
    fn variable(self) -> &'static str {
        match self {
            FileKind::Config => "AWS_CONFIG_FILE",
            FileKind::Credentials => "AWS_SHARED_CREDENTIALS_FILE",
        }
    }

    /// The file when the variable is not set.
    fn default_path(self) -> &'static str {
        match self {
            FileKind::Config => "~/.aws/config",
            FileKind::Credentials => "~/.aws/credentials",
        }
    }

    /// The file's path as botocore makes it: the variable or the default, `$VAR` / `${VAR}`
    /// expanded (Python's `os.path.expandvars`: unset variables are left as written), then
    /// `~`. `None` when it starts with `~` and there is no home directory (then there is no
    /// such file: botocore would ask the password database, which we do not read).
    pub(crate) fn path(self, settings: &Settings) -> Option<PathBuf> {
        let raw = settings
            .var(self.variable())
            .unwrap_or_else(|| self.default_path().to_owned());
        let expanded = expand_vars(&raw, settings);
        if expanded.starts_with('~') && settings.home().is_none() {
            return None;
        }
        Some(settings.expand(&expanded))
    }
}

/// Python's `posixpath.expandvars`: `$NAME` (ASCII letters, digits, `_`) and `${NAME}` are
/// replaced by the variable's value when it is set, and kept as written otherwise.
fn expand_vars(path: &str, settings: &Settings) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(at) = rest.find('$') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 1..).unwrap_or_default();
        let (name, len) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => (braced.get(..end).unwrap_or_default(), end + 2),
                None => ("", 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (after.get(..end).unwrap_or_default(), end)
        };
        out.push('$');
        rest = after;
        if len > 0 {
            // A match: replaced when the variable is set, else kept whole.
            match settings.var(name).filter(|_| !name.is_empty()) {
                Some(value) => {
                    out.pop();
                    out.push_str(&value);
                }
                None => out.push_str(after.get(..len).unwrap_or_default()),
            }
            rest = after.get(len..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    out
}

/// Reads and parses one shared file. A path that is not a file (missing, or a directory) is
/// an empty file, as botocore's `os.path.isfile` check makes it; a file that cannot be read,
/// is larger than [`MAX_FILE_LEN`], is not UTF-8 or does not parse is an error naming it.
pub(crate) fn read(path: &Path) -> Result<Sections> {
    let shown = path.display();
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Sections::default()),
        Err(e) => return Err(Error::new(format!("{shown}: cannot be read: {e}"))),
    };
    match file.metadata() {
        Ok(meta) if !meta.is_file() => return Ok(Sections::default()),
        Ok(meta) if meta.len() > MAX_FILE_LEN => {
            return Err(Error::new(format!(
                "{shown}: larger than {MAX_FILE_LEN} bytes; not read"
            )));
        }
        Ok(_) => {}
        Err(e) => return Err(Error::new(format!("{shown}: cannot be read: {e}"))),
    }
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::new(format!("{shown}: cannot be read: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(Error::new(format!(
            "{shown}: larger than {MAX_FILE_LEN} bytes; not read"
        )));
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = bytes
            .get(..e.valid_up_to())
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
            + 1;
        Error::new(format!("{shown}: line {line}: not UTF-8"))
    })?;
    parse(text).map_err(|e| Error::new(format!("{shown}: {}", e.message())))
}

/// The two shared files, read, with the profile maps botocore builds from them.
#[derive(Clone, Debug, Default)]
pub(crate) struct SharedFiles {
    /// The config file's path (`None`: `~` without a home directory).
    pub(crate) config_path: Option<PathBuf>,
    /// The credentials file's path.
    pub(crate) credentials_path: Option<PathBuf>,
    /// The config file's profiles (`build_profile_map`'s `profiles`).
    config_profiles: BTreeMap<String, Section>,
    /// The config file's `[sso-session NAME]` sections.
    sso_sessions: BTreeMap<String, Section>,
    /// The credentials file, as parsed (its section names are profile names).
    credentials: Sections,
}

impl SharedFiles {
    /// Reads both files where `settings` says they are.
    pub(crate) fn load(settings: &Settings) -> Result<SharedFiles> {
        let config_path = FileKind::Config.path(settings);
        let credentials_path = FileKind::Credentials.path(settings);
        let config = match &config_path {
            Some(p) => read(p)?,
            None => Sections::default(),
        };
        let credentials = match &credentials_path {
            Some(p) => read(p)?,
            None => Sections::default(),
        };
        let mut files = SharedFiles::from_sections(&config, credentials);
        files.config_path = config_path;
        files.credentials_path = credentials_path;
        Ok(files)
    }

    /// The maps of two parsed files (botocore's `build_profile_map` for the config file).
    pub(crate) fn from_sections(config: &Sections, credentials: Sections) -> SharedFiles {
        let mut config_profiles = BTreeMap::new();
        let mut sso_sessions = BTreeMap::new();
        for (name, section) in config.iter() {
            // In file order, a later section replaces an earlier one of the same profile
            // (`[default]` and `[profile default]`: the one further down wins, whole).
            if name.starts_with("profile") {
                if let Some(profile) = prefixed_name(name) {
                    config_profiles.insert(profile, section.clone());
                }
            } else if name.starts_with("sso-session") {
                if let Some(session) = prefixed_name(name) {
                    sso_sessions.insert(session, section.clone());
                }
            } else if name == "default" {
                config_profiles.insert(name.to_owned(), section.clone());
            }
        }
        SharedFiles {
            config_path: None,
            credentials_path: None,
            config_profiles,
            sso_sessions,
            credentials,
        }
    }

    /// A profile of the config file (`[profile NAME]`, or `[default]`).
    pub(crate) fn config_profile(&self, name: &str) -> Option<&Section> {
        self.config_profiles.get(name)
    }

    /// A profile of the credentials file (`[NAME]`).
    pub(crate) fn credentials_profile(&self, name: &str) -> Option<&Section> {
        self.credentials.get(name)
    }

    /// A profile as botocore's `Session.full_config` has it: the config file's keys, then the
    /// credentials file's section of the same name over them, key by key. `None` when neither
    /// file has it.
    pub(crate) fn profile(&self, name: &str) -> Option<Section> {
        let config = self.config_profiles.get(name);
        let credentials = self.credentials.get(name);
        if config.is_none() && credentials.is_none() {
            return None;
        }
        let mut merged = config.cloned().unwrap_or_default();
        if let Some(credentials) = credentials {
            merged.extend(credentials.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        Some(merged)
    }

    /// An `[sso-session NAME]` section of the config file.
    pub(crate) fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// The path of a file, for messages.
    pub(crate) fn path_of(&self, kind: FileKind) -> String {
        let path = match kind {
            FileKind::Config => &self.config_path,
            FileKind::Credentials => &self.credentials_path,
        };
        match path {
            Some(p) => p.display().to_string(),
            None => kind.default_path().to_owned(),
        }
    }
}

/// botocore's `_parse_section`: the section name split as a shell would (`shlex.split`), and
/// the second word when there are exactly two (`profile dev`, `profile "my dev"`,
/// `sso-session corp`); otherwise (one word, three, an open quote) the section is ignored.
fn prefixed_name(section: &str) -> Option<String> {
    let words = crate::process::shlex_split(section).ok()?;
    match <[String; 2]>::try_from(words) {
        Ok([_, name]) => Some(name),
        Err(_) => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn text(s: &Sections, section: &str, key: &str) -> Option<String> {
        s.get(section)?.get(key)?.text().map(str::to_owned)
    }

    fn err(t: &str) -> String {
        parse(t).unwrap_err().message().to_owned()
    }

    #[test]
    fn basics() {
        let s =
            parse("[default]\nregion = us-east-1\nOutput: json\n\n[profile dev]\nA=b=c\n").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(text(&s, "default", "region").as_deref(), Some("us-east-1"));
        // Keys are lowercased; `:` is a delimiter too.
        assert_eq!(text(&s, "default", "output").as_deref(), Some("json"));
        // Split at the first delimiter.
        assert_eq!(text(&s, "profile dev", "a").as_deref(), Some("b=c"));
        let s = parse("[x]\nk : v=w\nj= a:b\n").unwrap();
        assert_eq!(text(&s, "x", "k").as_deref(), Some("v=w"));
        assert_eq!(text(&s, "x", "j").as_deref(), Some("a:b"));
        let s = parse("[x]\nmy key = v\nempty =\n").unwrap();
        assert_eq!(text(&s, "x", "my key").as_deref(), Some("v"));
        assert_eq!(text(&s, "x", "empty").as_deref(), Some(""));
    }

    #[test]
    fn comments() {
        let s = parse("# top\n; also\n[a]\n  # indented comment\nk = v # not a comment\nj = v ; nor this\n;k2 = x\n").unwrap();
        assert_eq!(text(&s, "a", "k").as_deref(), Some("v # not a comment"));
        assert_eq!(text(&s, "a", "j").as_deref(), Some("v ; nor this"));
        assert_eq!(s.get("a").unwrap().len(), 2);
    }

    #[test]
    fn section_names() {
        let s = parse("[ default ]\nk=1\n[profile  x ]trailing\nk=2\n[a]b]\nk=3\n").unwrap();
        let names: Vec<&str> = s.iter().map(|(n, _)| n).collect();
        assert_eq!(names, [" default ", "profile  x ", "a]b"]);
        // `[]` is no header, and then no option either.
        assert!(err("[a]\n[]\n").starts_with("line 2:"));
    }

    #[test]
    fn continuation_and_nested() {
        let s = parse("[a]\nk = one\n  two\n\n  three\n\nnext = 1\n").unwrap();
        assert_eq!(text(&s, "a", "k").as_deref(), Some("one\ntwo\n\nthree"));
        assert_eq!(text(&s, "a", "next").as_deref(), Some("1"));
        let s =
            parse("[a]\ns3 =\n  Addressing_Style = path\n  # c\n  x=y=z\nregion = r\n").unwrap();
        match s.get("a").unwrap().get("s3").unwrap() {
            Value::Nested(m) => {
                assert_eq!(m.get("Addressing_Style").map(|v| v.as_str()), Some("path"));
                assert_eq!(m.get("x").map(|v| v.as_str()), Some("y=z"));
                assert_eq!(m.len(), 2);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(text(&s, "a", "region").as_deref(), Some("r"));
        // An indented first key is a key, and the next one at the same depth too.
        let s = parse("[a]\n  k = 1\n  j = 2\n").unwrap();
        assert_eq!(text(&s, "a", "j").as_deref(), Some("2"));
        // An indented [header] after a key continues the key.
        let s = parse("[a]\nk = 1\n  [b]\n").unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(text(&s, "a", "k").as_deref(), Some("1\n[b]"));
        // Nested lines need `=`.
        assert!(err("[a]\nk =\n  x: y\n").starts_with("line 2:"));
    }

    #[test]
    fn defaults_apply_to_every_section() {
        let s = parse("[a]\nk = 1\n[DEFAULT]\nk = 0\nj = 0\n[b]\n").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(text(&s, "a", "k").as_deref(), Some("1"));
        assert_eq!(text(&s, "a", "j").as_deref(), Some("0"));
        assert_eq!(text(&s, "b", "k").as_deref(), Some("0"));
    }

    #[test]
    fn line_endings() {
        let s = parse("[a]\r\nk = v\r\nj = w\rl = x").unwrap();
        assert_eq!(text(&s, "a", "k").as_deref(), Some("v"));
        assert_eq!(text(&s, "a", "j").as_deref(), Some("w"));
        assert_eq!(text(&s, "a", "l").as_deref(), Some("x"));
    }

    #[test]
    fn errors_name_the_line_not_the_text() {
        let e = err("k = secret\n");
        assert_eq!(e, "line 1: a key before any [section]");
        let e = err("[a]\nk = 1\nAKIASECRETLINE\n");
        assert!(e.starts_with("line 3: not a [section]"), "{e}");
        assert!(!e.contains("AKIA"));
        assert!(err("[a]\n= v\n").starts_with("line 2: no key"));
        assert!(err("[a]\nk = 1\nK = 2\n").starts_with("line 3: key k given twice"));
        assert!(err("[a]\n[b]\n[a]\n").starts_with("line 3: section [a] given twice"));
        assert!(err("[DEFAULT]\nk=1\n[DEFAULT]\nk=2\n").starts_with("line 4:"));
        assert!(parse("[DEFAULT]\nk=1\n[DEFAULT]\nj=2\n").is_ok());
        assert!(err("\u{feff}[default]\n").contains("byte order mark"));
        assert_eq!(parse("").unwrap().len(), 0);
        assert_eq!(parse("\n# only comments\n\n").unwrap().len(), 0);
    }

    #[test]
    fn profile_maps() {
        let config = parse(
            "[profile default]\nregion = a\n[default]\nregion = b\n[profile \"my dev\"]\nk=1\n\
             [profile]\nk=2\n[profile a b]\nk=3\n[profiles x]\nk=4\n[sso-session corp]\nsso_region=r\n\
             [preview]\nk=5\n[profile-x]\nk=6\n",
        )
        .unwrap();
        let creds = parse("[my dev]\nk = 9\nj = 8\n[other]\nk = 7\n").unwrap();
        let files = SharedFiles::from_sections(&config, creds);
        let region = |p: &str| {
            files
                .config_profile(p)?
                .get("region")?
                .text()
                .map(str::to_owned)
        };
        // The later of [profile default] and [default] wins.
        assert_eq!(region("default").as_deref(), Some("b"));
        assert!(files.config_profile("my dev").is_some());
        assert!(files.config_profile("x").is_some()); // botocore's startswith("profile")
        assert!(files.config_profile("preview").is_none());
        assert!(files.config_profile("profile-x").is_none());
        assert!(files.sso_session("corp").is_some());
        let merged = files.profile("my dev").unwrap();
        assert_eq!(merged.get("k").unwrap().text(), Some("9"));
        assert_eq!(merged.get("j").unwrap().text(), Some("8"));
        assert!(files.profile("other").is_some());
        assert!(files.profile("nope").is_none());
    }

    #[test]
    fn paths() {
        let s = Settings::from_vars([("HOME", "/h"), ("X", "/x")]);
        assert_eq!(
            FileKind::Config.path(&s),
            Some(PathBuf::from("/h/.aws/config"))
        );
        let s = Settings::from_vars([
            ("HOME", "/h"),
            ("X", "/x"),
            ("AWS_CONFIG_FILE", "$X/c.$NOPE${X}"),
            ("AWS_SHARED_CREDENTIALS_FILE", "~/creds"),
        ]);
        assert_eq!(
            FileKind::Config.path(&s),
            Some(PathBuf::from("/x/c.$NOPE/x"))
        );
        assert_eq!(
            FileKind::Credentials.path(&s),
            Some(PathBuf::from("/h/creds"))
        );
        assert_eq!(
            FileKind::Config.path(&Settings::from_vars([("A", "b")])),
            None
        );
        assert_eq!(expand_vars("a$", &s), "a$");
        assert_eq!(expand_vars("${X", &s), "${X");
        assert_eq!(expand_vars("$$X", &s), "$/x");
        assert_eq!(expand_vars("${NO$X}$X", &s), "${NO$X}/x");
        assert_eq!(expand_vars("${}$", &s), "${}$");
    }

    #[test]
    fn reading_files() {
        let dir = std::env::temp_dir().join(format!("iamauth-ini-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(read(&dir.join("missing")).unwrap().len(), 0);
        assert_eq!(read(&dir).unwrap().len(), 0); // a directory is no file
        let big = dir.join("big");
        std::fs::write(&big, vec![b'#'; (MAX_FILE_LEN + 1) as usize]).unwrap();
        assert!(read(&big).unwrap_err().message().contains("larger than"));
        let bad = dir.join("bad");
        std::fs::write(&bad, b"[a]\nk = \xff\n").unwrap();
        let e = read(&bad).unwrap_err();
        assert!(e.message().ends_with("bad: line 2: not UTF-8"), "{e}");
        std::fs::write(&bad, b"[a]\nk = 1\noops\n").unwrap();
        let e = read(&bad).unwrap_err();
        assert!(e.message().contains("bad: line 3: "), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
