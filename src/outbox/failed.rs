//! An outside write that failed for good becomes a follow-up: a person files the service
//! issue by hand, or tells on-call. One per item, whichever worker settles it.

use sqlx::AnyConnection;

use super::receipts::SmsStatus;
use super::{Claimed, Outbox};
use crate::call::effects::OutsideWrite;
use crate::call::{FollowUpKind, Priority};

/// What failed, in words staff read, and whether it is urgent (on-call never got a text
/// about an emergency, or an emergency's service issue was not filed).
fn describe(write: Option<&OutsideWrite>) -> (String, bool) {
    match write {
        Some(OutsideWrite::Sms { .. }) => ("The text to on-call staff was not sent".into(), true),
        Some(OutsideWrite::CallerText { .. }) => ("The text to the caller was not sent".into(), false),
        Some(OutsideWrite::ServiceIssue(issue)) => (
            format!("The service issue \"{}\" was not filed in Rent Manager; file it by hand", issue.title),
            issue.priority == Priority::Emergency,
        ),
        Some(OutsideWrite::HistoryNote { .. }) => {
            ("The call's note was not added to the caller's history in Rent Manager".into(), false)
        }
        Some(OutsideWrite::Email(_)) => {
            ("The call's summary e-mail to the office was not sent".into(), false)
        }
        None => ("An outside write could not be read".into(), false),
    }
}

/// A text to on-call staff that Twilio took but the carrier did not deliver (its receipt said
/// undelivered or failed): on-call may not know of an emergency, so staff get an urgent
/// follow-up to call them. Receipts and the outbox's record of the message's id can arrive in
/// either order: this runs after both, and whichever comes second finds the pair.
pub async fn follow_up_undelivered(
    tx: &mut AnyConnection,
    message_sid: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO follow_ups (call_sid, turn, kind, urgent, caller_phone, caller_name, unit, body, texted,
                                 created_at, outbox_id)
         SELECT c.sid, 0, $2, $3, c.from_number, c.caller_name, c.unit,
                'The text to on-call staff was not delivered (' || r.status ||
                    COALESCE(', Twilio error ' || CAST(r.error_code AS TEXT), '') || '): call them', $4, $5, o.id
         FROM outbox o JOIN calls c ON c.sid = o.call_sid JOIN sms_receipts r ON r.message_sid = o.external_id
         WHERE o.external_id = $1 AND o.kind = $6 AND r.status IN ($7, $8)
         ON CONFLICT DO NOTHING",
    )
    .bind(message_sid)
    .bind(FollowUpKind::FailedWrite.as_str())
    .bind(true)
    .bind(false)
    .bind(now)
    .bind(OutsideWrite::SMS)
    .bind(SmsStatus::Undelivered.as_str())
    .bind(SmsStatus::Failed.as_str())
    .execute(tx)
    .await?;
    Ok(())
}

impl Outbox {
    /// Puts the failed item in the staff follow-up queue, with its call's caller.
    pub(super) async fn follow_up_failed(
        &self,
        tx: &mut AnyConnection,
        item: &Claimed,
        write: Option<&OutsideWrite>,
        error: Option<&str>,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let Some(sid) = &item.call_sid else { return Ok(()) };
        let (what, urgent) = describe(write);
        let tries = match item.attempts {
            1 => "1 try".to_string(),
            n => format!("{n} tries"),
        };
        let body = format!("{what} ({tries}): {}", error.unwrap_or("no reason given"));
        sqlx::query(
            "INSERT INTO follow_ups (call_sid, turn, kind, urgent, caller_phone, caller_name, unit, body, texted,
                                     created_at, outbox_id)
             SELECT c.sid, 0, $2, $3, c.from_number, c.caller_name, c.unit, $4, $5, $6, $7 FROM calls c WHERE c.sid = $1
             ON CONFLICT DO NOTHING",
        )
        .bind(sid)
        .bind(FollowUpKind::FailedWrite.as_str())
        .bind(urgent)
        .bind(body)
        .bind(false)
        .bind(now)
        .bind(item.id)
        .execute(tx)
        .await?;
        Ok(())
    }
}
