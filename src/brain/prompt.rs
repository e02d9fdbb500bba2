//! What the model is told each turn: persona, office facts, the caller, where the call stands,
//! and a bounded window of the conversation.
//!
//! The window keeps the last few exchanges and drops older ones; what older turns established
//! lives on in the call state described here, so turn 20 costs about what turn 5 does.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use crate::call::reader::Exchange;
use crate::call::{Call, CallerKind, Field, Language, MessageKind, Offer, Request, Stage, lines::quote};
use crate::knowledge::Knowledge;
use crate::office::{Office, Openness, hours};

/// Exchanges of the conversation sent verbatim; older ones are dropped.
pub const WINDOW: usize = 6;
/// Recent assistant lines listed as "already said".
const SAID: usize = 8;

pub struct Context<'a> {
    pub office: &'a Office,
    pub knowledge: &'a Knowledge,
    pub now: DateTime<Utc>,
    pub call: &'a Call,
    /// Oldest first; at most `WINDOW` are used.
    pub history: &'a [Exchange],
}

impl Context<'_> {
    pub fn window(&self) -> &[Exchange] {
        &self.history[self.history.len().saturating_sub(WINDOW)..]
    }
}

pub fn system(ctx: &Context) -> String {
    let office = ctx.office;
    let mut p = String::with_capacity(3000);
    let _ = writeln!(
        p,
        "You are {}, answering the phone for {}. Personality: {}.",
        office.assistant_name, office.office_name, office.style
    );
    p.push_str(
        "You speak on a phone line: reply in one or two short sentences for the ear, with no lists, \
         no markdown and no emoji. Never repeat a line already said; vary your words.\n\
         Say only the office facts below: never another phone number, address or hour. Never \
         promise an arrival, a time, a price or a ticket number, never state a number the caller \
         or the facts below did not, and never say you transferred a call or filed a request: \
         the system does those and says so itself. Location is only where the caller said.\n\
         If the caller describes anything dangerous (gas, fire, smoke, carbon monoxide, an alarm \
         going off, sparks, a collapse, someone stuck in an elevator, flooding, sewage, no heat, \
         no water, a door or window that no longer locks, ice blocking the way out, a lockout), \
         set hazard.\n\n",
    );
    p.push_str(&language(ctx.call.language));
    let _ = writeln!(p, "Office facts:\n- Address: {}", office.address);
    let _ = writeln!(p, "- Hours (Eastern time): {}", office.hours.spoken_week());
    if ctx.call.language == Language::Spanish {
        let _ = writeln!(p, "- Horario (hora del Este): {}", office.hours.spoken_week_es());
    }
    let local_now = ctx.now.with_timezone(&office.timezone);
    let status = match office.hours.at(ctx.now) {
        Openness::Open { closes } => format!("open now, until {}", hours::spoken_time(closes.time())),
        Openness::Closed { opens: Some(at) } => {
            format!("closed now; opens {}", hours::spoken_when(at, local_now))
        }
        Openness::Closed { opens: None } => "closed now".into(),
    };
    let _ = writeln!(p, "- Right now ({}): {status}", local_now.format("%A %-I:%M %p"));
    let _ = writeln!(p, "- Office phone: {}", office.office_phone.spoken());
    let _ = writeln!(p, "- Staff: {}\n", office.staff.join(", "));

    let caller = &ctx.call.caller;
    let policies = ctx.knowledge.policies_for(caller.property.as_deref());
    p.push_str(
        "What the office's data says; state only this, and for anything else say you don't have it:\n",
    );
    for (topic, text) in &policies {
        let _ = writeln!(p, "- {}: {text}", topic.spoken());
    }
    for (property, unit) in ctx.knowledge.available() {
        let _ = writeln!(
            p,
            "- available: {} bedroom(s) at {}, ${} a month",
            unit.bedrooms, property.name, unit.rent
        );
    }
    p.push('\n');

    // A caller ID is not an identity: until the caller is verified, the model knows the first
    // name the greeting used, and nothing private.
    let who = match (caller.kind, caller.name.as_deref()) {
        (CallerKind::Tenant, Some(_)) if !caller.verified() => format!(
            "by caller ID, a tenant called {} (identity not confirmed: never mention their unit or \
             their requests)",
            caller.first_name().unwrap_or("unknown")
        ),
        (CallerKind::Tenant, Some(name)) => format!(
            "a tenant, {name}, unit {}{}",
            caller.unit.as_deref().unwrap_or("unknown"),
            caller.property.as_deref().map(|p| format!(" at {p}")).unwrap_or_default()
        ),
        (CallerKind::Prospect, Some(name)) => format!("a prospective tenant, {name}"),
        _ => "not in our records (treat as a prospect or visitor)".into(),
    };
    let _ = writeln!(p, "The caller is {who}.");
    if caller.verified() && !caller.open_issues.is_empty() {
        let _ = writeln!(p, "Their open maintenance requests: {}.", caller.open_issues.join("; "));
    }
    let _ = writeln!(p, "Where the call stands: {}\n", stage(&ctx.call.stage));

    let said = &ctx.call.said[ctx.call.said.len().saturating_sub(SAID)..];
    if !said.is_empty() {
        p.push_str("Lines already said (do not repeat them):\n");
        for line in said {
            let _ = writeln!(p, "- {}", quote(line));
        }
        p.push('\n');
    }
    p.push_str(
        "Answer with the JSON object the schema describes: your reading of the caller's last \
         words, a summary of a problem or message they described (in their own words), your \
         reply, and reply_asks, what your reply asks the caller for (problem, \
         address, location, entry, callback, confirm, transfer, message, showing, message_body, open, \
         goodbye).",
    );
    p
}

/// The call's language: replies in it, and a request for the other one read, not answered.
fn language(language: Language) -> String {
    let now = match language {
        Language::English => "English",
        Language::Spanish => {
            "Spanish: reply in natural Spanish as spoken in New York, addressing the caller as usted, \
             never a word-for-word translation; say numbers and times in words (\"a las nueve de la \
             mañana\"), and never promise (no \"le prometo\", no \"mañana sin falta\"); when they \
             describe a problem or a message, also set english to a short English line for staff \
             that translates it and adds nothing"
        }
    };
    format!(
        "This call is in {now}. Reply in the caller's language. If the caller asks to be spoken to \
         in Spanish or English (\"español\", \"no hablo inglés\", \"English, please\"), set \
         wants_language (\"es\" or \"en\"), and set it too when they keep speaking the other \
         language; the system switches the call. Set language to the language of their last words.\n\n"
    )
}

fn stage(stage: &Stage) -> String {
    match stage {
        Stage::Ringing | Stage::Listening { offer: None } => "listening for what the caller needs.".into(),
        Stage::Listening { offer: Some(Offer::Transfer) } => {
            "you offered to connect the caller with office staff and are waiting for yes or no.".into()
        }
        Stage::Listening { offer: Some(Offer::Message) } => {
            "you offered to take a message for staff and are waiting for yes or no.".into()
        }
        Stage::Listening { offer: Some(Offer::Showing) } => {
            "you told a prospect which units are available and offered a showing; waiting for yes or no."
                .into()
        }
        Stage::Intake { request, asking } => format!(
            "taking a maintenance request. {} You just asked for: {}.",
            known(request),
            field(*asking)
        ),
        Stage::Confirming { request, .. } => {
            format!("you read back the maintenance request and asked if it is right. {}", known(request))
        }
        Stage::ConfirmingUnit { .. } => {
            "asking which unit the caller is in, before sending their request.".into()
        }
        Stage::Transferring { .. } => "transferring the call.".into(),
        Stage::TakingMessage { draft: None, kind: MessageKind::Message, .. } => {
            "taking a message for staff: listening for it.".into()
        }
        Stage::TakingMessage { draft: None, kind: MessageKind::Showing, .. } => {
            "taking a showing request: listening for which unit, when, and their name and number.".into()
        }
        Stage::TakingMessage { draft: Some(_), .. } => {
            "you read the message back and asked whether to pass it along.".into()
        }
        Stage::FollowingUp { .. } => {
            "on-call did not answer an emergency; you asked how to reach the caller (a phone number).".into()
        }
        Stage::Ended => "the call is over.".into(),
    }
}

fn known(request: &Request) -> String {
    let mut missing = Vec::new();
    let mut have = Vec::new();
    match &request.problem {
        Some(problem) => have.push(format!("problem: {}", quote(problem))),
        None => missing.push(field(Field::Problem)),
    }
    match &request.location {
        Some(location) => have.push(format!("where: {}", quote(location))),
        None => missing.push(field(Field::Location)),
    }
    match request.entry {
        Some(entry) => have.push(format!("may enter: {}", if entry { "yes" } else { "no" })),
        None => missing.push(field(Field::Entry)),
    }
    match &request.callback {
        Some(phone) => have.push(format!("callback: {}", phone.spoken())),
        None => missing.push(field(Field::Callback)),
    }
    format!("Known: {}. Still missing, in order: {}.", or_none(&have), or_none(&missing))
}

fn or_none<T: AsRef<str>>(items: &[T]) -> String {
    if items.is_empty() {
        return "nothing".into();
    }
    items.iter().map(AsRef::as_ref).collect::<Vec<_>>().join("; ")
}

fn field(field: Field) -> String {
    match field {
        Field::Problem => "what the problem is",
        Field::Address => "the street address of the apartment",
        Field::Location => "where in the home it is",
        Field::Entry => "permission to enter when nobody is home",
        Field::Callback | Field::CallbackNumber => "the best callback number",
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Call, Caller};
    use crate::phone::Phone;

    #[test]
    fn the_prompt_carries_the_profile_facts_and_the_caller() {
        let office = Office::load(None).unwrap();
        let call = Call::new(Caller {
            phone: Phone::parse("+17185550101"),
            kind: CallerKind::Tenant,
            name: Some("Maria Lopez".into()),
            unit: Some("2B".into()),
            property: None,
            records: None,
            open_issues: Vec::new(),
            identity: crate::call::Identity::Attested,
        });
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 1, 15, 30, 0).unwrap();
        let knowledge = Knowledge::from_toml(crate::knowledge::SEED).unwrap();
        let prompt =
            system(&Context { office: &office, knowledge: &knowledge, now, call: &call, history: &[] });
        for fact in [
            "31 Port Richmond Ave", "Monday through Friday, 9 AM to 5 PM", "open now, until 5 PM",
            "718-414-6984", "Diane, Janier", "Maria Lopez, unit 2B",
        ] {
            assert!(prompt.contains(fact), "{fact} missing from:\n{prompt}");
        }
    }

    #[test]
    fn a_spanish_call_asks_for_spanish_replies_and_a_language_request() {
        let office = Office::load(None).unwrap();
        let knowledge = Knowledge::from_toml(crate::knowledge::SEED).unwrap();
        let mut call = Call::new(Caller::unknown(None));
        let ctx = |call: &Call| {
            system(&Context { office: &office, knowledge: &knowledge, now: Utc::now(), call, history: &[] })
        };
        let english = ctx(&call);
        assert!(
            english.contains("This call is in English") && english.contains("wants_language"),
            "{english}"
        );
        call.language = Language::Spanish;
        let spanish = ctx(&call);
        assert!(spanish.contains("This call is in Spanish") && spanish.contains("usted"), "{spanish}");
        assert!(spanish.contains("Horario (hora del Este): de lunes a viernes"), "{spanish}");
    }

    #[test]
    fn the_window_keeps_only_recent_exchanges() {
        let office = Office::load(None).unwrap();
        let call = Call::new(Caller::unknown(None));
        let history: Vec<Exchange> = (0..20)
            .map(|i| Exchange { caller: Some(format!("question {i}")), assistant: format!("answer {i}") })
            .collect();
        let knowledge = Knowledge::default();
        let ctx = Context {
            office: &office,
            knowledge: &knowledge,
            now: Utc::now(),
            call: &call,
            history: &history,
        };
        let window = ctx.window();
        assert_eq!(window.len(), WINDOW);
        assert_eq!(window[0].caller.as_deref(), Some("question 14"));
    }
}
