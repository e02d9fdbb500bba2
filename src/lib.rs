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
pub mod metrics;
pub mod office;
pub mod outbox;
pub mod phone;
pub mod rent_manager;
pub mod softphone;
pub mod staff;
pub mod twilio;

use std::sync::Arc;
use std::time::Duration;

use rocket::{Build, Rocket};

use brain::Brain;
use db::Db;
use directory::Directory;
use knowledge::Knowledge;
use metrics::Metrics;
use office::{Clock, Office};
use outbox::{Delivery, Outbox};
use rent_manager::RentManager;
use staff::{Pages, Throttle};
use twilio::TwilioConfig;

/// Everything a request may need, managed by Rocket and shared by all requests.
/// The services outside frontdesk, as configured.
pub struct Outside {
    pub brain: Brain,
    pub twilio: TwilioConfig,
    pub delivery: Delivery,
    pub rent_manager: Option<RentManager>,
    /// How long a call's start waits on Rent Manager to say who is calling.
    pub lookup_deadline: Duration,
}

pub struct App {
    pub db: Db,
    pub rent_manager: Option<RentManager>,
    pub directory: Directory,
    pub brain: Brain,
    pub office: Office,
    /// The office's buildings and policies, refreshed from the database.
    pub knowledge: knowledge::Shared,
    pub clock: Arc<dyn Clock>,
    pub twilio: TwilioConfig,
    pub outbox: Arc<Outbox>,
    pub pages: Pages,
    pub throttle: Throttle,
    pub metrics: Arc<Metrics>,
    /// Computed once: every `<Gather>` carries it.
    pub speech_hints: String,
}

impl App {
    pub fn new(db: Db, office: Office, knowledge: Knowledge, clock: Arc<dyn Clock>, outside: Outside) -> App {
        let speech_hints = office.speech_hints();
        let metrics = Arc::new(Metrics::default());
        let delivery = Delivery { rent_manager: outside.rent_manager.clone(), ..outside.delivery };
        let outbox = Arc::new(Outbox::new(db.clone(), clock.clone(), delivery, metrics.clone()));
        let directory = Directory {
            db: db.clone(),
            rent_manager: outside.rent_manager.clone(),
            deadline: outside.lookup_deadline,
        };
        App {
            db,
            brain: outside.brain,
            office,
            knowledge: knowledge::Shared::new(knowledge),
            clock,
            twilio: outside.twilio,
            rent_manager: outside.rent_manager,
            directory,
            outbox,
            pages: Pages::new().expect("the compiled-in templates parse (a unit test checks them)"),
            throttle: Throttle::default(),
            metrics,
            speech_hints,
        }
    }
}

/// The whole web application; `main` and the tests both start here.
pub fn build(app: App, figment: rocket::figment::Figment) -> Rocket<Build> {
    rocket::custom(figment)
        .manage(app)
        .mount("/twilio", twilio::routes())
        .attach(metrics::CountRequests)
        .mount("/", health::routes())
        .mount("/", metrics::routes())
        .mount("/", staff::routes())
        .register("/", staff::catchers())
}
