//! Texts after Twilio accepted them: accepted is not delivered. Twilio posts each message's
//! status to `/twilio/sms-status` (the `twilio` adapter checks its signature and parses it);
//! here they are kept by Message SID, the furthest status winning, since callbacks can
//! arrive out of order and before the outbox has stored the SID. Numbers Twilio says cannot
//! take texts are remembered, and never texted again.

use std::str::FromStr;

use crate::call::column_text;
use crate::db::Db;

/// A message's status, as Twilio names it (`MessageStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum SmsStatus {
    Accepted,
    Scheduled,
    Queued,
    Sending,
    Sent,
    Delivered,
    Undelivered,
    Failed,
    Canceled,
    Read,
}

column_text!(SmsStatus);

impl SmsStatus {
    /// How far along a message is: a status never replaces one further along.
    fn rank(self) -> i64 {
        match self {
            SmsStatus::Accepted | SmsStatus::Scheduled => 0,
            SmsStatus::Queued => 1,
            SmsStatus::Sending => 2,
            SmsStatus::Sent => 3,
            SmsStatus::Delivered | SmsStatus::Undelivered | SmsStatus::Failed | SmsStatus::Canceled => 4,
            SmsStatus::Read => 5,
        }
    }

    /// Twilio's word for a status, or `None` for one frontdesk does not know.
    pub fn parse(status: &str) -> Option<SmsStatus> {
        SmsStatus::from_str(status).ok()
    }

    /// The message did not reach the phone.
    pub fn failed(self) -> bool {
        matches!(self, SmsStatus::Undelivered | SmsStatus::Failed)
    }
}

/// One status callback: the message, where it stands, and Twilio's error code if it failed.
pub struct Receipt<'a> {
    pub message_sid: &'a str,
    pub status: SmsStatus,
    pub error_code: Option<i64>,
    /// The number it went to, when Twilio says it cannot receive texts.
    pub unreachable: Option<&'a str>,
}

// The stored status's rank, as `SmsStatus::rank` gives it: an update only moves forward.
const RANK: &str =
    "CASE sms_receipts.status WHEN 'accepted' THEN 0 WHEN 'scheduled' THEN 0 WHEN 'queued' THEN 1
     WHEN 'sending' THEN 2 WHEN 'sent' THEN 3 WHEN 'read' THEN 5 ELSE 4 END";

/// Keeps a status callback.
pub async fn record(db: &Db, receipt: &Receipt<'_>, now: i64) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO sms_receipts (message_sid, status, error_code, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (message_sid) DO UPDATE SET status = excluded.status, error_code = excluded.error_code,
                                                 updated_at = excluded.updated_at
         WHERE {RANK} <= $5"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(receipt.message_sid)
        .bind(receipt.status.as_str())
        .bind(receipt.error_code)
        .bind(now)
        .bind(receipt.status.rank())
        .execute(&db.pool)
        .await?;
    if let (Some(phone), Some(code)) = (receipt.unreachable, receipt.error_code) {
        mark_unreachable(db, phone, code, now).await?;
    }
    Ok(())
}

/// Remembers that `phone` cannot receive texts (Twilio's `code` said so).
pub async fn mark_unreachable(db: &Db, phone: &str, code: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sms_unreachable (phone, error_code, at) VALUES ($1, $2, $3)
         ON CONFLICT (phone) DO UPDATE SET error_code = excluded.error_code, at = excluded.at",
    )
    .bind(phone)
    .bind(code)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The code Twilio gave when it said `phone` cannot receive texts, if it has.
pub async fn unreachable(db: &Db, phone: &str) -> Result<Option<i64>, super::DeliveryError> {
    sqlx::query_scalar("SELECT error_code FROM sms_unreachable WHERE phone = $1")
        .bind(phone)
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| super::DeliveryError::Retryable(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_status_never_gives_way_to_an_earlier_one() {
        use SmsStatus::*;
        let order = [Accepted, Queued, Sending, Sent, Delivered];
        assert!(order.windows(2).all(|w| w[0].rank() < w[1].rank()));
        assert_eq!(Undelivered.rank(), Delivered.rank());
        // The SQL's CASE gives every status the same rank as `rank`.
        for status in
            [Accepted, Scheduled, Queued, Sending, Sent, Delivered, Undelivered, Failed, Canceled, Read]
        {
            let word = format!("'{}'", status.as_str());
            let ranked = RANK.split("WHEN ").skip(1).find(|arm| arm.starts_with(&word));
            let rank =
                ranked.map_or(4, |arm| arm.split("THEN ").nth(1).unwrap().trim()[..1].parse().unwrap());
            assert_eq!(rank, status.rank(), "{status:?}");
        }
        assert_eq!(SmsStatus::parse("undelivered"), Some(Undelivered));
        assert_eq!(SmsStatus::parse("receiving"), None);
    }
}
