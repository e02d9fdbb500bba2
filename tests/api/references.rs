//! Call references: spoken when a request is filed, shown and searchable on the staff pages,
//! sent to Rent Manager, said back by a caller who calls again, and never shared by two
//! open matters.

use crate::fake_rent_manager::{FakeRentManager, RM_TENANT};
use crate::helpers::*;

/// A tenant's request from the problem to the read-back's "yes".
const REQUEST: [&str; 5] = ["the bathroom sink is leaking", "bathroom", "yes you can go in", "yes", "yes"];

#[rocket::async_test]
async fn a_filed_request_speaks_its_reference_digit_by_digit_and_staff_find_the_call_by_it() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    let mut filed = None;
    for words in REQUEST {
        filed = Some(phone.say(words).await);
    }
    phone.hang_up().await;
    let other = {
        let mut other = app.call_from(STRANGER);
        other.answer().await;
        other.say("my kitchen light flickers").await;
        other.hang_up().await;
        other.sid
    };

    let reference = app.reference_of(&phone.sid).await.expect("a reference");
    assert!(
        reference.len() == 5 && reference.bytes().all(|b| b.is_ascii_digit()) && !reference.starts_with('0')
    );
    let said = filed.unwrap().spoken();
    assert!(said.contains(&format!("Your reference number is {}.", digit_by_digit(&reference))), "{said}");
    assert_ne!(app.reference_of(&other).await, Some(reference.clone()), "another call, another reference");

    app.log_in().await;
    let spaced: String = reference.chars().map(|c| format!("{c} ")).collect();
    for query in [reference.clone(), spaced.trim().replace(' ', "+")] {
        let (_, found) = app.get(&format!("/calls?q={query}")).await;
        assert!(found.contains(&phone.sid), "{query}");
        assert!(!found.contains(&other), "{query}");
    }
    let (_, page) = app.get(&format!("/calls/{}", phone.sid)).await;
    assert!(page.contains(&format!("id=\"reference\">{reference}<")), "shown on the call's page");
    let (_, queue) = app.get("/follow-ups").await;
    let other_reference = app.reference_of(&other).await.unwrap();
    assert!(queue.contains(&other_reference), "and in the queue");
}

#[rocket::async_test]
async fn a_caller_who_says_their_reference_is_linked_to_the_earlier_call() {
    let app = TestApp::spawn().await;
    let mut first = app.call_from(TENANT);
    first.answer().await;
    for words in REQUEST {
        first.say(words).await;
    }
    first.hang_up().await;
    let reference = app.reference_of(&first.sid).await.unwrap();
    let words: Vec<&str> =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"].to_vec();
    let in_words: Vec<&str> = reference.bytes().map(|b| words[usize::from(b - b'0')]).collect();

    let mut again = app.call_from(TENANT);
    again.answer().await;
    let reply = again.say(&format!("hi, my reference is {}", in_words.join(" "))).await;

    assert!(
        reply.spoken().contains(&format!("reference {}", digit_by_digit(&reference))),
        "{}",
        reply.spoken()
    );
    assert!(reply.listens());
    assert_eq!(app.call_links().await, [(again.sid.clone(), first.sid.clone(), reference.clone())]);
    // An unknown reference links nothing and is not acknowledged.
    let mut stranger = app.call_from(STRANGER);
    stranger.answer().await;
    let unknown = if reference == "12345" { "54321" } else { "12345" };
    let reply = stranger.say(&format!("my reference is {unknown}")).await;
    assert!(!reply.spoken().contains("earlier call"), "{}", reply.spoken());
    assert_eq!(app.call_links().await.len(), 1);

    app.log_in().await;
    let (_, later) = app.get(&format!("/calls/{}", again.sid)).await;
    let (_, earlier) = app.get(&format!("/calls/{}", first.sid)).await;
    assert!(
        later.contains(&format!("href=\"/calls/{}\"", first.sid)) && later.contains("earlier call"),
        "{later}"
    );
    assert!(
        earlier.contains(&format!("href=\"/calls/{}\"", again.sid)) && earlier.contains("called back"),
        "{earlier}"
    );
}

#[rocket::async_test]
async fn the_reference_goes_to_rent_manager_in_the_issue_and_the_history_note() {
    let (rm, app) = FakeRentManager::with_app().await;
    let mut phone = app.call_from(RM_TENANT);
    phone.answer().await;
    for words in REQUEST {
        phone.say(words).await;
    }
    phone.hang_up().await;
    app.deliver_outbox().await;

    let reference = app.reference_of(&phone.sid).await.unwrap();
    let issue = &rm.received("POST", "/ServiceManagerIssues").await[0][0];
    let description = issue["Description"].as_str().unwrap();
    assert!(description.ends_with(&format!("Reference {reference}.")), "{description}");
    let notes = rm.received("POST", "/Tenants/HistoryNotes").await;
    let note = notes[0][0]["Note"].as_str().unwrap();
    assert!(note.contains(&format!("Reference {reference}.")), "{note}");
}

#[rocket::async_test]
async fn a_reference_held_by_an_open_matter_or_a_recent_call_is_never_given_to_another() {
    use frontdesk::call::store::reference::claim;
    let app = TestApp::spawn().await;
    let mut old = app.call_from(TENANT);
    old.answer().await;
    old.say("my kitchen sink is leaking").await;
    old.hang_up().await;
    let held = app.reference_of(&old.sid).await.unwrap();
    let mut new = app.call_from(STRANGER);
    new.answer().await;
    new.hang_up().await;
    let now = frontdesk::db::millis(office_hours());
    let try_claim = |at: i64| {
        let (db, sid, held) = (app.db.clone(), new.sid.clone(), held.clone());
        async move {
            let mut tx = db.begin_write().await.unwrap();
            let claimed = claim(&mut tx, &sid, &held, at).await.unwrap();
            tx.commit().await.unwrap();
            claimed
        }
    };

    assert!(!try_claim(now).await, "held by a recent call");
    let day = 86_400_000;
    assert!(!try_claim(now + 100 * day).await, "old, but its follow-up is open");
    app.finish_every_follow_up(now).await;
    assert!(try_claim(now + 100 * day).await, "old and done: free again");
    assert_eq!(app.reference_of(&new.sid).await, Some(held.clone()));
    assert_eq!(app.reference_of(&old.sid).await, Some(held), "the old call keeps it for searches");
}
