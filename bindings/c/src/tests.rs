//! Rust-side checks of the ABI: codes, names and the header's version macros. The behaviour is
//! tested from C (`tests/*.c`, run by `test.sh`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use std::ffi::CStr;

fn c(ptr: *const c_char) -> &'static str {
    // SAFETY: the functions under test return static NUL-terminated strings.
    unsafe { CStr::from_ptr(ptr) }.to_str().unwrap()
}

#[test]
fn every_core_code_has_the_same_number_and_name() {
    for code in ErrorCode::ALL {
        let r = iamauth_result::from_code(code);
        assert_ne!(r, IAMAUTH_UNKNOWN_ERROR, "{code:?} is not mapped");
        assert_eq!(r as u32, code.number(), "{code:?}");
        assert_eq!(r.name(), code.name());
        assert_eq!(c(iamauth_result_name(code.number())), code.name());
        assert!(!c(iamauth_result_message(code.number())).is_empty());
    }
}

#[test]
fn binding_codes_are_fixed_and_unique() {
    assert_eq!(IAMAUTH_OK as u32, 0);
    assert_eq!(IAMAUTH_NULL_ARGUMENT as u32, 100);
    assert_eq!(IAMAUTH_INVALID_UTF8 as u32, 101);
    assert_eq!(IAMAUTH_BUFFER_TOO_SMALL as u32, 102);
    assert_eq!(IAMAUTH_PANIC as u32, 103);
    assert_eq!(IAMAUTH_UNKNOWN_ERROR as u32, 104);
    let mut numbers: Vec<u32> = ALL_RESULTS.iter().map(|r| *r as u32).collect();
    let mut names: Vec<&str> = ALL_RESULTS.iter().map(|r| r.name()).collect();
    numbers.dedup();
    names.sort_unstable();
    names.dedup();
    assert_eq!(numbers.len(), ALL_RESULTS.len());
    assert_eq!(names.len(), ALL_RESULTS.len());
    for r in ALL_RESULTS {
        assert_eq!(iamauth_result::from_number(r as u32), Some(r));
        assert_eq!(c(iamauth_result_name(r as u32)), r.name());
    }
    assert_eq!(c(iamauth_result_name(7777)), "UNKNOWN_ERROR");
}

#[test]
fn now_sentinel_is_not_a_valid_time_and_not_int64_min() {
    let now = std::hint::black_box(IAMAUTH_NOW);
    assert_ne!(now, i64::MIN);
    assert!(now < iamauth::MIN_UNIX_TIME);
}

#[test]
fn version_matches_cargo_and_the_header() {
    assert_eq!(c(iamauth_version()), env!("CARGO_PKG_VERSION"));
    assert_eq!(c(iamauth_version()), iamauth::VERSION);
    let header = include_str!("../include/iamauth.h");
    let define = |name: &str| -> String {
        let prefix = format!("#define {name} ");
        let line = header
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("{name} missing from the header"));
        line[prefix.len()..].trim().to_string()
    };
    assert_eq!(
        define("IAMAUTH_VERSION"),
        format!("\"{}\"", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        define("IAMAUTH_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        define("IAMAUTH_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        define("IAMAUTH_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION_PATCH")
    );
}

#[test]
fn header_lists_every_result_with_its_number() {
    let header = include_str!("../include/iamauth.h");
    for r in ALL_RESULTS {
        let line = format!("IAMAUTH_{} = {},", r.name(), r as u32);
        assert!(header.contains(&line), "header lacks `{line}`");
    }
}

#[test]
fn guard_turns_a_panic_into_the_fallback() {
    let r = call(core::ptr::null_mut(), || panic!("boom"));
    assert_eq!(r, IAMAUTH_PANIC);
    let mut message = iamauth_str::new("");
    let r = call(&mut message, || panic!("boom"));
    assert_eq!(r, IAMAUTH_PANIC);
    assert_eq!(message.len, PANICKED.message.len());
}
