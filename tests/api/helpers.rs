//! One place for what every test needs: a fresh app on its own database, a clock the test
//! controls, and a phone line that talks to the app exactly as Twilio does.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use frontdesk::brain::{Model, ModelSettings};
use frontdesk::call::early::EarlySettings;
use frontdesk::db::Db;
use frontdesk::knowledge::{self, Knowledge, PropertySource};
use frontdesk::office::{Clock, Office};
use frontdesk::outbox::{Delivery, Outbox, RecordKeeper, Texts};
use frontdesk::rent_manager::{self, Auth, RentManager};
use frontdesk::twilio::TwilioConfig;
use frontdesk::twilio::rest::Rest;
use frontdesk::twilio::signature::{self, Algorithm, Verifier};
use frontdesk::{App, Outside, build};
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use tempfile::TempDir;

pub const AUTH_TOKEN: &str = "test-auth-token";
pub const STAFF: &str = "Diane";
pub const STAFF_PASSWORD: &str = "correct horse battery";
pub const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const PUBLIC_URL: &str = "https://frontdesk.example.org";
pub const OFFICE_NUMBER: &str = "+17184146984";
/// A demo tenant from the shipped directory: Maria Lopez, unit 2B.
pub const TENANT: &str = "+17185550101";
pub const STRANGER: &str = "+17185559876";

pub fn eastern(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::America::New_York.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

/// Tuesday, December 1 2026, 10:30 in New York: office hours.
pub fn office_hours() -> DateTime<Utc> {
    eastern(2026, 12, 1, 10, 30)
}

pub struct TestClock(Mutex<DateTime<Utc>>);

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

pub struct TestApp {
    pub client: Client,
    pub db: Db,
    pub clock: Arc<TestClock>,
    pub dir: TempDir,
    pub url: String,
    setup: Setup,
    outbox: Arc<Outbox>,
}

/// Every test gets a database of its own: a SQLite file by default; with
/// `TEST_DATABASE_URL=postgres://...`, a fresh schema in that PostgreSQL database.
pub async fn fresh_database(dir: &TempDir) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => fresh_schema(&url).await,
        _ => format!("sqlite://{}", dir.path().join("frontdesk.db").display()),
    }
}

/// A new, empty schema in the PostgreSQL database at `url`, and the URL that uses it.
pub async fn fresh_schema(url: &str) -> String {
    use sqlx::Connection;
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    sqlx::any::install_default_drivers();
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let schema = format!("test_{}_{n}", std::process::id());
    let mut admin = sqlx::AnyConnection::connect(url).await.expect("TEST_DATABASE_URL reachable");
    for statement in [format!("DROP SCHEMA IF EXISTS {schema} CASCADE"), format!("CREATE SCHEMA {schema}")] {
        sqlx::query(sqlx::AssertSqlSafe(statement)).execute(&mut admin).await.unwrap();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-c%20search_path%3D{schema}")
}

/// The model's deadline in tests: short, so failure paths run fast.
pub const MODEL_DEADLINE: Duration = Duration::from_millis(500);

#[derive(Clone)]
pub struct Setup {
    pub now: DateTime<Utc>,
    pub public_url: Option<&'static str>,
    /// The fake model's base URL, when the model brain is on.
    pub model: Option<String>,
    /// The model's name and deadline (a real server on loopback needs more than the fake).
    pub model_name: &'static str,
    pub model_deadline: Duration,
    /// The fake Twilio REST API's base URL, when on-call texts are on.
    pub twilio_api: Option<String>,
    /// The fake Rent Manager's URL, when Rent Manager is the system of record.
    pub rent_manager: Option<String>,
    /// Property knowledge to import (TOML), instead of the shipped seed.
    pub knowledge: Option<&'static str>,
    /// `TRANSCRIPT_RETENTION_DAYS`.
    pub retention_days: Option<u32>,
    /// Speculative readings and the caller's wait.
    pub early: EarlySettings,
    /// `SPEECH_MODEL` (English, and the call's first Gather).
    pub speech_model: &'static str,
    /// Callers get a text after a request or a message (`CALLER_TEXTS`), when texts are on.
    pub caller_texts: bool,
    /// `SMTP_URL` (a local SMTP server), when e-mail to the office is on; it goes to `OFFICE_EMAIL`.
    pub smtp: Option<String>,
    /// `DIGEST_AT`, with e-mail on.
    pub digest_at: &'static str,
}

/// Where the office's e-mail goes in tests.
pub const OFFICE_EMAIL: &str = "office@frontdesk.example.org";

/// The wait as most tests see it: the final result waits out the model (no hold lines), as
/// before the wait existed; the tests of the wait shorten the grace.
pub fn patient() -> EarlySettings {
    EarlySettings {
        stable: Duration::from_millis(300),
        grace: MODEL_DEADLINE * 4,
        deadline: MODEL_DEADLINE,
        ..EarlySettings::default()
    }
}

/// How long a call's start waits on Rent Manager in tests.
pub const RENT_MANAGER_DEADLINE: Duration = Duration::from_millis(300);

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            now: office_hours(),
            public_url: Some(PUBLIC_URL),
            model: None,
            model_name: "gpt-4o",
            model_deadline: MODEL_DEADLINE,
            twilio_api: None,
            rent_manager: None,
            knowledge: None,
            retention_days: None,
            early: patient(),
            speech_model: "phone_call",
            caller_texts: true,
            smtp: None,
            digest_at: "07:30",
        }
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::start(Setup::default()).await
    }

    pub async fn at(now: DateTime<Utc>) -> TestApp {
        TestApp::start(Setup { now, ..Setup::default() }).await
    }

    pub async fn with_model(base_url: String) -> TestApp {
        TestApp::start(Setup { model: Some(base_url), ..Setup::default() }).await
    }

    pub async fn start(setup: Setup) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_database(&dir).await;
        TestApp::on(dir, url, setup).await
    }

    /// An app on a SQLite file whatever `TEST_DATABASE_URL` says, for what only SQLite has.
    pub async fn on_sqlite(setup: Setup) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("frontdesk.db").display());
        TestApp::on(dir, url, setup).await
    }

    /// An app on the database at `url`, as a restarted server would find it.
    async fn on(dir: TempDir, url: String, setup: Setup) -> TestApp {
        // The app's warnings and errors appear beside a failing test's output.
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("warn").try_init();
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let clock = Arc::new(TestClock(Mutex::new(setup.now)));
        let twilio = TwilioConfig {
            verifier: Some(Verifier::new(
                AUTH_TOKEN.into(),
                vec![("SKtest".into(), "shared-key-secret".into())],
            )),
            public_url: setup.public_url.map(String::from),
            speech_model: setup.speech_model.into(),
            speech_model_es: "phone_call".into(),
        };
        let model = setup.model.clone().map(|base_url| {
            Model::new(ModelSettings {
                api_key: "sk-test".into(),
                base_url: Some(base_url),
                model: setup.model_name.into(),
                deadline: setup.model_deadline,
                ..ModelSettings::default()
            })
        });
        let delivery = Delivery { records: None, ..outside_delivery(&setup) };
        let rent_manager = rent_manager_client(&setup);
        let outside = Outside {
            model,
            twilio,
            delivery,
            rent_manager: rent_manager.clone(),
            lookup_deadline: RENT_MANAGER_DEADLINE,
            early: setup.early.clone(),
            mail: setup.smtp.as_deref().map(|url| {
                frontdesk::mail::Settings::parse(&url.into(), OFFICE_EMAIL, None, setup.digest_at).unwrap()
            }),
        };
        if let Some(text) = setup.knowledge {
            knowledge::replace(&db, &Knowledge::from_toml(text).unwrap()).await.unwrap();
        }
        let source = rent_manager.clone().map(|rm| Arc::new(rm) as Arc<dyn PropertySource>);
        let known = knowledge::current(&db, source.as_deref()).await.unwrap();
        let mut app = App::new(db.clone(), Office::load(None).unwrap(), known, clock.clone(), outside);
        // Login waits last a millisecond here: tests check the throttle's decisions, not a clock.
        app.throttle = Arc::new(frontdesk::staff::Throttle::new(Duration::from_millis(1)));
        app.retention_days = setup.retention_days;
        let outbox = app.outbox.clone();
        // Rocket's settings as `frontdesk` serves them (Rocket.toml included).
        let figment = frontdesk::config::rocket_figment(8000).merge(("log_level", "off"));
        let client = Client::tracked(build(app, figment)).await.unwrap();
        TestApp { client, db, clock, dir, url, setup, outbox }
    }

    /// Another outbox worker on the same database, as a second process would run one.
    pub fn outbox_worker(&self, lease: Duration) -> Outbox {
        let delivery = Delivery { lease, ..outside_delivery(&self.setup) };
        Outbox::new(self.db.clone(), self.clock.clone(), delivery, Arc::default())
    }

    /// One pass of the outbox worker, as the server's background task makes every half second.
    pub async fn deliver_outbox(&self) -> usize {
        self.outbox.deliver_due().await.unwrap()
    }

    /// One look of the daily digest's timer, as the server's makes every half minute: the day
    /// it queued the digest for, if it did.
    pub async fn run_digest(&self) -> Option<chrono::NaiveDate> {
        let app = self.client.rocket().state::<App>().expect("the app");
        app.digests.as_ref().expect("the digest is on").run_due().await.unwrap()
    }

    pub fn advance_clock(&self, by: chrono::Duration) {
        let mut now = self.clock.0.lock().unwrap();
        *now += by;
    }

    /// Moves the clock forward to `at`, as between calls placed days apart.
    pub fn advance_clock_to(&self, at: DateTime<Utc>) {
        let mut now = self.clock.0.lock().unwrap();
        assert!(at >= *now, "the clock only moves forward: {at} is before {now}");
        *now = at;
    }

    /// The same database, served by a new process.
    pub async fn restart(self) -> TestApp {
        let setup = Setup { now: self.clock.now(), ..self.setup.clone() };
        self.db.pool.close().await;
        TestApp::on(self.dir, self.url, setup).await
    }

    pub fn call_from(&self, from: &str) -> Phone<'_> {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Phone {
            app: self,
            sid: format!("CA{n:032x}"),
            from: from.into(),
            next: "/twilio/voice".into(),
            attested: true,
        }
    }

    /// A form post signed as Twilio signs it.
    pub async fn post_signed(&self, path: &str, params: &[(&str, &str)]) -> (Status, String) {
        let signature = sign(path, params);
        self.post(path, params, Some(signature)).await
    }

    pub async fn post(
        &self,
        path: &str,
        params: &[(&str, &str)],
        signature: Option<String>,
    ) -> (Status, String) {
        let headers = signature.map(|s| Header::new("X-Twilio-Signature", s));
        self.post_with(path, params, headers.into_iter().collect()).await
    }

    pub async fn post_with(
        &self,
        path: &str,
        params: &[(&str, &str)],
        headers: Vec<Header<'static>>,
    ) -> (Status, String) {
        let mut request = self.client.post(path).header(ContentType::Form).body(encode(params));
        for header in headers {
            request = request.header(header);
        }
        let response = request.dispatch().await;
        let status = response.status();
        (status, response.into_string().await.unwrap_or_default())
    }

    /// Creates a staff account and logs this client in as it, through the login form.
    pub async fn log_in(&self) {
        frontdesk::staff::auth::add(&self.db, STAFF, STAFF_PASSWORD).await.unwrap();
        let csrf = self.csrf().await;
        let (status, body) = self
            .submit_form("/login", &[("name", STAFF), ("password", STAFF_PASSWORD), ("csrf", &csrf)])
            .await;
        assert_eq!(status, Status::SeeOther, "{body}");
    }

    /// A form as a browser submits it (with this client's cookies).
    pub async fn submit_form(&self, path: &str, fields: &[(&str, &str)]) -> (Status, String) {
        let response = self.client.post(path).header(ContentType::Form).body(encode(fields)).dispatch().await;
        (response.status(), response.into_string().await.unwrap_or_default())
    }

    /// The CSRF token the login page hands this client.
    pub async fn csrf(&self) -> String {
        let page = self.client.get("/login").dispatch().await.into_string().await.unwrap();
        let start =
            page.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
        page[start..].split('"').next().unwrap().to_string()
    }

    pub async fn get(&self, path: &str) -> (Status, String) {
        let response = self.client.get(path).dispatch().await;
        (response.status(), response.into_string().await.unwrap_or_default())
    }

    /// Puts a person in the local directory, as an office adds one.
    pub async fn add_to_directory(&self, phone: &str, kind: &str, name: &str, unit: &str, property: &str) {
        sqlx::query("INSERT INTO directory (phone, kind, name, unit, property) VALUES ($1, $2, $3, $4, $5)")
            .bind(phone)
            .bind(kind)
            .bind(name)
            .bind(unit)
            .bind(property)
            .execute(&self.db.pool)
            .await
            .unwrap();
    }
}

impl Stored for TestApp {
    fn pool(&self) -> &sqlx::AnyPool {
        &self.db.pool
    }
}

impl Stored for Db {
    fn pool(&self) -> &sqlx::AnyPool {
        &self.pool
    }
}

/// What the app stored, read back for assertions: the one place the tests hold SQL. A
/// `TestApp` has these, and so does a bare `Db` that real `frontdesk` processes share.
pub trait Stored {
    fn pool(&self) -> &sqlx::AnyPool;

    /// Every call, oldest first. (The `Any` driver reads no SQLite boolean: flags come as 0/1.)
    async fn calls(&self) -> Vec<CallRow> {
        let sql = "SELECT sid, caller_kind, unit, stage, outcome,
                          CASE WHEN emergency THEN 1 ELSE 0 END AS emergency,
                          CASE WHEN message THEN 1 ELSE 0 END AS message, duration_s
                   FROM calls ORDER BY started_at, sid";
        sqlx::query_as(sql).fetch_all(self.pool()).await.unwrap()
    }

    /// The turns of one call, in order.
    async fn turns_of(&self, sid: &str) -> Vec<TurnRow> {
        let sql = "SELECT turn, event, source, model_error, line_declined, prompt_tokens, read_from,
                          caller_text, reply_text, model_skipped, hold_lines,
                          CASE WHEN model_asked IS NULL THEN NULL WHEN model_asked THEN 1 ELSE 0 END AS model_asked
                   FROM turns WHERE call_sid = $1 ORDER BY turn";
        sqlx::query_as(sql).bind(sid).fetch_all(self.pool()).await.unwrap()
    }

    /// A call's state as stored, as JSON.
    async fn stored_state(&self, sid: &str) -> serde_json::Value {
        let state: String = sqlx::query_scalar("SELECT state FROM calls WHERE sid = $1")
            .bind(sid)
            .fetch_one(self.pool())
            .await
            .unwrap();
        serde_json::from_str(&state).unwrap()
    }

    /// Rows the caller's wait keeps while a turn is pending: (held finals, readings).
    async fn early_rows(&self) -> (i64, i64) {
        let sql = "SELECT (SELECT COUNT(*) FROM held_turns), (SELECT COUNT(*) FROM readings)";
        sqlx::query_as(sql).fetch_one(self.pool()).await.unwrap()
    }

    /// How many turns are stored, of every call.
    async fn turns_stored(&self) -> usize {
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM turns").fetch_one(self.pool()).await.unwrap();
        usize::try_from(count).unwrap()
    }

    /// Every follow-up left for staff, in order.
    async fn follow_ups(&self) -> Vec<FollowUpRow> {
        // Booleans cross the Any driver as integers.
        let sql = "SELECT kind, CASE WHEN urgent THEN 1 ELSE 0 END, CASE WHEN texted THEN 1 ELSE 0 END
                   FROM follow_ups ORDER BY id";
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(sql).fetch_all(self.pool()).await.unwrap();
        rows.into_iter()
            .map(|(kind, urgent, texted)| FollowUpRow { kind, urgent: urgent == 1, texted: texted == 1 })
            .collect()
    }

    /// The staff follow-up queue's rows, oldest first.
    async fn queue(&self) -> Vec<QueueRow> {
        let sql = "SELECT f.id, f.call_sid, f.kind, CASE WHEN f.urgent THEN 1 ELSE 0 END AS urgent, f.body,
                          f.for_whom, s.name AS assignee, CASE WHEN f.resolved_at IS NULL THEN 0 ELSE 1 END AS done
                   FROM follow_ups f LEFT JOIN staff_users s ON s.id = f.assigned_to ORDER BY f.id";
        sqlx::query_as(sql).fetch_all(self.pool()).await.unwrap()
    }

    /// The changes staff made to a follow-up, in order: (change, who, note).
    async fn follow_up_history(&self, id: i64) -> Vec<(String, String, Option<String>)> {
        let sql =
            "SELECT change, staff_name, note FROM follow_up_changes WHERE follow_up_id = $1 ORDER BY id";
        sqlx::query_as(sql).bind(id).fetch_all(self.pool()).await.unwrap()
    }

    /// Marks every follow-up done at `at`, as staff working through the queue would.
    async fn finish_every_follow_up(&self, at: i64) {
        let sql = "UPDATE follow_ups SET resolved_at = $1 WHERE resolved_at IS NULL";
        sqlx::query(sql).bind(at).execute(self.pool()).await.unwrap();
    }

    /// A call's reference, as stored.
    async fn reference_of(&self, sid: &str) -> Option<String> {
        let sql = "SELECT reference FROM calls WHERE sid = $1";
        sqlx::query_scalar(sql).bind(sid).fetch_one(self.pool()).await.unwrap()
    }

    /// Calls linked by a reference said: (the later call, the earlier one, the reference).
    async fn call_links(&self) -> Vec<(String, String, String)> {
        let sql = "SELECT call_sid, earlier_sid, reference FROM call_links ORDER BY created_at";
        sqlx::query_as(sql).fetch_all(self.pool()).await.unwrap()
    }

    /// Numbers known not to take texts, with Twilio's code.
    async fn unreachable_numbers(&self) -> Vec<(String, i64)> {
        let sql = "SELECT phone, error_code FROM sms_unreachable ORDER BY phone";
        sqlx::query_as(sql).fetch_all(self.pool()).await.unwrap()
    }

    /// `n` follow-ups of one call, as a busy office's months leave them: every tenth urgent,
    /// every third done, created a minute apart from `since`.
    async fn seed_follow_ups(&self, sid: &str, n: i64, since: i64) {
        let sql = "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $2)
                   INSERT INTO follow_ups (call_sid, turn, kind, urgent, body, texted, created_at, resolved_at)
                   SELECT $1, 0, CASE WHEN i % 10 = 0 THEN 'emergency_follow_up' ELSE 'message' END, i % 10 = 0,
                          'seeded ' || i, FALSE, $3 + i * 60000, CASE WHEN i % 3 = 0 THEN $3 + i * 60000 + 1 END
                   FROM seq";
        sqlx::query(sql).bind(sid).bind(n).bind(since).execute(self.pool()).await.unwrap();
    }

    /// Every service issue filed, in order.
    async fn service_issues(&self) -> Vec<IssueRow> {
        let sql = "SELECT priority, problem, unit, property, location, callback, caller_name
                   FROM service_issues ORDER BY id";
        sqlx::query_as(sql).fetch_all(self.pool()).await.unwrap()
    }

    /// The priority of every service issue filed, in order.
    async fn issue_priorities(&self) -> Vec<String> {
        self.service_issues().await.into_iter().map(|issue| issue.priority).collect()
    }

    /// The summary (the read-back's words, the issue's title) and the access note of every
    /// service issue filed, in order.
    async fn issue_summaries(&self) -> Vec<(Option<String>, Option<String>)> {
        let sql = "SELECT summary, access_note FROM service_issues ORDER BY id";
        sqlx::query_as(sql).fetch_all(self.pool()).await.unwrap()
    }

    /// The summary of every message and showing request left for staff, in order.
    async fn message_summaries(&self) -> Vec<Option<String>> {
        sqlx::query_scalar("SELECT summary FROM messages ORDER BY id").fetch_all(self.pool()).await.unwrap()
    }

    /// Every message and showing request left for staff, in order.
    async fn messages(&self) -> Vec<MessageRow> {
        sqlx::query_as("SELECT kind, body FROM messages ORDER BY id").fetch_all(self.pool()).await.unwrap()
    }

    /// Every outside write queued, in order.
    async fn outbox_items(&self) -> Vec<OutboxRow> {
        let sql = "SELECT kind, status, attempts, last_error, external_id, locked_until, payload FROM outbox ORDER BY id";
        sqlx::query_as(sql).fetch_all(self.pool()).await.unwrap()
    }

    /// The one outside write of this kind (`sms`, `service_issue`, `history_note`).
    async fn outbox_item(&self, kind: &str) -> OutboxRow {
        let items: Vec<OutboxRow> =
            self.outbox_items().await.into_iter().filter(|i| i.kind == kind).collect();
        let [item] =
            <[OutboxRow; 1]>::try_from(items).unwrap_or_else(|items| panic!("one {kind}: {items:?}"));
        item
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallRow {
    pub sid: String,
    pub caller_kind: String,
    pub unit: Option<String>,
    pub stage: String,
    pub outcome: String,
    pub emergency: bool,
    pub message: bool,
    pub duration_s: Option<i64>,
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for CallRow {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<CallRow> {
        use sqlx::Row;
        Ok(CallRow {
            sid: row.try_get("sid")?,
            caller_kind: row.try_get("caller_kind")?,
            unit: row.try_get("unit")?,
            stage: row.try_get("stage")?,
            outcome: row.try_get("outcome")?,
            emergency: row.try_get::<i64, _>("emergency")? != 0,
            message: row.try_get::<i64, _>("message")? != 0,
            duration_s: row.try_get("duration_s")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TurnRow {
    pub turn: i64,
    pub event: String,
    pub source: String,
    /// Why the model did not read the turn.
    pub model_error: Option<String>,
    /// Why the model's line was not spoken.
    pub line_declined: Option<String>,
    pub prompt_tokens: Option<i64>,
    /// Whether the reading started on a partial transcript or on the final result.
    pub read_from: Option<String>,
    pub caller_text: Option<String>,
    pub reply_text: String,
    /// 1 when the model was asked, 0 when the turn skipped it (booleans cross the Any
    /// driver as integers).
    pub model_asked: Option<i64>,
    /// Why the model was not asked.
    pub model_skipped: Option<String>,
    /// The hold lines said before the answer, as JSON.
    pub hold_lines: Option<String>,
}

impl TurnRow {
    pub fn holds(&self) -> Vec<String> {
        self.hold_lines.as_deref().map(|h| serde_json::from_str(h).unwrap()).unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct IssueRow {
    pub priority: String,
    pub problem: String,
    pub unit: Option<String>,
    pub property: Option<String>,
    pub location: Option<String>,
    pub callback: Option<String>,
    pub caller_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MessageRow {
    pub kind: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OutboxRow {
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub external_id: Option<String>,
    /// Until when a worker holds it.
    pub locked_until: Option<i64>,
    pub payload: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueueRow {
    pub id: i64,
    pub call_sid: String,
    pub kind: String,
    pub urgent: bool,
    pub body: String,
    pub for_whom: Option<String>,
    pub assignee: Option<String>,
    pub done: bool,
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for QueueRow {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<QueueRow> {
        use sqlx::Row;
        Ok(QueueRow {
            id: row.try_get("id")?,
            call_sid: row.try_get("call_sid")?,
            kind: row.try_get("kind")?,
            urgent: row.try_get::<i64, _>("urgent")? != 0,
            body: row.try_get("body")?,
            for_whom: row.try_get("for_whom")?,
            assignee: row.try_get("assignee")?,
            done: row.try_get::<i64, _>("done")? != 0,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpRow {
    pub kind: String,
    pub urgent: bool,
    pub texted: bool,
}

/// Where outside writes go in a test app: the fake Twilio and the fake Rent Manager it has.
fn outside_delivery(setup: &Setup) -> Delivery {
    Delivery {
        texts: setup
            .twilio_api
            .as_deref()
            .map(|base| Arc::new(Rest::new(base, ACCOUNT_SID.into(), AUTH_TOKEN.into())) as Arc<dyn Texts>),
        records: rent_manager_client(setup).map(|rm| Arc::new(rm) as Arc<dyn RecordKeeper>),
        caller_texts: setup.caller_texts,
        status_callback: setup.public_url.map(frontdesk::twilio::sms_status_url),
        ..Delivery::default()
    }
}

fn rent_manager_client(setup: &Setup) -> Option<RentManager> {
    setup.rent_manager.as_deref().map(|url| {
        RentManager::new(rent_manager::Settings {
            url: url.into(),
            auth: Auth::Login {
                username: "frontdesk".into(),
                password: "rm-secret".into(),
                location_id: Some(1),
            },
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(5),
            category: "Maintenance".into(),
            status: "Open".into(),
        })
        .unwrap()
    })
}

pub fn encode(params: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish()
}

/// The signature Twilio sends for `path` under `PUBLIC_URL`, signed with the auth token.
pub fn sign(path: &str, params: &[(&str, &str)]) -> String {
    sign_as(AUTH_TOKEN, Algorithm::Sha1, &format!("{PUBLIC_URL}{path}"), params)
}

pub fn sign_as(key: &str, algorithm: Algorithm, url: &str, params: &[(&str, &str)]) -> String {
    let owned: Vec<(String, String)> = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    signature::sign(key, algorithm, url, &owned)
}

/// One caller's line: it follows the URLs the app's TwiML gives, as Twilio does.
pub struct Phone<'a> {
    pub app: &'a TestApp,
    pub sid: String,
    pub from: String,
    next: String,
    /// Whether the carrier vouches for `from` (`StirVerstat`): true unless a test says not,
    /// so that only the identity tests meet the unit question.
    attested: bool,
}

impl Phone<'_> {
    fn params<'p>(&'p self, extra: &[(&'p str, &'p str)]) -> Vec<(&'p str, &'p str)> {
        let mut params = vec![
            ("CallSid", self.sid.as_str()),
            ("AccountSid", "AC00000000000000000000000000000000"),
            ("From", self.from.as_str()),
            ("To", "+17185550100"),
            ("Direction", "inbound"),
            ("ApiVersion", "2010-04-01"),
        ];
        if !extra.iter().any(|(name, _)| *name == "CallStatus") {
            params.push(("CallStatus", "in-progress"));
        }
        params.extend_from_slice(extra);
        params
    }

    async fn exchange(&mut self, extra: &[(&str, &str)]) -> Twiml {
        let path = self.next.clone();
        let (status, body) = self.app.post_signed(&path, &self.params(extra)).await;
        assert_eq!(status, Status::Ok, "{path}: {body}");
        let twiml = Twiml::parse(body);
        if let Some(next) = twiml.next_url() {
            self.next = next;
        }
        twiml
    }

    pub async fn answer(&mut self) -> Twiml {
        match self.attested {
            true => self.exchange(&[("StirVerstat", "TN-Validation-Passed-A")]).await,
            false => self.exchange(&[]).await,
        }
    }

    /// The same phone, calling on a caller ID the carrier does not vouch for.
    pub fn unattested(mut self) -> Self {
        self.attested = false;
        self
    }

    pub async fn say(&mut self, speech: &str) -> Twiml {
        self.exchange(&[("SpeechResult", speech), ("Confidence", "0.91")]).await
    }

    pub async fn say_unclearly(&mut self, speech: &str) -> Twiml {
        self.exchange(&[("SpeechResult", speech), ("Confidence", "0.2")]).await
    }

    pub async fn stay_silent(&mut self) -> Twiml {
        self.exchange(&[]).await
    }

    /// Twilio fetching a `<Redirect>` (after a hold line): the call's fields, nothing heard.
    pub async fn follow_redirect(&mut self) -> Twiml {
        self.exchange(&[]).await
    }

    /// A partial transcript of the turn the call is in, as Twilio posts it while the caller
    /// speaks; Twilio ignores the reply.
    pub async fn partial(&self, sequence: u32, unstable: &str) -> Status {
        let turn = self.next.split("turn=").nth(1).and_then(|t| t.split('&').next()).unwrap_or("0");
        let path = format!("/twilio/partial?turn={turn}");
        let sequence = sequence.to_string();
        let params = self.params(&[
            ("UnstableSpeechResult", unstable),
            ("SequenceNumber", sequence.as_str()),
            ("Stability", "0.8"),
        ]);
        let (status, _) = self.app.post_signed(&path, &params).await;
        status
    }

    pub async fn dial_ends(&mut self, status: &str) -> Twiml {
        self.exchange(&[("DialCallStatus", status)]).await
    }

    /// The callback that would come next, to send it again or tamper with it.
    pub fn next_path(&self) -> &str {
        &self.next
    }

    pub fn with_speech<'p>(&'p self, speech: &'p str) -> Vec<(&'p str, &'p str)> {
        self.params(&[("SpeechResult", speech), ("Confidence", "0.9")])
    }

    pub async fn hang_up(&self) {
        let (status, _) = self
            .app
            .post_signed(
                "/twilio/status",
                &self.params(&[("CallStatus", "completed"), ("CallDuration", "42")]),
            )
            .await;
        assert_eq!(status, Status::NoContent);
    }
}

/// A TwiML reply, parsed: tests assert on verbs, attributes and text, never raw strings.
#[derive(Debug, Clone, PartialEq)]
pub struct Twiml {
    pub xml: String,
}

impl Twiml {
    pub fn parse(xml: String) -> Twiml {
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not XML ({e}): {xml}"));
        assert_eq!(doc.root_element().tag_name().name(), "Response", "{xml}");
        Twiml { xml }
    }

    fn with<T>(&self, f: impl FnOnce(roxmltree::Document) -> T) -> T {
        f(roxmltree::Document::parse(&self.xml).unwrap())
    }

    /// Top-level verbs in order: `["Gather", "Redirect"]`.
    pub fn verbs(&self) -> Vec<String> {
        self.with(|doc| {
            doc.root_element()
                .children()
                .filter(|n| n.is_element())
                .map(|n| n.tag_name().name().to_string())
                .collect()
        })
    }

    /// Every `<Say>`'s text, wherever it is.
    pub fn says(&self) -> Vec<String> {
        self.with(|doc| {
            doc.descendants()
                .filter(|n| n.has_tag_name("Say"))
                .map(|n| n.text().unwrap_or_default().to_string())
                .collect()
        })
    }

    pub fn spoken(&self) -> String {
        self.says().join(" ")
    }

    pub fn attr(&self, verb: &str, name: &str) -> Option<String> {
        self.with(|doc| {
            doc.descendants().find(|n| n.has_tag_name(verb)).and_then(|n| n.attribute(name)).map(String::from)
        })
    }

    /// The number a `<Dial>` rings.
    pub fn dials(&self) -> Option<String> {
        self.with(|doc| {
            doc.descendants()
                .find(|n| n.has_tag_name("Number"))
                .and_then(|n| n.text())
                .map(|t| t.trim().to_string())
        })
    }

    pub fn listens(&self) -> bool {
        self.verbs().first().is_some_and(|v| v == "Gather")
    }

    pub fn hangs_up(&self) -> bool {
        self.verbs().last().is_some_and(|v| v == "Hangup")
    }

    /// The URL of a top-level `<Redirect>` (a hold line's), not the `<Gather>`'s safety net.
    pub fn redirect(&self) -> Option<String> {
        self.with(|doc| {
            let mut verbs = doc.root_element().children().filter(|n| n.is_element());
            if verbs.clone().any(|n| n.has_tag_name("Gather")) {
                return None;
            }
            verbs.find(|n| n.has_tag_name("Redirect")).and_then(|n| n.text()).map(String::from)
        })
    }

    fn next_url(&self) -> Option<String> {
        self.attr("Gather", "action").or_else(|| self.attr("Dial", "action")).or_else(|| self.redirect())
    }
}

/// A reference as the assistant says it: "4, 7, 2, 1, 8" for "47218".
pub fn digit_by_digit(reference: &str) -> String {
    reference.chars().map(String::from).collect::<Vec<_>>().join(", ")
}

pub const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");
/// A fixed 256-bit key, base64: release builds need one for private cookies.
pub const SECRET_KEY: &str = "qernfPEhhlG4QV2cYRXK8OnuRoo/MyNd1leydiFkb5w=";

/// Waits (at most 20 s) until `check` holds: for what another process or task does.
pub async fn wait_for<F: Future<Output = bool>>(what: &str, check: impl Fn() -> F) {
    let started = std::time::Instant::now();
    while !check().await {
        assert!(started.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A real `frontdesk` process on a free port, as an office runs it; killed when dropped.
pub struct ServerProcess {
    child: std::process::Child,
    pub port: u16,
    _dir: TempDir,
}

impl ServerProcess {
    /// Starts a server with these settings on top of test defaults (a SQLite file of its
    /// own, the test auth token, `PUBLIC_URL` as Twilio signs it) and waits until it listens.
    pub fn start(settings: &[(&str, &str)]) -> ServerProcess {
        use std::process::{Command, Stdio};
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let sqlite = format!("sqlite://{}", dir.path().join("fd.db").display());
        let mut command = Command::new(BIN);
        command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("PORT", port.to_string())
            .env("ROCKET_ADDRESS", "127.0.0.1")
            .env("DATABASE_URL", sqlite)
            .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
            .env("PUBLIC_URL", PUBLIC_URL)
            .current_dir(dir.path())
            .stdout(
                std::fs::File::create(dir.path().join("frontdesk.log"))
                    .map_or_else(|_| Stdio::null(), Stdio::from),
            )
            .stderr(Stdio::null());
        for (name, value) in settings {
            command.env(name, value);
        }
        let child = command.spawn().unwrap();
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "frontdesk did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        ServerProcess { child, port, _dir: dir }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Everything the server has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("frontdesk.log")).unwrap_or_default()
    }

    /// A form post signed as Twilio signs it for `PUBLIC_URL`.
    pub async fn post_signed(&self, path: &str, params: &[(&str, &str)]) -> (u16, String) {
        let response = reqwest::Client::new()
            .post(format!("{}{path}", self.base()))
            .header("X-Twilio-Signature", sign(path, params))
            .form(params)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// Gone at once, mid-whatever, as a crashed machine goes.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
