//! The follow-up queue (`/follow-ups`): one row per thing a person must do after a call,
//! urgent ones first, then the oldest. Staff take one, note what they did, and mark it done
//! (`changes`); the urgent ones also sit atop every staff page until done.
//!
//! Both lists are read in index order (`follow_ups_queue` for open, `follow_ups_done` for
//! done), a page at a time, so the queue stays quick with many thousands of rows.

mod changes;

use std::str::FromStr;

use rocket::form::FromForm;
use rocket::response::content::RawHtml;
use rocket::{Route, State, get, routes};
use serde::Serialize;
use serde_json::json;

use super::auth::{Csrf, StaffUser};
use super::{PageError, local_time};
use crate::App;
use crate::call::FollowUpKind;
use crate::call::effects::OutsideWrite;
use crate::db::millis;

pub use changes::FollowUpChange;

pub fn routes() -> Vec<Route> {
    let mut routes = routes![get_follow_ups, get_follow_up];
    routes.extend(changes::routes());
    routes
}

/// Rows per page of the queue.
pub const PAGE: i64 = 50;
/// How many urgent follow-ups the banner lists; the rest are counted.
const LISTED: i64 = 5;

/// The queue's filters, as its form submits them.
#[derive(Debug, Default, Clone, FromForm, Serialize)]
pub struct Filters {
    /// `open` (the default) or `done`.
    state: Option<String>,
    /// Only those taken by the staff member looking.
    mine: Option<bool>,
    kind: Option<String>,
    page: Option<i64>,
}

impl Filters {
    fn done(&self) -> bool {
        self.state.as_deref() == Some("done")
    }

    fn query(&self, page: Option<i64>) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if self.done() {
            query.append_pair("state", "done");
        }
        if self.mine == Some(true) {
            query.append_pair("mine", "true");
        }
        if let Some(kind) = self.kind.as_deref().filter(|k| !k.is_empty()) {
            query.append_pair("kind", kind);
        }
        if let Some(page) = page {
            query.append_pair("page", &page.to_string());
        }
        query.finish()
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    call_sid: String,
    kind: String,
    urgent: i64,
    texted: i64,
    caller_phone: Option<String>,
    caller_name: Option<String>,
    unit: Option<String>,
    callback: Option<String>,
    for_whom: Option<String>,
    body: String,
    created_at: i64,
    resolved_at: Option<i64>,
    reference: Option<String>,
    assignee: Option<String>,
    text_state: Option<String>,
    text_error: Option<String>,
    receipt: Option<String>,
    receipt_code: Option<i64>,
}

/// One follow-up as staff read it.
#[derive(Serialize)]
pub struct Listed {
    pub id: i64,
    pub call_sid: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub urgent: bool,
    pub texted: bool,
    pub caller: String,
    pub phone: Option<String>,
    pub unit: Option<String>,
    pub callback: Option<String>,
    pub for_whom: Option<String>,
    pub reference: Option<String>,
    pub body: String,
    pub age: String,
    pub created: String,
    pub done: Option<String>,
    pub assignee: Option<String>,
    /// The text to the caller, when one was sent: where it stands.
    pub text: Option<TextState>,
}

#[derive(Serialize)]
pub struct TextState {
    pub label: String,
    /// `good`, `warn` or `bad`, for the badge.
    pub class: &'static str,
    pub detail: Option<String>,
}

/// Where a text stands: refused or failed in the outbox, or Twilio's latest receipt.
pub fn text_state(
    outbox: &str,
    error: Option<String>,
    receipt: Option<&str>,
    code: Option<i64>,
) -> TextState {
    let coded = |label: &str| match code {
        Some(code) => format!("{label} (error {code})"),
        None => label.to_string(),
    };
    match (outbox, receipt) {
        ("failed", _) => TextState { label: "not sent".into(), class: "bad", detail: error },
        ("pending", _) => TextState { label: "waiting to send".into(), class: "warn", detail: error },
        (_, Some("delivered" | "read")) => {
            TextState { label: "delivered".into(), class: "good", detail: None }
        }
        (_, Some(failed @ ("undelivered" | "failed"))) => {
            TextState { label: coded(failed), class: "bad", detail: code.map(describe_code) }
        }
        (_, Some(status)) => TextState { label: status.to_string(), class: "warn", detail: None },
        (_, None) => TextState {
            label: "accepted by Twilio".into(),
            class: "warn",
            detail: Some("no delivery receipt yet".into()),
        },
    }
}

/// Twilio's delivery error codes staff meet most, in words.
fn describe_code(code: i64) -> String {
    match code {
        30003 => "the phone is off or out of reach".into(),
        30004 => "the recipient blocked it".into(),
        30005 => "unknown number".into(),
        30006 => "a landline, or a carrier that takes no texts".into(),
        30007 => "carrier filtering (often an unregistered sender: register the number for A2P 10DLC)".into(),
        30008 => "unknown error at the carrier".into(),
        other => format!("Twilio error {other}"),
    }
}

/// "under 1 min", "4 min", "3 h 12 min", "2 days".
pub fn age(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    match minutes {
        0 => "under 1 min".into(),
        1..=59 => format!("{minutes} min"),
        60..=1439 => format!("{} h {} min", minutes / 60, minutes % 60),
        _ => match minutes / 1440 {
            1 => "1 day".into(),
            days => format!("{days} days"),
        },
    }
}

fn listed(app: &App, now: i64, row: Row) -> Listed {
    let kind = FollowUpKind::from_str(&row.kind).ok();
    let caller = match (&row.caller_name, &row.caller_phone) {
        (Some(name), _) => name.clone(),
        (None, Some(phone)) => phone.clone(),
        (None, None) => "Hidden number".into(),
    };
    let text = row
        .text_state
        .as_deref()
        .map(|state| text_state(state, row.text_error.clone(), row.receipt.as_deref(), row.receipt_code));
    Listed {
        id: row.id,
        call_sid: row.call_sid,
        kind_label: kind.map_or("follow-up", FollowUpKind::label),
        kind: row.kind,
        urgent: row.urgent != 0,
        texted: row.texted != 0,
        caller,
        phone: row.caller_phone,
        unit: row.unit,
        callback: row.callback,
        for_whom: row.for_whom,
        reference: row.reference,
        body: row.body,
        age: age(now - row.created_at),
        created: local_time(app, row.created_at),
        done: row.resolved_at.map(|at| local_time(app, at)),
        assignee: row.assignee,
        text,
    }
}

// Every follow-up field a page shows, with its call's reference, who has it, and where the
// call's text to the caller stands ($1 names that text's kind; one per call at most).
macro_rules! follow_up_sql {
    ($where:literal, $order:literal) => {
        concat!(
            "SELECT f.id, f.call_sid, f.kind, CASE WHEN f.urgent THEN 1 ELSE 0 END AS urgent,
                    CASE WHEN f.texted THEN 1 ELSE 0 END AS texted, f.caller_phone, f.caller_name, f.unit,
                    f.callback, f.for_whom, f.body, f.created_at, f.resolved_at, c.reference, s.name AS assignee,
                    o.status AS text_state, o.last_error AS text_error, r.status AS receipt,
                    r.error_code AS receipt_code
             FROM follow_ups f
             JOIN calls c ON c.sid = f.call_sid
             LEFT JOIN staff_users s ON s.id = f.assigned_to
             LEFT JOIN outbox o ON o.call_sid = f.call_sid AND o.kind = $1
             LEFT JOIN sms_receipts r ON r.message_sid = o.external_id
             WHERE ",
            $where,
            " ORDER BY ",
            $order
        )
    };
}

// $2: a kind or NULL; $3: a staff id or NULL; $4, $5: limit and offset.
const OPEN: &str = follow_up_sql!(
    "f.resolved_at IS NULL AND ($2 IS NULL OR f.kind = $2) AND ($3 IS NULL OR f.assigned_to = $3)",
    "f.urgent DESC, f.created_at, f.id LIMIT $4 OFFSET $5"
);
const DONE: &str = follow_up_sql!(
    "f.resolved_at IS NOT NULL AND ($2 IS NULL OR f.kind = $2) AND ($3 IS NULL OR f.assigned_to = $3)",
    "f.resolved_at DESC, f.id DESC LIMIT $4 OFFSET $5"
);
const ONE: &str = follow_up_sql!("f.id = $2", "f.id");

/// The SQL of one page of the queue, for the plan test in `tests/api/follow_ups.rs`.
pub fn page_sql(done: bool) -> &'static str {
    if done { DONE } else { OPEN }
}

#[get("/follow-ups?<filters..>")]
async fn get_follow_ups(
    app: &State<App>,
    staff: StaffUser,
    csrf: Csrf,
    filters: Filters,
) -> Result<RawHtml<String>, PageError> {
    let page = filters.page.unwrap_or(0).clamp(0, i64::MAX / PAGE - 1);
    let kind = filters.kind.as_deref().and_then(|k| FollowUpKind::from_str(k).ok()).map(FollowUpKind::as_str);
    let mine = (filters.mine == Some(true)).then_some(staff.id);
    let mut rows: Vec<Row> = sqlx::query_as(page_sql(filters.done()))
        .bind(OutsideWrite::CALLER_TEXT)
        .bind(kind)
        .bind(mine)
        .bind(PAGE + 1)
        .bind(page * PAGE)
        .fetch_all(&app.db.pool)
        .await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let now = millis(app.clock.now());
    let rows: Vec<Listed> = rows.into_iter().map(|row| listed(app, now, row)).collect();
    let kinds: Vec<(&str, &str)> = FollowUpKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect();
    let back = format!("/follow-ups?{}", filters.query(Some(page)));
    super::page(
        app,
        "follow_ups.html",
        json!({
            "staff": staff.name, "csrf": csrf.0, "page": "follow_ups", "rows": rows, "kinds": kinds,
            "filters": filters, "done": filters.done(), "mine": mine.is_some(), "back": back,
            "previous": (page > 0).then(|| filters.query(Some(page - 1))),
            "next": more.then(|| filters.query(Some(page + 1))),
        }),
    )
    .await
}

#[derive(sqlx::FromRow, Serialize)]
struct ChangeRow {
    change: String,
    staff_name: String,
    note: Option<String>,
    at: i64,
}

#[get("/follow-ups/<id>")]
async fn get_follow_up(
    app: &State<App>,
    staff: StaffUser,
    csrf: Csrf,
    id: i64,
) -> Result<Option<RawHtml<String>>, PageError> {
    let row: Option<Row> =
        sqlx::query_as(ONE).bind(OutsideWrite::CALLER_TEXT).bind(id).fetch_optional(&app.db.pool).await?;
    let Some(row) = row else { return Ok(None) };
    let changes: Vec<ChangeRow> = sqlx::query_as(
        "SELECT change, staff_name, note, at FROM follow_up_changes WHERE follow_up_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&app.db.pool)
    .await?;
    let history: Vec<serde_json::Value> = changes
        .into_iter()
        .map(|c| json!({ "change": c.change, "staff": c.staff_name, "note": c.note, "time": local_time(app, c.at) }))
        .collect();
    let follow_up = listed(app, millis(app.clock.now()), row);
    let back = format!("/follow-ups/{id}");
    let page = super::page(
        app,
        "follow_up.html",
        json!({
            "staff": staff.name, "csrf": csrf.0, "page": "follow_ups", "f": follow_up, "history": history,
            "back": back,
        }),
    )
    .await?;
    Ok(Some(page))
}

/// The banner atop every staff page: the urgent follow-ups still open, oldest first.
#[derive(Serialize)]
pub struct Banner {
    pub urgent: Vec<Listed>,
    /// Urgent ones beyond those listed.
    pub more: i64,
    /// Every open follow-up, for the menu's count.
    pub open: i64,
}

pub async fn banner(app: &App) -> Result<Banner, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(OPEN)
        .bind(OutsideWrite::CALLER_TEXT)
        .bind(None::<&str>)
        .bind(None::<i64>)
        .bind(LISTED + 1)
        .bind(0_i64)
        .fetch_all(&app.db.pool)
        .await?;
    let (open, urgent): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN urgent THEN 1 ELSE 0 END), 0) FROM follow_ups WHERE resolved_at IS NULL",
    )
    .fetch_one(&app.db.pool)
    .await?;
    let now = millis(app.clock.now());
    let urgent_rows: Vec<Listed> = rows
        .into_iter()
        .filter(|r| r.urgent != 0)
        .take(LISTED as usize)
        .map(|r| listed(app, now, r))
        .collect();
    Ok(Banner { more: urgent - urgent_rows.len() as i64, urgent: urgent_rows, open })
}

/// For the dashboard: how many are open, how many urgent, and the oldest urgent one.
#[derive(Serialize)]
pub struct Summary {
    pub open: i64,
    pub urgent: i64,
    pub oldest_urgent: Option<Listed>,
}

pub async fn summary(app: &App) -> Result<Summary, sqlx::Error> {
    let banner = banner(app).await?;
    let urgent = banner.more + banner.urgent.len() as i64;
    Ok(Summary { open: banner.open, urgent, oldest_urgent: banner.urgent.into_iter().next() })
}
