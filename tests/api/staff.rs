//! The staff pages as a browser uses them: login, sessions, CSRF, search, filters, exports.

use chrono::Duration;
use rocket::http::{ContentType, Status};

use crate::helpers::*;

const STAFF_PAGES: &[&str] = &[
    "/", "/calls", "/calls?q=leak", "/calls/CA1", "/calls.csv", "/calls/CA1/transcript.csv", "/status.json",
];

#[rocket::async_test]
async fn every_staff_page_refuses_a_visitor_who_is_not_logged_in() {
    let app = TestApp::spawn().await;
    for path in STAFF_PAGES {
        let response = app.client.get(*path).dispatch().await;
        match response.status() {
            Status::SeeOther => {
                let location = response.headers().get_one("Location").unwrap_or_default().to_string();
                assert!(location.starts_with("/login?next="), "{path} -> {location}");
            }
            status => assert_eq!(status, Status::Unauthorized, "{path}"),
        }
    }
    let csrf = app.csrf().await;
    let logout = app
        .client
        .post("/logout")
        .header(ContentType::Form)
        .body(encode(&[("csrf", &csrf)]))
        .dispatch()
        .await;
    assert_ne!(logout.status(), Status::Ok);
}

#[rocket::async_test]
async fn logging_in_opens_the_pages_and_logging_out_closes_them() {
    let app = TestApp::spawn().await;
    app.log_in().await;
    for path in ["/", "/calls", "/status.json", "/calls.csv"] {
        assert_eq!(app.get(path).await.0, Status::Ok, "{path}");
    }
    let (_, dashboard) = app.get("/").await;
    assert!(dashboard.contains("data-bs-theme=\"dark\"") && dashboard.contains("/static/bootstrap.min.css"));
    assert_eq!(app.get("/static/bootstrap.min.css").await.0, Status::Ok, "assets are served locally");

    let csrf = app.csrf().await;
    assert_eq!(app.submit_form("/logout", &[("csrf", &csrf)]).await.0, Status::SeeOther);
    assert_eq!(app.get("/status.json").await.0, Status::Unauthorized);
}

#[rocket::async_test]
async fn a_wrong_password_or_a_forged_form_is_refused() {
    let app = TestApp::spawn().await;
    frontdesk::staff::auth::add(&app.db, STAFF, STAFF_PASSWORD).await.unwrap();
    let csrf = app.csrf().await;

    let wrong =
        app.submit_form("/login", &[("name", STAFF), ("password", "wrong password"), ("csrf", &csrf)]).await;
    assert_eq!(wrong.0, Status::Unauthorized);
    assert!(wrong.1.contains("Wrong name or password"));

    let forged = app
        .submit_form("/login", &[("name", STAFF), ("password", STAFF_PASSWORD), ("csrf", "not-the-token")])
        .await;
    assert_eq!(forged.0, Status::Forbidden);
    assert_eq!(app.get("/status.json").await.0, Status::Unauthorized);
}

#[rocket::async_test]
async fn repeated_failed_logins_are_slowed_down() {
    let app = TestApp::spawn().await;
    frontdesk::staff::auth::add(&app.db, STAFF, STAFF_PASSWORD).await.unwrap();
    let csrf = app.csrf().await;
    let attempt = || async {
        app.submit_form("/login", &[("name", STAFF), ("password", "guess"), ("csrf", &csrf)]).await;
    };
    for _ in 0..3 {
        attempt().await;
    }
    let metric = "frontdesk_staff_logins_total{outcome=\"delayed\"}";
    assert!(!app.get("/metrics").await.1.contains(metric), "three tries are free");
    attempt().await;
    let (_, metrics) = app.get("/metrics").await;
    assert!(metrics.lines().any(|l| l == format!("{metric} 1")), "{metrics}");
}

#[rocket::async_test]
async fn a_session_expires() {
    let app = TestApp::spawn().await;
    app.log_in().await;
    assert_eq!(app.get("/status.json").await.0, Status::Ok);
    app.advance_clock(Duration::hours(13));
    assert_eq!(app.get("/status.json").await.0, Status::Unauthorized);
}

#[rocket::async_test]
async fn staff_find_a_call_by_a_word_the_caller_said_and_read_its_transcript() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    for words in ["my bathtub drain is clogged", "bathroom", "yes", "yes", "yes"] {
        phone.say(words).await;
    }
    phone.hang_up().await;
    let mut other = app.call_from(STRANGER);
    other.answer().await;
    other.say("what are your hours").await;
    app.log_in().await;

    let (_, found) = app.get("/calls?q=bathtub").await;
    let (_, missing) = app.get("/calls?q=chandelier").await;
    let (_, by_number) = app.get("/calls?q=718-555-0101").await;
    let (_, by_outcome) = app.get("/calls?outcome=service_issue").await;
    let (_, by_kind) = app.get("/calls?kind=unknown").await;

    assert!(found.contains(&phone.sid) && !found.contains(&other.sid));
    assert!(!missing.contains(&phone.sid));
    assert!(by_number.contains(&phone.sid) && !by_number.contains(&other.sid));
    assert!(by_outcome.contains(&phone.sid) && !by_outcome.contains(&other.sid));
    assert!(by_kind.contains(&other.sid) && !by_kind.contains(&phone.sid));

    let (status, page) = app.get(&format!("/calls/{}", phone.sid)).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("my bathtub drain is clogged") && page.contains("Maria Lopez"));
    assert!(page.contains("listening → intake → confirming → listening → ended"), "the state path");
    let (_, csv) = app.get(&format!("/calls/{}/transcript.csv", phone.sid)).await;
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("turn,time,speaker,text,confidence,brain,latency_ms"));
    assert!(csv.contains(",caller,my bathtub drain is clogged,0.91,"), "{csv}");
    let (_, list) = app.get("/calls.csv?outcome=service_issue").await;
    assert_eq!(list.lines().count(), 2, "{list}");
}

#[rocket::async_test]
async fn the_status_endpoint_reports_every_dependency_and_todays_calls() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("there's smoke in the hallway").await;
    app.post("/twilio/voice", &[("CallSid", "CAforged")], Some("bad".into())).await;
    app.log_in().await;

    let (_, body) = app.get("/status.json").await;
    let status: serde_json::Value = serde_json::from_str(&body).unwrap();

    assert_eq!(status["database"]["ok"], true);
    assert_eq!(status["database"]["engine"], app.db.engine.name());
    assert_eq!(status["twilio"]["signature_rejections"], 1);
    assert!(status["twilio"]["last_webhook"].is_string());
    assert_eq!(status["model"]["configured"], false);
    assert_eq!(status["model"]["rules_share"], 1.0);
    assert_eq!(status["outbox"]["pending"], 1, "the on-call text");
    assert_eq!(status["calls_in_progress"], 1);
    assert_eq!(status["today"]["emergency"], 1);
    assert_eq!(status["per_day"].as_array().unwrap().len(), 30);
    assert_eq!(status["per_day"][29]["calls"], 1);
}
