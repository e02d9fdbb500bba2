//! The daily digest: at `DIGEST_AT` in the office's time, yesterday's calls by outcome and the
//! follow-ups still open by age, e-mailed to the office exactly once a day however many workers
//! run. The day is claimed with a row in `digests` (its key is the day), in the transaction
//! that queues the e-mail; whoever inserts it sends, everyone else finds it taken. A worker
//! started after the hour finds the day unclaimed and sends it then.

use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::schedule;
use crate::call::Outcome;
use crate::call::effects::{OutsideWrite, WriteState};
use crate::call::report::{Age, Counts, Digest, Email, OLDEST_LISTED, Waiting, by_age};
use crate::db::{Db, millis};
use crate::office::Clock;

/// How often a worker looks whether the digest is due (one indexed read, or none at all once
/// this worker knows today's is taken).
const LOOK_EVERY: Duration = Duration::from_secs(30);

pub struct Digests {
    db: Db,
    clock: Arc<dyn Clock>,
    tz: Tz,
    at: NaiveTime,
    /// Where the staff pages are (`PUBLIC_URL`), for links.
    public_url: Option<String>,
    /// The last day this worker saw claimed, by itself or another: no need to look again.
    claimed: Mutex<Option<NaiveDate>>,
}

#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("the digest could not be kept: {0}")]
    Payload(#[from] serde_json::Error),
}

#[derive(sqlx::FromRow)]
struct WaitingRow {
    created_at: i64,
    urgent: i64,
    body: String,
    caller_name: Option<String>,
    reference: Option<String>,
    call_sid: String,
}

impl Digests {
    pub fn new(db: Db, clock: Arc<dyn Clock>, tz: Tz, at: NaiveTime, public_url: Option<String>) -> Digests {
        Digests { db, clock, tz, at, public_url, claimed: Mutex::new(None) }
    }

    /// Claims and queues today's digest if it is due and nobody has; returns the day it was
    /// sent for (today) when this call queued it.
    pub async fn run_due(&self) -> Result<Option<NaiveDate>, DigestError> {
        let now = self.clock.now();
        let Some(today) = schedule::due(now, self.at, self.tz) else { return Ok(None) };
        if *self.claimed.lock().unwrap_or_else(|e| e.into_inner()) == Some(today) {
            return Ok(None);
        }
        let mut tx = self.db.begin_write().await?;
        let claim =
            sqlx::query("INSERT INTO digests (day, claimed_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING")
                .bind(today.to_string())
                .bind(millis(now))
                .execute(&mut *tx)
                .await?;
        let ours = claim.rows_affected() == 1;
        if ours {
            let digest = self.gather(&mut tx, today, millis(now)).await?;
            let email = OutsideWrite::Email(Email::Digest(digest));
            sqlx::query(
                "INSERT INTO outbox (call_sid, kind, payload, status, attempts, next_attempt_at, created_at, updated_at)
                 VALUES (NULL, $1, $2, $3, 0, $4, $4, $4)",
            )
            .bind(email.kind())
            .bind(serde_json::to_string(&email)?)
            .bind(WriteState::Pending.as_str())
            .bind(millis(now))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        *self.claimed.lock().unwrap_or_else(|e| e.into_inner()) = Some(today);
        if ours {
            tracing::info!(day = %today, "daily digest queued");
        }
        Ok(ours.then_some(today))
    }

    /// Yesterday's calls and the open follow-ups, as of `now_ms`.
    async fn gather(
        &self,
        tx: &mut sqlx::AnyConnection,
        today: NaiveDate,
        now_ms: i64,
    ) -> Result<Digest, DigestError> {
        let day = schedule::covers(today);
        let (start, end) = schedule::bounds(day, self.tz);
        let by_outcome: Vec<(String, i64)> = sqlx::query_as(
            "SELECT outcome, COUNT(*) FROM calls WHERE started_at >= $1 AND started_at < $2 GROUP BY outcome",
        )
        .bind(millis(start))
        .bind(millis(end))
        .fetch_all(&mut *tx)
        .await?;
        let mut calls = Counts::default();
        for (outcome, count) in by_outcome {
            calls.total += count;
            match Outcome::from_str(&outcome) {
                Ok(Outcome::Emergency) => calls.emergency += count,
                Ok(Outcome::ServiceIssue) => calls.service_issue += count,
                Ok(Outcome::Transferred) => calls.transferred += count,
                Ok(Outcome::Message) => calls.message += count,
                Ok(Outcome::Information) => calls.information += count,
                // A word of a newer version counts in the total only.
                Err(_) => {}
            }
        }
        let open: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT created_at, CASE WHEN urgent THEN 1 ELSE 0 END FROM follow_ups WHERE resolved_at IS NULL",
        )
        .fetch_all(&mut *tx)
        .await?;
        let oldest: Vec<WaitingRow> = sqlx::query_as(
            "SELECT f.created_at AS created_at, CASE WHEN f.urgent THEN 1 ELSE 0 END AS urgent, f.body AS body,
                    f.caller_name AS caller_name, c.reference AS reference, f.call_sid AS call_sid
             FROM follow_ups f LEFT JOIN calls c ON c.sid = f.call_sid
             WHERE f.resolved_at IS NULL
             ORDER BY CASE WHEN f.urgent THEN 0 ELSE 1 END, f.created_at, f.id LIMIT $1",
        )
        .bind(i64::try_from(OLDEST_LISTED).unwrap_or(i64::MAX))
        .fetch_all(&mut *tx)
        .await?;
        let base = self.public_url.as_deref().map(|url| url.trim_end_matches('/').to_string());
        let open_pairs: Vec<(i64, bool)> = open.iter().map(|(at, urgent)| (*at, *urgent != 0)).collect();
        Ok(Digest {
            day,
            calls,
            open: by_age(&open_pairs, now_ms),
            open_total: i64::try_from(open.len()).unwrap_or(i64::MAX),
            oldest: oldest
                .into_iter()
                .map(|row| Waiting {
                    urgent: row.urgent != 0,
                    body: row.body,
                    caller: row.caller_name,
                    reference: row.reference,
                    opened: self.local(row.created_at),
                    age: Age::of(row.created_at, now_ms),
                    transcript: base.as_ref().map(|base| format!("{base}/calls/{}", row.call_sid)),
                })
                .collect(),
            staff_pages: base.map(|base| format!("{base}/follow-ups")),
        })
    }

    fn local(&self, at_ms: i64) -> String {
        chrono::DateTime::from_timestamp_millis(at_ms)
            .map(|at| at.with_timezone(&self.tz).format("%a %b %-d, %-I:%M %p").to_string())
            .unwrap_or_default()
    }

    /// Looks every half minute, forever; started once per process.
    pub fn spawn(self: Arc<Self>) {
        tokio::spawn(async move {
            loop {
                if let Err(e) = self.run_due().await {
                    tracing::error!("daily digest: {e}");
                }
                tokio::time::sleep(LOOK_EVERY).await;
            }
        });
    }
}
