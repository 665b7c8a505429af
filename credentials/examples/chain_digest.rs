//! What the chain resolves in this process's environment, for the botocore differential
//! (tests/credentials): one JSON line with the access key id, the SHA-256 (hex) of the secret
//! and of the session token (never the secrets themselves), the expiration and the source; or
//! the error. `--profile NAME` names the profile as the AWS CLI's flag does.
#![allow(clippy::print_stdout)]

use sha2::{Digest as _, Sha256};

fn digest(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn quoted(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

fn main() {
    let mut settings = iamauth_credentials::Settings::from_process();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, name] = args.as_slice() {
        if flag == "--profile" {
            settings = settings.profile(name.as_str());
        }
    }
    match iamauth_credentials::resolve(&settings) {
        Ok(c) => println!(
            "{{\"accessKeyId\":{},\"secretSha256\":\"{}\",\"sessionTokenSha256\":{},\"expiration\":{},\"source\":{}}}",
            quoted(c.access_key_id()),
            digest(c.secret_access_key()),
            c.session_token()
                .map_or("null".to_owned(), |t| format!("\"{}\"", digest(t))),
            c.expiration().map_or("null".to_owned(), |e| e.to_string()),
            quoted(c.source())
        ),
        Err(e) => println!("{{\"error\":{}}}", quoted(&e.to_string())),
    }
}
