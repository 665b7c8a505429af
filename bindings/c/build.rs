//! Without the `header` feature this does nothing. With it, cbindgen (pinned in the root
//! Cargo.toml) writes the header to `$IAMAUTH_HEADER_OUT`, or to `$OUT_DIR/iamauth.h` when that
//! is unset: never into the source tree unless asked (`check-header.sh --write`).

fn main() {
    #[cfg(feature = "header")]
    header::generate();
}

#[cfg(feature = "header")]
mod header {
    use std::path::PathBuf;

    pub(crate) fn generate() {
        println!("cargo:rerun-if-changed=src");
        println!("cargo:rerun-if-changed=cbindgen.toml");
        println!("cargo:rerun-if-env-changed=IAMAUTH_HEADER_OUT");
        let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
        let out = match std::env::var_os("IAMAUTH_HEADER_OUT") {
            Some(path) => PathBuf::from(path),
            None => PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("iamauth.h"),
        };
        let mut config = match cbindgen::Config::from_file(dir.join("cbindgen.toml")) {
            Ok(config) => config,
            Err(e) => fail(&format!("cbindgen.toml: {e}")),
        };
        // The version macros come from Cargo, so the header can never disagree with the crate.
        let v = |name: &str| std::env::var(name).unwrap_or_default();
        config.after_includes = Some(format!(
            "\n#define IAMAUTH_VERSION \"{}\"\n#define IAMAUTH_VERSION_MAJOR {}\n\
             #define IAMAUTH_VERSION_MINOR {}\n#define IAMAUTH_VERSION_PATCH {}\n",
            v("CARGO_PKG_VERSION"),
            v("CARGO_PKG_VERSION_MAJOR"),
            v("CARGO_PKG_VERSION_MINOR"),
            v("CARGO_PKG_VERSION_PATCH"),
        ));
        match cbindgen::generate_with_config(&dir, config) {
            Ok(bindings) => {
                bindings.write_to_file(&out);
            }
            Err(e) => fail(&format!("cbindgen: {e}")),
        }
    }

    fn fail(message: &str) -> ! {
        eprintln!("{message}");
        std::process::exit(1);
    }
}
