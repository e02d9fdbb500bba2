//! E-mail to the office: each call's summary when it ends, and the daily digest, through the
//! outbox and a real SMTP server on loopback.

use std::sync::Arc;

use chrono::NaiveDate;
use frontdesk::mail::digest::Digests;
use frontdesk::office::Clock;
use rocket::http::Status;
use serde_json::{Value, json};

use crate::fake_openai::{Behaviour, FakeModel};
use crate::helpers::*;
use crate::smtp_sink::{SmtpSink, smtp_url};

async fn with_mail(smtp: String, now: chrono::DateTime<chrono::Utc>) -> TestApp {
    TestApp::start(Setup { smtp: Some(smtp), now, ..Setup::default() }).await
}

/// Maria Lopez files a repair, confirms it, and hangs up.
async fn repair_call(app: &TestApp) -> String {
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("I need to report a repair").await;
    phone.say("the bathroom sink is leaking under the cabinet").await;
    phone.say("yes you can go in").await;
    phone.say("yes that's the best number").await;
    phone.say("yes, that's right").await;
    // The follow-up work gives such calls their reference; here the test does.
    sqlx::query("UPDATE calls SET reference = '47218' WHERE sid = $1")
        .bind(&phone.sid)
        .execute(&app.db.pool)
        .await
        .unwrap();
    phone.hang_up().await;
    phone.sid.clone()
}

async fn emails_queued(app: &TestApp) -> Vec<OutboxRow> {
    app.outbox_items().await.into_iter().filter(|item| item.kind == "email").collect()
}

async fn status(app: &TestApp) -> Value {
    let (code, body) = app.get("/status.json").await;
    assert_eq!(code, Status::Ok, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[rocket::async_test]
async fn a_call_that_ends_is_summarised_once_to_the_office_by_smtp() {
    let smtp = SmtpSink::start();
    let app = with_mail(smtp.url(), office_hours()).await;

    let sid = repair_call(&app).await;
    // Twilio repeats status callbacks, and two may reach two workers at once.
    let params = [("CallSid", sid.as_str()), ("CallStatus", "completed"), ("CallDuration", "42")];
    let (first, second) =
        tokio::join!(app.post_signed("/twilio/status", &params), app.post_signed("/twilio/status", &params));
    assert_eq!((first.0, second.0), (Status::NoContent, Status::NoContent));
    assert_eq!(emails_queued(&app).await.len(), 1, "one summary per call");
    app.deliver_outbox().await;
    app.deliver_outbox().await;

    let messages = smtp.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let email = &messages[0];
    assert_eq!(
        (email.from.as_str(), email.to.as_slice()),
        (OFFICE_EMAIL, [OFFICE_EMAIL.to_string()].as_slice())
    );
    assert_eq!(
        email.header("Subject").as_deref(),
        Some("Call from Maria Lopez (tenant, unit 2B): service issue, reference 47218")
    );
    assert_eq!(email.header("Message-ID"), Some(format!("<call-{sid}@frontdesk.example.org>")));
    let body = email.body();
    for expected in [
        "Maria Lopez (tenant, unit 2B), calling from 718-555-0101, called on Tuesday, December 1, 2026, 10:30 AM (0:42).",
        "Reference: 47218",
        "What they asked:\n- \"I need to report a repair\"\n- \"the bathroom sink is leaking under the cabinet\"\n\n",
        "What was done:\n- Service request filed (urgent): \"the bathroom sink is leaking under the cabinet\", \
         where: bathroom, permission to enter: yes, callback: 718-555-0101.",
        "Open follow-ups:\n- none",
        &format!("Transcript: {PUBLIC_URL}/calls/{sid}"),
    ] {
        assert!(body.contains(expected), "{expected}\n---\n{body}");
    }
    assert!(!body.contains("written by the model"), "{body}");
    assert_eq!(app.outbox_item("email").await.status, "delivered");
}

#[rocket::async_test]
async fn an_unanswered_emergency_lists_its_urgent_follow_up_in_the_summary() {
    let smtp = SmtpSink::start();
    let app = with_mail(smtp.url(), eastern(2026, 12, 2, 3, 0)).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("I smell gas in the kitchen").await;
    phone.dial_ends("no-answer").await;
    phone.hang_up().await;

    app.deliver_outbox().await;

    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    let body = messages[0].body();
    assert!(
        body.contains("- Emergency (gas smell): handled as an emergency and escalated to on-call."),
        "{body}"
    );
    assert!(body.contains("Open follow-ups:\n- URGENT: EMERGENCY FOLLOW-UP"), "{body}");
    let reference = app.reference_of(&phone.sid).await.expect("an emergency gets a reference");
    assert_eq!(
        messages[0].header("Subject"),
        Some(format!("Call from Maria Lopez (tenant, unit 2B): emergency, reference {reference}"))
    );
}

/// A short call the model reads: the caller names a problem and hangs up.
async fn faucet_call(app: &TestApp) -> String {
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("my kitchen faucet is dripping").await;
    phone.hang_up().await;
    phone.sid.clone()
}

async fn with_model_and_mail(model: &FakeModel, smtp: &SmtpSink) -> TestApp {
    TestApp::start(Setup { model: Some(model.base_url()), smtp: Some(smtp.url()), ..Setup::default() }).await
}

#[rocket::async_test]
async fn the_models_summary_is_sent_when_it_states_only_what_the_call_did() {
    let model = FakeModel::start(Behaviour::Reply(json!({}))).await;
    model.writes_summaries("Maria Lopez, in unit 2B, called about a dripping kitchen faucet.").await;
    let smtp = SmtpSink::start();
    let app = with_model_and_mail(&model, &smtp).await;

    faucet_call(&app).await;
    app.deliver_outbox().await;

    let requests = model.summary_requests().await;
    assert_eq!(requests.len(), 1);
    let material = requests[0]["messages"][1]["content"].as_str().unwrap();
    assert!(material.contains("Caller: my kitchen faucet is dripping"), "{material}");
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    let body = messages[0].body();
    assert!(
        body.contains("\n\nMaria Lopez, in unit 2B, called about a dripping kitchen faucet.\n"),
        "{body}"
    );
    assert!(body.contains("written by the model and checked against the call's record"), "{body}");
    assert!(!body.contains("What they asked:"), "the model's words replace the template's: {body}");
    assert!(body.contains("Open follow-ups:"), "the facts around them stay: {body}");
}

#[rocket::async_test]
async fn a_models_summary_that_adds_a_fact_gives_way_to_the_template() {
    let model = FakeModel::start(Behaviour::Reply(json!({}))).await;
    model
        .writes_summaries(
            "Maria Lopez called about a dripping kitchen faucet. A plumber will come tomorrow at 9 AM.",
        )
        .await;
    let smtp = SmtpSink::start();
    let app = with_model_and_mail(&model, &smtp).await;

    faucet_call(&app).await;
    app.deliver_outbox().await;

    assert_eq!(model.summary_requests().await.len(), 1);
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    let body = messages[0].body();
    assert!(!body.contains("plumber"), "{body}");
    assert!(!body.contains("written by the model"), "{body}");
    assert!(body.contains("What they asked:\n- \"my kitchen faucet is dripping\""), "{body}");
}

#[rocket::async_test]
async fn a_mail_server_that_is_down_then_up_gets_the_summary_once_through_the_outbox() {
    let port = SmtpSink::free_port();
    let app = with_mail(smtp_url(port), office_hours()).await;
    app.log_in().await;
    repair_call(&app).await;

    app.deliver_outbox().await;
    let waiting = app.outbox_item("email").await;
    assert_eq!((waiting.status.as_str(), waiting.attempts), ("pending", 1));
    assert!(waiting.last_error.as_deref().is_some_and(|e| e.starts_with("SMTP:")), "{waiting:?}");
    let email = &status(&app).await["email"];
    assert_eq!(email["configured"], true);
    assert_eq!(email["to"], OFFICE_EMAIL);
    assert_eq!((email["queued"].as_i64(), email["failing"].as_bool()), (Some(1), Some(true)));
    assert!(email["last_failure"].is_string() && email["last_success"].is_null(), "{email}");

    // The server comes up, but greylists the first try: 451, a temporary refusal.
    let smtp = SmtpSink::start_on(port);
    smtp.refuse_next(1);
    app.advance_clock(chrono::Duration::minutes(1));
    app.deliver_outbox().await;
    assert_eq!(smtp.messages().len(), 0);
    assert_eq!(app.outbox_item("email").await.attempts, 2);

    app.advance_clock(chrono::Duration::minutes(1));
    app.deliver_outbox().await;
    app.advance_clock(chrono::Duration::minutes(30));
    app.deliver_outbox().await;

    assert_eq!(smtp.messages().len(), 1, "delivered exactly once");
    let delivered = app.outbox_item("email").await;
    assert_eq!((delivered.status.as_str(), delivered.attempts), ("delivered", 3));
    let email = &status(&app).await["email"];
    assert_eq!((email["queued"].as_i64(), email["failing"].as_bool()), (Some(0), Some(false)));
    assert!(email["last_success"].is_string(), "{email}");
    let (_, page) = app.get("/").await;
    assert!(page.contains("E-mail to the office"), "{page}");
}

#[rocket::async_test]
async fn without_smtp_settings_no_email_is_queued_and_the_dashboard_says_it_is_off() {
    let app = TestApp::spawn().await;
    app.log_in().await;
    repair_call(&app).await;

    assert!(emails_queued(&app).await.is_empty());
    let email = &status(&app).await["email"];
    assert_eq!((email["configured"].as_bool(), email["queued"].as_i64()), (Some(false), Some(0)));
}

#[rocket::async_test]
async fn the_daily_digest_is_sent_once_with_yesterdays_calls_and_the_open_follow_ups() {
    let smtp = SmtpSink::start();
    // Monday, November 30: an emergency on-call did not answer, at 3 a.m., and a question.
    let app = with_mail(smtp.url(), eastern(2026, 11, 30, 3, 0)).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("I smell gas in the kitchen").await;
    phone.dial_ends("no-answer").await;
    phone.hang_up().await;
    let emergency = phone.sid.clone();
    let reference = app.reference_of(&emergency).await.expect("an emergency gets a reference");
    app.advance_clock_to(eastern(2026, 11, 30, 11, 0));
    let mut phone = app.call_from(STRANGER);
    phone.answer().await;
    phone.say("what's your address").await;
    phone.hang_up().await;
    // Monday's own digest (about Sunday) went at 07:30; nothing more is due that day.
    assert_eq!(app.run_digest().await, Some(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()));
    assert_eq!(app.run_digest().await, None);

    // Tuesday: the server was down over 07:30 and comes back at 9.
    app.advance_clock_to(eastern(2026, 12, 1, 7, 0));
    assert_eq!(app.run_digest().await, None, "not yet due");
    app.advance_clock_to(eastern(2026, 12, 1, 9, 0));
    let app = app.restart().await;
    let tuesday = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    // Two workers look at once: one claims the day.
    let other = Digests::new(
        app.db.clone(),
        app.clock.clone() as Arc<dyn Clock>,
        chrono_tz::America::New_York,
        chrono::NaiveTime::from_hms_opt(7, 30, 0).unwrap(),
        Some(PUBLIC_URL.into()),
    );
    let (ours, theirs) = tokio::join!(app.run_digest(), async { other.run_due().await.unwrap() });
    assert_eq!([ours, theirs].iter().filter(|day| **day == Some(tuesday)).count(), 1, "{ours:?} {theirs:?}");
    assert_eq!((app.run_digest().await, other.run_due().await.unwrap()), (None, None));
    app.deliver_outbox().await;

    let digests: Vec<_> = smtp
        .messages()
        .into_iter()
        .filter(|m| m.header("Subject").is_some_and(|s| s.starts_with("Daily digest")))
        .collect();
    assert_eq!(digests.len(), 2, "Monday's and Tuesday's, once each");
    let subject = |m: &crate::smtp_sink::Received| m.header("Subject").unwrap_or_default();
    let (first, digest) = match subject(&digests[0]).contains("Sunday") {
        true => (&digests[0], &digests[1]),
        false => (&digests[1], &digests[0]),
    };
    assert_eq!(subject(digest), "Daily digest for Monday, November 30: 2 calls, 1 follow-up open");
    assert_eq!(subject(first), "Daily digest for Sunday, November 29: 0 calls, 1 follow-up open");
    let body = digest.body();
    for expected in [
        "Calls on Monday, November 30: 2\n- emergencies: 1\n- service requests: 0\n- transferred to the office: 0\n\
         - messages: 0\n- questions answered: 1\n",
        "Open follow-ups: 1\n- open under a day: 0\n- open 1 to 3 days: 1 (1 urgent)\n",
        "Waiting longest:\n- URGENT: EMERGENCY FOLLOW-UP",
        &format!("(Maria Lopez), reference {reference}, open since Mon Nov 30, 3:00 AM"),
        &format!("  {PUBLIC_URL}/calls/{emergency}\n"),
        &format!("Follow-up queue: {PUBLIC_URL}/follow-ups"),
    ] {
        assert!(body.contains(expected), "{expected}\n---\n{body}");
    }
    let first = first.body();
    assert!(first.starts_with("Calls on Sunday, November 29: 0\n"), "{first}");

    // Past retention, a delivered digest keeps nothing of the callers it named.
    let now = frontdesk::db::millis(app.clock.now());
    frontdesk::retention::sweep(&app.db, now + 1, now).await.unwrap();
    let payloads: Vec<String> = emails_queued(&app).await.into_iter().map(|item| item.payload).collect();
    assert_eq!(payloads, ["", "", "", ""], "two summaries, two digests");
}
