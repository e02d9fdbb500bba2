//! SQLite's write-ahead log stays bounded: past its bound it is emptied, a reader that keeps
//! it from being emptied shows as a degraded database (still ready), and once that reader
//! leaves, the log shrinks back. PostgreSQL keeps its own log: these run on SQLite always.

use std::path::PathBuf;
use std::time::Duration;

use frontdesk::db::Checkpoints;
use rocket::http::Status;
use serde_json::Value;

use crate::helpers::*;

fn wal_size(app: &TestApp) -> u64 {
    std::fs::metadata(wal_path(app)).map_or(0, |m| m.len())
}

fn wal_path(app: &TestApp) -> PathBuf {
    app.dir.path().join("frontdesk.db-wal")
}

/// Polls `done` every 100 ms, for up to a minute: what is awaited is a background task's
/// work, and a busy machine may be slow to do it; only the outcome is asserted.
async fn eventually<F: AsyncFnMut() -> bool>(mut done: F) -> bool {
    for _ in 0..600 {
        if done().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

async fn ready_body(app: &TestApp) -> String {
    let (status, body) = app.get("/ready").await;
    assert_eq!(status, Status::Ok, "a degraded database is still ready: {body}");
    body
}

#[rocket::async_test]
async fn a_log_held_past_its_bound_is_degraded_then_shrinks_back_when_released() {
    let app = TestApp::on_sqlite(Setup::default()).await;
    let bound = Checkpoints::default().bound;
    let keep = Checkpoints::default().keep;
    assert_eq!(ready_body(&app).await, "ready");

    // A long reader (a staff export, say) keeps its snapshot: no checkpoint can copy past it,
    // so every turn stored meanwhile stays in the log.
    let mut reader = app.db.pool.begin().await.unwrap();
    let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM turns").fetch_one(&mut *reader).await.unwrap();

    let mut turns = 0;
    let mut calls = 0;
    while wal_size(&app) <= bound && turns < 20_000 {
        let mut phone = app.call_from(TENANT);
        phone.answer().await;
        for words in ["what are your hours", "where is your office", "thank you"] {
            phone.say(words).await;
        }
        phone.hang_up().await;
        turns += 4;
        calls += 1;
    }
    assert!(wal_size(&app) > bound, "{turns} turns left the log at {} bytes", wal_size(&app));

    // The reader keeps the log from being emptied: the database shows as degraded.
    assert!(
        eventually(async || ready_body(&app).await.contains("degraded")).await,
        "{}",
        ready_body(&app).await
    );
    let health = app.db.log_health().unwrap();
    assert!(health.failing.is_some(), "{health:?}");
    app.log_in().await;
    let (_, status) = app.get("/status.json").await;
    let status: Value = serde_json::from_str(&status).unwrap();
    assert!(status["database"]["log"]["degraded"].is_string(), "{status}");

    // The reader leaves: the log is emptied and the database is well again.
    reader.rollback().await.unwrap();
    assert!(
        eventually(async || wal_size(&app) <= keep && ready_body(&app).await == "ready").await,
        "the log stayed at {} bytes: {}",
        wal_size(&app),
        ready_body(&app).await
    );
    let health = app.db.log_health().unwrap();
    assert!(health.emptied >= 1 && health.failing.is_none(), "{health:?}");
    // Nothing written while the log was held was lost on the way.
    assert_eq!(app.turns_stored().await, turns);
    let ended = app.calls().await.iter().filter(|call| call.stage == "ended").count();
    assert_eq!(ended, calls);
}
