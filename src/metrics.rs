//! Prometheus metrics (served at `/metrics` by `health`), and the in-process counters the
//! dashboard reads.
//!
//! Counters are per process; scrape every worker. The outbox backlog is read from the
//! database at scrape time, so any worker reports the shared truth.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SourceLabels {
    pub source: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DeliveryLabels {
    pub kind: String,
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LoginLabels {
    /// `succeeded`, `failed`, `delayed` (made to wait first) or `refused` (the address).
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabels {
    pub status: String,
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    /// Server-side time of a turn, the model's wait excluded.
    pub turn_seconds: Histogram,
    /// The model's (or the rules') time reading the caller.
    pub brain_seconds: Histogram,
    pub answers: Family<SourceLabels, Counter>,
    pub model_errors: Counter,
    pub deliveries: Family<DeliveryLabels, Counter>,
    pub outbox_items: Family<StatusLabels, Gauge>,
    pub signature_rejections: Counter,
    pub logins: Family<LoginLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::with_prefix("frontdesk");
        let metrics = Metrics {
            requests: Family::default(),
            // 100 µs to ~13 s.
            turn_seconds: Histogram::new(exponential_buckets(0.0001, 2.0, 18)),
            brain_seconds: Histogram::new(exponential_buckets(0.001, 2.0, 15)),
            answers: Family::default(),
            model_errors: Counter::default(),
            deliveries: Family::default(),
            outbox_items: Family::default(),
            signature_rejections: Counter::default(),
            logins: Family::default(),
            registry: Registry::default(),
        };
        registry.register("http_requests", "HTTP requests by route and status", metrics.requests.clone());
        registry.register(
            "turn_seconds",
            "Server-side time per turn, excluding the model",
            metrics.turn_seconds.clone(),
        );
        registry.register(
            "brain_seconds",
            "Time spent reading the caller (model or rules)",
            metrics.brain_seconds.clone(),
        );
        registry.register(
            "answers",
            "Caller turns answered, by the model or the rules",
            metrics.answers.clone(),
        );
        registry.register(
            "model_errors",
            "Turns where the model failed and the rules answered",
            metrics.model_errors.clone(),
        );
        registry.register(
            "outbox_deliveries",
            "Outbox delivery attempts by outcome",
            metrics.deliveries.clone(),
        );
        registry.register("outbox_items", "Outbox items by status", metrics.outbox_items.clone());
        registry.register(
            "signature_rejections",
            "Twilio requests refused for their signature",
            metrics.signature_rejections.clone(),
        );
        registry.register("staff_logins", "Staff login attempts by outcome", metrics.logins.clone());
        Metrics { registry, ..metrics }
    }
}

impl Metrics {
    /// Everything, in Prometheus' text format (served by `health` at `/metrics`).
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }

    pub fn answered(&self, source: &str) {
        self.answers.get_or_create(&SourceLabels { source: source.into() }).inc();
    }

    pub fn login(&self, outcome: &str) {
        self.logins.get_or_create(&LoginLabels { outcome: outcome.into() }).inc();
    }

    pub fn delivered(&self, kind: &str, outcome: &str) {
        self.deliveries.get_or_create(&DeliveryLabels { kind: kind.into(), outcome: outcome.into() }).inc();
    }
}
