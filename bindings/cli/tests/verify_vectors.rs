//! `iamauth verify` against tests/vectors/verify.json (read in place): for each case a keys file
//! written from the case's keys, flags from its expectations, `--now` from its clock, the token
//! as the argument; then exit 0 and the `--json` identity, or exit 2 and `error: CODE: ...`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use serde_json::Value;
use std::process::{Command, Stdio};

fn cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/verify.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let vectors: Value = serde_json::from_str(&text).unwrap();
    vectors["cases"].as_array().unwrap().clone()
}

/// A fresh directory for one case's keys file, removed when dropped.
struct Dir(std::path::PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("verify-vectors-{}-{name}", std::process::id()));
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

/// The flags of a case's expectations (absent ones left out: the command's defaults are the core's).
fn flags(expect: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (field, flag) in [
        ("host", "--host"),
        ("port", "--port"),
        ("user", "--user"),
        ("action", "--action"),
        ("region", "--region"),
        ("service", "--service"),
        ("skew", "--skew"),
        ("cluster", "--cluster"),
    ] {
        match &expect[field] {
            Value::Null => {}
            Value::String(s) => out.extend([flag.to_owned(), s.clone()]),
            Value::Number(n) => out.extend([flag.to_owned(), n.to_string()]),
            other => panic!("{field}: {other}"),
        }
    }
    out
}

#[test]
fn every_verify_vector() {
    let cases = cases();
    assert!(!cases.is_empty(), "verify.json has no cases");
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let dir = Dir::new(name);
        let keys = dir.0.join("keys.json");
        std::fs::write(&keys, case["keys"].to_string()).unwrap();
        // Closed to others, or verify refuses it (INSECURE_KEYS_FILE).
        #[cfg(unix)]
        std::fs::set_permissions(&keys, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        let token = case["token"].as_str().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_iamauth"));
        for (var, _) in std::env::vars_os() {
            if var.to_string_lossy().starts_with("AWS_") {
                cmd.env_remove(var);
            }
        }
        cmd.env("HOME", &dir.0)
            .arg("verify")
            .arg(token)
            .arg("--keys")
            .arg(&keys)
            .arg(format!("--now={}", case["now"]))
            .args(flags(&case["expect"]))
            .arg("--json")
            .stdin(Stdio::null());
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        for entry in case["keys"].as_object().unwrap().values() {
            let secret = entry["secret_access_key"].as_str().unwrap();
            assert!(
                !stdout.contains(secret) && !stderr.contains(secret),
                "{name}"
            );
        }
        if let Some(code) = case["outcome"]["code"].as_str() {
            assert_eq!(out.status.code(), Some(2), "{name}: {stdout} {stderr}");
            assert_eq!(stdout, "", "{name}");
            assert!(
                stderr.starts_with(&format!("error: {code}: ")) && stderr.ends_with('\n'),
                "{name}: want {code}, got {stderr:?}"
            );
            continue;
        }
        assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
        assert_eq!(stderr, "", "{name}");
        let got: Value = serde_json::from_str(&stdout).unwrap();
        let want = &case["outcome"]["identity"];
        for field in [
            "kind",
            "access_key_id",
            "user",
            "action",
            "host",
            "port",
            "region",
            "service",
        ] {
            assert_eq!(got[field], want[field], "{name}: {field}");
        }
        assert_eq!(got["signed_at_unix"], want["signed_at"], "{name}");
        assert_eq!(got["expires_at_unix"], want["expires_at"], "{name}");
    }
}
