//! `credential_process`: a profile's command whose standard output is the credentials, as
//! botocore's `ProcessProvider` runs it, with bounds botocore does not have.
//!
//! - The command is split into words as Python's `shlex.split` does (POSIX rules: quotes,
//!   backslashes, no shell, no variables, no globbing) and run directly, on every platform
//!   (botocore passes the string whole to `CreateProcess` on Windows; we do not).
//! - stdin is null, stdout and stderr are piped (read by two threads, so neither can fill up
//!   and stall the other), the environment is inherited.
//! - At most [`TIMEOUT`] (then the process is killed and reaped; a process it started itself
//!   is not ours to kill and keeps running), at most [`MAX_STDOUT`] bytes of output (more:
//!   killed), the first [`MAX_STDERR_KEPT`] bytes of stderr kept for the message.
//! - The output is `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...,
//!   "SessionToken": ..., "Expiration": ...}` (the last two optional).
//!
//! Messages name the program, its exit status and the first line of its stderr, never its
//! output (which holds secrets).

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::found::AwsCredentials;
use crate::settings::Settings;

/// How long the process may run before it is killed.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(60);

/// The most output read from the process (more: it is killed, and nothing is used).
pub(crate) const MAX_STDOUT: usize = 1024 * 1024;

/// How much of stderr is kept for the error message (the rest is read and dropped).
pub(crate) const MAX_STDERR_KEPT: usize = 1024;

/// The longest stderr line put in a message, in characters.
const MAX_STDERR_SHOWN: usize = 200;

/// How often a running process is looked at.
const POLL: Duration = Duration::from_millis(5);

/// Runs the profile's `credential_process` and reads its credentials (see the module's doc).
/// `_settings` is the chain's (the process inherits this process's environment, as botocore's
/// does, whatever the settings' variables are).
pub(crate) fn run(command: &str, profile: &str, _settings: &Settings) -> Result<AwsCredentials> {
    run_with(command, profile, TIMEOUT, MAX_STDOUT)
}

/// What the stdout reader reports.
enum Output {
    /// The whole output (the pipe closed).
    Done(Zeroizing<Vec<u8>>),
    /// More than the limit.
    TooLong,
    /// Reading failed.
    Failed(std::io::Error),
}

/// [`run`] with its bounds given (the tests' short timeouts).
pub(crate) fn run_with(
    command: &str,
    profile: &str,
    timeout: Duration,
    max_out: usize,
) -> Result<AwsCredentials> {
    let what = format!("profile {profile}: credential_process");
    let fail = |why: String| Error::new(format!("{what}: {why}"));
    let words = shlex_split(command).map_err(|why| fail(why.to_owned()))?;
    let Some((program, args)) = words.split_first() else {
        return Err(fail("the command is empty".to_owned()));
    };
    let started = Instant::now();
    let deadline = started + timeout;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot start {program}: {e}")))?;
    let (out_tx, out_rx) = mpsc::channel();
    if let Some(mut stdout) = child.stdout.take() {
        thread::spawn(move || {
            let _ = out_tx.send(read_limited(&mut stdout, max_out));
        });
    }
    let (err_tx, err_rx) = mpsc::channel();
    if let Some(mut stderr) = child.stderr.take() {
        thread::spawn(move || {
            let _ = err_tx.send(read_head(&mut stderr));
        });
    }
    let mut output = None;
    let status = loop {
        if output.is_none() {
            match out_rx.try_recv() {
                Ok(Output::Done(bytes)) => output = Some(bytes),
                Ok(Output::TooLong) => {
                    stop(&mut child);
                    return Err(fail(format!(
                        "{program} wrote more than {max_out} bytes; it was killed"
                    )));
                }
                Ok(Output::Failed(e)) => {
                    stop(&mut child);
                    return Err(fail(format!("reading the output of {program}: {e}")));
                }
                Err(_) => {}
            }
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => {
                stop(&mut child);
                return Err(fail(format!("waiting for {program}: {e}")));
            }
        }
        let now = Instant::now();
        if now >= deadline {
            stop(&mut child);
            return Err(fail(format!(
                "{program} was killed after {} s without finishing",
                seconds(timeout)
            )));
        }
        thread::sleep(POLL.min(deadline - now));
    };
    let left = deadline.saturating_duration_since(Instant::now());
    if !status.success() {
        // Its stderr, if closed by now (a process it started may still hold it).
        let head = err_rx
            .recv_timeout(left.min(Duration::from_secs(1)))
            .unwrap_or_default();
        let status = match status.code() {
            Some(code) => format!("exit status {code}"),
            None => status.to_string(),
        };
        let line = first_line(&head);
        let tail = if line.is_empty() {
            String::new()
        } else {
            format!(": {line}")
        };
        return Err(fail(format!("{program} failed ({status}){tail}")));
    }
    let output = match output {
        Some(bytes) => bytes,
        // Exited; the pipe closes now, unless a process it started keeps it open.
        None => match out_rx.recv_timeout(left) {
            Ok(Output::Done(bytes)) => bytes,
            Ok(Output::TooLong) => {
                return Err(fail(format!("{program} wrote more than {max_out} bytes")));
            }
            Ok(Output::Failed(e)) => {
                return Err(fail(format!("reading the output of {program}: {e}")));
            }
            Err(_) => {
                return Err(fail(format!(
                    "{program} exited but its output was still open after {} s (a process it started holds it)",
                    seconds(timeout)
                )));
            }
        },
    };
    parse_output(&output, &what)
}

/// Whole seconds of a duration, at least 1 (for messages).
fn seconds(d: Duration) -> u64 {
    d.as_secs().max(1)
}

/// Kills the child and reaps it (no zombie left); errors are moot (it may have just exited).
fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Reads a pipe to its end, up to `max` bytes.
fn read_limited(pipe: &mut impl Read, max: usize) -> Output {
    let mut bytes = Zeroizing::new(Vec::new());
    let mut chunk = Zeroizing::new([0u8; 8192]);
    loop {
        match pipe.read(&mut chunk[..]) {
            Ok(0) => return Output::Done(bytes),
            Ok(n) => {
                if bytes.len() + n > max {
                    return Output::TooLong;
                }
                bytes.extend_from_slice(chunk.get(..n).unwrap_or_default());
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Output::Failed(e),
        }
    }
}

/// Reads a pipe to its end, keeping its first [`MAX_STDERR_KEPT`] bytes.
fn read_head(pipe: &mut impl Read) -> Vec<u8> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match pipe.read(&mut chunk) {
            Ok(0) => return head,
            Ok(n) => {
                let room = MAX_STDERR_KEPT.saturating_sub(head.len()).min(n);
                head.extend_from_slice(chunk.get(..room).unwrap_or_default());
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return head,
        }
    }
}

/// The first non-blank line of stderr for a message: control characters removed, trimmed,
/// at most [`MAX_STDERR_SHOWN`] characters.
fn first_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let clean: String = line.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim();
    match clean.char_indices().nth(MAX_STDERR_SHOWN) {
        Some((at, _)) => format!("{}...", clean.get(..at).unwrap_or_default()),
        None => clean.to_owned(),
    }
}

/// Reads the process's output as botocore's `ProcessProvider` does: a JSON object whose
/// `Version` is 1 (as Python compares it: `1`, `1.0`, and even `true`, pass), with string
/// `AccessKeyId` and `SecretAccessKey`; `SessionToken` and `Expiration` may be absent or null
/// (an empty token is none, as botocore's signer skips it). `Expiration` is ISO 8601 with a
/// zone: RFC 3339, or with a space for the `T` or `+HHMM` for the offset (what dateutil also
/// reads); a time without a zone is refused (botocore fails on it when it compares times).
fn parse_output(output: &[u8], what: &str) -> Result<AwsCredentials> {
    let fail = |why: &str| Error::new(format!("{what}: {why}"));
    let text = std::str::from_utf8(output).map_err(|_| fail("its output is not UTF-8"))?;
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        // serde_json's message may quote the input: only the position is given.
        fail(&format!(
            "its output is not JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let Some(object) = json.as_object() else {
        return Err(fail("its output is not a JSON object"));
    };
    let version_ok = match object.get("Version") {
        Some(serde_json::Value::Number(n)) => n.as_f64() == Some(1.0),
        Some(serde_json::Value::Bool(b)) => *b,
        _ => false,
    };
    if !version_ok {
        return Err(fail(match object.get("Version") {
            None => "its output has no Version (the supported version is 1)",
            Some(_) => "its output's Version is not supported (the supported version is 1)",
        }));
    }
    let string = |key: &str, required: bool| -> Result<Option<&str>> {
        match object.get(key) {
            Some(serde_json::Value::String(s)) => Ok(Some(s.as_str())),
            None if required => Err(fail(&format!("its output has no {key}"))),
            None => Ok(None),
            Some(serde_json::Value::Null) if !required => Ok(None),
            Some(_) => Err(fail(&format!("its output's {key} is not a string"))),
        }
    };
    let access_key_id = string("AccessKeyId", true)?.unwrap_or_default();
    let secret_access_key = string("SecretAccessKey", true)?.unwrap_or_default();
    let session_token = string("SessionToken", false)?.filter(|t| !t.is_empty());
    let expiration = match string("Expiration", false)? {
        Some(time) => Some(parse_expiration(time).ok_or_else(|| {
            fail("its output's Expiration is not an ISO 8601 time with a zone (2024-01-02T03:04:05Z)")
        })?),
        None => None,
    };
    AwsCredentials::new(
        access_key_id,
        secret_access_key,
        session_token,
        expiration,
        what.to_owned(),
    )
}

/// An `Expiration` as unix seconds: RFC 3339 (by the core's `parse_time`), after turning
/// `2024-01-02 03:04:05Z` into `...T...` and a `+0000` offset into `+00:00`. Unix seconds,
/// which `parse_time` also takes, are refused (dateutil does not read them as times).
fn parse_expiration(time: &str) -> Option<i64> {
    let time = time.trim();
    if time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut s = time.to_owned();
    if s.len() > 10 && s.as_bytes().get(10) == Some(&b' ') {
        s.replace_range(10..11, "T");
    }
    let bytes = s.as_bytes();
    let n = bytes.len();
    if n > 19 {
        let tail = bytes.get(n - 5..).unwrap_or_default();
        if let [b'+' | b'-', h1, h2, m1, m2] = tail {
            if [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()) {
                s.insert(n - 2, ':');
            }
        }
    }
    iamauth::parse_time(&s).ok()
}

/// Python's `shlex.split(s)` (POSIX mode, no comments): words split at space, tab, CR and
/// LF; `'...'` keeps everything; `"..."` keeps everything but `\"` and `\\`, which lose their
/// backslash; outside quotes a backslash keeps the next character whatever it is; `''` is an
/// empty word. An open quote or a final lone backslash is an error, as there.
pub(crate) fn shlex_split(s: &str) -> std::result::Result<Vec<String>, &'static str> {
    /// Where the splitter is.
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        /// Between words.
        Between,
        /// In a word, outside quotes.
        Word,
        /// In `'...'` or `"..."`.
        Quoted(char),
        /// After a backslash; then back to the state given.
        Escaped(Escape),
    }
    /// Where a backslash was.
    #[derive(Clone, Copy, PartialEq)]
    enum Escape {
        /// Outside quotes.
        Word,
        /// Inside `"..."`.
        Double,
    }
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut state = State::Between;
    for c in s.chars() {
        let space = matches!(c, ' ' | '\t' | '\r' | '\n');
        state = match state {
            State::Between | State::Word if space => {
                if state == State::Word {
                    words.push(std::mem::take(&mut word));
                    quoted = false;
                }
                State::Between
            }
            State::Between | State::Word => match c {
                '\\' => State::Escaped(Escape::Word),
                '\'' | '"' => State::Quoted(c),
                _ => {
                    word.push(c);
                    State::Word
                }
            },
            State::Quoted(q) => {
                quoted = true;
                if c == q {
                    State::Word
                } else if c == '\\' && q == '"' {
                    State::Escaped(Escape::Double)
                } else {
                    word.push(c);
                    state
                }
            }
            State::Escaped(Escape::Word) => {
                word.push(c);
                State::Word
            }
            State::Escaped(Escape::Double) => {
                if c != '\\' && c != '"' {
                    word.push('\\');
                }
                word.push(c);
                State::Quoted('"')
            }
        };
    }
    match state {
        State::Quoted(_) => Err("no closing quotation in the command"),
        State::Escaped(_) => Err("the command ends with a lone backslash"),
        State::Word => {
            words.push(word);
            Ok(words)
        }
        State::Between => {
            if quoted {
                words.push(word);
            }
            Ok(words)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static COUNTER: AtomicUsize = AtomicUsize::new(0);

    /// A script in a fresh temp dir, executable.
    fn script(body: &str) -> PathBuf {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("iamauth-process-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("creds.sh");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    fn run_script(body: &str) -> Result<AwsCredentials> {
        let path = script(body);
        let r = run_retry(path.to_str().unwrap(), Duration::from_secs(20), MAX_STDOUT);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
        r
    }

    /// [`run_with`], again while the script is "text file busy": a test thread forking at the
    /// moment another one had its script open for writing (the child holds the descriptor
    /// until its exec), a race of the tests running in parallel, not of the code.
    fn run_retry(command: &str, timeout: Duration, max: usize) -> Result<AwsCredentials> {
        for _ in 0..100 {
            match run_with(command, "dev", timeout, max) {
                Err(e) if e.message().contains("os error 26") => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                other => return other,
            }
        }
        panic!("still text file busy");
    }

    fn message(r: Result<AwsCredentials>) -> String {
        r.unwrap_err().message().to_owned()
    }

    const GOOD: &str = r#"{"Version": 1, "AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY""#;

    #[test]
    fn shlex() {
        let split = |s| shlex_split(s).unwrap();
        assert_eq!(split("a b\tc\n d"), ["a", "b", "c", "d"]);
        assert_eq!(split("  "), Vec::<String>::new());
        assert_eq!(split("a '' \"\""), ["a", "", ""]);
        assert_eq!(split(r#"'a b'"c d"e\ f"#), ["a bc de f"]);
        assert_eq!(split(r#""a\"b\\c\d" 'x\y'"#), [r#"a"b\c\d"#, r"x\y"]);
        assert_eq!(split(r"a\'b \\"), ["a'b", "\\"]);
        assert_eq!(split("a#b #c"), ["a#b", "#c"]);
        assert_eq!(split("x ''y"), ["x", "y"]);
        assert!(shlex_split("a 'b").is_err());
        assert!(shlex_split("a \"b").is_err());
        assert!(shlex_split("a \\").is_err());
    }

    #[test]
    fn good_output() {
        let c = run_script(&format!("echo '{GOOD}}}'")).unwrap();
        assert_eq!(c.access_key_id(), "AKIDEXAMPLE");
        assert_eq!(c.session_token(), None);
        assert_eq!(c.expiration(), None);
        assert_eq!(c.source(), "profile dev: credential_process");
    }

    #[test]
    fn with_token_and_expiration() {
        let body = format!(
            r#"echo '{GOOD}, "SessionToken": "tok", "Expiration": "2030-01-02T03:04:05.123+01:00", "AccountId": "123"}}'"#
        );
        let c = run_script(&body).unwrap();
        assert_eq!(c.session_token(), Some("tok"));
        assert_eq!(c.expiration(), Some(1_893_549_845));
        let body = format!(
            r#"echo '{GOOD}, "SessionToken": null, "Expiration": "2030-01-02 03:04:05+0100"}}'"#
        );
        assert_eq!(run_script(&body).unwrap().expiration(), Some(1_893_549_845));
        let body = format!(r#"echo '{GOOD}, "Expiration": "2030-01-02T03:04:05"}}'"#);
        assert!(message(run_script(&body)).contains("Expiration is not an ISO 8601"));
        let body = format!(r#"echo '{GOOD}, "Expiration": "1893549845"}}'"#);
        assert!(message(run_script(&body)).contains("Expiration"));
        let body = format!(r#"echo '{GOOD}, "Expiration": 1893549845}}'"#);
        assert!(message(run_script(&body)).contains("Expiration is not a string"));
    }

    #[test]
    fn versions() {
        let v2 = GOOD.replace("\"Version\": 1", "\"Version\": 2");
        let e = message(run_script(&format!("echo '{v2}}}'")));
        assert!(e.contains("Version is not supported"), "{e}");
        assert!(!e.contains("wJalr"));
        let v = GOOD.replace("\"Version\": 1", "\"Version\": \"1\"");
        assert!(message(run_script(&format!("echo '{v}}}'"))).contains("Version"));
        let v = GOOD.replace("\"Version\": 1, ", "");
        assert!(message(run_script(&format!("echo '{v}}}'"))).contains("no Version"));
        let v = GOOD.replace("\"Version\": 1", "\"Version\": 1.0");
        assert!(run_script(&format!("echo '{v}}}'")).is_ok());
    }

    #[test]
    fn missing_fields_and_garbage() {
        let e = message(run_script(
            r#"echo '{"Version": 1, "AccessKeyId": "AKIDEXAMPLE"}'"#,
        ));
        assert_eq!(
            e,
            "profile dev: credential_process: its output has no SecretAccessKey"
        );
        let e = message(run_script(
            r#"echo '{"Version": 1, "SecretAccessKey": "SECRETSECRET"}'"#,
        ));
        assert!(e.ends_with("has no AccessKeyId"), "{e}");
        let e = message(run_script("echo 'SECRET garbage'"));
        assert!(e.contains("not JSON (line 1, column"), "{e}");
        assert!(!e.contains("SECRET"));
        let e = message(run_script("echo '[1]'"));
        assert!(e.ends_with("not a JSON object"), "{e}");
        let e = message(run_script("true"));
        assert!(e.contains("not JSON"), "{e}");
    }

    #[test]
    fn failure_shows_status_and_first_stderr_line() {
        let long = "x".repeat(500);
        let e = message(run_script(&format!(
            "echo 'SECRETOUT'; printf '\\n  bad \\033[1mthing\\n second line\\n{long}' >&2; exit 3"
        )));
        assert!(e.contains("failed (exit status 3): bad [1mthing"), "{e}");
        assert!(!e.contains("second") && !e.contains("SECRETOUT") && !e.contains('\u{1b}'));
        let e = message(run_script(&format!("echo {long} >&2; exit 1")));
        assert!(e.ends_with(&format!("{}...", "x".repeat(200))), "{e}");
        let e = message(run_script("kill -9 $$"));
        assert!(e.contains("failed (signal: 9"), "{e}");
    }

    #[test]
    fn chatty_stderr_does_not_stall() {
        // 4 MB of stderr before the output: both pipes are drained at once.
        let body = format!("head -c 4000000 /dev/zero | tr '\\0' e >&2; echo '{GOOD}}}'");
        assert!(run_script(&body).is_ok());
    }

    #[test]
    fn too_much_output_is_killed_quickly() {
        let start = Instant::now();
        let e = message(run_script("exec head -c 10000000 /dev/zero"));
        assert!(e.contains("wrote more than 1048576 bytes"), "{e}");
        assert!(start.elapsed() < Duration::from_secs(5));
        // Exactly at the limit is fine (and then not JSON).
        let path = script("exec head -c 100 /dev/zero");
        let r = run_retry(path.to_str().unwrap(), Duration::from_secs(20), 100);
        assert!(message(r).contains("not JSON"));
        let r = run_retry(path.to_str().unwrap(), Duration::from_secs(20), 99);
        assert!(message(r).contains("more than 99 bytes"));
    }

    #[test]
    fn never_exiting_process_is_killed() {
        let dir = script("").parent().unwrap().to_owned();
        let pid_file = dir.join("pid");
        let path = script(&format!(
            "echo $$ > {}\nexec sleep 1000",
            pid_file.display()
        ));
        let start = Instant::now();
        let r = run_retry(path.to_str().unwrap(), Duration::from_secs(1), MAX_STDOUT);
        let took = start.elapsed();
        let e = message(r);
        assert!(e.contains("was killed after 1 s"), "{e}");
        assert!(took < Duration::from_secs(3), "{took:?}");
        let pid = std::fs::read_to_string(pid_file).unwrap();
        let alive = std::path::Path::new(&format!("/proc/{}", pid.trim())).exists();
        assert!(!alive, "the child is gone (killed and reaped)");
    }

    #[test]
    fn grandchild_holding_the_pipe_does_not_hang() {
        // The script exits at once but leaves `sleep` holding stdout: bounded by the timeout.
        let start = Instant::now();
        let path = script("sleep 3 &\nexit 0");
        let r = run_retry(path.to_str().unwrap(), Duration::from_secs(1), MAX_STDOUT);
        assert!(message(r).contains("output was still open"));
        assert!(start.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn quoted_arguments() {
        let path = script(
            r#"[ "$1" = "a b" ] && [ "$2" = "it's" ] && [ "$3" = "" ] && [ "$#" = 3 ] || { echo "args: $#" >&2; exit 2; }
echo '{"Version": 1, "AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}'"#,
        );
        // The script's directory has no spaces; quote it anyway, as a user would.
        let command = format!(r#"'{}' "a b" it\'s ''"#, path.display());
        assert!(run_retry(&command, Duration::from_secs(20), MAX_STDOUT).is_ok());
    }

    #[test]
    fn bad_commands() {
        let e = message(run_with("", "dev", TIMEOUT, MAX_STDOUT));
        assert_eq!(e, "profile dev: credential_process: the command is empty");
        let e = message(run_with("'open", "dev", TIMEOUT, MAX_STDOUT));
        assert!(e.contains("no closing quotation"), "{e}");
        let e = message(run_with("/nonexistent/prog x", "dev", TIMEOUT, MAX_STDOUT));
        assert!(e.contains("cannot start /nonexistent/prog"), "{e}");
    }
}
