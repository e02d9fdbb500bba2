//! Spanish callers through the machine, read by the keyword rules alone: what each question
//! of a maintenance request waits for, an emergency, and a danger named over and over; the
//! switch to Spanish and back, and what a caller hears once the call is in Spanish.

use super::*;
use crate::call::{Language, Target};

fn pages(turn: &Turn) -> usize {
    turn.actions.iter().filter(|a| matches!(a, Action::PageOnCall { .. })).count()
}

#[test]
fn a_spanish_maintenance_request_is_collected_confirmed_and_filed() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("Hola, la pluma del baño está goteando");
    let Stage::Intake { request, asking: Field::Entry } = &s.call.stage else { panic!("{:?}", s.call.stage) };
    assert_eq!(request.location.as_deref(), Some("baño"), "the caller's own word");
    s.says("sí, pueden entrar");
    assert!(matches!(s.call.stage, Stage::Intake { asking: Field::Callback, .. }), "{:?}", s.call.stage);
    s.says("no, mejor llámeme al siete uno ocho, cinco cincuenta y cinco, cero uno cero dos");
    assert!(matches!(s.call.stage, Stage::Confirming { .. }), "{:?}", s.call.stage);
    let turn = s.says("sí, correcto");
    let [Action::FileServiceIssue(issue)] = turn.actions.as_slice() else { panic!("{turn:?}") };
    assert_eq!(issue.problem, "Hola, la pluma del baño está goteando");
    assert_eq!(issue.location.as_deref(), Some("baño"));
    assert_eq!((issue.entry, issue.priority), (Some(true), Priority::Urgent));
    assert_eq!(issue.callback, Phone::parse("7185550102"));
}

#[test]
fn a_no_to_the_read_back_asks_what_to_change_and_this_number_is_the_callers() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("el inodoro está tapado");
    s.says("en el baño");
    s.says("no, prefiero estar presente");
    s.says("a este mismo número");
    let Stage::Confirming { request, .. } = &s.call.stage else { panic!("{:?}", s.call.stage) };
    assert_eq!((request.entry, request.callback.clone()), (Some(false), s.call.caller.phone.clone()));
    s.says("no, está mal");
    assert!(matches!(s.call.stage, Stage::Confirming { fixing: true, .. }), "{:?}", s.call.stage);
}

#[test]
fn a_spanish_gas_smell_escalates_at_once() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let turn = s.says("¡Ay Dios mío, huele a gas en la cocina!");
    assert_eq!(pages(&turn), 1);
    assert_eq!(s.call.stage, Stage::Transferring { to: Target::OnCall });
    assert!(s.call.outcomes.emergency);
}

#[test]
fn after_hours_a_caller_who_keeps_naming_a_danger_in_spanish_reaches_on_call() {
    let three_am = eastern(2026, 12, 2, 3, 0);
    let mut s = Script::new(Caller::unknown(Phone::parse("+17185559999")), three_am);
    // "Derrumbe" (a collapse) names the danger without saying where: a Spanish word only.
    s.says("un derrumbe... el derrumbe");
    s.says("derrumbe, señora, derrumbe");
    let turn = s.says("derrumbe por favor");
    assert_eq!(turn.next, Next::Dial { number: s.office.on_call_phone.clone(), timeout: 20 });
    assert_eq!(pages(&turn), 1);
}

/// Whether a line is one of the Spanish ones (every Spanish line has a mark or word English
/// lines never have).
fn spanish(line: &str) -> bool {
    let cue = crate::call::language::cue(line);
    cue.speaks == Some(Language::Spanish) || line.contains(['¿', '¡', 'ñ', 'á', 'é', 'í', 'ó', 'ú'])
}

#[test]
fn saying_espanol_switches_the_call_and_english_please_switches_it_back() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let greeting = s.event(Event::Answered);
    assert_eq!(greeting.invite.as_deref(), Some("Para español, diga «español»."), "said once, in Spanish");
    let mut s = Script::new(tenant(), tuesday_morning());
    let turn = s.says("español");
    assert_eq!((turn.language, s.call.language), (Language::Spanish, Language::Spanish));
    assert!(turn.say.iter().all(|l| spanish(l)), "{:?}", turn.say);
    assert!(turn.say[0].contains("Maria"), "greeted by name again: {:?}", turn.say);
    let turn = s.says("¿cuál es la dirección de la oficina?");
    assert!(turn.say[0].contains("31 Port Richmond"), "{:?}", turn.say);
    assert!(turn.say.iter().all(|l| spanish(l)), "{:?}", turn.say);
    let turn = s.says("English, please");
    assert_eq!((turn.language, s.call.language), (Language::English, Language::English));
    assert!(turn.say.iter().all(|l| !spanish(l)), "{:?}", turn.say);
}

#[test]
fn spanish_first_words_are_answered_in_spanish_with_a_spanish_read_back() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let turn = s.says("Hola, tengo una fuga de agua en el baño");
    assert_eq!(turn.language, Language::Spanish);
    assert!(turn.say.iter().all(|l| spanish(l)), "{:?}", turn.say);
    s.says("sí, pueden entrar");
    let turn = s.says("sí, a este número");
    let read_back = turn.say.join(" ");
    assert!(read_back.contains("tiene una fuga de agua en el baño"), "{read_back}");
    assert!(read_back.contains("siete uno ocho"), "the number in words, in groups: {read_back}");
    assert!(read_back.contains("Mantenimiento puede entrar"), "{read_back}");
    let turn = s.says("sí, correcto");
    assert!(matches!(turn.actions.as_slice(), [Action::FileServiceIssue(_)]), "{turn:?}");
    assert!(turn.say.iter().all(|l| spanish(l)), "{:?}", turn.say);
}

#[test]
fn a_spanish_gas_smell_is_told_to_get_out_and_call_911_first_in_spanish() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let turn = s.says("huele a gas en la cocina");
    assert!(turn.say[0].contains("salga del edificio") && turn.say[0].contains("911"), "{:?}", turn.say);
    assert!(turn.say.iter().all(|l| spanish(l)), "{:?}", turn.say);
    let body = turn
        .actions
        .iter()
        .find_map(|a| match a {
            Action::PageOnCall { body, .. } => Some(body),
            _ => None,
        })
        .expect("on-call is paged");
    assert!(body.starts_with("EMERGENCY (gas smell)"), "on-call reads English: {body}");
    assert!(body.contains("\"huele a gas en la cocina\""), "with the caller's words: {body}");
}

#[test]
fn office_hours_silences_and_goodbyes_in_spanish_never_the_same_line_twice() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("español");
    let turn = s.says("¿a qué hora abren?");
    let hours = turn.say.join(" ");
    assert!(hours.contains("de lunes a viernes") && hours.contains("hora del Este"), "{hours}");
    assert!(hours.contains("nueve de la mañana") && hours.contains("cinco de la tarde"), "{hours}");
    for _ in 0..3 {
        let turn = s.event(Event::Silence);
        assert!(turn.say.iter().all(|l| spanish(l)), "{:?}", turn.say);
    }
    assert_eq!(s.call.stage, Stage::Ended);
    let mut said = s.call.said.clone();
    said.sort();
    said.dedup();
    assert_eq!(said.len(), s.call.said.len(), "{:?}", s.call.said);
}

#[test]
fn a_spanish_caller_asking_for_a_person_is_connected_or_leaves_a_message_in_spanish() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("no hablo inglés");
    let turn = s.says("quiero hablar con una persona");
    assert!(matches!(turn.next, Next::Dial { .. }), "{turn:?}");
    assert!(turn.say.iter().all(|l| spanish(l)), "{:?}", turn.say);
    let turn = s.event(Event::DialEnded { answered: false });
    assert!(turn.say.iter().all(|l| spanish(l)), "{:?}", turn.say);
    s.says("soy Rosa, por favor llámenme por lo de la renta");
    let turn = s.says("sí");
    assert!(matches!(turn.actions.as_slice(), [Action::TakeMessage { .. }]), "{turn:?}");
    assert!(turn.say.iter().all(|l| spanish(l)), "{:?}", turn.say);
}

#[test]
fn an_offer_pending_when_the_caller_asks_for_spanish_is_asked_afresh_in_spanish() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.event(Event::Silence);
    s.event(Event::Silence);
    assert_eq!(s.call.stage, Stage::Listening { offer: Some(crate::call::Offer::Transfer) });
    let turn = s.says("español por favor");
    assert_eq!(s.call.stage, Stage::Listening { offer: None }, "a later sí is not taken as a yes to it");
    assert!(turn.say.iter().all(|l| spanish(l)), "{:?}", turn.say);
}
