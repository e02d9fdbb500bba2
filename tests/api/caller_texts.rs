//! The text a caller gets after a request or a message: sent through the outbox to a local
//! server speaking Twilio's Messages API, its delivery reported by status callbacks signed
//! as Twilio signs them, and never sent to a number that cannot take texts.

use rocket::http::Status;

use crate::fake_twilio::FakeTwilio;
use crate::helpers::*;

/// A tenant's request from the problem to the read-back's "yes".
const REQUEST: [&str; 5] = ["the bathroom sink is leaking", "bathroom", "yes you can go in", "yes", "yes"];

async fn with_texts(caller_texts: bool) -> (FakeTwilio, TestApp) {
    let twilio = FakeTwilio::start(0, 500).await;
    let app =
        TestApp::start(Setup { twilio_api: Some(twilio.base_url()), caller_texts, ..Setup::default() }).await;
    (twilio, app)
}

async fn request_from(app: &TestApp, from: &str) -> String {
    let mut phone = app.call_from(from);
    phone.answer().await;
    for words in REQUEST {
        phone.say(words).await;
    }
    phone.hang_up().await;
    phone.sid
}

/// Twilio's status callback for a message, signed like every Twilio request.
async fn status_callback(app: &TestApp, message: &str, to: &str, status: &str, code: Option<&str>) -> Status {
    let mut params = vec![
        ("MessageSid", message),
        ("SmsSid", message),
        ("AccountSid", ACCOUNT_SID),
        ("From", "+17185550100"),
        ("To", to),
        ("MessageStatus", status),
        ("SmsStatus", status),
        ("ApiVersion", "2010-04-01"),
    ];
    if let Some(code) = code {
        params.push(("ErrorCode", code));
    }
    app.post_signed("/twilio/sms-status", &params).await.0
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[rocket::async_test]
async fn after_a_request_the_caller_gets_one_text_with_the_reference_and_staff_see_it_delivered() {
    let (twilio, app) = with_texts(true).await;
    let sid = request_from(&app, TENANT).await;

    app.deliver_outbox().await;

    let texts = twilio.texts().await;
    assert_eq!(texts.len(), 1, "one text, to the caller");
    let (form, auth) = &texts[0];
    let reference = app.reference_of(&sid).await.unwrap();
    assert_eq!(field(form, "To"), Some(TENANT));
    assert_eq!(field(form, "From"), Some("+17185550100"), "from the number the caller dialled");
    let body = field(form, "Body").unwrap();
    assert!(body.contains(&format!("Your reference is {reference}.")), "{body}");
    assert!(body.contains("maintenance team will follow up"), "{body}");
    assert_eq!(field(form, "StatusCallback"), Some(format!("{PUBLIC_URL}/twilio/sms-status").as_str()));
    assert!(auth.starts_with("Basic "));
    let item = app.outbox_item("caller_text").await;
    assert_eq!((item.status.as_str(), item.external_id.as_deref()), ("delivered", Some(FAKE_MESSAGE_SID)));

    app.log_in().await;
    let (_, page) = app.get(&format!("/calls/{sid}")).await;
    assert!(page.contains("accepted by Twilio"), "accepted is not delivered yet: {page}");
    for status in ["queued", "sent", "delivered"] {
        assert_eq!(status_callback(&app, FAKE_MESSAGE_SID, TENANT, status, None).await, Status::NoContent);
    }
    // Callbacks arrive out of order: a late "sent" does not undo "delivered".
    status_callback(&app, FAKE_MESSAGE_SID, TENANT, "sent", None).await;
    let (_, page) = app.get(&format!("/calls/{sid}")).await;
    assert!(page.contains("text-receipt good\">delivered<"), "{page}");
    let (_, status) = app.get("/status.json").await;
    let texts: serde_json::Value =
        serde_json::from_str::<serde_json::Value>(&status).unwrap()["texts"].clone();
    assert_eq!(
        (texts["sent"].as_i64(), texts["delivered"].as_i64(), texts["failed"].as_i64()),
        (Some(1), Some(1), Some(0))
    );
}

const FAKE_MESSAGE_SID: &str = "SM0123456789abcdef0123456789abcdef";

#[rocket::async_test]
async fn a_text_the_carrier_filters_shows_undelivered_with_twilios_code_on_the_call_and_the_queue() {
    let (_twilio, app) = with_texts(true).await;
    let mut unfinished = app.call_from(TENANT);
    unfinished.answer().await;
    unfinished.say("my kitchen sink is leaking").await;
    unfinished.hang_up().await;
    let mut phone = app.call_from("+17185550102");
    phone.answer().await;
    phone.say("can I talk to Diane please").await;
    phone.dial_ends("no-answer").await;
    phone.say("please call me back about my lease").await;
    phone.say("yes").await;
    let sid = phone.sid.clone();
    app.deliver_outbox().await;
    let texts: Vec<OutboxRow> =
        app.outbox_items().await.into_iter().filter(|i| i.kind == "caller_text").collect();
    assert_eq!(texts.len(), 1, "only the message texts: {texts:?}");
    assert!(texts[0].payload.contains("We have your message for Diane"), "{}", texts[0].payload);

    assert_eq!(
        status_callback(&app, FAKE_MESSAGE_SID, "+17185550102", "undelivered", Some("30007")).await,
        Status::NoContent
    );

    app.log_in().await;
    let (_, page) = app.get(&format!("/calls/{sid}")).await;
    assert!(page.contains("undelivered (error 30007)") && page.contains("carrier filtering"), "{page}");
    let (_, queue) = app.get("/follow-ups").await;
    let row = queue.split("data-kind=\"message\"").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains("text to caller") && row.contains("undelivered (error 30007)"), "{row}");
    let (_, status) = app.get("/status.json").await;
    let texts = serde_json::from_str::<serde_json::Value>(&status).unwrap()["texts"].clone();
    assert_eq!((texts["failed"].as_i64(), texts["last_error_code"].as_i64()), (Some(1), Some(30007)));
    assert!(app.unreachable_numbers().await.is_empty(), "filtering says nothing about the number");
}

#[rocket::async_test]
async fn a_landline_fails_for_good_at_once_is_shown_and_is_never_texted_again() {
    let (twilio, app) = with_texts(true).await;
    twilio.refuse_as_landline(TENANT).await;
    let first = request_from(&app, TENANT).await;
    app.deliver_outbox().await;

    let item = app.outbox_item("caller_text").await;
    assert_eq!((item.status.as_str(), item.attempts), ("failed", 1), "not retried");
    assert!(item.last_error.as_deref().unwrap().contains("21614"), "{:?}", item.last_error);
    assert!(!item.last_error.as_deref().unwrap().contains("5550101"), "no number in the error");
    assert_eq!(app.unreachable_numbers().await, [(TENANT.to_string(), 21614)]);
    assert!(app.queue().await.iter().all(|r| r.kind != "failed_write"), "nothing for staff to do");

    let asked = twilio.texts().await.len();
    let second = request_from(&app, TENANT).await;
    app.deliver_outbox().await;
    assert_eq!(twilio.texts().await.len(), asked, "never texted again");
    app.log_in().await;
    let (_, page) = app.get(&format!("/calls/{second}")).await;
    assert!(page.contains("cannot receive texts"), "{page}");

    let (_, page) = app.get(&format!("/calls/{first}")).await;
    assert!(page.contains("delivery-failed\">failed<") && page.contains("21614"), "{page}");
}

#[rocket::async_test]
async fn with_caller_texts_off_no_caller_is_texted() {
    let (twilio, app) = with_texts(false).await;
    request_from(&app, TENANT).await;
    app.deliver_outbox().await;
    assert!(twilio.texts().await.is_empty());
    assert!(app.outbox_items().await.iter().all(|i| i.kind != "caller_text"));
    app.log_in().await;
    let (_, status) = app.get("/status.json").await;
    let texts = serde_json::from_str::<serde_json::Value>(&status).unwrap()["texts"].clone();
    assert_eq!((texts["configured"].as_bool(), texts["to_callers"].as_bool()), (Some(true), Some(false)));
}

#[rocket::async_test]
async fn a_status_callback_must_be_signed_by_twilio() {
    let (_twilio, app) = with_texts(true).await;
    let params = [("MessageSid", "SMforged"), ("MessageStatus", "delivered"), ("To", TENANT)];
    assert_eq!(app.post("/twilio/sms-status", &params, None).await.0, Status::Forbidden);
    assert_eq!(
        app.post("/twilio/sms-status", &params, Some("bm90IGEgc2lnbmF0dXJl".into())).await.0,
        Status::Forbidden
    );
    assert_eq!(app.post_signed("/twilio/sms-status", &params).await.0, Status::NoContent);
}
