//! Emergencies at any hour: the safety line, the on-call number, a text to on-call staff
//! through the outbox (with Twilio failing and recovering), and the office's own policy.

use base64::Engine;
use chrono::Duration;

use crate::fake_twilio::FakeTwilio;
use crate::helpers::*;

#[rocket::async_test]
async fn an_emergency_at_3am_dials_on_call_and_texts_on_call_staff() {
    let twilio = FakeTwilio::start(0, 500).await;
    let app = TestApp::start(Setup {
        now: eastern(2026, 12, 2, 3, 0),
        twilio_api: Some(twilio.base_url()),
        ..Setup::default()
    })
    .await;
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
