//! The one door to the lines: `Lines::of(language)` answers every line in the call's
//! language, so the machine never asks which language it is in.

use chrono::{DateTime, NaiveTime};
use chrono_tz::Tz;

use super::es;
use crate::call::reading::{Hazard, Topic};
use crate::call::{Caller, Field, Language, Note, Request};
use crate::knowledge::{Property, Unit};
use crate::office::Office;
use crate::phone::Phone;

/// The lines of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lines(Language);

impl Lines {
    pub fn of(language: Language) -> Lines {
        Lines(language)
    }
}

// Each line exists once per language with the same signature: the English one in `lines`,
// the Spanish one in `lines::es`.
macro_rules! worded {
    ($( fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty; )*) => {
        impl Lines {
            $(
                pub fn $name(self, $($arg: $ty),*) -> $ret {
                    match self.0 {
                        Language::English => super::$name($($arg),*),
                        Language::Spanish => es::$name($($arg),*),
                    }
                }
            )*
        }
    };
}

worded! {
    fn pick(said: &[String], variants: Vec<String>) -> String;
    fn phone(phone: &Phone) -> String;
    fn time(t: NaiveTime) -> String;
    fn when(at: DateTime<Tz>, now: DateTime<Tz>) -> String;
    fn week(office: &Office) -> String;
    fn greeting(office: &Office, caller: &Caller) -> Vec<String>;
    fn switched() -> Vec<String>;
    fn anything_else() -> Vec<String>;
    fn hours(now: &str, week: &str) -> Vec<String>;
    fn open_now(closes: &str) -> String;
    fn closed_now(opens: Option<&str>) -> String;
    fn address(office: &Office) -> Vec<String>;
    fn hello() -> Vec<String>;
    fn welcome() -> Vec<String>;
    fn no_problem() -> Vec<String>;
    fn goodbye() -> Vec<String>;
    fn didnt_catch() -> Vec<String>;
    fn still_there() -> Vec<String>;
    fn offer_transfer(office: &Office) -> Vec<String>;
    fn offer_message() -> Vec<String>;
    fn silent_goodbye() -> Vec<String>;
    fn what_i_do(office: &Office) -> Vec<String>;
    fn leasing(office: &Office) -> Vec<String>;
    fn policy(text: &str) -> Vec<String>;
    fn dont_have(topic: Topic, offer: &str) -> Vec<String>;
    fn offer_person_or_message(open: bool) -> String;
    fn available(units: &[(&Property, &Unit)]) -> Vec<String>;
    fn available_sized(bedrooms: u32, matching: &[(&Property, &Unit)], all: &[(&Property, &Unit)]) -> Vec<String>;
    fn unit_named(property: &Property, unit: &Unit) -> String;
    fn ask_showing(unit: bool, when: bool, name: bool, number: bool) -> Vec<String>;
    fn showing_read_back(note: &Note) -> Vec<String>;
    fn showing_taken(reference: Option<&str>) -> Vec<String>;
    fn your_reference(spoken: &str) -> Vec<String>;
    fn found_reference(spoken: &str) -> Vec<String>;
    fn ours(property: &Property) -> Vec<String>;
    fn not_ours() -> Vec<String>;
    fn ask(field: Field, caller: &Caller) -> Vec<String>;
    fn yes_or_no() -> Vec<String>;
    fn read_back(request: &Request) -> Vec<String>;
    fn fixed_place(location: &str) -> String;
    fn fixed_entry(entry: bool) -> String;
    fn fixed_note(access: &str) -> String;
    fn corrected(what: &str) -> Vec<String>;
    fn what_to_fix() -> Vec<String>;
    fn queued() -> Vec<String>;
    fn next_request(summary: &str) -> Vec<String>;
    fn which_unit() -> Vec<String>;
    fn entry_waits_for_staff() -> Vec<String>;
    fn filed() -> Vec<String>;
    fn connecting(staff: Option<&str>) -> Vec<String>;
    fn after_hours(closed: &str) -> Vec<String>;
    fn life_safety(hazard: Hazard) -> Option<Vec<String>>;
    fn check_hazard(hazard: Hazard) -> Vec<String>;
    fn misheard() -> Vec<String>;
    fn emergency_connecting(evacuate: bool) -> Vec<String>;
    fn on_call_again(evacuate: bool) -> Vec<String>;
    fn emergency_goodbye(texting: bool) -> Vec<String>;
    fn transfer_done() -> Vec<String>;
    fn nobody_answered() -> Vec<String>;
    fn on_call_unreachable(texting: bool) -> Vec<String>;
    fn ask_follow_up() -> Vec<String>;
    fn follow_up_taken(texting: bool, callback: Option<&str>) -> Vec<String>;
    fn ask_message(name: bool, number: bool) -> Vec<String>;
    fn message_read_back(note: &Note) -> Vec<String>;
    fn message_kept() -> Vec<String>;
    fn message_taken(reference: Option<&str>) -> Vec<String>;
}
