//! The first start of a fresh database, with everything configured: frontdesk says where its
//! pages are and what it is doing, in its own words, and warns of nothing.

use serde_json::json;

use crate::fake_openai::{Behaviour, FakeModel};
use crate::fake_rent_manager::{FakeRentManager, RM_PASSWORD, RM_USERNAME};
use crate::fake_twilio::FakeTwilio;
use crate::helpers::*;
use crate::smtp_sink::SmtpSink;

#[rocket::async_test]
async fn a_first_start_with_everything_configured_logs_no_warning() {
    let twilio = FakeTwilio::start(0, 201).await;
    let model = FakeModel::start(Behaviour::Reply(json!({}))).await;
    let rm = FakeRentManager::start().await;
    let smtp = SmtpSink::start();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("office.toml");
    let ours = std::fs::read_to_string("office.toml").unwrap().replace("\"17:00\"", "\"18:00\"");
    std::fs::write(&profile, ours).unwrap();
    let (twilio_base, model_base, rm_url, smtp_url) =
        (twilio.server.uri(), model.base_url(), rm.url(), smtp.url());
    let server = ServerProcess::start(&[
        ("OFFICE_PROFILE", profile.to_str().unwrap()),
        ("TWILIO_ACCOUNT_SID", ACCOUNT_SID),
        ("TWILIO_API_BASE", &twilio_base),
        ("OPENAI_API_KEY", "sk-test"),
        ("OPENAI_BASE_URL", &model_base),
        ("RENT_MANAGER_URL", &rm_url),
        ("RENT_MANAGER_USERNAME", RM_USERNAME),
        ("RENT_MANAGER_PASSWORD", RM_PASSWORD),
        ("RENT_MANAGER_LOCATION_ID", "1"),
        ("ROCKET_SECRET_KEY", SECRET_KEY),
        ("METRICS_TOKEN", "metrics-secret"),
        ("SMTP_URL", &smtp_url),
        ("OFFICE_EMAIL", "office@example.org"),
    ]);

    // A browser opening the staff pages, and an emergency, whose text goes out.
    let favicon = reqwest::get(format!("{}/favicon.ico", server.base())).await.unwrap();
    assert_eq!(favicon.status(), 200);
    assert_eq!(reqwest::get(format!("{}/login", server.base())).await.unwrap().status(), 200);
    let call =
        [("CallSid", "CAfirst"), ("From", TENANT), ("To", "+17185550100"), ("CallStatus", "in-progress")];
    server.post_signed("/twilio/voice", &call).await;
    let mut heard = call.to_vec();
    heard.extend([("SpeechResult", "I smell gas in the hallway"), ("Confidence", "0.9")]);
    let (status, twiml) = server.post_signed("/twilio/gather?turn=1", &heard).await;
    assert_eq!(status, 200, "{twiml}");
    wait_for("the on-call text", || async { !twilio.server.received_requests().await.unwrap().is_empty() })
        .await;
    wait_for("the text's delivery to be logged", || async { server.log().contains("outbox item delivered") })
        .await;
    let mut ended = call.to_vec();
    ended.retain(|(name, _)| *name != "CallStatus");
    ended.extend([("CallStatus", "completed"), ("CallDuration", "40")]);
    server.post_signed("/twilio/status", &ended).await;
    wait_for("the call's summary e-mail", || async { !smtp.messages().is_empty() }).await;

    let log = server.log();
    let problems: Vec<&str> = log.lines().filter(|l| l.contains(" WARN ") || l.contains(" ERROR ")).collect();
    assert!(
        problems.is_empty(),
        "warnings on a first start:\n{}\n\nthe whole log:\n{log}",
        problems.join("\n")
    );
    for said in [
        "staff pages: https://frontdesk.example.org/; no staff accounts yet: frontdesk staff add NAME",
        "office: ",
        "listening on 127.0.0.1:",
    ] {
        assert!(log.contains(said), "{said:?} is not in the log:\n{log}");
    }
    assert!(!log.contains("are the shipped profile's examples"), "{log}");
    assert!(!log.contains("staff sessions: they end when frontdesk restarts"), "{log}");
}

#[rocket::async_test]
async fn a_development_start_says_what_is_an_example_and_texting_off_is_no_error() {
    let server = ServerProcess::start(&[]);

    let call =
        [("CallSid", "CAdev"), ("From", TENANT), ("To", "+17185550100"), ("CallStatus", "in-progress")];
    server.post_signed("/twilio/voice", &call).await;
    let mut heard = call.to_vec();
    heard.extend([("SpeechResult", "I smell gas in the hallway"), ("Confidence", "0.9")]);
    server.post_signed("/twilio/gather?turn=1", &heard).await;
    wait_for("the text not sent", || async { server.log().contains("outbox item not sent: texting is off") })
        .await;

    let log = server.log();
    assert!(!log.contains(" ERROR "), "{log}");
    assert!(log.contains("Monday through Friday, 9 AM to 5 PM are the shipped profile's examples"), "{log}");
    assert!(log.contains("staff sessions: they end when frontdesk restarts (set ROCKET_SECRET_KEY"), "{log}");
}
