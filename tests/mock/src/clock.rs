//! The mock's own clock: the system time moved by an offset a test controls
//! ([`crate::Handle::clock`]). Every timestamp the mock writes comes from it (or from a test
//! clock's frozen time, for the objects of a customer attached to one).

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, as the mock sees them.
#[derive(Debug, Default, Clone, Copy)]
pub struct Clock {
    /// Seconds added to the system time.
    offset: i64,
}

impl Clock {
    /// The mock's current time, in Unix seconds.
    pub fn now(&self) -> i64 {
        system_now().saturating_add(self.offset)
    }

    /// Moves the clock to `time` (Unix seconds); a time before the current one is refused, as
    /// Stripe refuses to move a test clock backwards.
    pub fn set(&mut self, time: i64) -> Result<(), String> {
        let now = self.now();
        if time < now {
            return Err(format!("the clock cannot go back in time (now {now}, asked {time})"));
        }
        self.offset = self.offset.saturating_add(time - now);
        Ok(())
    }
}

/// The system time in Unix seconds (0 before 1970).
pub fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Unix seconds as the v2 API writes timestamps (`2026-01-28T09:30:00.000Z`).
pub fn rfc3339(seconds: i64) -> String {
    let (year, month, day) = civil(seconds.div_euclid(86_400));
    let second = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z",
        second / 3600,
        second / 60 % 60,
        second % 60
    )
}

/// `time` moved by `count` calendar `interval`s (`day`, `week`, `month`, `year`), as Stripe
/// moves a billing period: a month from January 31 ends on the last day of February.
pub fn add_interval(time: i64, interval: &str, count: i64) -> i64 {
    match interval {
        "day" => time + 86_400 * count,
        "week" => time + 7 * 86_400 * count,
        "month" => add_months(time, count),
        "year" => add_months(time, 12 * count),
        _ => time + 30 * 86_400 * count,
    }
}

fn add_months(time: i64, months: i64) -> i64 {
    let (year, month, day) = civil(time.div_euclid(86_400));
    let index = year * 12 + (month - 1) + months;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let day = day.min(days_in_month(year, month));
    days_from_civil(year, month, day) * 86_400 + time.rem_euclid(86_400)
}

/// Days since 1970-01-01 to a civil date (H. Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let next = if month == 12 {
        days_from_civil(year + 1, 1, 1)
    } else {
        days_from_civil(year, month + 1, 1)
    };
    next - days_from_civil(year, month, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_end_on_the_last_day_when_shorter() {
        // 2026-01-31T10:00:00Z → 2026-02-28T10:00:00Z → 2026-03-28T10:00:00Z.
        let jan31 = days_from_civil(2026, 1, 31) * 86_400 + 36_000;
        assert_eq!(rfc3339(jan31), "2026-01-31T10:00:00.000Z");
        assert_eq!(rfc3339(add_interval(jan31, "month", 1)), "2026-02-28T10:00:00.000Z");
        assert_eq!(rfc3339(add_interval(jan31, "year", 1)), "2027-01-31T10:00:00.000Z");
        assert_eq!(rfc3339(add_interval(jan31, "week", 2)), "2026-02-14T10:00:00.000Z");
    }

    #[test]
    fn the_clock_moves_forward_only() {
        let mut clock = Clock::default();
        let now = clock.now();
        clock.set(now + 86_400).expect("forward");
        assert!(clock.now() >= now + 86_400);
        assert!(clock.set(now).is_err());
    }
}
