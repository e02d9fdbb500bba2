//! The reading of one utterance: what the caller seems to want, any danger they describe,
//! the details they gave. A reader (the keyword rules in `rules`, or a model) produces it;
//! the machine decides what to do with it, so no reader can talk a caller out of the
//! emergency path or promise what the office does not do.

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use super::language::Language;
pub use crate::knowledge::Topic;
use crate::phone::Phone;

/// What the caller seems to want.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Maintenance,
    Hours,
    Address,
    Person,
    Leasing,
    /// A question about living here (rent payment, pets, parking, ...): see `Reading::topic`.
    Policy,
    Thanks,
    Goodbye,
    /// Just a hello, with nothing asked yet.
    Hello,
    Other,
}

/// Something in the home that may be dangerous. Whether it is an emergency is the office's
/// call (see `office::EmergencyPolicy`), except for the life-safety core (`core`).
/// Ordered gravest first: when a caller names several, the first is handled first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    Gas,
    CarbonMonoxide,
    Fire,
    Smoke,
    Electrical,
    StructuralCollapse,
    ElevatorEntrapment,
    Flooding,
    Sewage,
    NoWater,
    NoHeat,
    BlockedExit,
    NoHotWater,
    EntryDoor,
    UnsecuredUnit,
    LockoutAtRisk,
    Lockout,
    NoAirConditioning,
    CloggedToilet,
}

impl Hazard {
    /// Every hazard, gravest first.
    pub const ALL: [Hazard; 19] = [
        Hazard::Gas,
        Hazard::CarbonMonoxide,
        Hazard::Fire,
        Hazard::Smoke,
        Hazard::Electrical,
        Hazard::StructuralCollapse,
        Hazard::ElevatorEntrapment,
        Hazard::Flooding,
        Hazard::Sewage,
        Hazard::NoWater,
        Hazard::NoHeat,
        Hazard::BlockedExit,
        Hazard::NoHotWater,
        Hazard::EntryDoor,
        Hazard::UnsecuredUnit,
        Hazard::LockoutAtRisk,
        Hazard::Lockout,
        Hazard::NoAirConditioning,
        Hazard::CloggedToilet,
    ];

    /// The life-safety core: an emergency at every office, whatever its policy says.
    pub fn core(self) -> bool {
        matches!(
            self,
            Hazard::Gas
                | Hazard::CarbonMonoxide
                | Hazard::Fire
                | Hazard::Smoke
                | Hazard::Electrical
                | Hazard::StructuralCollapse
                | Hazard::ElevatorEntrapment
                | Hazard::Flooding
                | Hazard::Sewage
        )
    }

    /// A few words for read-backs, service issues and the on-call page.
    pub fn describe(self) -> &'static str {
        match self {
            Hazard::Gas => "gas smell",
            Hazard::CarbonMonoxide => "carbon monoxide",
            Hazard::Fire => "fire",
            Hazard::Smoke => "smoke",
            Hazard::Electrical => "sparks or exposed wiring",
            Hazard::StructuralCollapse => "structural collapse",
            Hazard::ElevatorEntrapment => "person trapped in an elevator",
            Hazard::Flooding => "flooding",
            Hazard::Sewage => "sewage backup",
            Hazard::NoWater => "no water",
            Hazard::NoHeat => "no heat",
            Hazard::BlockedExit => "exit blocked by ice or snow",
            Hazard::NoHotWater => "no hot water",
            Hazard::EntryDoor => "broken building entry door",
            Hazard::UnsecuredUnit => "home left unsecured",
            Hazard::LockoutAtRisk => "lockout with a person at risk",
            Hazard::Lockout => "lockout",
            Hazard::NoAirConditioning => "no air conditioning",
            Hazard::CloggedToilet => "clogged toilet",
        }
    }
}

/// Everything a brain understood from one utterance. Fields the caller did not touch stay
/// empty; the machine only looks at the ones its current question needs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Reading {
    pub intent: Option<Intent>,
    pub hazard: Option<Hazard>,
    /// The utterance names a concrete problem ("the sink is leaking"), not just "a repair".
    pub describes_problem: bool,
    /// Needs attention soon but is not an emergency (a leak, a broken lock).
    pub urgent: bool,
    /// Yes or no, when the caller gave one.
    pub answer: Option<bool>,
    /// Where in the home, when named ("kitchen").
    pub location: Option<String>,
    /// A phone number spoken in the utterance.
    pub phone: Option<Phone>,
    /// "This number", "the one I'm calling from".
    pub this_number: bool,
    /// A staff member asked for by name.
    pub staff: Option<String>,
    /// What a policy question is about.
    pub topic: Option<Topic>,
    /// A street address the caller named, as they said it.
    pub address: Option<String>,
    /// The language the utterance is in, when the reader can tell. Stored readings from
    /// before the enum hold a language tag ("en-US"): it still decodes.
    #[serde(default, deserialize_with = "super::language::known")]
    pub language: Option<Language>,
    /// The language the caller asks to be spoken to in ("en español, por favor",
    /// "English, please").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wants_language: Option<Language>,
    /// The model's proposal for what to say next; the machine decides whether it fits.
    pub reply: Option<ModelReply>,
    /// Other requests made in the same breath, besides `intent` (the most urgent one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Aside>,
    /// A model's summary of the problem or message in a few words; kept only when every
    /// content word in it is the caller's own (`vet::summary`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// For a caller speaking Spanish, the model's English line for staff about what they ask;
    /// kept only through `vet::translation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub english: Option<String>,
    /// Details a caller may give at any moment, asked for or not.
    #[serde(default)]
    pub details: Details,
}

/// What a caller may say at any point of a call, besides what they were asked: corrections,
/// questions of their own, and details given before they are asked for.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Details {
    /// They correct something said before ("actually, it's the bathroom, not the kitchen").
    pub correction: bool,
    /// They ask a question ("do you have any two-bedrooms?"): never their yes or no.
    pub question: bool,
    /// They announce another request ("oh, also ...").
    pub another: bool,
    /// Permission to enter, given or refused in so many words ("you can let yourselves in").
    pub entry: Option<bool>,
    /// How to come in, as they said it ("I have a dog, please knock first").
    pub access: Option<String>,
    /// Their name, as they said it ("this is Tom Becker").
    pub name: Option<String>,
    /// When they would like to come by ("Saturday at noon").
    pub when: Option<String>,
    /// The bedrooms they ask about (a studio is 0).
    pub bedrooms: Option<u32>,
}

/// A request the caller made beside the one handled first, in their own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aside {
    pub intent: Intent,
    pub words: String,
}

/// A line the model would say, and what that line asks the caller for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelReply {
    pub text: String,
    pub asks: Asks,
}

/// What a line asks the caller for: the machine only speaks a model's line when it asks for
/// exactly what the machine is about to wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Asks {
    Problem,
    Address,
    Location,
    Entry,
    Callback,
    Confirm,
    Transfer,
    Message,
    Showing,
    MessageBody,
    /// An open "anything else?" kind of question.
    Open,
    Goodbye,
}

/// A reading and how it was made, for the turn's record.
pub struct Interpretation {
    pub reading: Reading,
    /// Why the model did not read this turn (the rules did), if it was asked.
    pub model_error: Option<String>,
    pub usage: Option<Usage>,
    pub elapsed: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}
