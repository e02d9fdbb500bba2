//! E-mail to the office on the dashboard: whether it is on, where it goes, what waits in the
//! outbox, and how the last deliveries went (kept in the database by every worker).

use serde::Serialize;

use super::local_time;
use crate::App;
use crate::call::effects::{OutsideWrite, WriteState};
use crate::mail::health;

#[derive(Serialize)]
pub struct Email {
    pub configured: bool,
    /// The recipients (`OFFICE_EMAIL`).
    pub to: Option<String>,
    /// When the daily digest goes, in the office's time; none when it is off.
    pub digest_at: Option<String>,
    /// Waiting in the outbox: not sent yet, or retrying.
    pub queued: i64,
    /// Given up on after the outbox's retries, or refused for good by the server.
    pub failed: i64,
    pub last_success: Option<String>,
    pub last_failure: Option<String>,
    pub last_error: Option<String>,
    /// The last attempt failed, or an e-mail was given up on.
    pub failing: bool,
}

pub async fn status(app: &App) -> Result<Email, sqlx::Error> {
    let (queued, failed): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN status = $2 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN status = $3 THEN 1 ELSE 0 END), 0)
         FROM outbox WHERE kind = $1",
    )
    .bind(OutsideWrite::EMAIL_KIND)
    .bind(WriteState::Pending.as_str())
    .bind(WriteState::Failed.as_str())
    .fetch_one(&app.db.pool)
    .await?;
    let health = health::read(&app.db).await?;
    let last_failed = match (health.last_failure_at, health.last_success_at) {
        (Some(failure), Some(success)) => failure >= success,
        (failure, _) => failure.is_some(),
    };
    Ok(Email {
        failing: failed > 0 || last_failed,
        configured: app.mail.is_some(),
        to: app.mail.as_ref().map(|mail| mail.recipients()),
        digest_at: app.mail.as_ref().and_then(|mail| mail.digest_at).map(|at| at.format("%H:%M").to_string()),
        queued,
        failed,
        last_success: health.last_success_at.map(|ms| local_time(app, ms)),
        last_failure: health.last_failure_at.map(|ms| local_time(app, ms)),
        last_error: health.last_error,
    })
}
