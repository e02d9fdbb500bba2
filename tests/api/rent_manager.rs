//! Rent Manager as the system of record, played by a local server in its wire format:
//! callers found by phone, service issues and call notes delivered through the outbox.

use std::time::{Duration, Instant};

use chrono::Duration as Elapsed;

use crate::fake_rent_manager::{FakeRentManager, RM_PROSPECT, RM_TENANT};
use crate::helpers::*;

#[rocket::async_test]
async fn a_tenant_is_found_by_phone_with_the_unit_of_the_current_lease() {
    let (rm, app) = FakeRentManager::with_app().await;
    let mut phone = app.call_from(RM_TENANT);

    let greeting = phone.answer().await;

    assert!(greeting.spoken().starts_with("Hi Ana!"), "{}", greeting.spoken());
    let call = &app.calls().await[0];
    assert_eq!(
        (call.caller_kind.as_str(), call.unit.as_deref()),
        ("tenant", Some("3F")),
        "the current lease's unit, not the old one"
    );
    let searches = rm.received("GET", "/PhoneNumbers").await;
    assert_eq!(searches.len(), 1, "found on the server side, not by fetching every contact");
    assert_eq!(rm.received("GET", "/Tenants").await.len(), 0);
    assert_eq!(rm.logins(), 1);
}

#[rocket::async_test]
async fn when_the_phone_filter_is_refused_a_cached_scan_finds_every_spelling() {
    let (rm, app) = FakeRentManager::with_app().await;
    rm.set(|s| s.refuse_phone_filter = true);

    for _ in 0..2 {
        let greeting = app.call_from(RM_TENANT).answer().await;
        assert!(greeting.spoken().starts_with("Hi Ana!"), "{}", greeting.spoken());
    }
    let greeting = app.call_from(RM_PROSPECT).answer().await;
    assert!(greeting.spoken().starts_with("Hi Leo!"), "stored as 718.555.0122: {}", greeting.spoken());
    assert_eq!(rm.received("GET", "/Tenants").await.len(), 1, "one scan, then the cache");
}

#[rocket::async_test]
async fn a_prospect_is_found_when_no_tenant_has_the_number() {
    let (_rm, app) = FakeRentManager::with_app().await;
    let greeting = app.call_from(RM_PROSPECT).answer().await;
    assert!(greeting.spoken().starts_with("Hi Leo!"), "{}", greeting.spoken());
    assert_eq!(app.calls().await[0].caller_kind, "prospect");
}

#[rocket::async_test]
async fn an_unknown_number_is_a_stranger_however_rent_manager_says_no_rows() {
    for no_rows in [204, 404, 200] {
        let (rm, app) = FakeRentManager::with_app().await;
        rm.set(|s| s.no_rows = no_rows);
        let greeting = app.call_from(STRANGER).answer().await;
        assert!(greeting.spoken().starts_with("Hi there!"), "{no_rows}: {}", greeting.spoken());
    }
}

#[rocket::async_test]
async fn a_slow_rent_manager_does_not_delay_the_greeting() {
    let (rm, app) = FakeRentManager::with_app().await;
    rm.set(|s| s.delay = RENT_MANAGER_DEADLINE * 200);
    let started = Instant::now();

    let greeting = app.call_from(RM_TENANT).answer().await;

    let took = started.elapsed();
    assert!(greeting.spoken().starts_with("Hi there!"), "an unknown caller for this call");
    assert_eq!(app.calls().await[0].caller_kind, "unknown");
    // Not a timing: only a greeting that waited for Rent Manager (60 s) comes near this.
    assert!(took < RENT_MANAGER_DEADLINE * 20, "the greeting hung for {took:?}");
    rm.set(|s| s.delay = Duration::ZERO);
    let next = app.call_from(RM_TENANT).answer().await;
    assert!(next.spoken().starts_with("Hi Ana!"), "known again once it answers: {}", next.spoken());
}

#[rocket::async_test]
async fn a_stale_token_is_renewed_once() {
    let (rm, app) = FakeRentManager::with_app().await;
    app.call_from(RM_TENANT).answer().await;
    rm.expire_token();

    let greeting = app.call_from(RM_PROSPECT).answer().await;

    assert!(greeting.spoken().starts_with("Hi Leo!"));
    assert_eq!(rm.logins(), 2);
}

#[rocket::async_test]
async fn a_maintenance_call_creates_one_service_issue_through_failures_and_a_restart() {
    let (rm, app) = FakeRentManager::with_app().await;
    rm.set(|s| s.failing_saves = 2);
    let mut phone = app.call_from(RM_TENANT);
    phone.answer().await;
    for words in ["my kitchen sink is leaking", "yes you can go in", "yes", "yes that's right"] {
        phone.say(words).await;
    }

    app.deliver_outbox().await;
    assert_eq!(app.outbox_item("service_issue").await.status, "pending", "a 503 is retried later");
    let app = app.restart().await;
    app.advance_clock(Elapsed::minutes(1));
    app.deliver_outbox().await;
    app.advance_clock(Elapsed::minutes(1));
    app.deliver_outbox().await;
    app.advance_clock(Elapsed::minutes(5));
    app.deliver_outbox().await;

    let issue = app.outbox_item("service_issue").await;
    assert_eq!(
        (issue.status.as_str(), issue.attempts, issue.external_id.as_deref()),
        ("delivered", 3, Some("4567"))
    );
    let saves = rm.received("POST", "/ServiceManagerIssues").await;
    assert_eq!(saves.len(), 3, "two refused, one created: never two issues");
    let issue = &saves[2][0];
    assert_eq!(issue["Title"], "A leaking kitchen sink");
    assert!(issue["Description"].as_str().unwrap().contains("Permission to enter: yes"));
    assert_eq!(issue["IsAllowedToEnter"], true);
    assert_eq!(
        (issue["CategoryID"].as_i64(), issue["PriorityID"].as_i64(), issue["StatusID"].as_i64()),
        (Some(9), Some(2), Some(6))
    );
    assert_eq!(issue["ServiceManagerIssueLinkedUnits"][0]["UnitID"], 321);
    assert_eq!(issue["ServiceManagerIssueLinkedTenants"][0]["TenantID"], 42);
    assert_eq!(issue["ServiceManagerIssueLinkedProperties"][0]["PropertyID"], 5);
    let lookups = rm.received("GET", "/ServiceManagerCategories").await.len();
    assert_eq!(lookups, 2, "the lists are looked up once per process, and the test restarts once");
}

#[rocket::async_test]
async fn a_refused_service_issue_ends_as_a_visible_failed_item() {
    let (rm, app) = FakeRentManager::with_app().await;
    rm.set(|s| s.refuse_saves = true);
    let mut phone = app.call_from(RM_TENANT);
    phone.answer().await;
    for words in ["the bedroom window is broken", "yes", "yes", "yes"] {
        phone.say(words).await;
    }

    app.deliver_outbox().await;

    let issue = app.outbox_item("service_issue").await;
    assert_eq!((issue.status.as_str(), issue.attempts), ("failed", 1));
    assert!(issue.last_error.unwrap().contains("Issue cannot be blank"));
}

#[rocket::async_test]
async fn every_ended_call_becomes_a_history_note() {
    let (rm, app) = FakeRentManager::with_app().await;
    let mut phone = app.call_from(RM_TENANT);
    phone.answer().await;
    phone.say("what are your hours").await;
    phone.hang_up().await;
    phone.hang_up().await;

    app.deliver_outbox().await;

    let notes = rm.received("POST", "/Tenants/HistoryNotes").await;
    assert_eq!(notes.len(), 1, "one note, however often the status callback comes");
    assert_eq!(notes[0][0]["ParentID"], 42);
    let note = notes[0][0]["Note"].as_str().unwrap();
    assert!(note.contains("what are your hours"), "{note}");
    assert!(note.contains(&format!("{PUBLIC_URL}/calls/{}", phone.sid)), "{note}");
    assert_eq!(app.outbox_item("history_note").await.status, "delivered");
}

#[rocket::async_test]
async fn properties_and_vacant_units_come_from_rent_manager() {
    let (_rm, app) = FakeRentManager::with_app().await;
    let mut phone = app.call_from(RM_PROSPECT);
    phone.answer().await;

    let units = phone.say("do you have any apartments available").await;

    assert!(units.spoken().contains("a 1-bedroom at Windsor Court for $1750 a month"), "{}", units.spoken());
    assert!(!units.spoken().contains("$2300"), "an occupied unit is not offered");
    let mut stranger = app.call_from(STRANGER);
    stranger.answer().await;
    stranger.say("my kitchen sink is leaking").await;
    let confirmed = stranger.say("ten forty two Windsor Street").await;
    assert!(
        confirmed.spoken().contains("Windsor Court"),
        "the primary address matches: {}",
        confirmed.spoken()
    );
}
