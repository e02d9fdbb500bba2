//! The office profile (who we are, where, when, who to call) and the office's clock.
//!
//! Every fact the assistant states about the office comes from here, never from a model's
//! memory. The profile is a TOML file (`office.toml` ships as the seed office and is compiled
//! in, so the binary runs anywhere); `OFFICE_PROFILE` points at another.

pub mod hours;

use std::path::Path;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::phone::Phone;

pub use hours::{Hours, Openness};

/// The profile shipped with frontdesk.
pub const SEED_PROFILE: &str = include_str!("../office.toml");

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("cannot read the office profile {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("the office profile is not valid: {0}")]
    Invalid(String),
}

#[derive(Debug, Clone)]
pub struct Office {
    pub assistant_name: String,
    pub office_name: String,
    pub address: String,
    pub address_spoken: String,
    pub timezone: Tz,
    pub office_phone: Phone,
    pub on_call_phone: Phone,
    /// Who is texted about an emergency.
    pub on_call_sms: Vec<Phone>,
    /// Who else is texted when an emergency's follow-up is needed (on-call did not answer).
    pub emergency_contacts: Vec<Phone>,
    pub staff: Vec<String>,
    pub voice: String,
    pub language: String,
    /// The voice and `language` of a call in Spanish (`Google.es-US-Neural2-A`, `es-US`).
    pub voice_es: String,
    pub language_es: String,
    pub ring_timeout: u32,
    pub hints: Vec<String>,
    pub greeting: String,
    /// One short Spanish sentence after the greeting, inviting Spanish speakers to switch.
    pub greeting_es: String,
    pub style: String,
    pub hours: Hours,
    pub emergencies: EmergencyPolicy,
    /// How soon a repair that is not an emergency needs attention, by how it is described:
    /// the first row whose words the description holds decides.
    pub priorities: Vec<Calibration>,
    /// How long a silence ends the caller's turn, by what they were asked.
    pub pauses: Pauses,
}

/// One row of the priority table: a description holding any of `words` has this level.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    pub level: Level,
    /// Phrases as callers say them; matched as whole words, case and apostrophes aside.
    pub words: Vec<String>,
}

/// How soon a repair that is not an emergency needs attention (emergencies are
/// `EmergencyPolicy` and the life-safety core).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Routine,
    Urgent,
}

/// The seed's table, for a profile written before the table existed.
fn seed_priorities() -> Vec<Calibration> {
    #[derive(Deserialize)]
    struct Seed {
        priorities: Vec<Calibration>,
    }
    toml::from_str::<Seed>(SEED_PROFILE).map(|seed| seed.priorities).unwrap_or_default()
}

/// "Isn't cooling" is matched as "isnt cooling": lower case, no apostrophes, single spaces.
fn plain(phrase: &str) -> String {
    phrase
        .to_lowercase()
        .replace(['\'', '’'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Seconds of silence after which Twilio takes the caller's turn as finished
/// (`<Gather speechTimeout>`), by what the caller was asked. Whole seconds: with a
/// `speechModel` set, Twilio accepts nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pauses {
    /// A yes or no ("did I get that right?").
    pub yes_no: u8,
    /// A name, a number or another short answer.
    pub short: u8,
    /// A problem, an address, a location or a message: callers pause mid-description.
    pub long: u8,
}

impl Default for Pauses {
    fn default() -> Pauses {
        Pauses { yes_no: 1, short: 2, long: 3 }
    }
}

/// What counts as an emergency beyond the life-safety core: offices disagree, so it is data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyPolicy {
    pub no_heat_in_season: bool,
    /// `["MM-DD", "MM-DD"]`, inclusive; may wrap the new year.
    pub heat_season: [String; 2],
    pub no_hot_water: bool,
    /// No water at all in the unit.
    #[serde(default = "yes")]
    pub no_water: bool,
    /// A building entry door, or a unit's door or window, broken so it cannot be secured.
    #[serde(default = "yes")]
    pub unsecured_entry: bool,
    /// Ice or snow blocking the only way out.
    #[serde(default = "yes")]
    pub blocked_exit: bool,
    /// Locked out with a child, an elderly person, medicine or a lit stove inside.
    #[serde(default = "yes")]
    pub lockout_at_risk: bool,
    pub lockout: bool,
    pub no_air_conditioning: bool,
    pub clogged_toilet: bool,
}

/// Profiles written before a policy field existed keep the behaviour they had.
fn yes() -> bool {
    true
}

impl EmergencyPolicy {
    pub fn heating_season(&self, day: NaiveDate) -> bool {
        let [from, to] = [&self.heat_season[0], &self.heat_season[1]].map(|md| month_day(md));
        let today = (day.month(), day.day());
        if from <= to { from <= today && today <= to } else { today >= from || today <= to }
    }
}

fn month_day(md: &str) -> (u32, u32) {
    let (m, d) = md.split_once('-').unwrap_or(("0", "0"));
    (m.parse().unwrap_or(0), d.parse().unwrap_or(0))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    assistant_name: String,
    office_name: String,
    address: String,
    address_spoken: Option<String>,
    timezone: Tz,
    office_phone: String,
    on_call_phone: String,
    #[serde(default)]
    on_call_sms: Vec<String>,
    #[serde(default)]
    emergency_contacts: Vec<String>,
    staff: Vec<String>,
    voice: String,
    language: String,
    #[serde(default = "spanish_voice")]
    voice_es: String,
    #[serde(default = "spanish_language")]
    language_es: String,
    ring_timeout: u32,
    #[serde(default)]
    hints: Vec<String>,
    personality: Personality,
    hours: hours::WeekFile,
    #[serde(default)]
    holidays: Holidays,
    emergencies: EmergencyPolicy,
    #[serde(default)]
    priorities: Option<Vec<Calibration>>,
    #[serde(default)]
    pauses: Pauses,
}

fn spanish_voice() -> String {
    "Google.es-US-Neural2-A".into()
}

fn spanish_language() -> String {
    "es-US".into()
}

fn spanish_greeting() -> String {
    "Para español, diga «español».".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Personality {
    greeting: String,
    #[serde(default = "spanish_greeting")]
    greeting_es: String,
    style: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Holidays {
    closed: Vec<NaiveDate>,
}

impl Office {
    pub fn load(path: Option<&Path>) -> Result<Office, ProfileError> {
        match path {
            None => Office::parse(SEED_PROFILE),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|source| ProfileError::Read { path: path.display().to_string(), source })?;
                Office::parse(&text)
            }
        }
    }

    /// Whether the weekly hours are still the shipped profile's, which are examples.
    pub fn has_example_hours(&self) -> bool {
        Office::parse(SEED_PROFILE).is_ok_and(|seed| seed.hours == self.hours)
    }

    pub fn parse(text: &str) -> Result<Office, ProfileError> {
        let file: ProfileFile = toml::from_str(text).map_err(|e| ProfileError::Invalid(e.to_string()))?;
        let phone = |field: &str, raw: &str| {
            Phone::parse(raw)
                .ok_or_else(|| ProfileError::Invalid(format!("{field} is not a phone number: {raw}")))
        };
        for md in &file.emergencies.heat_season {
            let (m, d) = month_day(md);
            if NaiveDate::from_ymd_opt(2024, m, d).is_none() {
                return Err(ProfileError::Invalid(format!("heat_season date {md:?} is not MM-DD")));
            }
        }
        let on_call_phone = phone("on_call_phone", &file.on_call_phone)?;
        let mut on_call_sms =
            file.on_call_sms.iter().map(|raw| phone("on_call_sms", raw)).collect::<Result<Vec<_>, _>>()?;
        if on_call_sms.is_empty() {
            on_call_sms.push(on_call_phone.clone());
        }
        let emergency_contacts = file
            .emergency_contacts
            .iter()
            .map(|raw| phone("emergency_contacts", raw))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Office {
            emergency_contacts,
            on_call_phone,
            on_call_sms,
            address_spoken: file.address_spoken.unwrap_or_else(|| file.address.clone()),
            office_phone: phone("office_phone", &file.office_phone)?,
            hours: Hours::new(file.hours, file.holidays.closed, file.timezone)
                .map_err(ProfileError::Invalid)?,
            assistant_name: file.assistant_name,
            office_name: file.office_name,
            address: file.address,
            timezone: file.timezone,
            staff: file.staff,
            voice: file.voice,
            language: file.language,
            voice_es: file.voice_es,
            language_es: file.language_es,
            ring_timeout: file.ring_timeout,
            hints: file.hints,
            greeting: file.personality.greeting,
            greeting_es: file.personality.greeting_es,
            style: file.personality.style,
            emergencies: file.emergencies,
            priorities: file
                .priorities
                .unwrap_or_else(seed_priorities)
                .into_iter()
                .map(|row| Calibration {
                    level: row.level,
                    words: row.words.iter().map(|w| plain(w)).collect(),
                })
                .collect(),
            // Twilio refuses a speechTimeout of 0 when a speech model is set.
            pauses: Pauses {
                yes_no: file.pauses.yes_no.max(1),
                short: file.pauses.short.max(1),
                long: file.pauses.long.max(1),
            },
        })
    }

    /// Phrases that help Twilio's speech recognition: staff names first, then the profile's,
    /// then the words that switch a call's language.
    pub fn speech_hints(&self) -> String {
        let switch = ["español".to_string(), "Spanish".to_string()];
        let hints =
            self.staff.iter().chain(&self.hints).chain(switch.iter().filter(|w| !self.hints.contains(w)));
        hints.cloned().collect::<Vec<_>>().join(",")
    }

    /// Who is texted an emergency's follow-up: the on-call texts and the emergency contacts,
    /// each number once.
    pub fn follow_up_contacts(&self) -> Vec<Phone> {
        let mut to: Vec<Phone> = Vec::new();
        for phone in self.on_call_sms.iter().chain(&self.emergency_contacts) {
            if !to.contains(phone) {
                to.push(phone.clone());
            }
        }
        to
    }

    pub fn local_date(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.timezone).date_naive()
    }
}

/// The time, injected so that tests can call at 3 a.m. on a Sunday.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_profile_loads() {
        let office = Office::load(None).unwrap();
        assert_eq!(office.assistant_name, "Dimitry's AI Assistant");
        assert_eq!(office.office_phone.e164(), "+17184146984");
        assert_eq!(office.staff, ["Diane", "Janier"]);
        assert_eq!(office.timezone, chrono_tz::America::New_York);
        assert!(office.speech_hints().starts_with("Diane,Janier,"));
    }

    #[test]
    fn heating_season_wraps_the_new_year() {
        let policy = Office::load(None).unwrap().emergencies;
        let day = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
        assert!(policy.heating_season(day(1, 15)));
        assert!(policy.heating_season(day(10, 1)));
        assert!(policy.heating_season(day(5, 31)));
        assert!(!policy.heating_season(day(6, 1)));
        assert!(!policy.heating_season(day(7, 15)));
    }

    #[test]
    fn a_follow_up_goes_to_on_call_and_every_emergency_contact_once() {
        let text = SEED_PROFILE
            .replace("emergency_contacts = []", "emergency_contacts = [\"+17185550150\", \"+17184146984\"]");
        let office = Office::parse(&text).unwrap();
        let contacts = office.follow_up_contacts();
        let to: Vec<&str> = contacts.iter().map(|p| p.e164()).collect();
        assert_eq!(to, ["+17184146984", "+17185550150"]);
    }

    #[test]
    fn a_profile_without_the_newer_policy_fields_keeps_escalating_them() {
        let text = SEED_PROFILE.replace("unsecured_entry = true\n", "");
        assert!(Office::parse(&text).unwrap().emergencies.unsecured_entry);
    }

    #[test]
    fn the_priority_table_is_read_in_order_and_an_older_profile_gets_the_seeds() {
        let office = Office::load(None).unwrap();
        let first = &office.priorities[0];
        assert_eq!(first.level, Level::Urgent);
        assert!(first.words.contains(&"isnt cooling".to_string()), "{first:?}");
        assert!(office.priorities.iter().any(|row| row.level == Level::Routine));
        let older = SEED_PROFILE.split("[[priorities]]").next().unwrap().to_string()
            + &SEED_PROFILE[SEED_PROFILE.find("[pauses]").unwrap()..];
        assert_eq!(Office::parse(&older).unwrap().priorities, office.priorities);
    }

    #[test]
    fn a_bad_phone_number_is_named() {
        let text = SEED_PROFILE.replace("on_call_phone = \"+17184146984\"", "on_call_phone = \"911\"");
        let err = Office::parse(&text).unwrap_err().to_string();
        assert!(err.contains("on_call_phone"), "{err}");
    }
}
