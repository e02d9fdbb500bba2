//! A call's state lives in `calls.state` as JSON between Twilio's callbacks, so a call that is
//! under way while frontdesk is upgraded is read back by the new version. The samples in
//! `tests/fixtures/call-states/` are states exactly as a version of frontdesk stored them (the
//! first ones read from `calls.state` after real calls, `ringing` from a fresh `Call`), and
//! each must keep decoding to the same call.
//!
//! The rule: never edit these files. When the state changes, new fields get serde defaults
//! (`#[serde(default)]`) so that every old sample still decodes, and a sample saved by the new
//! version is added next to the old ones, with its check in `SAMPLES`.

use frontdesk::call::reading::Hazard;
use frontdesk::call::{
    Call, CallerKind, Field, Language, MessageKind, Offer, Outcome, Priority, Stage, Target,
};

const FOLDER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/call-states");

/// What a sample's call must still say once decoded.
type Check = fn(&Call);

/// Every sample by file name, and its check.
const SAMPLES: &[(&str, Check)] = &[
    ("confirming", confirming),
    ("confirming-fixing", confirming_fixing),
    ("ended", ended),
    ("intake", intake),
    ("intake-callback-number", intake_callback_number),
    ("intake-spanish", intake_spanish),
    ("listening-offer", listening_offer),
    ("rent-manager-caller", rent_manager_caller),
    ("ringing", ringing),
    ("taking-message", taking_message),
    ("taking-message-note", taking_message_note),
    ("transferring", transferring),
];

#[test]
fn every_stored_state_sample_still_decodes_to_the_same_call() {
    let mut names: Vec<String> = std::fs::read_dir(FOLDER)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|file| file.strip_suffix(".json").map(String::from))
        .collect();
    names.sort();

    let checked: Vec<&str> = SAMPLES.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, checked, "every sample has a check, and every check a sample");
    for (name, check) in SAMPLES {
        let json = std::fs::read_to_string(format!("{FOLDER}/{name}.json")).unwrap();
        let call: Call =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}.json no longer decodes: {e}"));
        check(&call);
        // Calls stored before `language` existed were in English.
        if *name != "intake-spanish" {
            assert_eq!(call.language, Language::English, "{name}");
        }
    }
}

fn maria(call: &Call) {
    let caller = &call.caller;
    assert_eq!(caller.kind, CallerKind::Tenant);
    assert_eq!(caller.phone.as_ref().map(|p| p.e164()), Some("+17185550101"));
    assert_eq!(caller.name.as_deref(), Some("Maria Lopez"));
    assert_eq!(
        (caller.unit.as_deref(), caller.property.as_deref()),
        (Some("2B"), Some("31 Port Richmond Ave"))
    );
    assert_eq!((caller.records.as_ref(), caller.open_issues.as_slice()), (None, &[][..]));
}

fn ringing(call: &Call) {
    maria(call);
    assert_eq!(call.stage, Stage::Ringing);
    assert!(call.said.is_empty());
    assert_eq!((call.silences, call.misses, call.outcomes.label()), (0, 0, Outcome::Information));
}

fn listening_offer(call: &Call) {
    assert_eq!(call.caller.kind, CallerKind::Unknown);
    assert_eq!(call.caller.phone.as_ref().map(|p| p.e164()), Some("+17185559876"));
    assert_eq!(call.stage, Stage::Listening { offer: Some(Offer::Transfer) });
    assert_eq!(call.silences, 2);
    assert_eq!(call.said.len(), 3);
}

fn intake(call: &Call) {
    maria(call);
    let Stage::Intake { request, asking } = &call.stage else { panic!("{:?}", call.stage) };
    assert_eq!(*asking, Field::Entry);
    assert_eq!(request.problem.as_deref(), Some("my heat isn't working at all"));
    assert_eq!(request.location.as_deref(), Some("bedroom"));
    assert_eq!(request.priority, Some(Priority::Urgent));
    assert_eq!(request.hazard, Some(Hazard::NoHeat));
    assert_eq!((request.entry, request.callback.as_ref(), request.property.as_deref()), (None, None, None));
}

fn intake_callback_number(call: &Call) {
    assert_eq!(
        (call.caller.kind, call.caller.phone.as_ref()),
        (CallerKind::Unknown, None),
        "a hidden number"
    );
    let Stage::Intake { request, asking } = &call.stage else { panic!("{:?}", call.stage) };
    assert_eq!(*asking, Field::CallbackNumber);
    assert_eq!(request.problem.as_deref(), Some("my bathroom sink is leaking"));
    assert_eq!(request.property.as_deref(), Some("1042 Windsor St"));
    assert_eq!(request.location.as_deref(), Some("bathroom"));
    assert_eq!((request.entry, request.callback.as_ref()), (Some(true), None));
    assert_eq!((request.priority, request.hazard.is_none()), (Some(Priority::Urgent), true));
}

fn confirming(call: &Call) {
    maria(call);
    let Stage::Confirming { request, .. } = &call.stage else { panic!("{:?}", call.stage) };
    assert_eq!(request.problem.as_deref(), Some("the bathroom sink is leaking under the cabinet"));
    assert_eq!(request.location.as_deref(), Some("bathroom"));
    assert_eq!(request.entry, Some(true));
    assert_eq!(request.callback.as_ref().map(|p| p.e164()), Some("+17185550101"));
    assert_eq!(request.priority, Some(Priority::Urgent));
    assert!(call.said.last().unwrap().starts_with("Let me read that back:"), "{:?}", call.said);
    assert!(!call.outcomes.service_issue, "nothing filed before the caller confirms");
}

/// Saved by the version that summarises read-backs: a read-back the caller said was wrong,
/// with an access note, a second request waiting, and the details given so far.
fn confirming_fixing(call: &Call) {
    maria(call);
    let Stage::Confirming { request, fixing } = &call.stage else { panic!("{:?}", call.stage) };
    assert!(fixing);
    assert_eq!(request.summary.as_deref(), Some("a leaking kitchen faucet"));
    assert_eq!(request.access.as_deref(), Some("I have a cat, knock first"));
    assert_eq!(request.problem.as_deref(), Some("my kitchen faucet is leaking, I have a cat so knock first"));
    assert_eq!(
        call.queued.iter().map(|a| a.words.as_str()).collect::<Vec<_>>(),
        ["oh, also the hallway light is out"]
    );
    assert_eq!(call.given.callback.as_ref().map(|p| p.e164()), Some("+17185550101"));
    assert_eq!(
        (call.given.entry, call.given.access.as_deref()),
        (Some(true), Some("I have a cat, knock first"))
    );
}

/// Saved by the version that summarises messages: the message read back in a few words, what
/// the call left for staff so far, and the name the caller gave.
fn taking_message_note(call: &Call) {
    maria(call);
    let Stage::TakingMessage { draft, kind: MessageKind::Message, note: Some(note) } = &call.stage else {
        panic!("{:?}", call.stage)
    };
    assert!(draft.as_deref().unwrap().starts_with("this is Maria, please tell Janier"));
    assert_eq!((note.to.as_deref(), note.from.as_deref()), (Some("Janier"), Some("Maria")));
    assert_eq!(note.gist.as_deref(), Some("call back about the parking permit"));
    assert_eq!(note.callback.as_ref().map(|p| p.e164()), Some("+17185550177"));
    assert_eq!(call.left, ["a running bathroom toilet"]);
    assert_eq!(call.given.name.as_deref(), Some("Maria"));
}

/// A call switched to Spanish (a version with `Call.language`); every older sample is English.
fn intake_spanish(call: &Call) {
    maria(call);
    assert_eq!(call.language, Language::Spanish);
    let Stage::Intake { request, asking: Field::Entry } = &call.stage else { panic!("{:?}", call.stage) };
    assert_eq!(request.location.as_deref(), Some("baño"));
    assert_eq!(request.priority, Some(Priority::Urgent));
}

fn transferring(call: &Call) {
    maria(call);
    assert_eq!(call.stage, Stage::Transferring { to: Target::OnCall });
    assert!(call.outcomes.emergency && call.outcomes.service_issue, "{:?}", call.outcomes);
    assert_eq!(call.outcomes.label(), Outcome::Emergency);
}

fn taking_message(call: &Call) {
    assert_eq!(call.caller.kind, CallerKind::Prospect);
    assert_eq!(call.caller.name.as_deref(), Some("Priya Shah"));
    let draft = "the one bedroom, Saturday at noon, Priya Shah, 718 555 0104";
    assert_eq!(
        call.stage,
        Stage::TakingMessage { draft: Some(draft.into()), kind: MessageKind::Showing, note: None }
    );
}

fn ended(call: &Call) {
    maria(call);
    assert_eq!(call.stage, Stage::Ended);
    assert!(call.outcomes.message);
    assert_eq!(call.outcomes.label(), Outcome::Message);
    assert_eq!(call.said.len(), 5);
}

fn rent_manager_caller(call: &Call) {
    let caller = &call.caller;
    assert_eq!((caller.kind, caller.name.as_deref()), (CallerKind::Tenant, Some("Ana Ruiz")));
    assert_eq!((caller.unit.as_deref(), caller.property.as_deref()), (Some("3F"), Some("Windsor Court")));
    let records = caller.records.as_ref().expect("the Rent Manager ids");
    assert_eq!(
        (records.tenant_id, records.prospect_id, records.unit_id, records.property_id),
        (Some(42), None, Some(321), Some(5))
    );
    assert_eq!(caller.open_issues, ["Dripping bathroom faucet"]);
    assert_eq!(call.stage, Stage::Listening { offer: None });
}
