//! `verify`. Input lines: 0 the token, 1 the keys file's text, 2 which expectations to set
//! (`h` host, `p` port, `u` user, `a` action, `r` region, `s` service taken from the token
//! itself; `H`, `U`, `A`, `R`, `S` from line 3 instead, `P` the port from line 4), 3 a value,
//! 4 a number, 5 `now` (else the token's signing time plus line 4); `C` in line 2 expects the
//! EKS cluster named on line 3. The token goes through `decode_token` (EKS, MSK) first.
//! Beyond "no panic": an accepted token's signature is the one the signer makes from the
//! identity's fields with the key's secret (verify never accepts a signature it did not
//! compute); the identity is what `inspect` reads and meets every expectation; `now` is inside
//! the validity; the same token with one signature digit changed is refused; and
//! `KeyFile::parse_for` gives the same answer as `KeyFile::parse`.
#![no_main]

use iamauth::{Expectations, KeyFile, VerifyKey, decode_token, inspect, verify};
use iamauth_fuzz::{lines, sign_again};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(l) = lines(data) else {
        return;
    };
    let (raw, keys_text, which, value) = (l.get(0), l.get(1), l.get(2), l.get(3));
    let decoded = decode_token(raw);
    let token: &str = &decoded;
    let Ok(keys) = KeyFile::parse(keys_text) else {
        return;
    };
    let info = inspect(token).ok();
    let from_token = |f: fn(&iamauth::TokenInfo<'_>) -> Option<String>| info.as_ref().and_then(f);
    let owned = [
        from_token(|i| Some(i.host.to_owned())),
        from_token(|i| i.user.as_deref().map(str::to_owned)),
        from_token(|i| Some(i.action.to_owned())),
        from_token(|i| Some(i.region.to_owned())),
        from_token(|i| Some(i.service.to_owned())),
    ];
    let pick = |own: char, other: char, i: usize| -> Option<&str> {
        if which.contains(other) {
            Some(value)
        } else if which.contains(own) {
            owned.get(i).and_then(|o| o.as_deref())
        } else {
            None
        }
    };
    let number = l.num(4).unwrap_or(0);
    let port = if which.contains('P') {
        u16::try_from(number).ok()
    } else if which.contains('p') {
        info.as_ref().and_then(|i| i.port)
    } else {
        None
    };
    let expect = Expectations {
        host: pick('h', 'H', 0),
        port,
        user: pick('u', 'U', 1),
        action: pick('a', 'A', 2),
        region: pick('r', 'R', 3),
        service: pick('s', 'S', 4),
        cluster: which.contains('C').then_some(value),
        ..Expectations::default()
    };
    let now = l.num(5).unwrap_or_else(|| {
        info.as_ref()
            .map_or(0, |i| i.signed_at.saturating_add(number.rem_euclid(2000) - 400))
    });

    let lookup = |id: &str| keys.get(id);
    let result = verify(token, lookup, &expect, now);

    // The key file read for the token's key only answers the same.
    if let Some(i) = &info {
        if let Ok(one) = KeyFile::parse_for(keys_text, i.access_key_id) {
            let again = verify(token, |id: &str| one.get(id), &expect, now);
            assert_eq!(result, again, "parse_for's key file answers differently");
        } else {
            panic!("parse_for refuses a file parse reads");
        }
    }

    let Ok(who) = result else {
        return;
    };
    let info = info.expect("an accepted token reads");
    let key: VerifyKey<'_> = keys.get(who.access_key_id).expect("an accepted token's key exists");
    // The signature is the signer's, from the identity's fields and the key's secret.
    let cluster = expect.cluster.unwrap_or_default();
    let again = sign_again(&info, key.secret_access_key, key.session_token, cluster)
        .expect("the signer signs what verify accepted");
    let resigned = inspect(&again).expect("the signer's token reads");
    assert_eq!(resigned.signature, info.signature, "verify accepted a signature the signer does not make");
    // The identity is what inspect read, and meets every expectation.
    assert_eq!(who.kind, info.kind);
    assert_eq!(who.host, info.host);
    assert_eq!(who.port, info.port);
    assert_eq!(who.user, info.user);
    assert_eq!(who.action, info.action);
    assert_eq!((who.region, who.service), (info.region, info.service));
    assert_eq!((who.signed_at, who.expires_at), (info.signed_at, info.expires_at));
    assert!(expect.host.is_none_or(|h| h.eq_ignore_ascii_case(who.host)));
    assert!(expect.port.is_none_or(|p| Some(p) == who.port));
    assert!(expect.user.is_none_or(|u| Some(u) == who.user.as_deref()));
    assert!(expect.action.is_none_or(|a| a == who.action));
    assert!(expect.region.is_none_or(|r| r == who.region));
    assert_eq!(who.service, expect.service.unwrap_or(iamauth::DEFAULT_SERVICE));
    assert!(now < who.expires_at && now >= who.signed_at - expect.skew);
    assert_eq!(info.has_session_token, key.session_token.is_some());
    // One signature digit changed: refused.
    let mut changed = info.signature.to_owned();
    let digit = if changed.ends_with('0') { "1" } else { "0" };
    changed.replace_range(63.., digit);
    let forged = token.replace(info.signature, &changed);
    assert!(verify(&forged, lookup, &expect, now).is_err(), "a changed signature was accepted");
});
