//! Turning what a caller said into a reading the call machine can act on.
//!
//! A brain reads; it never decides. The reading says what the caller seems to want and what
//! details they gave; `call::machine` decides what happens next, so no brain can talk a
//! caller out of the emergency path or promise what the office does not do.

pub mod rules;

use serde::{Deserialize, Serialize};

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
    RentPayment,
    Thanks,
    Goodbye,
    /// Just a hello, with nothing asked yet.
    Hello,
    Other,
}

/// Something in the home that may be dangerous. Whether it is an emergency is the office's
/// call (see `office::EmergencyPolicy`), except for the life-safety core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    Gas,
    CarbonMonoxide,
    Fire,
    Smoke,
    Electrical,
    Flooding,
    Sewage,
    NoWater,
    NoHeat,
    NoHotWater,
    EntryDoor,
    LockoutAtRisk,
    Lockout,
    NoAirConditioning,
    CloggedToilet,
}

impl Hazard {
    /// Hazards where the caller must hear "get out and call 911" before anything else.
    pub fn life_safety(self) -> bool {
        matches!(self, Hazard::Gas | Hazard::CarbonMonoxide | Hazard::Fire | Hazard::Smoke)
    }

    /// A few words for read-backs, service issues and the on-call page.
    pub fn describe(self) -> &'static str {
        match self {
            Hazard::Gas => "gas smell",
            Hazard::CarbonMonoxide => "carbon monoxide",
            Hazard::Fire => "fire",
            Hazard::Smoke => "smoke",
            Hazard::Electrical => "sparks or exposed wiring",
            Hazard::Flooding => "flooding",
            Hazard::Sewage => "sewage backup",
            Hazard::NoWater => "no water",
            Hazard::NoHeat => "no heat",
            Hazard::NoHotWater => "no hot water",
            Hazard::EntryDoor => "broken building entry door",
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
}
