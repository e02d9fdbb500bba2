//! `TRANSCRIPT_RETENTION_DAYS`: an old call keeps what it achieved and nothing of what was said
//! or who called; a recent one is untouched.

use frontdesk::db::millis;
use frontdesk::office::Clock;

use crate::helpers::{Setup, Stored, TENANT, TestApp};

#[rocket::async_test]
async fn an_old_call_loses_its_transcript_and_every_number_and_a_recent_one_keeps_them() {
    let app = TestApp::start(Setup { retention_days: Some(30), ..Setup::default() }).await;
    let mut old = app.call_from(TENANT);
    old.answer().await;
    for words in ["my kitchen faucet is dripping", "yes you can go in", "call me at 718 555 0199", "yes"] {
        old.say(words).await;
    }
    old.hang_up().await;
    app.advance_clock(chrono::Duration::days(40));
    let mut recent = app.call_from(TENANT);
    recent.answer().await;
    recent.say("what are your hours on saturday").await;

    let now = millis(app.clock.now());
    let forgotten = frontdesk::retention::sweep(&app.db, now - 30 * 86_400_000, now).await.unwrap();

    assert_eq!(forgotten, 1);
    assert!(app.turns_of(&old.sid).await.is_empty());
    assert!(!app.turns_of(&recent.sid).await.is_empty());
    let state = app.stored_state(&old.sid).await.to_string();
    assert!(!state.contains("555"), "{state}");
    let calls = app.calls().await;
    let kept = calls.iter().find(|c| c.sid == old.sid).unwrap();
    assert_eq!(kept.outcome, "service_issue", "what the call achieved stays");
    let issues = app.service_issues().await;
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].callback, None);
    app.log_in().await;
    let (_, found) = app.get("/calls?q=faucet").await;
    assert!(!found.contains(&old.sid), "the search index forgot it too");
    let (_, found) = app.get("/calls?q=saturday").await;
    assert!(found.contains(&recent.sid));
    assert!(found.contains("kept 30 days"), "staff pages say retention is on");
    assert_eq!(frontdesk::retention::sweep(&app.db, now - 30 * 86_400_000, now).await.unwrap(), 0);
}
