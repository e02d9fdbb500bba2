//! Probes for load balancers and orchestrators.

use rocket::http::Status;
use rocket::{Route, State, get, routes};

use crate::App;

pub fn routes() -> Vec<Route> {
    routes![get_health, get_ready]
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
