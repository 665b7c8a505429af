//! `iamauth verify`: checks a token the way the database's side does, with the signers' keys
//! from a keys file, and says who signed it and what it grants. Every check is core's
//! ([`iamauth::verify`]); this only reads the arguments, the keys file and the token.

use crate::args::{self, Field, Parsed, Spec, Switch, ValueFlag};
use crate::fail::Failure;
use crate::inspect::read_stdin;
use crate::report;
use iamauth::{ErrorCode, Expectations, KeyFile};
use std::ffi::OsString;
use std::io::Read;

/// `--keys`: the keys file (JSON: access key id -> secret and optional session token).
static KEYS: ValueFlag = ValueFlag {
    names: &["--keys"],
    field: Field::Keys,
};
/// `--host` (`--hostname` as the token commands accept it).
static HOST: ValueFlag = ValueFlag {
    names: &["--host", "--hostname"],
    field: Field::Host,
};
/// `--port`.
static PORT: ValueFlag = ValueFlag {
    names: &["--port"],
    field: Field::Port,
};
/// `--user` (`--username` as the token commands accept it).
static USER: ValueFlag = ValueFlag {
    names: &["--user", "--username"],
    field: Field::User,
};
/// `--region`.
static REGION: ValueFlag = ValueFlag {
    names: &["--region"],
    field: Field::Region,
};
/// `--service`: the signing service the token must be for (default `rds-db`).
static SERVICE: ValueFlag = ValueFlag {
    names: &["--service"],
    field: Field::SigningService,
};
/// `--now`: the instant the token is checked at.
static NOW: ValueFlag = ValueFlag {
    names: &["--now"],
    field: Field::Time,
};
/// `--skew`: seconds a token may be signed in the future of `--now`.
static SKEW: ValueFlag = ValueFlag {
    names: &["--skew"],
    field: Field::Skew,
};
/// `--json`.
static JSON: Switch = Switch { names: &["--json"] };

/// `iamauth verify`.
static VERIFY: Spec = Spec {
    command: "verify",
    values: &[&KEYS, &HOST, &PORT, &USER, &REGION, &SERVICE, &NOW, &SKEW],
    switches: &[&JSON],
    positional: Some(Field::Token),
};

/// The keys file's text as core parses it. Any failure to read it is one message that names
/// neither the path nor anything in the file; the raw bytes are overwritten once parsed.
fn read_keys(path: &str) -> Result<KeyFile, Failure> {
    let unreadable = || Failure::new(ErrorCode::InvalidCredentials, "keys file: cannot be read");
    let mut file = std::fs::File::open(path).map_err(|_| unreadable())?;
    let size = file
        .metadata()
        .ok()
        .and_then(|m| usize::try_from(m.len()).ok())
        .unwrap_or(0);
    let mut raw = Vec::with_capacity(size.saturating_add(1));
    let read = file.read_to_end(&mut raw);
    let parsed = match (read, std::str::from_utf8(&raw)) {
        (Err(_), _) => Err(unreadable()),
        (Ok(_), Err(_)) => Err(Failure::new(
            ErrorCode::InvalidCredentials,
            "keys file: must be UTF-8 text",
        )),
        (Ok(_), Ok(text)) => KeyFile::parse(text).map_err(Failure::from),
    };
    // The file holds secrets: do not leave them in freed memory (best effort, without unsafe).
    raw.fill(0);
    std::hint::black_box(&raw);
    parsed
}

/// `iamauth verify [TOKEN | -] --keys FILE [--host H] [--port P] [--user U] [--region R]
/// [--service S] [--now T] [--skew S] [--json]`.
pub(crate) fn run(args: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    let Parsed::Args(m) = args::parse(&VERIFY, args)? else {
        return Ok(args::help(&VERIFY));
    };
    let keys_path = m.required(&KEYS)?;
    // The expectations next, each by core's own rule, so a mistyped flag is reported as such
    // rather than as a token that does not match it.
    let host = m.value(&HOST);
    if let Some(host) = host {
        iamauth::check_host(host)?;
    }
    let port = m.int(&PORT)?.map(iamauth::check_port).transpose()?;
    let user = m.value(&USER);
    if let Some(user) = user {
        iamauth::check_user(user)?;
    }
    let region = m.value(&REGION);
    if let Some(region) = region {
        iamauth::check_region(region)?;
    }
    // The default service is core's (an expectation is a rule too).
    let service = m.value(&SERVICE).unwrap_or(iamauth::DEFAULT_SERVICE);
    iamauth::check_service(service)?;
    let skew = match m.int(&SKEW)? {
        Some(skew) => iamauth::check_skew(skew)?,
        None => iamauth::DEFAULT_SKEW,
    };
    let now = match m.value(&NOW) {
        Some(t) => iamauth::parse_time(t)?,
        None => iamauth::now(),
    };
    let keys = read_keys(keys_path)?;
    let text = match m.positional() {
        Some(token) if token != "-" => token.to_owned(),
        _ => read_stdin()?,
    };
    let expect = Expectations {
        host,
        port,
        user,
        region,
        service: Some(service),
        skew,
    };
    // A token piped from a file or `echo` ends with a newline that is not part of it.
    let who = iamauth::verify(text.trim(), |akid| keys.get(akid), &expect, now)?;
    if m.switch(&JSON) {
        Ok(report::verified_json(&who) + "\n")
    } else {
        Ok(report::verified_human(&who))
    }
}
