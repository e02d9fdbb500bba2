//! Who holds an item: claiming a batch under a lease, keeping the lease while the delivery
//! runs, and settling the item only if the lease is still ours.

use std::future::Future;

use rand::Rng;

use super::{BATCH, Claimed, DeliveryError, Lane, MAX_ATTEMPTS, Outbox, backoff};
use crate::call::effects::{OutsideWrite, WriteState};
use crate::db::{Engine, millis};

impl Outbox {
    fn lease_ends(&self) -> i64 {
        millis(self.clock.now())
            .saturating_add(i64::try_from(self.delivery.lease.as_millis()).unwrap_or(i64::MAX))
    }

    /// Claims a batch of the lane's due items under a new claim token, taking expired leases
    /// back, and counts the attempt.
    pub(super) async fn claim(&self, lane: Lane) -> Result<(Vec<Claimed>, String), sqlx::Error> {
        let token = format!("{:016x}", rand::rng().random::<u64>());
        let sql = match (self.db.engine, lane) {
            (Engine::Sqlite, Lane::Texts) => CLAIM_TEXTS_SQLITE,
            (Engine::Sqlite, Lane::Records) => CLAIM_RECORDS_SQLITE,
            (Engine::Sqlite, Lane::Mail) => CLAIM_MAIL_SQLITE,
            (Engine::Postgres, Lane::Texts) => CLAIM_TEXTS_POSTGRES,
            (Engine::Postgres, Lane::Records) => CLAIM_RECORDS_POSTGRES,
            (Engine::Postgres, Lane::Mail) => CLAIM_MAIL_POSTGRES,
        };
        let claimed = sqlx::query_as(sql)
            .bind(self.lease_ends())
            .bind(millis(self.clock.now()))
            .bind(BATCH)
            .bind(WriteState::Pending.as_str())
            .bind(OutsideWrite::SMS)
            .bind(&token)
            .bind(OutsideWrite::CALLER_TEXT)
            .bind(OutsideWrite::EMAIL_KIND)
            .fetch_all(&self.db.pool)
            .await?;
        Ok((claimed, token))
    }

    /// Runs `delivery`, renewing the item's lease every third of its length until it ends:
    /// a slow delivery is never taken over by another worker.
    pub(super) async fn while_leased<T>(
        &self,
        item: &Claimed,
        token: &str,
        delivery: impl Future<Output = Result<T, DeliveryError>>,
    ) -> Result<T, DeliveryError> {
        let renew = async {
            let mut tick = tokio::time::interval(self.delivery.lease / 3);
            tick.tick().await;
            loop {
                tick.tick().await;
                let renewed = sqlx::query("UPDATE outbox SET locked_until = $3 WHERE id = $1 AND claim = $2")
                    .bind(item.id)
                    .bind(token)
                    .bind(self.lease_ends())
                    .execute(&self.db.pool)
                    .await;
                if let Err(e) = renewed {
                    tracing::warn!(item = item.id, "outbox lease renewal failed: {e}");
                }
            }
        };
        tokio::select! {
            outcome = delivery => outcome,
            never = renew => never,
        }
    }

    /// Records the outcome, if the item is still this claim's (else another worker retook
    /// it after this one stalled past its lease, and its outcome stands).
    pub(super) async fn settle(
        &self,
        item: &Claimed,
        token: &str,
        payload: Option<&OutsideWrite>,
        outcome: Result<String, DeliveryError>,
    ) -> Result<(), sqlx::Error> {
        let now = millis(self.clock.now());
        let label = match &outcome {
            Ok(_) => WriteState::Delivered.as_str(),
            Err(DeliveryError::Retryable(_)) if item.attempts < MAX_ATTEMPTS => "retry",
            Err(_) => WriteState::Failed.as_str(),
        };
        // A number that cannot take texts is never texted again; a caller's text refused for
        // that is shown on the call, with nothing for staff to do.
        let mut follow_up = label == WriteState::Failed.as_str();
        if let (Err(DeliveryError::Unreachable { code, .. }), Some(write)) = (&outcome, payload) {
            if let OutsideWrite::Sms { to, .. } | OutsideWrite::CallerText { to, .. } = write {
                super::receipts::mark_unreachable(&self.db, to, *code, now).await?;
            }
            follow_up = !matches!(write, OutsideWrite::CallerText { .. });
        }
        self.metrics.delivered(item.kind.as_str(), label);
        let (status, next_attempt, external_id, error) = match outcome {
            Ok(external_id) => {
                tracing::info!(item = item.id, external_id, "outbox item delivered");
                (WriteState::Delivered, None, Some(external_id), None)
            }
            Err(DeliveryError::Retryable(error)) if item.attempts < MAX_ATTEMPTS => {
                tracing::warn!(
                    item = item.id,
                    attempt = item.attempts,
                    "outbox delivery failed, will retry: {error}"
                );
                let retry_at =
                    now.saturating_add(i64::try_from(backoff(item.attempts).as_millis()).unwrap_or(i64::MAX));
                (WriteState::Pending, Some(retry_at), None, Some(error))
            }
            Err(DeliveryError::Off(error)) => {
                tracing::info!(item = item.id, "outbox item not sent: {error}");
                (WriteState::Failed, None, None, Some(error))
            }
            Err(
                DeliveryError::Retryable(error)
                | DeliveryError::Permanent(error)
                | DeliveryError::Unreachable { message: error, .. },
            ) => {
                tracing::error!(
                    item = item.id,
                    attempt = item.attempts,
                    "outbox item failed for good: {error}"
                );
                (WriteState::Failed, None, None, Some(error))
            }
        };
        let mut tx = self.db.begin_write().await?;
        let settled = sqlx::query(
            "UPDATE outbox SET status = $3, next_attempt_at = COALESCE($4, next_attempt_at), external_id = $5,
                    last_error = $6, updated_at = $7, locked_until = NULL, claim = NULL,
                    delivered_at = CASE WHEN $3 = $8 THEN $7 ELSE delivered_at END
             WHERE id = $1 AND claim = $2",
        )
        .bind(item.id)
        .bind(token)
        .bind(status.as_str())
        .bind(next_attempt)
        .bind(external_id)
        .bind(error.as_deref())
        .bind(now)
        .bind(WriteState::Delivered.as_str())
        .execute(&mut *tx)
        .await?;
        if settled.rows_affected() == 0 {
            tracing::warn!(item = item.id, "outbox item was retaken by another worker; its outcome stands");
        } else if follow_up {
            self.follow_up_failed(&mut tx, item, payload, error.as_deref(), now).await?;
        }
        tx.commit().await
    }
}

// Claim one batch of the lane's due items, taking expired leases back, and count the attempt.
// $5 and $7 are the kinds of texts, $8 of an e-mail: the texts lane takes the first two, the
// mail lane the third, the records lane everything else. (Each statement names every kind:
// PostgreSQL infers a parameter's type from its use.)
macro_rules! claim_sql {
    ($kind:literal, $lock:literal) => {
        concat!(
            "UPDATE outbox SET locked_until = $1, attempts = attempts + 1, updated_at = $2, claim = $6
             WHERE id IN (SELECT id FROM outbox
                          WHERE status = $4 AND next_attempt_at <= $2 AND ",
            $kind,
            " AND (locked_until IS NULL OR locked_until <= $2)
                          ORDER BY id LIMIT $3",
            $lock,
            ")
             RETURNING id, kind, call_sid, payload, attempts"
        )
    };
}
const CLAIM_TEXTS_SQLITE: &str = claim_sql!("kind IN ($5, $7) AND kind <> $8", "");
const CLAIM_RECORDS_SQLITE: &str = claim_sql!("kind NOT IN ($5, $7, $8)", "");
const CLAIM_MAIL_SQLITE: &str = claim_sql!("kind = $8 AND kind NOT IN ($5, $7)", "");
// Several workers on one PostgreSQL: SKIP LOCKED keeps them from claiming the same row.
const CLAIM_TEXTS_POSTGRES: &str = claim_sql!("kind IN ($5, $7) AND kind <> $8", " FOR UPDATE SKIP LOCKED");
const CLAIM_RECORDS_POSTGRES: &str = claim_sql!("kind NOT IN ($5, $7, $8)", " FOR UPDATE SKIP LOCKED");
const CLAIM_MAIL_POSTGRES: &str = claim_sql!("kind = $8 AND kind NOT IN ($5, $7)", " FOR UPDATE SKIP LOCKED");
