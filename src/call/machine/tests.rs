use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::call::rules;
use crate::call::{Caller, CallerKind, MessageKind, Priority};
use crate::knowledge::Knowledge;
use crate::office::Office;
use crate::phone::Phone;

/// Tuesday, December 1 2026, 10:30 in New York: the office is open.
fn tuesday_morning() -> DateTime<Utc> {
    eastern(2026, 12, 1, 10, 30)
}

fn eastern(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::America::New_York.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

/// Maria Lopez, unit 2B, attested: the tenant the core's unit tests call as.
pub(crate) fn tenant() -> Caller {
    Caller {
        phone: Phone::parse("+17185550101"),
        kind: CallerKind::Tenant,
        name: Some("Maria Lopez".into()),
        unit: Some("2B".into()),
        property: Some("31 Port Richmond Ave".into()),
        records: None,
        open_issues: Vec::new(),
        identity: crate::call::Identity::Attested,
    }
}

/// Drives one call through the machine as the routes would, keeping every turn.
struct Script {
    office: Office,
    knowledge: Knowledge,
    now: DateTime<Utc>,
    texting: bool,
    call: Call,
}

impl Script {
    fn new(caller: Caller, now: DateTime<Utc>) -> Script {
        let knowledge = Knowledge::from_toml(crate::knowledge::SEED).unwrap();
        let mut script = Script {
            office: Office::load(None).unwrap(),
            knowledge,
            now,
            texting: true,
            call: Call::new(caller),
        };
        script.event(Event::Answered);
        script
    }

    fn event(&mut self, event: Event) -> Turn {
        let facts = Facts {
            office: &self.office,
            knowledge: &self.knowledge,
            now: self.now,
            texting: self.texting,
            reference: None,
            linked: None,
        };
        let (call, turn) = step(self.call.clone(), event, &facts);
        self.call = call;
        turn
    }

    fn says(&mut self, text: &str) -> Turn {
        let reading = rules::read(text, &self.office.staff);
        self.event(Event::Heard { text: text.into(), confidence: Some(0.9), reading })
    }

    fn spoken(turn: &Turn) -> String {
        turn.say.join(" ")
    }
}

#[test]
fn a_tenant_is_greeted_by_first_name() {
    let mut script = Script::new(tenant(), tuesday_morning());
    assert_eq!(script.call.said, ["Hi Maria! I'm Dimitry's AI Assistant. How can I help you today?"]);
    assert_eq!(script.call.stage, Stage::Listening { offer: None });
    let turn = script.event(Event::Silence);
    assert_eq!(turn.next, Next::Listen { speech_timeout: 2 });
}

#[test]
fn a_maintenance_request_is_collected_read_back_and_filed_once() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let turn = s.says("My kitchen sink is leaking");
    assert!(matches!(s.call.stage, Stage::Intake { asking: Field::Entry, .. }), "{:?}", s.call.stage);
    assert_eq!(turn.say, ["If you're not home, may our maintenance team enter your unit to fix it?"]);
    s.says("yes that's fine");
    let turn = s.says("yes");
    assert_eq!(
        turn.say,
        ["Let me read that back: a leaking kitchen sink. Maintenance may enter if you're not home. We'll \
          reach you at 718-555-0101. Did I get that right?"]
    );
    let turn = s.says("yes, that's right");
    let [Action::FileServiceIssue(issue)] = turn.actions.as_slice() else { panic!("{turn:?}") };
    assert_eq!(issue.priority, Priority::Urgent);
    assert_eq!(issue.entry, Some(true));
    assert_eq!(issue.callback, Phone::parse("7185550101"));
    assert_eq!(
        turn.say,
        [
            "Thanks! Your maintenance request is in, and the team will follow up with you.",
            "Is there anything else I can help with?"
        ]
    );
    assert!(s.call.outcomes.service_issue);
    let turn = s.says("what are your hours");
    assert!(turn.actions.is_empty());
}

#[test]
fn a_vague_request_asks_what_is_wrong_with_a_longer_pause() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let turn = s.says("I need to put in a maintenance request");
    assert_eq!(turn.next, Next::Listen { speech_timeout: 3 });
    assert!(matches!(s.call.stage, Stage::Intake { asking: Field::Problem, .. }));
}

#[test]
fn gas_gets_the_911_line_first_then_the_on_call_number() {
    let mut s = Script::new(tenant(), eastern(2026, 12, 2, 3, 0));
    let turn = s.says("I smell gas in the hallway");
    assert_eq!(
        turn.say,
        [
            "If you smell gas, leave the building right away. Don't use light switches or flames, and call 911 \
             once you're outside.",
            "I'm connecting you to our on-call team now. If you're still inside, get out first, and call 911 from \
             outside."
        ]
    );
    assert_eq!(turn.next, Next::Dial { number: s.office.on_call_phone.clone(), timeout: 20 });
    let [Action::FileServiceIssue(issue), Action::PageOnCall { to, body }] = turn.actions.as_slice() else {
        panic!("{:?}", turn.actions)
    };
    assert_eq!(issue.priority, Priority::Emergency);
    assert_eq!(to, &s.office.on_call_sms);
    assert_eq!(
        body,
        "EMERGENCY (gas smell): Maria Lopez, unit 2B, 31 Port Richmond Ave, callback 718-555-0101. \
         Caller said: \"I smell gas in the hallway\""
    );
    assert!(s.call.outcomes.emergency);
}

#[test]
fn an_emergency_interrupts_an_intake_and_an_unknown_caller_gets_no_issue() {
    let mut s = Script::new(Caller::unknown(Phone::parse("+17185559999")), tuesday_morning());
    s.says("I need a repair");
    let turn = s.says("water is pouring through the ceiling");
    assert!(matches!(turn.next, Next::Dial { .. }));
    let [Action::PageOnCall { body, .. }] = turn.actions.as_slice() else {
        panic!("on-call is paged, but with no unit there is no service issue: {:?}", turn.actions)
    };
    assert_eq!(
        body,
        "EMERGENCY (flooding): Unknown caller, callback 718-555-9999. \
         Caller said: \"water is pouring through the ceiling\""
    );
}

#[test]
fn no_heat_is_an_emergency_in_january_but_not_in_july() {
    let mut winter = Script::new(tenant(), eastern(2027, 1, 12, 10, 0));
    assert!(matches!(winter.says("the heat isn't working").next, Next::Dial { .. }));
    let mut summer = Script::new(tenant(), eastern(2026, 7, 14, 10, 0));
    let turn = summer.says("the heat isn't working");
    assert!(matches!(turn.next, Next::Listen { .. }));
    let Stage::Intake { request, .. } = &summer.call.stage else { panic!() };
    assert_eq!(request.priority, Some(Priority::Urgent));
}

#[test]
fn asking_for_a_person_dials_the_office_during_hours() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let turn = s.says("Can I talk to Diane?");
    assert_eq!(turn.say, ["Sure! I'll connect you to the office so you can speak with Diane. One moment."]);
    assert_eq!(turn.next, Next::Dial { number: s.office.office_phone.clone(), timeout: 20 });
    let turn = s.event(Event::DialEnded { answered: true });
    assert_eq!(turn.next, Next::Hangup);
    assert!(s.call.outcomes.transferred);
}

#[test]
fn after_hours_a_transfer_becomes_a_message() {
    let mut s = Script::new(tenant(), eastern(2026, 12, 6, 14, 0)); // Sunday
    let turn = s.says("I want to speak to a person");
    assert!(matches!(turn.next, Next::Listen { .. }));
    assert_eq!(
        turn.say,
        ["We're closed right now, and we open again tomorrow at 9 AM. I can take a message for the team. \
          Would you like to leave one?"]
    );
    s.says("yes please");
    assert!(
        matches!(s.call.stage, Stage::TakingMessage { draft: None, kind: MessageKind::Message, .. }),
        "{:?}",
        s.call.stage
    );
    let turn = s.says("Please call me about my lease renewal");
    assert_eq!(
        turn.say,
        [
            "I have a message for the office team from Maria Lopez: Please call back about my lease renewal, at \
          718-555-0101. Should I pass that along?"
        ]
    );
    let turn = s.says("yes");
    assert_eq!(
        turn.actions,
        [Action::TakeMessage {
            body: "Please call me about my lease renewal".into(),
            summary: "For the office team from Maria Lopez: Please call back about my lease renewal, at \
                      718-555-0101"
                .into(),
            kind: MessageKind::Message,
            for_whom: None,
        }]
    );
    assert_eq!(turn.next, Next::Hangup);
}

#[test]
fn nobody_answering_a_transfer_leads_to_a_message() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("transfer me to someone");
    let turn = s.event(Event::DialEnded { answered: false });
    assert_eq!(turn.next, Next::Listen { speech_timeout: 3 });
    assert_eq!(s.call.stage, Stage::TakingMessage { draft: None, kind: MessageKind::Message, note: None });
}

#[test]
fn silence_reprompts_then_offers_a_transfer_then_says_goodbye() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let first = s.event(Event::Silence);
    assert_eq!(first.say, ["Are you still there? How can I help?"]);
    assert_eq!(first.next, Next::Listen { speech_timeout: 2 });
    let second = s.event(Event::Silence);
    assert_eq!(
        second.say,
        ["If it's easier, I can connect you with someone at the office. Would you like that?"]
    );
    assert_eq!(s.call.stage, Stage::Listening { offer: Some(Offer::Transfer) });
    let third = s.event(Event::Silence);
    assert_eq!(third.next, Next::Hangup);
    assert_eq!(s.call.stage, Stage::Ended);
}

#[test]
fn low_confidence_asks_to_repeat_and_keeps_the_question() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("my toilet is broken");
    let reading = rules::read("yes", &s.office.staff);
    let turn = s.event(Event::Heard { text: "yes".into(), confidence: Some(0.2), reading });
    assert_eq!(turn.say, ["Sorry, I didn't quite catch that. Could you say it again?"]);
    assert!(matches!(s.call.stage, Stage::Intake { asking: Field::Location, .. }));
}

#[test]
fn no_line_is_ever_said_twice() {
    let mut s = Script::new(tenant(), tuesday_morning());
    for _ in 0..6 {
        s.says("what are your hours");
        s.says("where is the office");
        s.says("thanks");
    }
    let mut said = s.call.said.clone();
    said.sort();
    said.dedup();
    assert_eq!(said.len(), s.call.said.len(), "{:#?}", s.call.said);
}

#[test]
fn hours_are_said_from_the_profile_and_the_clock() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let turn = s.says("what are your hours");
    assert_eq!(
        turn.say,
        [
            "We're open right now, until 5 PM today. Our hours are Monday through Friday, 9 AM to 5 PM.",
            "Is there anything else I can help with?"
        ]
    );
}

#[test]
fn not_understanding_three_times_hands_over_to_a_person() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("purple monkey elephant");
    s.says("banana");
    let turn = s.says("zebra crossing");
    assert_eq!(turn.say, ["Sure, I'll connect you to the office now. One moment."]);
    assert_eq!(turn.next, Next::Dial { number: s.office.office_phone.clone(), timeout: 20 });
}

#[test]
fn a_finished_call_only_hangs_up() {
    let mut s = Script::new(tenant(), tuesday_morning());
    assert_eq!(s.says("bye").next, Next::Hangup);
    assert_eq!(s.event(Event::HungUp).next, Next::Nothing);
    assert_eq!(s.says("hello?").next, Next::Hangup);
}

#[test]
fn a_prospect_asking_about_one_of_our_buildings_hears_what_is_available() {
    let mut s = Script::new(Caller::unknown(Phone::parse("+17185559999")), tuesday_morning());
    let turn = s.says("do you have any apartments available at 1042 Windsor Street");
    assert_eq!(
        turn.say,
        [
            "Right now we have a 1-bedroom at 1042 Windsor St for $1650 a month. Would you like to request a showing?"
        ]
    );
    assert_eq!(s.call.stage, Stage::Listening { offer: Some(Offer::Showing) });
    let turn = s.says("what about 55 Elm Street");
    assert_eq!(
        turn.say,
        [
            "That address isn't one of ours, so I can't take a request for it. Would you like me to connect you \
          with the office?"
        ]
    );
}

mod craft;
mod emergencies;
mod spanish;
