//! `inspect` on any text, through `decode_token` (EKS and MSK tokens). Beyond "no panic": what
//! it reads is consistent (the expiry is the signing time plus `X-Amz-Expires`, or 15 minutes
//! for EKS, the signature is 64 lowercase hex digits, `validity`
//! answers for any time), and a token signed again from the fields it read reads back the same
//! fields (inspect of a signed token reads back its inputs).
#![no_main]

use iamauth::{TokenKind, decode_token, inspect};
use iamauth_fuzz::{fields, sign_again};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let token = decode_token(raw);
    let Ok(info) = inspect(&token) else {
        return;
    };
    let lifetime = if info.kind == TokenKind::Eks {
        iamauth::EKS_TOKEN_LIFETIME
    } else {
        i64::from(info.expires_in)
    };
    assert_eq!(info.expires_at, info.signed_at + lifetime);
    assert!(info.signature.len() == 64);
    assert!(info.signature.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    for now in [i64::MIN, info.signed_at - 1, info.signed_at, info.expires_at, i64::MAX] {
        let _ = info.validity(now);
    }
    let session = info.has_session_token.then_some("FuzzSessionToken");
    if let Ok(again) = sign_again(&info, "fuzz-secret", session, "fuzz-cluster") {
        let read = inspect(&again).expect("a token the signer made must read");
        assert_eq!(fields(&read), fields(&info), "{again}");
    }
});
