//! What Twilio receives, call by call: every TwiML reply of a few whole calls, in order, as
//! one reviewed snapshot per call (`tests/api/snapshots/`). Any change to a word, a verb or
//! an attribute shows up as a diff to accept or refuse; the README says how to review one.

use std::fmt::Write;

use crate::helpers::*;

/// What the caller does at one callback.
enum Act<'a> {
    Answer,
    Say(&'a str),
    Silence,
    DialEnds(&'a str),
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
        };
        let tags = reply.xml.replace("><", ">\n<");
        writeln!(transcript, "== POST {path} ({did})\n{tags}\n").unwrap();
    }
    transcript
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
