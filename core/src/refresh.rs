//! When a cached token must be replaced: the one rule every binding's token provider follows.
//! Providers keep only the cache and the locking; [`reuse_until`] and [`may_reuse`] decide.

use crate::error::{ErrorCode, Result, fail};

/// Refresh when less than a third of the usable lifetime is left, or less than a minute,
/// whichever comes first, but never later than half-way through a lifetime shorter than two
/// minutes (so a short-lived token is still reused for a while).
const SHARE_DIVISOR: i64 = 3;
/// The least time left at which a token is still handed out as is.
const MIN_MARGIN: i64 = 60;

/// The unix second from which a token signed at `signed_at`, valid for `expires_in` seconds,
/// must no longer be handed out, and a new one must be made.
///
/// The token is usable until the earlier of its own expiry and `credentials_expiration` (a
/// token signed with temporary credentials stops working when they expire). With `lifetime`
/// the usable span, the refresh point is `usable_until - margin` where
/// `margin = min(max(ceil(lifetime / 3), 60), lifetime / 2)`: for a 900 s token, 600 s after
/// signing; for a 60 s token, 30 s after. A result `<= signed_at` means the token is unusable
/// from the start (credentials already expired). Saturating: no input overflows.
///
/// ```
/// assert_eq!(iamauth::refresh_at(1_000, 900, None), 1_600);
/// assert_eq!(iamauth::refresh_at(1_000, 60, None), 1_030);
/// // Credentials that expire in 5 minutes: 100 s before they do.
/// assert_eq!(iamauth::refresh_at(1_000, 900, Some(1_300)), 1_200);
/// ```
pub fn refresh_at(signed_at: i64, expires_in: i64, credentials_expiration: Option<i64>) -> i64 {
    let expires_at = signed_at.saturating_add(expires_in);
    let usable_until = match credentials_expiration {
        Some(limit) if limit < expires_at => limit,
        _ => expires_at,
    };
    let lifetime = usable_until.saturating_sub(signed_at);
    if lifetime <= 0 {
        return usable_until;
    }
    let share =
        lifetime.div_euclid(SHARE_DIVISOR) + i64::from(lifetime.rem_euclid(SHARE_DIVISOR) != 0);
    let margin = share.max(MIN_MARGIN).min(lifetime / 2);
    usable_until - margin
}

/// The providers' rule, whole: how long a token just signed at `signed_at` may be handed out
/// again. It is [`refresh_at`], except that credentials already expired at `signed_at` are
/// refused with `INVALID_CREDENTIALS` (every token made with them would be refused by the
/// database, so a provider must not cache or return one).
///
/// ```
/// assert_eq!(iamauth::reuse_until(1_000, 900, None), Ok(1_600));
/// let err = iamauth::reuse_until(1_000, 900, Some(1_000)).unwrap_err();
/// assert_eq!(err.code().name(), "INVALID_CREDENTIALS");
/// ```
pub fn reuse_until(
    signed_at: i64,
    expires_in: i64,
    credentials_expiration: Option<i64>,
) -> Result<i64> {
    let until = refresh_at(signed_at, expires_in, credentials_expiration);
    if until <= signed_at {
        return fail(
            ErrorCode::InvalidCredentials,
            "credentials: expired (their expiration has passed), so no token made with them would be accepted",
        );
    }
    Ok(until)
}

/// Whether a token cached at `signed_at`, reusable until `reuse_until` (see [`reuse_until`]),
/// may be handed out at `now`. A clock that went back before `signed_at` makes a new one.
pub const fn may_reuse(now: i64, signed_at: i64, reuse_until: i64) -> bool {
    now >= signed_at && now < reuse_until
}

#[cfg(test)]
mod tests {
    use super::{may_reuse, refresh_at, reuse_until};

    #[test]
    fn reuse_is_refused_for_expired_credentials_and_stops_at_the_refresh_point() {
        assert_eq!(reuse_until(10, 900, None), Ok(610));
        assert_eq!(
            reuse_until(10, 900, Some(10)).map_err(|e| e.code().name()),
            Err("INVALID_CREDENTIALS")
        );
        assert_eq!(
            reuse_until(10, 900, Some(5)).map_err(|e| e.code().name()),
            Err("INVALID_CREDENTIALS")
        );
        assert!(may_reuse(10, 10, 610));
        assert!(may_reuse(609, 10, 610));
        assert!(!may_reuse(610, 10, 610));
        assert!(!may_reuse(9, 10, 610));
    }

    #[test]
    fn the_rule_at_its_edges() {
        // A third of 900 s (300) is more than a minute: refresh 600 s in.
        assert_eq!(refresh_at(0, 900, None), 600);
        // 150 s: a third is 50, a minute is more: refresh with 60 s left.
        assert_eq!(refresh_at(0, 150, None), 90);
        // 100 s: a minute would be past half-way: half-way.
        assert_eq!(refresh_at(0, 100, None), 50);
        assert_eq!(refresh_at(0, 2, None), 1);
        // 1 s: no margin can be kept; handed out until it expires.
        assert_eq!(refresh_at(0, 1, None), 1);
        // Credentials expire first.
        assert_eq!(refresh_at(0, 900, Some(90)), 45);
        assert_eq!(refresh_at(0, 900, Some(0)), 0);
        assert_eq!(refresh_at(0, 900, Some(-5)), -5);
        // Later credentials change nothing.
        assert_eq!(refresh_at(0, 900, Some(10_000)), 600);
        // Never overflows.
        assert_eq!(refresh_at(i64::MAX, i64::MAX, None), i64::MAX);
        assert!(refresh_at(i64::MIN, i64::MAX, Some(i64::MIN)) <= i64::MIN + 1);
    }

    #[test]
    fn never_after_expiry_and_never_before_signing() {
        for expires_in in 1..2_000 {
            for cred in [None, Some(expires_in / 2), Some(expires_in + 7)] {
                let r = refresh_at(10, expires_in, cred.map(|c| c + 10));
                let until = cred.map_or(expires_in, |c| c.min(expires_in)) + 10;
                assert!(r <= until, "{expires_in} {cred:?}");
                assert!(
                    until <= 10 || r > 10 || until - 10 == 0,
                    "{expires_in} {cred:?}"
                );
            }
        }
    }
}
