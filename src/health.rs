//! What operations watch: probes for load balancers and orchestrators, and the Prometheus
//! metrics with a count of every response.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{ContentType, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::{Request, Response, Route, State, get, routes};
use subtle::ConstantTimeEq;

use crate::call::effects::WriteState;
use crate::metrics::{RequestLabels, StatusLabels};
use crate::{App, MetricsAccess};

pub fn routes() -> Vec<Route> {
    routes![get_health, get_ready, get_metrics]
}

/// Alive: the process answers HTTP.
#[get("/health")]
fn get_health() -> &'static str {
    "ok"
}

/// Ready: the database answers too.
#[get("/ready")]
async fn get_ready(app: &State<App>) -> (Status, &'static str) {
    match app.db.ping().await {
        Ok(()) => (Status::Ok, "ready"),
        Err(e) => {
            tracing::warn!("not ready: database: {e}");
            (Status::ServiceUnavailable, "database unavailable")
        }
    }
}

/// The `Authorization: Bearer` credential of a request, if it has one.
struct Bearer(Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Bearer {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let token = req.headers().get_one("Authorization").and_then(|value| {
            let (scheme, token) = value.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string())
        });
        Outcome::Success(Bearer(token))
    }
}

/// Refusals answer directly (a catcher would send a 401 to the staff login page).
type Refused = (Status, &'static str);

/// The metrics, for whoever `Access::metrics` lets in: anyone in debug builds, holders of
/// `METRICS_TOKEN`, or nobody (404) in release builds without one.
#[get("/metrics")]
async fn get_metrics(app: &State<App>, bearer: Bearer) -> Result<(ContentType, String), Refused> {
    match &app.access.metrics {
        MetricsAccess::Open => {}
        MetricsAccess::Off => return Err((Status::NotFound, "not found")),
        MetricsAccess::Bearer(token) => {
            let presented = bearer.0.unwrap_or_default();
            if !bool::from(presented.as_bytes().ct_eq(token.as_bytes())) {
                return Err((Status::Unauthorized, "Authorization: Bearer $METRICS_TOKEN required"));
            }
        }
    }
    Ok(metrics(app).await)
}

async fn metrics(app: &App) -> (ContentType, String) {
    let counts: Vec<(String, i64)> = sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        .fetch_all(&app.db.pool)
        .await
        .unwrap_or_default();
    for state in [WriteState::Pending, WriteState::Delivered, WriteState::Failed] {
        let status = state.as_str();
        let count = counts.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
        app.metrics.outbox_items.get_or_create(&StatusLabels { status: status.into() }).set(count);
    }
    let text = app.metrics.encode().unwrap_or_else(|e| {
        tracing::error!("encoding metrics: {e}");
        String::new()
    });
    let kind = ContentType::new("text", "plain").with_params([("version", "0.0.4"), ("charset", "utf-8")]);
    (kind, text)
}

/// Counts every response by its route pattern (never the raw path, which holds call ids).
pub struct CountRequests;

#[rocket::async_trait]
impl Fairing for CountRequests {
    fn info(&self) -> Info {
        Info { name: "count requests", kind: Kind::Response }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        let Some(app) = req.rocket().state::<App>() else { return };
        let route = req.route().map_or_else(|| "unmatched".to_string(), |r| r.uri.origin.path().to_string());
        let labels = RequestLabels { method: req.method().as_str().into(), route, status: res.status().code };
        app.metrics.requests.get_or_create(&labels).inc();
    }
}
