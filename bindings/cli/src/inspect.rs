//! `iamauth inspect`: reads a token (argument or stdin; any kind, EKS and MSK tokens decoded by
//! core first) and says what it grants and until when.

use crate::args::{self, Field, JSON, Matches, NOW, Parsed, Spec};
use crate::fail::Failure;
use crate::report;
use iamauth::ErrorCode;
use std::ffi::OsString;
use std::io::Read;

/// `iamauth inspect`.
static INSPECT: Spec = Spec {
    command: "inspect",
    values: &[&NOW],
    switches: &[&JSON],
    positional: Some(Field::Token),
};

/// The token from standard input, for `-` or no argument (keeps it out of `ps` and history).
fn read_stdin() -> Result<String, Failure> {
    let mut raw = Vec::new();
    std::io::stdin().lock().read_to_end(&mut raw).map_err(|_| {
        Failure::new(
            ErrorCode::MalformedToken,
            "token: could not read standard input",
        )
    })?;
    String::from_utf8(raw).map_err(|_| Field::Token.rule())
}

/// The token: the positional argument, or standard input for `-` or none. A token piped from a
/// file or `echo` ends with a newline that is not part of it: the caller trims it.
pub(crate) fn token(m: &Matches) -> Result<String, Failure> {
    match m.positional() {
        Some(token) if token != "-" => Ok(token.to_owned()),
        _ => read_stdin(),
    }
}

/// `iamauth inspect [TOKEN | -] [--now T] [--json]`.
pub(crate) fn run(args: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    let Parsed::Args(m) = args::parse(&INSPECT, args)? else {
        return Ok(args::help(&INSPECT));
    };
    let now = m.time(&NOW)?;
    let text = token(&m)?;
    // EKS and MSK tokens are base64 of a presigned URL: core decodes them first.
    let text = iamauth::decode_token(text.trim());
    let info = iamauth::inspect(&text)?;
    if m.switch(&JSON) {
        Ok(report::inspect_json(&info, now)? + "\n")
    } else {
        report::human(&info, now)
    }
}
