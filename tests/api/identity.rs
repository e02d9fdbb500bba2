//! Caller ID is not identity: a number that matches a tenant gets a first-name greeting, and
//! nothing private is said, told to the model, or let in until the caller shows who they are.

use serde_json::json;

use crate::fake_openai::{Behaviour, FakeModel};
use crate::fake_rent_manager::{FakeRentManager, RM_TENANT};
use crate::helpers::{TENANT, TestApp};

/// A tenant's request with permission to enter, up to its read-back.
const REQUEST: [&str; 3] = ["my kitchen faucet is dripping", "yes you can go in", "yes"];

#[rocket::async_test]
async fn on_a_caller_id_alone_the_model_hears_a_first_name_and_nothing_private() {
    let model = FakeModel::start(Behaviour::Reply(json!({ "intent": "hours" }))).await;
    let app = TestApp::with_model(model.base_url()).await;
    let mut phone = app.call_from(TENANT).unattested();

    let greeting = phone.answer().await;
    phone.say("what are your hours").await;

    assert!(greeting.spoken().contains("Hi Maria"), "{}", greeting.spoken());
    let system = model.turn_requests().await[0]["messages"][0]["content"].as_str().unwrap().to_string();
    assert!(system.contains("Maria") && system.contains("identity not confirmed"), "{system}");
    assert!(!system.contains("2B") && !system.contains("Lopez"), "{system}");
}

#[rocket::async_test]
async fn a_wrong_unit_files_the_request_without_entry_and_tells_staff_why() {
    let (rm, app) = FakeRentManager::with_app().await;
    let mut phone = app.call_from(RM_TENANT).unattested();
    phone.answer().await;
    for words in REQUEST {
        phone.say(words).await;
    }
    let asked = phone.say("yes that's right").await;
    assert!(asked.spoken().contains("which unit are you in"), "{}", asked.spoken());
    assert!(rm.received("POST", "/ServiceManagerIssues").await.is_empty(), "nothing filed before the unit");

    let filed = phone.say("it's 5C").await;

    assert!(filed.spoken().contains("the office will check with you first"), "{}", filed.spoken());
    app.deliver_outbox().await;
    let issue = &rm.received("POST", "/ServiceManagerIssues").await[0][0];
    assert_eq!(issue["IsAllowedToEnter"], false);
    let description = issue["Description"].as_str().unwrap();
    assert!(description.contains("identity not confirmed") && description.contains("5C"), "{description}");
    app.log_in().await;
    let (_, page) = app.get(&format!("/calls/{}", phone.sid)).await;
    assert!(page.contains("identity not confirmed"), "staff see it on the call's page");
}

#[rocket::async_test]
async fn the_right_unit_confirms_the_caller_and_lets_maintenance_in() {
    let (rm, app) = FakeRentManager::with_app().await;
    let mut phone = app.call_from(RM_TENANT).unattested();
    phone.answer().await;
    for words in REQUEST {
        phone.say(words).await;
    }
    phone.say("yes").await;

    let filed = phone.say("three F").await;

    assert!(!filed.spoken().contains("check with you first"), "{}", filed.spoken());
    app.deliver_outbox().await;
    let issue = &rm.received("POST", "/ServiceManagerIssues").await[0][0];
    assert_eq!(issue["IsAllowedToEnter"], true);
}

#[rocket::async_test]
async fn an_emergency_is_never_held_up_by_the_unit_question() {
    let (_rm, app) = FakeRentManager::with_app().await;
    let mut phone = app.call_from(RM_TENANT).unattested();
    phone.answer().await;

    let reply = phone.say("I smell gas in my kitchen").await;

    assert!(reply.says()[0].contains("911"), "{:?}", reply.says());
    assert!(reply.dials().is_some() && !reply.spoken().contains("which unit"), "{}", reply.spoken());
}
