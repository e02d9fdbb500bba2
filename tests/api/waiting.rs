//! The caller's wait, through signed webhooks as Twilio sends them: readings started on
//! partial transcripts, hold lines and the `/twilio/reply` redirect, twins, and the turns
//! the model is not asked about at all.

use std::time::{Duration, Instant};

use frontdesk::call::early::EarlySettings;
use frontdesk::call::hold;
use rocket::http::Status;
use serde_json::json;

use crate::fake_openai::{Behaviour, FakeModel};
use crate::helpers::*;

const FAUCET_LINE: &str = "Oh no, a dripping faucet! May our team let themselves in if you're not home?";

fn faucet() -> Behaviour {
    Behaviour::Reply(json!({
        "intent": "maintenance", "describes_problem": true, "urgent": false, "location": "kitchen",
        "reply": FAUCET_LINE, "reply_asks": "entry"
    }))
}

fn slow(delay: Duration, behaviour: Behaviour) -> Behaviour {
    Behaviour::After(delay, Box::new(behaviour))
}

/// The wait as production runs it, with times a test can afford: a short grace, and a
/// deadline well past any request's own time on a busy machine.
fn waiting() -> Setup {
    Setup {
        model_deadline: Duration::from_secs(3),
        early: EarlySettings {
            stable: Duration::from_millis(300),
            grace: Duration::from_millis(50),
            reply_wait: Duration::from_secs(2),
            deadline: Duration::from_secs(3),
            ..EarlySettings::default()
        },
        ..Setup::default()
    }
}

async fn start(behaviour: Behaviour, setup: Setup) -> (FakeModel, TestApp) {
    let model = FakeModel::start(behaviour).await;
    let app = TestApp::start(Setup { model: Some(model.base_url()), ..setup }).await;
    (model, app)
}

/// The answer to a turn, after any hold lines a busy machine made it wait through.
async fn settled(phone: &mut Phone<'_>, mut reply: Twiml) -> Twiml {
    while reply.redirect().is_some() {
        reply = phone.follow_redirect().await;
    }
    reply
}

/// Readings the model was asked for (the negotiation's probes are not turns).
async fn asked(model: &FakeModel) -> usize {
    model.turn_requests().await.len()
}

async fn eventually(what: &str, check: impl AsyncFn() -> bool) {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Turn `n` of the call as stored, if it is.
async fn turn(app: &TestApp, phone: &Phone<'_>, n: i64) -> Option<TurnRow> {
    app.turns_of(&phone.sid).await.into_iter().find(|turn| turn.turn == n)
}

/// A stored turn's record: (source, model_asked, model_skipped, read_from, hold_lines).
async fn record(
    app: &TestApp,
    phone: &Phone<'_>,
    n: i64,
) -> (String, Option<i64>, Option<String>, Option<String>, Vec<String>) {
    let turn = turn(app, phone, n).await.expect("the turn is stored");
    let holds = turn.holds();
    (turn.source, turn.model_asked, turn.model_skipped, turn.read_from, holds)
}

async fn said(app: &TestApp, phone: &Phone<'_>) -> Vec<String> {
    let state = app.stored_state(&phone.sid).await;
    state["said"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect()
}

#[rocket::async_test]
async fn partials_then_the_final_use_the_reading_started_while_the_caller_spoke() {
    let (model, app) = start(faucet(), waiting()).await;
    let mut phone = app.call_from(TENANT);
    let greeting = phone.answer().await;
    assert_eq!(greeting.attr("Gather", "partialResultCallback").as_deref(), Some("/twilio/partial?turn=1"));
    assert_eq!(greeting.attr("Gather", "partialResultCallbackMethod").as_deref(), Some("POST"));

    assert_eq!(phone.partial(1, "my kitchen").await, Status::NoContent);
    assert_eq!(phone.partial(2, "my kitchen faucet is dripping").await, Status::NoContent);
    eventually("the model to read the last partial", async || asked(&model).await == 1).await;
    assert_eq!(model.utterances().await, ["my kitchen faucet is dripping"], "asked before the final arrived");

    let reply = phone.say("Um, my kitchen faucet is dripping.").await;
    let reply = settled(&mut phone, reply).await;

    assert_eq!(reply.says(), [FAUCET_LINE]);
    assert_eq!(asked(&model).await, 1, "the model was asked once");
    let (source, asked_model, skipped, from, _) = record(&app, &phone, 1).await;
    assert_eq!(
        (source.as_str(), asked_model, skipped, from.as_deref()),
        ("model", Some(1), None, Some("partial"))
    );
    let heard = turn(&app, &phone, 1).await.unwrap().caller_text;
    assert_eq!(
        heard.as_deref(),
        Some("Um, my kitchen faucet is dripping."),
        "the final's words are the turn's"
    );
}

#[rocket::async_test]
async fn a_final_that_differs_from_the_partials_is_read_on_its_own_words() {
    let (model, app) = start(faucet(), waiting()).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.partial(1, "my kitchen faucet is dripping").await;
    eventually("the early reading", async || asked(&model).await == 1).await;

    let reply = phone.say("my bathroom faucet is dripping").await;
    let reply = settled(&mut phone, reply).await;

    assert_eq!(model.utterances().await, ["my kitchen faucet is dripping", "my bathroom faucet is dripping"]);
    assert!(reply.listens());
    let (_, asked_model, _, from, _) = record(&app, &phone, 1).await;
    assert_eq!((asked_model, from.as_deref()), (Some(1), Some("final")));
}

#[rocket::async_test]
async fn a_slow_model_gets_a_hold_line_then_the_redirect_brings_its_answer() {
    let (model, app) = start(slow(Duration::from_millis(400), faucet()), waiting()).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;

    let held = phone.say("my kitchen faucet is dripping").await;

    assert_eq!(held.verbs(), ["Say", "Redirect"], "{}", held.xml);
    let line = held.spoken();
    assert!(hold::LINES.contains(&line.as_str()), "{line}");
    assert_eq!(held.redirect().as_deref(), Some("/twilio/reply?turn=1&hold=1"));
    assert_eq!(held.attr("Redirect", "method").as_deref(), Some("POST"));
    assert!(turn(&app, &phone, 1).await.is_none(), "nothing stored yet");

    let reply = phone.follow_redirect().await;

    assert_eq!(reply.says(), [FAUCET_LINE]);
    assert!(reply.listens());
    assert_eq!(asked(&model).await, 1);
    let (source, _, _, _, holds) = record(&app, &phone, 1).await;
    assert_eq!((source.as_str(), holds), ("model", vec![line.clone()]));
    assert!(!said(&app, &phone).await.contains(&line), "a hold line is not counted as said");
    assert_eq!(turn(&app, &phone, 1).await.unwrap().reply_text, FAUCET_LINE);
}

#[rocket::async_test]
async fn a_model_slower_than_the_deadline_gets_two_different_hold_lines_then_the_rules() {
    // The model's own deadline is further off: the turn's deadline, from the final, decides.
    let setup = Setup { model_deadline: Duration::from_secs(10), ..waiting() };
    let (model, app) = start(slow(Duration::from_secs(30), faucet()), setup).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;

    let first = phone.say("my kitchen faucet is dripping").await;
    let second = phone.follow_redirect().await;
    let answer = phone.follow_redirect().await;

    assert_eq!(first.redirect().as_deref(), Some("/twilio/reply?turn=1&hold=1"));
    assert_eq!(second.verbs(), ["Say", "Redirect"], "{}", second.xml);
    assert_eq!(second.redirect().as_deref(), Some("/twilio/reply?turn=1&hold=2"));
    assert_ne!(first.spoken(), second.spoken(), "never the same hold line twice in a row");
    assert!(answer.listens(), "{}", answer.xml);
    assert!(!answer.spoken().contains("Oh no"), "the rules answered: {}", answer.spoken());
    assert_eq!(asked(&model).await, 1);
    let (source, asked_model, _, _, holds) = record(&app, &phone, 1).await;
    assert_eq!((source.as_str(), asked_model), ("rules", Some(1)));
    assert_eq!(holds, [first.spoken(), second.spoken()]);
    let error = turn(&app, &phone, 1).await.unwrap().model_error.unwrap();
    assert!(error.contains("after 2 hold lines"), "{error}");
}

#[rocket::async_test]
async fn the_emergency_protocol_is_never_delayed_by_a_hold_line() {
    let (model, app) = start(slow(Duration::from_secs(30), faucet()), waiting()).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.partial(1, "I smell gas in the kitchen").await;

    let reply = phone.say("I smell gas in the kitchen").await;

    assert!(reply.says()[0].contains("911"), "{:?}", reply.says());
    assert_eq!(reply.dials().as_deref(), Some(OFFICE_NUMBER));
    let (_, asked_model, skipped, _, holds) = record(&app, &phone, 1).await;
    assert_eq!((asked_model, skipped.as_deref()), (Some(0), Some("emergency")));
    assert!(holds.is_empty());
    // The early reading of the partial may have started; the final never waited on it.
    assert!(asked(&model).await <= 1);
}

#[rocket::async_test]
async fn a_clear_yes_to_a_read_back_and_a_goodbye_are_answered_without_the_model() {
    let (model, app) = start(slow(Duration::from_secs(30), faucet()), waiting()).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    // Walk to the read-back with the model asked only where its line could be spoken.
    phone.say("my kitchen faucet is dripping").await;
    phone.follow_redirect().await;
    phone.follow_redirect().await;
    let callback = phone.say("yes you can go in").await;
    let callback = if callback.redirect().is_some() {
        phone.follow_redirect().await;
        phone.follow_redirect().await
    } else {
        callback
    };
    assert!(callback.spoken().contains("718-555-0101"), "{}", callback.xml);
    let read_back = phone.say("yes that's the best number").await;
    assert!(read_back.spoken().contains("read that back"), "{}", read_back.xml);
    let filed = phone.say("yes").await;
    assert!(filed.listens(), "{}", filed.xml);
    let bye = phone.say("no thanks, bye").await;
    assert!(bye.hangs_up(), "{}", bye.xml);

    let turns = app.turns_of(&phone.sid).await;
    let skipped: Vec<Option<&str>> =
        turns.iter().filter(|turn| turn.turn >= 3).map(|turn| turn.model_skipped.as_deref()).collect();
    assert_eq!(skipped, [Some("callback_number"), Some("yes_or_no"), Some("goodbye")]);
    assert_eq!(asked(&model).await, 2, "only the problem and the permission were read by the model");
}

#[rocket::async_test]
async fn twins_of_every_request_are_harmless() {
    let (model, app) = start(slow(Duration::from_millis(400), faucet()), waiting()).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    // The same partial twice, and an older one after it.
    phone.partial(2, "my kitchen faucet is dripping").await;
    phone.partial(2, "my kitchen faucet is dripping").await;
    phone.partial(1, "my kitchen").await;
    eventually("the early reading", async || asked(&model).await == 1).await;

    // The final twice while the reading runs: one hold, the same reply.
    let action = phone.next_path().to_string();
    let speech = phone.with_speech("my kitchen faucet is dripping");
    let (first, second) = (app.post_signed(&action, &speech).await, app.post_signed(&action, &speech).await);
    let (first, second) = (Twiml::parse(first.1), Twiml::parse(second.1));
    // A twin of a held action gets the same hold reply, or the answer if it is ready by then.
    if second.redirect().is_some() || second.spoken() != FAUCET_LINE {
        assert_eq!(first, second);
    }
    if first.redirect().is_some() {
        // The redirect twice: one turn, the same answer.
        let redirect = first.redirect().unwrap();
        let call = phone.with_speech("");
        let fields: Vec<_> =
            call.into_iter().filter(|(k, _)| *k != "SpeechResult" && *k != "Confidence").collect();
        let (a, b) = (app.post_signed(&redirect, &fields).await, app.post_signed(&redirect, &fields).await);
        assert_eq!(a, b);
        assert_eq!(Twiml::parse(a.1).says(), [FAUCET_LINE]);
    }
    // The action again after the answer: the stored answer, word for word.
    let again = Twiml::parse(app.post_signed(&action, &speech).await.1);
    assert_eq!(again.says(), [FAUCET_LINE]);
    assert_eq!(app.turns_of(&phone.sid).await.iter().filter(|turn| turn.turn == 1).count(), 1);
    assert_eq!(asked(&model).await, 1, "one reading for all the twins");
}

#[rocket::async_test]
async fn a_partial_after_the_final_changes_nothing() {
    let (model, app) = start(faucet(), waiting()).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    let turn_one = phone.next_path().to_string();
    let reply = phone.say("my kitchen faucet is dripping").await;
    settled(&mut phone, reply).await;
    assert_eq!(asked(&model).await, 1);

    // Late, for turn 1, with other words.
    let late = phone.with_speech("");
    let mut late: Vec<_> =
        late.into_iter().filter(|(k, _)| *k != "SpeechResult" && *k != "Confidence").collect();
    late.extend([("UnstableSpeechResult", "my kitchen faucet is dripping again"), ("SequenceNumber", "9")]);
    let path = turn_one.replace("/twilio/gather", "/twilio/partial");
    let (status, _) = app.post_signed(&path, &late).await;
    assert_eq!(status, Status::NoContent);
    tokio::time::sleep(waiting().early.stable * 3).await;

    assert_eq!(asked(&model).await, 1, "no reading for a turn already answered");
    assert_eq!(app.turns_stored().await, 2, "the greeting and the one answer");
}

#[rocket::async_test]
async fn a_partial_must_be_signed_and_name_its_turn() {
    let (_model, app) = start(faucet(), waiting()).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    let params =
        [("CallSid", phone.sid.as_str()), ("UnstableSpeechResult", "hello"), ("SequenceNumber", "1")];
    let (status, _) = app.post("/twilio/partial?turn=1", &params, Some("forged".into())).await;
    assert_eq!(status, Status::Forbidden);
    let (status, _) = app.post_signed("/twilio/partial", &params).await;
    assert_eq!(status, Status::BadRequest);
}

#[rocket::async_test]
async fn a_caller_who_hangs_up_during_a_hold_line_ends_the_call_cleanly() {
    let (_model, app) = start(slow(Duration::from_secs(30), faucet()), waiting()).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    let held = phone.say("my kitchen faucet is dripping").await;
    assert!(held.redirect().is_some());

    phone.hang_up().await;

    assert!(turn(&app, &phone, 1).await.is_none(), "nothing stored as said");
    assert_eq!(app.early_rows().await, (0, 0), "the pending final and its reading are dropped");
    assert!(!said(&app, &phone).await.contains(&held.spoken()));
    assert_eq!(app.calls().await[0].stage, "ended");
}

#[rocket::async_test]
async fn without_speculation_no_partials_are_asked_for_and_the_wait_still_holds() {
    let setup = waiting();
    let early = EarlySettings { speculative_readings: 0, ..setup.early.clone() };
    let (model, app) = start(slow(Duration::from_millis(400), faucet()), Setup { early, ..setup }).await;
    let mut phone = app.call_from(TENANT);
    let greeting = phone.answer().await;
    assert_eq!(greeting.attr("Gather", "partialResultCallback"), None);
    phone.partial(1, "my kitchen faucet is dripping").await;

    let held = phone.say("my kitchen faucet is dripping").await;
    let reply = phone.follow_redirect().await;

    assert!(held.redirect().is_some());
    assert_eq!(reply.says(), [FAUCET_LINE]);
    assert_eq!(asked(&model).await, 1, "only the final was read");
}

#[rocket::async_test]
async fn the_pause_that_ends_a_turn_follows_the_question() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    let problem = phone.say("I need to report a repair").await;
    assert_eq!(problem.attr("Gather", "speechTimeout").as_deref(), Some("3"));
    let entry = phone.say("the bathroom sink is leaking under the cabinet").await;
    assert_eq!(entry.attr("Gather", "speechTimeout").as_deref(), Some("1"), "a yes or no: {}", entry.xml);
    assert_eq!(entry.attr("Gather", "partialResultCallback"), None, "the rules alone need no partials");
}
