//! Spanish-speaking callers, in whole calls played as Twilio plays them (signed webhooks),
//! with the rules alone and with the stand-in model: the switch and the way back, what
//! Twilio is told to listen and speak with before and after it, and every path of a call in
//! Spanish (an emergency, a request read back and filed, the hours, a transfer, a message,
//! silence), with what staff and Rent Manager receive.

use serde_json::{Value, json};

use crate::fake_openai::{Behaviour, FakeModel};
use crate::fake_rent_manager::{FakeRentManager, RM_TENANT};
use crate::helpers::*;

const SPANISH_VOICE: &str = "Google.es-US-Neural2-A";

/// Twilio hears and speaks English in this reply.
fn in_english(reply: &Twiml) {
    assert_eq!(reply.attr("Gather", "language").as_deref(), Some("en-US"), "{}", reply.xml);
    assert_eq!(reply.attr("Say", "voice").as_deref(), Some("Google.en-US-Neural2-J"), "{}", reply.xml);
    assert_eq!(reply.attr("Say", "language").as_deref(), Some("en-US"), "{}", reply.xml);
}

/// Twilio hears and speaks Spanish in this reply, with a speech model that takes es-US.
fn in_spanish(reply: &Twiml) {
    if reply.listens() {
        assert_eq!(reply.attr("Gather", "language").as_deref(), Some("es-US"), "{}", reply.xml);
        assert_eq!(reply.attr("Gather", "speechModel").as_deref(), Some("phone_call"), "{}", reply.xml);
    }
    assert_eq!(reply.attr("Say", "voice").as_deref(), Some(SPANISH_VOICE), "{}", reply.xml);
    assert_eq!(reply.attr("Say", "language").as_deref(), Some("es-US"), "{}", reply.xml);
}

#[rocket::async_test]
async fn espanol_switches_the_voice_the_language_and_the_lines_and_english_please_switches_back() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);

    let greeting = phone.answer().await;
    in_english(&greeting);
    assert_eq!(greeting.says()[1], "Para español, diga «español».", "the invitation, after the greeting");
    assert!(
        greeting.xml.contains(
            r#"<Say voice="Google.es-US-Neural2-A" language="es-US">Para español, diga «español».</Say>"#
        ),
        "said in the Spanish voice: {}",
        greeting.xml
    );
    let hints = greeting.attr("Gather", "hints").unwrap();
    assert!(hints.contains("español") && hints.contains("Spanish"), "{hints}");

    let switched = phone.say("español").await;
    in_spanish(&switched);
    assert_eq!(
        switched.says(),
        [
            "¡Hola, Maria! Con gusto le atiendo en español. Soy Dimitry's AI Assistant. ¿En qué le puedo ayudar?"
        ]
    );

    let back = phone.say("English, please").await;
    in_english(&back);
    assert_eq!(back.says(), ["Sure, let's continue in English. How can I help?"]);
    let calls = app.calls().await;
    assert_eq!(calls[0].stage, "listening");
}

#[rocket::async_test]
async fn a_spanish_gas_smell_is_told_911_first_and_on_call_gets_an_english_text_with_the_callers_words() {
    let app = TestApp::at(eastern(2026, 12, 2, 3, 0)).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;

    let reply = phone.say("¡Ay Dios mío, huele a gas en la cocina!").await;

    in_spanish(&reply);
    let says = reply.says();
    assert!(
        says[0].starts_with("Si huele a gas, salga del edificio ahora mismo") && says[0].contains("911"),
        "{says:?}"
    );
    assert_eq!(reply.dials().as_deref(), Some(OFFICE_NUMBER), "on-call is rung");
    let text: Value = serde_json::from_str(&app.outbox_item("sms").await.payload).unwrap();
    assert_eq!(
        text["body"],
        "EMERGENCY (gas smell): Maria Lopez, unit 2B, 31 Port Richmond Ave, callback 718-555-0101. Caller said: \
         \"¡Ay Dios mío, huele a gas en la cocina\""
    );
    assert_eq!(app.issue_priorities().await, ["emergency"]);
}

#[rocket::async_test]
async fn a_spanish_request_is_read_back_in_spanish_confirmed_and_filed_with_an_english_line_for_staff() {
    let (rm, app) = FakeRentManager::with_app().await;
    let mut phone = app.call_from(RM_TENANT);
    phone.answer().await;

    let entry = phone.say("Hola, el inodoro está tapado en el baño").await;
    in_spanish(&entry);
    assert_eq!(
        entry.says(),
        ["Si usted no está en casa, ¿puede entrar nuestro equipo de mantenimiento a arreglarlo?"]
    );
    let callback = phone.say("no, prefiero estar presente").await;
    assert_eq!(
        callback.says(),
        ["¿El siete uno ocho, cinco cinco cinco, cero uno uno uno es el mejor número para llamarle?"]
    );
    let read_back = phone.say("sí").await;
    in_spanish(&read_back);
    assert_eq!(
        read_back.says(),
        [
            "Se lo leo para confirmar: el inodoro está tapado en el baño. Mantenimiento solo entrará cuando usted \
             esté en casa. Le llamaremos al siete uno ocho, cinco cinco cinco, cero uno uno uno. ¿Está todo bien?"
        ]
    );
    let filed = phone.say("sí, correcto").await;
    in_spanish(&filed);
    assert!(filed.spoken().contains("Su solicitud de mantenimiento ya está hecha"), "{}", filed.spoken());
    phone.say("no, eso es todo, gracias, adiós").await;
    phone.hang_up().await;
    app.deliver_outbox().await;

    let saves = rm.received("POST", "/ServiceManagerIssues").await;
    let issue: &Value = &saves[0][0];
    assert_eq!(issue["Title"], "Clogged toilet", "the rules' English name for what was filed");
    let description = issue["Description"].as_str().unwrap();
    assert!(
        description.starts_with(
            "For staff (the caller spoke Spanish): clogged toilet, in the bathroom, permission to enter: no, only \
             when home, callback 718-555-0111. Caller's words: \"Hola, el inodoro está tapado en el baño\"."
        ),
        "{description}"
    );
    let notes = rm.received("POST", "/Tenants/HistoryNotes").await;
    let note = notes[0][0]["Note"].as_str().unwrap();
    assert!(
        note.contains("The caller spoke Spanish") && note.contains("Left for staff: clogged toilet."),
        "{note}"
    );
    assert!(note.contains("Caller: \"Hola, el inodoro está tapado en el baño\""), "{note}");

    app.log_in().await;
    let (_, page) = app.get(&format!("/calls/{}", phone.sid)).await;
    assert!(
        page.contains(r#"<span class="language">Spanish</span>"#),
        "the transcript page names the language"
    );
}

#[rocket::async_test]
async fn office_hours_and_the_address_in_spanish() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("no hablo inglés").await;

    let hours = phone.say("¿cuál es su horario?").await;

    in_spanish(&hours);
    assert_eq!(
        hours.says(),
        [
            "Ahora mismo estamos abiertos, hasta las cinco de la tarde. Nuestro horario, en hora del Este, es de \
             lunes a viernes, de nueve de la mañana a cinco de la tarde.",
            "¿Hay algo más en que le pueda ayudar?"
        ]
    );
    let address = phone.say("¿y dónde queda la oficina?").await;
    assert!(address.spoken().contains("31 Port Richmond Avenue, on Staten Island"), "{}", address.spoken());
}

#[rocket::async_test]
async fn a_transfer_unanswered_becomes_a_message_taken_in_spanish() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("español").await;

    let connecting = phone.say("quiero hablar con una persona").await;
    in_spanish(&connecting);
    assert_eq!(connecting.says(), ["Claro, le comunico con la oficina ahora. Un momento, por favor."]);
    assert_eq!(connecting.dials().as_deref(), Some(OFFICE_NUMBER));

    let message = phone.dial_ends("no-answer").await;
    in_spanish(&message);
    assert!(
        message.spoken().starts_with("Lo siento, ahora mismo nadie pudo contestar"),
        "{}",
        message.spoken()
    );
    let read_back = phone.say("soy Rosa, llámenme por lo de la renta por favor").await;
    in_spanish(&read_back);
    assert!(read_back.spoken().contains("un mensaje para el equipo de la oficina"), "{}", read_back.spoken());
    let taken = phone.say("sí").await;
    in_spanish(&taken);
    assert!(taken.hangs_up());
    let messages = app.messages().await;
    assert_eq!(messages[0].body, "soy Rosa, llámenme por lo de la renta por favor", "the caller's words");
}

#[rocket::async_test]
async fn silence_is_met_in_spanish_and_never_with_the_same_line_twice() {
    let app = TestApp::spawn().await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("Spanish").await;

    let first = phone.stay_silent().await;
    let second = phone.stay_silent().await;
    let last = phone.stay_silent().await;

    for reply in [&first, &second, &last] {
        in_spanish(reply);
    }
    assert_eq!(first.says(), ["¿Sigue ahí? ¿En qué le puedo ayudar?"]);
    assert_eq!(
        second.says(),
        ["Si le resulta más fácil, le puedo comunicar con alguien de la oficina. ¿Le gustaría?"]
    );
    assert!(last.hangs_up());
    assert_eq!(last.says(), ["No le escucho, así que voy a colgar. Llámenos cuando guste. ¡Hasta luego!"]);
}

#[rocket::async_test]
async fn with_deepgram_the_first_gather_hears_any_language_and_spanish_first_words_switch_the_call() {
    let app = TestApp::start(Setup { speech_model: "deepgram_nova-3", ..Setup::default() }).await;
    let mut phone = app.call_from(TENANT);

    let greeting = phone.answer().await;
    assert_eq!(greeting.attr("Gather", "language").as_deref(), Some("multi"));
    assert_eq!(greeting.attr("Gather", "speechModel").as_deref(), Some("deepgram_nova-3"));
    assert_eq!(greeting.attr("Say", "language").as_deref(), Some("en-US"), "the voice's own locale");

    let entry = phone.say("Hola, tengo una fuga de agua en el baño").await;
    in_spanish(&entry);
    assert_eq!(
        entry.says(),
        ["Si usted no está en casa, ¿puede entrar nuestro equipo de mantenimiento a arreglarlo?"]
    );

    let english = phone.say("sorry, English please").await;
    assert_eq!(
        english.attr("Gather", "language").as_deref(),
        Some("en-US"),
        "only the first Gather is multi"
    );
    assert_eq!(english.attr("Gather", "speechModel").as_deref(), Some("deepgram_nova-3"));
}

/// The stand-in model reads each turn of a Spanish call and proposes Spanish lines.
fn spanish_model() -> Behaviour {
    Behaviour::ByWords(vec![
        (
            "castellano",
            json!({ "intent": "other", "language": "es", "wants_language": "es",
                    "reply": "¡Claro que sí! Le atiendo en español. ¿Qué necesita?", "reply_asks": "open" }),
        ),
        (
            "fuga",
            json!({ "intent": "maintenance", "describes_problem": true, "location": "cocina", "language": "es",
                    "summary": "una fuga en la cocina",
                    "reply": "Lamento mucho lo de la fuga. ¿Puede entrar mantenimiento si usted no está?",
                    "reply_asks": "entry" }),
        ),
        (
            "llave",
            json!({ "intent": "other", "answer": true, "language": "es",
                    "reply": "Perfecto, le prometo que mañana sin falta lo arreglan.", "reply_asks": "callback" }),
        ),
    ])
}

#[rocket::async_test]
async fn with_the_model_a_spanish_call_hears_its_lines_vetted_and_staff_get_its_english_line() {
    let model = FakeModel::start(spanish_model()).await;
    let app = TestApp::with_model(model.base_url()).await;
    let mut phone = app.call_from(TENANT);
    phone.answer().await;

    let switched = phone.say("en castellano si puede").await;
    in_spanish(&switched);
    assert_eq!(switched.says(), ["¡Claro que sí! Le atiendo en español. ¿Qué necesita?"]);

    let entry = phone.say("hay una fuga en la cocina").await;
    in_spanish(&entry);
    assert_eq!(entry.says(), ["Lamento mucho lo de la fuga. ¿Puede entrar mantenimiento si usted no está?"]);

    // The model promises a day: not spoken; the rules' Spanish question is.
    let callback = phone.say("sí, tienen llave").await;
    in_spanish(&callback);
    assert_eq!(
        callback.says(),
        ["¿El siete uno ocho, cinco cinco cinco, cero uno cero uno es el mejor número para llamarle?"]
    );
    let turns = app.turns_of(&phone.sid).await;
    let declined = turns.last().unwrap().line_declined.as_deref().unwrap_or_default();
    assert!(declined.contains("promises"), "{declined}");

    let prompts = model.turn_requests().await;
    let system = prompts.last().unwrap()["messages"][0]["content"].as_str().unwrap().to_string();
    assert!(system.contains("This call is in Spanish"), "{system}");

    let read_back = phone.say("sí").await;
    assert!(
        read_back.spoken().contains("una fuga en la cocina"),
        "the model's summary, in the caller's words: {}",
        read_back.spoken()
    );
    phone.say("sí").await;
    let issue = &app.service_issues().await[0];
    assert_eq!(issue.problem, "hay una fuga en la cocina");
}

#[rocket::async_test]
async fn with_the_model_a_spanish_gas_smell_and_the_hours_are_the_rules_fixed_spanish_lines() {
    let model = FakeModel::start(Behaviour::ByWords(vec![
        (
            "gas",
            json!({ "intent": "maintenance", "hazard": "gas", "describes_problem": true, "language": "es",
                    "reply": "Tranquila, no pasa nada, mañana le mandamos a alguien.", "reply_asks": "open" }),
        ),
        (
            "horario",
            json!({ "intent": "hours", "language": "es",
                    "reply": "Abrimos todos los días a las siete.", "reply_asks": "open" }),
        ),
    ]))
    .await;
    let app = TestApp::with_model(model.base_url()).await;

    let mut phone = app.call_from(TENANT);
    phone.answer().await;
    phone.say("español").await;
    let hours = phone.say("¿cuál es su horario?").await;
    in_spanish(&hours);
    assert!(
        hours.spoken().contains("de lunes a viernes, de nueve de la mañana a cinco de la tarde"),
        "{}",
        hours.spoken()
    );
    assert!(!hours.spoken().contains("siete"), "the model's invented hours are not said");

    let mut phone = app.call_from(STRANGER);
    phone.answer().await;
    let gas = phone.say("huele a gas en el pasillo").await;
    in_spanish(&gas);
    assert!(gas.says()[0].starts_with("Si huele a gas, salga del edificio ahora mismo"), "{:?}", gas.says());
    assert!(!gas.spoken().contains("mañana"), "no model promise in an emergency: {}", gas.spoken());
    assert_eq!(gas.dials().as_deref(), Some(OFFICE_NUMBER));
}

/// The stand-in model reading a Spanish request, with its English line for staff.
fn translating_model(english: &str) -> Behaviour {
    Behaviour::ByWords(vec![
        (
            "inodoro",
            json!({ "intent": "maintenance", "describes_problem": true, "location": "baño", "language": "es",
                    "english": english, "reply": "¿Puede entrar mantenimiento si usted no está?",
                    "reply_asks": "entry" }),
        ),
        (
            "prefiero",
            json!({ "intent": "other", "answer": false, "language": "es", "reply": "", "reply_asks": "open" }),
        ),
        (
            "sí",
            json!({ "intent": "other", "answer": true, "language": "es", "reply": "", "reply_asks": "open" }),
        ),
    ])
}

#[rocket::async_test]
async fn with_the_model_staff_read_its_english_translation_unless_it_adds_anything() {
    for (english, title, line) in [
        (
            "a clogged toilet in the bathroom",
            "A clogged toilet in the bathroom",
            "For staff (the caller spoke Spanish): a clogged toilet in the bathroom, in the bathroom",
        ),
        // A promise is no translation: the rules' English line instead.
        (
            "toilet clogged, a plumber will come tomorrow",
            "Clogged toilet",
            "For staff (the caller spoke Spanish): clogged toilet, in the bathroom",
        ),
    ] {
        let model = FakeModel::start(translating_model(english)).await;
        let rm = FakeRentManager::start().await;
        let app = TestApp::start(Setup {
            model: Some(model.base_url()),
            rent_manager: Some(rm.url()),
            ..Setup::default()
        })
        .await;
        let mut phone = app.call_from(RM_TENANT);
        phone.answer().await;
        for words in ["Hola, el inodoro está tapado en el baño", "no, prefiero estar presente", "sí", "sí"]
        {
            phone.say(words).await;
        }
        app.deliver_outbox().await;

        let saves = rm.received("POST", "/ServiceManagerIssues").await;
        let issue: &Value = &saves[0][0];
        assert_eq!(issue["Title"], title, "{english}");
        let description = issue["Description"].as_str().unwrap();
        assert!(description.starts_with(line), "{english}: {description}");
        assert!(description.contains("Caller's words: \"Hola, el inodoro está tapado en el baño\"."));
    }
}
