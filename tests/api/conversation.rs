//! Whole calls, played through signed callbacks as Twilio plays them.

use crate::helpers::*;

#[rocket::async_test]
async fn a_stranger_is_greeted_by_the_assistant_inside_a_speech_gather() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(STRANGER);

    let reply = phone.answer().await;

    assert_eq!(reply.verbs(), ["Gather", "Redirect"]);
    assert_eq!(
        reply.says(),
        ["Hi there! I'm Dimitry's AI Assistant! How can I help you today?", "Para español, diga «español»."]
    );
    assert_eq!(reply.attr("Say", "voice").as_deref(), Some("Google.en-US-Neural2-J"));
    assert_eq!(reply.attr("Gather", "input").as_deref(), Some("speech"));
    assert_eq!(reply.attr("Gather", "action").as_deref(), Some("/twilio/gather?turn=1"));
    assert_eq!(reply.attr("Gather", "speechModel").as_deref(), Some("phone_call"));
    assert_eq!(reply.attr("Gather", "enhanced").as_deref(), Some("true"));
    assert_eq!(reply.attr("Gather", "speechTimeout").as_deref(), Some("2"));
    assert_eq!(reply.attr("Gather", "actionOnEmptyResult").as_deref(), Some("true"));
    assert!(reply.attr("Gather", "hints").unwrap().starts_with("Diane,Janier,"));
}

#[rocket::async_test]
async fn a_tenant_is_greeted_by_first_name_from_the_directory() {
    let app = TestApp::spawn().await;
    let reply = app.call_from(TENANT).answer().await;
    assert!(reply.spoken().starts_with("Hi Maria!"), "{}", reply.spoken());
    assert_eq!(app.calls().await[0].caller_kind, "tenant");
}

#[rocket::async_test]
async fn office_hours_are_computed_in_new_york_time() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(STRANGER);
    phone.answer().await;

    let open = phone.say("What are your hours today?").await;
    assert!(open.spoken().contains("open right now, until 5 PM today"), "{}", open.spoken());
    assert!(open.spoken().contains("Monday through Friday, 9 AM to 5 PM"));

    // Saturday evening: closed, and the next opening is Monday morning.
    let weekend = TestApp::at(eastern(2026, 12, 5, 19, 0)).await;
    let mut phone = weekend.call_from(STRANGER);
    phone.answer().await;
    let closed = phone.say("are you open").await;
    assert!(
        closed.spoken().contains("closed right now, and we open again on Monday at 9 AM"),
        "{}",
        closed.spoken()
    );
}

#[rocket::async_test]
async fn the_address_comes_from_the_office_profile() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(STRANGER);
    phone.answer().await;
    let reply = phone.say("what's your address").await;
    assert!(reply.spoken().contains("31 Port Richmond Avenue, on Staten Island"), "{}", reply.spoken());
    assert!(reply.listens());
}

#[rocket::async_test]
async fn a_maintenance_request_is_read_back_confirmed_and_filed_once() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;

    let what = phone.say("I need to report a repair").await;
    assert_eq!(what.attr("Gather", "speechTimeout").as_deref(), Some("3"), "a longer pause to describe it");
    phone.say("the bathroom sink is leaking under the cabinet").await;
    let callback = phone.say("yes you can go in").await;
    assert!(callback.spoken().contains("718-555-0101"), "{}", callback.spoken());
    let read_back = phone.say("yes that's the best number").await;
    let spoken = read_back.spoken();
    assert!(spoken.starts_with("Let me read that back: a leaking bathroom sink."), "{spoken}");
    assert!(spoken.contains("Maintenance may enter"), "{spoken}");
    assert_eq!(app.service_issues().await, [], "nothing filed before confirmation");

    let filed = phone.say("yes, that's right").await;

    assert!(
        filed.spoken().contains("request is in") || filed.spoken().contains("sent to our maintenance team")
    );
    assert!(!filed.spoken().to_lowercase().contains("ticket number"));
    assert!(filed.listens(), "still helps with anything else");
    assert_eq!(
        app.service_issues().await,
        [IssueRow {
            priority: "urgent".into(),
            problem: "the bathroom sink is leaking under the cabinet".into(),
            unit: Some("2B".into()),
            property: Some("31 Port Richmond Ave".into()),
            location: Some("bathroom".into()),
            callback: Some(TENANT.into()),
            caller_name: Some("Maria Lopez".into()),
        }]
    );

    let more = phone.say("where is your office").await;
    assert!(more.spoken().contains("Port Richmond"));
    assert_eq!(app.service_issues().await.len(), 1, "filed once");
}

#[rocket::async_test]
async fn an_emergency_at_3am_rings_on_call_after_the_911_line() {
    let app = TestApp::at(eastern(2026, 12, 2, 3, 0)).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;

    let reply = phone.say("I smell gas in my kitchen").await;

    let says = reply.says();
    assert!(says[0].contains("911"), "life safety first: {says:?}");
    assert!(says[1].contains("on-call"), "{says:?}");
    assert_eq!(reply.verbs(), ["Say", "Say", "Dial"]);
    assert_eq!(reply.dials().as_deref(), Some(OFFICE_NUMBER), "the seed profile's on-call number");
    assert_eq!(reply.attr("Dial", "action").as_deref(), Some("/twilio/dial?turn=2"));
    assert_eq!(app.issue_priorities().await, ["emergency"]);
    assert_eq!(app.calls().await[0].outcome, "emergency");
}

#[rocket::async_test]
async fn asking_for_a_person_transfers_to_the_office_and_no_answer_takes_a_message() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;

    let transfer = phone.say("Can I speak with Janier please").await;
    assert!(transfer.spoken().contains("Janier"));
    assert_eq!(transfer.dials().as_deref(), Some(OFFICE_NUMBER));
    assert_eq!(transfer.attr("Dial", "callerId").as_deref(), Some(TENANT));
    assert_eq!(transfer.attr("Dial", "timeout").as_deref(), Some("20"));

    let message = phone.dial_ends("no-answer").await;
    assert!(message.spoken().contains("message"), "{}", message.spoken());
    let read_back = phone.say("Please call me back about my parking spot").await;
    assert!(read_back.spoken().contains("call back about my parking spot"), "{}", read_back.spoken());
    let bye = phone.say("yes").await;

    assert!(bye.hangs_up());
    let message =
        MessageRow { kind: "message".into(), body: "Please call me back about my parking spot".into() };
    assert_eq!(app.messages().await, [message]);
    let call = &app.calls().await[0];
    assert_eq!((call.outcome.as_str(), call.message), ("message", true));
}

#[rocket::async_test]
async fn an_answered_transfer_ends_the_call_as_transferred() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(STRANGER);
    phone.answer().await;
    phone.say("I'd like to talk to a real person").await;
    let done = phone.dial_ends("completed").await;
    assert!(done.hangs_up());
    assert_eq!(app.calls().await[0].outcome, "transferred");
}

#[rocket::async_test]
async fn on_sunday_a_transfer_request_offers_a_message_instead() {
    let app = TestApp::at(eastern(2026, 12, 6, 11, 0)).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    let reply = phone.say("let me talk to someone in the office").await;
    assert!(reply.dials().is_none(), "no transfer to an empty office");
    assert!(reply.spoken().contains("we open again tomorrow at 9 AM"), "{}", reply.spoken());
    let go_ahead = phone.say("yes please").await;
    assert!(go_ahead.spoken().contains("message"));
}

#[rocket::async_test]
async fn silence_reprompts_then_offers_a_transfer_then_says_goodbye() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(STRANGER);
    let greeting = phone.answer().await;

    let first = phone.stay_silent().await;
    let second = phone.stay_silent().await;
    let third = phone.stay_silent().await;

    assert!(first.listens() && second.listens());
    assert_ne!(first.says(), greeting.says());
    assert!(second.spoken().contains("connect"), "{}", second.spoken());
    assert!(third.hangs_up());
    let events: Vec<String> = app.turns_of(&phone.sid).await.into_iter().map(|t| t.event).collect();
    assert_eq!(events, ["answered", "silence", "silence", "silence"]);
}

#[rocket::async_test]
async fn a_low_confidence_result_is_asked_again() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(STRANGER);
    phone.answer().await;
    let reply = phone.say_unclearly("I smell mumble").await;
    assert!(reply.spoken().contains("catch") || reply.spoken().contains("repeat"), "{}", reply.spoken());
}

#[rocket::async_test]
async fn no_line_is_said_twice_in_a_long_call() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    let mut heard = phone.answer().await.says();
    for _ in 0..4 {
        for question in ["what are your hours", "thanks", "what's the address"] {
            heard.extend(phone.say(question).await.says());
        }
    }
    let mut unique = heard.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), heard.len(), "{heard:#?}");
}

#[rocket::async_test]
async fn a_restart_between_two_callbacks_loses_nothing() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("my kitchen faucet is dripping").await;
    let (sid, next) = (phone.sid.clone(), phone.next_path().to_string());

    let app = app.restart().await;
    let params = [
        ("CallSid", sid.as_str()),
        ("From", TENANT),
        ("SpeechResult", "no, only when I'm home"),
        ("Confidence", "0.9"),
    ];
    let (_, body) = app.post_signed(&next, &params).await;

    let reply = Twiml::parse(body);
    assert!(reply.spoken().contains("718-555-0101"), "the intake went on: {}", reply.spoken());
}

#[rocket::async_test]
async fn the_status_callback_closes_the_call() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(STRANGER);
    phone.answer().await;
    phone.hang_up().await;
    let call = &app.calls().await[0];
    assert_eq!((call.stage.as_str(), call.duration_s), ("ended", Some(42)));
}
