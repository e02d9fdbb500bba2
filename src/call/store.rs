//! A call's state and history in SQL, so that any worker can answer any callback and a
//! restart between two callbacks loses nothing.

use sqlx::{Any, Executor};

use crate::brain::prompt::Exchange;
use crate::call::lines::quote;
use crate::call::{Action, Call, ServiceIssue, Turn};
use crate::outbox::{self, Item};
use crate::rent_manager::NewServiceIssue;

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
    .bind(fresh.outcomes.label())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// One turn as it is recorded: what was heard, what was answered, and how.
pub struct Record<'a> {
    pub turn: u32,
    pub event: &'static str,
    pub heard: Option<&'a str>,
    pub confidence: Option<f64>,
    pub source: &'static str,
    pub model_error: Option<&'a str>,
    pub usage: Option<crate::brain::Usage>,
    /// Time spent reading the caller (the model's wait, when it was asked).
    pub brain_ms: Option<i64>,
    pub latency_ms: i64,
    pub reply: &'a Turn,
    pub twiml: &'a str,
    /// Service issues also go to Rent Manager (through the outbox).
    pub to_rent_manager: bool,
}

/// Stores the call's new state, the turn and the records it produced. Run it inside the
/// write transaction that loaded the call, so a twin callback cannot interleave.
pub async fn save(
    tx: &mut sqlx::AnyConnection,
    sid: &str,
    call: &Call,
    record: &Record<'_>,
    now: i64,
) -> Result<(), StoreError> {
    update(&mut *tx, sid, call, Some(record.turn + 1), now).await?;
    // sqlx 0.9.0's Any driver declares a NULL f64 as float4 (it swaps Real and Double), and
    // PostgreSQL keeps a cached statement's first declaration: this one binds an optional f64
    // (the confidence), so on PostgreSQL it is prepared afresh each time.
    let cacheable = tx.backend_name() != "PostgreSQL";
    sqlx::query(
        "INSERT INTO turns (call_sid, turn, event, caller_text, confidence, reply_text, stage, source,
                            model_error, prompt_tokens, completion_tokens, brain_ms, latency_ms, twiml, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(sid)
    .bind(i64::from(record.turn))
    .bind(record.event)
    .bind(record.heard)
    .bind(record.confidence)
    .bind(record.reply.say.join(" "))
    .bind(call.stage.name())
    .bind(record.source)
    .bind(record.model_error)
    .bind(record.usage.map(|u| i64::from(u.prompt_tokens)))
    .bind(record.usage.map(|u| i64::from(u.completion_tokens)))
    .bind(record.brain_ms)
    .bind(record.latency_ms)
    .bind(record.twiml)
    .bind(now)
    .persistent(cacheable)
    .execute(&mut *tx)
    .await?;
    for action in &record.reply.actions {
        keep(&mut *tx, sid, call, record.turn, action, now).await?;
        if let (Action::FileServiceIssue(issue), true) = (action, record.to_rent_manager) {
            let item = Item::ServiceIssue(for_rent_manager(sid, &call.caller, issue));
            outbox::enqueue(&mut *tx, Some(sid), &item, now).await?;
        }
    }
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
                          emergency = $7, service_issue = $8, transferred = $9, message = $10
         WHERE sid = $1",
    )
    .bind(sid)
    .bind(call.stage.name())
    .bind(serde_json::to_string(call)?)
    .bind(call.outcomes.label())
    .bind(next_turn.map(i64::from))
    .bind(now)
    .bind(call.outcomes.emergency)
    .bind(call.outcomes.service_issue)
    .bind(call.outcomes.transferred)
    .bind(call.outcomes.message)
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

/// A service issue as Rent Manager gets it: a short title, the caller's own words and every
/// read-back detail in the description, linked to what Rent Manager knows of the caller.
fn for_rent_manager(sid: &str, caller: &crate::call::Caller, issue: &ServiceIssue) -> NewServiceIssue {
    let what = issue.hazard.map_or_else(|| quote(&issue.problem), |h| h.describe().to_string());
    let mut title: String = what.chars().take(60).collect();
    if let Some(first) = title.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let mut description = format!("Caller's words: \"{}\".", issue.problem.trim());
    if let Some(location) = &issue.location {
        description += &format!(" Where: {location}.");
    }
    if let Some(entry) = issue.entry {
        description +=
            if entry { " Permission to enter: yes." } else { " Permission to enter: no, only when home." };
    }
    if let Some(callback) = &issue.callback {
        description += &format!(" Callback: {}.", callback.spoken());
    }
    if let Some(name) = &caller.name {
        description += &format!(" Caller: {name}.");
    }
    description += &format!(" Taken by phone by frontdesk (call {sid}).");
    NewServiceIssue {
        title,
        description,
        allowed_to_enter: issue.entry,
        priority: issue.priority,
        records: caller.records.clone().unwrap_or_default(),
    }
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
                     property, problem, location, entry_permission, callback, hazard, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
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
            .execute(&mut *tx)
            .await?;
        }
        Action::PageOnCall { to, body } => {
            for phone in to {
                let item = Item::Sms { to: phone.e164().to_string(), body: body.clone() };
                outbox::enqueue(&mut *tx, Some(sid), &item, now).await?;
            }
        }
        Action::TakeMessage { body, kind } => {
            sqlx::query(
                "INSERT INTO messages (call_sid, turn, caller_phone, caller_name, body, kind, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(sid)
            .bind(i64::from(turn))
            .bind(phone)
            .bind(caller.name.as_deref())
            .bind(body)
            .bind(kind.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}
