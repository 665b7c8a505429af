//! Signing times: unix seconds in, SigV4's `YYYYMMDD'T'HHMMSS'Z'` out, and back again.
//!
//! Core has no clock: every time is a parameter. Bindings fill in "now".

use crate::error::{ErrorCode, Result, fail};
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// 1970-01-01T00:00:00Z, the earliest signing time accepted.
pub const MIN_UNIX_TIME: i64 = 0;
/// 9999-12-31T23:59:59Z, the latest signing time accepted.
pub const MAX_UNIX_TIME: i64 = 253_402_300_799;

const TIME_RULE: &str = "time: must be unix seconds from 0 (1970-01-01T00:00:00Z) to 253402300799 (9999-12-31T23:59:59Z)";

/// A validated instant in whole seconds, with its SigV4 spellings precomputed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningTime {
    unix: i64,
    amz_date: [u8; 16],
}

impl SigningTime {
    /// Validates unix seconds (`INVALID_TIME` outside 1970..=9999).
    pub fn from_unix(unix: i64) -> Result<SigningTime> {
        if !(MIN_UNIX_TIME..=MAX_UNIX_TIME).contains(&unix) {
            return fail(ErrorCode::InvalidTime, TIME_RULE);
        }
        let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        let mut amz_date = *b"00000000T000000Z";
        write_digits(amz_date.get_mut(0..4).unwrap_or_default(), year);
        write_digits(amz_date.get_mut(4..6).unwrap_or_default(), month);
        write_digits(amz_date.get_mut(6..8).unwrap_or_default(), day);
        write_digits(
            amz_date.get_mut(9..11).unwrap_or_default(),
            (secs / 3600) as u32,
        );
        write_digits(
            amz_date.get_mut(11..13).unwrap_or_default(),
            (secs / 60 % 60) as u32,
        );
        write_digits(
            amz_date.get_mut(13..15).unwrap_or_default(),
            (secs % 60) as u32,
        );
        Ok(SigningTime { unix, amz_date })
    }

    /// Unix seconds.
    pub const fn unix(&self) -> i64 {
        self.unix
    }

    /// `X-Amz-Date` as bytes.
    pub(crate) fn amz_date_bytes(&self) -> &[u8; 16] {
        &self.amz_date
    }

    /// `X-Amz-Date`: `20161107T173933Z`.
    pub fn amz_date(&self) -> &str {
        core::str::from_utf8(&self.amz_date).unwrap_or_default()
    }

    /// The credential scope's date: `20161107`.
    pub fn scope_date(&self) -> &str {
        self.amz_date().get(..8).unwrap_or_default()
    }

    /// Parses an `X-Amz-Date` value (`YYYYMMDD'T'HHMMSS'Z'`), strictly.
    pub fn from_amz_date(s: &str) -> Option<SigningTime> {
        let b = s.as_bytes();
        if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
            return None;
        }
        let num = |from: usize, to: usize| -> Option<u32> {
            let digits = b.get(from..to)?;
            digits.iter().try_fold(0u32, |acc, &d| {
                d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
            })
        };
        let year = i32::try_from(num(0, 4)?).ok()?;
        let month = Month::try_from(u8::try_from(num(4, 6)?).ok()?).ok()?;
        let date = Date::from_calendar_date(year, month, u8::try_from(num(6, 8)?).ok()?).ok()?;
        let clock = Time::from_hms(
            u8::try_from(num(9, 11)?).ok()?,
            u8::try_from(num(11, 13)?).ok()?,
            u8::try_from(num(13, 15)?).ok()?,
        )
        .ok()?;
        let unix = PrimitiveDateTime::new(date, clock)
            .assume_utc()
            .unix_timestamp();
        // A valid date and time is already spelled as `from_unix` would spell it: kept as is.
        let amz_date: [u8; 16] = b.try_into().ok()?;
        (MIN_UNIX_TIME..=MAX_UNIX_TIME)
            .contains(&unix)
            .then_some(SigningTime { unix, amz_date })
    }

    /// RFC 3339 in UTC: `2016-11-07T17:39:33Z`.
    pub fn rfc3339(&self) -> [u8; 20] {
        let d = &self.amz_date;
        let at = |i: usize| d.get(i).copied().unwrap_or(b'0');
        let mut out = *b"0000-00-00T00:00:00Z";
        for (dst, src) in [
            (0, 0),
            (1, 1),
            (2, 2),
            (3, 3),
            (5, 4),
            (6, 5),
            (8, 6),
            (9, 7),
            (11, 9),
            (12, 10),
            (14, 11),
            (15, 12),
            (17, 13),
            (18, 14),
        ] {
            if let Some(slot) = out.get_mut(dst) {
                *slot = at(src);
            }
        }
        out
    }
}

/// Formats unix seconds as RFC 3339 UTC (`2016-11-07T17:39:33Z`); `INVALID_TIME` out of range.
pub fn format_rfc3339(unix: i64) -> Result<alloc::string::String> {
    let t = SigningTime::from_unix(unix)?;
    Ok(core::str::from_utf8(&t.rfc3339())
        .unwrap_or_default()
        .into())
}

/// Reads a time as the command line and the docs spell it: RFC 3339 (`2024-01-02T03:04:05Z`,
/// any offset, fractions truncated) or unix seconds (`1704164645`). `INVALID_TIME` otherwise.
pub fn parse_time(s: &str) -> Result<i64> {
    const RULE: &str = "time: must be RFC 3339 (2024-01-02T03:04:05Z) or unix seconds, from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z";
    let s = s.trim();
    let unix = if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        match s.parse::<i64>() {
            Ok(n) => n,
            Err(_) => return fail(ErrorCode::InvalidTime, RULE),
        }
    } else {
        match OffsetDateTime::parse(s, &Rfc3339) {
            Ok(dt) => dt.unix_timestamp(),
            Err(_) => return fail(ErrorCode::InvalidTime, RULE),
        }
    };
    match SigningTime::from_unix(unix) {
        Ok(t) => Ok(t.unix()),
        Err(_) => fail(ErrorCode::InvalidTime, RULE),
    }
}

/// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01, for days in
/// 0..=2_932_896 (up to 9999-12-31). Howard Hinnant's `civil_from_days`: plain integer steps
/// instead of a calendar library on every token.
fn civil_from_days(days: i64) -> (u32, u32, u32) {
    let z = days + 719_468; // days since 0000-03-01
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of the 400-year era
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of the March-based year
    let mp = (5 * doy + 2) / 153; // month, March = 0
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as u32, month as u32, day as u32)
}

/// Writes `value` as zero-padded decimal filling `out`.
fn write_digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::ToOwned;

    #[test]
    fn civil_dates_agree_with_the_time_crate() {
        let mut unix = MIN_UNIX_TIME;
        // Every day boundary of the first and last years, and a stride through the rest.
        let step = |u: i64| {
            if !(86_400 * 800..=MAX_UNIX_TIME - 86_400 * 800).contains(&u) {
                43_201
            } else {
                7_777_777
            }
        };
        while unix <= MAX_UNIX_TIME {
            let ours = SigningTime::from_unix(unix).map(|t| t.amz_date().to_owned());
            let dt =
                OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
            let theirs = alloc::format!(
                "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                dt.year(),
                u8::from(dt.month()),
                dt.day(),
                dt.hour(),
                dt.minute(),
                dt.second()
            );
            assert_eq!(ours.as_deref(), Ok(theirs.as_str()), "{unix}");
            assert_eq!(
                SigningTime::from_amz_date(&theirs).map(|t| t.unix()),
                Some(unix)
            );
            unix += step(unix);
        }
        assert_eq!(
            SigningTime::from_unix(MAX_UNIX_TIME)
                .map(|t| t.amz_date().to_owned())
                .as_deref(),
            Ok("99991231T235959Z")
        );
    }
}
