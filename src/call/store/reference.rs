//! A call's reference in SQL: which one it has, a free one to offer, claiming it, and
//! linking a later call to the call whose reference its caller said.
//!
//! `call_references` holds one row per reference, naming the call that holds it: two calls
//! can never hold one at once (the primary key), on any number of workers. A reference is
//! free again only once its holder is older than `KEPT_DAYS` and has no open follow-up.

use sqlx::{Any, AnyConnection, Executor};

use super::StoreError;
use crate::call::reference::{self, KEPT_DAYS};

/// Random picks looked at before a turn goes without a reference (with a tenth of all
/// references held, twelve misses in a row happen once in a trillion turns).
const TRIES: usize = 12;

/// The reference a turn may speak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offered {
    /// The call's own, claimed by an earlier turn.
    Own(String),
    /// Free when it was looked at: claimed only if this turn leaves something behind.
    Candidate(String),
}

impl Offered {
    pub fn digits(&self) -> &str {
        match self {
            Offered::Own(digits) | Offered::Candidate(digits) => digits,
        }
    }
}

fn kept_since(now: i64) -> i64 {
    now.saturating_sub(KEPT_DAYS * 86_400_000)
}

/// The call's reference, if it has one.
pub async fn of_call<'e>(
    db: impl Executor<'e, Database = Any>,
    sid: &str,
) -> Result<Option<String>, StoreError> {
    let reference: Option<Option<String>> =
        sqlx::query_scalar("SELECT reference FROM calls WHERE sid = $1").bind(sid).fetch_optional(db).await?;
    Ok(reference.flatten())
}

/// A reference free now, for a turn that leaves something behind.
pub async fn free(tx: &mut AnyConnection, sid: &str, now: i64) -> Result<Option<Offered>, StoreError> {
    for _ in 0..TRIES {
        let candidate = reference::from_random(rand::random());
        let held: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM call_references r
             WHERE r.reference = $1
               AND (r.assigned_at >= $2
                    OR EXISTS (SELECT 1 FROM follow_ups f WHERE f.call_sid = r.call_sid AND f.resolved_at IS NULL))",
        )
        .bind(&candidate)
        .bind(kept_since(now))
        .fetch_one(&mut *tx)
        .await?;
        if held == 0 {
            return Ok(Some(Offered::Candidate(candidate)));
        }
    }
    tracing::warn!(call = sid, "no free call reference found: this turn goes without one");
    Ok(None)
}

/// Makes `candidate` the call's reference; `false` if another call took it meanwhile.
pub async fn claim(tx: &mut AnyConnection, sid: &str, candidate: &str, now: i64) -> Result<bool, StoreError> {
    let claimed = sqlx::query(
        "INSERT INTO call_references (reference, call_sid, assigned_at) VALUES ($1, $2, $3)
         ON CONFLICT (reference) DO UPDATE SET call_sid = excluded.call_sid, assigned_at = excluded.assigned_at
         WHERE call_references.assigned_at < $4
           AND NOT EXISTS (SELECT 1 FROM follow_ups f
                           WHERE f.call_sid = call_references.call_sid AND f.resolved_at IS NULL)",
    )
    .bind(candidate)
    .bind(sid)
    .bind(now)
    .bind(kept_since(now))
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("UPDATE calls SET reference = $2 WHERE sid = $1")
        .bind(sid)
        .bind(candidate)
        .execute(&mut *tx)
        .await?;
    Ok(true)
}

/// The caller of `sid` said `reference`: links this call to the call holding it, if that is
/// another call; `true` when it is (linked now or before).
pub async fn link(tx: &mut AnyConnection, sid: &str, reference: &str, now: i64) -> Result<bool, StoreError> {
    let holder: Option<String> =
        sqlx::query_scalar("SELECT call_sid FROM call_references WHERE reference = $1")
            .bind(reference)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(earlier) = holder.filter(|earlier| earlier != sid) else { return Ok(false) };
    sqlx::query(
        "INSERT INTO call_links (call_sid, earlier_sid, reference, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (call_sid, earlier_sid) DO NOTHING",
    )
    .bind(sid)
    .bind(&earlier)
    .bind(reference)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(true)
}
