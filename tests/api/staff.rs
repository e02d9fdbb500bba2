//! The staff pages as a browser uses them: login, sessions, CSRF, search, filters, exports.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use rocket::http::{ContentType, Status};
use serde_json::json;

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

/// One short call at each of `moments`: answered, then hung up.
async fn calls_at(app: &TestApp, moments: &[DateTime<Utc>]) {
    for at in moments {
        app.advance_clock_to(*at);
        let mut phone = app.call_from(STRANGER);
        phone.answer().await;
        phone.hang_up().await;
    }
}

/// The chart's 30 office days ending `today`, labelled as the page shows them: zero calls
/// except on the `busy` days.
fn chart(today: NaiveDate, busy: &[(&str, i64)]) -> Vec<(String, i64)> {
    (0..30)
        .rev()
        .map(|back| {
            let day = (today - Days::new(back)).format("%b %-d").to_string();
            let calls = busy.iter().find(|(label, _)| *label == day).map_or(0, |(_, n)| *n);
            (day, calls)
        })
        .collect()
}

async fn fetch_status(app: &TestApp) -> serde_json::Value {
    let (code, body) = app.get("/status.json").await;
    assert_eq!(code, Status::Ok, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn per_day(status: &serde_json::Value) -> Vec<(String, i64)> {
    let days = status["per_day"].as_array().unwrap();
    days.iter().map(|d| (d["day"].as_str().unwrap().to_string(), d["calls"].as_i64().unwrap())).collect()
}

#[rocket::async_test]
async fn the_chart_counts_calls_per_office_day_across_the_november_clock_change() {
    let app = TestApp::at(eastern(2026, 10, 20, 23, 59)).await;
    calls_at(
        &app,
        &[
            eastern(2026, 10, 20, 23, 59), // the day before the chart's first day
            eastern(2026, 10, 21, 0, 0),
            eastern(2026, 10, 31, 23, 59),
            eastern(2026, 11, 1, 0, 0),
            // November 1 has 25 hours: 23:30 EST is 24.5 hours after its midnight (EDT).
            eastern(2026, 11, 1, 23, 30),
            eastern(2026, 11, 1, 23, 59),
            eastern(2026, 11, 2, 0, 0),
            eastern(2026, 11, 18, 23, 59),
            eastern(2026, 11, 19, 0, 0),
        ],
    )
    .await;

    // Thursday, November 19, in office hours: one call of each outcome.
    app.advance_clock_to(eastern(2026, 11, 19, 10, 0));
    let mut emergency = app.call_from(TENANT);
    emergency.answer().await;
    emergency.say("there's smoke in the hallway").await;
    let mut repair = app.call_from(TENANT);
    repair.answer().await;
    for words in ["my bathtub drain is clogged", "bathroom", "yes", "yes", "yes"] {
        repair.say(words).await;
    }
    let mut transfer = app.call_from(STRANGER);
    transfer.answer().await;
    transfer.say("I'd like to talk to a real person").await;
    transfer.dial_ends("completed").await;
    let mut message = app.call_from(TENANT);
    message.answer().await;
    message.say("Can I speak with Janier please").await;
    message.dial_ends("no-answer").await;
    message.say("Please call me back about my parking spot").await;
    message.say("yes").await;
    let mut question = app.call_from(STRANGER);
    question.answer().await;
    question.say("what are your hours").await;

    app.advance_clock_to(eastern(2026, 11, 19, 15, 0));
    app.log_in().await;
    let status = fetch_status(&app).await;

    let today = NaiveDate::from_ymd_opt(2026, 11, 19).unwrap();
    let busy = [("Oct 21", 1), ("Oct 31", 1), ("Nov 1", 3), ("Nov 2", 1), ("Nov 18", 1), ("Nov 19", 6)];
    assert_eq!(per_day(&status), chart(today, &busy));
    // The emergency files a service issue of its own; the midnight call and the question
    // about hours are information.
    assert_eq!(
        status["today"],
        json!({
            "total": 6, "emergency": 1, "service_issue": 2, "transferred": 1, "message": 1, "information": 2
        })
    );
}

#[rocket::async_test]
async fn the_chart_counts_calls_per_office_day_across_the_march_clock_change() {
    let app = TestApp::at(eastern(2026, 3, 7, 23, 59)).await;
    calls_at(
        &app,
        &[
            eastern(2026, 3, 7, 23, 59),
            eastern(2026, 3, 8, 0, 0),
            eastern(2026, 3, 8, 23, 59),
            // March 8 has 23 hours: 00:30 EDT on the 9th is 23.5 hours after its midnight (EST).
            eastern(2026, 3, 9, 0, 30),
        ],
    )
    .await;
    app.advance_clock_to(eastern(2026, 3, 20, 9, 0));
    app.log_in().await;
    let status = fetch_status(&app).await;

    let today = NaiveDate::from_ymd_opt(2026, 3, 20).unwrap();
    assert_eq!(per_day(&status), chart(today, &[("Mar 7", 1), ("Mar 8", 2), ("Mar 9", 1)]));
    assert_eq!(status["today"]["total"], 0);
    assert_eq!(status["today"]["information"], 0);
}
