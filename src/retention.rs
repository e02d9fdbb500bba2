//! Forgetting on schedule. With `TRANSCRIPT_RETENTION_DAYS`, a call older than that loses its
//! transcript (the turns, and with them the search index) and every caller number frontdesk
//! kept of it: in the call and its stored state, its service issues, messages and follow-ups
//! (staff notes included), its delivered outside writes (and the daily digests that quoted
//! them), and numbers known not to take texts. What the call achieved stays, for the figures.

use std::sync::Arc;
use std::time::Duration;

use crate::call::effects::{OutsideWrite, WriteState};
use crate::call::{Call, Caller, Stage};
use crate::db::{Db, millis};
use crate::office::Clock;
use crate::phone::redact;

/// Calls forgotten per transaction: the sweep never holds the writer for long.
const BATCH: i64 = 200;

/// Forgets every call that started before `before` (Unix ms) and is not forgotten yet;
/// returns how many it forgot.
pub async fn sweep(db: &Db, before: i64, now: i64) -> Result<usize, sqlx::Error> {
    // SQLite's index trails the newest turns; a turn leaves it through the delete trigger,
    // which must find it there.
    db.index_transcripts().await?;
    forget_digests(db, before).await?;
    let mut forgotten = 0;
    loop {
        let mut tx = db.begin_write().await?;
        let due: Vec<(String, String)> = sqlx::query_as(
            "SELECT sid, state FROM calls WHERE started_at < $1 AND redacted_at IS NULL ORDER BY started_at LIMIT $2",
        )
        .bind(before)
        .bind(BATCH)
        .fetch_all(&mut *tx)
        .await?;
        for (sid, state) in &due {
            forget(&mut tx, sid, state, now).await?;
        }
        // Numbers that cannot take texts are caller numbers too.
        sqlx::query("DELETE FROM sms_unreachable WHERE at < $1").bind(before).execute(&mut *tx).await?;
        tx.commit().await?;
        forgotten += due.len();
        if due.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) {
            return Ok(forgotten);
        }
    }
}

/// Delivered daily digests sent before `before`: they belong to no call, but name callers and
/// quote their follow-ups, numbers included.
async fn forget_digests(db: &Db, before: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE outbox SET payload = '' WHERE call_sid IS NULL AND kind = $1 AND status = $2
                                          AND created_at < $3 AND payload <> ''",
    )
    .bind(OutsideWrite::EMAIL_KIND)
    .bind(WriteState::Delivered.as_str())
    .bind(before)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

async fn forget(tx: &mut sqlx::AnyConnection, sid: &str, state: &str, now: i64) -> Result<(), sqlx::Error> {
    // A state that no longer decodes cannot be cleaned field by field: an ended call's
    // state with nobody in it takes its place.
    let call = serde_json::from_str::<Call>(state)
        .unwrap_or_else(|_| Call { stage: Stage::Ended, ..Call::new(Caller::unknown(None)) });
    let state = without_numbers(call);
    sqlx::query("UPDATE calls SET from_number = NULL, state = $2, redacted_at = $3 WHERE sid = $1")
        .bind(sid)
        .bind(state)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    // SQLite's search index follows through its delete trigger; PostgreSQL's is a column.
    sqlx::query("DELETE FROM turns WHERE call_sid = $1").bind(sid).execute(&mut *tx).await?;
    sqlx::query("UPDATE service_issues SET caller_phone = NULL, callback = NULL WHERE call_sid = $1")
        .bind(sid)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE outbox SET payload = '' WHERE call_sid = $1 AND status = $2")
        .bind(sid)
        .bind(WriteState::Delivered.as_str())
        .execute(&mut *tx)
        .await?;
    for table in ["messages", "follow_ups"] {
        let bodies: Vec<(i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT id, body FROM {table} WHERE call_sid = $1")))
                .bind(sid)
                .fetch_all(&mut *tx)
                .await?;
        for (id, body) in bodies {
            let clear = match table {
                // The summary says the callback number back: the body, redacted, is what stays.
                "messages" => {
                    "UPDATE messages SET caller_phone = NULL, summary = NULL, body = $2 WHERE id = $1"
                }
                _ => "UPDATE follow_ups SET caller_phone = NULL, callback = NULL, body = $2 WHERE id = $1",
            };
            sqlx::query(clear).bind(id).bind(redact(&body)).execute(&mut *tx).await?;
        }
    }
    // Staff notes on the call's follow-ups may quote a number.
    let notes: Vec<(i64, String)> = sqlx::query_as(
        "SELECT n.id, n.note FROM follow_up_changes n JOIN follow_ups f ON f.id = n.follow_up_id
         WHERE f.call_sid = $1 AND n.note IS NOT NULL",
    )
    .bind(sid)
    .fetch_all(&mut *tx)
    .await?;
    for (id, note) in notes {
        sqlx::query("UPDATE follow_up_changes SET note = $2 WHERE id = $1")
            .bind(id)
            .bind(redact(&note))
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// The state with no number and no transcript in it: the caller's number, any callback being
/// taken, the lines said (read-backs repeat numbers) and the caller's own words.
fn without_numbers(mut call: Call) -> String {
    call.caller.phone = None;
    call.said.clear();
    call.heard.clear();
    call.queued.clear();
    call.given = Default::default();
    call.left.clear();
    if let Stage::TakingMessage { note: Some(note), .. } = &mut call.stage {
        note.callback = None;
    }
    if let Stage::Intake { request, .. }
    | Stage::Confirming { request, .. }
    | Stage::ConfirmingUnit { request } = &mut call.stage
    {
        request.callback = None;
    }
    serde_json::to_string(&call).unwrap_or_default()
}

/// Sweeps once an hour, off the request path; started once per process when retention is on.
pub fn spawn(db: Db, clock: Arc<dyn Clock>, days: u32) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let now = millis(clock.now());
            let before = now.saturating_sub(i64::from(days).saturating_mul(86_400_000));
            match sweep(&db, before, now).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(calls = n, days, "transcripts and caller numbers past retention removed")
                }
                Err(e) => tracing::warn!("retention sweep: {e}"),
            }
        }
    });
}
