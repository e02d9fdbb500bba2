//! One phone call, the core of frontdesk: who is calling, where the conversation stands,
//! and what happens next. Nothing here imports an adapter (the model, Rent Manager, Twilio,
//! the outbox, the staff pages); they depend on this module, through the traits in `turn`.
//!
//! - `reading`, `rules`: what an utterance says (the keyword rules are the always-available
//!   reader); `vet`: whether a model's proposed line may be spoken.
//! - `machine::step`: the whole conversation as a pure function, with `lines` its words.
//! - `effects`: the outside writes a turn causes, worded (pure).
//! - `worth`: whether the model could change a turn at all; `pause`: how long a silence ends
//!   the caller's turn; `early`: readings started on partial transcripts, and the wait for
//!   them; `hold`: what the caller hears meanwhile.
//! - `turn`: one turn end to end; `store` keeps a call in SQL between Twilio's callbacks, so
//!   any worker can take the next one.

pub mod early;
pub mod effects;
pub mod hold;
pub mod lines;
pub mod machine;
pub mod pause;
pub mod reading;
pub mod rules;
pub mod store;
pub mod turn;
pub mod vet;
pub mod worth;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::knowledge::Knowledge;
use crate::office::Office;
use crate::phone::Phone;
pub use machine::step;
use reading::{Hazard, Reading};

// Every enum stored in a column names itself through one derive (strum, snake_case, the same
// words as its serde form): `as_str` writes the column, `FromStr` reads it back.

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CallerKind {
    Tenant,
    Prospect,
    Unknown,
}

impl CallerKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The ids in the system of record (Rent Manager) a service issue or note is attached to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    pub tenant_id: Option<i64>,
    pub prospect_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub property_id: Option<i64>,
}

/// Who is calling, as the office's records know them (never as guessed from speech).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Caller {
    pub phone: Option<Phone>,
    pub kind: CallerKind,
    pub name: Option<String>,
    pub unit: Option<String>,
    pub property: Option<String>,
    /// Their ids in Rent Manager, when it is the system of record.
    #[serde(default)]
    pub records: Option<Records>,
    /// Their service issues still open, as Rent Manager titles them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open_issues: Vec<String>,
}

impl Caller {
    pub fn unknown(phone: Option<Phone>) -> Caller {
        Caller {
            phone,
            kind: CallerKind::Unknown,
            name: None,
            unit: None,
            property: None,
            records: None,
            open_issues: Vec::new(),
        }
    }

    pub fn first_name(&self) -> Option<&str> {
        self.name.as_deref().and_then(|name| name.split_whitespace().next())
    }
}

/// The state of one call, stored as JSON between callbacks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub caller: Caller,
    pub stage: Stage,
    /// Silent turns in a row.
    pub silences: u8,
    /// Turns in a row the assistant could not use (low confidence, not understood).
    pub misses: u8,
    /// Every line spoken so far: no line is ever said twice in one call.
    pub said: Vec<String>,
    pub outcomes: Outcomes,
}

impl Call {
    pub fn new(caller: Caller) -> Call {
        Call {
            caller,
            stage: Stage::Ringing,
            silences: 0,
            misses: 0,
            said: Vec::new(),
            outcomes: Outcomes::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    Ringing,
    Listening {
        offer: Option<Offer>,
    },
    Intake {
        request: Request,
        asking: Field,
    },
    Confirming {
        request: Request,
    },
    Transferring {
        to: Target,
    },
    TakingMessage {
        draft: Option<String>,
        #[serde(default)]
        kind: MessageKind,
    },
    Ended,
}

impl Stage {
    pub fn name(&self) -> &'static str {
        match self {
            Stage::Ringing => "ringing",
            Stage::Listening { .. } => "listening",
            Stage::Intake { .. } => "intake",
            Stage::Confirming { .. } => "confirming",
            Stage::Transferring { .. } => "transferring",
            Stage::TakingMessage { .. } => "taking_message",
            Stage::Ended => "ended",
        }
    }
}

/// A yes/no question the assistant has just asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Offer {
    Transfer,
    Message,
    /// A showing of an available unit, for a prospect.
    Showing,
}

/// What a message left for staff is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MessageKind {
    #[default]
    Message,
    Showing,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The detail of a maintenance request being asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Problem,
    /// Which building, for a caller the records do not place in a unit.
    Address,
    Location,
    Entry,
    Callback,
    CallbackNumber,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Office,
    OnCall,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Priority {
    Routine,
    Urgent,
    Emergency,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A maintenance request as the caller gives it, detail by detail.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Request {
    /// The caller's own words.
    pub problem: Option<String>,
    /// The managed property it is at, when the caller named one (callers without a unit).
    pub property: Option<String>,
    pub location: Option<String>,
    pub entry: Option<bool>,
    pub callback: Option<Phone>,
    pub priority: Option<Priority>,
    pub hazard: Option<Hazard>,
}

/// What this call achieved, for staff filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Outcomes {
    pub emergency: bool,
    pub service_issue: bool,
    pub transferred: bool,
    pub message: bool,
}

impl Outcomes {
    /// The one word a call list shows: the most serious thing that happened.
    pub fn label(self) -> Outcome {
        if self.emergency {
            Outcome::Emergency
        } else if self.service_issue {
            Outcome::ServiceIssue
        } else if self.transferred {
            Outcome::Transferred
        } else if self.message {
            Outcome::Message
        } else {
            Outcome::Information
        }
    }
}

/// A call's most serious outcome, as the calls list filters on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    Emergency,
    ServiceIssue,
    Transferred,
    Message,
    Information,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What the office knows that the machine may use: the profile and the time.
pub struct Facts<'a> {
    pub office: &'a Office,
    pub knowledge: &'a Knowledge,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Twilio connected a new call.
    Answered,
    Heard {
        text: String,
        confidence: Option<f64>,
        reading: Reading,
    },
    /// A `<Gather>` ended with no speech.
    Silence,
    /// A `<Dial>` finished; `answered` when someone picked up.
    DialEnded {
        answered: bool,
    },
    /// The caller hung up.
    HungUp,
}

impl Event {
    pub fn kind(&self) -> EventKind {
        match self {
            Event::Answered => EventKind::Answered,
            Event::Heard { .. } => EventKind::Speech,
            Event::Silence => EventKind::Silence,
            Event::DialEnded { .. } => EventKind::Dial,
            Event::HungUp => EventKind::Hangup,
        }
    }
}

/// What started a turn, as its record names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EventKind {
    Answered,
    Speech,
    Silence,
    Dial,
    Hangup,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Whose words a turn's reply is: the model's line, or the rules'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Source {
    Model,
    Rules,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What the machine decided for one event: words, then exactly one next verb, and records.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    pub say: Vec<String>,
    pub next: Next,
    pub actions: Vec<Action>,
    pub model_line: ModelLine,
}

/// What became of the model's proposed line this turn.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelLine {
    NotOffered,
    Spoken,
    /// Not spoken, and why; the rules' line was said instead.
    Declined(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    Listen {
        speech_timeout: u8,
    },
    Dial {
        number: Phone,
        timeout: u32,
    },
    Hangup,
    /// No reply is owed (the call is already over).
    Nothing,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    FileServiceIssue(ServiceIssue),
    TakeMessage {
        body: String,
        kind: MessageKind,
    },
    /// Text the on-call staff (through the outbox).
    PageOnCall {
        to: Vec<Phone>,
        body: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIssue {
    pub priority: Priority,
    pub problem: String,
    /// The managed property a caller without a unit named.
    pub property: Option<String>,
    pub location: Option<String>,
    pub entry: Option<bool>,
    pub callback: Option<Phone>,
    pub hazard: Option<Hazard>,
}
