//! The outbox: every write to the outside world, queued in the same transaction as the turn
//! that caused it and delivered in the background, so a caller never waits on it and a
//! crash or restart loses nothing.
//!
//! A worker claims due items with a lease (`locked_until`): a worker that dies mid-delivery
//! leaves its items to be retaken when the lease runs out. Failures are retried with
//! exponential backoff and jitter, up to `MAX_ATTEMPTS`, then marked failed for staff to see.
//! Delivered items are never claimed again.

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;

use crate::call::effects::{NewServiceIssue, NoteOn, OutsideWrite, WriteState};
use crate::db::{Db, Engine, millis};
use crate::metrics::Metrics;
use crate::office::Clock;

pub const MAX_ATTEMPTS: i64 = 8;
const FIRST_RETRY: Duration = Duration::from_secs(5);
const LONGEST_RETRY: Duration = Duration::from_secs(15 * 60);
/// How long a claimed item is a worker's by default; longer than any delivery may take.
pub const LEASE: Duration = Duration::from_secs(60);
const BATCH: i64 = 16;

/// Why one delivery did not happen.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("{0}")]
    Retryable(String),
    #[error("{0}")]
    Permanent(String),
}

/// Sends texts (Twilio's REST API); returns the message's id.
#[async_trait::async_trait]
pub trait Texts: Send + Sync {
    async fn send_sms(&self, to: &str, from: &str, body: &str) -> Result<String, DeliveryError>;
}

/// Takes service issues and call notes: the office's system of record (Rent Manager).
#[async_trait::async_trait]
pub trait RecordKeeper: Send + Sync {
    /// Files the issue; returns its id there.
    async fn file_issue(&self, issue: &NewServiceIssue) -> Result<i64, DeliveryError>;
    async fn add_note(&self, on: NoteOn, note: &str) -> Result<(), DeliveryError>;
}

/// Where items go, and how long a worker may hold one.
#[derive(Clone)]
pub struct Delivery {
    pub texts: Option<Arc<dyn Texts>>,
    pub records: Option<Arc<dyn RecordKeeper>>,
    /// The SMS sender; without it, the number the caller dialled (a Twilio number).
    pub sms_from: Option<String>,
    pub lease: Duration,
}

impl Default for Delivery {
    fn default() -> Delivery {
        Delivery { texts: None, records: None, sms_from: None, lease: LEASE }
    }
}

pub struct Outbox {
    db: Db,
    clock: Arc<dyn Clock>,
    delivery: Delivery,
    metrics: Arc<Metrics>,
}

#[derive(sqlx::FromRow)]
struct Claimed {
    id: i64,
    kind: String,
    call_sid: Option<String>,
    payload: String,
    attempts: i64,
}

impl Outbox {
    pub fn new(db: Db, clock: Arc<dyn Clock>, delivery: Delivery, metrics: Arc<Metrics>) -> Outbox {
        Outbox { db, clock, delivery, metrics }
    }

    /// Delivers what is due now; returns how many items it attempted.
    pub async fn deliver_due(&self) -> Result<usize, sqlx::Error> {
        let now = millis(self.clock.now());
        let lease = now + i64::try_from(self.delivery.lease.as_millis()).unwrap_or(i64::MAX);
        let claim = match self.db.engine {
            Engine::Sqlite => CLAIM_SQLITE,
            Engine::Postgres => CLAIM_POSTGRES,
        };
        let claimed: Vec<Claimed> = sqlx::query_as(claim)
            .bind(lease)
            .bind(now)
            .bind(BATCH)
            .bind(WriteState::Pending.as_str())
            .fetch_all(&self.db.pool)
            .await?;
        for item in &claimed {
            let outcome = match serde_json::from_str::<OutsideWrite>(&item.payload) {
                Ok(payload) => self.deliver(item, &payload).await,
                Err(e) => Err(DeliveryError::Permanent(format!("unreadable item: {e}"))),
            };
            self.settle(item, outcome).await?;
        }
        Ok(claimed.len())
    }

    async fn deliver(&self, claimed: &Claimed, item: &OutsideWrite) -> Result<String, DeliveryError> {
        match item {
            OutsideWrite::Sms { to, body } => {
                let texts = self.delivery.texts.as_ref().ok_or_else(|| {
                    DeliveryError::Permanent("SMS is not configured: set TWILIO_ACCOUNT_SID".into())
                })?;
                let from = match &self.delivery.sms_from {
                    Some(from) => from.clone(),
                    None => self.dialled_number(claimed).await?,
                };
                texts.send_sms(to, &from, body).await
            }
            OutsideWrite::ServiceIssue(issue) => Ok(self.records()?.file_issue(issue).await?.to_string()),
            OutsideWrite::HistoryNote { on, note } => {
                self.records()?.add_note(*on, note).await?;
                // Rent Manager does not return the new note's id.
                Ok("noted".into())
            }
        }
    }

    fn records(&self) -> Result<&dyn RecordKeeper, DeliveryError> {
        self.delivery.records.as_deref().ok_or_else(|| {
            DeliveryError::Permanent("Rent Manager is not configured: set RENT_MANAGER_URL".into())
        })
    }

    async fn dialled_number(&self, claimed: &Claimed) -> Result<String, DeliveryError> {
        let to: Option<Option<String>> = sqlx::query_scalar("SELECT to_number FROM calls WHERE sid = $1")
            .bind(&claimed.call_sid)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(|e| DeliveryError::Retryable(e.to_string()))?;
        to.flatten()
            .ok_or_else(|| DeliveryError::Permanent("no number to send from: set TWILIO_SMS_FROM".into()))
    }

    async fn settle(
        &self,
        item: &Claimed,
        outcome: Result<String, DeliveryError>,
    ) -> Result<(), sqlx::Error> {
        let now = millis(self.clock.now());
        let label = match &outcome {
            Ok(_) => WriteState::Delivered.as_str(),
            Err(DeliveryError::Retryable(_)) => "retry",
            Err(DeliveryError::Permanent(_)) => WriteState::Failed.as_str(),
        };
        self.metrics.delivered(item.kind.as_str(), label);
        match outcome {
            Ok(external_id) => {
                tracing::info!(item = item.id, external_id, "outbox item delivered");
                sqlx::query(
                    "UPDATE outbox SET status = $4, external_id = $2, delivered_at = $3, updated_at = $3,
                            locked_until = NULL, last_error = NULL
                     WHERE id = $1",
                )
                .bind(item.id)
                .bind(external_id)
                .bind(now)
                .bind(WriteState::Delivered.as_str())
                .execute(&self.db.pool)
                .await?;
            }
            Err(DeliveryError::Retryable(error)) if item.attempts < MAX_ATTEMPTS => {
                let retry_at = now + i64::try_from(backoff(item.attempts).as_millis()).unwrap_or(i64::MAX);
                tracing::warn!(
                    item = item.id,
                    attempt = item.attempts,
                    "outbox delivery failed, will retry: {error}"
                );
                sqlx::query(
                    "UPDATE outbox SET next_attempt_at = $2, last_error = $3, locked_until = NULL, updated_at = $4
                     WHERE id = $1",
                )
                .bind(item.id)
                .bind(retry_at)
                .bind(error)
                .bind(now)
                .execute(&self.db.pool)
                .await?;
            }
            Err(DeliveryError::Retryable(error) | DeliveryError::Permanent(error)) => {
                tracing::error!(
                    item = item.id,
                    attempt = item.attempts,
                    "outbox item failed for good: {error}"
                );
                sqlx::query(
                    "UPDATE outbox SET status = $4, last_error = $2, locked_until = NULL, updated_at = $3
                     WHERE id = $1",
                )
                .bind(item.id)
                .bind(error)
                .bind(now)
                .bind(WriteState::Failed.as_str())
                .execute(&self.db.pool)
                .await?;
            }
        }
        Ok(())
    }

    /// Delivers forever, a batch whenever one is due; started once per process.
    pub fn spawn(self: Arc<Self>) {
        tokio::spawn(async move {
            loop {
                match self.deliver_due().await {
                    Ok(n) if n > 0 => continue,
                    Ok(_) => {}
                    Err(e) => tracing::error!("outbox: {e}"),
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        });
    }
}

/// Exponential, capped, with jitter so that items failing together do not retry together.
fn backoff(attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    let full = FIRST_RETRY.saturating_mul(2u32.saturating_pow(exponent)).min(LONGEST_RETRY);
    full.mul_f64(rand::rng().random_range(0.5..=1.0))
}

// Both claim one batch of due items, taking expired leases back, and count the attempt.
const CLAIM_SQLITE: &str = "
    UPDATE outbox SET locked_until = $1, attempts = attempts + 1, updated_at = $2
    WHERE id IN (SELECT id FROM outbox
                 WHERE status = $4 AND next_attempt_at <= $2
                   AND (locked_until IS NULL OR locked_until <= $2)
                 ORDER BY id LIMIT $3)
    RETURNING id, kind, call_sid, payload, attempts";
// Several workers on one PostgreSQL: SKIP LOCKED keeps them from claiming the same row.
const CLAIM_POSTGRES: &str = "
    UPDATE outbox SET locked_until = $1, attempts = attempts + 1, updated_at = $2
    WHERE id IN (SELECT id FROM outbox
                 WHERE status = $4 AND next_attempt_at <= $2
                   AND (locked_until IS NULL OR locked_until <= $2)
                 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
    RETURNING id, kind, call_sid, payload, attempts";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped_with_jitter() {
        for attempt in 1..=12 {
            let delay = backoff(attempt);
            let full =
                FIRST_RETRY.saturating_mul(2u32.pow(u32::try_from(attempt - 1).unwrap())).min(LONGEST_RETRY);
            assert!(delay >= full / 2 && delay <= full, "attempt {attempt}: {delay:?}");
        }
        assert!(backoff(30) <= LONGEST_RETRY);
    }
}
