//! The dashboard: live health of every dependency and today's calls, refreshed by the page
//! itself from `/status.json` every few seconds (plain HTTP, no WebSockets).

use std::time::Instant;

use chrono::{DateTime, Days, TimeZone, Utc};
use rocket::response::content::RawHtml;
use rocket::serde::json::Json;
use rocket::{Route, State, get, routes};
use serde::Serialize;
use serde_json::json;
use sqlx::AnyPool;

use super::auth::{Csrf, StaffUser};
use super::{PageError, local_time};
use crate::App;
use crate::call::effects::{OutsideWrite, WriteState};
use crate::call::{EventKind, Source, Stage};
use crate::db::millis;

pub fn routes() -> Vec<Route> {
    routes![get_dashboard, get_status]
}

#[get("/")]
async fn get_dashboard(app: &State<App>, staff: StaffUser, csrf: Csrf) -> Result<RawHtml<String>, PageError> {
    super::page(app, "dashboard.html", json!({ "staff": staff.name, "csrf": csrf.0, "page": "dashboard" }))
        .await
}

#[derive(Serialize)]
pub struct Status {
    pub generated_at: String,
    pub database: Database,
    pub twilio: Twilio,
    pub model: Model,
    pub rent_manager: RentManager,
    pub outbox: Outbox,
    pub texts: Texts,
    pub follow_ups: super::follow_ups::Summary,
    pub email: super::mail_status::Email,
    pub calls_in_progress: i64,
    pub today: Today,
    pub per_day: Vec<Day>,
}

#[derive(Serialize)]
pub struct Database {
    pub ok: bool,
    pub engine: &'static str,
    pub latency_ms: f64,
    /// SQLite's write-ahead log; `None` on PostgreSQL.
    pub log: Option<Log>,
}

/// The write-ahead log as the dashboard shows it.
#[derive(Serialize)]
pub struct Log {
    pub mb: f64,
    pub bound_mb: f64,
    /// What is wrong (over its bound, checkpoints failing), when something is.
    pub degraded: Option<String>,
}

/// The database's write-ahead log, from the last checkpoint's look (no query).
pub fn log(app: &App) -> Option<Log> {
    let health = app.db.log_health()?;
    let mb = |bytes: u64| bytes as f64 / f64::from(1 << 20);
    Some(Log { mb: mb(health.bytes), bound_mb: mb(health.bound), degraded: health.degraded() })
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

/// Texts in the last 24 hours, to on-call staff and to callers: accepted by Twilio is not
/// delivered, so the receipts count.
#[derive(Serialize)]
pub struct Texts {
    pub configured: bool,
    /// Callers get a text after a request or a message.
    pub to_callers: bool,
    pub sent: i64,
    pub delivered: i64,
    /// Not delivered (Twilio's receipt) or not sent at all (the outbox gave up).
    pub failed: i64,
    /// Accepted, no final receipt yet.
    pub awaiting: i64,
    /// The latest delivery error code, e.g. 30007 (carrier filtering).
    pub last_error_code: Option<i64>,
}

async fn texts(app: &App, since: i64) -> Result<Texts, sqlx::Error> {
    let (sent, delivered, failed, awaiting, last_error_code): (i64, i64, i64, i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN r.status IN ('delivered', 'read') THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN r.status IN ('undelivered', 'failed') OR o.status = $4 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN o.status = $5 AND (r.status IS NULL OR r.status NOT IN
                                  ('delivered', 'read', 'undelivered', 'failed', 'canceled')) THEN 1 ELSE 0 END), 0),
                MAX(CASE WHEN r.status IN ('undelivered', 'failed') THEN r.error_code END)
         FROM outbox o LEFT JOIN sms_receipts r ON r.message_sid = o.external_id
         WHERE o.kind IN ($1, $2) AND o.created_at >= $3",
    )
    .bind(OutsideWrite::SMS)
    .bind(OutsideWrite::CALLER_TEXT)
    .bind(since)
    .bind(WriteState::Failed.as_str())
    .bind(WriteState::Delivered.as_str())
    .fetch_one(&app.db.pool)
    .await?;
    Ok(Texts {
        configured: app.turns.texting,
        to_callers: app.turns.caller_texts,
        sent,
        delivered,
        failed,
        awaiting,
        last_error_code,
    })
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
        log: log(app),
    };

    let turns = turn_figures(pool, millis(now) - 24 * 3_600_000).await?;
    let twilio = Twilio {
        last_webhook: turns.last_webhook.map(|ms| local_time(app, ms)),
        signature_rejections: app.metrics.signature_rejections.get(),
    };
    let configured = app.model_name.is_some();
    let mut latencies: Vec<i64> = turns.recent.iter().filter_map(|(ms, _)| *ms).collect();
    latencies.sort_unstable();
    let model = Model {
        configured,
        name: app.model_name.clone(),
        // A declined line is kept apart (`line_declined`): the model answered that turn.
        reachable: turns.recent.first().filter(|_| configured).map(|(_, error)| error.is_none()),
        latency_ms_p50: (configured && !latencies.is_empty()).then(|| latencies[latencies.len() / 2]),
        rules_share: (turns.speech > 0).then(|| turns.rules as f64 / turns.speech as f64),
        structured_replies: None,
        problem: None,
    };
    let model = match &app.model {
        Some(brain) => with_negotiation(model, brain.status()),
        None => model,
    };

    let (pending, failed, last_delivery): (i64, i64, Option<i64>) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN status = $1 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN status = $2 THEN 1 ELSE 0 END), 0),
                MAX(delivered_at)
         FROM outbox",
    )
    .bind(WriteState::Pending.as_str())
    .bind(WriteState::Failed.as_str())
    .fetch_one(pool)
    .await?;

    let calls_in_progress: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM calls WHERE stage <> $2 AND updated_at >= $1")
            .bind(millis(now) - STALE_MS)
            .bind(Stage::Ended.name())
            .fetch_one(pool)
            .await?;

    let midnights = local_midnights(app, now, 30);
    let today_start = millis(midnights[midnights.len() - 1]);
    let (total, emergency, service_issue, transferred, message, information) = sqlx::query_as(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN emergency THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN service_issue THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN transferred THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN message THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN emergency OR service_issue OR transferred OR message
                                  THEN 0 ELSE 1 END), 0)
         FROM calls WHERE started_at >= $1",
    )
    .bind(today_start)
    .fetch_one(pool)
    .await?;
    let today = Today { total, emergency, service_issue, transferred, message, information };

    // Today's bar ends at now while `today` has no end, as before: a call stamped ahead of
    // this server's clock (another worker's) counts in `today` only.
    let counts = calls_per_day(pool, &midnights, millis(now) + 1).await?;
    let per_day = midnights
        .iter()
        .zip(counts)
        .map(|(start, calls)| Day {
            day: start.with_timezone(&app.office.timezone).format("%b %-d").to_string(),
            calls,
        })
        .collect();

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
        texts: texts(app, millis(now) - 24 * 3_600_000).await?,
        follow_ups: super::follow_ups::summary(app).await?,
        email: super::mail_status::status(app).await?,
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

/// What the turns table says about the webhooks and the brain.
struct TurnFigures {
    last_webhook: Option<i64>,
    /// Caller turns since `since`, and how many of them the rules answered.
    speech: i64,
    rules: i64,
    /// The last 50 caller turns, newest first: how long the brain took, and its error.
    recent: Vec<(Option<i64>, Option<String>)>,
}

/// One row of `turn_figures`: the figures, repeated on each of the recent turns.
#[derive(sqlx::FromRow)]
struct TurnRow {
    last_webhook: Option<i64>,
    speech: i64,
    rules: i64,
    /// None on the one row left when there is no caller turn yet.
    created_at: Option<i64>,
    brain_ms: Option<i64>,
    model_error: Option<String>,
}

async fn turn_figures(pool: &AnyPool, since: i64) -> Result<TurnFigures, sqlx::Error> {
    // The one-row figures are joined onto the recent turns so that a single statement carries
    // both; with no caller turn yet, the join still gives that one row, with no turn on it.
    // `turn` breaks ties between turns stamped in the same millisecond, latest first.
    let rows: Vec<TurnRow> = sqlx::query_as(
        "SELECT figures.last_webhook AS last_webhook, figures.speech AS speech, figures.rules AS rules,
                recent.created_at AS created_at, recent.brain_ms AS brain_ms,
                recent.model_error AS model_error
         FROM (SELECT (SELECT MAX(created_at) FROM turns) AS last_webhook,
                      COUNT(*) AS speech,
                      COALESCE(SUM(CASE WHEN source = $3 THEN 1 ELSE 0 END), 0) AS rules
               FROM turns WHERE event = $2 AND created_at >= $1) figures
         LEFT JOIN (SELECT created_at, turn, brain_ms, model_error FROM turns WHERE event = $2
                    ORDER BY created_at DESC, turn DESC LIMIT 50) recent ON 1 = 1
         ORDER BY recent.created_at DESC, recent.turn DESC",
    )
    .bind(since)
    .bind(EventKind::Speech.as_str())
    .bind(Source::Rules.as_str())
    .fetch_all(pool)
    .await?;
    let (last_webhook, speech, rules) =
        rows.first().map_or((None, 0, 0), |row| (row.last_webhook, row.speech, row.rules));
    let recent = rows
        .into_iter()
        .filter(|row| row.created_at.is_some())
        .map(|row| (row.brain_ms, row.model_error))
        .collect();
    Ok(TurnFigures { last_webhook, speech, rules, recent })
}

/// The calls that started on each office day, one count per entry of `midnights` (oldest
/// first, as `local_midnights` gives them), the last day ending at `end`.
async fn calls_per_day(
    pool: &AnyPool,
    midnights: &[DateTime<Utc>],
    end: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    // Days are 23 or 25 hours long around clock changes, so no arithmetic on `started_at`
    // finds a call's day: each call goes to the first day whose end it is before, with every
    // boundary bound as a parameter, which both engines take through the Any driver. The
    // statement's text depends only on the number of days, never on data.
    let days = midnights.len();
    let cases: String = (0..days).map(|day| format!(" WHEN started_at < ${} THEN {day}", day + 2)).collect();
    let sql = format!(
        "SELECT CASE{cases} END AS bucket, COUNT(*) FROM calls
         WHERE started_at >= $1 AND started_at < ${} GROUP BY bucket",
        days + 1
    );
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for midnight in midnights {
        query = query.bind(millis(*midnight));
    }
    let rows: Vec<(i64, i64)> = query.bind(end).fetch_all(pool).await?;
    let mut counts = vec![0; days];
    for (bucket, calls) in rows {
        if let Some(count) = usize::try_from(bucket).ok().and_then(|b| counts.get_mut(b)) {
            *count = calls;
        }
    }
    Ok(counts)
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
