//! How e-mail delivery has gone, kept in the database so that every worker's dashboard shows
//! the same: the last success, the last failure and its error.

use chrono::{DateTime, Utc};

use crate::db::{Db, millis};

/// The `delivery_health` row e-mail keeps.
const CHANNEL: &str = "email";

/// The last outcomes, as stored.
#[derive(Debug, Default, Clone, PartialEq, sqlx::FromRow)]
pub struct Health {
    pub last_success_at: Option<i64>,
    pub last_failure_at: Option<i64>,
    pub last_error: Option<String>,
}

/// Records one SMTP attempt: a success, or a failure and why. A failure to record it is only
/// logged: the e-mail's own outcome is the outbox's business.
pub async fn record(db: &Db, now: DateTime<Utc>, failure: Option<&str>) {
    let now = millis(now);
    let (success_at, failure_at) = match failure {
        None => (Some(now), None),
        Some(_) => (None, Some(now)),
    };
    let recorded = sqlx::query(
        "INSERT INTO delivery_health (channel, last_success_at, last_failure_at, last_error)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel) DO UPDATE SET
             last_success_at = COALESCE(excluded.last_success_at, delivery_health.last_success_at),
             last_failure_at = COALESCE(excluded.last_failure_at, delivery_health.last_failure_at),
             last_error = COALESCE(excluded.last_error, delivery_health.last_error)",
    )
    .bind(CHANNEL)
    .bind(success_at)
    .bind(failure_at)
    .bind(failure)
    .execute(&db.pool)
    .await;
    if let Err(e) = recorded {
        tracing::warn!("could not record how an e-mail delivery went: {e}");
    }
}

/// The last outcomes; all empty before the first attempt.
pub async fn read(db: &Db) -> Result<Health, sqlx::Error> {
    let found = sqlx::query_as(
        "SELECT last_success_at, last_failure_at, last_error FROM delivery_health WHERE channel = $1",
    )
    .bind(CHANNEL)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.unwrap_or_default())
}
