//! frontdesk: a phone assistant for a property-management office.
//!
//! Twilio calls the webhooks in `twilio`; each callback moves the pure state machine in
//! `call` forward, with `brain` reading the caller and `office` supplying every fact.

pub mod brain;
pub mod call;
pub mod config;
pub mod db;
pub mod directory;
mod health;
pub mod knowledge;
pub mod mail;
pub mod metrics;
pub mod office;
pub mod outbox;
pub mod phone;
pub mod rent_manager;
pub mod retention;
pub mod secret;
pub mod softphone;
pub mod staff;
pub mod startup;
pub mod twilio;

use std::sync::Arc;
use std::time::Duration;

use rocket::{Build, Rocket};

use brain::{Brain, Model};
use call::early::{Early, EarlySettings};
use call::reader::{Reader, Rules};
use call::turn::{Directory, Turns};
use db::Db;
use directory::LocalDirectory;
use knowledge::{Knowledge, PropertySource};
use metrics::Metrics;
use office::{Clock, Office};
use outbox::{Delivery, Mail, Outbox, RecordKeeper};
use rent_manager::RentManager;
use staff::{Pages, Throttle};
use twilio::TwilioConfig;

/// The services outside frontdesk, as configured.
pub struct Outside {
    pub model: Option<Model>,
    pub twilio: TwilioConfig,
    pub delivery: Delivery,
    pub rent_manager: Option<RentManager>,
    /// How long a call's start waits on Rent Manager to say who is calling.
    pub lookup_deadline: Duration,
    /// Speculative readings and the caller's wait.
    pub early: EarlySettings,
    /// E-mail to the office (`SMTP_URL`, `OFFICE_EMAIL`), when on.
    pub mail: Option<mail::Settings>,
}

/// What the build (release or debug) and the settings allow, decided once at start
/// (`config::Settings::posture`). The default is a debug build's: open metrics, cookies
/// without `Secure` (a development server is plain http).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// Staff cookies carry `Secure`: browsers send them over https only.
    pub secure_cookies: bool,
    pub metrics: MetricsAccess,
}

/// Who may read `/metrics`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum MetricsAccess {
    /// Anyone (debug builds without `METRICS_TOKEN`).
    #[default]
    Open,
    /// Requests with `Authorization: Bearer <token>`.
    Bearer(String),
    /// Nobody: 404 (release builds without `METRICS_TOKEN`).
    Off,
}

/// Everything a request may need, managed by Rocket and shared by all requests. Which
/// outside service plays each role is decided here, once.
pub struct App {
    pub db: Db,
    /// The turn service: every voice webhook goes through it.
    pub turns: Turns,
    pub office: Arc<Office>,
    /// The office's buildings and policies, refreshed from the database.
    pub knowledge: knowledge::Shared,
    pub clock: Arc<dyn Clock>,
    pub twilio: TwilioConfig,
    pub outbox: Arc<Outbox>,
    pub pages: Pages,
    /// Failed staff logins; `main` prunes it on a timer.
    pub throttle: Arc<Throttle>,
    pub access: Access,
    pub metrics: Arc<Metrics>,
    /// Computed once: every `<Gather>` carries it.
    pub speech_hints: String,
    /// For the dashboard: the model's name, when one reads callers.
    pub model_name: Option<String>,
    /// The model reading callers, when one does: its structured-reply negotiation runs in
    /// the background (`main` starts it) and the dashboard shows how it stands.
    pub model: Option<Model>,
    /// For the dashboard's health check, and the knowledge's refresh.
    pub rent_manager: Option<RentManager>,
    /// Days transcripts and caller numbers are kept (`TRANSCRIPT_RETENTION_DAYS`); none: for good.
    pub retention_days: Option<u32>,
    /// E-mail to the office, when on: for the dashboard.
    pub mail: Option<mail::Settings>,
    /// The daily digest, when e-mail and `DIGEST_AT` are on; `main` starts its timer.
    pub digests: Option<Arc<mail::digest::Digests>>,
}

impl App {
    pub fn new(db: Db, office: Office, knowledge: Knowledge, clock: Arc<dyn Clock>, outside: Outside) -> App {
        let office = Arc::new(office);
        let speech_hints = office.speech_hints();
        let metrics = Arc::new(Metrics::default());
        let knowledge = knowledge::Shared::new(knowledge);
        let records = outside.rent_manager.clone().map(|rm| Arc::new(rm) as Arc<dyn RecordKeeper>);
        let texting = outside.delivery.texts.is_some();
        let caller_texts = texting && outside.delivery.caller_texts;
        let mailer = outside.mail.as_ref().map(|settings| {
            let mailer = mail::Mailer::new(settings, outside.model.clone(), db.clone(), clock.clone());
            Arc::new(mailer) as Arc<dyn Mail>
        });
        let delivery = Delivery { records, mail: mailer, ..outside.delivery };
        let digests = outside.mail.as_ref().and_then(|settings| {
            let at = settings.digest_at?;
            let public_url = outside.twilio.public_url.clone();
            Some(Arc::new(mail::digest::Digests::new(
                db.clone(),
                clock.clone(),
                office.timezone,
                at,
                public_url,
            )))
        });
        let outbox = Arc::new(Outbox::new(db.clone(), clock.clone(), delivery, metrics.clone()));
        let directory: Arc<dyn Directory> = match &outside.rent_manager {
            Some(rent_manager) => Arc::new(rent_manager.clone()),
            None => Arc::new(LocalDirectory { db: db.clone() }),
        };
        let model_name = outside.model.as_ref().map(|model| model.name().to_string());
        let model = outside.model.clone();
        let reader: Arc<dyn Reader> = match outside.model {
            Some(model) => Arc::new(Brain { model }),
            None => Arc::new(Rules),
        };
        let early = Arc::new(Early::new(
            db.clone(),
            reader.clone(),
            office.clone(),
            knowledge.clone(),
            clock.clone(),
            texting,
            outside.early,
        ));
        let turns = Turns {
            db: db.clone(),
            office: office.clone(),
            knowledge: knowledge.clone(),
            clock: clock.clone(),
            directory,
            reader,
            early,
            metrics: metrics.clone(),
            lookup_deadline: outside.lookup_deadline,
            public_url: outside.twilio.public_url.clone(),
            texting,
            caller_texts,
            summaries: outside.mail.is_some(),
        };
        App {
            db,
            turns,
            office,
            knowledge,
            clock,
            twilio: outside.twilio,
            outbox,
            pages: Pages::new().expect("the compiled-in templates parse (a unit test checks them)"),
            throttle: Arc::new(Throttle::default()),
            access: Access::default(),
            metrics,
            speech_hints,
            model_name,
            model,
            rent_manager: outside.rent_manager,
            retention_days: None,
            mail: outside.mail,
            digests,
        }
    }

    /// Where the office's properties and units come from besides the database.
    pub fn property_source(&self) -> Option<Arc<dyn PropertySource>> {
        self.rent_manager.clone().map(|rm| Arc::new(rm) as Arc<dyn PropertySource>)
    }
}

/// The whole web application; `main` and the tests both start here.
pub fn build(app: App, figment: rocket::figment::Figment) -> Rocket<Build> {
    // Behind a proxy that forwards `PUBLIC_URL`'s path unchanged, Twilio's requests arrive
    // under it; one that strips it sends them to `/twilio`. Both are served.
    let prefixed = Some(format!("{}/twilio", app.twilio.prefix()))
        .filter(|base| base != "/twilio" && rocket::http::uri::Origin::parse(base).is_ok());
    let rocket = rocket::custom(figment).manage(app).mount("/twilio", twilio::routes());
    let rocket = match prefixed {
        Some(base) => rocket.mount(base, twilio::routes()),
        None => rocket,
    };
    rocket
        .attach(health::CountRequests)
        .mount("/", health::routes())
        .mount("/", staff::routes())
        .register("/", staff::catchers())
}
