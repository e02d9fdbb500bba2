//! Webhooks under a path prefix, and Twilio's callbacks in any order.

use frontdesk::twilio::signature::Algorithm;
use rocket::http::{Header, Status};

use crate::fake_rent_manager::{FakeRentManager, RM_TENANT};
use crate::helpers::*;

const PREFIXED: &str = "https://host.example/frontdesk";

/// A post as Twilio makes it to `PREFIXED` + `twilio_path`, arriving at frontdesk at `path`.
async fn post_as_twilio(
    app: &TestApp,
    twilio_path: &str,
    path: &str,
    params: &[(&str, &str)],
) -> (Status, String) {
    let signature =
        sign_as(AUTH_TOKEN, Algorithm::Sha1, &format!("https://host.example{twilio_path}"), params);
    app.post_with(path, params, vec![Header::new("X-Twilio-Signature", signature)]).await
}

#[rocket::async_test]
async fn under_a_path_prefix_every_twiml_url_carries_it_and_signatures_are_checked_against_it() {
    let app = TestApp::start(Setup { public_url: Some(PREFIXED), ..Setup::default() }).await;
    let params = [("CallSid", "CAprefix"), ("From", TENANT), ("To", "+17185550100")];

    // The proxy forwards the prefix unchanged.
    let (status, body) =
        post_as_twilio(&app, "/frontdesk/twilio/voice", "/frontdesk/twilio/voice", &params).await;
    assert_eq!(status, Status::Ok, "{body}");
    let greeting = Twiml::parse(body);
    assert_eq!(greeting.attr("Gather", "action").as_deref(), Some("/frontdesk/twilio/gather?turn=1"));
    let redirect = roxmltree::Document::parse(&greeting.xml)
        .unwrap()
        .descendants()
        .find(|n| n.has_tag_name("Redirect"))
        .and_then(|n| n.text().map(String::from));
    assert_eq!(redirect.as_deref(), Some("/frontdesk/twilio/gather?turn=1"));

    // Twilio follows the action (resolved against the document's URL, so with the prefix).
    let speech = [params.as_slice(), &[("SpeechResult", "I'd like to talk to a real person")]].concat();
    let (status, body) =
        post_as_twilio(&app, "/frontdesk/twilio/gather?turn=1", "/frontdesk/twilio/gather?turn=1", &speech)
            .await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(Twiml::parse(body).attr("Dial", "action").as_deref(), Some("/frontdesk/twilio/dial?turn=2"));

    // A proxy that strips the prefix works the same.
    let other = [("CallSid", "CAstripped"), ("From", TENANT)];
    let (status, _) = post_as_twilio(&app, "/frontdesk/twilio/voice", "/twilio/voice", &other).await;
    assert_eq!(status, Status::Ok);

    // A signature over the address without the prefix is not Twilio's.
    let forged = [("CallSid", "CAforged"), ("From", TENANT)];
    for path in ["/frontdesk/twilio/voice", "/twilio/voice"] {
        let (status, _) = post_as_twilio(&app, "/twilio/voice", path, &forged).await;
        assert_eq!(status, Status::Forbidden, "{path}");
    }
    assert!(app.calls().await.iter().all(|call| call.sid != "CAforged"));
}

async fn transfer(app: &TestApp) -> Phone<'_> {
    let mut phone = app.call_from(RM_TENANT);
    phone.answer().await;
    let dial = phone.say("I'd like to talk to a real person").await;
    assert!(dial.dials().is_some(), "{}", dial.xml);
    phone
}

/// The call ended as transferred, with its duration, and Rent Manager's note says so.
async fn assert_transferred_and_ended(app: &TestApp, rm: &FakeRentManager, sid: &str) {
    let calls = app.calls().await;
    let call = calls.iter().find(|call| call.sid == sid).unwrap();
    assert_eq!((call.outcome.as_str(), call.stage.as_str()), ("transferred", "ended"));
    assert_eq!(call.duration_s, Some(42), "the end is recorded");
    app.deliver_outbox().await;
    let notes = rm.received("POST", "/Tenants/HistoryNotes").await;
    assert_eq!(notes.len(), 1, "{notes:?}");
    let note = notes[0][0]["Note"].as_str().unwrap();
    assert!(note.contains("(transferred, 0:42)"), "{note}");
}

#[rocket::async_test]
async fn a_transfer_is_recorded_when_the_dial_action_comes_before_the_status_callback() {
    let rm = FakeRentManager::start().await;
    let app = TestApp::start(Setup { rent_manager: Some(rm.url()), ..Setup::default() }).await;
    let mut phone = transfer(&app).await;

    phone.dial_ends("completed").await;
    phone.hang_up().await;

    assert_transferred_and_ended(&app, &rm, &phone.sid).await;
}

#[rocket::async_test]
async fn a_transfer_is_recorded_when_the_status_callback_comes_before_the_dial_action() {
    let rm = FakeRentManager::start().await;
    let app = TestApp::start(Setup { rent_manager: Some(rm.url()), ..Setup::default() }).await;
    let mut phone = transfer(&app).await;

    phone.hang_up().await;
    phone.hang_up().await;
    phone.dial_ends("completed").await;

    assert_transferred_and_ended(&app, &rm, &phone.sid).await;
}

#[rocket::async_test]
async fn a_status_callback_before_the_first_webhook_still_records_the_call_and_its_end() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);

    phone.hang_up().await;
    let late = phone.answer().await;

    assert!(late.hangs_up(), "{}", late.xml);
    let calls = app.calls().await;
    let [call] = calls.as_slice() else { panic!("{calls:?}") };
    assert_eq!(call.caller_kind, "tenant", "the caller was looked up");
    assert_eq!((call.stage.as_str(), call.duration_s), ("ended", Some(42)), "the end is recorded");
    assert_eq!(app.turns_of(&phone.sid).await.len(), 1, "the late greeting is kept too");
}
