//! The staff follow-up queue: whole calls leave each kind of follow-up, and staff take one,
//! note it, mark it done, filter the queue, and page through many thousands of rows.

use std::time::Instant;

use rocket::http::{ContentType, Status};

use crate::helpers::*;

/// Plays a whole call: answers, says each line, hangs up.
async fn call(app: &TestApp, from: &str, lines: &[&str]) -> String {
    let mut phone = app.call_from(from);
    phone.answer().await;
    for line in lines {
        phone.say(line).await;
    }
    phone.hang_up().await;
    phone.sid
}

/// The only follow-up of this kind.
async fn one(app: &TestApp, kind: &str) -> QueueRow {
    let rows: Vec<QueueRow> = app.queue().await.into_iter().filter(|r| r.kind == kind).collect();
    let [row] = <[QueueRow; 1]>::try_from(rows).unwrap_or_else(|rows| panic!("one {kind}: {rows:?}"));
    row
}

#[rocket::async_test]
async fn a_message_for_a_named_staff_member_is_a_follow_up_for_them() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    assert!(phone.say("can I talk to Diane please").await.dials().is_some());
    phone.dial_ends("no-answer").await;
    phone.say("tell her my rent check is in the mail").await;

    let taken = phone.say("yes").await;

    let row = one(&app, "message").await;
    assert_eq!(row.for_whom.as_deref(), Some("Diane"));
    assert_eq!(row.body, "tell her my rent check is in the mail");
    let reference = app.reference_of(&phone.sid).await.expect("a message gets a reference");
    assert!(
        taken.spoken().contains(&format!("Your reference number is {}.", digit_by_digit(&reference))),
        "{}",
        taken.spoken()
    );
}

#[rocket::async_test]
async fn a_caller_who_hangs_up_before_confirming_leaves_an_unfinished_request() {
    let app = TestApp::spawn().await;
    let sid = call(&app, TENANT, &["my kitchen sink is leaking", "yes you can go in"]).await;

    let row = one(&app, "unfinished_request").await;
    assert_eq!(row.call_sid, sid);
    assert!(
        row.body.starts_with("Maintenance request not confirmed: \"my kitchen sink is leaking\""),
        "{}",
        row.body
    );
    assert!(app.reference_of(&sid).await.is_some());
    assert!(app.service_issues().await.is_empty());
    // A call that only asked the hours leaves nothing, and gets no reference.
    let hours = call(&app, STRANGER, &["what are your hours"]).await;
    assert_eq!(app.queue().await.len(), 1);
    assert_eq!(app.reference_of(&hours).await, None);
}

#[rocket::async_test]
async fn a_caller_who_gives_the_wrong_unit_leaves_an_identity_to_confirm() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT).unattested();
    phone.answer().await;
    for words in ["my kitchen faucet is dripping", "yes you can go in", "yes", "yes that's right"] {
        phone.say(words).await;
    }
    let filed = phone.say("it's 5C").await;

    assert!(filed.spoken().contains("Your reference number"), "{}", filed.spoken());
    let row = one(&app, "identity_not_confirmed").await;
    assert!(row.body.contains("the caller said \"it's 5C\""), "{}", row.body);
    assert!(!row.urgent);
}

#[rocket::async_test]
async fn a_prospects_showing_request_is_a_follow_up() {
    let app = TestApp::start(Setup {
        knowledge: Some(include_str!("../fixtures/knowledge.toml")),
        ..Setup::default()
    })
    .await;
    call(
        &app,
        "+17185550104",
        &[
            "do you have any apartments available",
            "yes please",
            "the one bedroom, Saturday at noon, Priya Shah",
            "yes",
        ],
    )
    .await;

    let row = one(&app, "showing").await;
    assert_eq!(row.body, "the one bedroom, Saturday at noon, Priya Shah");
}

#[rocket::async_test]
async fn an_outside_write_that_fails_for_good_is_an_urgent_follow_up_and_an_emergency_comes_first() {
    // 3 am, texts not configured: the page to on-call cannot be sent.
    let app = TestApp::at(eastern(2026, 12, 2, 3, 0)).await;
    let mut unfinished = app.call_from(TENANT);
    unfinished.answer().await;
    unfinished.say("my kitchen sink is leaking").await;
    unfinished.hang_up().await;
    let mut gas = app.call_from("+17185550102");
    gas.answer().await;
    gas.say("I smell gas in the kitchen").await;
    gas.dial_ends("no-answer").await;

    app.deliver_outbox().await;

    let failed = one(&app, "failed_write").await;
    assert!(failed.urgent, "on-call never got the page");
    assert!(
        failed.body.starts_with("The text to on-call staff was not sent (1 try): texting is off"),
        "{}",
        failed.body
    );
    assert_eq!(failed.call_sid, gas.sid);
    app.deliver_outbox().await;
    assert_eq!(app.queue().await.iter().filter(|r| r.kind == "failed_write").count(), 1, "one per write");

    app.log_in().await;
    let (_, page) = app.get("/follow-ups").await;
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle} missing: {page}"));
    let emergency = one(&app, "emergency_follow_up").await;
    let request = one(&app, "unfinished_request").await;
    assert!(
        at(&format!("follow-up-{}\"", emergency.id)) < at(&format!("follow-up-{}\"", request.id)),
        "urgent first"
    );
    assert!(at(&format!("follow-up-{}\"", failed.id)) < at(&format!("follow-up-{}\"", request.id)));
    let (_, dashboard) = app.get("/status.json").await;
    let status: serde_json::Value = serde_json::from_str(&dashboard).unwrap();
    assert_eq!(status["follow_ups"]["open"], 3);
    assert_eq!(status["follow_ups"]["urgent"], 2);
    assert_eq!(status["follow_ups"]["oldest_urgent"]["call_sid"], gas.sid.as_str());
}

const NEW_PAGES: &[&str] = &["/follow-ups", "/follow-ups?state=done&mine=true", "/follow-ups/1"];
const NEW_FORMS: &[&str] =
    &["/follow-ups/1/take", "/follow-ups/1/done", "/follow-ups/1/reopen", "/follow-ups/1/notes"];

#[rocket::async_test]
async fn the_queue_and_its_forms_are_for_logged_in_staff_with_the_forms_token() {
    let app = TestApp::spawn().await;
    call(&app, TENANT, &["my kitchen sink is leaking"]).await;
    for path in NEW_PAGES {
        let response = app.client.get(*path).dispatch().await;
        assert_eq!(response.status(), Status::SeeOther, "{path}");
        let location = response.headers().get_one("Location").unwrap_or_default().to_string();
        assert!(location.starts_with("/login?next="), "{path} -> {location}");
    }
    let csrf = app.csrf().await;
    for path in NEW_FORMS {
        let body = encode(&[("csrf", &csrf), ("note", "called back")]);
        let response = app.client.post(*path).header(ContentType::Form).body(body).dispatch().await;
        let location = response.headers().get_one("Location").unwrap_or_default().to_string();
        assert!(location.starts_with("/login"), "{path}: {} {location}", response.status());
    }
    assert_eq!(app.follow_up_history(1).await, [], "nothing changed while logged out");

    app.log_in().await;
    for path in NEW_FORMS {
        let (status, _) = app.submit_form(path, &[("csrf", "forged"), ("note", "called back")]).await;
        assert_eq!(status, Status::Forbidden, "{path}");
        let without = app.client.post(*path).header(ContentType::Form).body("note=x").dispatch().await;
        assert_ne!(without.status(), Status::SeeOther, "{path} without a token");
    }
    assert_eq!(app.follow_up_history(1).await, [], "nothing changed by a forged form");
    let row = &app.queue().await[0];
    assert_eq!((row.assignee.clone(), row.done), (None, false));
    for path in NEW_PAGES {
        assert_eq!(app.get(path).await.0, Status::Ok, "{path}");
    }
    assert_eq!(app.get("/follow-ups/999").await.0, Status::NotFound);
}

#[rocket::async_test]
async fn staff_take_a_follow_up_note_it_mark_it_done_and_the_history_says_who_and_when() {
    let app = TestApp::spawn().await;
    let sid = call(&app, TENANT, &["my kitchen sink is leaking"]).await;
    call(&app, STRANGER, &["my front door lock is broken"]).await;
    app.log_in().await;
    let csrf = app.csrf().await;
    let [first, second] = <[QueueRow; 2]>::try_from(app.queue().await).unwrap();

    let (status, _) = app
        .submit_form(&format!("/follow-ups/{}/take", first.id), &[("csrf", &csrf), ("back", "/follow-ups")])
        .await;
    assert_eq!(status, Status::SeeOther);
    let (_, mine) = app.get("/follow-ups?mine=true").await;
    assert!(
        mine.contains(&format!("follow-up-{}\"", first.id))
            && !mine.contains(&format!("follow-up-{}\"", second.id))
    );
    app.submit_form(&format!("/follow-ups/{}/take", first.id), &[("csrf", &csrf)]).await;
    app.submit_form(
        &format!("/follow-ups/{}/notes", first.id),
        &[("csrf", &csrf), ("note", "left a voicemail")],
    )
    .await;
    let (empty, _) =
        app.submit_form(&format!("/follow-ups/{}/notes", first.id), &[("csrf", &csrf), ("note", "  ")]).await;
    assert_eq!(empty, Status::UnprocessableEntity);
    app.submit_form(
        &format!("/follow-ups/{}/done", first.id),
        &[("csrf", &csrf), ("note", "plumber booked")],
    )
    .await;
    app.submit_form(&format!("/follow-ups/{}/done", first.id), &[("csrf", &csrf)]).await;

    let history = app.follow_up_history(first.id).await;
    let said =
        |change: &str, note: Option<&str>| (change.to_string(), STAFF.to_string(), note.map(String::from));
    assert_eq!(
        history,
        [said("taken", None), said("noted", Some("left a voicemail")), said("done", Some("plumber booked"))],
        "taking one's own again and finishing twice change nothing"
    );
    let (_, open) = app.get("/follow-ups").await;
    assert!(!open.contains(&format!("follow-up-{}\"", first.id)), "done leaves the open list");
    assert!(open.contains(&format!("follow-up-{}\"", second.id)));
    let (_, done) = app.get("/follow-ups?state=done").await;
    assert!(
        done.contains(&format!("follow-up-{}\"", first.id))
            && !done.contains(&format!("follow-up-{}\"", second.id))
    );
    let (_, detail) = app.get(&format!("/follow-ups/{}", first.id)).await;
    for words in [
        "taken by Diane",
        "noted by Diane: “left a voicemail”",
        "done by Diane: “plumber booked”",
        &format!("/calls/{sid}"),
    ] {
        assert!(detail.contains(words), "{words} missing: {detail}");
    }
    let reference = app.reference_of(&sid).await.unwrap();
    assert!(detail.contains(&reference), "the call's reference is shown");

    app.submit_form(&format!("/follow-ups/{}/reopen", first.id), &[("csrf", &csrf)]).await;
    let (_, open) = app.get("/follow-ups").await;
    assert!(open.contains(&format!("follow-up-{}\"", first.id)), "reopened");
    assert_eq!(app.follow_up_history(first.id).await.last().unwrap().0, "reopened");
}

#[rocket::async_test]
async fn the_queue_filters_by_kind() {
    let app = TestApp::at(eastern(2026, 12, 2, 3, 0)).await;
    call(&app, TENANT, &["my kitchen sink is leaking"]).await;
    let mut gas = app.call_from(STRANGER);
    gas.answer().await;
    gas.say("I smell gas").await;
    gas.dial_ends("no-answer").await;
    app.log_in().await;

    let (_, emergencies) = app.get("/follow-ups?kind=emergency_follow_up").await;
    let (_, unfinished) = app.get("/follow-ups?kind=unfinished_request").await;
    let (_, nonsense) = app.get("/follow-ups?kind=nonsense").await;

    let rows = |page: &str| page.matches("data-kind=\"").count();
    assert_eq!((rows(&emergencies), rows(&unfinished), rows(&nonsense)), (1, 1, 2));
    assert!(emergencies.contains("data-kind=\"emergency_follow_up\""));
    assert!(unfinished.contains("data-kind=\"unfinished_request\""));
}

#[rocket::async_test]
async fn the_queue_pages_through_twenty_thousand_follow_ups_in_index_order() {
    let app = TestApp::spawn().await;
    let sid = call(&app, TENANT, &["what are your hours"]).await;
    let since = frontdesk::db::millis(office_hours()) - 30 * 86_400_000;
    app.seed_follow_ups(&sid, 20_000, since).await;
    app.log_in().await;

    let started = Instant::now();
    let (_, first) = app.get("/follow-ups").await;
    let first_ms = started.elapsed().as_secs_f64() * 1e3;
    let started = Instant::now();
    let (_, deep) = app.get("/follow-ups?page=200").await;
    let deep_ms = started.elapsed().as_secs_f64() * 1e3;
    let started = Instant::now();
    let (_, done) = app.get("/follow-ups?state=done&page=100").await;
    let done_ms = started.elapsed().as_secs_f64() * 1e3;
    println!(
        "follow-up queue over 20,000 rows: first page {first_ms:.1} ms, page 200 {deep_ms:.1} ms, done page 100 {done_ms:.1} ms"
    );

    // Open: 13,334 rows, the 1,334 urgent ones (every tenth not done) first, oldest first.
    let bodies = |page: &str| -> Vec<String> {
        page.split("<tr id=\"follow-up-")
            .skip(1)
            .map(|row| {
                let td = row.split("<td>").nth(5).unwrap();
                td.split(" <a").next().unwrap().to_string()
            })
            .collect()
    };
    let first = bodies(&first);
    assert_eq!(first.len(), PAGE_ROWS);
    assert_eq!(first[0], "seeded 10");
    assert_eq!(first[1], "seeded 20");
    let deep = bodies(&deep);
    assert_eq!(deep.len(), PAGE_ROWS);
    assert!(deep.iter().all(|b| !b.ends_with('0')), "past the urgent ones: {deep:?}");
    let done = bodies(&done);
    assert_eq!(done.len(), PAGE_ROWS);
    assert!(
        done.iter().all(|b| b.trim_start_matches("seeded ").parse::<i64>().unwrap() % 3 == 0),
        "{done:?}"
    );

    if app.db.engine == frontdesk::db::Engine::Sqlite {
        for done in [false, true] {
            let sql = format!("EXPLAIN QUERY PLAN {}", frontdesk::staff::follow_ups::page_sql(done));
            let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind("caller_text")
                .bind(None::<&str>)
                .bind(None::<i64>)
                .bind(51_i64)
                .bind(0_i64)
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
            let plan: Vec<String> = plan.into_iter().map(|(_, _, _, step)| step).collect();
            let index = if done { "follow_ups_done" } else { "follow_ups_queue" };
            assert!(plan.iter().any(|s| s.contains(&format!("USING INDEX {index}"))), "{plan:?}");
            assert!(!plan.iter().any(|s| s.contains("TEMP B-TREE")), "no sort of the whole table: {plan:?}");
        }
    }
}

const PAGE_ROWS: usize = frontdesk::staff::follow_ups::PAGE as usize;
