//! How the assistant sounds, in whole calls played as Twilio plays them: read-backs and
//! messages that summarise (with the rules, and with the model's summary kept only in the
//! caller's words), corrections heard, details given early kept, access notes sent on, a
//! second request, questions answered, priority from the profile, a coherent emergency.

use serde_json::{Value, json};

use crate::fake_openai::{Behaviour, FakeModel};
use crate::fake_rent_manager::{FakeRentManager, RM_TENANT};
use crate::helpers::*;

/// Plays the caller's lines in order, and returns the last reply.
async fn says(phone: &mut Phone<'_>, lines: &[&str]) -> Twiml {
    let mut last = None;
    for line in lines {
        last = Some(phone.say(line).await);
    }
    last.expect("at least one line")
}

#[rocket::async_test]
async fn the_read_back_names_the_problem_and_staff_get_the_whole_words() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    let words = "Hi, yeah, my kitchen faucet is leaking, it keeps dripping even when it's off";

    let read_back = says(&mut phone, &[words, "yes", "yes"]).await;

    assert_eq!(
        read_back.says(),
        [
            "Let me read that back: a leaking kitchen faucet. Maintenance may enter if you're not home. We'll reach \
          you at 718-555-0101. Did I get that right?"
        ]
    );
    phone.say("yes").await;
    let issue = &app.service_issues().await[0];
    assert_eq!((issue.problem.as_str(), issue.priority.as_str()), (words, "routine"));
    assert_eq!(app.issue_summaries().await, [(Some("a leaking kitchen faucet".into()), None)]);
}

/// The model's reading of each turn of a maintenance call, with this summary.
fn reading_with_summary(summary: &str) -> Behaviour {
    Behaviour::ByWords(vec![
        (
            "faucet",
            json!({
                "intent": "maintenance", "describes_problem": true, "location": "kitchen", "summary": summary,
                "reply": "Sorry about that! May our team come in if you're not home?", "reply_asks": "entry"
            }),
        ),
        (
            "yes",
            json!({ "intent": "other", "answer": true, "reply": "Great, thanks.", "reply_asks": "open" }),
        ),
    ])
}

#[rocket::async_test]
async fn the_models_summary_is_read_back_when_every_word_of_it_is_the_callers() {
    let model = FakeModel::start(reading_with_summary("a dripping kitchen faucet")).await;
    let app = TestApp::with_model(model.base_url()).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    let words = "Hi, yeah, my kitchen faucet is leaking, it keeps dripping even when it's off";

    let entry = phone.say(words).await;
    assert_eq!(entry.says(), ["Sorry about that! May our team come in if you're not home?"]);
    let read_back = says(&mut phone, &["yes", "yes"]).await;

    assert_eq!(
        read_back.says(),
        [
            "Let me read that back: a dripping kitchen faucet. Maintenance may enter if you're not home. We'll reach \
          you at 718-555-0101. Did I get that right?"
        ]
    );
    phone.say("yes").await;
    assert_eq!(app.issue_summaries().await, [(Some("a dripping kitchen faucet".into()), None)]);
    assert_eq!(app.service_issues().await[0].problem, words, "staff keep the whole words");
}

#[rocket::async_test]
async fn a_models_summary_that_adds_anything_is_replaced_by_the_rules() {
    for added in [
        "a corroded washer in the kitchen faucet",
        "a dripping kitchen faucet, fixed by tomorrow",
        "a dripping kitchen faucet that has been scheduled",
    ] {
        let model = FakeModel::start(reading_with_summary(added)).await;
        let app = TestApp::with_model(model.base_url()).await;
        let mut phone = app.call_from(TENANT);
        phone.answer().await;
        phone.say("Hi, yeah, my kitchen faucet is leaking, it keeps dripping even when it's off").await;

        let read_back = says(&mut phone, &["yes", "yes"]).await;

        assert_eq!(
            read_back.says(),
            [
                "Let me read that back: a leaking kitchen faucet. Maintenance may enter if you're not home. We'll \
              reach you at 718-555-0101. Did I get that right?"
            ],
            "{added}"
        );
    }
}

#[rocket::async_test]
async fn a_correction_fixes_its_detail_and_nothing_is_asked_twice() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("my kitchen sink is leaking").await;

    let corrected = phone.say("Actually no, it's the bathroom, not the kitchen").await;
    assert_eq!(
        corrected.says(),
        ["Got it, the bathroom.", "Do we have your permission to enter if nobody's home?"]
    );
    let read_back = says(&mut phone, &["yes", "yes"]).await;
    assert!(
        read_back.spoken().starts_with("Let me read that back: a leaking bathroom sink."),
        "{}",
        read_back.spoken()
    );

    let again = phone.say("no, the number is 718 555 0177").await;
    assert_eq!(
        again.says(),
        [
            "Thanks, I've changed that to 718-555-0177.",
            "Here's what I have: a leaking bathroom sink. Maintenance may enter if you're not home. We'll reach you \
             at 718-555-0177. Is that correct?"
        ]
    );
    phone.say("yes").await;
    let issue = &app.service_issues().await[0];
    assert_eq!(
        (issue.location.as_deref(), issue.callback.as_deref()),
        (Some("bathroom"), Some("+17185550177"))
    );
}

#[rocket::async_test]
async fn an_access_note_said_early_is_read_back_and_sent_to_rent_manager() {
    let (rm, app) = FakeRentManager::with_app().await;
    let mut phone = app.call_from(RM_TENANT);
    phone.answer().await;

    let where_ = phone
        .say("My stove won't light. I have a dog, please knock first, and you can call me at 718 555 0177")
        .await;
    assert_eq!(where_.says(), ["Got it. Where in your home is that?"]);
    let read_back = says(&mut phone, &["the kitchen", "yes"]).await;
    assert_eq!(
        read_back.says(),
        [
            "Let me read that back: a stove that won't light, in the kitchen. Maintenance may enter if you're not \
          home. Note for the team: you have a dog, please knock first. We'll reach you at 718-555-0177. Did I get \
          that right?"
        ]
    );
    phone.say("yes").await;
    app.deliver_outbox().await;

    let saves = rm.received("POST", "/ServiceManagerIssues").await;
    let issue: &Value = &saves[0][0];
    assert_eq!(issue["Title"], "A stove that won't light");
    let description = issue["Description"].as_str().unwrap();
    assert!(
        description.starts_with(
            "Caller's words: \"My stove won't light. I have a dog, please knock first, and you can call me at 718 \
             555 0177\". Where: kitchen. Permission to enter: yes. Access: I have a dog, please knock first. \
             Callback: 718-555-0177."
        ),
        "{description}"
    );
}

#[rocket::async_test]
async fn a_second_request_is_its_own_after_the_first_and_asks_only_what_fits_it() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    says(&mut phone, &["my kitchen faucet is leaking", "yes"]).await;

    let queued = phone.say("oh, also the hallway light is out").await;
    assert_eq!(
        queued.says(),
        ["Got it, I'll take that one right after this.", "Should we call you back at 718-555-0101?"]
    );
    let second = says(&mut phone, &["yes", "yes"]).await;
    let reference = app.reference_of(&phone.sid).await.expect("a request gets a reference");
    assert_eq!(
        second.says(),
        [
            "Thanks! Your maintenance request is in, and the team will follow up with you.",
            &format!("Your reference number is {}.", digit_by_digit(&reference)),
            "Now, about a hallway light that's out.",
            "Here's what I have: a hallway light that's out. We'll reach you at 718-555-0101. Is that correct?"
        ]
    );
    phone.say("yes").await;

    let issues = app.service_issues().await;
    let places: Vec<Option<&str>> = issues.iter().map(|i| i.location.as_deref()).collect();
    assert_eq!(places, [Some("kitchen"), Some("hallway")]);
    let summaries: Vec<Option<String>> = app.issue_summaries().await.into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        summaries,
        [Some("a leaking kitchen faucet".into()), Some("a hallway light that's out".into())]
    );
}

#[rocket::async_test]
async fn priority_is_the_profiles_and_the_caller_hears_it_only_when_it_changes_what_happens() {
    let app = TestApp::spawn().await;
    for problem in [
        "there's a slow drip in the bathroom sink",
        "there's a water stain on my bedroom ceiling",
        "the leak under the kitchen sink keeps growing",
        "my kitchen fridge stopped cooling",
    ] {
        let mut phone = app.call_from(TENANT);
        phone.answer().await;
        let filed = says(&mut phone, &[problem, "yes", "yes", "yes"]).await;
        assert!(!filed.spoken().contains("urgent"), "{}", filed.spoken());
    }
    assert_eq!(app.issue_priorities().await, ["routine", "urgent", "urgent", "urgent"]);
}

#[rocket::async_test]
async fn a_question_about_sizes_is_answered_from_the_property_data() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(STRANGER);
    phone.answer().await;

    let two = phone.say("Do you have any two-bedrooms?").await;
    assert_eq!(
        two.says(),
        [
            "Not right now, we don't have a 2-bedroom available. We have a 1-bedroom at 1042 Windsor St for $1650 a \
          month. Would you like to request a showing?"
        ]
    );
    let studio = phone.say("Do you have any studios?").await;
    assert!(studio.spoken().starts_with("No studio is open at the moment"), "{}", studio.spoken());
    assert!(!studio.spoken().contains("No problem"), "a question is not a no");

    let ask = phone.say("sure").await;
    assert_eq!(ask.says(), ["Great! Please tell me when works for you, and your name."]);
    let read_back = phone.say("This is Tom Becker, Saturday at noon works").await;
    assert_eq!(
        read_back.says(),
        [
            "I have a showing request for the 1-bedroom at 1042 Windsor St, Saturday at noon, for Tom Becker, at \
          718-555-9876. Should I send that to the leasing team?"
        ]
    );
    phone.say("yes").await;
    assert_eq!(
        app.message_summaries().await,
        [Some(
            "For the office team from Tom Becker: the 1-bedroom at 1042 Windsor St, Saturday at noon, at \
               718-555-9876"
                .into()
        )]
    );
}

#[rocket::async_test]
async fn a_message_is_read_back_as_who_for_whom_what_and_the_number() {
    let app = TestApp::at(eastern(2026, 12, 6, 11, 0)).await;
    let mut phone = app.call_from(STRANGER);
    phone.answer().await;
    says(&mut phone, &["can I talk to Janier", "yes please"]).await;
    let words = "Hi, this is Tom Becker, can you tell Janier to please call me back about the Windsor apartment, \
                 my number is 718 555 0177";

    let read_back = phone.say(words).await;

    assert_eq!(
        read_back.says(),
        ["I have a message for Janier from Tom Becker: please call back about the Windsor apartment, at \
          718-555-0177. Should I pass that along?"]
    );
    phone.say("yes").await;
    assert_eq!(app.messages().await[0].body, words, "staff keep the whole words");
    assert_eq!(
        app.message_summaries().await,
        [Some(
            "For Janier from Tom Becker: please call back about the Windsor apartment, at 718-555-0177"
                .into()
        )]
    );
}

#[rocket::async_test]
async fn after_get_out_and_call_911_the_caller_is_never_asked_to_stay_on_the_line() {
    let app = TestApp::at(eastern(2026, 12, 2, 3, 0)).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;

    let gas = phone.say("I smell gas in my kitchen").await;
    assert_eq!(
        gas.says(),
        [
            "If you smell gas, leave the building right away. Don't use light switches or flames, and call 911 once \
             you're outside.",
            "I'm connecting you to our on-call team now. If you're still inside, get out first, and call 911 from \
             outside."
        ]
    );
    phone.dial_ends("no-answer").await;
    phone.say("yes, this number").await;
    let bye = phone.say("no, that's all").await;

    let closing = bye.says();
    assert!(bye.hangs_up());
    assert_eq!(
        closing,
        [
            "Your emergency is at the top of the office's list, marked urgent, for the first staff member who checks \
          it. If anyone is in danger, call 911. Goodbye."
        ],
        "texts are not configured here, so nobody is texted: the words say so"
    );
    let said: Vec<String> = app.turns_of(&phone.sid).await.into_iter().map(|t| t.reply_text).collect();
    assert!(
        said.iter().all(|s| !s.contains("stay on the line") && !s.contains("pass your message")),
        "{said:#?}"
    );
}
