//! The module's arguments: the words after the module's path on its pam.d line.
//!
//! The values are checked once, when the line is read, by the core's own expectation rules
//! (`Expectations::check`, which `verify` also runs first: host, port, action, region, skew,
//! service), and any unknown, repeated or unreadable word refuses the whole line: a
//! misconfigured module must never authenticate anyone.

#![deny(unsafe_code)]

use std::path::{Path, PathBuf};

use iamauth::Expectations;

use crate::log::escape;

/// What one pam.d line configures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Config {
    /// The keys file (`keys=`), read again on every attempt so keys rotate without a restart.
    pub(crate) keys: PathBuf,
    /// The endpoint clients sign for (`host=`).
    pub(crate) host: String,
    /// The port clients sign for (`port=`).
    pub(crate) port: u16,
    /// The region of the signing scope (`region=`).
    pub(crate) region: String,
    /// Allowed clock skew in seconds (`skew=`, default the core's).
    pub(crate) skew: i64,
    /// A file to append one line per attempt to as well (`log=`); syslog gets every line anyway.
    pub(crate) log: Option<PathBuf>,
    /// The signing service (`service=`); `None`: the core's default.
    pub(crate) service: Option<String>,
    /// The action a token must carry (`action=`: `DbConnect` or `DbConnectAdmin`); `None`: any.
    pub(crate) action: Option<String>,
}

impl Config {
    /// What a token must grant, as the core's `verify` takes it (`user`: the PAM user).
    pub(crate) fn expectations<'a>(&'a self, user: Option<&'a str>) -> Expectations<'a> {
        Expectations {
            host: Some(&self.host),
            port: Some(self.port),
            user,
            action: self.action.as_deref(),
            region: Some(&self.region),
            service: self.service.as_deref(),
            skew: self.skew,
            // PAM logs in to a database: no EKS tokens.
            cluster: None,
        }
    }

    /// The line's values as the core's `verify` judges its expectations: an error is the
    /// line's, reported as a configuration error rather than as a refused token.
    fn checked(self) -> Result<Config, ConfigError> {
        self.expectations(None).check().map_err(core_error)?;
        Ok(self)
    }
}

/// Why a line was refused: a code for the log, and a message naming the rule broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigError {
    /// The core's code when one of its rules failed (`INVALID_PORT`, ...), else `BAD_ARGUMENT`.
    pub(crate) code: &'static str,
    /// Safe to log: argument text in it is escaped.
    pub(crate) message: String,
}

/// The code for a word that is not `name=value` with a known name, a value twice, or a missing
/// required argument (the core has no code for those).
pub(crate) const BAD_ARGUMENT: &str = "BAD_ARGUMENT";

fn bad(message: String) -> ConfigError {
    ConfigError {
        code: BAD_ARGUMENT,
        message,
    }
}

fn core_error(e: iamauth::Error) -> ConfigError {
    ConfigError {
        code: e.code().name(),
        message: e.message().to_owned(),
    }
}

/// A whole number of decimal digits, or `None` (so `+5`, ` 5` and `5s` are refused).
fn digits(value: &str) -> Option<i64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// An absolute path, or a `BAD_ARGUMENT` naming the argument.
fn absolute(name: &str, value: &str) -> Result<PathBuf, ConfigError> {
    let path = Path::new(value);
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Err(bad(format!("{name}=: must be an absolute path")))
    }
}

/// The `log=` path, if one readable `log=/abs/path` word is present: used to report errors in
/// the rest of the line to the same file.
pub(crate) fn log_path(args: &[&[u8]]) -> Option<PathBuf> {
    args.iter()
        .filter_map(|a| std::str::from_utf8(a).ok())
        .filter_map(|a| a.strip_prefix("log="))
        .find_map(|v| absolute("log", v).ok())
}

/// Reads the arguments (see the module docs).
pub(crate) fn parse(args: &[&[u8]]) -> Result<Config, ConfigError> {
    let mut keys = None;
    let mut host = None;
    let mut port = None;
    let mut region = None;
    let mut skew = None;
    let mut log = None;
    let mut service = None;
    let mut action = None;
    for &arg in args {
        let Ok(word) = std::str::from_utf8(arg) else {
            return Err(bad(format!(
                "argument {} is not UTF-8",
                escape(arg.iter().copied())
            )));
        };
        let Some((name, value)) = word.split_once('=') else {
            return Err(bad(format!(
                "argument {} is not name=value",
                escape(word.bytes())
            )));
        };
        let slot = match name {
            "keys" => &mut keys,
            "host" => &mut host,
            "port" => &mut port,
            "region" => &mut region,
            "skew" => &mut skew,
            "log" => &mut log,
            "service" => &mut service,
            "action" => &mut action,
            _ => {
                return Err(bad(format!(
                    "unknown argument {}= (known: keys host port region skew log service action)",
                    escape(name.bytes())
                )));
            }
        };
        if slot.replace(value).is_some() {
            return Err(bad(format!("{name}= is given twice")));
        }
    }

    fn required<'v>(value: Option<&'v str>, name: &str) -> Result<&'v str, ConfigError> {
        value.ok_or_else(|| bad(format!("{name}= is required")))
    }
    let keys = absolute("keys", required(keys, "keys")?)?;
    let host = required(host, "host")?;
    // Not a port number at all breaks the same rule as 0: passed as 0, it gets the core's
    // INVALID_PORT (likewise a skew that is not a number, passed as -1).
    let port = digits(required(port, "port")?)
        .and_then(|p| u16::try_from(p).ok())
        .unwrap_or(0);
    let region = required(region, "region")?;
    let skew = match skew {
        Some(s) => digits(s).unwrap_or(-1),
        None => Expectations::default().skew,
    };
    let log = log.map(|l| absolute("log", l)).transpose()?;
    Config {
        keys,
        host: host.to_owned(),
        port,
        region: region.to_owned(),
        skew,
        log,
        service: service.map(str::to_owned),
        action: action.map(str::to_owned),
    }
    .checked()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> Result<Config, ConfigError> {
        let words: Vec<&[u8]> = line.split_whitespace().map(str::as_bytes).collect();
        parse(&words)
    }

    fn code(line: &str) -> &'static str {
        run(line).err().map_or("OK", |e| e.code)
    }

    const GOOD: &str = "keys=/k.json host=db.example.com port=5432 region=us-east-1";

    #[test]
    fn a_full_line_reads() {
        let c = run(&format!(
            "{GOOD} skew=60 log=/var/log/x service=rds-db action=DbConnect"
        ));
        assert_eq!(
            c,
            Ok(Config {
                keys: PathBuf::from("/k.json"),
                host: "db.example.com".into(),
                port: 5432,
                region: "us-east-1".into(),
                skew: 60,
                log: Some(PathBuf::from("/var/log/x")),
                service: Some("rds-db".into()),
                action: Some("DbConnect".into()),
            })
        );
        let defaults = run(GOOD).ok();
        assert_eq!(
            defaults.as_ref().map(|c| c.skew),
            Some(iamauth::DEFAULT_SKEW)
        );
        // The core's default service, applied by the core.
        assert_eq!(defaults.map(|c| c.service), Some(None));
    }

    #[test]
    fn every_mistake_is_refused_with_a_code() {
        assert_eq!(code("host=h port=1 region=us-east-1"), BAD_ARGUMENT);
        assert_eq!(code(&format!("{GOOD} nope=1")), BAD_ARGUMENT);
        assert_eq!(code(&format!("{GOOD} use_first_pass")), BAD_ARGUMENT);
        assert_eq!(code(&format!("{GOOD} port=5433")), BAD_ARGUMENT);
        assert_eq!(code(&format!("{GOOD} log=relative.log")), BAD_ARGUMENT);
        assert_eq!(
            code("keys=k.json host=h port=1 region=us-east-1"),
            BAD_ARGUMENT
        );
        for port in ["0", "65536", "+5432", "54x", "", "-1"] {
            let line = format!("keys=/k host=h port={port} region=us-east-1");
            assert_eq!(code(&line), "INVALID_PORT", "{port}");
        }
        assert_eq!(
            code("keys=/k host=a/b port=1 region=us-east-1"),
            "INVALID_HOST"
        );
        assert_eq!(code("keys=/k host=h port=1 region=US"), "INVALID_REGION");
        assert_eq!(code(&format!("{GOOD} skew=86401")), "INVALID_TIME");
        assert_eq!(code(&format!("{GOOD} skew=-5")), "INVALID_TIME");
        assert_eq!(code(&format!("{GOOD} service=RDS")), "INVALID_SERVICE");
        assert_eq!(code(&format!("{GOOD} action=connect")), "INVALID_ACTION");
        assert_eq!(code(&format!("{GOOD} action=")), "INVALID_ACTION");
        assert_eq!(
            parse(&[b"keys=/\xff"]).err().map(|e| e.code),
            Some(BAD_ARGUMENT)
        );
    }

    #[test]
    fn the_line_is_judged_by_the_core_verify() {
        // The same code and message as the core's verify gives for these expectations.
        let host = Expectations {
            host: Some("a/b"),
            ..Expectations::default()
        };
        let core = iamauth::verify("", |_| None, &host, 0).err();
        assert_eq!(host.check().err(), core);
        let line = run("keys=/k host=a/b port=1 region=us-east-1").err();
        assert_eq!(
            line.map(|e| e.message),
            core.map(|e| e.message().to_owned())
        );
        let port = run("keys=/k host=h port=0 region=us-east-1").err();
        assert_eq!(
            port.map(|e| e.message),
            Some("port: must be an integer from 1 to 65535".to_owned())
        );
    }

    #[test]
    fn messages_escape_what_they_quote() {
        let e = run("bad\u{1b}[31m=1").err().map(|e| e.message);
        assert_eq!(
            e.as_deref(),
            Some(
                "unknown argument bad\\x1b[31m= (known: keys host port region skew log service action)"
            )
        );
    }

    #[test]
    fn log_path_is_found_even_when_the_rest_is_wrong() {
        let words: [&[u8]; 3] = [b"log=/tmp/a.log", b"bogus", b"log=rel"];
        assert_eq!(log_path(&words), Some(PathBuf::from("/tmp/a.log")));
        assert_eq!(log_path(&[b"log=rel"]), None);
    }
}
