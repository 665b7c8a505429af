//! Links libpam: the module calls `pam_get_user`, `pam_get_authtok`, `pam_get_item` and
//! `pam_syslog` from the libpam that loaded it.

fn main() {
    println!("cargo:rustc-link-lib=pam");
}
