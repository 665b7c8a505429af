//! `iamauth`, the shell binding of the iamauth core: tokens for RDS / Aurora, Aurora DSQL,
//! ElastiCache / MemoryDB, Amazon EKS (kubectl's exec plugin) and Amazon MSK (Kafka), `credentials` to say which credentials they would sign with,
//! `inspect` to read a token back, `verify` to check one with the signers' keys, and `demo` to
//! show the SigV4 steps.
//!
//! The command only reads arguments, credentials where the AWS CLI finds them (through
//! `iamauth-credentials`), the region and (verify) a keys file, fills in "now" and prints; every
//! rule, encoding and layout is core's. Success: exit 0, output on stdout.
//! Any error: exit 2, nothing on stdout, one `error: CODE: message` line on stderr (for a
//! usage mistake in a command, followed by that command's synopsis).

mod args;
mod credentials;
mod demo;
mod env;
mod fail;
mod generate;
mod inspect;
mod json;
mod kube;
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
fn run(command: &str, rest: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    match command {
        "rds" => generate::rds(rest),
        "dsql" => generate::dsql(rest),
        "elasticache" => generate::elasticache(rest),
        "eks" => generate::eks(rest),
        "msk" => generate::msk(rest),
        "credentials" => credentials::run(rest),
        "inspect" => inspect::run(rest),
        "verify" => verify::run(rest),
        "demo" => demo::run(rest),
        "--help" | "-h" | "help" => help(rest),
        "--version" => Ok(format!("iamauth {}\n", iamauth::VERSION)),
        // Not echoed: a mistyped command line may start with a token.
        _ => Err(Failure::usage(
            "unknown command; expected rds, dsql, elasticache, eks, msk, credentials, inspect, verify or demo (see iamauth --help)",
        )),
    }
}

/// `iamauth help [COMMAND]`: the general usage, or one command's.
fn help(rest: impl IntoIterator<Item = OsString>) -> Result<String, Failure> {
    let mut rest = rest.into_iter();
    let topic = match (rest.next(), rest.next()) {
        (None, _) => return Ok(usage::general()),
        (Some(topic), None) => topic,
        (Some(_), Some(_)) => {
            return Err(Failure::usage(
                "help takes one command (see iamauth --help)",
            ));
        }
    };
    // Not echoed, like an unknown command.
    topic.to_str().and_then(usage::command).ok_or_else(|| {
        Failure::usage(
            "no help for that; expected rds, dsql, elasticache, eks, msk, credentials, inspect, verify or demo (see iamauth --help)",
        )
    })
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
        return fail(&failure, &format!("\n{}", usage::general()));
    };
    let command = command.to_str().unwrap_or_default();
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
        // A command-line mistake in a command: its synopsis follows, as it would on paper.
        Err(failure) if failure.is_usage() => {
            let then = usage::after_mistake(command).unwrap_or_default();
            fail(&failure, &then)
        }
        Err(failure) => fail(&failure, ""),
    }
}
