//! A call's state and history in SQL, so that any worker can answer any callback and a
//! restart between two callbacks loses nothing.

pub mod reference;

use sqlx::{Any, AnyConnection, Executor};

use super::effects::{OutsideWrite, WriteState};
use super::follow_up::{self, NewFollowUp};
use super::reader::Exchange;
use super::reading::Usage;
use super::{Action, Call, EventKind, Source, Turn};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("stored call state is unreadable: {0}")]
    State(#[from] serde_json::Error),
}

/// Where a call stands when one of its callbacks arrives.
pub enum Found {
    /// Never seen: its first callback (or a lost one) is creating it.
    Missing,
    /// This turn was answered already: a repeated callback gets the same TwiML, word for
    /// word, and changes nothing.
    Replied(String),
    Call(Box<Call>),
}

/// The call and whether this turn was answered already, in one query, without a lock.
pub async fn find<'e>(
    db: impl Executor<'e, Database = Any>,
    sid: &str,
    turn: u32,
) -> Result<Found, StoreError> {
    fetch(db, sid, turn).await
}

/// The same, holding the call's row lock until the transaction ends: callbacks of one call
/// queue up behind each other on any number of workers (on SQLite, `BEGIN IMMEDIATE`
/// already serialises every writer).
pub async fn find_locked(tx: &mut sqlx::AnyConnection, sid: &str, turn: u32) -> Result<Found, StoreError> {
    if tx.backend_name() == "PostgreSQL" {
        // Lock first, then look: a statement that waited for the lock still reads through
        // the snapshot it started with, and would miss the turn its twin just stored.
        sqlx::query("SELECT 1 FROM calls WHERE sid = $1 FOR UPDATE").bind(sid).execute(&mut *tx).await?;
    }
    fetch(tx, sid, turn).await
}

async fn fetch<'e>(db: impl Executor<'e, Database = Any>, sid: &str, turn: u32) -> Result<Found, StoreError> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT c.state, (SELECT t.twiml FROM turns t WHERE t.call_sid = c.sid AND t.turn = $2)
         FROM calls c WHERE c.sid = $1",
    )
    .bind(sid)
    .bind(i64::from(turn))
    .fetch_optional(db)
    .await?;
    Ok(match row {
        None => Found::Missing,
        Some((_, Some(twiml))) => Found::Replied(twiml),
        Some((state, None)) => Found::Call(Box::new(serde_json::from_str(&state)?)),
    })
}

/// The last exchanges of a call, oldest first, for the model's window.
pub async fn history<'e>(
    db: impl Executor<'e, Database = Any>,
    sid: &str,
    limit: usize,
) -> Result<Vec<Exchange>, StoreError> {
    let mut rows: Vec<(Option<String>, String)> = sqlx::query_as(
        "SELECT caller_text, reply_text FROM turns WHERE call_sid = $1 ORDER BY turn DESC LIMIT $2",
    )
    .bind(sid)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(db)
    .await?;
    rows.reverse();
    Ok(rows.into_iter().map(|(caller, assistant)| Exchange { caller, assistant }).collect())
}

/// The Twilio side of a call, as its first webhook describes it.
pub struct Line<'a> {
    pub sid: &'a str,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

/// Creates a call's row, in the write transaction that found it missing; a twin callback
/// that got there first wins and this one does nothing.
pub async fn create(
    tx: &mut sqlx::AnyConnection,
    line: &Line<'_>,
    fresh: &Call,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO calls (sid, from_number, to_number, caller_kind, caller_name, unit, stage, state,
                            outcome, next_turn, started_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $10)
         ON CONFLICT (sid) DO NOTHING",
    )
    .bind(line.sid)
    .bind(line.from)
    .bind(line.to)
    .bind(fresh.caller.kind.as_str())
    .bind(fresh.caller.name.as_deref())
    .bind(fresh.caller.unit.as_deref())
    .bind(fresh.stage.name())
    .bind(serde_json::to_string(fresh)?)
    .bind(fresh.outcomes.label().as_str())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// One turn as it is recorded: what was heard, what was answered, and how.
pub struct Record<'a> {
    pub turn: u32,
    pub event: EventKind,
    pub heard: Option<&'a str>,
    pub confidence: Option<f64>,
    pub source: Source,
    /// Why the model did not read this turn, when it was asked and failed.
    pub model_error: Option<&'a str>,
    /// Why the model's proposed line was not spoken (the rules' line was).
    pub line_declined: Option<&'a str>,
    pub usage: Option<Usage>,
    /// Time spent reading the caller (the model's wait, when it was asked).
    pub brain_ms: Option<i64>,
    pub latency_ms: i64,
    /// Whether the model was asked (`None`: no speech, or no model), and why not.
    pub model_asked: Option<bool>,
    pub model_skipped: Option<&'a str>,
    /// Where the reading used started: `partial` (speculative) or `final`.
    pub read_from: Option<&'a str>,
    /// The hold lines played before the answer, as a JSON array (never counted as said).
    pub hold_lines: Option<&'a str>,
    pub reply: &'a Turn,
    pub twiml: &'a str,
    /// What the turn causes outside frontdesk, queued with it.
    pub writes: &'a [OutsideWrite],
}

/// Stores the call's new state, the turn, the records it produced and its outside writes. Run it inside the
/// write transaction that loaded the call, so a twin callback cannot interleave.
pub async fn save(
    tx: &mut sqlx::AnyConnection,
    sid: &str,
    call: &Call,
    record: &Record<'_>,
    now: i64,
) -> Result<(), StoreError> {
    update(&mut *tx, sid, call, Some(record.turn.saturating_add(1)), now).await?;
    // sqlx 0.9.0's Any driver declares a NULL f64 as float4 (it swaps Real and Double), and
    // PostgreSQL keeps a cached statement's first declaration: this one binds an optional f64
    // (the confidence), so on PostgreSQL it is prepared afresh each time.
    let cacheable = tx.backend_name() != "PostgreSQL";
    sqlx::query(
        "INSERT INTO turns (call_sid, turn, event, caller_text, confidence, reply_text, stage, source,
                            model_error, line_declined, prompt_tokens, completion_tokens, brain_ms, latency_ms,
                            twiml, created_at, model_asked, model_skipped, read_from, hold_lines)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
    )
    .bind(sid)
    .bind(i64::from(record.turn))
    .bind(record.event.as_str())
    .bind(record.heard)
    .bind(record.confidence)
    .bind(record.reply.say.iter().chain(&record.reply.invite).cloned().collect::<Vec<_>>().join(" "))
    .bind(call.stage.name())
    .bind(record.source.as_str())
    .bind(record.model_error)
    .bind(record.line_declined)
    .bind(record.usage.map(|u| i64::from(u.prompt_tokens)))
    .bind(record.usage.map(|u| i64::from(u.completion_tokens)))
    .bind(record.brain_ms)
    .bind(record.latency_ms)
    .bind(record.twiml)
    .bind(now)
    .bind(record.model_asked)
    .bind(record.model_skipped)
    .bind(record.read_from)
    .bind(record.hold_lines)
    .persistent(cacheable)
    .execute(&mut *tx)
    .await?;
    keep_all(&mut *tx, sid, call, record.turn, &record.reply.actions, record.writes, now).await
}

/// Keeps what a turn's actions leave for staff and queues its outside writes.
pub async fn keep_all(
    tx: &mut sqlx::AnyConnection,
    sid: &str,
    call: &Call,
    turn: u32,
    actions: &[Action],
    writes: &[OutsideWrite],
    now: i64,
) -> Result<(), StoreError> {
    for action in actions {
        keep(&mut *tx, sid, call, turn, action, now).await?;
    }
    for left in follow_up::of_actions(actions) {
        keep_follow_up(&mut *tx, sid, call, turn, &left, now).await?;
    }
    for write in writes {
        queue(&mut *tx, sid, write, now).await?;
    }
    Ok(())
}

/// The number the call's next turn would have: what a hang-up's records are filed under.
pub async fn next_turn(tx: &mut sqlx::AnyConnection, sid: &str) -> Result<u32, StoreError> {
    let next: i64 =
        sqlx::query_scalar("SELECT next_turn FROM calls WHERE sid = $1").bind(sid).fetch_one(tx).await?;
    Ok(u32::try_from(next).unwrap_or(u32::MAX))
}

/// Puts an outside write in the outbox, inside the transaction of the turn that caused it:
/// it is delivered exactly when the turn is stored (`outbox` takes it from there). A call
/// texts its caller once: a second request in the same call adds no second text.
pub async fn queue(
    tx: &mut AnyConnection,
    sid: &str,
    write: &OutsideWrite,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO outbox (call_sid, kind, payload, status, attempts, next_attempt_at, created_at, updated_at)
         SELECT $1, $2, $3, $4, 0, $5, $5, $5
         WHERE $2 <> $6 OR NOT EXISTS (SELECT 1 FROM outbox WHERE call_sid = $1 AND kind = $6)",
    )
    .bind(sid)
    .bind(write.kind())
    .bind(serde_json::to_string(write)?)
    .bind(WriteState::Pending.as_str())
    .bind(now)
    .bind(OutsideWrite::CALLER_TEXT)
    .execute(tx)
    .await?;
    Ok(())
}

/// Writes the state alone (a status callback ends a call without a turn).
pub async fn update<'e>(
    db: impl Executor<'e, Database = Any>,
    sid: &str,
    call: &Call,
    next_turn: Option<u32>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE calls SET stage = $2, state = $3, outcome = $4,
                          next_turn = COALESCE($5, next_turn), updated_at = $6,
                          emergency = $7, service_issue = $8, transferred = $9, message = $10,
                          language = $11
         WHERE sid = $1",
    )
    .bind(sid)
    .bind(call.stage.name())
    .bind(serde_json::to_string(call)?)
    .bind(call.outcomes.label().as_str())
    .bind(next_turn.map(i64::from))
    .bind(now)
    .bind(call.outcomes.emergency)
    .bind(call.outcomes.service_issue)
    .bind(call.outcomes.transferred)
    .bind(call.outcomes.message)
    .bind(call.language.as_str())
    .execute(db)
    .await?;
    Ok(())
}

/// Marks the call ended; `true` the first time (status callbacks can repeat).
pub async fn finish<'e>(
    db: impl Executor<'e, Database = Any>,
    sid: &str,
    duration_s: Option<i64>,
    now: i64,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE calls SET ended_at = $2, duration_s = $3 WHERE sid = $1 AND ended_at IS NULL")
            .bind(sid)
            .bind(now)
            .bind(duration_s)
            .execute(db)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// `Some(duration)` once the call's end is recorded (`finish`), `None` before.
pub async fn ended(tx: &mut AnyConnection, sid: &str) -> Result<Option<Option<i64>>, StoreError> {
    let row: Option<(Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT ended_at, duration_s FROM calls WHERE sid = $1")
            .bind(sid)
            .fetch_optional(tx)
            .await?;
    Ok(row.and_then(|(ended_at, duration_s)| ended_at.map(|_| duration_s)))
}

/// What the caller said first, for summaries.
pub async fn first_words<'e>(
    db: impl Executor<'e, Database = Any>,
    sid: &str,
) -> Result<Option<String>, StoreError> {
    let words: Option<String> = sqlx::query_scalar(
        "SELECT caller_text FROM turns WHERE call_sid = $1 AND caller_text IS NOT NULL ORDER BY turn LIMIT 1",
    )
    .bind(sid)
    .fetch_optional(db)
    .await?;
    Ok(words)
}

async fn keep(
    tx: &mut sqlx::AnyConnection,
    sid: &str,
    call: &Call,
    turn: u32,
    action: &Action,
    now: i64,
) -> Result<(), StoreError> {
    let caller = &call.caller;
    let phone = caller.phone.as_ref().map(|p| p.e164());
    match action {
        Action::FileServiceIssue(issue) => {
            sqlx::query(
                "INSERT INTO service_issues (call_sid, turn, priority, caller_phone, caller_name, unit,
                     property, problem, location, entry_permission, callback, hazard, created_at,
                     unconfirmed_unit, summary, access_note)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            )
            .bind(sid)
            .bind(i64::from(turn))
            .bind(issue.priority.as_str())
            .bind(phone)
            .bind(caller.name.as_deref())
            .bind(caller.unit.as_deref())
            .bind(issue.property.as_deref().or(caller.property.as_deref()))
            .bind(&issue.problem)
            .bind(issue.location.as_deref())
            .bind(issue.entry)
            .bind(issue.callback.as_ref().map(|p| p.e164()))
            .bind(issue.hazard.map(|h| h.describe()))
            .bind(now)
            .bind(issue.unconfirmed.as_deref())
            .bind(&issue.summary)
            .bind(issue.access.as_deref())
            .execute(&mut *tx)
            .await?;
        }
        // A page is an outside write only (see `effects`).
        Action::PageOnCall { .. } => {}
        // Follow-ups are kept from every action together (`follow_up::of_actions`).
        Action::FollowUp(_) | Action::Unfinished(_) => {}
        Action::TakeMessage { body, summary, kind, .. } => {
            sqlx::query(
                "INSERT INTO messages (call_sid, turn, caller_phone, caller_name, body, kind, created_at, summary)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(sid)
            .bind(i64::from(turn))
            .bind(phone)
            .bind(caller.name.as_deref())
            .bind(body)
            .bind(kind.as_str())
            .bind(now)
            .bind(summary)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// One thing a person must do, in the staff follow-up queue (an unanswered emergency comes
/// first there, marked urgent, whether or not it could also be texted).
async fn keep_follow_up(
    tx: &mut sqlx::AnyConnection,
    sid: &str,
    call: &Call,
    turn: u32,
    left: &NewFollowUp,
    now: i64,
) -> Result<(), StoreError> {
    let caller = &call.caller;
    sqlx::query(
        "INSERT INTO follow_ups (call_sid, turn, kind, urgent, hazard, caller_phone, caller_name, unit,
             callback, body, texted, created_at, for_whom)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(sid)
    .bind(i64::from(turn))
    .bind(left.kind.as_str())
    .bind(left.urgent)
    .bind(left.hazard.map(|h| h.describe()))
    .bind(caller.phone.as_ref().map(|p| p.e164()))
    .bind(caller.name.as_deref())
    .bind(caller.unit.as_deref())
    .bind(left.callback.as_ref().map(|p| p.e164()))
    .bind(&left.body)
    .bind(left.texted)
    .bind(now)
    .bind(left.for_whom.as_deref())
    .execute(&mut *tx)
    .await?;
    Ok(())
}
