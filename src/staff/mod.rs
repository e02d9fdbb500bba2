//! The staff web pages: login, the live dashboard, the follow-up queue, calls and transcripts.
//!
//! Server-rendered with Tera; the templates and assets are compiled into the binary, so the
//! pages need no internet and no files beside the executable. Every page and JSON endpoint
//! requires a logged-in `StaffUser`; the Twilio routes keep their own signature check.

pub mod auth;
mod calls;
mod dashboard;
pub mod follow_ups;
mod login;
mod mail_status;

use rocket::http::{ContentType, Header, Status};
use rocket::response::{Redirect, Responder, content::RawHtml};
use rocket::{Catcher, Request, Route, catch, catchers, get, routes};
use serde::Serialize;
use tera::{Context, Tera};

pub use auth::{StaffUser, Throttle};

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("dashboard.html", include_str!("../../templates/dashboard.html")),
    ("calls.html", include_str!("../../templates/calls.html")),
    ("call.html", include_str!("../../templates/call.html")),
    ("follow_ups.html", include_str!("../../templates/follow_ups.html")),
    ("follow_up.html", include_str!("../../templates/follow_up.html")),
];

/// The staff pages' templates, parsed once at start.
pub struct Pages {
    tera: Tera,
}

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("template: {0}")]
    Template(#[from] tera::Error),
    #[error("csv: {0}")]
    Csv(String),
    #[error(transparent)]
    Account(#[from] auth::AccountError),
}

impl<'r> Responder<'r, 'static> for PageError {
    fn respond_to(self, req: &'r Request<'_>) -> rocket::response::Result<'static> {
        tracing::error!(path = %req.uri().path(), "staff page failed: {self}");
        Err(Status::InternalServerError)
    }
}

/// A stored time, as staff read it: the office's own time zone.
pub fn local_time(app: &crate::App, millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| t.with_timezone(&app.office.timezone).format("%a %b %-d, %-I:%M:%S %p").to_string())
        .unwrap_or_default()
}

/// A logged-in page: its context, with the urgent follow-ups every staff page shows on top
/// and the count of open ones in the menu.
pub async fn page(
    app: &crate::App,
    name: &str,
    mut context: serde_json::Value,
) -> Result<RawHtml<String>, PageError> {
    if let Some(fields) = context.as_object_mut() {
        fields.insert(
            "banner".into(),
            serde_json::to_value(follow_ups::banner(app).await?).unwrap_or_default(),
        );
        fields.insert("retention_days".into(), app.retention_days.into());
    }
    app.pages.render(name, &context)
}

impl Pages {
    pub fn new() -> Result<Pages, tera::Error> {
        let mut tera = Tera::default();
        tera.add_raw_templates(TEMPLATES.iter().copied())?;
        Ok(Pages { tera })
    }

    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<RawHtml<String>, PageError> {
        let context = Context::from_serialize(context)?;
        Ok(RawHtml(self.tera.render(name, &context)?))
    }
}

pub fn routes() -> Vec<Route> {
    let mut routes = routes![get_asset, get_favicon];
    routes.extend(login::routes());
    routes.extend(dashboard::routes());
    routes.extend(calls::routes());
    routes.extend(follow_ups::routes());
    routes
}

pub fn catchers() -> Vec<Catcher> {
    catchers![unauthorized]
}

/// Logged out: pages send the visitor to the login page; data endpoints just say 401.
#[catch(401)]
fn unauthorized(req: &Request<'_>) -> Result<Redirect, (Status, &'static str)> {
    let path = req.uri().path();
    if path.ends_with(".json") || path.ends_with(".csv") {
        return Err((Status::Unauthorized, "log in first"));
    }
    let next = req.uri().to_string();
    Ok(Redirect::to(rocket::uri!(login::get_login(next = Some(next)))))
}

const ASSETS: &[(&str, ContentType, &[u8])] = &[
    ("bootstrap.min.css", ContentType::CSS, include_bytes!("../../static/bootstrap.min.css")),
    ("app.css", ContentType::CSS, include_bytes!("../../static/app.css")),
    ("dashboard.js", ContentType::JavaScript, include_bytes!("../../static/dashboard.js")),
    ("favicon.svg", ContentType::SVG, include_bytes!("../../static/favicon.svg")),
];

#[derive(Responder)]
struct Asset {
    body: &'static [u8],
    kind: ContentType,
    cache: Header<'static>,
}

#[get("/static/<name>")]
fn get_asset(name: &str) -> Option<Asset> {
    ASSETS.iter().find(|(n, _, _)| *n == name).map(|(_, kind, body)| Asset {
        body,
        kind: kind.clone(),
        cache: Header::new("Cache-Control", "public, max-age=3600"),
    })
}

/// Browsers ask for `/favicon.ico` whatever the page says; an SVG answers them all.
#[get("/favicon.ico")]
fn get_favicon() -> Option<Asset> {
    get_asset("favicon.svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_in_templates_parse() {
        Pages::new().unwrap();
    }
}
