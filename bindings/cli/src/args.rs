//! A small argument parser whose every failure is ours to word: `--flag value` and
//! `--flag=value`, switches, at most one positional, `--` to end the flags.

use crate::fail::{Failure, rule_of};
use crate::usage;
use iamauth::{CacheService, DsqlAction, ErrorCode, StsEndpoint};
use std::ffi::{OsStr, OsString};

/// What a value belongs to: a missing or unreadable value reports this field's code.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Field {
    /// A database or cluster endpoint (`INVALID_HOST`).
    Host,
    /// A cache name, which follows the host rule (`INVALID_HOST`).
    Name,
    /// A port (`INVALID_PORT`).
    Port,
    /// A database or cache user (`INVALID_USER`).
    User,
    /// The action a verified token must carry: `DbConnect` or `DbConnectAdmin` (`INVALID_ACTION`).
    Action,
    /// A region (`INVALID_REGION`).
    Region,
    /// An expiry in seconds, with the core's limit for this kind of token (`INVALID_EXPIRY`).
    Expiry(i64),
    /// A time: `--time` or `--now` (`INVALID_TIME`).
    Time,
    /// A cache signing service (`INVALID_SERVICE`).
    Service,
    /// A token to inspect or verify (`MALFORMED_TOKEN`).
    Token,
    /// Any signing service name, as `verify` expects it (`INVALID_SERVICE`, core's service rule).
    SigningService,
    /// A verifier's allowed clock skew in seconds (`INVALID_TIME`).
    Skew,
    /// The path of a verifier's keys file (`INVALID_CREDENTIALS`).
    Keys,
    /// An AWS profile name, as the AWS CLI's `--profile` (`INVALID_CREDENTIALS`).
    Profile,
    /// An EKS cluster name (`INVALID_CLUSTER`).
    Cluster,
    /// The STS endpoint of an EKS token: `regional` or `global` (`INVALID_REQUEST`).
    StsEndpoint,
    /// The User-Agent of an MSK token (`INVALID_USER_AGENT`).
    UserAgent,
}

impl Field {
    /// The field's core code.
    pub(crate) fn code(self) -> ErrorCode {
        match self {
            Field::Host | Field::Name => ErrorCode::InvalidHost,
            Field::Port => ErrorCode::InvalidPort,
            Field::User => ErrorCode::InvalidUser,
            Field::Action => ErrorCode::InvalidAction,
            Field::Region => ErrorCode::InvalidRegion,
            Field::Expiry(_) => ErrorCode::InvalidExpiry,
            Field::Time => ErrorCode::InvalidTime,
            Field::Service | Field::SigningService => ErrorCode::InvalidService,
            Field::Token => ErrorCode::MalformedToken,
            Field::Skew => ErrorCode::InvalidTime,
            Field::Keys | Field::Profile => ErrorCode::InvalidCredentials,
            Field::Cluster => ErrorCode::InvalidCluster,
            Field::StsEndpoint => ErrorCode::InvalidRequest,
            Field::UserAgent => ErrorCode::InvalidUserAgent,
        }
    }

    /// The field's name as messages start with it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Field::Host => "host",
            Field::Name => "name",
            Field::Port => "port",
            Field::User => "user",
            Field::Action => "action",
            Field::Region => "region",
            Field::Expiry(_) => "expires_in",
            Field::Time => "time",
            Field::Service | Field::SigningService => "service",
            Field::Token => "token",
            Field::Skew => "skew",
            Field::Keys => "keys file",
            Field::Profile => "profile",
            Field::Cluster => "cluster",
            Field::StsEndpoint => "sts_endpoint",
            Field::UserAgent => "user_agent",
        }
    }

    /// The placeholder for the field's value in messages and usage (`--keys FILE`).
    pub(crate) fn meta(self) -> &'static str {
        match self {
            Field::Host => "HOST",
            Field::Name | Field::Profile => "NAME",
            Field::Port => "PORT",
            Field::User => "USER",
            Field::Action => "ACTION",
            Field::Region => "REGION",
            Field::Expiry(_) | Field::Skew => "SECONDS",
            Field::Time => "TIME",
            Field::Service | Field::SigningService => "SERVICE",
            Field::Token => "TOKEN",
            Field::Keys => "FILE",
            Field::Cluster => "NAME",
            Field::StsEndpoint => "regional|global",
            Field::UserAgent => "UA",
        }
    }

    /// The core's rule for this field, for a value the command cannot even read (not UTF-8,
    /// not an integer): asked of core with a value it refuses, so the text lives in core only.
    pub(crate) fn rule(self) -> Failure {
        let (code, label) = (self.code(), self.label());
        match self {
            Field::Host | Field::Name => rule_of(iamauth::check_host(""), code, label),
            Field::Port => rule_of(iamauth::check_port(0), code, label),
            Field::User => rule_of(iamauth::check_user(""), code, label),
            Field::Action => rule_of(DsqlAction::parse(""), code, label),
            Field::Region => rule_of(iamauth::check_region(""), code, label),
            Field::Expiry(max) => rule_of(iamauth::check_expiry(0, max), code, label),
            Field::Time => rule_of(iamauth::parse_time(""), code, label),
            Field::Service => rule_of(CacheService::parse(""), code, label),
            Field::Token => rule_of(iamauth::inspect(""), code, label),
            Field::SigningService => rule_of(iamauth::check_service(""), code, label),
            Field::Skew => rule_of(iamauth::check_skew(-1), code, label),
            // No core rule is about paths: a path that is not UTF-8 is one we cannot read.
            Field::Keys => Failure::new(code, "keys file: cannot be read"),
            // No core rule is about profile names either.
            Field::Profile => Failure::new(code, "profile: the name is not UTF-8 text"),
            Field::Cluster => rule_of(iamauth::check_cluster(""), code, label),
            Field::StsEndpoint => rule_of(StsEndpoint::parse(""), code, label),
            Field::UserAgent => rule_of(iamauth::check_user_agent(""), code, label),
        }
    }
}

/// A flag that takes a value.
#[derive(Debug)]
pub(crate) struct ValueFlag {
    /// Its spellings; the first is the one messages use.
    pub(crate) names: &'static [&'static str],
    /// The field its value is.
    pub(crate) field: Field,
}

impl ValueFlag {
    /// A flag with these spellings whose value is `field`.
    pub(crate) const fn new(names: &'static [&'static str], field: Field) -> ValueFlag {
        ValueFlag { names, field }
    }
}

/// A flag that is present or not.
#[derive(Debug)]
pub(crate) struct Switch {
    /// Its spellings; the first is the one messages use.
    pub(crate) names: &'static [&'static str],
}

/// The spelling messages use.
fn first(names: &'static [&'static str]) -> &'static str {
    names.first().copied().unwrap_or("--?")
}

// The flags more than one command takes, defined once so that they are spelled the same.

/// `--host` (`--hostname` as in `aws rds generate-db-auth-token` and `aws dsql ...`).
pub(crate) static HOST: ValueFlag = ValueFlag::new(&["--host", "--hostname"], Field::Host);
/// `--port`.
pub(crate) static PORT: ValueFlag = ValueFlag::new(&["--port"], Field::Port);
/// `--user` (`--username` as in `aws rds generate-db-auth-token`).
pub(crate) static USER: ValueFlag = ValueFlag::new(&["--user", "--username"], Field::User);
/// `--region`.
pub(crate) static REGION: ValueFlag = ValueFlag::new(&["--region"], Field::Region);
/// `--now`: the instant a token is read or checked at (`inspect`, `verify`).
pub(crate) static NOW: ValueFlag = ValueFlag::new(&["--now"], Field::Time);
/// `--profile`: the AWS profile credentials (and a region) are read from.
pub(crate) static PROFILE: ValueFlag = ValueFlag::new(&["--profile"], Field::Profile);
/// `--json`.
pub(crate) static JSON: Switch = Switch { names: &["--json"] };

/// What a command accepts.
#[derive(Debug)]
pub(crate) struct Spec {
    /// The command's name (`rds`), for messages and its help.
    pub(crate) command: &'static str,
    /// Its flags that take a value.
    pub(crate) values: &'static [&'static ValueFlag],
    /// Its switches.
    pub(crate) switches: &'static [&'static Switch],
    /// The field of its one positional argument, if it takes one.
    pub(crate) positional: Option<Field>,
}

/// The outcome of parsing: a request for help, or the arguments.
#[derive(Debug)]
pub(crate) enum Parsed {
    /// `--help` or `-h` was given: print the usage and nothing else.
    Help,
    /// The arguments, read but not yet checked beyond UTF-8.
    Args(Matches),
}

/// The flags given (each at most once) and the positional argument.
#[derive(Debug, Default)]
pub(crate) struct Matches {
    /// Each value flag given, with its value.
    values: Vec<(&'static ValueFlag, String)>,
    /// Each switch given.
    switches: Vec<&'static Switch>,
    /// The positional argument, if any.
    positional: Option<String>,
}

impl Matches {
    /// Whether a switch was given.
    pub(crate) fn switch(&self, switch: &Switch) -> bool {
        let name = first(switch.names);
        self.switches.iter().any(|s| first(s.names) == name)
    }

    /// A value, if the flag was given.
    pub(crate) fn value(&self, flag: &ValueFlag) -> Option<&str> {
        let name = first(flag.names);
        self.values
            .iter()
            .find(|(f, _)| first(f.names) == name)
            .map(|(_, v)| v.as_str())
    }

    /// A value that must be given: a missing flag is a usage mistake (the command's synopsis
    /// follows it), not a bad value of the field.
    pub(crate) fn required(&self, flag: &ValueFlag) -> Result<&str, Failure> {
        self.value(flag).ok_or_else(|| {
            Failure::usage(format!(
                "{} {} is required",
                first(flag.names),
                flag.field.meta()
            ))
        })
    }

    /// An integer value, if given (see [`integer`]).
    pub(crate) fn int(&self, flag: &ValueFlag) -> Result<Option<i64>, Failure> {
        self.value(flag).map(|s| integer(s, flag.field)).transpose()
    }

    /// An integer value that must be given.
    pub(crate) fn required_int(&self, flag: &ValueFlag) -> Result<i64, Failure> {
        integer(self.required(flag)?, flag.field)
    }

    /// A time flag's value as core reads it, or now when it is not given.
    pub(crate) fn time(&self, flag: &ValueFlag) -> Result<i64, Failure> {
        Ok(match self.value(flag) {
            Some(t) => iamauth::parse_time(t)?,
            None => iamauth::now(),
        })
    }

    /// The positional argument, if given.
    pub(crate) fn positional(&self) -> Option<&str> {
        self.positional.as_deref()
    }
}

/// Anything `i64` cannot read gets the field's core rule; range checks are core's, so the
/// number goes on unchanged.
fn integer(s: &str, field: Field) -> Result<i64, Failure> {
    s.parse::<i64>().map_err(|_| field.rule())
}

/// The command's own help (`iamauth rds --help`).
pub(crate) fn help(spec: &Spec) -> String {
    usage::command(spec.command).unwrap_or_else(usage::general)
}

/// Reads a command's arguments (those after the command name). After a flag that takes a
/// value, the next argument is always its value, even if it starts with `-`.
pub(crate) fn parse(
    spec: &Spec,
    args: impl IntoIterator<Item = OsString>,
) -> Result<Parsed, Failure> {
    let mut matches = Matches::default();
    let mut args = args.into_iter();
    let mut flags_ended = false;
    while let Some(arg) = args.next() {
        let bytes = arg.as_encoded_bytes();
        let is_flag = !flags_ended && bytes.len() > 1 && bytes.first() == Some(&b'-');
        if !is_flag {
            add_positional(spec, &mut matches, &arg)?;
            continue;
        }
        if bytes == b"--" {
            flags_ended = true;
            continue;
        }
        // `--name=value`: the name is everything before the first `=`.
        let (name, inline) = match bytes.iter().position(|&b| b == b'=') {
            Some(i) => match bytes.split_at_checked(i) {
                Some((name, rest)) => (name, Some(rest.get(1..).unwrap_or_default())),
                None => (bytes, None),
            },
            None => (bytes, None),
        };
        let Ok(name) = std::str::from_utf8(name) else {
            return Err(Failure::usage(format!(
                "unknown flag (not UTF-8; see iamauth {} --help)",
                spec.command
            )));
        };
        if matches!(name, "--help" | "-h") && inline.is_none() {
            return Ok(Parsed::Help);
        }
        if let Some(switch) = spec
            .switches
            .iter()
            .copied()
            .find(|f| f.names.contains(&name))
        {
            if matches.switch(switch) {
                return Err(twice(switch.names));
            }
            if inline.is_some() {
                return Err(Failure::usage(format!(
                    "{} takes no value",
                    first(switch.names)
                )));
            }
            matches.switches.push(switch);
            continue;
        }
        let Some(flag) = spec
            .values
            .iter()
            .copied()
            .find(|f| f.names.contains(&name))
        else {
            return Err(Failure::usage(format!(
                "unknown flag {} (see iamauth {} --help)",
                name.escape_debug(),
                spec.command
            )));
        };
        if matches.value(flag).is_some() {
            return Err(twice(flag.names));
        }
        let field = flag.field;
        let value = match inline {
            Some(raw) => text(raw, field)?,
            None => match args.next() {
                Some(next) => text(next.as_encoded_bytes(), field)?,
                None => {
                    return Err(Failure::new(
                        field.code(),
                        format!("{}: {} needs a value", field.label(), first(flag.names)),
                    ));
                }
            },
        };
        matches.values.push((flag, value));
    }
    Ok(Parsed::Args(matches))
}

/// A flag given twice (under any of its spellings).
fn twice(names: &'static [&'static str]) -> Failure {
    Failure::usage(format!("{} is given twice", first(names)))
}

/// Keeps the one positional argument the command takes; anything else is a usage mistake.
fn add_positional(spec: &Spec, matches: &mut Matches, arg: &OsStr) -> Result<(), Failure> {
    // The value is never echoed: a stray argument may well be a token or a secret.
    match spec.positional {
        Some(field) if matches.positional.is_none() => {
            matches.positional = Some(text(arg.as_encoded_bytes(), field)?);
            Ok(())
        }
        Some(_) => Err(Failure::usage(format!(
            "more than one argument (see iamauth {} --help)",
            spec.command
        ))),
        None => Err(Failure::usage(format!(
            "unexpected argument (see iamauth {} --help)",
            spec.command
        ))),
    }
}

/// A value as UTF-8 text; otherwise the field's rule. (`OsStr`'s encoded bytes are UTF-8
/// wherever the string is, so checking them is exact on every platform.)
fn text(raw: &[u8], field: Field) -> Result<String, Failure> {
    std::str::from_utf8(raw)
        .map(str::to_owned)
        .map_err(|_| field.rule())
}
