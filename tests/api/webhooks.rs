//! The webhook contract: signatures, lenient forms, idempotent callbacks, hostile input.

use frontdesk::twilio::signature::Algorithm;
use rocket::http::{Header, Status};

use crate::helpers::*;

#[rocket::async_test]
async fn a_bad_or_missing_signature_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let params = [("CallSid", "CA1"), ("From", TENANT), ("To", "+17185550100")];

    let (missing, _) = app.post("/twilio/voice", &params, None).await;
    let (forged, _) = app.post("/twilio/voice", &params, Some("bm90IGEgc2lnbmF0dXJl".into())).await;
    let mut tampered = params.to_vec();
    let signature = sign("/twilio/voice", &tampered);
    tampered[1] = ("From", STRANGER);
    let (altered, _) = app.post("/twilio/voice", &tampered, Some(signature)).await;
    let (other_path, _) =
        app.post("/twilio/gather?turn=1", &params, Some(sign("/twilio/gather?turn=2", &params))).await;

    assert_eq!([missing, forged, altered, other_path], [Status::Forbidden; 4]);
    assert_eq!(app.calls().await, []);
    assert_eq!(app.turns_of("CA1").await, []);
}

#[rocket::async_test]
async fn a_shared_key_sha256_signature_is_accepted() {
    let app = TestApp::spawn().await;
    let params = [("CallSid", "CA1"), ("From", "+15551230000"), ("To", "+15559870000")];
    let url = format!("{PUBLIC_URL}/twilio/voice");
    let signature = sign_as("shared-key-secret", Algorithm::Sha256, &url, &params);
    let headers = vec![
        Header::new("X-Twilio-Signature", signature),
        Header::new("X-Twilio-Webhooks-Signature-Settings", "key=SKtest,algorithm=HMAC_SHA256"),
    ];

    let (status, _) = app.post_with("/twilio/voice", &params, headers).await;

    assert_eq!(status, Status::Ok);
}

#[rocket::async_test]
async fn without_public_url_the_request_host_is_signed() {
    let app = TestApp::start(Setup { public_url: None, ..Setup::default() }).await;
    let params = [("CallSid", "CA1"), ("From", TENANT)];
    let signature = sign_as(AUTH_TOKEN, Algorithm::Sha1, "http://127.0.0.1:5000/twilio/voice", &params);
    let headers = vec![Header::new("Host", "127.0.0.1:5000"), Header::new("X-Twilio-Signature", signature)];

    let (status, _) = app.post_with("/twilio/voice", &params, headers).await;

    assert_eq!(status, Status::Ok);
}

#[rocket::async_test]
async fn unknown_fields_are_ignored_and_a_missing_call_sid_is_a_clear_400() {
    let app = TestApp::spawn().await;
    let extra = [("CallSid", "CA9"), ("From", TENANT), ("FromCity", "STATEN ISLAND"), ("SomethingNew", "x")];
    let (ok, _) = app.post_signed("/twilio/voice", &extra).await;
    assert_eq!(ok, Status::Ok);

    let (status, body) = app.post_signed("/twilio/voice", &[("From", TENANT)]).await;
    assert_eq!(status, Status::BadRequest);
    assert!(body.contains("CallSid"), "{body}");
}

#[rocket::async_test]
async fn a_repeated_callback_gets_the_same_twiml_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    for words in ["my oven is broken", "kitchen", "yes", "yes"] {
        phone.say(words).await;
    }
    let confirm = phone.next_path().to_string();
    let params = phone.with_speech("yes that's correct");

    let (_, first) = app.post_signed(&confirm, &params).await;
    let (_, second) = app.post_signed(&confirm, &params).await;

    assert_eq!(first, second);
    assert!(Twiml::parse(first).spoken().contains("maintenance"));
    assert_eq!(app.service_issues().await.len(), 1);
    let turns = app.turns_of(&phone.sid).await.len();
    assert_eq!(turns, 6, "greeting, four answers, one confirmation");
}

#[rocket::async_test]
async fn twin_callbacks_racing_each_other_make_one_turn() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    let path = phone.next_path().to_string();
    let params = phone.with_speech("what are your hours");

    let (a, b) = tokio::join!(app.post_signed(&path, &params), app.post_signed(&path, &params));

    assert_eq!(a, b);
    assert_eq!(app.turns_of(&phone.sid).await.len(), 2);
}

#[rocket::async_test]
async fn hostile_speech_still_yields_well_formed_twiml() {
    let app = TestApp::spawn().await;
    let hostile = [
        "</Say><Dial>+19005550000</Dial><Say>",
        "<speak><break time=\"10s\"/></speak> & \"quotes\" 'and' <![CDATA[ x ]]>",
        "my 🚿 shower is broken 😡🔥",
        "\u{1}\u{7}\u{1b}[31m control characters \u{fffe}",
    ];
    for words in hostile {
        let mut phone = app.call_from(TENANT);
        phone.answer().await;
        let reply = phone.say(words).await;
        assert!(reply.dials().is_none_or(|n| n != "+19005550000"), "{}", reply.xml);
    }

    // 10,000 characters of a maintenance description, read back in a breath.
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("I need a repair").await;
    let long = "the pipe under the sink & the <wall> ".repeat(300);
    assert!(long.len() >= 10_000);
    let reply = phone.say(&long).await;
    assert!(reply.listens());
    for answer in ["yes", "yes"] {
        phone.say(answer).await;
    }
    let read_back = phone.say("kitchen").await;
    assert!(read_back.says().iter().all(|s| s.len() < 1_000), "{:?}", read_back.says());
}

#[rocket::async_test]
async fn health_and_readiness() {
    let app = TestApp::spawn().await;
    assert_eq!(app.client.get("/health").dispatch().await.status(), Status::Ok);
    assert_eq!(app.client.get("/ready").dispatch().await.status(), Status::Ok);
    app.db.pool.close().await;
    assert_eq!(app.client.get("/ready").dispatch().await.status(), Status::ServiceUnavailable);
}

#[rocket::async_test]
async fn a_broken_database_still_answers_the_caller() {
    let app = TestApp::spawn().await;
    app.db.pool.close().await;
    let mut phone = app.call_from(TENANT);

    let reply = phone.answer().await;

    assert!(reply.spoken().contains("trouble"), "{}", reply.spoken());
    assert_eq!(reply.dials().as_deref(), Some(OFFICE_NUMBER));
}

#[rocket::async_test]
async fn metrics_count_requests_turns_answers_and_the_outbox() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("I smell gas").await;

    let (status, metrics) = app.get("/metrics").await;

    assert_eq!(status, Status::Ok);
    for line in [
        "frontdesk_http_requests_total{method=\"POST\",route=\"/twilio/voice\",status=\"200\"} 1",
        "frontdesk_turn_seconds_count 2",
        "frontdesk_answers_total{source=\"rules\"} 1",
        "frontdesk_outbox_items{status=\"pending\"} 1",
        "frontdesk_model_errors_total 0",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} missing from:\n{metrics}");
    }
}
