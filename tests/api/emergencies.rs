//! Emergencies at any hour: the safety line, the on-call number, a text to on-call staff
//! through the outbox (with Twilio failing and recovering), and the office's own policy.

use base64::Engine;
use chrono::Duration;

use crate::fake_twilio::FakeTwilio;
use crate::helpers::*;

async fn emergency_calls(app: &TestApp) -> usize {
    app.calls().await.iter().filter(|call| call.emergency).count()
}

/// The office closed (3 am), texts going through a fake Twilio.
async fn at_3am_with_texts() -> (FakeTwilio, TestApp) {
    let twilio = FakeTwilio::start(0, 500).await;
    let app = TestApp::start(Setup {
        now: eastern(2026, 12, 2, 3, 0),
        twilio_api: Some(twilio.base_url()),
        ..Setup::default()
    })
    .await;
    (twilio, app)
}

#[rocket::async_test]
async fn an_emergency_at_3am_dials_on_call_and_texts_on_call_staff() {
    let (twilio, app) = at_3am_with_texts().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;

    let reply = phone.say("water is pouring through my bathroom ceiling").await;

    assert_eq!(reply.dials().as_deref(), Some(OFFICE_NUMBER), "the seed profile's on-call number");
    assert!(reply.spoken().contains("on-call"));
    assert_eq!(app.issue_priorities().await, ["emergency"]);
    let call = &app.calls().await[0];
    assert_eq!((call.emergency, call.outcome.as_str()), (true, "emergency"));
    let text = app.outbox_item("sms").await;
    assert_eq!(text.status, "pending", "queued with the turn, not sent while the caller waits");
    assert!(twilio.texts().await.is_empty());

    assert_eq!(app.deliver_outbox().await, 1);

    let texts = twilio.texts().await;
    let [(form, auth)] = texts.as_slice() else { panic!("{texts:?}") };
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    assert_eq!(field("To"), Some(OFFICE_NUMBER));
    assert_eq!(field("From"), Some("+17185550100"), "the number the caller dialled");
    assert_eq!(
        field("Body"),
        Some(
            "EMERGENCY (flooding): Maria Lopez, unit 2B, 31 Port Richmond Ave, callback 718-555-0101. Caller said: \"water is pouring through my bathroom ceiling\""
        )
    );
    let credentials = base64::engine::general_purpose::STANDARD.encode(format!("{ACCOUNT_SID}:{AUTH_TOKEN}"));
    assert_eq!(auth, &format!("Basic {credentials}"));
    let text = app.outbox_item("sms").await;
    assert_eq!(
        (text.status.as_str(), text.external_id.as_deref()),
        ("delivered", Some("SM0123456789abcdef0123456789abcdef"))
    );
    assert_eq!(app.deliver_outbox().await, 0, "a delivered text is never sent again");
}

#[rocket::async_test]
async fn a_failed_text_is_retried_after_a_backoff_and_delivered_once() {
    let twilio = FakeTwilio::start(1, 503).await;
    let app = TestApp::start(Setup { twilio_api: Some(twilio.base_url()), ..Setup::default() }).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("there's smoke coming from the outlet and sparks").await;

    app.deliver_outbox().await;
    let text = app.outbox_item("sms").await;
    assert_eq!((text.status.as_str(), text.attempts), ("pending", 1));
    assert!(text.last_error.unwrap().contains("503"));
    assert_eq!(app.deliver_outbox().await, 0, "not before the backoff");

    app.advance_clock(Duration::seconds(10));
    app.deliver_outbox().await;

    let text = app.outbox_item("sms").await;
    assert_eq!((text.status.as_str(), text.attempts, text.last_error), ("delivered", 2, None));
    assert_eq!(twilio.texts().await.len(), 2);
}

#[rocket::async_test]
async fn a_text_twilio_refuses_is_marked_failed_for_staff_to_see() {
    let twilio = FakeTwilio::start(5, 400).await;
    let app = TestApp::start(Setup { twilio_api: Some(twilio.base_url()), ..Setup::default() }).await;
    let mut phone = app.call_from(STRANGER);
    phone.answer().await;
    phone.say("I smell gas").await;

    app.deliver_outbox().await;

    let text = app.outbox_item("sms").await;
    assert_eq!((text.status.as_str(), text.attempts), ("failed", 1));
    assert!(text.last_error.unwrap().contains("simulated failure"));
}

#[rocket::async_test]
async fn without_twilio_credentials_the_text_fails_visibly_and_the_call_still_escalates() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(STRANGER);
    phone.answer().await;
    let reply = phone.say("there is a fire in my apartment").await;
    assert!(reply.says()[0].contains("911"));
    app.deliver_outbox().await;
    let text = app.outbox_item("sms").await;
    assert_eq!(text.status, "failed");
    assert!(text.last_error.unwrap().contains("TWILIO_ACCOUNT_SID"));
}

#[rocket::async_test]
async fn no_heat_is_an_emergency_in_january_but_routine_work_in_july() {
    let january = TestApp::at(eastern(2027, 1, 12, 10, 0)).await;
    let mut phone = january.call_from(TENANT);
    phone.answer().await;
    let reply = phone.say("my heat isn't working at all").await;
    assert_eq!(reply.dials().as_deref(), Some(OFFICE_NUMBER));

    let july = TestApp::at(eastern(2026, 7, 14, 10, 0)).await;
    let mut phone = july.call_from(TENANT);
    phone.answer().await;
    let reply = phone.say("my heat isn't working at all").await;
    assert!(reply.dials().is_none());
    assert!(reply.listens(), "a maintenance request instead: {}", reply.spoken());
    assert_eq!(july.outbox_items().await, [], "no text to on-call staff");
}

/// The bodies of every text Twilio was asked to send.
async fn text_bodies(twilio: &FakeTwilio) -> Vec<String> {
    let texts = twilio.texts().await;
    texts
        .iter()
        .filter_map(|(form, _)| form.iter().find(|(k, _)| k == "Body").map(|(_, v)| v.clone()))
        .collect()
}

#[rocket::async_test]
async fn an_unanswered_emergency_is_texted_to_on_call_and_shown_urgent_atop_the_staff_pages() {
    let (twilio, app) = at_3am_with_texts().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("water is pouring through my bathroom ceiling").await;

    let reply = phone.dial_ends("no-answer").await;

    assert!(
        reply.spoken().contains("I'm texting your emergency to the on-call team now"),
        "{}",
        reply.spoken()
    );
    assert!(reply.listens());
    let follow_ups = app.follow_ups().await;
    assert_eq!(follow_ups, [FollowUpRow { kind: "emergency_follow_up".into(), urgent: true, texted: true }]);
    assert!(app.messages().await.is_empty(), "not an ordinary message");
    app.deliver_outbox().await;
    let bodies = text_bodies(&twilio).await;
    assert_eq!(bodies.len(), 2, "the page, then the follow-up: {bodies:?}");
    assert!(
        bodies[1].starts_with("EMERGENCY FOLLOW-UP (flooding): on-call did not answer. Maria Lopez, unit 2B"),
        "{}",
        bodies[1]
    );

    let reply = phone.say("call me back at 718 555 0199").await;
    assert!(
        reply.spoken().contains("I'm texting that to the on-call team too with your number, 718-555-0199")
    );

    app.log_in().await;
    for page in ["/", "/calls"] {
        let (_, html) = app.get(page).await;
        let banner = html.find("urgent-follow-ups").unwrap_or_else(|| panic!("{page}: no banner"));
        assert!(banner < html.find("<main").unwrap(), "{page}: the banner is at the top");
        assert!(html.contains("EMERGENCY FOLLOW-UP (flooding)"), "{page}");
    }
}

#[rocket::async_test]
async fn without_texting_the_caller_hears_what_will_happen_and_staff_see_it_first() {
    let app = TestApp::at(eastern(2026, 12, 2, 3, 0)).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("I smell gas in the kitchen").await;

    let reply = phone.dial_ends("no-answer").await;

    let spoken = reply.spoken();
    assert!(spoken.contains("I can't send texts from here"), "{spoken}");
    assert!(spoken.contains("top of the office's list, marked urgent"), "{spoken}");
    assert!(!spoken.contains("they have your emergency") && !spoken.contains("I'm texting"), "{spoken}");
    let follow_ups = app.follow_ups().await;
    assert_eq!(follow_ups, [FollowUpRow { kind: "emergency_follow_up".into(), urgent: true, texted: false }]);
    assert_eq!(app.outbox_items().await.len(), 1, "only the page, which fails visibly");
    app.log_in().await;
    let (_, html) = app.get("/").await;
    assert!(html.contains("not texted to anyone"), "{html}");
}

#[rocket::async_test]
async fn gas_heard_through_a_bad_line_is_asked_once_then_escalated_on_silence() {
    let app = TestApp::at(eastern(2026, 12, 2, 3, 0)).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;

    let asked = phone.say_unclearly("I smell gas").await;
    assert_eq!(asked.says(), ["Sorry, the line isn't clear. Did you say you smell gas?"]);
    assert!(app.outbox_items().await.is_empty());

    let reply = phone.stay_silent().await;

    assert!(reply.says()[0].contains("911"), "{:?}", reply.says());
    assert_eq!(reply.dials().as_deref(), Some(OFFICE_NUMBER));
    assert_eq!(emergency_calls(&app).await, 1);
}

#[rocket::async_test]
async fn a_caller_who_hangs_up_on_the_hazard_question_leaves_an_urgent_texted_follow_up() {
    let (twilio, app) = at_3am_with_texts().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say_unclearly("there's smoke in the hallway").await;

    phone.hang_up().await;

    let follow_ups = app.follow_ups().await;
    assert_eq!(follow_ups, [FollowUpRow { kind: "emergency_follow_up".into(), urgent: true, texted: true }]);
    assert_eq!(emergency_calls(&app).await, 1);
    app.deliver_outbox().await;
    let bodies = text_bodies(&twilio).await;
    assert!(
        bodies.iter().any(|b| b.starts_with("POSSIBLE EMERGENCY (smoke): heard on a bad line")),
        "{bodies:?}"
    );
}

#[rocket::async_test]
async fn a_graver_hazard_later_in_the_call_escalates_again() {
    let app = TestApp::at(eastern(2026, 12, 2, 3, 0)).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("I'm locked out and my baby is inside").await;
    phone.dial_ends("no-answer").await;

    let reply = phone.say("and now I smell gas").await;

    assert!(reply.says()[0].contains("911"), "{:?}", reply.says());
    assert_eq!(reply.dials().as_deref(), Some(OFFICE_NUMBER));
    let pages = app.outbox_items().await.iter().filter(|item| item.payload.contains("EMERGENCY (")).count();
    assert_eq!(pages, 2, "the lockout's page and the gas page");
}

#[rocket::async_test]
async fn after_hours_a_caller_who_keeps_naming_gas_reaches_on_call_not_a_message_offer() {
    let app = TestApp::at(eastern(2026, 12, 2, 3, 0)).await;
    let mut phone = app.call_from(STRANGER);
    phone.answer().await;
    phone.say_unclearly("gas... the gas, it's").await;
    phone.say("the gas the gas").await;

    let reply = phone.say("gas please").await;

    assert!(reply.says()[0].contains("911"), "{:?}", reply.says());
    assert_eq!(reply.dials().as_deref(), Some(OFFICE_NUMBER));
    assert!(!reply.spoken().contains("message"), "{}", reply.spoken());
    assert_eq!(emergency_calls(&app).await, 1);
}

#[rocket::async_test]
async fn near_misses_at_3am_page_nobody() {
    let app = TestApp::at(eastern(2026, 12, 2, 3, 0)).await;
    for words in [
        "my smoke detector keeps chirping, I think it needs a new battery",
        "I have a question about my gas bill",
        "is there going to be a fire drill today",
    ] {
        let mut phone = app.call_from(TENANT);
        phone.answer().await;
        let reply = phone.say(words).await;
        assert!(reply.dials().is_none() && !reply.spoken().contains("911"), "{words}: {}", reply.spoken());
    }
    assert!(app.outbox_items().await.is_empty());
    assert_eq!(emergency_calls(&app).await, 0);
}

#[rocket::async_test]
async fn several_requests_in_one_breath_the_emergency_first_and_the_rest_kept_on_the_call() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;

    let reply = phone
        .say("my sink is leaking, and there's smoke coming out of the outlet, and what are your hours")
        .await;

    assert!(reply.says()[0].contains("911"), "{:?}", reply.says());
    assert_eq!(reply.dials().as_deref(), Some(OFFICE_NUMBER));
    let state = app.stored_state(&phone.sid).await;
    assert_eq!(state["queued"], serde_json::json!([{ "intent": "hours", "words": "what are your hours" }]));
}
