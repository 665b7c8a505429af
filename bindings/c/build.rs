//! Gives the shared library its SONAME (see `soname`). With the `header` feature, cbindgen
//! (pinned in the root Cargo.toml) also writes the header to `$IAMAUTH_HEADER_OUT`, or to
//! `$OUT_DIR/iamauth.h` when that is unset: never into the source tree unless asked
//! (`check-header.sh --write`).

fn main() {
    soname();
    #[cfg(feature = "header")]
    header::generate();
}

/// Sets the ELF SONAME of `libiamauth.so`, the name a program records at link time and the
/// loader looks for at run time; `install.sh` reads it back and makes the matching symlink.
///
/// The rule is Cargo's SemVer, as cargo-c applies it: from 1.0 the major version alone breaks
/// compatibility (`libiamauth.so.1`), but in 0.x every minor release may break it (0.1 -> 0.2 is
/// a breaking change to Cargo), so the minor is part of the name (`libiamauth.so.0.1`), and in
/// 0.0.x every release is (`libiamauth.so.0.0.3`). A bare `.so.0` would let a program built
/// against 0.1 load an incompatible 0.2.
fn soname() {
    let v = |name: &str| std::env::var(name).unwrap_or_default();
    // ELF only: Apple's linker has -install_name instead, Windows has neither.
    if v("CARGO_CFG_TARGET_FAMILY").split(',').all(|f| f != "unix")
        || v("CARGO_CFG_TARGET_VENDOR") == "apple"
    {
        return;
    }
    let (major, minor, patch) = (
        v("CARGO_PKG_VERSION_MAJOR"),
        v("CARGO_PKG_VERSION_MINOR"),
        v("CARGO_PKG_VERSION_PATCH"),
    );
    let abi = match (major.as_str(), minor.as_str()) {
        ("0", "0") => format!("0.0.{patch}"),
        ("0", _) => format!("0.{minor}"),
        _ => major,
    };
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libiamauth.so.{abi}");
    println!("cargo:rerun-if-changed=build.rs");
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
