//! The `iamauth` command, run as a process: tokens equal core's, every error path exits 2
//! with nothing on stdout and `error: CODE: ...` on stderr, and no secret is ever printed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use iamauth::{
    CacheService, Credentials, DsqlAction, DsqlTokenRequest, ElastiCacheTokenRequest,
    RdsTokenRequest, dsql_token, elasticache_token, rds_token,
};
use serde_json::Value;
use std::ffi::OsStr;
use std::io::Write;
use std::process::{Command, Stdio};

const AKID: &str = "AKIDEXAMPLE";
/// A recognisable fake secret: it must never appear in any output.
const SECRET: &str = "SeCrEt/FAKE+secret+key+for+the+cli+tests";
/// A recognisable fake session token: it must appear in tokens only, never elsewhere.
const SESSION: &str = "SeSsIoN-FAKE-session-token-for-the-cli-tests";
/// AWS's documented example secret, which `demo` signs with and must never print.
const EXAMPLE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const HOST: &str = "mydb.123456789012.us-east-1.rds.amazonaws.com";
/// 2024-01-02T03:04:05Z.
const T: &str = "2024-01-02T03:04:05Z";
const T_UNIX: i64 = 1_704_164_645;

const CREDS: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID", AKID),
    ("AWS_SECRET_ACCESS_KEY", SECRET),
];

/// `iamauth rds` for HOST, port 5432 and user `u`: what most rds cases start with.
const RDS_U: [&str; 7] = ["rds", "--host", HOST, "--port", "5432", "--user", "u"];
/// `iamauth elasticache` for the cache `c` and user `u` in us-east-1.
const CACHE_U: [&str; 7] = [
    "elasticache",
    "--name",
    "c",
    "--user",
    "u",
    "--region",
    "us-east-1",
];

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl From<std::process::Output> for Out {
    fn from(out: std::process::Output) -> Out {
        Out {
            code: out.status.code().expect("exit code"),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }
}

/// An empty home directory: what the command finds in `~` (no `.aws`) unless a test gives HOME.
fn empty_home() -> std::path::PathBuf {
    let home = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("iamauth-cli-empty-home");
    std::fs::create_dir_all(&home).unwrap();
    assert!(
        !home.join(".aws").exists(),
        "{} must stay empty",
        home.display()
    );
    home
}

/// Runs the binary with none of what it reads (AWS_* variables, HOME, USERPROFILE) but those
/// given; HOME is an empty directory unless given, and IMDS is off (no test ever waits on
/// 169.254.169.254) unless AWS_EC2_METADATA_DISABLED is given.
fn run_os(args: &[&OsStr], env: &[(&str, &OsStr)], stdin: Option<&str>) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iamauth"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(name);
        }
    }
    cmd.env_remove("USERPROFILE").env("HOME", empty_home());
    cmd.env("AWS_EC2_METADATA_DISABLED", "true");
    cmd.args(args).envs(env.iter().copied());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn iamauth");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // A command that fails before reading its input (a usage mistake) closes the pipe.
        if let Err(e) = pipe.write_all(input.as_bytes()) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    }
    child.wait_with_output().unwrap().into()
}

fn run_env(args: &[&str], env: &[(&str, &str)]) -> Out {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let env: Vec<(&str, &OsStr)> = env.iter().map(|(k, v)| (*k, OsStr::new(v))).collect();
    run_os(&args, &env, None)
}

fn run_stdin(args: &[&str], stdin: &str) -> Out {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    run_os(&args, &[], Some(stdin))
}

/// Runs with the fake credentials.
fn run(args: &[&str]) -> Out {
    run_env(args, CREDS)
}

/// A success: exit 0, nothing on stderr; returns stdout without its one final newline.
fn ok(out: Out) -> String {
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_eq!(out.stderr, "");
    assert!(out.stdout.ends_with('\n'), "{:?}", out.stdout);
    let mut s = out.stdout;
    s.pop();
    s
}

/// A failure: exit 2, nothing on stdout, one `error: CODE: ...` line on stderr (for a usage
/// mistake in a command, followed by the command's synopsis); returns the error line.
fn fails(out: Out, code: &str) -> String {
    assert_eq!(out.code, 2, "stdout: {} stderr: {}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    let prefix = format!("error: {code}: ");
    assert!(out.stderr.starts_with(&prefix), "{:?}", out.stderr);
    assert!(out.stderr.ends_with('\n'));
    for secret in [SECRET, SESSION, EXAMPLE_SECRET] {
        assert!(!out.stderr.contains(secret));
    }
    let mut lines = out.stderr.lines();
    let line = lines.next().unwrap().to_owned();
    let rest: Vec<&str> = lines.collect();
    if let Some(usage) = rest.first() {
        assert_eq!(
            code, "USAGE",
            "only a usage mistake says more: {:?}",
            out.stderr
        );
        assert!(usage.starts_with("usage: iamauth "), "{:?}", out.stderr);
        let command = usage.split(' ').nth(2).unwrap();
        assert_eq!(
            rest.last().unwrap(),
            &format!("(iamauth {command} --help says more)")
        );
    }
    line
}

/// The lines after a failure's error line (a usage mistake's synopsis), or "".
fn after_error(out: &Out) -> String {
    out.stderr
        .split_once('\n')
        .map_or(String::new(), |(_, rest)| rest.to_owned())
}

fn creds() -> Credentials<'static> {
    Credentials::new(AKID, SECRET, None).unwrap()
}

fn rds_expected(host: &str, port: i64, user: &str, region: &str) -> String {
    rds_token(
        &RdsTokenRequest::new(host, port, user, region, T_UNIX),
        &creds(),
    )
    .unwrap()
}

fn json(out: Out) -> Value {
    serde_json::from_str(&ok(out)).unwrap()
}

/// The region in a token's credential scope.
fn region_of(token: &str) -> String {
    iamauth::inspect(token).unwrap().region.to_owned()
}

// --- rds ---

#[test]
fn rds_token_equals_core() {
    let out = run(&[
        "rds",
        "--host",
        HOST,
        "--port",
        "5432",
        "--user",
        "app_user",
        "--region",
        "us-east-1",
        "--time",
        T,
    ]);
    assert_eq!(ok(out), rds_expected(HOST, 5432, "app_user", "us-east-1"));
}

#[test]
fn rds_matches_botocore_published_token() {
    let out = run_env(
        &[
            "rds",
            "--host",
            "prod-instance.us-east-1.rds.amazonaws.com",
            "--port",
            "3306",
            "--user",
            "someusername",
            "--region",
            "us-east-1",
            "--time",
            "2016-11-07T17:39:33Z",
        ],
        &[
            ("AWS_ACCESS_KEY_ID", "akid"),
            ("AWS_SECRET_ACCESS_KEY", "skid"),
        ],
    );
    assert_eq!(
        ok(out),
        "prod-instance.us-east-1.rds.amazonaws.com:3306/?Action=connect&DBUser=someusername\
         &X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=akid%2F20161107%2Fus-east-1%2Frds-db%2Faws4_request\
         &X-Amz-Date=20161107T173933Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=d1138cdbc0ca63eec012ec0fc6c2267e03642168f5884a7795320d4c18374c61"
    );
}

#[test]
fn flag_equals_value_form_is_the_same() {
    let spaced = run(&[&RDS_U[..], &["--region", "us-east-1", "--time", T]].concat());
    let joined = run(&[
        "rds",
        &format!("--host={HOST}"),
        "--port=5432",
        "--user=u",
        "--region=us-east-1",
        &format!("--time={T}"),
    ]);
    let mixed = run(&[
        "rds",
        "--time",
        T,
        "--user=u",
        "--region",
        "us-east-1",
        "--port=5432",
        "--host",
        HOST,
    ]);
    let expected = rds_expected(HOST, 5432, "u", "us-east-1");
    assert_eq!(ok(spaced), expected);
    assert_eq!(ok(joined), expected);
    assert_eq!(ok(mixed), expected);
}

#[test]
fn a_value_may_begin_with_a_dash() {
    let expected = rds_expected(HOST, 5432, "-admin", "us-east-1");
    for user in [&["--user", "-admin"][..], &["--user=-admin"][..]] {
        let mut args = vec![
            "rds",
            "--host",
            HOST,
            "--port",
            "5432",
            "--region",
            "us-east-1",
        ];
        args.extend_from_slice(user);
        args.extend_from_slice(&["--time", T]);
        assert_eq!(ok(run(&args)), expected);
    }
    // The argument after a value flag is its value even when it looks like a flag.
    let out = run(&[
        "rds",
        "--host",
        HOST,
        "--port",
        "5432",
        "--region",
        "us-east-1",
        "--time",
        T,
        "--user",
        "--json",
    ]);
    assert_eq!(ok(out), rds_expected(HOST, 5432, "--json", "us-east-1"));
}

#[test]
fn hostname_and_username_aliases() {
    let out = run(&[
        "rds",
        "--hostname",
        HOST,
        "--port",
        "5432",
        "--username",
        "u",
        "--region",
        "us-east-1",
        "--time",
        T,
    ]);
    assert_eq!(ok(out), rds_expected(HOST, 5432, "u", "us-east-1"));
}

#[test]
fn time_may_be_unix_seconds_and_expires_is_passed_on() {
    let out = run(&[
        &RDS_U[..],
        &[
            "--region",
            "us-east-1",
            "--time",
            &T_UNIX.to_string(),
            "--expires",
            "60",
        ],
    ]
    .concat());
    let mut request = RdsTokenRequest::new(HOST, 5432, "u", "us-east-1", T_UNIX);
    request.expires_in = 60;
    assert_eq!(ok(out), rds_token(&request, &creds()).unwrap());
}

#[test]
fn without_time_the_token_is_signed_now() {
    let before = iamauth::now();
    let token = ok(run(&RDS_U));
    let info = iamauth::inspect(&token).unwrap();
    assert!(info.signed_at >= before && info.signed_at <= iamauth::now());
}

#[test]
fn session_token_goes_into_the_token() {
    let mut env = CREDS.to_vec();
    env.push(("AWS_SESSION_TOKEN", SESSION));
    let out = run_env(&[&RDS_U[..], &["--time", T]].concat(), &env);
    let creds = Credentials::new(AKID, SECRET, Some(SESSION)).unwrap();
    let expected = rds_token(
        &RdsTokenRequest::new(HOST, 5432, "u", "us-east-1", T_UNIX),
        &creds,
    )
    .unwrap();
    assert_eq!(ok(out), expected);
    // An empty AWS_SESSION_TOKEN counts as none.
    let mut env = CREDS.to_vec();
    env.push(("AWS_SESSION_TOKEN", ""));
    let out = run_env(&[&RDS_U[..], &["--time", T]].concat(), &env);
    assert_eq!(ok(out), rds_expected(HOST, 5432, "u", "us-east-1"));
}

#[test]
fn rds_json() {
    let v = json(run(&[
        "rds", "--host", HOST, "--port", "5432", "--user", "a\"b\\c", "--time", T, "--json",
    ]));
    assert_eq!(v["token"], rds_expected(HOST, 5432, "a\"b\\c", "us-east-1"));
    assert_eq!(v["kind"], "rds");
    assert_eq!(v["host"], HOST);
    assert_eq!(v["port"], 5432);
    assert_eq!(v["user"], "a\"b\\c");
    assert_eq!(v["action"], "connect");
    assert_eq!(v["serverless"], false);
    assert_eq!(v["region"], "us-east-1");
    assert_eq!(v["service"], "rds-db");
    assert_eq!(v["access_key_id"], AKID);
    assert_eq!(v["signed_at"], T);
    assert_eq!(v["signed_at_unix"], T_UNIX);
    assert_eq!(v["expires_in"], 900);
    assert_eq!(v["expires_at"], "2024-01-02T03:19:05Z");
    assert_eq!(v["expires_at_unix"], T_UNIX + 900);
    assert_eq!(v["has_session_token"], false);
    assert_eq!(v.as_object().unwrap().len(), 16);
}

// --- errors ---

fn rds_with(extra: &[&str]) -> Out {
    let mut args = vec!["rds"];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn unreadable_and_out_of_range_ports() {
    let rule = "error: INVALID_PORT: port: must be an integer from 1 to 65535";
    for port in [
        "--port=abc",
        "--port=-5",
        "--port=65536",
        "--port=",
        "--port=0",
        "--port=1.5",
    ] {
        let out = rds_with(&["--host", HOST, port, "--user", "u", "--time", T]);
        assert_eq!(fails(out, "INVALID_PORT"), rule, "{port}");
    }
    for port in ["abc", "-5", "99999999999999999999999"] {
        let out = rds_with(&["--host", HOST, "--port", port, "--user", "u", "--time", T]);
        assert_eq!(fails(out, "INVALID_PORT"), rule, "{port}");
    }
}

#[test]
fn unreadable_times_and_expiries() {
    let base = ["--host", HOST, "--port", "5432", "--user", "u"];
    let mut args = base.to_vec();
    args.push("--time=yesterday");
    let line = fails(rds_with(&args), "INVALID_TIME");
    assert!(line.contains("RFC 3339"), "{line}");
    for expires in [
        "--expires=abc",
        "--expires=",
        "--expires=0",
        "--expires=901",
    ] {
        let mut args = base.to_vec();
        args.push(expires);
        assert_eq!(
            fails(rds_with(&args), "INVALID_EXPIRY"),
            "error: INVALID_EXPIRY: expires_in: must be an integer number of seconds from 1 to 900"
        );
    }
    // DSQL allows a week: its rule says so even for an unreadable value.
    let out = run(&[
        "dsql",
        "--host",
        "c.dsql.us-east-1.on.aws",
        "--expires",
        "soon",
    ]);
    assert!(fails(out, "INVALID_EXPIRY").ends_with("from 1 to 604800"));
}

#[test]
fn missing_required_flags_are_usage_mistakes() {
    // A missing flag is a mistake in the command line, not a bad host: USAGE, then the synopsis.
    let out = rds_with(&["--port", "5432", "--user", "u"]);
    let synopsis = after_error(&out);
    assert_eq!(fails(out, "USAGE"), "error: USAGE: --host HOST is required");
    assert_eq!(
        synopsis,
        "usage: iamauth rds --host HOST --port PORT --user USER [--region REGION] [--profile NAME]\n\
         \x20                  [--expires SECONDS] [--time TIME] [--json]\n\
         (iamauth rds --help says more)\n"
    );
    let line = fails(rds_with(&["--host", HOST, "--user", "u"]), "USAGE");
    assert_eq!(line, "error: USAGE: --port PORT is required");
    let line = fails(rds_with(&["--host", HOST, "--port", "5432"]), "USAGE");
    assert_eq!(line, "error: USAGE: --user USER is required");
    assert_eq!(
        fails(run(&["dsql"]), "USAGE"),
        "error: USAGE: --host HOST is required"
    );
    let out = run(&["elasticache", "--user", "u", "--region", "us-east-1"]);
    assert_eq!(fails(out, "USAGE"), "error: USAGE: --name NAME is required");
    fails(
        run(&["elasticache", "--name", "c", "--region", "us-east-1"]),
        "USAGE",
    );
}

#[test]
fn a_flag_without_its_value_reports_its_field() {
    // A value flag at the very end has no value.
    fails(
        rds_with(&["--host", HOST, "--port", "5432", "--user"]),
        "INVALID_USER",
    );
    fails(
        rds_with(&["--host", HOST, "--user", "u", "--port"]),
        "INVALID_PORT",
    );
    fails(run(&["inspect", "--now"]), "INVALID_TIME");
}

#[test]
fn usage_mistakes() {
    let ok_args = ["--host", HOST, "--port", "5432", "--user", "u"];
    let with = |extra: &[&str]| {
        let mut args = ok_args.to_vec();
        args.extend_from_slice(extra);
        rds_with(&args)
    };
    assert!(fails(with(&["--bogus"]), "USAGE").contains("--bogus"));
    fails(with(&["-x"]), "USAGE");
    fails(with(&["--admin"]), "USAGE"); // a dsql flag
    fails(with(&["stray"]), "USAGE");
    fails(with(&["--json=yes"]), "USAGE");
    fails(with(&["--json", "--json"]), "USAGE");
    fails(with(&["--port", "5432"]), "USAGE");
    fails(with(&["--hostname", HOST]), "USAGE");
    fails(with(&["--username=u"]), "USAGE");
    fails(run(&["frobnicate"]), "USAGE");
    fails(run(&["--json"]), "USAGE");
    fails(run(&["demo", "--json"]), "USAGE");
    fails(run(&["inspect", "a", "b"]), "USAGE");
}

#[test]
fn a_stray_argument_is_never_echoed() {
    let line = fails(rds_with(&["--host", HOST, "sk-do-not-print"]), "USAGE");
    assert!(!line.contains("sk-do-not-print"));
    let line = fails(run(&["sk-do-not-print"]), "USAGE");
    assert!(!line.contains("sk-do-not-print"));
}

#[test]
fn bad_values_go_to_core() {
    fails(
        rds_with(&[
            "--host",
            "a b",
            "--port",
            "5432",
            "--user",
            "u",
            "--region",
            "us-east-1",
        ]),
        "INVALID_HOST",
    );
    fails(
        rds_with(&["--host", HOST, "--port", "5432", "--user", "u\nv"]),
        "INVALID_USER",
    );
    fails(
        rds_with(&[
            "--host",
            HOST,
            "--port",
            "5432",
            "--user",
            "u",
            "--region",
            "US-EAST-1",
        ]),
        "INVALID_REGION",
    );
    fails(
        rds_with(&["--host", HOST, "--port", "5432", "--user", "u", "--region="]),
        "INVALID_REGION",
    );
    fails(
        rds_with(&[
            "--host",
            HOST,
            "--port",
            "5432",
            "--user",
            "u",
            "--time",
            "10000-01-01T00:00:00Z",
        ]),
        "INVALID_TIME",
    );
    let out = run(&[&CACHE_U[..], &["--service", "redis"]].concat());
    assert_eq!(
        fails(out, "INVALID_SERVICE"),
        "error: INVALID_SERVICE: service: must be elasticache or memorydb"
    );
}

/// Core's message for environment credentials that are half there: the chain stops on them.
const HALF_SET: &str = "error: INVALID_CREDENTIALS: credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set and not empty (and AWS_SESSION_TOKEN for temporary credentials)";

/// The chain's message when no source has credentials: it names each source, and why it was
/// skipped.
fn assert_lists_the_sources(line: &str) {
    assert!(
        line.starts_with("error: INVALID_CREDENTIALS: no credentials found; tried environment: "),
        "{line}"
    );
    for source in ["; profile default: ", "; container endpoint: ", "; IMDS: "] {
        assert!(line.contains(source), "{source} in {line}");
    }
}

#[test]
fn missing_credentials() {
    let expected = HALF_SET;
    let args = RDS_U;
    assert_lists_the_sources(&fails(run_env(&args, &[]), "INVALID_CREDENTIALS"));
    let only_key = [("AWS_ACCESS_KEY_ID", AKID)];
    assert_eq!(
        fails(run_env(&args, &only_key), "INVALID_CREDENTIALS"),
        expected
    );
    let only_secret = [("AWS_SECRET_ACCESS_KEY", SECRET)];
    assert_eq!(
        fails(run_env(&args, &only_secret), "INVALID_CREDENTIALS"),
        expected
    );
    let empty_key = [("AWS_ACCESS_KEY_ID", ""), ("AWS_SECRET_ACCESS_KEY", SECRET)];
    assert_eq!(
        fails(run_env(&args, &empty_key), "INVALID_CREDENTIALS"),
        expected
    );
    // Present but breaking core's rule: core's message.
    let bad_key = [
        ("AWS_ACCESS_KEY_ID", "AKID-X"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ];
    assert!(fails(run_env(&args, &bad_key), "INVALID_CREDENTIALS").contains("access key id:"));
}

#[test]
fn missing_region() {
    let out = run(&[
        "rds",
        "--host",
        "db.example.com",
        "--port",
        "5432",
        "--user",
        "u",
    ]);
    // Core's message (the host names none), then every way to give one.
    assert_eq!(
        fails(out, "INVALID_REGION"),
        "error: INVALID_REGION: region: not given, and the host is not an RDS or DSQL endpoint that names one (give the region); use --region REGION, AWS_REGION, AWS_DEFAULT_REGION or the profile's region"
    );
    fails(run(&["dsql", "--host", "db.example.com"]), "INVALID_REGION");
    // A cache name is not a host: no region is read from it, even if it looks like one.
    assert_eq!(
        fails(
            run(&[
                "elasticache",
                "--name",
                "c.us-east-1.rds.amazonaws.com",
                "--user",
                "u",
            ]),
            "INVALID_REGION",
        ),
        "error: INVALID_REGION: region: not given; use --region REGION, AWS_REGION, AWS_DEFAULT_REGION or the profile's region (a cache name names no region)"
    );
    // An empty variable counts as unset.
    let mut env = CREDS.to_vec();
    env.push(("AWS_REGION", ""));
    env.push(("AWS_DEFAULT_REGION", ""));
    let out = run_env(
        &[
            "rds",
            "--host",
            "db.example.com",
            "--port",
            "5432",
            "--user",
            "u",
        ],
        &env,
    );
    fails(out, "INVALID_REGION");
}

#[test]
fn region_from_host() {
    for (host, region) in [
        ("db.abc.eu-west-3.rds.amazonaws.com", "eu-west-3"),
        ("db.abc.cn-north-1.rds.amazonaws.com.cn", "cn-north-1"),
        ("db.abc.us-west-2.RDS.AMAZONAWS.COM", "us-west-2"),
    ] {
        let token = ok(run(&[
            "rds", "--host", host, "--port", "5432", "--user", "u", "--time", T,
        ]));
        assert_eq!(token, rds_expected(host, 5432, "u", region));
    }
    let host = "abcdefghijklmnopqrstuvwxyz.dsql.ap-northeast-1.on.aws";
    let token = ok(run(&["dsql", "--host", host, "--time", T]));
    assert_eq!(region_of(&token), "ap-northeast-1");
}

#[test]
fn region_precedence() {
    let host = "db.abc.eu-west-3.rds.amazonaws.com";
    let args = [
        "rds", "--host", host, "--port", "5432", "--user", "u", "--time", T,
    ];
    let with = |vars: &[(&'static str, &'static str)], extra: &[&str]| {
        let mut env = CREDS.to_vec();
        env.extend_from_slice(vars);
        let mut all = args.to_vec();
        all.extend_from_slice(extra);
        region_of(&ok(run_env(&all, &env)))
    };
    assert_eq!(with(&[], &[]), "eu-west-3");
    assert_eq!(
        with(&[("AWS_DEFAULT_REGION", "ca-central-1")], &[]),
        "ca-central-1"
    );
    assert_eq!(
        with(
            &[
                ("AWS_REGION", "sa-east-1"),
                ("AWS_DEFAULT_REGION", "ca-central-1")
            ],
            &[]
        ),
        "sa-east-1"
    );
    assert_eq!(
        with(
            &[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "ca-central-1")],
            &[]
        ),
        "ca-central-1"
    );
    assert_eq!(
        with(
            &[
                ("AWS_REGION", "sa-east-1"),
                ("AWS_DEFAULT_REGION", "ca-central-1")
            ],
            &["--region", "ap-south-1"]
        ),
        "ap-south-1"
    );
    // A bad region from the environment goes to core, like a bad --region.
    let mut env = CREDS.to_vec();
    env.push(("AWS_REGION", "mars"));
    fails(run_env(&args, &env), "INVALID_REGION");
}

// --- dsql and elasticache ---

#[test]
fn dsql_tokens() {
    let host = "abc.dsql.us-east-1.on.aws";
    let expected = |action| {
        dsql_token(
            &DsqlTokenRequest::new(host, "us-east-1", action, T_UNIX),
            &creds(),
        )
        .unwrap()
    };
    let plain = ok(run(&["dsql", "--host", host, "--time", T]));
    assert_eq!(plain, expected(DsqlAction::DbConnect));
    let admin = ok(run(&["dsql", "--hostname", host, "--admin", "--time", T]));
    assert_eq!(admin, expected(DsqlAction::DbConnectAdmin));
    let v = json(run(&[
        "dsql", "--host", host, "--admin", "--time", T, "--json",
    ]));
    assert_eq!(v["token"], expected(DsqlAction::DbConnectAdmin));
    assert_eq!(v["kind"], "dsql");
    assert_eq!(v["action"], "DbConnectAdmin");
    assert_eq!(v["port"], Value::Null);
    assert_eq!(v["user"], Value::Null);
    let mut request = DsqlTokenRequest::new(host, "us-east-1", DsqlAction::DbConnect, T_UNIX);
    request.expires_in = 604_800;
    let week = ok(run(&[
        "dsql",
        "--host",
        host,
        "--time",
        T,
        "--expires",
        "604800",
    ]));
    assert_eq!(week, dsql_token(&request, &creds()).unwrap());
}

#[test]
fn elasticache_tokens() {
    let mut request = ElastiCacheTokenRequest::new("my-cache", "app", "eu-west-1", T_UNIX);
    let base = [
        "elasticache",
        "--name",
        "my-cache",
        "--user",
        "app",
        "--region",
        "eu-west-1",
        "--time",
        T,
    ];
    assert_eq!(
        ok(run(&base)),
        elasticache_token(&request, &creds()).unwrap()
    );

    request.serverless = true;
    request.service = CacheService::MemoryDb;
    let mut args = base.to_vec();
    args.extend_from_slice(&["--serverless", "--service", "memorydb"]);
    assert_eq!(
        ok(run(&args)),
        elasticache_token(&request, &creds()).unwrap()
    );

    args.push("--json");
    let v = json(run(&args));
    assert_eq!(v["kind"], "elasticache");
    assert_eq!(v["serverless"], true);
    assert_eq!(v["service"], "memorydb");
    assert_eq!(v["user"], "app");
    assert_eq!(v["host"], "my-cache");
}

// --- inspect ---

/// A token signed at `T` with the default 900 s expiry.
fn sample_token() -> String {
    rds_expected(HOST, 5432, "app_user", "us-east-1")
}

#[test]
fn inspect_human_report() {
    let now = (T_UNIX + 100).to_string();
    let out = run_env(&["inspect", &sample_token(), "--now", &now], &[]);
    assert_eq!(
        ok(out),
        format!(
            "kind:          rds\n\
             host:          {HOST}\n\
             port:          5432\n\
             user:          app_user\n\
             action:        connect\n\
             region:        us-east-1\n\
             service:       rds-db\n\
             access key id: {AKID}\n\
             signed at:     2024-01-02T03:04:05Z\n\
             expires in:    900 s\n\
             expires at:    2024-01-02T03:19:05Z\n\
             session token: absent\n\
             status:        valid (800 s left)"
        )
    );
}

#[test]
fn inspect_from_stdin() {
    let now = "--now=2024-01-02T03:05:05Z";
    let from_argv = ok(run_env(&["inspect", &sample_token(), now], &[]));
    let piped = format!("  {}\n", sample_token());
    assert_eq!(ok(run_stdin(&["inspect", now], &piped)), from_argv);
    assert_eq!(ok(run_stdin(&["inspect", "-", now], &piped)), from_argv);
    let v = json(run_stdin(&["inspect", "--json", now], &piped));
    assert_eq!(v["status"], "valid");
    fails(run_stdin(&["inspect"], ""), "MALFORMED_TOKEN");
}

#[test]
fn inspect_validity() {
    let token = sample_token();
    let at = |now: i64, json: bool| {
        let now = now.to_string();
        let mut args = vec!["inspect", token.as_str(), "--now", now.as_str()];
        if json {
            args.push("--json");
        }
        run_env(&args, &[])
    };
    let status = |out: Out| ok(out).lines().last().unwrap().to_owned();
    assert_eq!(
        status(at(T_UNIX, false)),
        "status:        valid (900 s left)"
    );
    assert_eq!(
        status(at(T_UNIX + 1000, false)),
        "status:        expired (since 2024-01-02T03:19:05Z, 100 s ago)"
    );
    assert_eq!(
        status(at(T_UNIX - 30, false)),
        "status:        not yet valid (starts in 30 s: clock skew?)"
    );

    let v = json(at(T_UNIX + 100, true));
    assert_eq!(v["status"], "valid");
    assert_eq!(v["seconds_left"], 800);
    assert_eq!(v["now"], "2024-01-02T03:05:45Z");
    assert_eq!(v["now_unix"], T_UNIX + 100);
    let v = json(at(T_UNIX + 1000, true));
    assert_eq!(v["status"], "expired");
    assert_eq!(v["seconds_ago"], 100);
    assert!(v.get("seconds_left").is_none());
    let v = json(at(T_UNIX - 30, true));
    assert_eq!(v["status"], "not_yet_valid");
    assert_eq!(v["starts_in"], 30);
}

#[test]
fn inspect_json_fields() {
    let token = sample_token();
    let v = json(run_env(&["inspect", &token, "--json", "--now", T], &[]));
    let info = iamauth::inspect(&token).unwrap();
    assert!(v.get("token").is_none());
    assert_eq!(v["signature"], info.signature);
    assert_eq!(v["kind"], "rds");
    assert_eq!(v["port"], 5432);
    assert_eq!(v["user"], "app_user");
    assert_eq!(v["signed_at"], T);
    assert_eq!(v["expires_at_unix"], T_UNIX + 900);
    assert_eq!(v["has_session_token"], false);
}

#[test]
fn inspect_never_shows_the_session_token_or_signature_to_people() {
    let creds = Credentials::new(AKID, SECRET, Some(SESSION)).unwrap();
    let token = rds_token(
        &RdsTokenRequest::new(HOST, 5432, "u", "us-east-1", T_UNIX),
        &creds,
    )
    .unwrap();
    let signature = iamauth::inspect(&token).unwrap().signature.to_owned();
    let human = ok(run_env(&["inspect", &token, "--now", T], &[]));
    assert!(human.contains("session token: present"));
    assert!(!human.contains(SESSION));
    assert!(!human.contains(&signature));
    let v = json(run_env(&["inspect", &token, "--now", T, "--json"], &[]));
    assert_eq!(v["has_session_token"], true);
    assert!(!v.to_string().contains(SESSION));
}

#[test]
fn malformed_tokens() {
    for token in [
        "garbage",
        "host:5432/?Action=connect",
        &sample_token().replace("X-Amz-Date", "X-Amz-Datum"),
    ] {
        fails(run_env(&["inspect", token], &[]), "MALFORMED_TOKEN");
    }
    fails(
        run_env(&["inspect", &sample_token(), "--now", "later"], &[]),
        "INVALID_TIME",
    );
}

// --- verify ---

/// A keys file in a fresh temporary directory, removed (with the directory) when dropped.
struct KeysFile {
    dir: std::path::PathBuf,
    path: std::path::PathBuf,
}

/// A new, empty temporary directory named after `kind`.
fn fresh_dir(kind: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "iamauth-cli-{kind}-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir(&dir).unwrap();
    dir
}

impl KeysFile {
    fn new(contents: &[u8]) -> KeysFile {
        let dir = fresh_dir("verify");
        let path = dir.join("keys.json");
        std::fs::write(&path, contents).unwrap();
        // A keys file others can read is refused (INSECURE_KEYS_FILE): 0600, as a real one.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        KeysFile { dir, path }
    }

    /// The file with the one test key, with or without a session token.
    fn with_session(session: Option<&str>) -> KeysFile {
        let session = session.map_or(String::new(), |s| format!(r#", "session_token": "{s}""#));
        KeysFile::new(
            format!(r#"{{"{AKID}": {{"secret_access_key": "{SECRET}"{session}}}}}"#).as_bytes(),
        )
    }

    fn standard() -> KeysFile {
        KeysFile::with_session(None)
    }

    fn path(&self) -> &str {
        self.path.to_str().unwrap()
    }
}

impl Drop for KeysFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Every verify run: no secret, session token, token or signature on stdout or stderr.
fn checked(out: Out, token: &str) -> Out {
    let mut hidden = vec![SECRET, SESSION, EXAMPLE_SECRET];
    let token = token.trim();
    let signature = iamauth::inspect(token).map(|i| i.signature.to_owned()).ok();
    if !token.is_empty() {
        hidden.push(token);
    }
    if let Some(signature) = &signature {
        hidden.push(signature);
    }
    for text in hidden {
        assert!(!out.stdout.contains(text), "stdout shows {text:?}");
        assert!(!out.stderr.contains(text), "stderr shows {text:?}");
    }
    out
}

/// `iamauth verify TOKEN --keys FILE EXTRA...`, with no AWS_* variable.
fn verify_with(token: &str, keys: &str, extra: &[&str]) -> Out {
    let mut args = vec!["verify", token, "--keys", keys];
    args.extend_from_slice(extra);
    checked(run_env(&args, &[]), token)
}

/// `iamauth verify ARGS...` with the token on standard input.
fn verify_stdin(args: &[&str], token: &str) -> Out {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    checked(run_stdin(&all, token), token)
}

/// The expectations the sample token meets, at 100 s after signing.
const MEETS: &[&str] = &[
    "--host",
    HOST,
    "--port",
    "5432",
    "--user",
    "app_user",
    "--region",
    "us-east-1",
    "--now",
    "2024-01-02T03:05:45Z",
];

#[test]
fn verify_human_report() {
    let keys = KeysFile::standard();
    let out = ok(verify_with(&sample_token(), keys.path(), MEETS));
    assert_eq!(
        out,
        format!(
            "kind:          rds\n\
             access key id: {AKID}\n\
             user:          app_user\n\
             action:        connect\n\
             host:          {HOST}\n\
             port:          5432\n\
             region:        us-east-1\n\
             service:       rds-db\n\
             signed at:     2024-01-02T03:04:05Z\n\
             expires at:    2024-01-02T03:19:05Z\n\
             status:        verified"
        )
    );
    // No expectation given: only the signature, the session token and the time are checked.
    let now = (T_UNIX + 100).to_string();
    assert_eq!(
        ok(verify_with(&sample_token(), keys.path(), &["--now", &now])),
        out
    );
    // The aliases and the `=` form.
    let host = format!("--hostname={}", HOST.to_uppercase());
    assert_eq!(
        ok(verify_with(
            &sample_token(),
            keys.path(),
            &[&host, "--username", "app_user", "--now", &now]
        )),
        out
    );
}

#[test]
fn verify_json() {
    let keys = KeysFile::standard();
    let mut args = MEETS.to_vec();
    args.push("--json");
    let v = json(verify_with(&sample_token(), keys.path(), &args));
    let expected = serde_json::json!({
        "kind": "rds",
        "access_key_id": AKID,
        "user": "app_user",
        "action": "connect",
        "host": HOST,
        "port": 5432,
        "region": "us-east-1",
        "service": "rds-db",
        "signed_at": T,
        "signed_at_unix": T_UNIX,
        "expires_at": "2024-01-02T03:19:05Z",
        "expires_at_unix": T_UNIX + 900,
    });
    assert_eq!(v, expected);

    // A DSQL token: no user, no port (both null), its own service.
    let token = dsql_token(
        &DsqlTokenRequest::new(
            "abc.dsql.us-east-1.on.aws",
            "us-east-1",
            DsqlAction::DbConnectAdmin,
            T_UNIX,
        ),
        &creds(),
    )
    .unwrap();
    let v = json(verify_with(
        &token,
        keys.path(),
        &["--service", "dsql", "--now", T, "--json"],
    ));
    assert_eq!(v["kind"], "dsql");
    assert_eq!(v["action"], "DbConnectAdmin");
    assert_eq!(v["user"], Value::Null);
    assert_eq!(v["port"], Value::Null);
    assert_eq!(v["service"], "dsql");
}

#[test]
fn verify_from_stdin() {
    let keys = KeysFile::standard();
    let from_argv = ok(verify_with(&sample_token(), keys.path(), MEETS));
    let piped = format!("{}\n", sample_token());
    let mut args = vec!["--keys", keys.path()];
    args.extend_from_slice(MEETS);
    assert_eq!(ok(verify_stdin(&args, &piped)), from_argv);
    let mut dash = vec!["-"];
    dash.extend_from_slice(&args);
    assert_eq!(ok(verify_stdin(&dash, &piped)), from_argv);
    args.push("--json");
    assert_eq!(json(verify_stdin(&args, &piped))["user"], "app_user");
    fails(
        verify_stdin(&["--keys", keys.path(), "--now", T], ""),
        "MALFORMED_TOKEN",
    );
}

#[test]
fn verify_session_tokens() {
    let with = Credentials::new(AKID, SECRET, Some(SESSION)).unwrap();
    let carrying = rds_token(
        &RdsTokenRequest::new(HOST, 5432, "app_user", "us-east-1", T_UNIX),
        &with,
    )
    .unwrap();
    let session_keys = KeysFile::with_session(Some(SESSION));
    // Exactly the key's session token: verified, and the session token is never shown.
    ok(verify_with(&carrying, session_keys.path(), &["--now", T]));
    ok(verify_with(
        &carrying,
        session_keys.path(),
        &["--now", T, "--json"],
    ));
    // The key requires one the token lacks, or the token has one the key does not.
    let line = fails(
        verify_with(&sample_token(), session_keys.path(), &["--now", T]),
        "SESSION_TOKEN_MISMATCH",
    );
    assert_eq!(
        line,
        "error: SESSION_TOKEN_MISMATCH: token: its session token is not the one this key requires"
    );
    // (The other ways to mismatch: verify.json's session-token-* cases.)
}

/// Each check's code, the check order and malformed expectations: tests/verify_vectors.rs
/// (tests/vectors/verify.json). Here: the error line as the command prints it, and `--now` and
/// `--skew` as the command reads them.
#[test]
fn verify_error_lines_and_time_forms() {
    let keys = KeysFile::standard();
    let token = sample_token();
    let refused = |token: &str, keys: &str, extra: &[&str], code: &str| {
        fails(verify_with(token, keys, extra), code)
    };
    let at = |now: i64| now.to_string();
    assert_eq!(
        refused(
            &token,
            keys.path(),
            &["--now", &at(T_UNIX + 900)],
            "EXPIRED_TOKEN"
        ),
        "error: EXPIRED_TOKEN: token: has expired"
    );
    refused(
        &token,
        keys.path(),
        &["--now", "2024-01-02T03:30:00Z"],
        "EXPIRED_TOKEN",
    );
    ok(verify_with(
        &token,
        keys.path(),
        &["--now", &at(T_UNIX - 600), "--skew", "600"],
    ));
    let (head, last) = token.split_at(token.len() - 1);
    let flipped = format!("{head}{}", if last == "0" { "1" } else { "0" });
    assert_eq!(
        refused(&flipped, keys.path(), &["--now", T], "SIGNATURE_MISMATCH"),
        "error: SIGNATURE_MISMATCH: token: the signature does not match"
    );
    assert_eq!(
        refused(
            &token,
            keys.path(),
            &["--now", T, "--service", "dsql"],
            "WRONG_SERVICE"
        ),
        "error: WRONG_SERVICE: token: signed for another service"
    );
}

#[test]
fn verify_keys_file_problems() {
    let token = sample_token();
    let now = ["--now", T];

    // No --keys at all is a usage mistake (the keys are not wrong: there are none), with the
    // synopsis; a --keys without its value is still the keys file's code.
    let out = checked(run_env(&["verify", &token, "--now", T], &[]), &token);
    assert_eq!(
        out.stderr,
        "error: USAGE: --keys FILE is required\n\
         usage: iamauth verify [TOKEN | -] --keys FILE [--host HOST] [--port PORT] [--user USER] [--action ACTION]\n\
         \x20                     [--region REGION] [--service SERVICE] [--now TIME] [--skew SECONDS] [--cluster NAME]\n\
         \x20                     [--json]\n\
         (iamauth verify --help says more)\n"
    );
    fails(out, "USAGE");
    let out = checked(run_stdin(&["verify"], &token), &token);
    assert_eq!(fails(out, "USAGE"), "error: USAGE: --keys FILE is required");
    let out = checked(run_env(&["verify", &token, "--keys"], &[]), &token);
    fails(out, "INVALID_CREDENTIALS");

    // Not there, or a directory: one message that names no path.
    let gone = KeysFile::standard();
    let missing = format!("{}.missing", gone.path());
    let line = fails(verify_with(&token, &missing, &now), "INVALID_CREDENTIALS");
    assert_eq!(
        line,
        "error: INVALID_CREDENTIALS: keys file: cannot be read"
    );
    // A directory opens, and is refused by the regular-file rule (keys_files_opened_safely).
    let dir = gone.dir.to_str().unwrap().to_owned();
    assert_eq!(
        fails(verify_with(&token, &dir, &now), "INSECURE_KEYS_FILE"),
        "error: INSECURE_KEYS_FILE: keys file: is not a regular file"
    );

    // Unreadable for permissions (not when the tests run as root, who reads anything).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = KeysFile::standard();
        std::fs::set_permissions(&locked.path, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&locked.path).is_err() {
            fails(
                verify_with(&token, locked.path(), &now),
                "INVALID_CREDENTIALS",
            );
        }
    }

    // Invalid contents: core's message, never the text read.
    let cases: [(Vec<u8>, &str); 5] = [
        (b"".to_vec(), "keys file: must be a JSON object of access key ids"),
        (b"[1, 2]".to_vec(), "keys file: must be a JSON object of access key ids"),
        (b"\xff\xfe{}".to_vec(), "keys file: must be UTF-8 text"),
        (
            format!(r#"{{"{AKID}": {{"session_token": "{SESSION}"}}}}"#).into_bytes(),
            "keys file: an entry has no secret_access_key",
        ),
        (
            format!(r#"{{"{AKID}": {{"secret_access_key": "{SECRET}", "session_token": "{SESSION} x"}}}}"#)
                .into_bytes(),
            "keys file: a session_token breaks the session token rule",
        ),
    ];
    for (contents, message) in cases {
        let file = KeysFile::new(&contents);
        let line = fails(
            verify_with(&token, file.path(), &now),
            "INVALID_CREDENTIALS",
        );
        assert!(
            line.starts_with(&format!("error: INVALID_CREDENTIALS: {message}")),
            "{line}"
        );
        assert!(!line.contains(file.path()));
    }
}

/// `--action` and the keys file's grants reach the core (their cases: verify_vectors.rs).
#[test]
fn verify_action_and_grants() {
    let token = sample_token();
    let entry = |grants: &str| {
        KeysFile::new(
            format!(r#"{{"{AKID}": {{"secret_access_key": "{SECRET}", {grants}}}}}"#).as_bytes(),
        )
    };
    let granted = entry(r#""users": ["app_*"], "hosts": ["MYDB.*"]"#);
    ok(verify_with(&token, granted.path(), MEETS));
    let users = entry(r#""users": ["app", "report_*"]"#);
    assert_eq!(
        fails(verify_with(&token, users.path(), MEETS), "USER_NOT_ALLOWED"),
        "error: USER_NOT_ALLOWED: token: its key is not granted this user"
    );
    let hosts = entry(r#""hosts": ["other.example.com"]"#);
    fails(verify_with(&token, hosts.path(), MEETS), "HOST_NOT_ALLOWED");
    let bad = entry(r#""users": "app_user""#);
    fails(
        verify_with(&token, bad.path(), MEETS),
        "INVALID_CREDENTIALS",
    );
    let mut meets = MEETS.to_vec();
    meets.extend(["--action", "DbConnect"]);
    fails(
        verify_with(&token, KeysFile::standard().path(), &meets),
        "WRONG_ACTION",
    );
    assert!(ok(run_env(&["verify", "--help"], &[])).contains("--action ACTION"));
}

#[test]
fn verify_bad_values() {
    let keys = KeysFile::standard();
    let token = sample_token();
    // (port 0, skew -1 and 86401, "bad host": verify.json's expect-* cases.)
    let cases: [(&[&str], &str); 14] = [
        (&["--port", "abc"], "INVALID_PORT"),
        (&["--action", "connect"], "INVALID_ACTION"),
        (&["--action="], "INVALID_ACTION"),
        (&["--port", "65536"], "INVALID_PORT"),
        (&["--port="], "INVALID_PORT"),
        (&["--skew", "abc"], "INVALID_TIME"),
        (&["--now", "later"], "INVALID_TIME"),
        (&["--user", ""], "INVALID_USER"),
        (&["--region", "nowhere"], "INVALID_REGION"),
        (&["--service", "RDS DB"], "INVALID_SERVICE"),
        (&["--service", ""], "INVALID_SERVICE"),
        (&["--json=yes"], "USAGE"),
        (&["--expires", "900"], "USAGE"),
        (&["--port", "5432", "--port", "5432"], "USAGE"),
    ];
    for (extra, code) in cases {
        fails(verify_with(&token, keys.path(), extra), code);
    }
    assert_eq!(
        fails(
            verify_with(&token, keys.path(), &["--skew", "x"]),
            "INVALID_TIME"
        ),
        "error: INVALID_TIME: skew: must be an integer number of seconds from 0 to 86400"
    );
    // A second token is a usage mistake, and is not echoed.
    let out = run_env(&["verify", &token, &token, "--keys", keys.path()], &[]);
    fails(checked(out, &token), "USAGE");
    // Help.
    assert!(
        ok(run_env(&["verify", "--help"], &[])).contains("iamauth verify [TOKEN | -] --keys FILE")
    );
}

// --- demo, help, version ---

#[test]
fn demo_shows_the_steps_and_never_the_secret() {
    let out = ok(run_env(&["demo"], &[]));
    assert!(!out.contains(EXAMPLE_SECRET));
    for heading in [
        "Step 1: canonical request",
        "Step 2: string to sign",
        "Step 3: signature",
        "Step 4: token",
    ] {
        assert!(out.contains(heading), "{heading}");
    }
    assert!(out.contains(
        "GET\n/\nAction=connect&DBUser=iam_user&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Frds-db%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host\nhost:mydb.123456789012.us-east-1.rds.amazonaws.com:5432\n\nhost\n"
    ));
    let example = Credentials::new("AKIDEXAMPLE", EXAMPLE_SECRET, None).unwrap();
    let token = rds_token(
        &RdsTokenRequest::new(HOST, 5432, "iam_user", "us-east-1", T_UNIX),
        &example,
    )
    .unwrap();
    assert!(out.contains(&format!("\n{token}\n")));
    // And it is botocore's own token for these inputs (the `rds-demo` vector).
    let vectors: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/vectors/tokens.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let demo = vectors["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "rds-demo")
        .unwrap();
    assert_eq!(demo["expected"]["token"].as_str().unwrap(), token);
    assert!(out.ends_with("status:        valid (840 s left)"));
    // It reads no environment variable: other credentials and regions change nothing.
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDOTHER"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", SESSION),
        ("AWS_REGION", "eu-west-1"),
    ];
    assert_eq!(ok(run_env(&["demo"], &env)), out);
}

#[test]
fn help_and_version() {
    for arg in ["--help", "-h", "help"] {
        assert!(ok(run_env(&[arg], &[])).contains("Usage:"));
    }
    assert_eq!(
        ok(run_env(&["--version"], &[])),
        format!("iamauth {}", iamauth::VERSION)
    );
    let out = run_env(&[], &[]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.starts_with("error: USAGE: "));
    assert!(out.stderr.contains("Usage:"));
    let line = fails(run_env(&["nope"], &[]), "USAGE");
    assert!(line.contains("inspect, verify or demo"), "{line}");
}

const COMMANDS: [&str; 9] = [
    "rds",
    "dsql",
    "elasticache",
    "eks",
    "msk",
    "credentials",
    "inspect",
    "verify",
    "demo",
];

#[test]
fn each_command_has_its_own_help() {
    let general = ok(run_env(&["--help"], &[]));
    for command in COMMANDS {
        // No credentials, no region, nothing else needed: help is always help.
        let help = ok(run_env(&[command, "--help"], &[]));
        assert!(help.starts_with(&format!("iamauth {command}: ")), "{help}");
        assert!(
            help.contains(&format!("\nUsage:\n  iamauth {command}")),
            "{help}"
        );
        assert!(help.contains("\nExample:\n  iamauth "), "{help}");
        assert!(help.contains("exit status 2"), "{help}");
        assert_ne!(help, general);
        for other in COMMANDS.iter().filter(|&&c| c != command) {
            assert!(
                !help.contains(&format!("Usage:\n  iamauth {other} ")),
                "{help}"
            );
        }
        assert_eq!(ok(run_env(&[command, "-h"], &[])), help);
        assert_eq!(ok(run_env(&["help", command], &[])), help);
        assert_eq!(ok(run_env(&["--help", command], &[])), help);
        // Its synopsis is the one the general help lists.
        let synopsis = help
            .split("Usage:\n")
            .nth(1)
            .and_then(|rest| rest.split("\n\n").next())
            .unwrap();
        assert!(general.contains(synopsis), "{synopsis}");
    }
    // Every flag of a token command is described, with core's limits and defaults.
    let rds = ok(run_env(&["rds", "--help"], &[]));
    for flag in [
        "--host HOST",
        "--port PORT",
        "--user USER",
        "--region REGION",
        "--profile NAME",
        "--expires SECONDS",
        "--time TIME",
        "--json",
    ] {
        assert!(rds.contains(&format!("\n  {flag} ")), "{flag}");
    }
    assert!(rds.contains(&format!(
        "1 to {}, default {}",
        iamauth::MAX_DB_EXPIRY,
        iamauth::DEFAULT_EXPIRY
    )));
    // Where credentials come from: the chain's sources, in its order.
    for source in [
        "AWS_ACCESS_KEY_ID",
        "role_arn",
        "credential_process",
        "AWS_CONTAINER_CREDENTIALS",
        "IMDSv2",
    ] {
        assert!(rds.contains(source), "{source}");
    }
    let credentials = ok(run_env(&["credentials", "--help"], &[]));
    assert!(credentials.contains("\n  --profile NAME "));
    assert!(credentials.contains("\n  --json "));
    let dsql = ok(run_env(&["dsql", "-h"], &[]));
    assert!(dsql.contains(&format!("1 to {}", iamauth::MAX_PRESIGN_EXPIRY)));
    let verify = ok(run_env(&["verify", "-h"], &[]));
    assert!(verify.contains("default rds-db"));
    assert!(verify.contains(&format!("default {}", iamauth::DEFAULT_SKEW)));
    assert!(verify.contains("iamauth verify [TOKEN | -] --keys FILE"));
    // --help after other flags (even a missing required one) is still the command's help.
    assert_eq!(ok(run_env(&["rds", "--host", HOST, "--help"], &[])), rds);
    // `help` takes one known command; the topic is not echoed.
    let line = fails(run_env(&["help", "sk-do-not-print"], &[]), "USAGE");
    assert!(!line.contains("sk-do-not-print"));
    fails(run_env(&["help", "rds", "dsql"], &[]), "USAGE");
}

/// Runs one shell line with the built `iamauth` first on PATH, in `dir`, with only `env` (and
/// an empty HOME, and IMDS off).
#[cfg(unix)]
fn sh(line: &str, dir: &std::path::Path, env: &[(&str, &str)]) -> Out {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_iamauth"))
        .parent()
        .unwrap();
    let out = Command::new("sh")
        .args(["-c", line])
        .current_dir(dir)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("HOME", empty_home())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    out.into()
}

#[cfg(unix)]
#[test]
fn help_examples_work_as_written() {
    // With credentials in the environment, and (verify's example) their keys in keys.json.
    let keys = KeysFile::standard();
    std::fs::rename(&keys.path, keys.dir.join("keys.json")).unwrap();
    let mut ran = 0;
    for command in COMMANDS {
        let help = ok(run_env(&[command, "--help"], &[]));
        let examples = help.split("\nExample:\n").nth(1).unwrap();
        for line in examples.lines().map(str::trim) {
            assert!(line.starts_with("iamauth "), "{line}");
            let out = sh(line, &keys.dir, CREDS);
            assert_eq!(out.code, 0, "{line}: {}", out.stderr);
            assert_eq!(out.stderr, "", "{line}");
            assert!(!out.stdout.is_empty(), "{line}");
            ran += 1;
        }
    }
    assert!(ran >= COMMANDS.len());
}

/// A home directory holding `.aws/NAME` for each name given (the `default` profile's keys and
/// region), removed when dropped. The files hold the test secret, which no message may show.
struct Home {
    dir: std::path::PathBuf,
}

impl Home {
    fn with(files: &[&str]) -> Home {
        let dir = fresh_dir("home");
        if !files.is_empty() {
            std::fs::create_dir(dir.join(".aws")).unwrap();
        }
        for name in files {
            std::fs::write(
                dir.join(".aws").join(name),
                format!(
                    "[default]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\nregion = us-east-1\n"
                ),
            )
            .unwrap();
        }
        Home { dir }
    }

    fn path(&self) -> &str {
        self.dir.to_str().unwrap()
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

// --- credentials from the AWS credential chain ---

/// The access key id of the `app` profile's static keys (its secret is SECRET).
const PROFILE_AKID: &str = "AKIDPROFILE";
/// The access key id of the `temp` profile's temporary keys (SECRET and SESSION).
const TEMP_AKID: &str = "ASIATEMPORARY";
/// The access key id `credential_process` and the container endpoint hand out.
const PROCESS_AKID: &str = "ASIAPROCESS";
const CONTAINER_AKID: &str = "ASIACONTAINER";

/// A config file and a credentials file in a fresh directory (which is also HOME), as
/// `aws configure` writes them; removed when dropped. `credential_process` runs `process.sh`
/// there (see [`AwsFiles::process`]).
struct AwsFiles {
    dir: std::path::PathBuf,
    home: String,
    config: String,
    credentials: String,
}

impl AwsFiles {
    fn new() -> AwsFiles {
        let dir = fresh_dir("aws");
        let script = dir.join("process.sh");
        std::fs::write(
            dir.join("config"),
            format!(
                "[default]\nregion = eu-west-1\n\n\
                 [profile app]\nregion = ap-southeast-2\n\n\
                 [profile temp]\n\n\
                 [profile proc]\ncredential_process = \"{}\"\n",
                script.display()
            ),
        )
        .unwrap();
        std::fs::write(
            dir.join("credentials"),
            format!(
                "[app]\naws_access_key_id = {PROFILE_AKID}\naws_secret_access_key = {SECRET}\n\n\
                 [temp]\naws_access_key_id = {TEMP_AKID}\naws_secret_access_key = {SECRET}\naws_session_token = {SESSION}\n"
            ),
        )
        .unwrap();
        let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
        AwsFiles {
            home: path(""),
            config: path("config"),
            credentials: path("credentials"),
            dir,
        }
    }

    /// Makes `process.sh` print this JSON (a `#!/bin/sh` script, as a credential_process is).
    #[cfg(unix)]
    fn process(&self, json: &str) {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.join("process.sh");
        std::fs::write(&path, format!("#!/bin/sh\ncat <<'EOF'\n{json}\nEOF\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// HOME, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE pointing at the files, then `vars`.
    fn env<'a>(&'a self, vars: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut env = vec![
            ("HOME", self.home.as_str()),
            ("AWS_CONFIG_FILE", self.config.as_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", self.credentials.as_str()),
        ];
        env.extend_from_slice(vars);
        env
    }
}

impl Drop for AwsFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An RDS token for HOST (port 5432, user `u`, us-east-1, at T) signed with these keys by core.
fn rds_with_keys(akid: &str, session: Option<&str>) -> String {
    rds_token(
        &RdsTokenRequest::new(HOST, 5432, "u", "us-east-1", T_UNIX),
        &Credentials::new(akid, SECRET, session).unwrap(),
    )
    .unwrap()
}

/// `RDS_U` in us-east-1 at T, then `extra`.
fn rds_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    [&RDS_U[..], &["--region", "us-east-1", "--time", T], extra].concat()
}

/// Neither the secret nor the session token is in the output, on either stream.
fn holds_no_secret(out: &Out) {
    for secret in [SECRET, SESSION] {
        assert!(!out.stdout.contains(secret), "{}", out.stdout);
        assert!(!out.stderr.contains(secret), "{}", out.stderr);
    }
}

#[test]
fn a_profile_signs_as_its_keys_would_from_the_environment() {
    let files = AwsFiles::new();
    let from_env = ok(run_env(
        &rds_args(&[]),
        &[
            ("AWS_ACCESS_KEY_ID", PROFILE_AKID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
        ],
    ));
    assert_eq!(from_env, rds_with_keys(PROFILE_AKID, None));
    for extra in [&["--profile", "app"][..], &["--profile=app"]] {
        let token = ok(run_env(&rds_args(extra), &files.env(&[])));
        assert_eq!(token, from_env, "{extra:?}");
    }
    // AWS_PROFILE names it as well.
    let token = ok(run_env(
        &rds_args(&[]),
        &files.env(&[("AWS_PROFILE", "app")]),
    ));
    assert_eq!(token, from_env);
    // Temporary keys: the session token goes into the token, as from the environment.
    let from_env = ok(run_env(
        &rds_args(&[]),
        &[
            ("AWS_ACCESS_KEY_ID", TEMP_AKID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", SESSION),
        ],
    ));
    assert_eq!(from_env, rds_with_keys(TEMP_AKID, Some(SESSION)));
    let token = ok(run_env(&rds_args(&["--profile", "temp"]), &files.env(&[])));
    assert_eq!(token, from_env);
    // Every token command takes it.
    let dsql = ok(run_env(
        &[
            "dsql",
            "--host",
            "abc.dsql.us-east-1.on.aws",
            "--profile",
            "app",
        ],
        &files.env(&[]),
    ));
    assert_eq!(iamauth::inspect(&dsql).unwrap().access_key_id, PROFILE_AKID);
    let cache = ok(run_env(
        &[&CACHE_U[..], &["--profile", "app"]].concat(),
        &files.env(&[]),
    ));
    assert_eq!(
        iamauth::inspect(&cache).unwrap().access_key_id,
        PROFILE_AKID
    );
    // The default profile in ~/.aws, with nothing else set.
    let home = Home::with(&["credentials"]);
    let token = ok(run_env(&rds_args(&[]), &[("HOME", home.path())]));
    assert_eq!(token, rds_with_keys(AKID, None));
}

#[test]
fn the_profiles_region_comes_after_the_variables_and_before_the_host() {
    let files = AwsFiles::new();
    let host = "db.abc.eu-west-3.rds.amazonaws.com";
    let region = |extra: &[&str], vars: &[(&str, &str)]| {
        let args = [
            &["rds", "--host", host, "--port", "5432", "--user", "u"][..],
            extra,
        ]
        .concat();
        region_of(&ok(run_env(&args, &files.env(vars))))
    };
    assert_eq!(region(&["--profile", "app"], &[]), "ap-southeast-2");
    assert_eq!(region(&[], &[("AWS_PROFILE", "app")]), "ap-southeast-2");
    // The default profile's region, with the environment's keys.
    assert_eq!(region(&[], CREDS), "eu-west-1");
    // The variables and --region come first.
    assert_eq!(
        region(
            &["--profile", "app"],
            &[("AWS_DEFAULT_REGION", "ca-central-1")]
        ),
        "ca-central-1"
    );
    assert_eq!(
        region(&["--profile", "app"], &[("AWS_REGION", "sa-east-1")]),
        "sa-east-1"
    );
    assert_eq!(
        region(&["--profile", "app", "--region", "us-west-1"], &[]),
        "us-west-1"
    );
    // A profile with no region: the host's, as before.
    assert_eq!(region(&["--profile", "temp"], &[]), "eu-west-3");
    // A cache name names no region: the profile's is the one.
    let cache = [
        "elasticache",
        "--name",
        "c",
        "--user",
        "u",
        "--profile",
        "app",
    ];
    assert_eq!(
        region_of(&ok(run_env(&cache, &files.env(&[])))),
        "ap-southeast-2"
    );
    // Nowhere: every way to give one is named.
    let line = fails(
        run_env(
            &[
                "rds",
                "--host",
                "127.0.0.1",
                "--port",
                "5432",
                "--user",
                "u",
                "--profile",
                "temp",
            ],
            &files.env(&[]),
        ),
        "INVALID_REGION",
    );
    assert!(
        line.ends_with(
            "; use --region REGION, AWS_REGION, AWS_DEFAULT_REGION or the profile's region"
        ),
        "{line}"
    );
}

#[cfg(unix)]
#[test]
fn a_credential_process_profile() {
    let files = AwsFiles::new();
    let expires = iamauth::format_rfc3339(iamauth::now() + 3_600).unwrap();
    files.process(&format!(
        r#"{{"Version": 1, "AccessKeyId": "{PROCESS_AKID}", "SecretAccessKey": "{SECRET}", "SessionToken": "{SESSION}", "Expiration": "{expires}"}}"#
    ));
    // Again while the script is "text file busy": another test thread forking while this one
    // had it open for writing (the child holds the descriptor until its exec).
    let run_busy = |args: &[&str]| {
        for _ in 0..100 {
            let out = run_env(args, &files.env(&[]));
            if !out.stderr.contains("os error 26") {
                return out;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("still text file busy");
    };
    let token = ok(run_busy(&rds_args(&["--profile", "proc"])));
    assert_eq!(token, rds_with_keys(PROCESS_AKID, Some(SESSION)));
    let out = run_busy(&["credentials", "--profile", "proc", "--json"]);
    holds_no_secret(&out);
    let found = json(out);
    assert_eq!(found["source"], "profile proc: credential_process");
    assert_eq!(found["accessKeyId"], PROCESS_AKID);
    assert_eq!(found["sessionToken"], true);
    assert_eq!(found["expiration"], expires.as_str());
    let left = found["expiresIn"].as_i64().unwrap();
    assert!((3_500..=3_600).contains(&left), "{left}");
    // Expired: refused, with when and from where.
    files.process(&format!(
        r#"{{"Version": 1, "AccessKeyId": "{PROCESS_AKID}", "SecretAccessKey": "{SECRET}", "SessionToken": "{SESSION}", "Expiration": "2020-01-01T00:00:00Z"}}"#
    ));
    assert_eq!(
        fails(
            run_busy(&rds_args(&["--profile", "proc"])),
            "INVALID_CREDENTIALS"
        ),
        "error: INVALID_CREDENTIALS: credentials: expired at 2020-01-01T00:00:00Z (from profile proc: credential_process); refresh them and try again"
    );
}

#[test]
fn the_environment_beats_the_profile_unless_profile_is_given() {
    let files = AwsFiles::new();
    let env = files.env(&[CREDS[0], CREDS[1], ("AWS_PROFILE", "app")]);
    // AWS_PROFILE does not set the environment's keys aside.
    assert_eq!(ok(run_env(&rds_args(&[]), &env)), rds_with_keys(AKID, None));
    let shown = ok(run_env(&["credentials"], &env));
    assert!(
        shown.starts_with(&format!("source: environment\naccess key id: {AKID}\n")),
        "{shown}"
    );
    // --profile does, as in the AWS CLI.
    assert_eq!(
        ok(run_env(&rds_args(&["--profile", "app"]), &env)),
        rds_with_keys(PROFILE_AKID, None)
    );
    let shown = ok(run_env(&["credentials", "--profile", "app"], &env));
    assert!(shown.starts_with("source: profile app "), "{shown}");
    assert!(
        shown.contains(&format!("\naccess key id: {PROFILE_AKID}\n")),
        "{shown}"
    );
    // A profile that is not there is an error, not a fall back to the environment's keys.
    let out = run_env(&rds_args(&["--profile", "nope"]), &env);
    holds_no_secret(&out);
    let line = fails(out, "INVALID_CREDENTIALS");
    assert!(line.contains("profile nope"), "{line}");
}

/// A container credentials endpoint on 127.0.0.1 that answers every request with `body`;
/// returns its URL. The thread lives as long as the test process.
fn container_endpoint(body: String) -> String {
    use std::io::{BufRead, BufReader};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            // The request's head, up to its empty line (a GET has no body).
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                if line == "\r\n" {
                    break;
                }
                line.clear();
            }
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://127.0.0.1:{port}/v2/credentials")
}

#[test]
fn the_container_endpoint_answers() {
    let expires_at = iamauth::now() + 3_600;
    let expires = iamauth::format_rfc3339(expires_at).unwrap();
    let url = container_endpoint(format!(
        r#"{{"AccessKeyId": "{CONTAINER_AKID}", "SecretAccessKey": "{SECRET}", "Token": "{SESSION}", "Expiration": "{expires}"}}"#
    ));
    let env = [("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.as_str())];
    let out = run_env(&["credentials", "--json"], &env);
    holds_no_secret(&out);
    let text = ok(out);
    let found: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(found["source"], "container endpoint");
    assert_eq!(found["accessKeyId"], CONTAINER_AKID);
    assert_eq!(found["sessionToken"], true);
    assert_eq!(found["expiration"], expires.as_str());
    let left = found["expiresIn"].as_i64().unwrap();
    assert!((3_500..=3_600).contains(&left), "{left}");
    // The fields, in this order, on one line.
    assert!(
        text.starts_with(&format!(
            r#"{{"source":"container endpoint","accessKeyId":"{CONTAINER_AKID}","sessionToken":true,"expiration":"{expires}","expiresIn":"#
        )),
        "{text}"
    );
    // For people.
    let out = run_env(&["credentials"], &env);
    holds_no_secret(&out);
    let shown = ok(out);
    assert!(
        shown.starts_with(&format!(
            "source: container endpoint\naccess key id: {CONTAINER_AKID}\nsession token: yes\nexpires: {expires} (in "
        )),
        "{shown}"
    );
    assert!(
        shown.ends_with(" min)") || shown.ends_with(" h)"),
        "{shown}"
    );
    // And a token signs with them.
    let token = ok(run_env(&rds_args(&[]), &env));
    assert_eq!(token, rds_with_keys(CONTAINER_AKID, Some(SESSION)));
}

#[test]
fn expired_credentials_are_refused() {
    let later = iamauth::format_rfc3339(iamauth::now() + 7_200).unwrap();
    let mut env: Vec<(&str, &str)> = CREDS.to_vec();
    env.extend_from_slice(&[
        ("AWS_SESSION_TOKEN", SESSION),
        ("AWS_CREDENTIAL_EXPIRATION", "2020-01-01T00:00:00Z"),
    ]);
    let expected = "error: INVALID_CREDENTIALS: credentials: expired at 2020-01-01T00:00:00Z (from environment); refresh them and try again";
    // By the real clock, whatever the signing time.
    for args in [
        rds_args(&[]),
        RDS_U.to_vec(),
        vec!["dsql", "--host", "abc.dsql.us-east-1.on.aws"],
        CACHE_U.to_vec(),
        vec!["credentials"],
        vec!["credentials", "--json"],
    ] {
        let out = run_env(&args, &env);
        holds_no_secret(&out);
        let line = fails(out, "INVALID_CREDENTIALS");
        assert_eq!(line, expected, "{args:?}");
        assert!(line.contains("expired"));
    }
    // Not yet expired: used, and shown with their expiration.
    env[3].1 = &later;
    assert_eq!(
        ok(run_env(&rds_args(&[]), &env)),
        rds_with_keys(AKID, Some(SESSION))
    );
    let shown = ok(run_env(&["credentials"], &env));
    assert!(
        shown.ends_with(&format!("\nexpires: {later} (in 2 h)"))
            || shown.ends_with(&format!("\nexpires: {later} (in 1 h 59 min)")),
        "{shown}"
    );
}

#[test]
fn nothing_configured_names_every_source() {
    for args in [
        &RDS_U[..],
        &["dsql", "--host", "abc.dsql.us-east-1.on.aws"],
        &CACHE_U,
        &["credentials"],
        &["credentials", "--json"],
    ] {
        assert_lists_the_sources(&fails(run_env(args, &[]), "INVALID_CREDENTIALS"));
    }
    // A profile with nothing in it: the same, naming it.
    let files = AwsFiles::new();
    let line = fails(
        run_env(&["credentials"], &files.env(&[("AWS_PROFILE", "default")])),
        "INVALID_CREDENTIALS",
    );
    assert_lists_the_sources(&line);
}

#[test]
fn the_credentials_command_never_shows_the_secret_or_the_session_token() {
    let mut env = CREDS.to_vec();
    env.push(("AWS_SESSION_TOKEN", SESSION));
    let out = run_env(&["credentials"], &env);
    holds_no_secret(&out);
    assert_eq!(
        ok(out),
        format!(
            "source: environment\naccess key id: {AKID}\nsession token: yes\nexpires: none (long-term keys)"
        )
    );
    let out = run_env(&["credentials", "--json"], &env);
    holds_no_secret(&out);
    assert_eq!(
        ok(out),
        format!(
            r#"{{"source":"environment","accessKeyId":"{AKID}","sessionToken":true,"expiration":null,"expiresIn":null}}"#
        )
    );
    // Long-term keys from a profile.
    let files = AwsFiles::new();
    let out = run_env(&["credentials", "--profile", "app"], &files.env(&[]));
    holds_no_secret(&out);
    let shown = ok(out);
    assert!(
        shown.ends_with(&format!(
            "\naccess key id: {PROFILE_AKID}\nsession token: no\nexpires: none (long-term keys)"
        )),
        "{shown}"
    );
    let out = run_env(
        &["credentials", "--profile", "temp", "--json"],
        &files.env(&[]),
    );
    holds_no_secret(&out);
    let found = json(out);
    assert_eq!(found["accessKeyId"], TEMP_AKID);
    assert_eq!(found["sessionToken"], true);
    assert_eq!(found["expiresIn"], Value::Null);
    // Its mistakes are usage mistakes, with its synopsis.
    let out = run_env(&["credentials", "extra"], &env);
    assert_eq!(
        after_error(&out),
        "usage: iamauth credentials [--profile NAME] [--json]\n(iamauth credentials --help says more)\n"
    );
    fails(out, "USAGE");
}

#[test]
fn profile_flag_values() {
    let files = AwsFiles::new();
    let env = files.env(&[]);
    // No value, or an empty one: the field's error, as for other values.
    assert_eq!(
        fails(
            run_env(&[&RDS_U[..], &["--profile"]].concat(), &env),
            "INVALID_CREDENTIALS"
        ),
        "error: INVALID_CREDENTIALS: profile: --profile needs a value"
    );
    for empty in [&["--profile="][..], &["--profile", ""]] {
        assert_eq!(
            fails(
                run_env(&[&RDS_U[..], empty].concat(), &env),
                "INVALID_CREDENTIALS"
            ),
            "error: INVALID_CREDENTIALS: profile: must not be empty"
        );
        fails(
            run_env(&[&["credentials"][..], empty].concat(), &env),
            "INVALID_CREDENTIALS",
        );
    }
    // A value may begin with a dash, as every value may (then it is just a missing profile).
    fails(
        run_env(&rds_args(&["--profile", "--json"]), &env),
        "INVALID_CREDENTIALS",
    );
    // Given twice: a usage mistake.
    fails(
        run_env(&rds_args(&["--profile", "app", "--profile", "temp"]), &env),
        "USAGE",
    );
    // inspect, verify and demo use no credentials: there it is an unknown flag.
    for command in ["inspect", "verify", "demo"] {
        let line = fails(run_env(&[command, "--profile", "p"], &[]), "USAGE");
        assert!(line.contains("unknown flag --profile"), "{line}");
    }
}

// --- the README's command lines, run as written ---

/// A README of the repository.
fn readme(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The text of a `## ` section, up to the next one.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no section {heading:?}"));
    let rest = &text[start + 1..];
    rest.get(3..)
        .and_then(|after| after.find("\n## "))
        .map_or(rest, |end| &rest[..end + 3])
}

/// The code blocks with this info string (```sh) in a text.
fn blocks<'a>(text: &'a str, info: &str) -> Vec<&'a str> {
    let open = format!("```{info}\n");
    text.match_indices(&open)
        .filter_map(|(i, _)| {
            let body = &text[i + open.len()..];
            body.find("\n```").map(|end| &body[..=end])
        })
        .collect()
}

#[test]
fn readme_command_lines_work_as_written() {
    let text = readme("README.md");
    let block = blocks(section(&text, "## The command line"), "sh")[0];
    // Lines with [optional parts] or $VARIABLES are synopses; the others must run as they are.
    let mut ran = Vec::new();
    for line in block.lines().filter(|l| l.starts_with("iamauth ")) {
        if line.contains('[') || line.contains('$') {
            continue;
        }
        let args: Vec<&str> = line.split_whitespace().skip(1).collect();
        let out = ok(run(&args));
        assert!(!out.is_empty(), "{line}");
        ran.push(args[0]);
    }
    assert_eq!(ran, ["rds", "dsql", "demo"]);
}

/// The README's PAM recipe, end to end without a database: the login block's exported
/// credentials and `iamauth rds` line make a token that verifies with the README's keys file and
/// PAM line (host, port, region), for the user the client line logs in as.
fn pam_login_verifies(path: &str, text: &str) {
    // The keys file: the lines from `{"AKIDEXAMPLE"` until the braces close.
    let start = text
        .find("\n{\"AKIDEXAMPLE\"")
        .unwrap_or_else(|| panic!("{path}: no keys file"));
    let mut depth = 0;
    let mut keys = String::new();
    for c in text[start + 1..].chars() {
        keys.push(c);
        depth += match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        };
        if depth == 0 {
            break;
        }
    }
    let keys = KeysFile::new(keys.as_bytes());
    // The PAM line's arguments.
    let pam = text
        .lines()
        .find(|l| l.contains("pam_iamauth.so keys="))
        .unwrap_or_else(|| panic!("{path}: no PAM line"));
    let arg = |name: &str| {
        pam.split_whitespace()
            .find_map(|w| w.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{path}: no {name}= in {pam}"))
    };
    // The login block.
    let login = blocks(text, "sh")
        .into_iter()
        .find(|b| b.contains("$(iamauth rds "))
        .unwrap_or_else(|| panic!("{path}: no sh block with $(iamauth rds ...)"));
    let env: Vec<(&str, &str)> = login
        .lines()
        .find(|l| l.starts_with("export AWS_ACCESS_KEY_ID="))
        .unwrap_or_else(|| panic!("{path}: the login block exports no credentials"))
        .split_whitespace()
        .skip(1)
        .map(|kv| kv.split_once('=').unwrap())
        .collect();
    let command = login
        .split("$(")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap();
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let token = ok(run_env(&args, &env));
    let flag = |name: &str| {
        let at = args.iter().position(|a| *a == name).unwrap();
        args[at + 1]
    };
    // The client connects where it signed for, as that user.
    let client = login.lines().last().unwrap();
    for (key, value) in [
        ("host", flag("--host")),
        ("port", flag("--port")),
        ("user", flag("--user")),
    ] {
        assert!(
            client.contains(&format!("{key}={value} ")),
            "{path}: {client} is not {key}={value}"
        );
    }
    let verified = ok(run_env(
        &[
            "verify",
            &token,
            "--keys",
            keys.path(),
            "--host",
            arg("host"),
            "--port",
            arg("port"),
            "--region",
            arg("region"),
            "--user",
            flag("--user"),
        ],
        &[],
    ));
    assert!(verified.ends_with("status:        verified"), "{verified}");
}

#[test]
fn readme_pam_logins_verify_with_their_keys_and_pam_line() {
    let text = readme("README.md");
    pam_login_verifies(
        "README.md",
        section(
            &text,
            "## Verify tokens, and test IAM authentication locally",
        ),
    );
    // The PAM module's README: the line and keys file in one section, the login in another.
    let text = readme("bindings/pam/README.md");
    let both = format!(
        "{}{}",
        section(&text, "## The pam.d file"),
        section(&text, "## Logging in")
    );
    pam_login_verifies("bindings/pam/README.md", &both);
}

/// The README's keys file with grants (the ```json block of the verify section) reads, and its
/// grants answer as the README says: `app` and `report_*` at `db.example.com` only.
#[test]
fn readme_keys_file_grants_work_as_written() {
    let text = readme("README.md");
    let section = section(
        &text,
        "## Verify tokens, and test IAM authentication locally",
    );
    let keys = KeysFile::new(blocks(section, "json")[0].as_bytes());
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", EXAMPLE_SECRET),
    ];
    let verify = |host: &str, user: &str| {
        let sign = [
            "rds",
            "--host",
            host,
            "--port",
            "5432",
            "--user",
            user,
            "--region",
            "us-east-1",
            "--time",
            T,
        ];
        let token = ok(run_env(&sign, &env));
        checked(
            run_env(
                &["verify", token.trim(), "--keys", keys.path(), "--now", T],
                &[],
            ),
            token.trim(),
        )
    };
    ok(verify("db.example.com", "app"));
    ok(verify("DB.example.com", "report_daily"));
    fails(verify("db.example.com", "postgres"), "USER_NOT_ALLOWED");
    fails(verify("other.example.com", "app"), "HOST_NOT_ALLOWED");
}

// --- secrets ---

#[test]
fn no_error_output_holds_a_secret() {
    let mut env = CREDS.to_vec();
    env.push(("AWS_SESSION_TOKEN", SESSION));
    let failing: [&[&str]; 6] = [
        &["rds", "--host", HOST, "--port", "0", "--user", "u"],
        &[&RDS_U[..], &["--region", "nowhere"]].concat(),
        &[&RDS_U[..], &["--expires", "901"]].concat(),
        &["dsql", "--host", "db.example.com"],
        &[&CACHE_U[..], &["--service", "x"]].concat(),
        &["inspect", "nonsense"],
    ];
    for args in failing {
        let out = run_env(args, &env);
        assert_eq!(out.code, 2);
        assert!(
            !out.stderr.contains(SECRET) && !out.stderr.contains(SESSION),
            "{}",
            out.stderr
        );
        assert_eq!(out.stdout, "");
    }
    // A session token core refuses (it has a space): the message still does not show it.
    let bad = [
        ("AWS_ACCESS_KEY_ID", AKID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", "SeSsIoN with space"),
    ];
    let line = fails(run_env(&RDS_U, &bad), "INVALID_CREDENTIALS");
    assert!(!line.contains("SeSsIoN"));
}

// --- arguments and variables that are not UTF-8 ---

#[cfg(unix)]
#[test]
fn non_utf8_arguments_and_variables() {
    use std::os::unix::ffi::OsStrExt;
    let bad = OsStr::from_bytes(b"ab\xffcd");
    fn s(text: &str) -> &OsStr {
        OsStr::new(text)
    }
    let env: Vec<(&str, &OsStr)> = CREDS.iter().map(|(k, v)| (*k, s(v))).collect();
    let rds = [s("rds"), s("--host"), s(HOST), s("--port"), s("5432")];

    let mut args = rds.to_vec();
    args.extend_from_slice(&[s("--user"), bad]);
    fails(run_os(&args, &env, None), "INVALID_USER");

    let mut joined = b"--user=".to_vec();
    joined.extend_from_slice(bad.as_bytes());
    let mut args = rds.to_vec();
    args.push(OsStr::from_bytes(&joined));
    fails(run_os(&args, &env, None), "INVALID_USER");

    let mut args = rds.to_vec();
    args.extend_from_slice(&[s("--user"), s("u"), OsStr::from_bytes(b"--\xff")]);
    fails(run_os(&args, &env, None), "USAGE");

    fails(run_os(&[s("inspect"), bad], &[], None), "MALFORMED_TOKEN");
    let token = sample_token();
    assert_eq!(
        fails(
            run_os(&[s("verify"), s(&token), s("--keys"), bad], &[], None),
            "INVALID_CREDENTIALS"
        ),
        "error: INVALID_CREDENTIALS: keys file: cannot be read"
    );
    let keys = KeysFile::standard();
    let verify = [s("verify"), s(&token), s("--keys"), s(keys.path())];
    let mut args = verify.to_vec();
    args.extend_from_slice(&[s("--service"), bad]);
    fails(run_os(&args, &[], None), "INVALID_SERVICE");
    fails(
        run_os(&[s("verify"), bad, s("--keys"), s(keys.path())], &[], None),
        "MALFORMED_TOKEN",
    );
    fails(run_os(&[bad], &[], None), "USAGE");
    assert_eq!(
        fails(
            run_os(&[s("credentials"), s("--profile"), bad], &env, None),
            "INVALID_CREDENTIALS"
        ),
        "error: INVALID_CREDENTIALS: profile: the name is not UTF-8 text"
    );

    let mut args = rds.to_vec();
    args.extend_from_slice(&[s("--user"), s("u")]);
    let mut bad_env = env.clone();
    bad_env.push(("AWS_REGION", bad));
    fails(run_os(&args, &bad_env, None), "INVALID_REGION");
    let bad_secret = [
        ("AWS_ACCESS_KEY_ID", s(AKID)),
        ("AWS_SECRET_ACCESS_KEY", bad),
    ];
    let mut args = rds.to_vec();
    args.extend_from_slice(&[s("--user"), s("u"), s("--region"), s("us-east-1")]);
    assert_eq!(
        fails(run_os(&args, &bad_secret, None), "INVALID_CREDENTIALS"),
        "error: INVALID_CREDENTIALS: environment: AWS_SECRET_ACCESS_KEY must be UTF-8 text"
    );
    // A profile variable that is not UTF-8 is an error, not the default profile.
    let mut bad_profile = env.clone();
    bad_profile.push(("AWS_PROFILE", bad));
    assert_eq!(
        fails(run_os(&args, &bad_profile, None), "INVALID_CREDENTIALS"),
        "error: INVALID_CREDENTIALS: environment: AWS_PROFILE must be UTF-8 text"
    );
}

/// `iamauth verify --keys` opens the file the way the PAM module does (core's
/// `read_keys_file`): each unsafe file exits 2 with `INSECURE_KEYS_FILE` naming the rule broken,
/// and a FIFO answers at once instead of waiting for a writer.
#[cfg(unix)]
#[test]
fn keys_files_opened_safely() {
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, Instant};

    let now = T_UNIX.to_string();
    let token = sample_token();
    let refused = |path: &str, rule: &str| {
        let out = checked(verify_with(&token, path, &["--now", &now]), &token);
        assert_eq!(
            fails(out, "INSECURE_KEYS_FILE"),
            format!("error: INSECURE_KEYS_FILE: keys file: {rule}"),
            "{path}"
        );
    };
    let with_mode = |mode: u32| {
        let keys = KeysFile::standard();
        std::fs::set_permissions(&keys.path, std::fs::Permissions::from_mode(mode)).unwrap();
        keys
    };
    // The same file at 0600 and 0640 (the group may read) verifies.
    for mode in [0o600, 0o640, 0o400] {
        let keys = with_mode(mode);
        ok(checked(
            verify_with(&token, keys.path(), &["--now", &now]),
            &token,
        ));
    }
    let world_writable = with_mode(0o666);
    refused(world_writable.path(), "is writable by group or others");
    let group_writable = with_mode(0o620);
    refused(group_writable.path(), "is writable by group or others");
    let other_readable = with_mode(0o604);
    refused(other_readable.path(), "is readable by others");

    // A symbolic link to a good keys file is refused (O_NOFOLLOW), whatever it points to.
    let target = KeysFile::standard();
    let link = target.dir.join("link.json");
    std::os::unix::fs::symlink(&target.path, &link).unwrap();
    refused(link.to_str().unwrap(), "is a symbolic link");

    // A FIFO with no writer: refused at once (O_NONBLOCK, then fstat), not waited on.
    let fifo = target.dir.join("fifo.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let started = Instant::now();
    refused(fifo.to_str().unwrap(), "is not a regular file");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "a FIFO held verify"
    );
    // A device (what keys=/dev/zero would read forever).
    refused("/dev/zero", "is not a regular file");

    // Larger than the largest valid keys file: refused before it is read (a sparse file).
    let big = KeysFile::standard();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&big.path)
        .unwrap();
    file.set_len(iamauth::MAX_KEYS_FILE_LEN + 1).unwrap();
    refused(
        big.path(),
        &format!(
            "is larger than the largest valid keys file ({} bytes: MAX_KEYS_FILE_LEN)",
            iamauth::MAX_KEYS_FILE_LEN
        ),
    );
    // At the limit it is read (and refused by the parser, not by the size rule).
    file.set_len(iamauth::MAX_KEYS_FILE_LEN).unwrap();
    fails(
        verify_with(&token, big.path(), &["--now", &now]),
        "INVALID_CREDENTIALS",
    );

    // Owned by another user (root may chown; the rule is root or the reader's own files).
    if std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false)
    {
        let theirs = KeysFile::standard();
        let chowned = std::process::Command::new("chown")
            .args(["65534", theirs.path()])
            .status()
            .unwrap();
        assert!(chowned.success());
        refused(
            theirs.path(),
            "is owned by another user (must be root or the user reading it)",
        );
    }
}
