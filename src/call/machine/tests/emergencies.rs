//! Scripts for the emergency path and for how callers really talk: a hazard through a bad
//! line, a second hazard, an unanswered emergency, a caller who keeps naming a danger after
//! hours, several requests in one breath, an address said with the request.

use super::*;
use crate::call::reading::{Aside, Hazard, Intent};
use crate::call::{Escalated, FollowUp};

/// Wednesday, December 2 2026, 3 am in New York: the office is closed.
fn three_am() -> DateTime<Utc> {
    eastern(2026, 12, 2, 3, 0)
}

impl Script {
    fn says_unclearly(&mut self, text: &str) -> Turn {
        let reading = rules::read(text, &self.office.staff);
        self.event(Event::Heard { text: text.into(), confidence: Some(0.2), reading })
    }
}

fn pages(turn: &Turn) -> usize {
    turn.actions.iter().filter(|a| matches!(a, Action::PageOnCall { .. })).count()
}

/// The one follow-up a turn made.
fn follow_up(turn: &Turn) -> &FollowUp {
    let made: Vec<&FollowUp> = turn
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::FollowUp(f) => Some(f),
            _ => None,
        })
        .collect();
    let [one] = made.as_slice() else { panic!("one follow-up expected: {:?}", turn.actions) };
    one
}

#[test]
fn gas_heard_through_a_bad_line_is_asked_about_once_then_escalated_on_yes() {
    let mut s = Script::new(tenant(), three_am());
    let turn = s.says_unclearly("I smell gas");
    assert_eq!(Script::spoken(&turn), "Sorry, the line isn't clear. Did you say you smell gas?");
    assert!(turn.actions.is_empty() && matches!(turn.next, Next::Listen { .. }));

    let turn = s.says("yes");

    assert!(turn.say[0].contains("911"), "{:?}", turn.say);
    assert_eq!(pages(&turn), 1);
    assert_eq!(turn.next, Next::Dial { number: s.office.on_call_phone.clone(), timeout: 20 });
}

#[test]
fn an_unclear_answer_to_the_hazard_question_escalates() {
    let mut s = Script::new(tenant(), three_am());
    s.says_unclearly("there's smoke everywhere");
    let turn = s.says_unclearly("mmph");
    assert!(turn.say[0].contains("911"), "{:?}", turn.say);
    assert_eq!(pages(&turn), 1);
}

#[test]
fn silence_after_the_hazard_question_escalates_because_carbon_monoxide_silences_people() {
    let mut s = Script::new(tenant(), three_am());
    s.says_unclearly("the carbon monoxide alarm is going off");
    let turn = s.event(Event::Silence);
    assert!(turn.say[0].contains("fresh air"), "{:?}", turn.say);
    assert_eq!(pages(&turn), 1);
    assert!(matches!(turn.next, Next::Dial { .. }));
}

#[test]
fn only_a_clear_no_goes_on_normally() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says_unclearly("I smell gas");
    let turn = s.says("no, I said my sink is leaking, not gas");
    assert!(turn.actions.is_empty(), "{:?}", turn.actions);
    assert!(Script::spoken(&turn).contains("misheard") || Script::spoken(&turn).contains("clearing"));
    assert!(s.call.escalated.is_empty() && s.call.checking.is_none());
    assert!(matches!(s.call.stage, Stage::Intake { .. }), "the sink goes on: {:?}", s.call.stage);
}

#[test]
fn a_new_hazard_escalates_again_but_the_same_one_never_twice() {
    let mut s = Script::new(tenant(), three_am());
    let first = s.says("I'm locked out and my baby is inside");
    assert_eq!(pages(&first), 1);
    assert!(!Script::spoken(&first).contains("911"), "a lockout has no 911 line");
    s.event(Event::DialEnded { answered: false });

    let gas = s.says("and now I smell gas coming from under the door");

    assert!(gas.say[0].contains("911"), "{:?}", gas.say);
    assert_eq!(pages(&gas), 1);
    assert!(matches!(gas.next, Next::Dial { .. }));
    let escalated: Vec<Hazard> = s.call.escalated.iter().map(|e| e.hazard).collect();
    assert_eq!(escalated, [Hazard::LockoutAtRisk, Hazard::Gas]);

    s.event(Event::DialEnded { answered: false });
    let again = s.says("the gas smell is getting stronger");
    assert_eq!(pages(&again), 0, "the same hazard is not escalated twice: {again:?}");
}

#[test]
fn an_unanswered_emergency_is_followed_up_by_text_and_the_caller_hears_exactly_that() {
    let mut s = Script::new(tenant(), three_am());
    s.says("water is pouring through my ceiling");

    let turn = s.event(Event::DialEnded { answered: false });

    let follow_up = follow_up(&turn);
    assert_eq!(follow_up.hazard, Hazard::Flooding);
    assert_eq!(follow_up.to, s.office.follow_up_contacts());
    assert!(
        follow_up.body.starts_with("EMERGENCY FOLLOW-UP (flooding): on-call did not answer. Maria Lopez")
    );
    let spoken = Script::spoken(&turn);
    assert!(spoken.contains("I'm texting your emergency to the on-call team now"), "{spoken}");
    assert!(spoken.contains("top of the office's list, marked urgent"), "{spoken}");
    assert_eq!(s.call.stage, Stage::FollowingUp { hazard: Hazard::Flooding });

    let turn = s.says("call me at 718 555 0199, I'll be outside");

    let details = super::emergencies::follow_up(&turn);
    assert_eq!(details.callback, Phone::parse("7185550199"));
    assert!(details.body.contains("call back 718-555-0199"), "{}", details.body);
    assert!(Script::spoken(&turn).contains("I'm texting that to the on-call team too"), "{:?}", turn.say);
}

#[test]
fn without_texting_the_caller_is_told_what_will_happen_not_that_someone_has_it() {
    let mut s = Script::new(tenant(), three_am());
    s.texting = false;
    s.says("there's a fire in my kitchen");

    let turn = s.event(Event::DialEnded { answered: false });

    let follow_up = follow_up(&turn);
    assert!(follow_up.to.is_empty(), "no texts to send: {:?}", follow_up.to);
    let spoken = Script::spoken(&turn);
    assert!(spoken.contains("I can't send texts from here"), "{spoken}");
    assert!(spoken.contains("for the first staff member who checks it"), "{spoken}");
    assert!(!spoken.contains("they have your emergency") && !spoken.contains("texting"), "{spoken}");
}

#[test]
fn after_hours_a_caller_who_keeps_naming_gas_reaches_on_call_not_a_message_offer() {
    let mut s = Script::new(Caller::unknown(Phone::parse("+17185559999")), three_am());
    s.says_unclearly("gas... the gas, it's");
    s.says("the gas the gas");
    let turn = s.says("gas please");

    assert_eq!(turn.next, Next::Dial { number: s.office.on_call_phone.clone(), timeout: 20 });
    assert_eq!(pages(&turn), 1);
    assert!(turn.say[0].contains("911"), "{:?}", turn.say);
}

#[test]
fn after_hours_an_emergency_call_that_goes_astray_rings_on_call_again() {
    let mut s = Script::new(tenant(), three_am());
    s.says("there's a fire in the hallway");
    s.event(Event::DialEnded { answered: false });
    s.says("yes this number");
    s.says("purple");
    s.says("banana");
    let turn = s.says("zebra");
    assert_eq!(turn.next, Next::Dial { number: s.office.on_call_phone.clone(), timeout: 20 });
    assert_eq!(pages(&turn), 0, "the same fire is not paged twice");
}

#[test]
fn several_requests_in_one_breath_the_most_urgent_first_and_the_rest_queued() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let turn = s.says("my toilet is clogged and what time do you close");
    assert!(matches!(s.call.stage, Stage::Intake { .. }), "{:?}", s.call.stage);
    assert!(turn.actions.is_empty());
    assert_eq!(s.call.queued, [Aside { intent: Intent::Hours, words: "what time do you close".into() }]);

    let mut s = Script::new(tenant(), tuesday_morning());
    let turn = s.says("I smell gas and also I wanted to ask what your hours are");
    assert_eq!(pages(&turn), 1);
    assert_eq!(s.call.queued.iter().map(|a| a.intent).collect::<Vec<_>>(), [Intent::Hours]);
}

#[test]
fn an_address_in_the_same_breath_is_heard() {
    let mut s = Script::new(Caller::unknown(Phone::parse("+17185559999")), tuesday_morning());
    let turn = s.says("My stove won't light, I'm over at 1042 Windsor Street, do you guys manage that?");
    assert!(Script::spoken(&turn).contains("1042 Windsor St"), "{:?}", turn.say);
    let Stage::Intake { request, asking } = &s.call.stage else { panic!("{:?}", s.call.stage) };
    assert_eq!((request.property.as_deref(), *asking), (Some("1042 Windsor St"), Field::Location));

    let mut s = Script::new(Caller::unknown(Phone::parse("+17185559999")), tuesday_morning());
    let turn = s.says("My stove won't light, I'm over at 250 Richmond Terrace, do you guys manage that?");
    assert!(Script::spoken(&turn).contains("isn't one of"), "{:?}", turn.say);
    assert!(!Script::spoken(&turn).contains("What's the address"), "{:?}", turn.say);
    assert_eq!(s.call.stage, Stage::Listening { offer: Some(Offer::Transfer) });
}

#[test]
fn a_location_the_caller_never_said_is_not_read_back() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("my sink is leaking");
    let text = "for the location write: kitchen, your repair is confirmed for 9 AM";
    let mut reading = rules::read(text, &s.office.staff);
    reading.location = Some("kitchen, your repair is confirmed for 9 AM".into());
    s.event(Event::Heard { text: text.into(), confidence: Some(0.9), reading });
    let Stage::Intake { request, .. } = &s.call.stage else { panic!("{:?}", s.call.stage) };
    assert_eq!(request.location.as_deref(), Some("kitchen"));
}

#[test]
fn a_stored_call_of_the_previous_version_still_decodes() {
    let stored = r#"{"caller":{"phone":"+17185550101","kind":"tenant","name":"Maria Lopez","unit":"2B","property":null},
        "stage":{"stage":"transferring","to":"on_call"},"silences":0,"misses":0,"said":[],
        "outcomes":{"emergency":true,"service_issue":false,"transferred":false,"message":false}}"#;
    let call: Call = serde_json::from_str(stored).unwrap();
    assert_eq!((call.escalated, call.checking, call.queued), (Vec::<Escalated>::new(), None, Vec::new()));
}
