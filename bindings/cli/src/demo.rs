//! `iamauth demo`: one RDS token made step by step from AWS's documented example
//! credentials at a fixed time, so the output is the same on every machine and in every
//! language. It reads no environment variable.

use crate::args::{self, Parsed, Spec};
use crate::fail::Failure;
use crate::report;
use iamauth::{Credentials, RdsTokenRequest, Signer};
use std::ffi::OsString;
use std::fmt::Write as _;

/// AWS's documented example access key id.
const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
/// AWS's documented example secret key: used to sign, never printed.
const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// An example endpoint in AWS's documentation account.
const HOST: &str = "mydb.123456789012.us-east-1.rds.amazonaws.com";
/// PostgreSQL's port.
const PORT: i64 = 5432;
/// The database user.
const USER: &str = "iam_user";
/// The region.
const REGION: &str = "us-east-1";
/// The fixed signing time.
const TIME: &str = "2024-01-02T03:04:05Z";
/// How long after signing the demo inspects its token, so that it shows as valid.
const INSPECT_AFTER: i64 = 60;

/// `iamauth demo`: no flags.
static DEMO: Spec = Spec {
    command: "demo",
    values: &[],
    switches: &[],
    positional: None,
};

/// `iamauth demo`.
pub(crate) fn run(args: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    if let Parsed::Help = args::parse(&DEMO, args)? {
        return Ok(args::help(&DEMO));
    }
    let time = iamauth::parse_time(TIME)?;
    let creds = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None)?;
    let request = RdsTokenRequest::new(HOST, PORT, USER, REGION, time);
    // A fresh signer: the steps are recorded, and no key cache outlives the demo.
    let signed = Signer::new().token_with_steps(&request, &creds)?;
    let info = iamauth::inspect(&signed.presigned)?;
    let report = report::human(&info, time + INSPECT_AFTER)?;

    let mut out = String::new();
    let _ = write!(
        out,
        "iamauth demo: an RDS IAM authentication token, step by step\n\
         \n\
         Inputs (AWS's documented example credentials; the environment is not read)\n\
         access key id:  {ACCESS_KEY_ID}\n\
         secret key:     <example secret, redacted>\n\
         session token:  none\n\
         host:           {HOST}\n\
         port:           {PORT}\n\
         user:           {USER}\n\
         region:         {REGION}\n\
         signing time:   {TIME}\n\
         expires in:     {} s\n\
         \n\
         Step 1: canonical request\n\
         {}\n\
         \n\
         Step 2: string to sign\n\
         {}\n\
         \n\
         Step 3: signature (HMAC-SHA256 of step 2, keyed by the secret key, date, region and service)\n\
         {}\n\
         \n\
         Step 4: token\n\
         {}\n\
         \n\
         The token, inspected {INSPECT_AFTER} s after signing\n\
         {report}",
        request.expires_in,
        signed.canonical_request,
        signed.string_to_sign,
        signed.signature,
        signed.presigned,
    );
    Ok(out)
}
