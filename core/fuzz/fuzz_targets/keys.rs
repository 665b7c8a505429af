//! The keys file parser. Input: the first line is an access key id, the rest the file's text.
//! Beyond "no panic": `KeyFile::parse_for(text, id)` agrees with `KeyFile::parse(text).get(id)`
//! (the same error code, or the same key), holds at most one key, and every key `parse` found
//! for the id is found again by a second parse of the same text.
#![no_main]

use iamauth::KeyFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (id, text) = input.split_once('\n').unwrap_or(("AKIDEXAMPLE", input));
    let all = KeyFile::parse(text);
    let one = KeyFile::parse_for(text, id);
    match (&all, &one) {
        (Ok(all), Ok(one)) => {
            assert!(one.len() <= 1);
            assert!(one.len() <= all.len());
            let (a, b) = (all.get(id), one.get(id));
            assert_eq!(a.is_some(), b.is_some(), "parse_for({id:?}) disagrees with parse");
            assert_eq!(one.len(), usize::from(b.is_some()));
            if let (Some(a), Some(b)) = (a, b) {
                assert_eq!(a.secret_access_key, b.secret_access_key);
                assert_eq!(a.session_token, b.session_token);
                assert_eq!(a.users, b.users);
                assert_eq!(a.hosts, b.hosts);
            }
        }
        (Err(a), Err(b)) => assert_eq!(a.code(), b.code()),
        _ => panic!(
            "parse and parse_for disagree on whether the file reads: {:?} / {:?}",
            all.as_ref().err(),
            one.as_ref().err()
        ),
    }
    if let Ok(all) = &all {
        assert!(all.len() <= iamauth::MAX_KEYS);
    }
});
