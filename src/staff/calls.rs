//! Calls: the searchable list, one call's transcript and records, and CSV exports.

use std::str::FromStr;

use chrono::{Days, NaiveDate, TimeZone};
use rocket::form::FromForm;
use rocket::http::{ContentType, Header};
use rocket::response::content::RawHtml;
use rocket::{Responder, Route, State, get, routes};
use serde::Serialize;
use serde_json::json;

use super::auth::{Csrf, StaffUser};
use super::follow_ups::text_state;
use super::{PageError, local_time};
use crate::App;
use crate::call::effects::OutsideWrite;
use crate::call::{CallerKind, EventKind, Language, Outcome, Source, reference};
use crate::db::Engine;
use crate::phone::Phone;

pub fn routes() -> Vec<Route> {
    routes![get_calls, get_calls_csv, get_call, get_transcript_csv]
}

const PAGE: i64 = 25;
const EXPORT_LIMIT: i64 = 10_000;

/// The list's filters, as the search form submits them.
#[derive(Debug, Default, Clone, FromForm, Serialize)]
pub struct Filters {
    q: Option<String>,
    /// `YYYY-MM-DD`, inclusive, in the office's time zone.
    from: Option<String>,
    to: Option<String>,
    kind: Option<String>,
    outcome: Option<String>,
    page: Option<i64>,
}

#[derive(sqlx::FromRow, Serialize)]
struct CallRow {
    sid: String,
    from_number: Option<String>,
    caller_name: Option<String>,
    caller_kind: String,
    unit: Option<String>,
    started_at: i64,
    duration_s: Option<i64>,
    outcome: String,
    model_turns: i64,
    speech_turns: i64,
    /// The digits a caller says back, when the call left something behind.
    reference: Option<String>,
}

#[derive(Serialize)]
struct ListedCall {
    #[serde(flatten)]
    row: CallRow,
    time: String,
    duration: String,
    brain: &'static str,
}

#[derive(Responder)]
struct Csv {
    body: String,
    kind: ContentType,
    disposition: Header<'static>,
}

/// Every export is written here, so every cell passes through `inert`.
fn csv(name: &str, rows: Vec<Vec<String>>) -> Result<Csv, PageError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(row.iter().map(|cell| inert(cell))).map_err(|e| PageError::Csv(e.to_string()))?;
    }
    let bytes = writer.into_inner().map_err(|e| PageError::Csv(e.to_string()))?;
    Ok(Csv {
        body: String::from_utf8_lossy(&bytes).into_owned(),
        kind: ContentType::CSV,
        disposition: Header::new("Content-Disposition", format!("attachment; filename=\"{name}\"")),
    })
}

/// A cell a spreadsheet will not run: callers choose what they say and Rent Manager's names
/// are anyone's to type, and Excel or Sheets treat a cell starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return as a formula. The usual leading apostrophe makes it text (a
/// phone number reads `'+17185550101`).
fn inert(cell: &str) -> String {
    match cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        true => format!("'{cell}"),
        false => cell.to_string(),
    }
}

#[get("/calls?<filters..>")]
async fn get_calls(
    app: &State<App>,
    staff: StaffUser,
    csrf: Csrf,
    filters: Filters,
) -> Result<RawHtml<String>, PageError> {
    let page = filters.page.unwrap_or(0).max(0);
    // `?page=` is anyone's to write: a page past the last one is empty, never an overflow.
    let mut rows = search(app, &filters, PAGE + 1, page.saturating_mul(PAGE)).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let calls: Vec<ListedCall> = rows.into_iter().map(|row| listed(app, row)).collect();
    let query = |page: i64| {
        let mut f = filters.clone();
        f.page = Some(page);
        query_string(&f)
    };
    super::page(
        app,
        "calls.html",
        json!({
            "staff": staff.name, "csrf": csrf.0, "page": "calls", "calls": calls, "filters": filters,
            "page_number": page, "previous": (page > 0).then(|| query(page - 1)),
            "next": more.then(|| query(page.saturating_add(1))), "export": query_string(&Filters { page: None, ..filters.clone() }),
        }),
    )
    .await
}

#[get("/calls.csv?<filters..>")]
async fn get_calls_csv(app: &State<App>, _staff: StaffUser, filters: Filters) -> Result<Csv, PageError> {
    let rows = search(app, &filters, EXPORT_LIMIT, 0).await?;
    let mut lines = vec![
        [
            "call", "time", "caller", "name", "kind", "unit", "duration_s", "outcome", "model_turns",
            "caller_turns",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for row in rows {
        let time = local_time(app, row.started_at);
        lines.push(vec![
            row.sid,
            time,
            row.from_number.unwrap_or_default(),
            row.caller_name.unwrap_or_default(),
            row.caller_kind,
            row.unit.unwrap_or_default(),
            row.duration_s.map(|d| d.to_string()).unwrap_or_default(),
            row.outcome,
            row.model_turns.to_string(),
            row.speech_turns.to_string(),
        ]);
    }
    csv("calls.csv", lines)
}

fn listed(app: &App, row: CallRow) -> ListedCall {
    let brain = match (row.model_turns, row.speech_turns) {
        (_, 0) => "none",
        (0, _) => "rules",
        (m, s) if m == s => "model",
        _ => "both",
    };
    ListedCall {
        time: local_time(app, row.started_at),
        duration: row.duration_s.map(|s| format!("{}:{:02}", s / 60, s % 60)).unwrap_or_else(|| "—".into()),
        brain,
        row,
    }
}

fn query_string(filters: &Filters) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    let fields = [
        ("q", &filters.q),
        ("from", &filters.from),
        ("to", &filters.to),
        ("kind", &filters.kind),
        ("outcome", &filters.outcome),
    ];
    for (name, value) in fields {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            query.append_pair(name, value);
        }
    }
    if let Some(page) = filters.page {
        query.append_pair("page", &page.to_string());
    }
    query.finish()
}

/// Words for the full-text index: each a quoted prefix term, so nothing a person types can
/// break the query syntax.
fn fts_query(q: &str) -> Option<String> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

async fn search(app: &App, filters: &Filters, limit: i64, offset: i64) -> Result<Vec<CallRow>, PageError> {
    let tz = app.office.timezone;
    let day = |raw: &Option<String>, after: u64| {
        let date = NaiveDate::parse_from_str(raw.as_deref()?, "%Y-%m-%d")
            .ok()?
            .checked_add_days(Days::new(after))?;
        Some(tz.from_local_datetime(&date.and_hms_opt(0, 0, 0)?).earliest()?.timestamp_millis())
    };
    let q = filters.q.as_deref().map(str::trim).filter(|q| q.chars().any(char::is_alphanumeric));
    let words = q.and_then(|q| match app.db.engine {
        Engine::Sqlite => fts_query(q),
        Engine::Postgres => Some(q.to_string()),
    });
    let like = q.map(|q| format!("%{q}%"));
    let digits = q
        .map(|q| q.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|d| d.len() >= 3)
        .map(|d| match Phone::parse(&d) {
            Some(phone) => format!("%{}%", phone.e164()),
            None => format!("%{d}%"),
        });
    // Filters name enums; anything else filters nothing.
    let kind = filters.kind.as_deref().and_then(|k| CallerKind::from_str(k).ok()).map(CallerKind::as_str);
    let outcome = filters.outcome.as_deref().and_then(|o| Outcome::from_str(o).ok()).map(Outcome::as_str);
    if words.is_some() {
        // The index trails the newest turns by up to a second; a search sees them all.
        app.db.index_transcripts().await?;
    }
    let sql = match app.db.engine {
        Engine::Sqlite => SEARCH_SQLITE,
        Engine::Postgres => SEARCH_POSTGRES,
    };
    let rows = sqlx::query_as(sql)
        .bind(day(&filters.from, 0))
        .bind(day(&filters.to, 1))
        .bind(kind)
        .bind(outcome)
        .bind(words)
        .bind(like)
        .bind(digits)
        .bind(limit)
        .bind(offset)
        .bind(Source::Model.as_str())
        .bind(EventKind::Speech.as_str())
        .bind(
            q.map(|q| q.chars().filter(char::is_ascii_digit).collect::<String>())
                .filter(|d| reference::is_reference(d)),
        )
        .fetch_all(&app.db.pool)
        .await?;
    Ok(rows)
}

// $5 is the text query (NULL: no search), $6 a LIKE pattern for names, $7 one for numbers;
// $10 and $11 name the model's turns and the caller's (`Source::Model`, `EventKind::Speech`);
// $12 is a call reference the query may be (its five digits, however typed).
macro_rules! search_sql {
    ($text_match:literal) => {
        concat!(
            "SELECT c.sid, c.from_number, c.caller_name, c.caller_kind, c.unit, c.started_at, c.duration_s, c.outcome,
                    (SELECT COUNT(*) FROM turns t WHERE t.call_sid = c.sid AND t.source = $10) AS model_turns,
                    (SELECT COUNT(*) FROM turns t WHERE t.call_sid = c.sid AND t.event = $11) AS speech_turns,
                    c.reference
             FROM calls c
             WHERE ($1 IS NULL OR c.started_at >= $1) AND ($2 IS NULL OR c.started_at < $2)
               AND ($3 IS NULL OR c.caller_kind = $3)
               AND ($4 IS NULL OR ($4 = 'emergency' AND c.emergency) OR ($4 = 'service_issue' AND c.service_issue)
                    OR ($4 = 'transferred' AND c.transferred) OR ($4 = 'message' AND c.message)
                    OR ($4 = 'information' AND NOT (c.emergency OR c.service_issue OR c.transferred OR c.message)))
               AND ($5 IS NULL OR c.caller_name LIKE $6 OR c.from_number LIKE $7 OR c.reference = $12 OR c.sid IN (",
            $text_match,
            "))
             ORDER BY c.started_at DESC
             LIMIT $8 OFFSET $9"
        )
    };
}

const SEARCH_SQLITE: &str = search_sql!(
    "SELECT t.call_sid FROM turns_fts JOIN turns t ON t.rowid = turns_fts.rowid WHERE turns_fts MATCH $5"
);
const SEARCH_POSTGRES: &str =
    search_sql!("SELECT t.call_sid FROM turns t WHERE t.search @@ plainto_tsquery('english', $5)");

#[derive(sqlx::FromRow, Serialize)]
struct TurnRow {
    turn: i64,
    event: String,
    caller_text: Option<String>,
    confidence: Option<f64>,
    reply_text: String,
    stage: String,
    source: String,
    model_error: Option<String>,
    line_declined: Option<String>,
    latency_ms: i64,
    created_at: i64,
}

#[derive(sqlx::FromRow, Serialize)]
struct IssueRow {
    id: i64,
    priority: String,
    problem: String,
    /// The read-back's few words (the issue's title in Rent Manager).
    summary: Option<String>,
    access_note: Option<String>,
    location: Option<String>,
    /// 1 or 0: booleans cross sqlx's `Any` driver as integers.
    entry_permission: Option<i64>,
    callback: Option<String>,
    /// What a caller known by caller ID only answered for their unit (it did not match).
    unconfirmed_unit: Option<String>,
    created_at: i64,
}

#[derive(sqlx::FromRow, Serialize)]
struct MessageRow {
    id: i64,
    body: String,
    /// The read-back's words: who it is for and from, what, the number.
    summary: Option<String>,
    created_at: i64,
}

#[derive(sqlx::FromRow, Serialize)]
struct OutboxRow {
    id: i64,
    kind: String,
    status: String,
    attempts: i64,
    last_error: Option<String>,
    external_id: Option<String>,
    /// A text's delivery receipt from Twilio, and its error code.
    receipt: Option<String>,
    receipt_code: Option<i64>,
}

/// Another call linked to this one by a reference its caller said.
#[derive(sqlx::FromRow, Serialize)]
struct LinkRow {
    sid: String,
    reference: String,
    /// `earlier`: this call's caller gave that call's reference; `later`: the other way.
    direction: String,
    started_at: i64,
}

#[derive(sqlx::FromRow, Serialize)]
struct FollowUpRow {
    id: i64,
    kind: String,
    body: String,
    /// 1 once done.
    done: i64,
}

async fn turns(app: &App, sid: &str) -> Result<Vec<TurnRow>, PageError> {
    Ok(sqlx::query_as(
        "SELECT turn, event, caller_text, confidence, reply_text, stage, source, model_error, line_declined,
                latency_ms, created_at
         FROM turns WHERE call_sid = $1 ORDER BY turn",
    )
    .bind(sid)
    .fetch_all(&app.db.pool)
    .await?)
}

#[get("/calls/<sid>")]
async fn get_call(
    app: &State<App>,
    staff: StaffUser,
    csrf: Csrf,
    sid: &str,
) -> Result<Option<RawHtml<String>>, PageError> {
    let pool = &app.db.pool;
    let call: Option<CallRow> = sqlx::query_as(
        "SELECT c.sid, c.from_number, c.caller_name, c.caller_kind, c.unit, c.started_at, c.duration_s, c.outcome,
                (SELECT COUNT(*) FROM turns t WHERE t.call_sid = c.sid AND t.source = $2) AS model_turns,
                (SELECT COUNT(*) FROM turns t WHERE t.call_sid = c.sid AND t.event = $3) AS speech_turns,
                c.reference
         FROM calls c WHERE c.sid = $1",
    )
    .bind(sid)
    .bind(Source::Model.as_str())
    .bind(EventKind::Speech.as_str())
    .fetch_optional(pool)
    .await?;
    let Some(call) = call else { return Ok(None) };
    let turns = turns(app, sid).await?;
    let (final_stage, language): (String, String) =
        sqlx::query_as("SELECT stage, language FROM calls WHERE sid = $1").bind(sid).fetch_one(pool).await?;
    // Staff read the language's name; an unknown value is shown as stored.
    let language = match Language::from_str(&language) {
        Ok(Language::English) => "English".to_string(),
        Ok(Language::Spanish) => "Spanish".to_string(),
        Err(_) => language,
    };
    let mut path: Vec<&str> = Vec::new();
    for stage in turns.iter().map(|t| t.stage.as_str()).chain([final_stage.as_str()]) {
        if path.last() != Some(&stage) {
            path.push(stage);
        }
    }
    let issues: Vec<IssueRow> = sqlx::query_as(
        "SELECT id, priority, problem, summary, access_note, location,
                CASE WHEN entry_permission IS NULL THEN NULL WHEN entry_permission THEN 1 ELSE 0 END AS entry_permission,
                callback, unconfirmed_unit, created_at
         FROM service_issues WHERE call_sid = $1 ORDER BY id",
    )
    .bind(sid)
    .fetch_all(pool)
    .await?;
    let messages: Vec<MessageRow> =
        sqlx::query_as("SELECT id, body, summary, created_at FROM messages WHERE call_sid = $1 ORDER BY id")
            .bind(sid)
            .fetch_all(pool)
            .await?;
    let outbox: Vec<OutboxRow> = sqlx::query_as(
        "SELECT o.id, o.kind, o.status, o.attempts, o.last_error, o.external_id, r.status AS receipt,
                r.error_code AS receipt_code
         FROM outbox o LEFT JOIN sms_receipts r ON r.message_sid = o.external_id
         WHERE o.call_sid = $1 ORDER BY o.id",
    )
    .bind(sid)
    .fetch_all(pool)
    .await?;
    let links: Vec<LinkRow> = sqlx::query_as(
        "SELECT l.earlier_sid AS sid, l.reference, 'earlier' AS direction, c.started_at
         FROM call_links l JOIN calls c ON c.sid = l.earlier_sid WHERE l.call_sid = $1
         UNION ALL
         SELECT l.call_sid AS sid, l.reference, 'later' AS direction, c.started_at
         FROM call_links l JOIN calls c ON c.sid = l.call_sid WHERE l.earlier_sid = $1
         ORDER BY started_at",
    )
    .bind(sid)
    .fetch_all(pool)
    .await?;
    let links: Vec<serde_json::Value> = links
        .into_iter()
        .map(|l| json!({ "sid": l.sid, "reference": l.reference, "direction": l.direction, "time": local_time(app, l.started_at) }))
        .collect();
    let follow_ups: Vec<FollowUpRow> = sqlx::query_as(
        "SELECT id, kind, body, CASE WHEN resolved_at IS NULL THEN 0 ELSE 1 END AS done
         FROM follow_ups WHERE call_sid = $1 ORDER BY id",
    )
    .bind(sid)
    .fetch_all(pool)
    .await?;
    let texts: Vec<serde_json::Value> = outbox
        .iter()
        .map(|item| match item.kind.as_str() {
            OutsideWrite::SMS | OutsideWrite::CALLER_TEXT => serde_json::to_value(text_state(
                &item.status,
                None,
                item.receipt.as_deref(),
                item.receipt_code,
            ))
            .unwrap_or_default(),
            _ => serde_json::Value::Null,
        })
        .collect();
    let other_calls: i64 = match &call.from_number {
        Some(number) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM calls WHERE from_number = $1 AND sid <> $2")
                .bind(number)
                .bind(sid)
                .fetch_one(pool)
                .await?
        }
        None => 0,
    };
    let times: Vec<String> = turns.iter().map(|t| local_time(app, t.created_at)).collect();
    let other_calls_query =
        query_string(&Filters { q: call.from_number.clone(), ..<Filters as Default>::default() });
    let page = super::page(
        app,
        "call.html",
        json!({
            "staff": staff.name, "csrf": csrf.0, "page": "calls", "call": listed(app, call),
            "language": language,
            "turns": turns, "times": times, "path": path, "issues": issues, "messages": messages,
            "outbox": outbox, "other_calls": other_calls, "other_calls_query": other_calls_query,
            "links": links, "follow_ups": follow_ups, "texts": texts,
        }),
    )
    .await?;
    Ok(Some(page))
}

#[get("/calls/<sid>/transcript.csv")]
async fn get_transcript_csv(app: &State<App>, _staff: StaffUser, sid: &str) -> Result<Csv, PageError> {
    let mut lines = vec![
        ["turn", "time", "speaker", "text", "confidence", "brain", "latency_ms"].map(String::from).to_vec(),
    ];
    for turn in turns(app, sid).await? {
        let time = local_time(app, turn.created_at);
        if let Some(text) = turn.caller_text {
            let confidence = turn.confidence.map(|c| format!("{c:.2}")).unwrap_or_default();
            lines.push(vec![
                turn.turn.to_string(),
                time.clone(),
                "caller".into(),
                text,
                confidence,
                String::new(),
                String::new(),
            ]);
        }
        lines.push(vec![
            turn.turn.to_string(),
            time,
            "assistant".into(),
            turn.reply_text,
            String::new(),
            turn.source,
            turn.latency_ms.to_string(),
        ]);
    }
    csv(&format!("{sid}.csv"), lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_become_text() {
        for formula in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\",\"y\")"] {
            assert_eq!(inert(formula), format!("'{formula}"));
        }
        for text in ["my sink", "", "1+1", " =x", "'quoted"] {
            assert_eq!(inert(text), text);
        }
    }

    #[test]
    fn search_words_cannot_break_the_fts_syntax() {
        assert_eq!(fts_query("leak\" OR kitchen*"), Some("\"leak\"* \"or\"* \"kitchen\"*".into()));
        assert_eq!(fts_query("  ()  "), None);
    }
}
