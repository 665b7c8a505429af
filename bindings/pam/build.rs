//! Links libpam: the module calls `pam_get_user`, `pam_get_authtok`, `pam_get_item` and
//! `pam_syslog` from the libpam that loaded it.
//!
//! A cross build (bindings/c/dist.sh, with zig as the linker) sees no libpam of the target in
//! its sysroot: `IAMAUTH_PAM_LIB_DIR` names a directory holding the target's `libpam.so`.

fn main() {
    println!("cargo:rerun-if-env-changed=IAMAUTH_PAM_LIB_DIR");
    if let Some(dir) = std::env::var_os("IAMAUTH_PAM_LIB_DIR") {
        println!("cargo:rustc-link-search=native={}", dir.to_string_lossy());
    }
    println!("cargo:rustc-link-lib=pam");
}
