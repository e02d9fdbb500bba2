//! The dashboard: live health of every dependency and today's calls, refreshed by the page
//! itself from `/status.json` every few seconds (plain HTTP, no WebSockets).

use std::time::Instant;

use chrono::{DateTime, Days, TimeZone, Utc};
use rocket::response::content::RawHtml;
use rocket::serde::json::Json;
use rocket::{Route, State, get, routes};
use serde::Serialize;
use serde_json::json;

use super::auth::{Csrf, StaffUser};
use super::{PageError, local_time};
use crate::App;
use crate::db::millis;

pub fn routes() -> Vec<Route> {
    routes![get_dashboard, get_status]
}

#[get("/")]
fn get_dashboard(app: &State<App>, staff: StaffUser, csrf: Csrf) -> Result<RawHtml<String>, PageError> {
    app.pages.render("dashboard.html", &json!({ "staff": staff.name, "csrf": csrf.0, "page": "dashboard" }))
}

#[derive(Serialize)]
pub struct Status {
    pub generated_at: String,
    pub database: Database,
    pub twilio: Twilio,
    pub model: Model,
    pub rent_manager: RentManager,
    pub outbox: Outbox,
    pub calls_in_progress: i64,
    pub today: Today,
    pub per_day: Vec<Day>,
}

#[derive(Serialize)]
pub struct Database {
    pub ok: bool,
    pub engine: &'static str,
    pub latency_ms: f64,
}

#[derive(Serialize)]
pub struct Twilio {
    pub last_webhook: Option<String>,
    pub signature_rejections: u64,
}

#[derive(Serialize)]
pub struct Model {
    pub configured: bool,
    pub name: Option<String>,
    /// Whether the last turn that asked the model got an answer.
    pub reachable: Option<bool>,
    pub latency_ms_p50: Option<i64>,
    /// Of the caller turns in the last 24 hours, the share the rules answered.
    pub rules_share: Option<f64>,
    /// "structured replies: json_schema / tools / json_object / prompt", as negotiated.
    pub structured_replies: Option<String>,
    /// What is wrong with the model server (bad key, wrong name, a mode unsupported), in
    /// plain words.
    pub problem: Option<String>,
}

#[derive(Serialize)]
pub struct RentManager {
    pub configured: bool,
    /// Whether the login (and a request) worked, checked at most once a minute.
    pub ok: Option<bool>,
    pub detail: String,
}

#[derive(Serialize)]
pub struct Outbox {
    pub pending: i64,
    pub failed: i64,
    pub last_delivery: Option<String>,
}

#[derive(Serialize, Default)]
pub struct Today {
    pub total: i64,
    pub emergency: i64,
    pub service_issue: i64,
    pub transferred: i64,
    pub message: i64,
    pub information: i64,
}

#[derive(Serialize)]
pub struct Day {
    pub day: String,
    pub calls: i64,
}

#[get("/status.json")]
async fn get_status(app: &State<App>, _staff: StaffUser) -> Result<Json<Status>, PageError> {
    Ok(Json(status(app).await?))
}

/// Calls still going: not ended, and heard from in the last half hour (a call whose status
/// callback never came does not stay "in progress" forever).
const STALE_MS: i64 = 30 * 60 * 1000;

pub async fn status(app: &App) -> Result<Status, PageError> {
    let now = app.clock.now();
    let pool = &app.db.pool;
    let started = Instant::now();
    let database = Database {
        ok: app.db.ping().await.is_ok(),
        engine: app.db.engine.name(),
        latency_ms: started.elapsed().as_secs_f64() * 1e3,
    };
    let last_webhook: Option<i64> =
        sqlx::query_scalar("SELECT MAX(created_at) FROM turns").fetch_one(pool).await?;
    let twilio = Twilio {
        last_webhook: last_webhook.map(|ms| local_time(app, ms)),
        signature_rejections: app.metrics.signature_rejections.get(),
    };

    let recent: Vec<(Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT brain_ms, model_error FROM turns WHERE event = 'speech' ORDER BY created_at DESC LIMIT 50",
    )
    .fetch_all(pool)
    .await?;
    let day_ago = millis(now) - 24 * 3_600_000;
    let (speech, rules): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN source = 'rules' THEN 1 ELSE 0 END), 0)
         FROM turns WHERE event = 'speech' AND created_at >= $1",
    )
    .bind(day_ago)
    .fetch_one(pool)
    .await?;
    let configured = app.model_name.is_some();
    let mut latencies: Vec<i64> = recent.iter().filter_map(|(ms, _)| *ms).collect();
    latencies.sort_unstable();
    let model = Model {
        configured,
        name: app.model_name.clone(),
        reachable: recent.first().filter(|_| configured).map(|(_, error)| error.is_none()),
        latency_ms_p50: (configured && !latencies.is_empty()).then(|| latencies[latencies.len() / 2]),
        rules_share: (speech > 0).then(|| rules as f64 / speech as f64),
        structured_replies: None,
        problem: None,
    };
    let model = match &app.model {
        Some(brain) => with_negotiation(model, brain.status()),
        None => model,
    };

    let (pending, failed): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) FROM outbox",
    )
    .fetch_one(pool)
    .await?;
    let last_delivery: Option<i64> =
        sqlx::query_scalar("SELECT MAX(delivered_at) FROM outbox").fetch_one(pool).await?;

    let calls_in_progress: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM calls WHERE stage <> 'ended' AND updated_at >= $1")
            .bind(millis(now) - STALE_MS)
            .fetch_one(pool)
            .await?;

    let midnights = local_midnights(app, now, 30);
    let today_start = millis(midnights[midnights.len() - 1]);
    let today: (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN emergency THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN service_issue THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN transferred THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN message THEN 1 ELSE 0 END), 0)
         FROM calls WHERE started_at >= $1",
    )
    .bind(today_start)
    .fetch_one(pool)
    .await?;
    let information: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM calls WHERE started_at >= $1
           AND NOT (emergency OR service_issue OR transferred OR message)",
    )
    .bind(today_start)
    .fetch_one(pool)
    .await?;
    let today = Today {
        total: today.0,
        emergency: today.1,
        service_issue: today.2,
        transferred: today.3,
        message: today.4,
        information,
    };

    let mut per_day = Vec::with_capacity(midnights.len());
    for (i, start) in midnights.iter().enumerate() {
        let end = midnights.get(i + 1).map_or(millis(now) + 1, |m| millis(*m));
        let calls: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM calls WHERE started_at >= $1 AND started_at < $2")
                .bind(millis(*start))
                .bind(end)
                .fetch_one(pool)
                .await?;
        per_day
            .push(Day { day: start.with_timezone(&app.office.timezone).format("%b %-d").to_string(), calls });
    }

    Ok(Status {
        generated_at: local_time(app, millis(now)),
        database,
        twilio,
        model,
        rent_manager: match &app.rent_manager {
            None => RentManager {
                configured: false,
                ok: None,
                detail: "not configured: the local directory is the system of record".into(),
            },
            Some(rm) => match rm.check().await {
                Ok(()) => RentManager {
                    configured: true,
                    ok: Some(true),
                    detail: format!("login ok at {}", rm.url()),
                },
                Err(e) => RentManager { configured: true, ok: Some(false), detail: e },
            },
        },
        outbox: Outbox { pending, failed, last_delivery: last_delivery.map(|ms| local_time(app, ms)) },
        calls_in_progress,
        today,
        per_day,
    })
}

/// The structured-reply mode and any problem the model's server has, kept apart from the
/// queries above.
fn with_negotiation(model: Model, status: crate::brain::Status) -> Model {
    let settled = match status.negotiated {
        Some(_) => String::new(),
        None => " (negotiating: the best guess until the server has answered)".into(),
    };
    Model {
        structured_replies: Some(format!("structured replies: {}{settled}", status.mode.name())),
        problem: status.problem,
        ..model
    }
}

/// The office's local midnights of the last `days` days, oldest first, ending with today's.
fn local_midnights(app: &App, now: DateTime<Utc>, days: u64) -> Vec<DateTime<Utc>> {
    let tz = app.office.timezone;
    let today = now.with_timezone(&tz).date_naive();
    (0..days)
        .rev()
        .filter_map(|back| today.checked_sub_days(Days::new(back)))
        .filter_map(|day| tz.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).earliest())
        .map(|local| local.with_timezone(&Utc))
        .collect()
}
