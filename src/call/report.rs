//! What the office is told by e-mail: one call's summary when it ends, and each morning's
//! digest of the day before. Only facts live here, gathered from the call's state and records
//! (pure) and kept as the outbox item's payload, so a retried e-mail says what the first try
//! would have. The words are the mail adapter's: the model's, vetted against `facts_text`
//! (`vet::summary`), or a template's.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::heard::Heard;
use super::lines::quote;
use super::{Call, CallerKind, MessageKind, Outcome, Priority};

/// An e-mail to the office, as the outbox keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mail", rename_all = "snake_case")]
pub enum Email {
    CallSummary(CallSummary),
    Digest(Digest),
}

/// One call, as staff should hear of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallSummary {
    pub sid: String,
    /// "Maria Lopez (tenant, unit 2B)", or "An unknown caller".
    pub caller: String,
    /// The number they called from, as read aloud ("718-555-0101").
    pub phone: Option<String>,
    pub reference: Option<String>,
    /// When the call started, in the office's time ("Tuesday, December 1, 2026, 10:30 AM").
    pub started: String,
    /// "1:35".
    pub duration: Option<String>,
    pub outcome: Outcome,
    /// What the caller asked, in their own words.
    pub asked: Vec<String>,
    /// What the call achieved, one line each.
    pub done: Vec<String>,
    /// The call's follow-ups still open when it ended.
    pub follow_ups: Vec<OpenFollowUp>,
    /// The transcript on the staff pages, when `PUBLIC_URL` says where they are.
    pub transcript: Option<String>,
    /// The whole conversation, for the model to summarise and the vet to check against.
    pub conversation: Vec<Exchange>,
}

/// One turn of the conversation: what the caller said (if anything) and the reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    pub caller: Option<String>,
    pub assistant: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenFollowUp {
    pub urgent: bool,
    /// What the follow-up says must be done.
    pub body: String,
}

/// A service request the call filed, as stored.
pub struct Filed {
    pub priority: Priority,
    pub problem: String,
    pub location: Option<String>,
    pub entry: Option<bool>,
    pub callback: Option<String>,
}

/// A message the call left for staff.
pub struct Left {
    pub kind: MessageKind,
    pub body: String,
}

/// What the call's records hold besides its state, read when it ends.
pub struct Records {
    pub reference: Option<String>,
    pub started: String,
    pub duration_s: Option<i64>,
    pub filed: Vec<Filed>,
    pub left: Vec<Left>,
    pub follow_ups: Vec<OpenFollowUp>,
    pub conversation: Vec<Exchange>,
    pub transcript: Option<String>,
}

/// How many of the caller's asks the summary quotes.
const ASKED: usize = 3;

impl CallSummary {
    pub fn of(sid: &str, call: &Call, records: Records) -> CallSummary {
        let caller = &call.caller;
        let who = match (&caller.name, caller.kind) {
            (Some(name), CallerKind::Tenant) => match &caller.unit {
                Some(unit) => format!("{name} (tenant, unit {unit})"),
                None => format!("{name} (tenant)"),
            },
            (Some(name), CallerKind::Prospect) => format!("{name} (prospect)"),
            (Some(name), CallerKind::Unknown) => name.clone(),
            (None, _) => "An unknown caller".to_string(),
        };
        let asked = asked(&records);
        CallSummary {
            sid: sid.to_string(),
            caller: who,
            phone: caller.phone.as_ref().map(|p| p.spoken()),
            reference: records.reference.clone(),
            started: records.started.clone(),
            duration: records.duration_s.map(|s| format!("{}:{:02}", s / 60, s % 60)),
            outcome: call.outcomes.label(),
            asked,
            done: done(call, &records),
            follow_ups: records.follow_ups,
            transcript: records.transcript,
            conversation: records.conversation,
        }
    }

    /// Every fact the summary holds, as one text: a model's summary may state nothing that
    /// is not in it.
    pub fn facts_text(&self) -> String {
        let mut parts =
            vec![self.caller.clone(), self.started.clone(), self.outcome.as_str().replace('_', " ")];
        parts.extend(self.phone.clone());
        parts.extend(self.reference.clone());
        parts.extend(self.duration.clone());
        parts.extend(self.asked.iter().cloned());
        parts.extend(self.done.iter().cloned());
        parts.extend(self.follow_ups.iter().map(|f| f.body.clone()));
        for exchange in &self.conversation {
            parts.extend(exchange.caller.clone());
            parts.push(exchange.assistant.clone());
        }
        parts.join("\n")
    }
}

/// What the caller asked, in their words: what they said first, then each request filed or
/// message left that those words do not already hold (the answers to the assistant's
/// questions, "yes, you can go in", are not asks).
fn asked(records: &Records) -> Vec<String> {
    let first = records.conversation.iter().find_map(|e| e.caller.as_deref());
    let requests =
        records.filed.iter().map(|f| f.problem.as_str()).chain(records.left.iter().map(|l| l.body.as_str()));
    let mut asked: Vec<String> = Vec::new();
    for words in first.into_iter().chain(requests) {
        let heard = Heard::new(words);
        let held = asked.iter().any(|earlier| {
            let earlier = Heard::new(earlier);
            heard.words().all(|word| earlier.has(&[word]))
        });
        if !held && heard.words().next().is_some() {
            asked.push(clipped(words));
        }
    }
    asked.truncate(ASKED);
    asked
}

/// What the call achieved, from its state and what it filed, most serious first.
fn done(call: &Call, records: &Records) -> Vec<String> {
    let mut done = Vec::new();
    for escalated in &call.escalated {
        done.push(format!(
            "Emergency ({}): handled as an emergency and escalated to on-call.",
            escalated.hazard.describe()
        ));
    }
    for filed in &records.filed {
        let mut line =
            format!("Service request filed ({}): \"{}\"", filed.priority.as_str(), clipped(&filed.problem));
        if let Some(location) = &filed.location {
            line += &format!(", where: {location}");
        }
        match filed.entry {
            Some(true) => line += ", permission to enter: yes",
            Some(false) => line += ", permission to enter: no",
            None => {}
        }
        if let Some(callback) = &filed.callback {
            line += &format!(", callback: {callback}");
        }
        done.push(line + ".");
    }
    if call.outcomes.transferred {
        done.push("Transferred to the office, and someone answered.".into());
    }
    for left in &records.left {
        let what = match left.kind {
            MessageKind::Message => "Message taken for staff",
            MessageKind::Showing => "Showing request taken",
        };
        done.push(format!("{what}: \"{}\".", clipped(&left.body)));
    }
    if done.is_empty() {
        done.push("Questions answered; nothing was filed or left for staff.".into());
    }
    done
}

/// The caller's words as a summary quotes them: one line, at most a few sentences.
fn clipped(text: &str) -> String {
    quote(text)
}

/// One office day's calls and the follow-ups still open, sent the next morning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    /// The office day the calls are from (the day before the digest is sent).
    pub day: NaiveDate,
    pub calls: Counts,
    /// Open follow-ups by how long they have waited, youngest first, every age listed.
    pub open: Vec<Aged>,
    /// The oldest open follow-ups, urgent first, at most `OLDEST_LISTED`.
    pub oldest: Vec<Waiting>,
    /// All open follow-ups (the oldest are some of them).
    pub open_total: i64,
    /// The staff pages, when `PUBLIC_URL` says where they are.
    pub staff_pages: Option<String>,
}

/// A day's calls by their most serious outcome.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub total: i64,
    pub emergency: i64,
    pub service_issue: i64,
    pub transferred: i64,
    pub message: i64,
    pub information: i64,
}

/// How long a follow-up has been open.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Age {
    UnderADay,
    OneToThreeDays,
    ThreeToSevenDays,
    OverAWeek,
}

impl Age {
    pub const ALL: [Age; 4] = [Age::UnderADay, Age::OneToThreeDays, Age::ThreeToSevenDays, Age::OverAWeek];

    /// The age of something opened at `opened_ms`, at `now_ms` (Unix milliseconds).
    pub fn of(opened_ms: i64, now_ms: i64) -> Age {
        const DAY: i64 = 24 * 3_600_000;
        match now_ms.saturating_sub(opened_ms) {
            waited if waited < DAY => Age::UnderADay,
            waited if waited < 3 * DAY => Age::OneToThreeDays,
            waited if waited < 7 * DAY => Age::ThreeToSevenDays,
            _ => Age::OverAWeek,
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Age::UnderADay => "under a day",
            Age::OneToThreeDays => "1 to 3 days",
            Age::ThreeToSevenDays => "3 to 7 days",
            Age::OverAWeek => "over a week",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aged {
    pub age: Age,
    pub words: String,
    pub count: i64,
    pub urgent: i64,
}

/// One open follow-up in the digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub urgent: bool,
    pub body: String,
    pub caller: Option<String>,
    pub reference: Option<String>,
    /// When it was opened, in the office's time.
    pub opened: String,
    pub age: Age,
    pub transcript: Option<String>,
}

/// How many open follow-ups a digest lists one by one.
pub const OLDEST_LISTED: usize = 10;

/// Open follow-ups counted by age: `(opened_ms, urgent)` each, every age present.
pub fn by_age(open: &[(i64, bool)], now_ms: i64) -> Vec<Aged> {
    Age::ALL
        .iter()
        .map(|age| {
            let of_age: Vec<bool> =
                open.iter().filter(|(opened, _)| Age::of(*opened, now_ms) == *age).map(|(_, u)| *u).collect();
            Aged {
                age: *age,
                words: age.words().to_string(),
                count: i64::try_from(of_age.len()).unwrap_or(i64::MAX),
                urgent: i64::try_from(of_age.iter().filter(|u| **u).count()).unwrap_or(i64::MAX),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::reading::Hazard;
    use crate::call::{Caller, Escalated, Identity, Outcomes};
    use crate::phone::Phone;

    fn maria() -> Call {
        Call::new(Caller {
            phone: Phone::parse("+17185550101"),
            kind: CallerKind::Tenant,
            name: Some("Maria Lopez".into()),
            unit: Some("2B".into()),
            property: None,
            records: None,
            open_issues: Vec::new(),
            identity: Identity::Attested,
        })
    }

    fn records() -> Records {
        Records {
            reference: Some("47218".into()),
            started: "Tuesday, December 1, 2026, 10:30 AM".into(),
            duration_s: Some(95),
            filed: Vec::new(),
            left: Vec::new(),
            follow_ups: Vec::new(),
            conversation: vec![
                Exchange { caller: None, assistant: "Hi there! How can I help?".into() },
                Exchange { caller: Some("My kitchen faucet is dripping".into()), assistant: "Where?".into() },
            ],
            transcript: Some("https://x/calls/CA1".into()),
        }
    }

    #[test]
    fn a_summary_says_who_called_what_they_asked_and_what_was_done() {
        let mut call = maria();
        call.outcomes = Outcomes { service_issue: true, message: true, ..Outcomes::default() };
        let mut records = records();
        records.filed.push(Filed {
            priority: Priority::Routine,
            problem: "kitchen faucet dripping".into(),
            location: Some("kitchen".into()),
            entry: Some(true),
            callback: None,
        });
        records.left.push(Left { kind: MessageKind::Message, body: "Please call me about the lease".into() });
        let summary = CallSummary::of("CA1", &call, records);
        assert_eq!(summary.caller, "Maria Lopez (tenant, unit 2B)");
        assert_eq!(summary.phone.as_deref(), Some("718-555-0101"));
        assert_eq!(summary.duration.as_deref(), Some("1:35"));
        assert_eq!(summary.outcome, Outcome::ServiceIssue);
        assert_eq!(
            summary.asked,
            ["My kitchen faucet is dripping", "Please call me about the lease"],
            "the filed problem is in the first words already"
        );
        assert_eq!(
            summary.done,
            [
                "Service request filed (routine): \"kitchen faucet dripping\", where: kitchen, permission to enter: yes.",
                "Message taken for staff: \"Please call me about the lease\"."
            ]
        );
        let facts = summary.facts_text();
        for fact in ["47218", "Maria Lopez", "718-555-0101", "Where?", "10:30 AM"] {
            assert!(facts.contains(fact), "{fact}");
        }
    }

    #[test]
    fn an_emergency_comes_first_and_a_call_with_nothing_done_says_so() {
        let mut call = maria();
        call.escalated.push(Escalated { hazard: Hazard::Gas, words: "I smell gas".into() });
        let summary = CallSummary::of("CA1", &call, records());
        assert_eq!(
            summary.done,
            ["Emergency (gas smell): handled as an emergency and escalated to on-call."]
        );
        let quiet = CallSummary::of("CA2", &Call::new(Caller::unknown(None)), records());
        assert_eq!(quiet.caller, "An unknown caller");
        assert_eq!(quiet.done, ["Questions answered; nothing was filed or left for staff."]);
    }

    #[test]
    fn follow_ups_are_counted_by_age_with_every_age_listed() {
        let hour = 3_600_000;
        let now = 1_000 * 24 * hour;
        let open = [
            (now - hour, true),
            (now - 30 * hour, false),
            (now - 50 * hour, true),
            (now - 200 * hour, false),
        ];
        let aged = by_age(&open, now);
        let counts: Vec<(Age, i64, i64)> = aged.iter().map(|a| (a.age, a.count, a.urgent)).collect();
        assert_eq!(
            counts,
            [
                (Age::UnderADay, 1, 1),
                (Age::OneToThreeDays, 2, 1),
                (Age::ThreeToSevenDays, 0, 0),
                (Age::OverAWeek, 1, 0)
            ]
        );
        assert_eq!(Age::of(now - 7 * 24 * hour, now), Age::OverAWeek);
        assert_eq!(Age::of(now - 24 * hour + 1, now), Age::UnderADay);
    }

    #[test]
    fn an_email_keeps_its_shape_in_the_outbox() {
        let email = Email::CallSummary(CallSummary::of("CA1", &maria(), records()));
        let json = serde_json::to_value(&email).unwrap();
        assert_eq!(json["mail"], "call_summary");
        assert_eq!(serde_json::from_value::<Email>(json).unwrap(), email);
    }
}
