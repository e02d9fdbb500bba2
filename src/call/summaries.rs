//! A call's summary for the office, queued in the outbox once, in the transaction that records
//! the call's end: the facts are read from the call's state and records there (`report`), and
//! the mail lane writes and sends the e-mail later, with retries.

use std::str::FromStr;

use super::report::{CallSummary, Email, Exchange, Filed, Left, OpenFollowUp, Records};
use super::store::StoreError;
use super::turn::{TurnError, Turns};
use super::{Call, MessageKind, Priority, effects::OutsideWrite, effects::WriteState};
use crate::db::WriteTx;
use crate::phone::Phone;

#[derive(sqlx::FromRow)]
struct FiledRow {
    priority: String,
    problem: String,
    location: Option<String>,
    entry: Option<i64>,
    callback: Option<String>,
}

impl Turns {
    /// Queues the call's summary e-mail, when e-mail to the office is on. At most one per call
    /// whatever calls this: a unique index keeps a second one out, and it is skipped quietly.
    pub(super) async fn queue_summary(
        &self,
        tx: &mut WriteTx,
        sid: &str,
        call: &Call,
        duration_s: Option<i64>,
        now: i64,
    ) -> Result<(), TurnError> {
        if !self.summaries {
            return Ok(());
        }
        let records = self.records_of(tx, sid, duration_s).await?;
        let email = OutsideWrite::Email(Email::CallSummary(CallSummary::of(sid, call, records)));
        sqlx::query(
            "INSERT INTO outbox (call_sid, kind, payload, status, attempts, next_attempt_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 0, $5, $5, $5)
             ON CONFLICT DO NOTHING",
        )
        .bind(sid)
        .bind(email.kind())
        .bind(serde_json::to_string(&email).map_err(StoreError::State)?)
        .bind(WriteState::Pending.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    async fn records_of(
        &self,
        tx: &mut WriteTx,
        sid: &str,
        duration_s: Option<i64>,
    ) -> Result<Records, TurnError> {
        let (reference, started_at): (Option<String>, i64) =
            sqlx::query_as("SELECT reference, started_at FROM calls WHERE sid = $1")
                .bind(sid)
                .fetch_one(&mut **tx)
                .await?;
        let filed: Vec<FiledRow> = sqlx::query_as(
            "SELECT priority, problem, location, callback,
                    CASE WHEN entry_permission IS NULL THEN NULL WHEN entry_permission THEN 1 ELSE 0 END AS entry
             FROM service_issues WHERE call_sid = $1 ORDER BY id",
        )
        .bind(sid)
        .fetch_all(&mut **tx)
        .await?;
        let left: Vec<(String, String)> =
            sqlx::query_as("SELECT kind, body FROM messages WHERE call_sid = $1 ORDER BY id")
                .bind(sid)
                .fetch_all(&mut **tx)
                .await?;
        let follow_ups: Vec<(i64, String)> = sqlx::query_as(
            "SELECT CASE WHEN urgent THEN 1 ELSE 0 END, body FROM follow_ups
             WHERE call_sid = $1 AND resolved_at IS NULL ORDER BY id",
        )
        .bind(sid)
        .fetch_all(&mut **tx)
        .await?;
        let turns: Vec<(Option<String>, String)> =
            sqlx::query_as("SELECT caller_text, reply_text FROM turns WHERE call_sid = $1 ORDER BY turn")
                .bind(sid)
                .fetch_all(&mut **tx)
                .await?;
        let started = chrono::DateTime::from_timestamp_millis(started_at)
            .map(|at| at.with_timezone(&self.office.timezone).format("%A, %B %-d, %Y, %-I:%M %p").to_string())
            .unwrap_or_default();
        let base = self.public_url.as_deref().map(|url| url.trim_end_matches('/'));
        Ok(Records {
            reference,
            started,
            duration_s,
            filed: filed
                .into_iter()
                .map(|row| Filed {
                    // Stored from the enum: an unknown word is a newer version's, read as routine.
                    priority: Priority::from_str(&row.priority).unwrap_or(Priority::Routine),
                    problem: row.problem,
                    location: row.location,
                    entry: row.entry.map(|entry| entry != 0),
                    callback: row.callback.as_deref().and_then(Phone::parse).map(|phone| phone.spoken()),
                })
                .collect(),
            left: left
                .into_iter()
                .map(|(kind, body)| Left { kind: MessageKind::from_str(&kind).unwrap_or_default(), body })
                .collect(),
            follow_ups: follow_ups
                .into_iter()
                .map(|(urgent, body)| OpenFollowUp { urgent: urgent != 0, body })
                .collect(),
            conversation: turns
                .into_iter()
                .filter(|(caller, assistant)| caller.is_some() || !assistant.is_empty())
                .map(|(caller, assistant)| Exchange { caller, assistant })
                .collect(),
            transcript: base.map(|base| format!("{base}/calls/{sid}")),
        })
    }
}
