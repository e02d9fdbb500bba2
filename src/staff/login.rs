//! Logging in and out.

use std::net::IpAddr;
use std::time::Instant;

use rocket::form::{Form, FromForm};
use rocket::http::{CookieJar, Status};
use rocket::response::{Redirect, content::RawHtml};
use rocket::{Either, Route, State, get, post, routes};
use serde_json::json;

use super::PageError;
use super::auth::{self, Csrf, StaffUser, Verdict};
use crate::App;
use crate::db::millis;

pub fn routes() -> Vec<Route> {
    routes![get_login, post_login, post_logout]
}

#[derive(FromForm)]
struct LoginForm {
    name: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

#[derive(FromForm)]
struct LogoutForm {
    csrf: String,
}

type Page = Either<Redirect, (Status, RawHtml<String>)>;

#[get("/login?<next>")]
pub fn get_login(app: &State<App>, csrf: Csrf, next: Option<String>) -> Result<RawHtml<String>, PageError> {
    app.pages.render("login.html", &json!({ "csrf": csrf.0, "next": next, "error": null }))
}

#[post("/login", data = "<form>")]
async fn post_login(
    app: &State<App>,
    csrf: Csrf,
    cookies: &CookieJar<'_>,
    ip: Option<IpAddr>,
    form: Form<LoginForm>,
) -> Result<Page, PageError> {
    let refuse = |status: Status, error: &str| -> Result<Page, PageError> {
        let page =
            app.pages.render("login.html", &json!({ "csrf": csrf.0, "next": form.next, "error": error }))?;
        Ok(Either::Right((status, page)))
    };
    if !csrf.accepts(&form.csrf) {
        return refuse(Status::Forbidden, "This form expired. Please try again.");
    }
    // `ip` is the connection's address; a proxy's header only counts when the operator
    // names it (`ip_header` in Rocket.toml), or anyone could claim a fresh address per try.
    match app.throttle.verdict(&form.name, ip, Instant::now()) {
        Verdict::Refuse(left) => {
            app.metrics.login("refused");
            let minutes = left.as_secs().div_ceil(60).max(1);
            return refuse(
                Status::TooManyRequests,
                &format!("Too many failed attempts from this address. Try again in {minutes} minutes."),
            );
        }
        Verdict::Wait(delay) => {
            app.metrics.login("delayed");
            tokio::time::sleep(delay).await;
        }
        Verdict::Go => {}
    }
    let Some(account) = auth::verify(&app.db, &form.name, &form.password).await? else {
        app.metrics.login("failed");
        app.throttle.failed(&form.name, ip, Instant::now());
        return refuse(Status::Unauthorized, "Wrong name or password.");
    };
    app.metrics.login("succeeded");
    app.throttle.succeeded(&form.name, ip);
    auth::start_session(app, cookies, account, millis(app.clock.now()));
    // Only local paths: a login link must not be able to send staff elsewhere.
    let next = form.next.as_deref().filter(|n| n.starts_with('/') && !n.starts_with("//")).unwrap_or("/");
    Ok(Either::Left(Redirect::to(next.to_string())))
}

/// Logging out ends every session of this person, on every device: a cookie copied from
/// this browser stops working too.
#[post("/logout", data = "<form>")]
async fn post_logout(
    app: &State<App>,
    staff: StaffUser,
    csrf: Csrf,
    cookies: &CookieJar<'_>,
    form: Form<LogoutForm>,
) -> Result<Result<Redirect, Status>, PageError> {
    if !csrf.accepts(&form.csrf) {
        return Ok(Err(Status::Forbidden));
    }
    auth::end_sessions(&app.db, staff.id).await?;
    auth::end_session(cookies);
    Ok(Ok(Redirect::to("/login")))
}
