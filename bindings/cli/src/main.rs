//! `iamauth`, the shell binding of the iamauth core: tokens for RDS / Aurora, Aurora DSQL
//! and ElastiCache / MemoryDB, `inspect` to read one back, `verify` to check one with the
//! signers' keys, and `demo` to show the SigV4 steps.
//!
//! The command only reads arguments, the environment and (verify) a keys file, fills in "now"
//! and prints; every rule, encoding and layout is core's. Success: exit 0, output on stdout.
//! Any error: exit 2, nothing on stdout, one `error: CODE: message` line on stderr.

mod args;
mod demo;
mod env;
mod fail;
mod generate;
mod inspect;
mod json;
mod report;
mod usage;
mod verify;

use fail::Failure;
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

/// The exit status of every failure.
const FAILURE: u8 = 2;

/// Runs a command and returns everything it prints on success (output is written only once
/// the command has fully succeeded, so a failure never leaves half an output on stdout).
fn run(command: OsString, rest: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    match command.to_str() {
        Some("rds") => generate::rds(rest),
        Some("dsql") => generate::dsql(rest),
        Some("elasticache") => generate::elasticache(rest),
        Some("inspect") => inspect::run(rest),
        Some("verify") => verify::run(rest),
        Some("demo") => demo::run(rest),
        Some("--help" | "-h" | "help") => Ok(usage::TEXT.to_owned()),
        Some("--version") => Ok(format!("iamauth {}\n", iamauth::VERSION)),
        // Not echoed: a mistyped command line may start with a token.
        _ => Err(Failure::usage(
            "unknown command; expected rds, dsql, elasticache, inspect, verify or demo (see iamauth --help)",
        )),
    }
}

/// Writes the failure line to stderr; ignores a closed stderr, since nothing else can be done.
fn fail(failure: &Failure, then: &str) -> ExitCode {
    let _ = write!(std::io::stderr().lock(), "{}\n{then}", failure.line());
    ExitCode::from(FAILURE)
}

fn main() -> ExitCode {
    let mut argv = std::env::args_os().skip(1);
    let Some(command) = argv.next() else {
        let failure = Failure::usage("no command given");
        return fail(&failure, &format!("\n{}", usage::TEXT));
    };
    match run(command, argv) {
        Ok(output) => {
            // `write_all`, not `print!`: a closed pipe (`iamauth demo | head -1`) must be an
            // error status, not a panic.
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(output.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => fail(&Failure::io("could not write to standard output"), ""),
            }
        }
        Err(failure) => fail(&failure, ""),
    }
}
