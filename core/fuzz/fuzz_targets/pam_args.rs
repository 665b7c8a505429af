//! The PAM module's argument parser (the words after the module's path on its pam.d line), one
//! word per input line, any bytes. The parser is bindings/pam/src/config.rs itself, compiled
//! into this target by `#[path]` (with log.rs, whose `escape` it uses): nothing is copied and
//! the PAM crate stays a plain cdylib with private modules (see core/fuzz/README.md).
//! Beyond "no panic": the same words in reverse order read the same (order does not matter); a
//! line that reads passes the core's expectation check and its `log=` is the one `log_path`
//! finds; a refusal carries `BAD_ARGUMENT` or a core code, and its message is printable ASCII
//! (argument text is escaped, so no line can be forged in the log).
#![no_main]
#![allow(dead_code)]

#[path = "../../../bindings/pam/src/config.rs"]
mod config;
#[path = "../../../bindings/pam/src/log.rs"]
mod log;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let words: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let parsed = config::parse(&words);
    let mut reversed = words.clone();
    reversed.reverse();
    match parsed {
        Ok(c) => {
            assert_eq!(config::parse(&reversed), Ok(c.clone()), "order changed the outcome");
            assert!(c.expectations(None).check().is_ok());
            assert!(c.keys.is_absolute());
            assert_eq!(config::log_path(&words), c.log);
        }
        Err(e) => {
            assert!(
                e.code == config::BAD_ARGUMENT || iamauth::ErrorCode::from_name(e.code).is_some(),
                "unknown code {}",
                e.code
            );
            assert!(
                e.message.bytes().all(|b| (b' '..=b'~').contains(&b)),
                "unescaped message: {:?}",
                e.message
            );
            assert!(config::parse(&reversed).is_err(), "order changed the outcome");
        }
    }
});
