//! [`DateTime`]: an RFC 3339 timestamp, as Stripe's v2 API (`format: date-time`) sends it.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time written in RFC 3339 (`2026-01-28T09:30:00.123Z`), the timestamps of Stripe's
/// v2 API. (v1 timestamps are Unix seconds: [`crate::Timestamp`].)
///
/// It parses, compares (by instant: `…T10:00:00+01:00` equals `…T09:00:00Z`), converts to and from
/// [`SystemTime`] and Unix seconds, and formats back exactly as it was read: the same number of
/// fraction digits and the same offset, so that an object decoded and serialized again is the
/// JSON Stripe sent. Values made here ([`DateTime::from_unix`], [`DateTime::now`]) are written in
/// UTC (`Z`) with milliseconds, as Stripe writes them.
///
/// The SDK implements RFC 3339 itself (about a hundred lines) rather than depend on a date crate,
/// so that an application building only a few resources compiles nothing more; convert to `jiff`
/// or `chrono` through [`DateTime::unix_seconds`] and [`DateTime::subsec_nanos`].
///
/// ```
/// use stripe_sdk::DateTime;
/// let at: DateTime = "2026-01-28T09:30:00.120Z".parse().unwrap();
/// assert_eq!(at.unix_seconds(), 1_769_592_600);
/// assert_eq!(at.subsec_nanos(), 120_000_000);
/// assert_eq!(at.to_string(), "2026-01-28T09:30:00.120Z");
/// assert_eq!(at, "2026-01-28T10:30:00.12+01:00".parse().unwrap());
/// assert!("2026-02-30T00:00:00Z".parse::<DateTime>().is_err());
/// ```
#[derive(Clone, Copy)]
pub struct DateTime {
    seconds: i64,
    nanos: u32,
    /// Fraction digits as written (0 to 9).
    digits: u8,
    /// The offset as written, in minutes east of UTC; `None` for `Z`.
    offset: Option<i16>,
}

/// Why a string is not an RFC 3339 timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an RFC 3339 timestamp ({problem}): {text:?}")]
pub struct DateTimeError {
    problem: &'static str,
    text: String,
}

impl DateTime {
    /// `seconds` since the Unix epoch and `nanos` (below one second), written in UTC with
    /// milliseconds (or nanoseconds, when the value has a finer part).
    pub fn from_unix(seconds: i64, nanos: u32) -> Option<DateTime> {
        if nanos >= 1_000_000_000 || !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
            return None;
        }
        let digits = if nanos.is_multiple_of(1_000_000) { 3 } else { 9 };
        Some(DateTime { seconds, nanos, digits, offset: None })
    }

    /// The current time.
    pub fn now() -> DateTime {
        DateTime::from(SystemTime::now())
    }

    /// Seconds since the Unix epoch (negative before 1970).
    pub fn unix_seconds(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds after [`DateTime::unix_seconds`].
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// The UTC offset the value was written with, in minutes (`0` for `Z`).
    pub fn offset_minutes(&self) -> i16 {
        self.offset.unwrap_or(0)
    }

    /// The same instant as a [`SystemTime`].
    pub fn to_system_time(&self) -> SystemTime {
        let nanos = Duration::from_nanos(u64::from(self.nanos));
        match u64::try_from(self.seconds) {
            Ok(after) => UNIX_EPOCH + Duration::from_secs(after) + nanos,
            Err(_) => UNIX_EPOCH - Duration::from_secs(self.seconds.unsigned_abs()) + nanos,
        }
    }

    /// Parses RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    pub fn parse(text: &str) -> Result<DateTime, DateTimeError> {
        parse(text.as_bytes())
            .map_err(|problem| DateTimeError { problem, text: crate::error::shorten(text, 64) })
    }
}

impl From<SystemTime> for DateTime {
    /// Times before 0001 or after 9999 are clamped to the range RFC 3339 can write.
    fn from(time: SystemTime) -> DateTime {
        let (seconds, nanos) = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => {
                (i64::try_from(after.as_secs()).unwrap_or(MAX_SECONDS), after.subsec_nanos())
            }
            Err(before) => {
                let before = before.duration();
                let seconds = -i64::try_from(before.as_secs()).unwrap_or(-MIN_SECONDS);
                match before.subsec_nanos() {
                    0 => (seconds, 0),
                    nanos => (seconds - 1, 1_000_000_000 - nanos),
                }
            }
        };
        let seconds = seconds.clamp(MIN_SECONDS, MAX_SECONDS);
        DateTime::from_unix(seconds, nanos).unwrap_or(DateTime {
            seconds,
            nanos: 0,
            digits: 3,
            offset: None,
        })
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &DateTime) -> bool {
        (self.seconds, self.nanos) == (other.seconds, other.nanos)
    }
}

impl Eq for DateTime {}

impl Hash for DateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.seconds, self.nanos).hash(state);
    }
}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &DateTime) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DateTime {
    fn cmp(&self, other: &DateTime) -> Ordering {
        (self.seconds, self.nanos).cmp(&(other.seconds, other.nanos))
    }
}

impl FromStr for DateTime {
    type Err = DateTimeError;
    fn from_str(text: &str) -> Result<DateTime, DateTimeError> {
        DateTime::parse(text)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let offset = i64::from(self.offset_minutes()) * 60;
        let local = self.seconds + offset;
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let second_of_day = local.rem_euclid(86_400);
        let (hour, minute, second) =
            (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
        write!(f, "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")?;
        if self.digits > 0 {
            let fraction = format!("{:09}", self.nanos);
            write!(f, ".{}", &fraction[..usize::from(self.digits)])?;
        }
        match self.offset {
            None => f.write_str("Z"),
            Some(minutes) => {
                let sign = if minutes < 0 { '-' } else { '+' };
                let minutes = minutes.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
            }
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<DateTime, E> {
                DateTime::parse(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
const MIN_SECONDS: i64 = -62_135_596_800;
const MAX_SECONDS: i64 = 253_402_300_799;

fn parse(text: &[u8]) -> Result<DateTime, &'static str> {
    let mut cursor = Cursor { text, at: 0 };
    let year = cursor.number(4, "year")?;
    cursor.expect(b'-', "`-` after the year")?;
    let month = cursor.number(2, "month")?;
    cursor.expect(b'-', "`-` after the month")?;
    let day = cursor.number(2, "day")?;
    match cursor.next() {
        Some(b'T' | b't' | b' ') => {}
        _ => return Err("`T` between date and time"),
    }
    let hour = cursor.number(2, "hour")?;
    cursor.expect(b':', "`:` after the hour")?;
    let minute = cursor.number(2, "minute")?;
    cursor.expect(b':', "`:` after the minutes")?;
    let second = cursor.number(2, "second")?;
    let (mut nanos, mut digits) = (0u32, 0u8);
    if cursor.peek() == Some(b'.') {
        cursor.at += 1;
        while let Some(digit) = cursor.peek().filter(u8::is_ascii_digit) {
            if digits == 9 {
                return Err("more than 9 fraction digits");
            }
            nanos = nanos * 10 + u32::from(digit - b'0');
            digits += 1;
            cursor.at += 1;
        }
        if digits == 0 {
            return Err("digits after `.`");
        }
        nanos *= 10u32.pow(u32::from(9 - digits));
    }
    let offset = match cursor.next() {
        Some(b'Z' | b'z') => None,
        Some(sign @ (b'+' | b'-')) => {
            let hours = cursor.number(2, "offset hours")?;
            cursor.expect(b':', "`:` in the offset")?;
            let minutes = cursor.number(2, "offset minutes")?;
            if hours > 23 || minutes > 59 {
                return Err("an offset below 24 hours");
            }
            let total = (hours * 60 + minutes) as i16;
            Some(if sign == b'-' { -total } else { total })
        }
        _ => return Err("`Z` or an offset"),
    };
    if cursor.at != text.len() {
        return Err("nothing after the offset");
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err("a date that exists");
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err("a time of day");
    }
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    let seconds = local - i64::from(offset.unwrap_or(0)) * 60;
    Ok(DateTime { seconds, nanos, digits, offset })
}

struct Cursor<'a> {
    text: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek();
        self.at += usize::from(byte.is_some());
        byte
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), &'static str> {
        if self.next() == Some(byte) {
            Ok(())
        } else {
            Err(what)
        }
    }

    fn number(&mut self, width: usize, what: &'static str) -> Result<i64, &'static str> {
        let digits = self.text.get(self.at..self.at + width).ok_or(what)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(what);
        }
        self.at += width;
        Ok(digits.iter().fold(0, |value, digit| value * 10 + i64::from(digit - b'0')))
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day since 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_exactly() {
        for text in [
            "2026-01-28T09:30:00Z",
            "2026-01-28T09:30:00.000Z",
            "2024-02-29T23:59:59.999999999Z",
            "1969-12-31T23:59:59.5-05:30",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59+14:00",
            "2000-03-01T00:00:00.1+00:00",
        ] {
            assert_eq!(DateTime::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn agrees_with_unix_time() {
        let epoch = DateTime::parse("1970-01-01T00:00:00Z").unwrap();
        assert_eq!((epoch.unix_seconds(), epoch.subsec_nanos()), (0, 0));
        let before = DateTime::parse("1969-12-31T23:59:59.250Z").unwrap();
        assert_eq!((before.unix_seconds(), before.subsec_nanos()), (-1, 250_000_000));
        assert_eq!(DateTime::from(before.to_system_time()), before);
        let made = DateTime::from_unix(1_700_000_000, 5_000_000).unwrap();
        assert_eq!(made.to_string(), "2023-11-14T22:13:20.005Z");
        assert_eq!(made, DateTime::parse("2023-11-14T23:13:20.005+01:00").unwrap());
        assert!(made < DateTime::parse("2023-11-14T22:13:20.006Z").unwrap());
        // Every day of four centuries converts both ways.
        for day in -150_000..150_000 {
            let (year, month, date) = civil_from_days(day);
            assert_eq!(days_from_civil(year, month, date), day);
        }
    }

    #[test]
    fn refuses_what_is_not_rfc_3339() {
        for (text, problem) in [
            ("", "year"),
            ("2026-01-28", "`T` between date and time"),
            ("2026-13-01T00:00:00Z", "a date that exists"),
            ("2025-02-29T00:00:00Z", "a date that exists"),
            ("2026-01-28T24:00:00Z", "a time of day"),
            ("2026-01-28T00:00:00", "`Z` or an offset"),
            ("2026-01-28T00:00:00.Z", "digits after `.`"),
            ("2026-01-28T00:00:00.1234567890Z", "more than 9 fraction digits"),
            ("2026-01-28T00:00:00Zjunk", "nothing after the offset"),
            ("2026-01-28T00:00:00+24:00", "an offset below 24 hours"),
            ("2026-01-28T00:00:00+0100", "`:` in the offset"),
            ("２026-01-28T00:00:00Z", "year"),
        ] {
            let error = DateTime::parse(text).unwrap_err();
            assert_eq!(error.problem, problem, "{text}");
        }
        let long = "9".repeat(10_000);
        assert!(DateTime::parse(&long).unwrap_err().to_string().len() < 200);
    }
}
