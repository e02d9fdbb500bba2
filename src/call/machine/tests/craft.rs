//! Scripts for how the assistant sounds: read-backs that summarise, corrections heard at any
//! point, details given early kept, access notes, a second request, questions answered,
//! priority from the office's table, and an emergency script that holds together.

use super::*;
use crate::call::ServiceIssue;

/// Priya Shah, a prospect the directory knows.
fn prospect() -> Caller {
    Caller {
        phone: Phone::parse("+17185550104"),
        kind: CallerKind::Prospect,
        name: Some("Priya Shah".into()),
        unit: None,
        property: None,
        records: None,
        open_issues: Vec::new(),
        identity: crate::call::Identity::Attested,
    }
}

fn filed(turn: &Turn) -> &ServiceIssue {
    let issues: Vec<&ServiceIssue> = turn
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::FileServiceIssue(issue) => Some(issue),
            _ => None,
        })
        .collect();
    let [one] = issues.as_slice() else { panic!("one issue expected: {:?}", turn.actions) };
    one
}

#[test]
fn the_read_back_names_the_problem_in_a_few_words_and_staff_keep_the_whole_words() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let words = "Hi, yeah, my kitchen faucet is leaking, it keeps dripping even when it's off";
    s.says(words);
    s.says("yes");
    let turn = s.says("yes");
    assert_eq!(
        turn.say,
        [
            "Let me read that back: a leaking kitchen faucet. Maintenance may enter if you're not home. We'll reach \
          you at 718-555-0101. Did I get that right?"
        ]
    );
    let turn = s.says("yes");
    let issue = filed(&turn);
    assert_eq!((issue.summary.as_str(), issue.problem.as_str()), ("a leaking kitchen faucet", words));
    assert_eq!(issue.location.as_deref(), Some("kitchen"));
    assert_eq!(s.call.left, ["a leaking kitchen faucet"]);
}

#[test]
fn a_correction_fixes_just_its_detail_and_is_not_a_no() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("my kitchen sink is leaking");
    let turn = s.says("Actually no, it's the bathroom, not the kitchen");
    assert_eq!(turn.say, ["Got it, the bathroom.", "Do we have your permission to enter if nobody's home?"]);
    let Stage::Intake { request, asking } = &s.call.stage else { panic!("{:?}", s.call.stage) };
    assert_eq!((request.location.as_deref(), request.entry, *asking), (Some("bathroom"), None, Field::Entry));
    s.says("yes");
    let turn = s.says("yes");
    assert_eq!(
        turn.say,
        [
            "Let me read that back: a leaking bathroom sink. Maintenance may enter if you're not home. We'll reach \
          you at 718-555-0101. Did I get that right?"
        ]
    );

    // At the read-back: a number given with the "no" changes the number, and nothing else.
    let turn = s.says("no, call me at 718 555 0177");
    assert_eq!(
        turn.say,
        [
            "Thanks, I've changed that to 718-555-0177.",
            "Here's what I have: a leaking bathroom sink. Maintenance may enter if you're not home. We'll reach \
             you at 718-555-0177. Is that correct?"
        ]
    );
    // A bare no asks what to change, and the answer changes only that.
    let turn = s.says("no");
    assert_eq!(turn.say, ["Sorry about that. What should I change?"]);
    let turn = s.says("it's the kitchen after all, you can't go in, I need to be home");
    assert_eq!(
        turn.say,
        [
            "Okay, the kitchen, only when you're home then.",
            "So that's a leaking kitchen sink. Maintenance will only come in when you're home. We'll reach you at \
             718-555-0177. Is everything right?"
        ]
    );
    let turn = s.says("yes");
    let issue = filed(&turn);
    assert_eq!((issue.location.as_deref(), issue.entry), (Some("kitchen"), Some(false)));
    assert_eq!(issue.callback, Phone::parse("7185550177"));
}

#[test]
fn details_given_before_they_are_asked_are_kept_and_read_back_with_the_access_note() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let turn =
        s.says("My stove won't light. I have a dog, please knock first, and you can call me at 718 555 0177");
    assert_eq!(turn.say, ["Got it. Where in your home is that?"]);
    let turn = s.says("the kitchen");
    assert_eq!(turn.say, ["If you're not home, may our maintenance team enter your unit to fix it?"]);
    let turn = s.says("yes");
    assert_eq!(
        turn.say,
        [
            "Let me read that back: a stove that won't light, in the kitchen. Maintenance may enter if you're not \
          home. Note for the team: you have a dog, please knock first. We'll reach you at 718-555-0177. Did I get \
          that right?"
        ]
    );
    let turn = s.says("yes");
    let issue = filed(&turn);
    assert_eq!(issue.access.as_deref(), Some("I have a dog, please knock first"));
    assert_eq!(issue.callback, Phone::parse("7185550177"));
}

#[test]
fn a_second_request_becomes_its_own_with_the_questions_that_fit_it() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("my kitchen faucet is leaking, I have a cat so knock first");
    s.says("yes");
    let turn = s.says("oh, also the hallway light is out");
    assert_eq!(
        turn.say,
        ["Got it, I'll take that one right after this.", "Should we call you back at 718-555-0101?"]
    );
    s.says("yes");
    let turn = s.says("yes");
    assert_eq!(filed(&turn).summary, "a leaking kitchen faucet");
    assert_eq!(
        turn.say,
        [
            "Thanks! Your maintenance request is in, and the team will follow up with you.",
            "Now, about a hallway light that's out.",
            "Here's what I have: a hallway light that's out. We'll reach you at 718-555-0101. Is that correct?"
        ],
        "a hallway needs no permission to enter nor a note on how, and the number is not asked again"
    );
    let turn = s.says("yes");
    let issue = filed(&turn);
    assert_eq!(
        (issue.location.as_deref(), issue.entry, issue.access.as_deref()),
        (Some("hallway"), None, None)
    );
    assert_eq!(
        Script::spoken(&turn),
        "All set, your request has been sent to our maintenance team. Is there anything else I can help with?"
    );
    assert!(s.call.queued.is_empty());
}

#[test]
fn two_repairs_in_one_breath_are_two_requests() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let turn = s.says("my bathroom faucet is dripping, oh and also the hallway light is out");
    assert_eq!(turn.say, ["If you're not home, may our maintenance team enter your unit to fix it?"]);
    let Stage::Intake { request, .. } = &s.call.stage else { panic!("{:?}", s.call.stage) };
    assert_eq!(
        (request.summary.as_deref(), request.location.as_deref()),
        (Some("a dripping bathroom faucet"), Some("bathroom"))
    );
    assert_eq!(s.call.queued.len(), 1);
    s.says("yes");
    s.says("yes");
    let turn = s.says("yes");
    assert!(Script::spoken(&turn).contains("Now, about a hallway light that's out."), "{:?}", turn.say);
}

#[test]
fn priority_comes_from_the_offices_table_and_is_said_only_when_it_changes_what_happens() {
    let priority = |said: &str| {
        let mut s = Script::new(tenant(), tuesday_morning());
        s.says(said);
        match &s.call.stage {
            Stage::Intake { request, .. } | Stage::Confirming { request, .. } => request.priority,
            other => panic!("{said}: {other:?}"),
        }
    };
    assert_eq!(priority("there's a slow drip in the bathroom sink"), Some(Priority::Routine));
    assert_eq!(priority("my kitchen faucet is dripping"), Some(Priority::Routine));
    assert_eq!(priority("there's a water stain on my bedroom ceiling"), Some(Priority::Urgent));
    assert_eq!(priority("the leak under my sink keeps growing"), Some(Priority::Urgent));
    assert_eq!(priority("my fridge stopped cooling"), Some(Priority::Urgent));
    assert_eq!(priority("the bedroom window won't open"), Some(Priority::Routine));

    // The table is the office's: another office's rows decide there.
    let mut s = Script::new(tenant(), tuesday_morning());
    s.office.priorities.insert(
        0,
        crate::office::Calibration { level: crate::office::Level::Urgent, words: vec!["window".into()] },
    );
    s.says("the bedroom window won't open");
    let Stage::Intake { request, .. } = &s.call.stage else { panic!() };
    assert_eq!(request.priority, Some(Priority::Urgent));
    s.says("yes");
    s.says("yes");
    let turn = s.says("yes");
    assert_eq!(filed(&turn).priority, Priority::Urgent);
    assert!(!Script::spoken(&turn).contains("urgent"), "{:?}", turn.say);
}

#[test]
fn a_size_asked_about_is_answered_from_the_data_and_a_question_is_not_a_yes_or_no() {
    let mut s = Script::new(prospect(), tuesday_morning());
    let turn = s.says("Do you have any two-bedrooms?");
    assert_eq!(
        turn.say,
        [
            "Not right now, we don't have a 2-bedroom available. We have a 1-bedroom at 1042 Windsor St for $1650 a \
          month. Would you like to request a showing?"
        ]
    );
    let turn = s.says("Do you have any one bedrooms?");
    assert_eq!(
        turn.say,
        [
            "Yes! We have a 1-bedroom at 1042 Windsor St for $1650 a month. Would you like to request a showing?"
        ]
    );
    assert_eq!(s.call.stage, Stage::Listening { offer: Some(Offer::Showing) });

    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("my bathroom toilet is clogged");
    let turn = s.says("do I need to be home?");
    assert_eq!(turn.say, ["Sorry, was that a yes or a no?"]);
    let Stage::Intake { request, .. } = &s.call.stage else { panic!("{:?}", s.call.stage) };
    assert_eq!(request.entry, None, "a question is not a yes");
}

#[test]
fn a_showing_asks_only_what_the_call_does_not_know() {
    let mut s = Script::new(prospect(), tuesday_morning());
    s.says("I'm looking for an apartment, could I come see it Saturday at noon?");
    let turn = s.says("yes please");
    assert_eq!(
        turn.say,
        [
            "I have a showing request for the 1-bedroom at 1042 Windsor St, Saturday at noon, for Priya Shah, at \
          718-555-0104. Should I send that to the leasing team?"
        ],
        "the name is the directory's, the one unit available needs no asking, the time was said"
    );
    let turn = s.says("yes");
    let [Action::TakeMessage { kind: MessageKind::Showing, summary, .. }] = turn.actions.as_slice() else {
        panic!("{:?}", turn.actions)
    };
    assert_eq!(
        summary,
        "For the office team from Priya Shah: the 1-bedroom at 1042 Windsor St, Saturday at noon, at 718-555-0104"
    );

    let mut s = Script::new(Caller::unknown(Phone::parse("+17185559999")), tuesday_morning());
    s.says("do you have anything available?");
    let turn = s.says("yes");
    assert_eq!(turn.say, ["Great! Please tell me when works for you, and your name."]);
}

#[test]
fn a_message_is_read_back_in_a_few_words_and_a_corrected_number_changes_only_the_number() {
    let mut s = Script::new(Caller::unknown(Phone::parse("+17185559999")), eastern(2026, 12, 6, 14, 0));
    s.says("I need to speak with Janier");
    let turn = s.says("yes");
    assert_eq!(turn.say, ["Sure, go ahead with your message, and include your name."]);
    let words = "Hi, this is Tom Becker, can you tell Janier to please call me back about the Windsor apartment, \
                 my number is 718 555 0177";
    let turn = s.says(words);
    assert_eq!(
        turn.say,
        ["I have a message for Janier from Tom Becker: please call back about the Windsor apartment, at \
          718-555-0177. Should I pass that along?"]
    );
    let turn = s.says("no, the number is 718 555 0199");
    assert_eq!(
        turn.say,
        ["So that's a message for Janier from Tom Becker: please call back about the Windsor apartment, at \
          718-555-0199. Is that right?"]
    );
    let turn = s.says("yes");
    let [Action::TakeMessage { body, summary, kind: MessageKind::Message, for_whom }] =
        turn.actions.as_slice()
    else {
        panic!("{:?}", turn.actions)
    };
    assert_eq!(body, words);
    assert_eq!(
        summary,
        "For Janier from Tom Becker: please call back about the Windsor apartment, at 718-555-0199"
    );
    assert_eq!(for_whom.as_deref(), Some("Janier"));
}

#[test]
fn after_get_out_and_call_911_nobody_is_asked_to_stay_and_the_last_words_say_what_happens() {
    let mut s = Script::new(tenant(), eastern(2026, 12, 2, 3, 0));
    s.says("I smell gas in the kitchen");
    s.event(Event::DialEnded { answered: false });
    s.says("yes this number");
    let turn = s.says("no, that's all");
    assert_eq!(
        turn.say,
        [
            "The on-call team has your emergency by text and will call you back. If anyone is in danger, call 911. \
          Goodbye."
        ]
    );
    assert_eq!(turn.next, Next::Hangup);
    assert!(s.call.said.iter().all(|line| !line.contains("stay on the line")), "{:#?}", s.call.said);
    assert!(s.call.said.iter().all(|line| !line.contains("pass your message")), "{:#?}", s.call.said);
}

#[test]
fn a_problem_named_anew_at_the_read_back_replaces_the_summary_and_staff_keep_every_word() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("my bathroom sink is leaking");
    s.says("yes");
    s.says("yes");
    let turn = s.says("no, actually it's the toilet that's clogged");
    assert_eq!(
        turn.say,
        [
            "Got it, a clogged toilet.",
            "Here's what I have: a clogged toilet, in the bathroom. Maintenance may enter if you're not home. \
             We'll reach you at 718-555-0101. Is that correct?"
        ]
    );
    let turn = s.says("yes");
    let issue = filed(&turn);
    assert_eq!(issue.summary, "a clogged toilet");
    assert_eq!(issue.problem, "my bathroom sink is leaking / no, actually it's the toilet that's clogged");
}
