//! An outside write that failed for good becomes a follow-up: a person files the service
//! issue by hand, or tells on-call. One per item, whichever worker settles it.

use sqlx::AnyConnection;

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
