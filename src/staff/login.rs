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
    match app.throttle.verdict(&form.name, ip, Instant::now()) {
        Verdict::Refuse(left) => {
            let minutes = left.as_secs().div_ceil(60);
            return refuse(
                Status::TooManyRequests,
                &format!("Too many failed attempts. Try again in {minutes} minutes."),
            );
        }
        Verdict::Wait(delay) => tokio::time::sleep(delay).await,
        Verdict::Go => {}
    }
    let Some(id) = auth::verify(&app.db, &form.name, &form.password).await? else {
        app.throttle.failed(&form.name, ip, Instant::now());
        return refuse(Status::Unauthorized, "Wrong name or password.");
    };
    app.throttle.succeeded(&form.name, ip);
    auth::start_session(cookies, id, millis(app.clock.now()));
    // Only local paths: a login link must not be able to send staff elsewhere.
    let next = form.next.as_deref().filter(|n| n.starts_with('/') && !n.starts_with("//")).unwrap_or("/");
    Ok(Either::Left(Redirect::to(next.to_string())))
}

#[post("/logout", data = "<form>")]
fn post_logout(
    _staff: StaffUser,
    csrf: Csrf,
    cookies: &CookieJar<'_>,
    form: Form<LogoutForm>,
) -> Result<Redirect, Status> {
    if !csrf.accepts(&form.csrf) {
        return Err(Status::Forbidden);
    }
    auth::end_session(cookies);
    Ok(Redirect::to("/login"))
}
