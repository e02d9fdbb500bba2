//! Several frontdesk processes on one PostgreSQL database, as an office scales out: any
//! worker answers any callback, twins make one turn, and a dead worker's delivery is retaken.
//! They need PostgreSQL: `TEST_DATABASE_URL`, or the machine's own on 127.0.0.1:5432.

use std::time::Duration;

use frontdesk::db::Db;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

async fn shared_database() -> String {
    let url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".into());
    fresh_schema(&url).await
}

/// A call's fields, its number vouched for by the carrier (as the phone driver's calls are).
fn line(sid: &str) -> Vec<(&str, &str)> {
    vec![
        ("CallSid", sid),
        ("From", TENANT),
        ("To", "+17185550100"),
        ("CallStatus", "in-progress"),
        ("StirVerstat", "TN-Validation-Passed-A"),
    ]
}

#[rocket::async_test]
async fn one_call_alternates_between_two_workers() {
    let url = shared_database().await;
    let workers =
        [ServerProcess::start(&[("DATABASE_URL", &url)]), ServerProcess::start(&[("DATABASE_URL", &url)])];

    let (_, greeting) = workers[0].post_signed("/twilio/voice", &line("CAalternating")).await;
    let mut next = Twiml::parse(greeting).attr("Gather", "action").unwrap();
    let mut last = String::new();
    for (i, words) in ["my kitchen faucet is dripping", "yes", "yes", "yes, that's right"].iter().enumerate()
    {
        let mut params = line("CAalternating");
        params.extend([("SpeechResult", *words), ("Confidence", "0.9")]);
        let (status, body) = workers[(i + 1) % 2].post_signed(&next, &params).await;
        assert_eq!(status, 200);
        let reply = Twiml::parse(body);
        next = reply.attr("Gather", "action").unwrap();
        last = reply.spoken();
    }

    assert!(last.contains("request is in") || last.contains("maintenance team"), "{last}");
    let db = Db::connect(&url).await.unwrap();
    let (issues, turns) = (db.service_issues().await.len(), db.turns_of("CAalternating").await.len());
    assert_eq!((issues, turns), (1, 5));
}

#[rocket::async_test]
async fn the_same_callback_at_two_workers_at_once_makes_one_turn() {
    let url = shared_database().await;
    let (a, b) =
        (ServerProcess::start(&[("DATABASE_URL", &url)]), ServerProcess::start(&[("DATABASE_URL", &url)]));
    a.post_signed("/twilio/voice", &line("CAtwins")).await;
    let mut params = line("CAtwins");
    params.extend([("SpeechResult", "what are your hours"), ("Confidence", "0.9")]);

    let (first, second) = tokio::join!(
        a.post_signed("/twilio/gather?turn=1", &params),
        b.post_signed("/twilio/gather?turn=1", &params)
    );

    assert_eq!(first, second);
    assert!(Twiml::parse(first.1).spoken().contains("Monday through Friday"));
    let db = Db::connect(&url).await.unwrap();
    assert_eq!(db.turns_of("CAtwins").await.len(), 2);
}

#[rocket::async_test]
async fn a_worker_killed_mid_delivery_leaves_its_item_to_another() {
    let url = shared_database().await;
    let twilio = MockServer::start().await;
    let sent = json!({ "sid": "SMretaken000000000000000000000000", "status": "queued" });
    // The first worker's request hangs until it is killed; the next one goes through.
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(sent.clone()).set_delay(Duration::from_secs(30)),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&twilio)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(sent))
        .with_priority(2)
        .mount(&twilio)
        .await;
    let base = twilio.uri();
    let settings = [
        ("DATABASE_URL", url.as_str()),
        ("TWILIO_API_BASE", base.as_str()),
        ("TWILIO_ACCOUNT_SID", ACCOUNT_SID),
        ("OUTBOX_LEASE_SECONDS", "2"),
    ];
    let mut first = ServerProcess::start(&settings);
    first.post_signed("/twilio/voice", &line("CAkilled")).await;
    let mut params = line("CAkilled");
    params.extend([("SpeechResult", "I smell gas in the hallway"), ("Confidence", "0.9")]);
    first.post_signed("/twilio/gather?turn=1", &params).await;
    wait_for("the first worker to start sending", || async {
        twilio.received_requests().await.unwrap().len() == 1
    })
    .await;

    first.kill();
    let _second = ServerProcess::start(&settings);

    let db = Db::connect(&url).await.unwrap();
    let delivered = || async { db.outbox_item("sms").await.status == "delivered" };
    wait_for("the second worker to deliver the text", delivered).await;
    let text = db.outbox_item("sms").await;
    assert_eq!((text.attempts, text.external_id.as_deref()), (2, Some("SMretaken000000000000000000000000")));
    assert_eq!(twilio.received_requests().await.unwrap().len(), 2);
}

#[rocket::async_test]
async fn a_turn_held_on_one_worker_is_answered_by_the_redirect_on_another() {
    use crate::fake_openai::{Behaviour, FakeModel};
    let url = shared_database().await;
    let line_said = "Oh no, a dripping faucet! May our team let themselves in if you're not home?";
    let reply = Behaviour::Reply(json!({
        "intent": "maintenance", "describes_problem": true, "location": "kitchen",
        "reply": line_said, "reply_asks": "entry"
    }));
    let model = FakeModel::start(Behaviour::After(Duration::from_millis(1500), Box::new(reply))).await;
    let base_url = model.base_url();
    let settings = [
        ("DATABASE_URL", url.as_str()),
        ("OPENAI_API_KEY", "sk-test"),
        ("OPENAI_BASE_URL", base_url.as_str()),
        ("OPENAI_DEADLINE_MS", "8000"),
        ("HOLD_GRACE_MS", "50"),
        ("HOLD_REPLY_WAIT_MS", "6000"),
        ("PARTIAL_STABLE_MS", "300"),
    ];
    let (a, b) = (ServerProcess::start(&settings), ServerProcess::start(&settings));
    let sid = "CAheldacrossworkers";
    a.post_signed("/twilio/voice", &line(sid)).await;

    // The partials of the turn reach both workers; one of them reads the words early.
    for (worker, seq, words) in [(&a, "1", "my kitchen"), (&b, "2", "my kitchen faucet is dripping")] {
        let mut partial = line(sid);
        partial.extend([("UnstableSpeechResult", words), ("SequenceNumber", seq)]);
        let (status, _) = worker.post_signed("/twilio/partial?turn=1", &partial).await;
        assert_eq!(status, 204);
    }
    wait_for("the early reading", || async { model.turn_requests().await.len() == 1 }).await;

    let mut speech = line(sid);
    speech.extend([("SpeechResult", "My kitchen faucet is dripping."), ("Confidence", "0.9")]);
    let (_, held) = a.post_signed("/twilio/gather?turn=1", &speech).await;
    let held = Twiml::parse(held);
    let redirect = held.redirect().expect("a hold line and a redirect");
    let (status, answer) = b.post_signed(&redirect, &line(sid)).await;

    assert_eq!(status, 200);
    assert_eq!(Twiml::parse(answer).says(), [line_said]);
    assert_eq!(model.turn_requests().await.len(), 1, "read once, used by the other worker");
    let db = Db::connect(&url).await.unwrap();
    let turn = &db.turns_of(sid).await[1];
    assert_eq!((turn.source.as_str(), turn.read_from.as_deref()), ("model", Some("partial")));
}

#[rocket::async_test]
async fn a_worker_that_dies_mid_reading_costs_the_caller_at_most_the_rules_answer() {
    use crate::fake_openai::{Behaviour, FakeModel};
    let url = shared_database().await;
    let reply =
        Behaviour::Reply(json!({ "intent": "maintenance", "reply": "Never heard.", "reply_asks": "entry" }));
    let model = FakeModel::start(Behaviour::After(Duration::from_secs(60), Box::new(reply))).await;
    let base_url = model.base_url();
    let settings = [
        ("DATABASE_URL", url.as_str()),
        ("OPENAI_API_KEY", "sk-test"),
        ("OPENAI_BASE_URL", base_url.as_str()),
        ("OPENAI_DEADLINE_MS", "4000"),
        ("HOLD_GRACE_MS", "50"),
        ("HOLD_REPLY_WAIT_MS", "1000"),
    ];
    let (mut a, b) = (ServerProcess::start(&settings), ServerProcess::start(&settings));
    let sid = "CAdiesmidreading";
    a.post_signed("/twilio/voice", &line(sid)).await;
    let mut speech = line(sid);
    speech.extend([("SpeechResult", "my kitchen faucet is dripping"), ("Confidence", "0.9")]);
    let (_, held) = a.post_signed("/twilio/gather?turn=1", &speech).await;
    let mut redirect = Twiml::parse(held).redirect().expect("a hold line while the model reads");

    a.kill();
    let mut answer = None;
    for _ in 0..3 {
        let (status, body) = b.post_signed(&redirect, &line(sid)).await;
        assert_eq!(status, 200);
        let reply = Twiml::parse(body);
        match reply.redirect() {
            Some(next) => redirect = next,
            None => {
                answer = Some(reply);
                break;
            }
        }
    }

    let answer = answer.expect("the rules answer after the hold lines");
    assert!(answer.listens() && !answer.spoken().contains("Never heard"), "{}", answer.xml);
    let db = Db::connect(&url).await.unwrap();
    assert_eq!(db.turns_of(sid).await[1].source, "rules");
    assert_eq!(model.turn_requests().await.len(), 1, "B waited for A's reading, never doubled it");
}
