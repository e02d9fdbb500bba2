//! What Twilio receives, call by call: every TwiML reply of a few whole calls, in order, as
//! one reviewed snapshot per call (`tests/api/snapshots/`). Any change to a word, a verb or
//! an attribute shows up as a diff to accept or refuse; the README says how to review one.

use std::fmt::Write;

use std::time::Duration;

use frontdesk::call::early::EarlySettings;
use frontdesk::call::hold;
use serde_json::json;

use crate::fake_openai::{Behaviour, FakeModel};
use crate::helpers::*;

/// What the caller does at one callback.
enum Act<'a> {
    Answer,
    Say(&'a str),
    Silence,
    DialEnds(&'a str),
    /// Twilio fetches a hold line's `<Redirect>` once the line has played.
    FollowRedirect,
}

use Act::*;

/// Plays `acts` as one call from `from`, following the TwiML as Twilio does, and writes down
/// each callback (its path and what it brought) and the reply, one tag per line. Only line
/// breaks between tags are added: the reply's bytes are otherwise exactly what Twilio gets.
async fn play(app: &TestApp, from: &str, acts: &[Act<'_>]) -> String {
    let mut phone = app.call_from(from);
    let mut transcript = String::new();
    for act in acts {
        let path = phone.next_path().to_string();
        let (did, reply) = match act {
            Answer => ("a new call".to_string(), phone.answer().await),
            Say(words) => (format!("SpeechResult={words:?}"), phone.say(words).await),
            Silence => ("no speech".to_string(), phone.stay_silent().await),
            DialEnds(status) => (format!("DialCallStatus={status}"), phone.dial_ends(status).await),
            FollowRedirect => ("the hold line's redirect".to_string(), phone.follow_redirect().await),
        };
        let tags = reply.xml.replace("><", ">\n<");
        writeln!(transcript, "== POST {path} ({did})\n{tags}\n").unwrap();
    }
    // The call's reference is drawn at random: its digits read "#, #, #, #, #" here.
    match app.reference_of(&phone.sid).await {
        Some(reference) => transcript.replace(&digit_by_digit(&reference), "#, #, #, #, #"),
        None => transcript,
    }
}

#[rocket::async_test]
async fn a_tenants_maintenance_request_from_greeting_to_goodbye() {
    let app = TestApp::spawn().await;

    let transcript = play(
        &app,
        TENANT,
        &[
            Answer,
            Say("I need to report a repair"),
            Say("the bathroom sink is leaking under the cabinet"),
            Say("yes you can go in"),
            Say("yes that's the best number"),
            Say("yes, that's right"),
            Say("no, that's all, bye"),
        ],
    )
    .await;

    insta::assert_snapshot!(transcript);
}

#[rocket::async_test]
async fn a_gas_emergency_at_night_whose_on_call_dial_goes_unanswered() {
    let app = TestApp::at(eastern(2026, 12, 2, 3, 0)).await;

    let transcript = play(
        &app,
        TENANT,
        &[
            Answer,
            Say("I smell gas in my kitchen"),
            DialEnds("no-answer"),
            Say("I'm outside now, please call me back on this number"),
            Say("yes"),
        ],
    )
    .await;

    insta::assert_snapshot!(transcript);
}

#[rocket::async_test]
async fn a_spanish_speaking_tenant_switches_and_files_a_request_in_spanish() {
    let app = TestApp::spawn().await;

    let transcript = play(
        &app,
        TENANT,
        &[
            Answer,
            Say("español por favor"),
            Say("la llave del fregadero de la cocina está goteando"),
            Say("sí, pueden entrar"),
            Say("sí, a este número"),
            Say("sí, está bien"),
            Say("no, gracias, adiós"),
        ],
    )
    .await;

    insta::assert_snapshot!(transcript);
}

#[rocket::async_test]
async fn an_after_hours_caller_asking_for_a_person_leaves_a_message() {
    let app = TestApp::at(eastern(2026, 12, 6, 11, 0)).await;

    let transcript = play(
        &app,
        TENANT,
        &[
            Answer,
            Say("let me talk to someone in the office"),
            Say("yes please"),
            Say("Please call me back about my parking spot"),
            Say("yes"),
        ],
    )
    .await;

    insta::assert_snapshot!(transcript);
}

#[rocket::async_test]
async fn a_silent_caller_until_goodbye() {
    let app = TestApp::spawn().await;

    let transcript = play(&app, STRANGER, &[Answer, Silence, Silence, Silence]).await;

    insta::assert_snapshot!(transcript);
}

#[rocket::async_test]
async fn a_transfer_to_the_office_during_hours() {
    let app = TestApp::spawn().await;

    let transcript =
        play(&app, STRANGER, &[Answer, Say("Can I speak with Janier please"), DialEnds("completed")]).await;

    insta::assert_snapshot!(transcript);
}

#[rocket::async_test]
async fn a_caller_with_the_model_hears_a_hold_line_then_its_answer() {
    let reply = json!({
        "intent": "maintenance", "describes_problem": true, "location": "kitchen",
        "reply": "Oh no, a dripping faucet! May our team let themselves in if you're not home?",
        "reply_asks": "entry"
    });
    // Slower than the grace, far quicker than the wait for it: one hold line, then the answer.
    let model =
        FakeModel::start(Behaviour::After(Duration::from_millis(300), Box::new(Behaviour::Reply(reply))))
            .await;
    let app = TestApp::start(Setup {
        model: Some(model.base_url()),
        model_deadline: Duration::from_secs(8),
        early: EarlySettings {
            grace: Duration::from_millis(50),
            reply_wait: Duration::from_secs(5),
            deadline: Duration::from_secs(8),
            ..patient()
        },
        ..Setup::default()
    })
    .await;

    let mut transcript =
        play(&app, TENANT, &[Answer, Say("my kitchen faucet is dripping"), FollowRedirect]).await;
    // Which hold line is said is chosen at random from the pool.
    for line in hold::LINES {
        transcript = transcript.replace(&format!(">{line}<"), ">[a hold line]<");
    }

    insta::assert_snapshot!(transcript);
}
