//! Input no caller or visitor should be able to turn into a panic, an overflow or an
//! unbounded write: huge spoken numbers, far pages, endless calls, enormous speech results.
//! These run in debug builds, where integer overflow panics.

use frontdesk::call::turn::MAX_UTTERANCE;
use rocket::http::Status;
use serde_json::json;

use crate::fake_openai::{Behaviour, FakeModel};
use crate::fake_rent_manager::{FakeRentManager, RM_TENANT};
use crate::helpers::*;

/// Forty kilobytes of one breath, with a marker at its very end.
fn enormous_speech() -> String {
    let speech =
        format!("my kitchen sink is leaking {}END-OF-SPEECH", "and the water keeps coming ".repeat(1_500));
    assert!(speech.len() > 40_000);
    speech
}

#[rocket::async_test]
async fn an_enormous_speech_result_is_kept_clipped_and_never_sent_whole_to_rent_manager() {
    let rm = FakeRentManager::start().await;
    let app = TestApp::start(Setup { rent_manager: Some(rm.url()), ..Setup::default() }).await;
    let mut phone = app.call_from(RM_TENANT);
    phone.answer().await;
    let speech = enormous_speech();
    for words in [speech.as_str(), "yes you can go in", "yes", "yes that's right"] {
        phone.say(words).await;
    }
    app.deliver_outbox().await;

    let saves = rm.received("POST", "/ServiceManagerIssues").await;
    assert_eq!(saves.len(), 1);
    let sent = saves[0].to_string();
    assert!(!sent.contains("END-OF-SPEECH") && sent.len() < 4 * MAX_UTTERANCE, "{} bytes", sent.len());
    app.log_in().await;
    let (status, page) = app.get(&format!("/calls/{}", phone.sid)).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("the water keeps coming…") && !page.contains("END-OF-SPEECH"));
    // What was kept, as the transcript export reads it back.
    let (_, transcript) = app.get(&format!("/calls/{}/transcript.csv", phone.sid)).await;
    let mut rows = csv::Reader::from_reader(transcript.as_bytes()).into_records().map(Result::unwrap);
    let first = rows.find(|row| &row[2] == "caller").unwrap()[3].to_string();
    assert!(first.starts_with("my kitchen sink is leaking and the water keeps coming"));
    assert!(first.chars().count() <= MAX_UTTERANCE && first.ends_with("coming…"), "{first}");
}

/// Two layers keep it out: the turn clips what it reads, and the model's messages quote at
/// most a line of each utterance; this fails only if both give way.
#[rocket::async_test]
async fn an_enormous_speech_result_never_reaches_the_model_whole() {
    let model = FakeModel::start(Behaviour::Reply(json!({}))).await;
    let app = TestApp::with_model(model.base_url()).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;

    let reply = phone.say(&enormous_speech()).await;

    assert!(reply.listens(), "{}", reply.xml);
    let requests = model.requests().await;
    assert!(!requests.is_empty(), "the model was asked");
    for request in requests {
        let body = request.to_string();
        assert!(!body.contains("END-OF-SPEECH") && body.len() < 40_000, "{} bytes", body.len());
    }
}

#[rocket::async_test]
async fn a_house_number_too_big_for_any_integer_is_just_not_an_address() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(STRANGER);
    phone.answer().await;
    let huge = format!("I live at {} thousand Windsor Street", "nine ".repeat(40));
    for words in [
        "nine nine nine nine nine nine nine nine nine thousand windsor street",
        huge.as_str(),
        "one thousand nine nine nine nine nine nine nine nine nine nine nine nine nine nine nine nine nine nine nine nine nine nine port richmond avenue",
    ] {
        let reply = phone.say(words).await;
        assert!(!reply.spoken().is_empty(), "{words}: {}", reply.xml);
    }
}

#[rocket::async_test]
async fn a_page_far_out_of_range_is_an_empty_page() {
    let app = TestApp::spawn().await;
    app.call_from(TENANT).answer().await;
    app.log_in().await;
    for page in [i64::MAX.to_string(), (i64::MAX / 25 + 1).to_string(), "-9223372036854775808".into()] {
        let (status, body) = app.get(&format!("/calls?page={page}")).await;
        assert_eq!(status, Status::Ok, "page={page}");
        assert!(body.contains("calls"), "page={page}");
    }
}

#[rocket::async_test]
async fn the_last_turn_number_is_refused_not_overflowed() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    let params = phone.with_speech("hello");
    for path in
        ["/twilio/gather?turn=4294967295", "/twilio/dial?turn=4294967295", "/twilio/gather?turn=4294967296"]
    {
        let (status, _) = app.post_signed(path, &params).await;
        assert_eq!(status, Status::BadRequest, "{path}");
    }
    assert_eq!(app.turns_of(&phone.sid).await.len(), 1, "only the greeting");
}

#[test]
fn a_very_long_call_of_misunderstandings_never_overflows_its_counters() {
    use frontdesk::call::reading::Reading;
    use frontdesk::call::{Call, Caller, Event, Facts, step};
    let office = frontdesk::office::Office::load(None).unwrap();
    let knowledge = frontdesk::knowledge::Knowledge::default();
    let facts = Facts {
        office: &office,
        knowledge: &knowledge,
        now: office_hours(),
        texting: false,
        reference: None,
        linked: None,
    };
    let mut call = Call::new(Caller::unknown(None));
    call.misses = u8::MAX;
    call.silences = u8::MAX;
    let (call, _) = step(call, Event::Answered, &facts);
    let (after_silence, _) = step(call.clone(), Event::Silence, &facts);
    assert_eq!(after_silence.silences, u8::MAX);
    let heard = Event::Heard { text: "blorp".into(), confidence: Some(0.1), reading: Reading::default() };
    let (after_miss, _) = step(call, heard, &facts);
    assert_eq!(after_miss.misses, u8::MAX);
}
