//! When the daily digest is due, in the office's time zone, clock changes included (pure).
//!
//! The digest of day D-1 is sent on day D at `DIGEST_AT`. A time the clocks skip (02:30 on a
//! spring-forward night) is taken as the first moment after the jump; a time they pass twice
//! (01:30 on a fall-back night), the first time. Once the moment has passed, that day's digest
//! is due until a worker claims it, so a server started after the hour sends it at once; a
//! digest whose whole day passed with no server up is not sent late the day after (the next
//! morning's covers a newer day).

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The moment local time `at` happens on `day` in `tz`.
pub fn moment(day: NaiveDate, at: NaiveTime, tz: Tz) -> DateTime<Utc> {
    first_valid(day.and_time(at), tz)
}

/// The office day whose digest is due at `now`: today's, once its moment has passed.
pub fn due(now: DateTime<Utc>, at: NaiveTime, tz: Tz) -> Option<NaiveDate> {
    let today = now.with_timezone(&tz).date_naive();
    (now >= moment(today, at, tz)).then_some(today)
}

/// The day a digest sent on `sent_on` is about: the day before.
pub fn covers(sent_on: NaiveDate) -> NaiveDate {
    sent_on.checked_sub_days(Days::new(1)).unwrap_or(sent_on)
}

/// Where the office day `day` starts and ends, in UTC: 23 or 25 hours apart on the days the
/// clocks change.
pub fn bounds(day: NaiveDate, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let next = day.checked_add_days(Days::new(1)).unwrap_or(day);
    (first_valid(day.and_time(NaiveTime::MIN), tz), first_valid(next.and_time(NaiveTime::MIN), tz))
}

/// The earliest moment at or after local `at`: the first of two when the clocks pass it twice,
/// the end of the gap when they skip it.
fn first_valid(at: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    // Gaps start and end on whole minutes, and no zone skips a day: minute by minute, the
    // first local time that exists is the jump itself.
    for minutes in 0..=24 * 60 {
        let local = at + chrono::Duration::minutes(minutes);
        if let Some(found) = tz.from_local_datetime(&local).earliest() {
            return found.with_timezone(&Utc);
        }
    }
    at.and_utc()
}

/// `HH:MM` (24-hour) as `DIGEST_AT` writes it.
pub fn parse_at(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(text: &str) -> NaiveTime {
        parse_at(text).unwrap()
    }

    #[test]
    fn due_from_the_hour_on_that_day_and_not_before() {
        // Tuesday, December 1 2026 (EST, UTC-5): 07:30 local is 12:30 UTC.
        assert_eq!(due(utc(2026, 12, 1, 12, 29), at("07:30"), New_York), None);
        assert_eq!(due(utc(2026, 12, 1, 12, 30), at("07:30"), New_York), Some(date(2026, 12, 1)));
        // A server back up in the afternoon catches up at once.
        assert_eq!(due(utc(2026, 12, 1, 20, 0), at("07:30"), New_York), Some(date(2026, 12, 1)));
        // Just after local midnight, yesterday's is not sent late: today's is not due yet.
        assert_eq!(due(utc(2026, 12, 2, 5, 30), at("07:30"), New_York), None);
        assert_eq!(covers(date(2026, 12, 1)), date(2026, 11, 30));
    }

    #[test]
    fn the_same_local_hour_on_the_days_the_clocks_change() {
        // Sunday, March 8 2026: 02:00 EST becomes 03:00 EDT. 07:30 is EDT (UTC-4).
        assert_eq!(moment(date(2026, 3, 8), at("07:30"), New_York), utc(2026, 3, 8, 11, 30));
        assert_eq!(moment(date(2026, 3, 7), at("07:30"), New_York), utc(2026, 3, 7, 12, 30));
        // Sunday, November 1 2026: 02:00 EDT becomes 01:00 EST. 07:30 is EST (UTC-5).
        assert_eq!(moment(date(2026, 11, 1), at("07:30"), New_York), utc(2026, 11, 1, 12, 30));
        assert_eq!(moment(date(2026, 10, 31), at("07:30"), New_York), utc(2026, 10, 31, 11, 30));
    }

    #[test]
    fn a_skipped_hour_is_sent_at_the_jump_and_a_doubled_one_the_first_time() {
        // 02:30 does not exist on March 8: sent at 03:00 EDT (07:00 UTC), once the jump is made.
        assert_eq!(moment(date(2026, 3, 8), at("02:30"), New_York), utc(2026, 3, 8, 7, 0));
        assert_eq!(due(utc(2026, 3, 8, 6, 59), at("02:30"), New_York), None);
        assert_eq!(due(utc(2026, 3, 8, 7, 0), at("02:30"), New_York), Some(date(2026, 3, 8)));
        // 01:30 happens twice on November 1: the first, in EDT (05:30 UTC).
        assert_eq!(moment(date(2026, 11, 1), at("01:30"), New_York), utc(2026, 11, 1, 5, 30));
        assert_eq!(due(utc(2026, 11, 1, 5, 29), at("01:30"), New_York), None);
        // The second 01:30 (EST, 06:30 UTC) is the same day's digest, already due.
        assert_eq!(due(utc(2026, 11, 1, 6, 30), at("01:30"), New_York), Some(date(2026, 11, 1)));
    }

    #[test]
    fn days_are_23_or_25_hours_long_when_the_clocks_change() {
        let hours = |day| {
            let (start, end) = bounds(day, New_York);
            (end - start).num_hours()
        };
        assert_eq!(hours(date(2026, 3, 8)), 23);
        assert_eq!(hours(date(2026, 11, 1)), 25);
        assert_eq!(hours(date(2026, 11, 30)), 24);
        assert_eq!(bounds(date(2026, 11, 30), New_York).0, utc(2026, 11, 30, 5, 0));
        // A zone whose midnight was skipped (Santiago, September 6 2026): the day starts at 01:00.
        let santiago = chrono_tz::America::Santiago;
        assert_eq!(bounds(date(2026, 9, 6), santiago).0, utc(2026, 9, 6, 4, 0));
    }

    #[test]
    fn the_setting_is_hours_and_minutes() {
        assert_eq!(parse_at("07:30"), NaiveTime::from_hms_opt(7, 30, 0));
        assert_eq!(parse_at(" 18:05 "), NaiveTime::from_hms_opt(18, 5, 0));
        for bad in ["7.30", "25:00", "07:30:00", "off", ""] {
            assert_eq!(parse_at(bad), None, "{bad}");
        }
    }
}
