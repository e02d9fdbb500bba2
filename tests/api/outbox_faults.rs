//! The outbox when the outside world misbehaves: a hung Rent Manager, a slow one that two
//! workers could both pick up, and a create whose answer never came back.

use std::time::Duration;

use frontdesk::office::Clock;
use frontdesk::outbox::Lane;

use crate::fake_rent_manager::{FakeRentManager, RM_TENANT};
use crate::fake_twilio::FakeTwilio;
use crate::helpers::{OFFICE_NUMBER, ServerProcess, Setup, Stored, TestApp};

async fn with_rent_manager_and_texts() -> (FakeRentManager, FakeTwilio, TestApp) {
    let rm = FakeRentManager::start().await;
    let twilio = FakeTwilio::start(0, 500).await;
    let setup =
        Setup { rent_manager: Some(rm.url()), twilio_api: Some(twilio.base_url()), ..Setup::default() };
    let app = TestApp::start(setup).await;
    (rm, twilio, app)
}

/// Polls until `done` says yes; the bound is only there so that a hang fails the test.
async fn eventually<F: Future<Output = bool>>(what: &str, mut done: impl FnMut() -> F) {
    for _ in 0..200 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never happened: {what}");
}

#[rocket::async_test]
async fn an_emergency_text_goes_out_while_rent_manager_hangs() {
    let (rm, twilio, app) = with_rent_manager_and_texts().await;
    eventually("the tenant is known (a loaded machine can miss the first lookup's deadline)", || async {
        app.call_from(RM_TENANT).answer().await.spoken().contains("Hi Ana")
    })
    .await;
    // An earlier call left its note for Rent Manager first in the queue.
    let mut earlier = app.call_from(RM_TENANT);
    earlier.answer().await;
    earlier.say("what are your hours").await;
    earlier.hang_up().await;
    let mut phone = app.call_from(RM_TENANT);
    phone.answer().await;
    phone.say("I smell gas in the kitchen").await;
    rm.set(|s| s.delay = Duration::from_secs(60));

    tokio::select! {
        _ = app.deliver_outbox() => panic!("the outbox waited for nothing: Rent Manager should hang"),
        () = eventually("the on-call text is sent and settled", || async {
            app.outbox_item("sms").await.status == "delivered"
        }) => {}
    }

    assert_eq!(twilio.texts().await.len(), 1);
    let items = app.outbox_items().await;
    let rent_manager_writes = items.iter().filter(|i| i.kind != "sms");
    assert!(rent_manager_writes.clone().count() >= 2, "{items:?}");
    assert!(rent_manager_writes.clone().all(|i| i.status == "pending"), "{items:?}");
}

#[rocket::async_test]
async fn a_slow_delivery_keeps_its_lease_and_a_second_worker_does_not_repeat_it() {
    let (rm, _twilio, app) = with_rent_manager_and_texts().await;
    let mut phone = app.call_from(RM_TENANT);
    phone.answer().await;
    for words in ["the bedroom window is broken", "yes", "yes", "yes"] {
        phone.say(words).await;
    }
    rm.set(|s| s.delay = Duration::from_millis(1500));
    let (first, second) =
        (app.outbox_worker(Duration::from_millis(600)), app.outbox_worker(Duration::from_millis(600)));

    let slow = first.deliver_lane(Lane::Records);
    let takeover = async {
        eventually("the first worker claims the issue", || async {
            app.outbox_item("service_issue").await.locked_until.is_some()
        })
        .await;
        // Far past the first worker's lease, by the clock: only a renewal keeps it.
        app.advance_clock(chrono::Duration::seconds(30));
        let later = frontdesk::db::millis(app.clock.now());
        eventually("the first worker renews its lease", || async {
            app.outbox_item("service_issue").await.locked_until.is_some_and(|until| until > later)
        })
        .await;
        second.deliver_lane(Lane::Records).await.unwrap()
    };
    let (slow, taken_over) = tokio::join!(slow, takeover);

    assert_eq!((slow.unwrap(), taken_over), (1, 0));
    assert_eq!(rm.count("POST", "/ServiceManagerIssues").await, 1);
    assert_eq!(app.outbox_item("service_issue").await.status, "delivered");
}

#[rocket::async_test]
async fn a_service_issue_whose_answer_was_lost_is_found_not_filed_twice() {
    let (rm, _twilio, app) = with_rent_manager_and_texts().await;
    rm.set(|s| s.lost_save_answers = 1);
    let mut phone = app.call_from(RM_TENANT);
    phone.answer().await;
    for words in ["the bedroom window is broken", "yes", "yes", "yes"] {
        phone.say(words).await;
    }

    app.deliver_outbox().await;
    let lost = app.outbox_item("service_issue").await;
    assert_eq!((lost.status.as_str(), lost.attempts), ("pending", 1), "{lost:?}");
    app.advance_clock(chrono::Duration::minutes(20));
    app.deliver_outbox().await;

    assert_eq!(rm.count("POST", "/ServiceManagerIssues").await, 1);
    let found = app.outbox_item("service_issue").await;
    assert_eq!((found.status.as_str(), found.external_id.as_deref()), ("delivered", Some("4567")));
}

#[rocket::async_test]
async fn a_lookup_that_outlives_the_calls_deadline_still_recognises_the_next_call() {
    let (rm, app) = FakeRentManager::with_app().await;
    // Slower than the call's lookup deadline, but it does answer.
    rm.set(|s| s.delay = Duration::from_millis(400));

    let first = app.call_from(RM_TENANT).answer().await;
    assert!(!first.spoken().contains("Ana"), "{}", first.spoken());

    eventually("a later call from the same number is greeted by name", || async {
        app.call_from(RM_TENANT).answer().await.spoken().contains("Hi Ana")
    })
    .await;
}

#[tokio::test]
async fn no_callers_number_reaches_the_log_when_rent_manager_is_unreachable() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let rm_url = format!("http://127.0.0.1:{closed}");
    let server = ServerProcess::start(&[("RENT_MANAGER_URL", &rm_url), ("RENT_MANAGER_API_KEY", "rm-key")]);
    let call = [("CallSid", "CAlog1"), ("From", RM_TENANT), ("To", OFFICE_NUMBER)];

    let (status, _) = server.post_signed("/twilio/voice", &call).await;

    assert_eq!(status, 200);
    eventually("the failed lookup is logged", || async { server.log().contains("caller lookup failed") })
        .await;
    let log = server.log();
    let digits: String = RM_TENANT.chars().filter(char::is_ascii_digit).collect();
    for number in [&digits[1..], &digits[4..], "555-0111"] {
        assert!(!log.contains(number), "the log holds {number}:\n{log}");
    }
}
