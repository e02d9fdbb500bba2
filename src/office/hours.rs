//! Office hours in the office's own time zone: open now? when next? and how to say it.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;

const WEEK: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct WeekFile {
    monday: Option<[String; 2]>,
    tuesday: Option<[String; 2]>,
    wednesday: Option<[String; 2]>,
    thursday: Option<[String; 2]>,
    friday: Option<[String; 2]>,
    saturday: Option<[String; 2]>,
    sunday: Option<[String; 2]>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hours {
    /// Opening and closing time per weekday, Monday first; `None` is closed all day.
    week: [Option<(NaiveTime, NaiveTime)>; 7],
    closed: BTreeSet<NaiveDate>,
    tz: Tz,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Openness {
    Open {
        closes: DateTime<Tz>,
    },
    /// `opens` is `None` only for a profile with no opening hours at all.
    Closed {
        opens: Option<DateTime<Tz>>,
    },
}

impl Hours {
    pub(super) fn new(file: WeekFile, closed: Vec<NaiveDate>, tz: Tz) -> Result<Hours, String> {
        let days = [
            file.monday, file.tuesday, file.wednesday, file.thursday, file.friday, file.saturday, file.sunday,
        ];
        let mut week = [None; 7];
        for (slot, (day, span)) in week.iter_mut().zip(WEEK.iter().zip(days)) {
            if let Some([open, close]) = span {
                let parse = |t: &str| {
                    NaiveTime::parse_from_str(t, "%H:%M")
                        .map_err(|_| format!("hours for {day}: {t:?} is not HH:MM"))
                };
                let (open, close) = (parse(&open)?, parse(&close)?);
                if open >= close {
                    return Err(format!("hours for {day}: opens after it closes"));
                }
                *slot = Some((open, close));
            }
        }
        Ok(Hours { week, closed: closed.into_iter().collect(), tz })
    }

    fn span(&self, day: NaiveDate) -> Option<(NaiveTime, NaiveTime)> {
        if self.closed.contains(&day) {
            return None;
        }
        self.week[day.weekday().num_days_from_monday() as usize]
    }

    fn local(&self, day: NaiveDate, time: NaiveTime) -> Option<DateTime<Tz>> {
        // `earliest` settles the hour a daylight-saving change repeats; a skipped hour is None.
        self.tz.from_local_datetime(&day.and_time(time)).earliest()
    }

    pub fn at(&self, now: DateTime<Utc>) -> Openness {
        let now = now.with_timezone(&self.tz);
        let today = now.date_naive();
        if let Some((open, close)) = self.span(today)
            && let (Some(opens), Some(closes)) = (self.local(today, open), self.local(today, close))
            && opens <= now
            && now < closes
        {
            return Openness::Open { closes };
        }
        let opens = (0..15)
            .filter_map(|ahead| today.checked_add_days(Days::new(ahead)))
            .filter_map(|day| self.span(day).and_then(|(open, _)| self.local(day, open)))
            .find(|opens| *opens > now);
        Openness::Closed { opens }
    }

    /// Every opening and closing time, as `spoken_time` says them.
    pub fn spoken_times(&self) -> Vec<String> {
        self.week
            .iter()
            .flatten()
            .flat_map(|(open, close)| [spoken_time(*open), spoken_time(*close)])
            .collect()
    }

    /// "Monday through Friday, 9 AM to 5 PM; Saturday, 10 AM to 2 PM".
    pub fn spoken_week(&self) -> String {
        let groups = self.groups();
        if groups.is_empty() {
            return "by appointment only".into();
        }
        let day = |i: usize| day_name(WEEK[i]);
        groups
            .iter()
            .map(|&(first, last, (open, close))| {
                let days = match last - first {
                    0 => day(first).to_string(),
                    1 => format!("{} and {}", day(first), day(last)),
                    _ => format!("{} through {}", day(first), day(last)),
                };
                format!("{days}, {} to {}", spoken_time(open), spoken_time(close))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The week in Spanish: "de lunes a viernes, de nueve de la mañana a cinco de la tarde".
    pub fn spoken_week_es(&self) -> String {
        let groups = self.groups();
        if groups.is_empty() {
            return "solo con cita previa".into();
        }
        let day = |i: usize| day_name_es(WEEK[i]);
        groups
            .iter()
            .map(|&(first, last, (open, close))| {
                let days = match last - first {
                    0 => format!("los {}", day(first)),
                    1 => format!("los {} y {}", day(first), day(last)),
                    _ => format!("de {} a {}", day(first), day(last)),
                };
                format!("{days}, de {} a {}", spoken_time_es(open, false), spoken_time_es(close, false))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Runs of consecutive days with the same hours: (first day, last day, hours).
    fn groups(&self) -> Vec<(usize, usize, (NaiveTime, NaiveTime))> {
        let mut groups: Vec<(usize, usize, (NaiveTime, NaiveTime))> = Vec::new();
        for (i, span) in self.week.iter().enumerate() {
            let Some(span) = *span else { continue };
            match groups.last_mut() {
                Some((_, last, same)) if *last + 1 == i && *same == span => *last = i,
                _ => groups.push((i, i, span)),
            }
        }
        groups
    }
}

pub fn day_name_es(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "lunes",
        Weekday::Tue => "martes",
        Weekday::Wed => "miércoles",
        Weekday::Thu => "jueves",
        Weekday::Fri => "viernes",
        Weekday::Sat => "sábado",
        Weekday::Sun => "domingo",
    }
}

/// A time in Spanish words, as a listener hears it: "las nueve de la mañana", "la una y
/// media de la tarde", "el mediodía" (`article`: with "las"/"la" in front).
pub fn spoken_time_es(t: NaiveTime, article: bool) -> String {
    const HOURS: [&str; 12] =
        ["doce", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once"];
    if (t.hour(), t.minute()) == (12, 0) {
        return if article { "el mediodía".into() } else { "mediodía".into() };
    }
    let (_, hour12) = t.hour12();
    let hour = HOURS[(hour12 % 12) as usize];
    let minutes = match t.minute() {
        0 => String::new(),
        15 => " y cuarto".into(),
        30 => " y media".into(),
        m => format!(" y {m}"),
    };
    let part = match t.hour() {
        0..=11 => "de la mañana",
        12..=19 => "de la tarde",
        _ => "de la noche",
    };
    let lead = match (article, hour12 % 12 == 1) {
        (false, _) => "",
        (true, true) => "la ",
        (true, false) => "las ",
    };
    format!("{lead}{hour}{minutes} {part}")
}

/// When `at` is, in Spanish, from the point of view of `now`: "hoy a las nueve de la mañana",
/// "mañana a las ...", "el lunes a las ...".
pub fn spoken_when_es(at: DateTime<Tz>, now: DateTime<Tz>) -> String {
    let time = spoken_time_es(at.time(), true);
    // "a el mediodía" is said "al mediodía".
    let at_time = match time.strip_prefix("el ") {
        Some(rest) => format!("al {rest}"),
        None => format!("a {time}"),
    };
    let days = (at.date_naive() - now.date_naive()).num_days();
    match days {
        0 => format!("hoy {at_time}"),
        1 => format!("mañana {at_time}"),
        2..=6 => format!("el {} {at_time}", day_name_es(at.weekday())),
        _ => format!("el {} {} {at_time}", day_name_es(at.weekday()), at.day()),
    }
}

pub fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// "9 AM", "5:30 PM", "noon".
pub fn spoken_time(t: NaiveTime) -> String {
    let (pm, hour) = t.hour12();
    match (t.hour(), t.minute()) {
        (12, 0) => "noon".into(),
        (_, 0) => format!("{hour} {}", if pm { "PM" } else { "AM" }),
        (_, m) => format!("{hour}:{m:02} {}", if pm { "PM" } else { "AM" }),
    }
}

/// When `at` is, said from the point of view of `now`: "today at 9 AM", "tomorrow at 9 AM",
/// "on Monday at 9 AM", or with the date once it is more than a week away.
pub fn spoken_when(at: DateTime<Tz>, now: DateTime<Tz>) -> String {
    let time = spoken_time(at.time());
    let days = (at.date_naive() - now.date_naive()).num_days();
    match days {
        0 => format!("today at {time}"),
        1 => format!("tomorrow at {time}"),
        2..=6 => format!("on {} at {time}", day_name(at.weekday())),
        _ => format!("on {}, {} at {time}", day_name(at.weekday()), at.format("%B %-d")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::Office;

    #[test]
    fn hours_and_times_in_spanish_words() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(spoken_time_es(t(9, 0), true), "las nueve de la mañana");
        assert_eq!(spoken_time_es(t(13, 30), true), "la una y media de la tarde");
        assert_eq!(spoken_time_es(t(12, 0), true), "el mediodía");
        assert_eq!(spoken_time_es(t(20, 15), false), "ocho y cuarto de la noche");
        assert_eq!(hours().spoken_week_es(), "de lunes a viernes, de nueve de la mañana a cinco de la tarde");
        let tz = chrono_tz::America::New_York;
        let now = eastern(2026, 12, 4, 18, 0).with_timezone(&tz);
        let monday = eastern(2026, 12, 7, 9, 0).with_timezone(&tz);
        assert_eq!(spoken_when_es(monday, now), "el lunes a las nueve de la mañana");
        let noon = eastern(2026, 12, 5, 12, 0).with_timezone(&tz);
        assert_eq!(spoken_when_es(noon, now), "mañana al mediodía");
    }

    fn hours() -> Hours {
        Office::load(None).unwrap().hours
    }

    fn eastern(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        chrono_tz::America::New_York.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn open_on_a_weekday_morning_until_five() {
        let Openness::Open { closes } = hours().at(eastern(2026, 12, 1, 10, 30)) else {
            panic!("Tuesday 10:30 should be open")
        };
        assert_eq!(spoken_time(closes.time()), "5 PM");
    }

    #[test]
    fn closed_at_night_opens_next_morning() {
        let now = eastern(2026, 12, 1, 3, 0);
        let Openness::Closed { opens: Some(opens) } = hours().at(now) else { panic!() };
        assert_eq!(spoken_when(opens, now.with_timezone(&opens.timezone())), "today at 9 AM");
    }

    #[test]
    fn closed_on_sunday_opens_monday() {
        let now = eastern(2026, 12, 6, 12, 0);
        let Openness::Closed { opens: Some(opens) } = hours().at(now) else { panic!() };
        assert_eq!(spoken_when(opens, now.with_timezone(&opens.timezone())), "tomorrow at 9 AM");
        let saturday = eastern(2026, 12, 5, 12, 0);
        assert_eq!(spoken_when(opens, saturday.with_timezone(&opens.timezone())), "on Monday at 9 AM");
    }

    #[test]
    fn a_holiday_is_closed_all_day() {
        // Thanksgiving 2026 is a Thursday, listed in the seed profile.
        let now = eastern(2026, 11, 26, 11, 0);
        let Openness::Closed { opens: Some(opens) } = hours().at(now) else { panic!() };
        assert_eq!(opens.date_naive(), NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
    }

    #[test]
    fn closing_time_is_exclusive_and_follows_daylight_saving() {
        assert!(matches!(hours().at(eastern(2026, 12, 1, 17, 0)), Openness::Closed { .. }));
        // 9 AM Eastern is 13:00 UTC in summer and 14:00 UTC in winter.
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 13, 30, 0).unwrap();
        let winter = Utc.with_ymd_and_hms(2026, 12, 1, 13, 30, 0).unwrap();
        assert!(matches!(hours().at(summer), Openness::Open { .. }));
        assert!(matches!(hours().at(winter), Openness::Closed { .. }));
    }

    #[test]
    fn the_week_is_said_in_groups() {
        assert_eq!(hours().spoken_week(), "Monday through Friday, 9 AM to 5 PM");
        assert_eq!(spoken_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap()), "noon");
        assert_eq!(spoken_time(NaiveTime::from_hms_opt(17, 30, 0).unwrap()), "5:30 PM");
    }
}
