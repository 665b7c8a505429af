//! `iamauth eks` and `iamauth msk` run as a process against tests/vectors/eks.json and msk.json
//! (read in place; credentials from the environment, `--time` from the case): every token and
//! expiry equal to the reference's, every error case's code; the ExecCredential's exact layout
//! and its `apiVersion` from KUBERNETES_EXEC_INFO (awscli's messages on stderr); and `inspect` /
//! `verify` of EKS and MSK tokens (the cluster expectation, the 15-minute EKS window, the MSK
//! expiry).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use serde_json::Value;
use std::ffi::OsStr;
use std::process::{Command, Stdio};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const CREDS: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID", AKID),
    ("AWS_SECRET_ACCESS_KEY", SECRET),
];
/// 2024-01-02T03:04:05Z.
const T: i64 = 1_704_164_645;

const V1: &str = "client.authentication.k8s.io/v1";
const V1BETA1: &str = "client.authentication.k8s.io/v1beta1";
const V1ALPHA1: &str = "client.authentication.k8s.io/v1alpha1";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A directory of this test process under the target's temp dir, removed when dropped.
struct Dir(std::path::PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("eks-msk-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the binary with only `env` of what it reads (no AWS_* of this process, no
/// KUBERNETES_EXEC_INFO, an empty HOME, IMDS off).
fn run_env<S: AsRef<OsStr>>(args: &[S], env: &[(&str, &str)]) -> Out {
    let home = Dir::new("home");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iamauth"));
    for (name, _) in std::env::vars_os() {
        let name_text = name.to_string_lossy();
        if name_text.starts_with("AWS_") || name_text == "KUBERNETES_EXEC_INFO" {
            cmd.env_remove(name);
        }
    }
    cmd.env_remove("USERPROFILE")
        .env("HOME", &home.0)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn run<S: AsRef<OsStr>>(args: &[S]) -> Out {
    run_env(args, CREDS)
}

/// Exit 0, nothing on stderr; the whole stdout.
fn ok(out: Out) -> String {
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_eq!(out.stderr, "");
    out.stdout
}

/// Exit 2, nothing on stdout, `error: CODE: ` on stderr, no secret; the error line.
fn fails(out: &Out, code: &str) -> String {
    assert_eq!(out.code, 2, "stdout: {} stderr: {}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with(&format!("error: {code}: ")),
        "want {code}: {:?}",
        out.stderr
    );
    assert!(!out.stderr.contains(SECRET));
    out.stderr.lines().next().unwrap().to_owned()
}

fn load(name: &str) -> Value {
    let path = format!("{}/../../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key}: {v}"))
}

/// The case's credentials as environment variables (a `null` session token: none).
fn env_of(input: &Value) -> Vec<(&str, &str)> {
    let mut env = vec![
        ("AWS_ACCESS_KEY_ID", s(input, "access_key_id")),
        ("AWS_SECRET_ACCESS_KEY", s(input, "secret_access_key")),
    ];
    if let Some(token) = input["session_token"].as_str() {
        env.push(("AWS_SESSION_TOKEN", token));
    }
    env
}

fn eks_args(input: &Value) -> Vec<String> {
    vec![
        "eks".into(),
        "--cluster".into(),
        s(input, "cluster").into(),
        "--region".into(),
        s(input, "region").into(),
        "--sts-endpoint".into(),
        s(input, "sts_endpoint").into(),
        "--time".into(),
        input["time"].to_string(),
    ]
}

fn msk_args(input: &Value) -> Vec<String> {
    vec![
        "msk".into(),
        "--region".into(),
        s(input, "region").into(),
        "--expires-in".into(),
        input["expires_in"].to_string(),
        "--user-agent".into(),
        s(input, "user_agent").into(),
        "--time".into(),
        input["time"].to_string(),
    ]
}

/// What `aws eks get-token` prints (Python's json.dump, indent 4, then two newlines), written
/// out here by hand from awscli's GetTokenCommand.
fn awscli_layout(api: &str, expiration: &str, token: &str) -> String {
    format!(
        "{{\n    \"kind\": \"ExecCredential\",\n    \"apiVersion\": \"{api}\",\n    \"spec\": {{}},\n    \"status\": {{\n        \"expirationTimestamp\": \"{expiration}\",\n        \"token\": \"{token}\"\n    }}\n}}\n\n"
    )
}

// --- eks ---

#[test]
fn every_eks_vector() {
    let vectors = load("eks.json");
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let id = s(case, "id");
        let (input, expected) = (&case["input"], &case["expected"]);
        let out = ok(run_env(&eks_args(input), &env_of(input)));
        assert_eq!(
            out,
            awscli_layout(
                V1BETA1,
                s(expected, "expiration_timestamp"),
                s(expected, "token")
            ),
            "{id}"
        );
        let parsed: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed["status"]["token"], expected["token"], "{id}");
    }
}

#[test]
fn every_eks_error_vector() {
    let vectors = load("eks.json");
    let cases = vectors["errors"].as_array().unwrap();
    assert!(!cases.is_empty());
    let mut ran = 0;
    for case in cases {
        let id = s(case, "id");
        let input = &case["input"];
        // An empty AWS_SESSION_TOKEN is no session token to the AWS CLI's chain (as to ours):
        // the refusal of an empty one cannot be asked for through the environment.
        if input["session_token"].as_str() == Some("") {
            continue;
        }
        let line = fails(&run_env(&eks_args(input), &env_of(input)), s(case, "error"));
        assert!(!line.contains(SECRET), "{id}");
        ran += 1;
    }
    assert!(ran + 1 >= cases.len(), "{ran} of {}", cases.len());
}

#[test]
fn eks_defaults_and_region_resolution() {
    let vectors = load("eks.json");
    let demo = &vectors["cases"][0];
    assert_eq!(s(demo, "id"), "eks-demo");
    let want = s(&demo["expected"], "token");
    let cluster = s(&demo["input"], "cluster");
    let time = demo["input"]["time"].to_string();
    // No --sts-endpoint is regional; the region from AWS_REGION, else AWS_DEFAULT_REGION;
    // --cluster-name is awscli's spelling; RFC 3339 time.
    let from_env = |name: &'static str| {
        let mut env = CREDS.to_vec();
        env.push((name, "us-east-1"));
        let out = ok(run_env(
            &[
                "eks",
                "--cluster-name",
                cluster,
                "--time",
                "2024-01-02T03:04:05Z",
            ],
            &env,
        ));
        serde_json::from_str::<Value>(&out).unwrap()["status"]["token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(from_env("AWS_REGION"), want);
    assert_eq!(from_env("AWS_DEFAULT_REGION"), want);
    // No region anywhere: INVALID_REGION naming every way to give one.
    let line = fails(
        &run(&["eks", "--cluster", cluster, "--time", &time]),
        "INVALID_REGION",
    );
    assert!(line.contains("--region REGION, AWS_REGION"), "{line}");
    // Missing --cluster is a usage mistake; bad values name their field.
    fails(&run(&["eks", "--region", "us-east-1"]), "USAGE");
    fails(
        &run(&[
            "eks",
            "--cluster",
            "a",
            "--region",
            "us-east-1",
            "--sts-endpoint",
            "legacy",
        ]),
        "INVALID_REQUEST",
    );
    fails(
        &run(&[
            "eks",
            "--cluster",
            "a",
            "--region",
            "us-east-1",
            "--time",
            "soon",
        ]),
        "INVALID_TIME",
    );
    fails(
        &run(&["eks", "--cluster", "a", "--region", "us-east-1", "--json"]),
        "USAGE",
    );
    // No credentials.
    fails(
        &run_env(&["eks", "--cluster", "a", "--region", "us-east-1"], &[]),
        "INVALID_CREDENTIALS",
    );
    // Without --time: signed now, expiring 14 minutes later.
    let before = iamauth::now();
    let out: Value = serde_json::from_str(&ok(run(&[
        "eks",
        "--cluster",
        "a",
        "--region",
        "us-east-1",
    ])))
    .unwrap();
    let after = iamauth::now();
    let expiration =
        iamauth::parse_time(out["status"]["expirationTimestamp"].as_str().unwrap()).unwrap();
    assert!((before + 840..=after + 840).contains(&expiration));
}

/// The ExecCredential for one KUBERNETES_EXEC_INFO value: (stdout's apiVersion, stderr).
fn with_exec_info(info: &str) -> (String, String) {
    let mut env = CREDS.to_vec();
    env.push(("KUBERNETES_EXEC_INFO", info));
    let out = run_env(
        &[
            "eks",
            "--cluster",
            "demo",
            "--region",
            "us-east-1",
            "--time",
            "1704164645",
        ],
        &env,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let parsed: Value = serde_json::from_str(&out.stdout).unwrap();
    let api = parsed["apiVersion"].as_str().unwrap().to_owned();
    // The layout is awscli's whatever the version.
    assert_eq!(
        out.stdout,
        awscli_layout(
            &api,
            "2024-01-02T03:18:05Z",
            parsed["status"]["token"].as_str().unwrap()
        )
    );
    (api, out.stderr)
}

#[test]
fn kubernetes_exec_info() {
    // What kubectl sends (v1 and v1beta1 carry a spec; nested objects, arrays, escapes).
    let kubectl = |api: &str| {
        format!(
            r#"{{"kind":"ExecCredential","apiVersion":"{api}","spec":{{"cluster":{{"server":"https://127.0.0.1:6443","certificate-authority-data":"LS0t\/\u0041==","config":null}},"interactive":false}}}}"#
        )
    };
    assert_eq!(with_exec_info(&kubectl(V1)), (V1.to_owned(), String::new()));
    assert_eq!(
        with_exec_info(&kubectl(V1BETA1)),
        (V1BETA1.to_owned(), String::new())
    );
    assert_eq!(
        with_exec_info(&format!("  {{\"apiVersion\": \"{V1}\"}}\n")),
        (V1.to_owned(), String::new())
    );
    // v1alpha1: as asked, with awscli's deprecation message.
    assert_eq!(
        with_exec_info(&kubectl(V1ALPHA1)),
        (
            V1ALPHA1.to_owned(),
            format!(
                "Kubeconfig user entry is using deprecated API version {V1ALPHA1}. Run 'aws eks update-kubeconfig' to update.\n"
            )
        )
    );
    // Empty: v1beta1, nothing said.
    assert_eq!(with_exec_info(""), (V1BETA1.to_owned(), String::new()));
    // Not JSON: v1beta1 and awscli's parse error message.
    let parse_error = format!(
        "Error parsing KUBERNETES_EXEC_INFO, defaulting to {V1BETA1}. This is likely a bug in your Kubernetes client. Please update your Kubernetes client.\n"
    );
    for garbage in [
        "garbage",
        "{",
        r#"{"apiVersion":"client.authentication.k8s.io/v1",}"#,
        "{'apiVersion': 1}",
    ] {
        assert_eq!(
            with_exec_info(garbage),
            (V1BETA1.to_owned(), parse_error.clone()),
            "{garbage}"
        );
    }
    // JSON without a version awscli knows: v1beta1 and awscli's unrecognized message.
    let unrecognized = format!(
        "Unrecognized API version in KUBERNETES_EXEC_INFO, defaulting to {V1BETA1}. This is likely due to an outdated AWS CLI. Please update your AWS CLI.\n"
    );
    for other in [
        r#"{"apiVersion":"client.authentication.k8s.io/v2"}"#,
        r#"{"kind":"ExecCredential"}"#,
        r#"{"spec":{"apiVersion":"client.authentication.k8s.io/v1"}}"#,
        r#"{"apiVersion":1}"#,
        "{}",
    ] {
        assert_eq!(
            with_exec_info(other),
            (V1BETA1.to_owned(), unrecognized.clone()),
            "{other}"
        );
    }
    // A failure says nothing of the version, only the error.
    let mut env = CREDS.to_vec();
    env.push(("KUBERNETES_EXEC_INFO", "garbage"));
    let out = run_env(&["eks", "--cluster", "-bad", "--region", "us-east-1"], &env);
    assert_eq!(fails(&out, "INVALID_CLUSTER").lines().count(), 1);
    assert_eq!(out.stderr.lines().count(), 1);
}

// --- msk ---

#[test]
fn every_msk_vector() {
    let vectors = load("msk.json");
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let id = s(case, "id");
        let (input, expected) = (&case["input"], &case["expected"]);
        let env = env_of(input);
        let mut args = msk_args(input);
        assert_eq!(
            ok(run_env(&args, &env)),
            format!("{}\n", s(expected, "token")),
            "{id}"
        );
        args.push("--json".into());
        let json = ok(run_env(&args, &env));
        assert_eq!(
            json,
            format!(
                "{{\"token\":\"{}\",\"expiry_ms\":{}}}\n",
                s(expected, "token"),
                expected["expiry_ms"]
            ),
            "{id}"
        );
    }
}

/// The js signer's tokens hold the same parameters in another order (every one sorted): ours,
/// for the same inputs, decode to the same parameters, the same expiry, and `verify` takes theirs.
#[test]
fn msk_js_signer_vectors() {
    let vectors = load("msk.json");
    let cases = vectors["js_cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    let dir = Dir::new("js-keys");
    for case in cases {
        let id = s(case, "id");
        let (input, expected) = (&case["input"], &case["expected"]);
        let mut args = msk_args(input);
        args.push("--json".into());
        let got: Value = serde_json::from_str(&ok(run_env(&args, &env_of(input)))).unwrap();
        assert_eq!(got["expiry_ms"], expected["expiry_ms"], "{id}");
        let params = |token: &str| {
            let url = iamauth::decode_token(token).into_owned();
            let (base, query) = url.split_once('?').unwrap();
            let mut p: Vec<String> = query.split('&').map(str::to_owned).collect();
            p.sort();
            (base.to_owned(), p)
        };
        assert_eq!(
            params(got["token"].as_str().unwrap()),
            params(s(expected, "token")),
            "{id}"
        );
        let keys = keys_file(&dir, input);
        let time = input["time"].as_i64().unwrap();
        ok(run(&[
            "verify",
            s(expected, "token"),
            "--keys",
            &keys,
            "--service",
            "kafka-cluster",
            "--now",
            &time.to_string(),
        ]));
    }
}

#[test]
fn every_msk_error_vector() {
    let vectors = load("msk.json");
    let cases = vectors["errors"].as_array().unwrap();
    assert!(!cases.is_empty());
    let mut ran = 0;
    for case in cases {
        let input = &case["input"];
        // As for EKS: an empty AWS_SESSION_TOKEN is none.
        if input["session_token"].as_str() == Some("") {
            continue;
        }
        fails(&run_env(&msk_args(input), &env_of(input)), s(case, "error"));
        ran += 1;
    }
    assert!(ran + 1 >= cases.len(), "{ran} of {}", cases.len());
}

#[test]
fn msk_defaults() {
    let expected = |time: i64| {
        let creds = iamauth::Credentials::new(AKID, SECRET, None).unwrap();
        iamauth::msk_token(&iamauth::MskTokenRequest::new("eu-west-1", time), &creds).unwrap()
    };
    // Defaults: 900 s, our User-Agent; the region from AWS_REGION.
    let mut env = CREDS.to_vec();
    env.push(("AWS_REGION", "eu-west-1"));
    let json: Value = serde_json::from_str(&ok(run_env(
        &["msk", "--time", "2024-01-02T03:04:05Z", "--json"],
        &env,
    )))
    .unwrap();
    assert_eq!(json["token"].as_str().unwrap(), expected(T));
    assert_eq!(json["expiry_ms"], (T + 900) * 1000);
    let url = iamauth::decode_token(json["token"].as_str().unwrap()).into_owned();
    assert!(
        url.ends_with(&format!(
            "&User-Agent={}",
            iamauth::MSK_USER_AGENT.replace('/', "%2F")
        )),
        "{url}"
    );
    // Bad values: their fields' codes.
    let msk = |extra: &[&str]| {
        let mut args = vec!["msk", "--region", "us-east-1", "--time", "1704164645"];
        args.extend_from_slice(extra);
        run(&args)
    };
    fails(&msk(&["--expires-in", "soon"]), "INVALID_EXPIRY");
    fails(&msk(&["--expires-in", "901"]), "INVALID_EXPIRY");
    fails(&msk(&["--user-agent", ""]), "INVALID_USER_AGENT");
    fails(&msk(&["--user-agent", "a\u{7f}"]), "INVALID_USER_AGENT");
    fails(&msk(&["--sts-endpoint", "global"]), "USAGE");
    fails(
        &run_env(&["msk", "--time", "1704164645"], CREDS),
        "INVALID_REGION",
    );
    // Without --time: now.
    let before = iamauth::now();
    let json: Value =
        serde_json::from_str(&ok(run(&["msk", "--region", "us-east-1", "--json"]))).unwrap();
    let expiry = json["expiry_ms"].as_i64().unwrap();
    assert!(((before + 900) * 1000..=(iamauth::now() + 900) * 1000).contains(&expiry));
}

// --- inspect and verify ---

/// A keys file (0600) holding the case's key.
fn keys_file(dir: &Dir, input: &Value) -> String {
    let akid = s(input, "access_key_id");
    let path = dir.0.join(format!(
        "keys-{akid}-{}.json",
        input["session_token"].is_string()
    ));
    let keys = serde_json::json!({
        akid: {
            "secret_access_key": s(input, "secret_access_key"),
            "session_token": input["session_token"],
        }
    });
    std::fs::write(&path, keys.to_string()).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    path.to_str().unwrap().to_owned()
}

fn eks_token(cluster: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "eks",
        "--cluster",
        cluster,
        "--region",
        "us-east-1",
        "--time",
        "1704164645",
    ];
    args.extend_from_slice(extra);
    let out: Value = serde_json::from_str(&ok(run(&args))).unwrap();
    out["status"]["token"].as_str().unwrap().to_owned()
}

fn msk_token(extra: &[&str]) -> String {
    let mut args = vec!["msk", "--region", "us-east-1", "--time", "1704164645"];
    args.extend_from_slice(extra);
    ok(run(&args)).trim_end().to_owned()
}

#[test]
fn inspect_eks_and_msk_tokens() {
    let eks = eks_token("demo", &[]);
    let now = (T + 60).to_string();
    let human = ok(run(&["inspect", &eks, "--now", &now]));
    for line in [
        "kind:          eks\n",
        "host:          sts.us-east-1.amazonaws.com\n",
        "action:        GetCallerIdentity\n",
        "cluster:       signed, not written in the token (verify --cluster NAME checks it)\n",
        "region:        us-east-1\n",
        "service:       sts\n",
        "expires in:    60 s (X-Amz-Expires; the cluster accepts it for 900 s)\n",
        "expires at:    2024-01-02T03:19:05Z\n",
        "status:        valid (840 s left)\n",
    ] {
        assert!(human.contains(line), "{line}\n{human}");
    }
    let json: Value =
        serde_json::from_str(&ok(run(&["inspect", &eks, "--now", &now, "--json"]))).unwrap();
    assert_eq!(json["kind"], "eks");
    assert_eq!(json["user"], Value::Null);
    assert_eq!(json["expires_in"], 60);
    assert_eq!(json["expires_at_unix"], T + 900);
    // The global endpoint's token.
    let global = eks_token("demo", &["--sts-endpoint", "global"]);
    let json: Value =
        serde_json::from_str(&ok(run(&["inspect", &global, "--now", &now, "--json"]))).unwrap();
    assert_eq!(json["host"], "sts.amazonaws.com");

    let msk = msk_token(&["--expires-in", "300"]);
    let json: Value =
        serde_json::from_str(&ok(run(&["inspect", &msk, "--now", &now, "--json"]))).unwrap();
    assert_eq!(json["kind"], "msk");
    assert_eq!(json["host"], "kafka.us-east-1.amazonaws.com");
    assert_eq!(json["action"], "kafka-cluster:Connect");
    assert_eq!(json["service"], "kafka-cluster");
    assert_eq!(json["expires_in"], 300);
    assert_eq!(json["expires_at_unix"], T + 300);
    assert_eq!(json["status"], "valid");
    let human = ok(run(&["inspect", &msk, "--now", &now]));
    assert!(human.starts_with("kind:          msk\n"), "{human}");
    assert!(!human.contains("\ncluster:"));
    // Base64 that is not a URL, and a broken k8s-aws-v1. token: MALFORMED_TOKEN.
    fails(&run(&["inspect", "k8s-aws-v1.!!!"]), "MALFORMED_TOKEN");
    fails(&run(&["inspect", "aGVsbG8"]), "MALFORMED_TOKEN");
}

#[test]
fn verify_eks_tokens() {
    let dir = Dir::new("eks-keys");
    let keys = keys_file(
        &dir,
        &serde_json::json!({"access_key_id": AKID, "secret_access_key": SECRET, "session_token": null}),
    );
    let token = eks_token("demo", &[]);
    let verify = |token: &str, now: i64, extra: &[&str]| {
        let now = now.to_string();
        let mut args = vec![
            "verify",
            token,
            "--keys",
            &keys,
            "--now",
            &now,
            "--service",
            "sts",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let who: Value = serde_json::from_str(&ok(verify(
        &token,
        T + 60,
        &["--cluster", "demo", "--json"],
    )))
    .unwrap();
    assert_eq!(who["kind"], "eks");
    assert_eq!(who["access_key_id"], AKID);
    assert_eq!(who["host"], "sts.us-east-1.amazonaws.com");
    assert_eq!(who["expires_at_unix"], T + 900);
    let human = ok(verify(&token, T + 60, &["--cluster-name", "demo"]));
    assert!(human.starts_with("kind:          eks\n"), "{human}");
    assert!(human.ends_with("status:        verified\n"), "{human}");
    // Past the URL's 60 s, within the cluster's 15 minutes: still valid; at 15 minutes: expired.
    ok(verify(&token, T + 899, &["--cluster", "demo"]));
    fails(
        &verify(&token, T + 900, &["--cluster", "demo"]),
        "EXPIRED_TOKEN",
    );
    // Another cluster: the signature cannot match. No cluster: INVALID_CLUSTER. A bad one: its rule.
    fails(
        &verify(&token, T + 60, &["--cluster", "other"]),
        "SIGNATURE_MISMATCH",
    );
    fails(&verify(&token, T + 60, &[]), "INVALID_CLUSTER");
    fails(
        &verify(&token, T + 60, &["--cluster", "-x"]),
        "INVALID_CLUSTER",
    );
    // Without --service sts, the default (rds-db) refuses it.
    let now = (T + 60).to_string();
    fails(
        &run(&[
            "verify",
            &token,
            "--keys",
            &keys,
            "--now",
            &now,
            "--cluster",
            "demo",
        ]),
        "WRONG_SERVICE",
    );
    // The global endpoint's token verifies too, with its host and signing region.
    let global = eks_token("demo", &["--sts-endpoint", "global"]);
    ok(verify(
        &global,
        T + 60,
        &[
            "--cluster",
            "demo",
            "--host",
            "sts.amazonaws.com",
            "--region",
            "us-east-1",
        ],
    ));
    fails(
        &verify(
            &global,
            T + 60,
            &["--cluster", "demo", "--host", "sts.us-east-1.amazonaws.com"],
        ),
        "WRONG_HOST",
    );
}

#[test]
fn verify_msk_tokens() {
    let dir = Dir::new("msk-keys");
    let keys = keys_file(
        &dir,
        &serde_json::json!({"access_key_id": AKID, "secret_access_key": SECRET, "session_token": null}),
    );
    let token = msk_token(&["--expires-in", "120"]);
    let verify = |token: &str, now: i64, extra: &[&str]| {
        let now = now.to_string();
        let mut args = vec!["verify", token, "--keys", &keys, "--now", &now];
        args.extend_from_slice(extra);
        run(&args)
    };
    let who: Value = serde_json::from_str(&ok(verify(
        &token,
        T + 60,
        &[
            "--service",
            "kafka-cluster",
            "--region",
            "us-east-1",
            "--json",
        ],
    )))
    .unwrap();
    assert_eq!(who["kind"], "msk");
    assert_eq!(who["host"], "kafka.us-east-1.amazonaws.com");
    assert_eq!(who["action"], "kafka-cluster:Connect");
    assert_eq!(who["expires_at_unix"], T + 120);
    // Expired after its expires_in; the default service refuses it; another region.
    ok(verify(&token, T + 119, &["--service", "kafka-cluster"]));
    fails(
        &verify(&token, T + 120, &["--service", "kafka-cluster"]),
        "EXPIRED_TOKEN",
    );
    fails(&verify(&token, T + 60, &[]), "WRONG_SERVICE");
    fails(
        &verify(
            &token,
            T + 60,
            &["--service", "kafka-cluster", "--region", "eu-west-1"],
        ),
        "WRONG_REGION",
    );
    // The cluster expectation is EKS's only: an MSK token ignores it.
    ok(verify(
        &token,
        T + 60,
        &["--service", "kafka-cluster", "--cluster", "demo"],
    ));
}

#[test]
fn help_of_eks_and_msk() {
    let eks = ok(run_env(&["eks", "--help"], &[]));
    for flag in [
        "--cluster NAME ",
        "--region REGION ",
        "--sts-endpoint E ",
        "--time TIME ",
        "--profile NAME ",
    ] {
        assert!(eks.contains(&format!("\n  {flag}")), "{flag}\n{eks}");
    }
    assert!(eks.contains("KUBERNETES_EXEC_INFO"));
    let msk = ok(run_env(&["msk", "--help"], &[]));
    for flag in [
        "--region REGION ",
        "--expires-in SECONDS ",
        "--user-agent UA ",
        "--time TIME ",
        "--json ",
    ] {
        assert!(msk.contains(&format!("\n  {flag}")), "{flag}\n{msk}");
    }
    assert!(msk.contains(iamauth::MSK_USER_AGENT));
    assert!(msk.contains(&format!(
        "1 to {}, default {}",
        iamauth::MAX_DB_EXPIRY,
        iamauth::DEFAULT_EXPIRY
    )));
    let verify = ok(run_env(&["verify", "--help"], &[]));
    assert!(verify.contains("\n  --cluster NAME "));
}

/// Without --sts-endpoint, AWS_STS_REGIONAL_ENDPOINTS=legacy picks the global endpoint, as it
/// does for `aws eks get-token` (botocore reads it); --sts-endpoint wins over it.
#[test]
fn eks_reads_aws_sts_regional_endpoints_like_botocore() {
    let args = [
        "eks",
        "--cluster",
        "demo",
        "--region",
        "eu-west-1",
        "--time",
        "1704164645",
    ];
    let with = |extra: &[&str], legacy: bool| {
        let mut env = CREDS.to_vec();
        if legacy {
            env.push(("AWS_STS_REGIONAL_ENDPOINTS", "legacy"));
        }
        let all: Vec<&str> = args.iter().chain(extra).copied().collect();
        let out: Value = serde_json::from_str(&ok(run_env(&all, &env))).unwrap();
        out["status"]["token"].as_str().unwrap().to_owned()
    };
    let global = with(&["--sts-endpoint", "global"], false);
    let regional = with(&[], false);
    assert_ne!(global, regional);
    assert_eq!(with(&[], true), global);
    assert_eq!(with(&["--sts-endpoint", "regional"], true), regional);
}
