//! `iamauth verify`: checks a token the way the database's side does, with the signers' keys
//! from a keys file, and says who signed it and what it grants. Every check is core's
//! ([`iamauth::verify`]); this only reads the arguments, the keys file and the token.

use crate::args::{self, Field, HOST, JSON, NOW, PORT, Parsed, REGION, Spec, USER, ValueFlag};
use crate::fail::Failure;
use crate::inspect;
use crate::report;
use iamauth::{Expectations, KeyFile};
use std::ffi::OsString;

/// `--keys`: the keys file (JSON: access key id -> secret, optional session token, optional
/// `users` / `hosts` grants).
static KEYS: ValueFlag = ValueFlag::new(&["--keys"], Field::Keys);
/// `--action`: the action the token must carry (`DbConnect` / `DbConnectAdmin`, DSQL).
static ACTION: ValueFlag = ValueFlag::new(&["--action"], Field::Action);
/// `--service`: the signing service the token must be for (core's default when not given).
static SERVICE: ValueFlag = ValueFlag::new(&["--service"], Field::SigningService);
/// `--skew`: seconds a token may be signed in the future of `--now`.
static SKEW: ValueFlag = ValueFlag::new(&["--skew"], Field::Skew);
/// `--cluster`: the EKS cluster the token must be for (needed for EKS tokens).
static CLUSTER: ValueFlag = ValueFlag::new(&["--cluster", "--cluster-name"], Field::Cluster);

/// `iamauth verify`.
static VERIFY: Spec = Spec {
    command: "verify",
    values: &[
        &KEYS, &HOST, &PORT, &USER, &ACTION, &REGION, &SERVICE, &NOW, &SKEW, &CLUSTER,
    ],
    switches: &[&JSON],
    positional: Some(Field::Token),
};

/// The keys file's text as core parses it, read through core's safe opener (no link, FIFO,
/// device, file of another user, file others can write or read, or file over the size limit:
/// `INSECURE_KEYS_FILE` naming the rule). Any other failure to read it is one message that names
/// neither the path nor anything in the file; the text is wiped once parsed.
fn read_keys(path: &str) -> Result<KeyFile, Failure> {
    let text = iamauth::read_keys_file(std::path::Path::new(path))
        .map_err(|e| Failure::from(e.error()))?;
    KeyFile::parse(&text).map_err(Failure::from)
}

/// `iamauth verify [TOKEN | -] --keys FILE [--host H] [--port P] [--user U] [--action A]
/// [--region R] [--service S] [--now T] [--skew S] [--cluster NAME] [--json]`.
pub(crate) fn run(args: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    let Parsed::Args(m) = args::parse(&VERIFY, args)? else {
        return Ok(args::help(&VERIFY));
    };
    let keys_path = m.required(&KEYS)?;
    // The expectations go to core as given: its verify checks each by the signing rules before
    // anything else, and fills in the defaults (service, skew). A port must fit a `u16` to be
    // passed at all; one that does not breaks core's port rule.
    let port = m
        .int(&PORT)?
        .map(|p| u16::try_from(p).map_err(|_| PORT.field.rule()))
        .transpose()?;
    let expect = Expectations {
        host: m.value(&HOST),
        port,
        user: m.value(&USER),
        action: m.value(&ACTION),
        region: m.value(&REGION),
        service: m.value(&SERVICE),
        skew: m.int(&SKEW)?.unwrap_or(Expectations::default().skew),
        cluster: m.value(&CLUSTER),
    };
    let now = m.time(&NOW)?;
    let keys = read_keys(keys_path)?;
    let text = inspect::token(&m)?;
    // A token piped from a file or `echo` ends with a newline that is not part of it.
    // EKS and MSK tokens are base64 of a presigned URL: core decodes them first.
    let text = iamauth::decode_token(text.trim());
    let who = iamauth::verify(&text, |akid| keys.get(akid), &expect, now)?;
    if m.switch(&JSON) {
        Ok(report::verified_json(&who) + "\n")
    } else {
        Ok(report::verified_human(&who))
    }
}
