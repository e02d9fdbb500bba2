//! The outbox: every write to the outside world, queued in the same transaction as the turn
//! that caused it and delivered in the background, so a caller never waits on it and a
//! crash or restart loses nothing.
//!
//! Three lanes deliver side by side: texts to on-call staff never wait behind a slow or hung
//! Rent Manager, nor behind the office's e-mail (whose summaries a model may take seconds to
//! write). A worker claims due items with
//! a lease (`locked_until`, `claim`) that it renews for as long as the delivery runs, so two
//! workers never deliver one item twice, and a worker that dies mid-delivery leaves its items
//! to be retaken when the lease runs out. Failures are retried with exponential backoff and
//! jitter, up to `MAX_ATTEMPTS`, then marked failed for staff to see. A service issue whose
//! create may have been saved before its answer was lost is looked for before it is created
//! again. Delivered items are never claimed again.

mod failed;
mod lease;
pub mod receipts;

use std::sync::Arc;
use std::time::Duration;

use futures::future::join_all;
use rand::Rng;

use crate::call::effects::{NewServiceIssue, NoteOn, OutsideWrite};
use crate::call::report::Email;
use crate::db::Db;
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
    /// Not sent because the office has not configured this channel: expected, not a fault,
    /// though the item is still kept as failed so staff see what was not sent.
    #[error("{0}")]
    Off(String),
    /// The number cannot receive texts (a landline, an unknown number, opted out), as the
    /// provider's `code` says: failed for good, and the number is never texted again.
    #[error("{message}")]
    Unreachable { code: i64, message: String },
}

/// One text to send.
pub struct Text<'a> {
    pub to: &'a str,
    /// A Twilio number or a Messaging Service SID (`MG...`).
    pub from: &'a str,
    pub body: &'a str,
    /// Where Twilio posts the message's delivery status (`/twilio/sms-status`).
    pub status_callback: Option<&'a str>,
}

/// Sends texts (Twilio's REST API); returns the message's id.
#[async_trait::async_trait]
pub trait Texts: Send + Sync {
    async fn send_sms(&self, text: &Text<'_>) -> Result<String, DeliveryError>;
}

/// Sends e-mail to the office (SMTP); returns the message's id.
#[async_trait::async_trait]
pub trait Mail: Send + Sync {
    async fn send(&self, email: &Email) -> Result<String, DeliveryError>;
}

/// Takes service issues and call notes: the office's system of record (Rent Manager).
#[async_trait::async_trait]
pub trait RecordKeeper: Send + Sync {
    /// Files the issue; returns its id there.
    async fn file_issue(&self, issue: &NewServiceIssue) -> Result<i64, DeliveryError>;
    /// The issue an earlier attempt filed under this marker, if it got that far.
    async fn find_issue(&self, marker: &str) -> Result<Option<i64>, DeliveryError>;
    async fn add_note(&self, on: NoteOn, note: &str) -> Result<(), DeliveryError>;
}

/// Where items go, and how long a worker may hold one.
#[derive(Clone)]
pub struct Delivery {
    pub texts: Option<Arc<dyn Texts>>,
    pub records: Option<Arc<dyn RecordKeeper>>,
    /// E-mail to the office (`SMTP_URL` and `OFFICE_EMAIL`).
    pub mail: Option<Arc<dyn Mail>>,
    /// The SMS sender; without it, the number the caller dialled (a Twilio number).
    pub sms_from: Option<String>,
    pub lease: Duration,
    /// Callers get a text after a request or a message, when texts can be sent
    /// (`CALLER_TEXTS`, on by default).
    pub caller_texts: bool,
    /// The URL Twilio posts texts' delivery statuses to (`PUBLIC_URL/twilio/sms-status`);
    /// without `PUBLIC_URL`, texts carry none and stay "accepted".
    pub status_callback: Option<String>,
}

impl Default for Delivery {
    fn default() -> Delivery {
        Delivery {
            texts: None,
            records: None,
            mail: None,
            sms_from: None,
            lease: LEASE,
            caller_texts: true,
            status_callback: None,
        }
    }
}

pub struct Outbox {
    db: Db,
    clock: Arc<dyn Clock>,
    delivery: Delivery,
    metrics: Arc<Metrics>,
}

/// The outbox's queues: texts (to on-call staff and to callers), writes to the system of
/// record, e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    Texts,
    Records,
    Mail,
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

    /// Delivers what is due now in every lane; returns how many items it attempted.
    pub async fn deliver_due(&self) -> Result<usize, sqlx::Error> {
        let (texts, records, mail) = tokio::join!(
            self.deliver_lane(Lane::Texts),
            self.deliver_lane(Lane::Records),
            self.deliver_lane(Lane::Mail)
        );
        Ok(texts? + records? + mail?)
    }

    /// Claims one batch of the lane's due items and delivers them: texts one after another,
    /// in the order they were written (on-call reads an emergency's page before its
    /// follow-up), and the system of record's writes and e-mails all at once (each is leased
    /// only while it runs, and a summary may wait seconds on the model).
    pub async fn deliver_lane(&self, lane: Lane) -> Result<usize, sqlx::Error> {
        let (claimed, token) = self.claim(lane).await?;
        match lane {
            Lane::Texts => {
                for item in &claimed {
                    self.deliver_claimed(item, &token).await?;
                }
            }
            Lane::Records | Lane::Mail => {
                let all = claimed.iter().map(|item| self.deliver_claimed(item, &token));
                join_all(all).await.into_iter().collect::<Result<Vec<()>, _>>()?;
            }
        }
        Ok(claimed.len())
    }

    async fn deliver_claimed(&self, item: &Claimed, token: &str) -> Result<(), sqlx::Error> {
        let payload = serde_json::from_str::<OutsideWrite>(&item.payload);
        let outcome = match &payload {
            Ok(payload) => self.while_leased(item, token, self.deliver(item, payload)).await,
            Err(e) => Err(DeliveryError::Permanent(format!("unreadable item: {e}"))),
        };
        self.settle(item, token, payload.ok().as_ref(), outcome).await
    }

    async fn deliver(&self, claimed: &Claimed, item: &OutsideWrite) -> Result<String, DeliveryError> {
        match item {
            OutsideWrite::Sms { to, body } => self.text(claimed, to, body).await,
            OutsideWrite::CallerText { to, body } => {
                if let Some(code) = receipts::unreachable(&self.db, to).await? {
                    return Err(DeliveryError::Unreachable {
                        code,
                        message: format!(
                            "not sent: an earlier text to this number failed for good (Twilio error {code}): \
                             it cannot receive texts"
                        ),
                    });
                }
                self.text(claimed, to, body).await
            }
            OutsideWrite::ServiceIssue(issue) => {
                let records = self.records()?;
                // An earlier attempt may have been saved and only its answer lost (a timeout):
                // find that issue rather than file a second one.
                if claimed.attempts > 1
                    && let Some(marker) = &issue.marker
                    && let Some(id) = records.find_issue(marker).await?
                {
                    return Ok(id.to_string());
                }
                Ok(records.file_issue(issue).await?.to_string())
            }
            OutsideWrite::HistoryNote { on, note } => {
                self.records()?.add_note(*on, note).await?;
                // Rent Manager does not return the new note's id.
                Ok("noted".into())
            }
            OutsideWrite::Email(email) => {
                let mail = self.delivery.mail.as_ref().ok_or_else(|| {
                    DeliveryError::Permanent("e-mail is not configured: set SMTP_URL and OFFICE_EMAIL".into())
                })?;
                mail.send(email).await
            }
        }
    }

    async fn text(&self, claimed: &Claimed, to: &str, body: &str) -> Result<String, DeliveryError> {
        let texts = self.delivery.texts.as_ref().ok_or_else(|| {
            DeliveryError::Off("texting is off: set TWILIO_ACCOUNT_SID to send texts".into())
        })?;
        let from = match &self.delivery.sms_from {
            Some(from) => from.clone(),
            None => self.dialled_number(claimed).await?,
        };
        let status_callback = self.delivery.status_callback.as_deref();
        texts.send_sms(&Text { to, from: &from, body, status_callback }).await
    }

    fn records(&self) -> Result<&dyn RecordKeeper, DeliveryError> {
        self.delivery
            .records
            .as_deref()
            .ok_or_else(|| DeliveryError::Off("Rent Manager is not configured: set RENT_MANAGER_URL".into()))
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

    /// Delivers forever, each lane on its own, a batch whenever one is due; started once per
    /// process.
    pub fn spawn(self: Arc<Self>) {
        for lane in [Lane::Texts, Lane::Records, Lane::Mail] {
            let outbox = self.clone();
            tokio::spawn(async move {
                loop {
                    match outbox.deliver_lane(lane).await {
                        Ok(n) if n > 0 => continue,
                        Ok(_) => {}
                        Err(e) => tracing::error!("outbox ({lane:?}): {e}"),
                    }
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            });
        }
    }
}

/// Exponential, capped, with jitter so that items failing together do not retry together.
fn backoff(attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    let full = FIRST_RETRY.saturating_mul(2u32.saturating_pow(exponent)).min(LONGEST_RETRY);
    full.mul_f64(rand::rng().random_range(0.5..=1.0))
}

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
