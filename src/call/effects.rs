//! What a turn causes outside frontdesk, decided and worded here, with no I/O: texts to
//! on-call staff, service issues and call notes for the system of record. The turn queues
//! them in the outbox in its own transaction; `outbox` delivers them.

use serde::{Deserialize, Serialize};

use super::lines::quote;
use super::{
    Action, Call, Caller, Language, MessageKind, Outcome, Priority, Records, ServiceIssue, Turn, summary,
};
use crate::office::Office;

/// One write to the outside world, as the outbox keeps it (its JSON is the stored payload:
/// fields only ever get added, with defaults, so queued writes survive an upgrade).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OutsideWrite {
    /// A text to on-call staff.
    Sms { to: String, body: String },
    /// A maintenance request for the system of record.
    ServiceIssue(NewServiceIssue),
    /// A call's summary on the caller's history in the system of record.
    HistoryNote { on: NoteOn, note: String },
    /// One text to the caller after a request or a message: their reference and what happens
    /// next (at most one per call; never to a number known not to take texts).
    CallerText { to: String, body: String },
    /// An e-mail to the office: a call's summary, or a day's digest.
    Email(super::report::Email),
}

impl OutsideWrite {
    /// The `kind` of a text to on-call staff, and of a text to the caller.
    pub const SMS: &str = "sms";
    pub const CALLER_TEXT: &str = "caller_text";
    /// How the `kind` column names an e-mail: the outbox gives e-mail a lane of its own.
    pub const EMAIL_KIND: &'static str = "email";

    /// How the outbox's `kind` column names it.
    pub fn kind(&self) -> &'static str {
        self.into()
    }
}

/// Where an outside write stands in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum WriteState {
    Pending,
    Delivered,
    Failed,
}

super::column_text!(WriteState);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewServiceIssue {
    pub title: String,
    /// The caller's words and the details read back to them, permission to enter included:
    /// Rent Manager also has `IsAllowedToEnter`, which `allowed_to_enter` fills.
    pub description: String,
    pub allowed_to_enter: Option<bool>,
    /// Mapped to the closest of the office's own priority names; none if nothing fits.
    pub priority: Priority,
    pub records: Records,
    /// Unique to this request and written into its description, so that a create whose
    /// answer was lost can be found instead of filed twice. (None in items queued before it.)
    #[serde(default)]
    pub marker: Option<String>,
}

/// Whose history a note goes on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum NoteOn {
    Tenant(i64),
    Prospect(i64),
}

/// Where a turn's outside writes may go, decided once when the app is assembled, and the
/// call's reference (`None` when it has none).
#[derive(Clone, Copy)]
pub struct Outlets<'a> {
    /// Service issues and notes go to a system of record (Rent Manager).
    pub keeps_records: bool,
    /// Callers get a text after a request or a message (texting configured, `CALLER_TEXTS`
    /// not off): the office it comes from.
    pub caller_texts: Option<&'a Office>,
    pub reference: Option<&'a str>,
}

/// The outside writes a turn's actions cause. Service issues go to the system of record only
/// when there is one (`keeps_records`); frontdesk keeps its own copy either way.
pub fn of_turn(sid: &str, number: u32, call: &Call, turn: &Turn, outlets: &Outlets) -> Vec<OutsideWrite> {
    let keeps_records = outlets.keeps_records;
    let mut writes = Vec::new();
    for action in &turn.actions {
        match action {
            Action::PageOnCall { to, body } => writes.extend(
                to.iter().map(|phone| OutsideWrite::Sms { to: phone.e164().to_string(), body: body.clone() }),
            ),
            Action::FollowUp(follow_up) => writes.extend(follow_up.to.iter().map(|phone| {
                OutsideWrite::Sms { to: phone.e164().to_string(), body: follow_up.body.clone() }
            })),
            Action::FileServiceIssue(issue) if keeps_records => {
                let marker = format!("{sid}-{number}");
                let mut filed = service_issue(&marker, &call.caller, issue);
                if let Some(reference) = outlets.reference {
                    filed.description += &format!(" Reference {reference}.");
                }
                writes.push(OutsideWrite::ServiceIssue(filed));
            }
            Action::FileServiceIssue(_) | Action::TakeMessage { .. } | Action::Unfinished(_) => {}
        }
    }
    writes.extend(caller_text(call, turn, outlets));
    writes
}

/// The text a caller gets after a request or a message: the reference and what happens next.
/// Not during an emergency, whose caller is being connected to on-call as it is sent.
fn caller_text(call: &Call, turn: &Turn, outlets: &Outlets) -> Option<OutsideWrite> {
    let (office, reference, phone) = (outlets.caller_texts?, outlets.reference?, call.caller.phone.as_ref()?);
    if turn.actions.iter().any(|a| matches!(a, Action::PageOnCall { .. })) {
        return None;
    }
    let words = match call.language {
        Language::English => &TEXT_EN,
        Language::Spanish => &TEXT_ES,
    };
    let next = turn.actions.iter().find_map(|action| match action {
        Action::FileServiceIssue(issue) => Some(match issue.priority {
            Priority::Routine => words.filed.to_string(),
            _ => words.filed_urgent.to_string(),
        }),
        Action::TakeMessage { kind: MessageKind::Message, for_whom, .. } => {
            Some(words.message.replace("{whom}", for_whom.as_deref().unwrap_or(words.office)))
        }
        Action::TakeMessage { kind: MessageKind::Showing, .. } => Some(words.showing.to_string()),
        _ => None,
    })?;
    let body = words
        .body
        .replace("{office}", &office.office_name)
        .replace("{next}", &next)
        .replace("{reference}", reference)
        .replace("{phone}", &office.office_phone.spoken());
    Some(OutsideWrite::CallerText { to: phone.e164().to_string(), body })
}

/// A caller's text in one language: what happens next, and the text around it.
struct TextWords {
    filed: &'static str,
    filed_urgent: &'static str,
    /// `{whom}`: the staff member the message is for, or `office`.
    message: &'static str,
    office: &'static str,
    showing: &'static str,
    /// `{office}`, `{next}`, `{reference}`, `{phone}`.
    body: &'static str,
}

const TEXT_EN: TextWords = TextWords {
    filed: "Your maintenance request is in; the maintenance team will follow up with you.",
    filed_urgent: "Your maintenance request is in, marked urgent; the maintenance team will follow up with you.",
    message: "We have your message for {whom}; someone will get back to you.",
    office: "the office",
    showing: "We have your showing request; the leasing team will call you to confirm a time.",
    body: "{office}: {next} Your reference is {reference}. Questions? Call {phone} and give your reference. \
           (This number does not read replies.)",
};

/// The same facts, for a call held in Spanish.
const TEXT_ES: TextWords = TextWords {
    filed: "Recibimos su solicitud de mantenimiento; el equipo de mantenimiento se comunicará con usted.",
    filed_urgent: "Recibimos su solicitud de mantenimiento, marcada como urgente; el equipo de mantenimiento se \
                   comunicará con usted.",
    message: "Recibimos su mensaje para {whom}; alguien le devolverá la llamada.",
    office: "la oficina",
    showing: "Recibimos su solicitud de visita; el equipo de alquileres le llamará para confirmar la hora.",
    body: "{office}: {next} Su número de referencia es {reference}. ¿Preguntas? Llame al {phone} y dé su número \
           de referencia. (Este número no lee respuestas.)",
};

/// A service issue as the system of record gets it: the read-back's summary as its title, the
/// caller's own words and every read-back detail (the access note too) in the description,
/// linked to what it knows of the caller.
fn service_issue(marker: &str, caller: &Caller, issue: &ServiceIssue) -> NewServiceIssue {
    let what = match (issue.summary.trim(), issue.hazard, issue.language) {
        (_, _, Language::Spanish) => issue.english.clone().unwrap_or_else(|| {
            summary::for_staff(issue.language, &issue.summary, &issue.problem, issue.hazard)
        }),
        ("", Some(hazard), _) => hazard.describe().to_string(),
        ("", None, _) => quote(&issue.problem),
        (summary, _, _) => summary.to_string(),
    };
    let mut title: String = what.chars().take(60).collect();
    if let Some(first) = title.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let mut description = match issue.language {
        Language::English => String::new(),
        Language::Spanish => format!("{} ", for_staff(&what, issue)),
    };
    description += &format!("Caller's words: \"{}\".", issue.problem.trim());
    if let Some(location) = &issue.location {
        description += &format!(" Where: {location}.");
    }
    let allowed_to_enter = match (&issue.unconfirmed, issue.entry) {
        (Some(said), Some(true)) => {
            description += &format!(
                " Permission to enter: given, but NOT applied: identity not confirmed (the number matched \
                 the records, but asked for their unit the caller said \"{}\"). Confirm who called first.",
                quote(said)
            );
            Some(false)
        }
        (_, entry) => {
            if let Some(entry) = entry {
                description += if entry {
                    " Permission to enter: yes."
                } else {
                    " Permission to enter: no, only when home."
                };
            }
            entry
        }
    };
    if let Some(access) = &issue.access {
        description += &format!(" Access: {}.", access.trim().trim_end_matches('.'));
    }
    if let Some(callback) = &issue.callback {
        description += &format!(" Callback: {}.", callback.spoken());
    }
    if let Some(name) = &caller.name {
        description += &format!(" Caller: {name}.");
    }
    description += &format!(" Taken by phone by frontdesk (call {marker}).");
    NewServiceIssue {
        title,
        description,
        allowed_to_enter,
        priority: issue.priority,
        records: caller.records.clone().unwrap_or_default(),
        marker: Some(marker.to_string()),
    }
}

/// The short English line staff read first about a request taken in Spanish: what was filed,
/// where, permission to enter and the callback, from the rules (the caller's own words follow).
fn for_staff(what: &str, issue: &ServiceIssue) -> String {
    let mut line = format!("For staff (the caller spoke Spanish): {what}");
    if let Some(location) = &issue.location {
        line += &format!(", in the {}", summary::es::place_for_staff(location));
    }
    match issue.entry {
        Some(true) => line += ", permission to enter: yes",
        Some(false) => line += ", permission to enter: no, only when home",
        None => {}
    }
    if let Some(callback) = &issue.callback {
        line += &format!(", callback {}", callback.spoken());
    }
    line + "."
}

/// What an ended call leaves on the caller's history in the system of record: what
/// happened, what it left for staff in a few words, what the caller said first (whole), and
/// where staff read the whole transcript. Nothing for a caller the records do not know.
pub fn history_note(
    call: &Call,
    reference: Option<&str>,
    first_words: Option<&str>,
    duration_s: Option<i64>,
    transcript: &str,
) -> Option<OutsideWrite> {
    let records = call.caller.records.as_ref()?;
    let on = match (records.tenant_id, records.prospect_id) {
        (Some(id), _) => NoteOn::Tenant(id),
        (None, Some(id)) => NoteOn::Prospect(id),
        (None, None) => return None,
    };
    let outcome = match call.outcomes.label() {
        Outcome::Information => "questions answered".to_string(),
        other => other.as_str().replace('_', " "),
    };
    let mut note = format!("Phone call answered by frontdesk ({outcome}");
    if let Some(seconds) = duration_s {
        note += &format!(", {}:{:02}", seconds / 60, seconds % 60);
    }
    note += ").";
    if call.language == Language::Spanish {
        note += " The caller spoke Spanish; their words are quoted as said.";
    }
    if let Some(reference) = reference {
        note += &format!(" Reference {reference}.");
    }
    if !call.left.is_empty() {
        note += &format!(" Left for staff: {}.", call.left.join("; "));
    }
    if let Some(words) = first_words {
        note += &format!(" Caller: \"{}\".", words.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    note += &format!(" Transcript: {transcript}");
    Some(OutsideWrite::HistoryNote { on, note })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{CallerKind, Outcomes};
    use crate::phone::Phone;

    fn outlets(keeps_records: bool, caller_texts: Option<&Office>) -> Outlets<'_> {
        Outlets { keeps_records, caller_texts, reference: None }
    }

    fn tenant() -> Caller {
        Caller {
            phone: Phone::parse("+17185550101"),
            kind: CallerKind::Tenant,
            name: Some("Maria Lopez".into()),
            unit: Some("2B".into()),
            property: None,
            records: Some(Records { tenant_id: Some(7), unit_id: Some(12), ..Records::default() }),
            open_issues: Vec::new(),
            identity: crate::call::Identity::Attested,
        }
    }

    #[test]
    fn an_emergency_follow_up_texts_each_of_its_numbers() {
        let to = vec![Phone::parse("+17185550001").unwrap(), Phone::parse("+17185550150").unwrap()];
        let follow_up = crate::call::FollowUp {
            hazard: crate::call::reading::Hazard::Gas,
            body: "EMERGENCY FOLLOW-UP (gas smell)".into(),
            callback: None,
            to,
        };
        let turn = Turn {
            say: Vec::new(),
            next: crate::call::Next::Hangup,
            actions: vec![Action::FollowUp(follow_up)],
            model_line: crate::call::ModelLine::NotOffered,
            language: crate::call::Language::English,
            invite: None,
        };
        let writes = of_turn("CA1", 4, &Call::new(tenant()), &turn, &outlets(false, None));
        let sent: Vec<(&str, &str)> = writes
            .iter()
            .map(|w| match w {
                OutsideWrite::Sms { to, body } => (to.as_str(), body.as_str()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            sent,
            [
                ("+17185550001", "EMERGENCY FOLLOW-UP (gas smell)"),
                ("+17185550150", "EMERGENCY FOLLOW-UP (gas smell)")
            ]
        );
    }

    #[test]
    fn a_request_taken_in_spanish_reaches_staff_with_an_english_line_and_the_callers_words() {
        let issue = ServiceIssue {
            priority: Priority::Urgent,
            problem: "el inodoro está tapado".into(),
            summary: "el inodoro está tapado".into(),
            access: None,
            property: None,
            location: Some("baño".into()),
            entry: Some(false),
            callback: Phone::parse("+17185550101"),
            hazard: None,
            unconfirmed: None,
            language: Language::Spanish,
            english: None,
        };
        let filed = service_issue("CA9-3", &tenant(), &issue);
        assert_eq!(filed.title, "Toilet: clogged");
        assert!(
            filed.description.starts_with(
                "For staff (the caller spoke Spanish): toilet: clogged, in the bathroom, permission to enter: \
                 no, only when home, callback 718-555-0101. Caller's words: \"el inodoro está tapado\"."
            ),
            "{}",
            filed.description
        );
        let mut call = Call::new(tenant());
        call.language = Language::Spanish;
        call.left = vec!["toilet: clogged".into()];
        let Some(OutsideWrite::HistoryNote { note, .. }) =
            history_note(&call, None, Some("el inodoro está tapado"), None, "T")
        else {
            panic!("a note for a known tenant")
        };
        assert!(
            note.contains("The caller spoke Spanish") && note.contains("Left for staff: toilet: clogged."),
            "{note}"
        );
        assert!(note.contains("Caller: \"el inodoro está tapado\""), "{note}");
    }

    #[test]
    fn a_page_texts_every_on_call_number_and_an_issue_goes_to_the_records_only_when_kept() {
        let call = Call::new(tenant());
        let issue = ServiceIssue {
            priority: Priority::Routine,
            problem: "um, the kitchen faucet is dripping".into(),
            summary: "a dripping kitchen faucet".into(),
            access: Some("I have a dog, please knock first".into()),
            property: None,
            location: Some("kitchen".into()),
            entry: Some(true),
            callback: None,
            hazard: None,
            unconfirmed: None,
            language: Language::English,
            english: None,
        };
        let to = vec![Phone::parse("+17185550001").unwrap(), Phone::parse("+17185550002").unwrap()];
        let turn = Turn {
            say: Vec::new(),
            next: crate::call::Next::Hangup,
            actions: vec![
                Action::FileServiceIssue(issue),
                Action::PageOnCall { to, body: "Gas smell at 2B".into() },
            ],
            model_line: crate::call::ModelLine::NotOffered,
            language: crate::call::Language::English,
            invite: None,
        };
        let kept = of_turn("CA1", 4, &call, &turn, &outlets(true, None));
        assert_eq!(kept.iter().map(OutsideWrite::kind).collect::<Vec<_>>(), ["service_issue", "sms", "sms"]);
        let OutsideWrite::ServiceIssue(filed) = &kept[0] else { unreachable!() };
        assert_eq!(filed.title, "A dripping kitchen faucet");
        assert!(filed.description.starts_with("Caller's words: \"um, the kitchen faucet is dripping\"."));
        assert!(
            filed.description.contains(
                "Where: kitchen. Permission to enter: yes. Access: I have a dog, please knock first."
            ),
            "{}",
            filed.description
        );
        assert_eq!(filed.records.tenant_id, Some(7));
        assert_eq!(filed.marker.as_deref(), Some("CA1-4"));
        assert!(filed.description.ends_with("(call CA1-4)."));
        let not_kept = of_turn("CA1", 4, &call, &turn, &outlets(false, None));
        assert_eq!(not_kept.iter().map(OutsideWrite::kind).collect::<Vec<_>>(), ["sms", "sms"]);
    }

    #[test]
    fn a_history_note_says_what_happened_and_where_the_transcript_is() {
        let mut call = Call::new(tenant());
        call.outcomes = Outcomes { service_issue: true, ..Outcomes::default() };
        let note =
            history_note(&call, Some("47218"), Some("My sink is leaking"), Some(95), "https://x/calls/CA1")
                .unwrap();
        let OutsideWrite::HistoryNote { on, note } = note else { unreachable!() };
        assert_eq!(on, NoteOn::Tenant(7));
        assert_eq!(
            note,
            "Phone call answered by frontdesk (service issue, 1:35). Reference 47218. Caller: \"My sink is \
             leaking\". Transcript: https://x/calls/CA1"
        );
        assert_eq!(history_note(&Call::new(Caller::unknown(None)), None, None, None, ""), None);

        call.left = vec!["a dripping kitchen faucet".into()];
        let long = "Hi, um, so my kitchen faucet is dripping, it started last week after the plumber came by \
                    for the radiator, and now it keeps going even when the handle is all the way off, day and night";
        let Some(OutsideWrite::HistoryNote { note, .. }) =
            history_note(&call, None, Some(long), Some(95), "u")
        else {
            unreachable!()
        };
        assert_eq!(
            note,
            format!(
                "Phone call answered by frontdesk (service issue, 1:35). Left for staff: a dripping kitchen faucet. \
                 Caller: \"{long}\". Transcript: u"
            )
        );
    }

    #[test]
    fn a_caller_who_spoke_spanish_gets_their_text_in_spanish() {
        let office = Office::load(None).unwrap();
        let action = Action::TakeMessage {
            body: "llámenme por lo de la renta".into(),
            summary: "For the office team: llámenme por lo de la renta".into(),
            kind: MessageKind::Message,
            for_whom: None,
        };
        let turn = Turn {
            say: Vec::new(),
            next: crate::call::Next::Hangup,
            actions: vec![action],
            model_line: crate::call::ModelLine::NotOffered,
            language: Language::Spanish,
            invite: None,
        };
        let mut call = Call::new(tenant());
        call.language = Language::Spanish;
        let on = Outlets { keeps_records: false, caller_texts: Some(&office), reference: Some("47218") };
        let writes = of_turn("CA1", 4, &call, &turn, &on);
        let [OutsideWrite::CallerText { body, .. }] = writes.as_slice() else { panic!("{writes:?}") };
        assert!(
            body.contains("Recibimos su mensaje para la oficina")
                && body.contains("Su número de referencia es 47218"),
            "{body}"
        );
    }

    #[test]
    fn a_caller_gets_one_text_with_the_reference_after_a_request_but_not_mid_emergency() {
        let office = Office::load(None).unwrap();
        let issue = ServiceIssue {
            priority: Priority::Routine,
            problem: "the sink drips".into(),
            summary: "a dripping sink".into(),
            access: None,
            property: None,
            location: None,
            entry: Some(true),
            callback: None,
            hazard: None,
            unconfirmed: None,
            language: Language::English,
            english: None,
        };
        let mut turn = Turn {
            say: Vec::new(),
            next: crate::call::Next::Hangup,
            actions: vec![Action::FileServiceIssue(issue)],
            model_line: crate::call::ModelLine::NotOffered,
            language: Language::English,
            invite: None,
        };
        let on = Outlets { keeps_records: true, caller_texts: Some(&office), reference: Some("47218") };
        let writes = of_turn("CA1", 4, &Call::new(tenant()), &turn, &on);
        let OutsideWrite::ServiceIssue(filed) = &writes[0] else { panic!("{writes:?}") };
        assert!(filed.description.ends_with("(call CA1-4). Reference 47218."), "{}", filed.description);
        let OutsideWrite::CallerText { to, body } = &writes[1] else { panic!("{writes:?}") };
        assert_eq!(to, "+17185550101");
        assert!(
            body.contains("Your reference is 47218.") && body.contains("maintenance team will follow up")
        );
        assert!(body.starts_with("Dimitry's property management office:"), "{body}");

        let off = Outlets { caller_texts: None, ..on };
        assert_eq!(of_turn("CA1", 4, &Call::new(tenant()), &turn, &off).len(), 1);
        let unknown = Call::new(Caller::unknown(None));
        assert!(of_turn("CA1", 4, &unknown, &turn, &on).iter().all(|w| w.kind() != "caller_text"));
        turn.actions.push(Action::PageOnCall { to: Vec::new(), body: "gas".into() });
        assert!(
            of_turn("CA1", 4, &Call::new(tenant()), &turn, &on).iter().all(|w| w.kind() != "caller_text")
        );
    }

    #[test]
    fn an_email_is_kept_under_its_own_kind() {
        let digest = crate::call::report::Digest {
            day: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            calls: crate::call::report::Counts::default(),
            open: Vec::new(),
            oldest: Vec::new(),
            open_total: 0,
            staff_pages: None,
        };
        let email = OutsideWrite::Email(crate::call::report::Email::Digest(digest));
        assert_eq!(email.kind(), OutsideWrite::EMAIL_KIND);
        let json = serde_json::to_string(&email).unwrap();
        assert!(json.starts_with(r#"{"kind":"email","mail":"digest","#), "{json}");
        assert_eq!(serde_json::from_str::<OutsideWrite>(&json).unwrap(), email);
    }

    #[test]
    fn queued_writes_of_the_previous_version_still_decode() {
        let sms = r#"{"kind":"sms","to":"+17185550001","body":"Gas"}"#;
        assert_eq!(
            serde_json::from_str::<OutsideWrite>(sms).unwrap(),
            OutsideWrite::Sms { to: "+17185550001".into(), body: "Gas".into() }
        );
        let note = r#"{"kind":"history_note","on":{"Tenant":7},"note":"Phone call"}"#;
        assert!(matches!(
            serde_json::from_str::<OutsideWrite>(note).unwrap(),
            OutsideWrite::HistoryNote { on: NoteOn::Tenant(7), .. }
        ));
    }
}
