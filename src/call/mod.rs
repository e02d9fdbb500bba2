//! One phone call, the core of frontdesk: who is calling, where the conversation stands,
//! and what happens next. Nothing here imports an adapter (the model, Rent Manager, Twilio,
//! the outbox, the staff pages); they depend on this module, through the traits in `turn`.
//!
//! - `reading`, `rules`: what an utterance says (the keyword rules are the always-available
//!   reader, in English and Spanish); `language`: which of the two a caller speaks or asks
//!   for; `vet`: whether a model's proposed line (or summary) may be spoken; `summary`: what
//!   the caller said, in the few words a read-back names it with.
//! - `machine::step`: the whole conversation as a pure function, with `lines` its words
//!   (`Lines::of(call.language)`: every line in the call's language, from one place).
//! - `effects`: the outside writes a turn causes, worded (pure).
//! - `worth`: whether the model could change a turn at all; `pause`: how long a silence ends
//!   the caller's turn; `early`: readings started on partial transcripts, and the wait for
//!   them; `hold`: what the caller hears meanwhile.
//! - `turn`: one turn end to end; `store` keeps a call in SQL between Twilio's callbacks, so
//!   any worker can take the next one.
//! - `report`: what the office is told by e-mail, as facts (pure); `summaries` queues a call's
//!   summary once, when it ends.

pub mod early;
pub mod effects;
pub mod follow_up;
pub mod hazards;
pub mod heard;
pub mod hold;
pub mod language;
pub mod lines;
pub mod machine;
pub mod pause;
pub mod reader;
pub mod reading;
pub mod reference;
pub mod report;
pub mod rules;
pub mod store;
mod summaries;
pub mod summary;
pub mod turn;
pub mod vet;
pub mod worth;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::knowledge::Knowledge;
use crate::office::Office;
use crate::phone::Phone;
pub use language::Language;
pub use machine::step;
use reading::{Aside, Hazard, Reading};

// Every enum stored in a column names itself through one derive (strum, snake_case, the same
// words as its serde form): `as_str` writes the column, `FromStr` reads it back.
macro_rules! column_text {
    ($($name:ty),*) => {$(
        impl $name {
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }
    )*};
}
pub(crate) use column_text;
column_text!(CallerKind, MessageKind, Priority, Outcome, EventKind, Source, Language);

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
    /// Whether the records' match is more than a caller ID, which anyone can spoof.
    #[serde(default)]
    pub identity: Identity,
}

/// How sure the call is that the caller is the person the records matched by number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    /// Caller ID only: greeted by first name, nothing private said or told the model.
    #[default]
    CallerId,
    /// The carrier vouches for the number (STIR/SHAKEN full attestation).
    Attested,
    /// The caller told us their unit, and it matched the records.
    Confirmed,
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
            identity: Identity::CallerId,
        }
    }

    /// Private details (unit, open requests) may be said and given to the model.
    pub fn verified(&self) -> bool {
        self.identity != Identity::CallerId
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
    /// Every hazard escalated in this call, in order: a new one escalates again, the same
    /// one never twice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalated: Vec<Escalated>,
    /// A hazard heard through a bad line, asked about once before anything else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checking: Option<Escalated>,
    /// Requests made in the same breath as another, waiting their turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queued: Vec<Aside>,
    /// The gravest danger named in turns that were not understood, and how many such turns:
    /// a caller who keeps naming one reaches on-call rather than a message offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentioned: Option<Hazard>,
    #[serde(default)]
    pub mentions: u8,
    /// The caller's own words so far: a model's line may repeat a fact from them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub heard: Vec<String>,
    /// Details the caller has given in this call, asked for or not: never asked again.
    #[serde(default, skip_serializing_if = "Given::is_empty")]
    pub given: Given,
    /// What this call left for staff, each in a few words (for the call's history note).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left: Vec<String>,
    /// The language the call is spoken in: every line, the voice and the speech model follow
    /// it (a call stored before Spanish existed was in English).
    #[serde(default)]
    pub language: Language,
}

/// What the caller told us about themselves and their home in this call, whenever they said
/// it: a later request or message starts from it instead of asking again.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Given {
    /// Their name, as they said it ("this is Tom Becker").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<Phone>,
    /// Permission for maintenance to enter when nobody is home.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<bool>,
    /// How to come in: a pet, "knock first", "only after 3 pm".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<String>,
    /// When they would like to come by (a showing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

impl Given {
    pub fn is_empty(&self) -> bool {
        *self == Given::default()
    }
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
            escalated: Vec::new(),
            checking: None,
            queued: Vec::new(),
            mentioned: None,
            mentions: 0,
            heard: Vec::new(),
            given: Given::default(),
            left: Vec::new(),
            language: Language::English,
        }
    }
}

/// A hazard, and the caller's words that named it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Escalated {
    pub hazard: Hazard,
    pub words: String,
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
        /// The caller said the read-back was wrong: their next words say what to change.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        fixing: bool,
    },
    /// "Which unit are you in?", before a request with permission to enter is filed for a
    /// caller known by caller ID only.
    ConfirmingUnit {
        request: Request,
    },
    Transferring {
        to: Target,
    },
    TakingMessage {
        draft: Option<String>,
        #[serde(default)]
        kind: MessageKind,
        /// What the message or showing request says, detail by detail, as read back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<Note>,
    },
    /// On-call did not answer an emergency: its follow-up is out, and the caller is asked how
    /// to reach them.
    FollowingUp {
        hazard: Hazard,
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
            Stage::ConfirmingUnit { .. } => "confirming_unit",
            Stage::Transferring { .. } => "transferring",
            Stage::TakingMessage { .. } => "taking_message",
            Stage::FollowingUp { .. } => "following_up",
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

/// A message or a showing request, detail by detail: read back in a few words, with the
/// caller's whole words kept for staff.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Note {
    /// The staff member it is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Who it is from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// What it says, in a few of the caller's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gist: Option<String>,
    /// A showing: which unit ("the 1-bedroom at 1042 Windsor St") and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<Phone>,
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

/// A maintenance request as the caller gives it, detail by detail.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Request {
    /// The caller's own words.
    pub problem: Option<String>,
    /// The problem in a few of those words ("a leaking kitchen faucet"): the read-back and
    /// the service issue's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Asked in Spanish: the model's English line for staff about the problem, when it gave
    /// one that passed `vet::translation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub english: Option<String>,
    /// How to come in, as the caller said it ("I have a dog, please knock first").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<String>,
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    Emergency,
    ServiceIssue,
    Transferred,
    Message,
    Information,
}

/// What the office knows that the machine may use: the profile, the time, and what frontdesk
/// can do here (decided once, when the app is assembled).
pub struct Facts<'a> {
    pub office: &'a Office,
    pub knowledge: &'a Knowledge,
    pub now: DateTime<Utc>,
    /// Texts can be sent (Twilio's REST API is configured): what the caller is told about an
    /// emergency's follow-up depends on it.
    pub texting: bool,
    /// The call's reference (digits), or the one it gets if this turn leaves something
    /// behind: chosen outside the machine (see `reference`), spoken when a request is filed
    /// or a message taken.
    pub reference: Option<&'a str>,
    /// An earlier call's reference the caller said this turn, found and linked to this call.
    pub linked: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq)]
#[expect(clippy::large_enum_variant, reason = "one event per turn, moved once: boxing buys nothing")]
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

/// Whose words a turn's reply is: the model's line, or the rules'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Source {
    Model,
    Rules,
}

/// What the machine decided for one event: words, then exactly one next verb, and records.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    pub say: Vec<String>,
    pub next: Next,
    pub actions: Vec<Action>,
    pub model_line: ModelLine,
    /// The language the turn's lines are in, and the caller's next words are listened for in.
    pub language: Language,
    /// One sentence in Spanish after the lines of an English turn, in the Spanish voice: the
    /// greeting's invitation to switch.
    pub invite: Option<String>,
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
        /// The caller's whole words.
        body: String,
        /// As read back: who it is for and from, what it says, how to call back.
        summary: String,
        kind: MessageKind,
        /// The staff member the caller asked for, when they named one.
        for_whom: Option<String>,
    },
    /// The caller hung up in the middle of a request, before confirming it: what they had
    /// said so far, for staff to call back about.
    Unfinished(String),
    /// Text the on-call staff (through the outbox).
    PageOnCall {
        to: Vec<Phone>,
        body: String,
    },
    /// On-call did not answer an emergency: an urgent follow-up record for staff, texted to
    /// `to` (nobody when texting is not configured).
    FollowUp(FollowUp),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub hazard: Hazard,
    /// What the follow-up says: the emergency, the caller, how to reach them.
    pub body: String,
    pub callback: Option<Phone>,
    pub to: Vec<Phone>,
}

/// What a follow-up record is: one thing a person must do after a call (see `follow_up`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FollowUpKind {
    /// An emergency on-call did not answer (or a hazard the caller hung up on): urgent.
    EmergencyFollowUp,
    /// A message for staff.
    Message,
    /// A prospect's showing request.
    Showing,
    /// An outside write (a service issue, a note, a text) that failed for good.
    FailedWrite,
    /// The caller hung up before confirming a request or a message.
    UnfinishedRequest,
    /// A request filed for a caller who did not confirm their unit: entry waits for staff.
    IdentityNotConfirmed,
}

column_text!(FollowUpKind);

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIssue {
    pub priority: Priority,
    /// The caller's own words.
    pub problem: String,
    /// The problem in a few words: the issue's title.
    pub summary: String,
    /// How to come in ("I have a dog, please knock first").
    pub access: Option<String>,
    /// The managed property a caller without a unit named.
    pub property: Option<String>,
    pub location: Option<String>,
    pub entry: Option<bool>,
    pub callback: Option<Phone>,
    pub hazard: Option<Hazard>,
    /// Set when the caller, known by caller ID only, did not confirm their unit: what they
    /// answered. Permission to enter then waits for staff to confirm who called.
    pub unconfirmed: Option<String>,
    /// The language the caller spoke: staff get an English line beside their words.
    pub language: Language,
    /// That line, as the model translated it (the rules' summary otherwise).
    pub english: Option<String>,
}
