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
pub mod metrics;
pub mod office;
pub mod outbox;
pub mod phone;
pub mod softphone;
pub mod staff;
pub mod twilio;

use std::sync::Arc;

use rocket::{Build, Rocket};

use brain::Brain;
use db::Db;
use metrics::Metrics;
use office::{Clock, Office};
use outbox::{Delivery, Outbox};
use staff::{Pages, Throttle};
use twilio::TwilioConfig;

/// Everything a request may need, managed by Rocket and shared by all requests.
pub struct App {
    pub db: Db,
    pub brain: Brain,
    pub office: Office,
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
    pub fn new(
        db: Db,
        brain: Brain,
        office: Office,
        clock: Arc<dyn Clock>,
        twilio: TwilioConfig,
        delivery: Delivery,
    ) -> App {
        let speech_hints = office.speech_hints();
        let metrics = Arc::new(Metrics::default());
        let outbox = Arc::new(Outbox::new(db.clone(), clock.clone(), delivery, metrics.clone()));
        App {
            db,
            brain,
            office,
            clock,
            twilio,
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
