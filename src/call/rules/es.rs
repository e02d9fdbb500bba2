//! The keyword rules in Spanish, as New York's Puerto Rican, Dominican and Mexican callers
//! say things on the phone ("la pluma del baño gotea", "el zafacón", "no tira calor"),
//! Spanglish included ("el toilet está tapado", "el heat no sirve").
//!
//! The same categories as the English rules and the same order of precedence, so a reading
//! means the same to the machine in either language. Phrases are written without accents, as
//! `heard` matches them: a speech model may write "baño" or "bano", "hay" or "ay".

pub(crate) mod phone;
mod words;

use crate::call::hazards::{ENGLISH, SPANISH};
use crate::call::heard::Heard;
use crate::call::language::{self, Language};
use crate::call::reading::{Hazard, Intent, Reading};
use words::*;

/// An utterance as the Spanish rules match it: without accents, soundalikes put right.
fn heard(utterance: &str) -> Heard {
    let mut text = Heard::unaccented(utterance).text().to_string();
    for (written, said) in SOUNDALIKES {
        // Twice: replacements of neighbouring words share the space between them.
        for _ in 0..2 {
            text = text.replace(written, said);
        }
    }
    Heard::new(&text)
}

/// Reads an utterance in the language it is said in: Spanish by these rules, English by
/// `english`; an utterance that could be either goes to whichever understands it, and a
/// danger named in either language is never missed.
pub(super) fn read_either(
    utterance: &str,
    staff: &[String],
    english: fn(&str, &[String]) -> Reading,
) -> Reading {
    let cue = language::cue(utterance);
    let mut reading = match cue.speaks {
        Some(Language::Spanish) => read(utterance, staff),
        speaks => {
            let first = english(utterance, staff);
            let spanish_hazard = !SPANISH.heard(&heard(utterance)).is_empty();
            let fallback = (first.hazard.is_none() && spanish_hazard)
                || (speaks.is_none() && !understood(&first) && understood(&read(utterance, staff)));
            if fallback { read(utterance, staff) } else { Reading { language: speaks, ..first } }
        }
    };
    reading.wants_language = cue.wants;
    reading
}

/// Whether a reading found anything at all in the utterance.
fn understood(r: &Reading) -> bool {
    !matches!(r.intent, None | Some(Intent::Other))
        || r.hazard.is_some()
        || r.answer.is_some()
        || r.location.is_some()
        || r.phone.is_some()
        || r.this_number
        || r.staff.is_some()
}

/// The danger named at all, happening or not, in Spanish.
pub(super) fn mentioned_hazard(utterance: &str) -> Option<Hazard> {
    SPANISH.mentioned(&heard(utterance))
}

/// Every hazard said, in Spanish or in the English words a Spanish speaker mixes in.
fn hazard(h: &Heard, said: &Heard) -> Option<Hazard> {
    SPANISH.heard(h).into_iter().chain(ENGLISH.heard(said)).min()
}

fn read(utterance: &str, staff: &[String]) -> Reading {
    let said = Heard::new(utterance);
    let h = heard(utterance);
    let hazard = hazard(&h, &said);
    let staff_named = named(&h, staff);
    let (intent, topic) = super::intent(&h, hazard, staff_named.is_some(), &LEXICON);
    Reading {
        intent: Some(intent),
        hazard,
        describes_problem: hazard.is_some() || (intent == Intent::Maintenance && h.has(PROBLEM)),
        urgent: h.has(URGENT),
        answer: answer(&h),
        location: location(&h, &said),
        phone: phone::phone(&h),
        this_number: h.has(THIS_NUMBER),
        staff: staff_named,
        topic,
        address: None,
        language: Some(Language::Spanish),
        wants_language: None,
        reply: None,
        also: super::asides(&h, intent, &LEXICON, &SPANISH, |clause| named(clause, staff).is_some()),
        summary: None,
        english: None,
        details: Default::default(),
    }
}

/// A staff member named, also as a Spanish speech model spells an English name ("Diana"
/// for Diane); only longer names, whose near-misses are not everyday words.
fn named(h: &Heard, staff: &[String]) -> Option<String> {
    let likeness = |word: &str, name: &str| {
        word.len() >= 5 && name.len() >= 5 && strsim::jaro_winkler(word, name) >= 0.9
    };
    staff
        .iter()
        .find(|name| {
            let name = Heard::unaccented(name);
            let name = name.text().trim();
            h.has(&[name]) || (!name.contains(' ') && h.words().any(|word| likeness(word, name)))
        })
        .cloned()
}

fn answer(h: &Heard) -> Option<bool> {
    match (h.position(YES), h.position(NO)) {
        (Some(yes), Some(no)) => Some(yes < no),
        (yes, no) => yes.map(|_| true).or(no.map(|_| false)),
    }
}

/// The room named, in the caller's own spelling (a model's location must be the caller's
/// words too, see `vet::location`).
fn location(h: &Heard, said: &Heard) -> Option<String> {
    let at = ROOMS.iter().find_map(|room| h.position(&[room]).map(|at| (at, room.split(' ').count())))?;
    let (at, length) = at;
    let before = h.text()[..at].split_whitespace().count();
    let words: Vec<&str> = said.words().skip(before).take(length).collect();
    (words.len() == length).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::super::read;
    use super::*;
    use crate::call::reading::{Aside, Topic};

    fn staff() -> Vec<String> {
        vec!["Diane".into(), "Janier".into()]
    }

    fn intent(text: &str) -> Intent {
        read(text, &staff()).intent.unwrap()
    }

    #[test]
    fn intents() {
        assert_eq!(intent("¿Cuál es su horario?"), Intent::Hours);
        assert_eq!(intent("a que hora abren mañana"), Intent::Hours);
        assert_eq!(intent("¿Cuál es la dirección de la oficina?"), Intent::Address);
        assert_eq!(intent("¿dónde quedan ustedes?"), Intent::Address);
        assert_eq!(intent("quiero hablar con una persona"), Intent::Person);
        assert_eq!(intent("¿está Diane?"), Intent::Person);
        assert_eq!(intent("el fregadero de la cocina está goteando"), Intent::Maintenance);
        assert_eq!(intent("necesito poner una orden de mantenimiento"), Intent::Maintenance);
        assert_eq!(intent("¿cómo pago la renta?"), Intent::Policy);
        assert_eq!(read("¿puedo tener un perro?", &staff()).topic, Some(Topic::Pets));
        assert_eq!(intent("¿tienen apartamentos disponibles?"), Intent::Leasing);
        assert_eq!(intent("muchas gracias"), Intent::Thanks);
        assert_eq!(intent("no, eso es todo, adiós"), Intent::Goodbye);
        assert_eq!(intent("hola, buenas tardes"), Intent::Hello);
    }

    #[test]
    fn spanish_is_read_as_spanish_and_english_as_english() {
        let r = read("Hola, tengo una fuga de agua en el baño", &staff());
        assert_eq!((r.intent, r.language), (Some(Intent::Maintenance), Some(Language::Spanish)));
        assert_eq!(r.location.as_deref(), Some("baño"), "the caller's own word");
        assert!(r.describes_problem && r.urgent);
        let r = read("my kitchen sink is leaking", &staff());
        assert_eq!((r.intent, r.language), (Some(Intent::Maintenance), Some(Language::English)));
        assert_eq!(read("en el bano", &staff()).location.as_deref(), Some("bano"));
    }

    #[test]
    fn emergencies_above_all() {
        for (said, hazard) in [
            ("huele a gas", Hazard::Gas),
            ("hay humo", Hazard::Smoke),
            ("se inundó", Hazard::Flooding),
            ("no hay calefacción", Hazard::NoHeat),
            ("se cayó el techo", Hazard::StructuralCollapse),
            ("sale chispas del enchufe", Hazard::Electrical),
            ("monóxido", Hazard::CarbonMonoxide),
            ("fire", Hazard::Fire),
        ] {
            let r = read(said, &staff());
            assert_eq!((r.hazard, r.intent), (Some(hazard), Some(Intent::Maintenance)), "{said}");
        }
        assert_eq!(super::super::mentioned_hazard("el gas, el gas"), Some(Hazard::Gas));
        assert_eq!(super::super::mentioned_hazard("incendio"), Some(Hazard::Fire));
    }

    #[test]
    fn answers_numbers_and_names() {
        assert_eq!(read("sí", &staff()).answer, Some(true));
        assert_eq!(read("sí, pueden entrar", &staff()).answer, Some(true));
        assert_eq!(read("no, no entren", &staff()).answer, Some(false));
        assert_eq!(read("dale", &staff()).answer, Some(true));
        let r = read("llámeme al siete uno ocho cinco cinco cinco cero uno cero dos", &staff());
        assert_eq!(r.phone.map(|p| p.e164().to_string()).as_deref(), Some("+17185550102"));
        assert!(read("a este mismo número", &staff()).this_number);
        assert_eq!(read("páseme con Diana por favor", &staff()).staff.as_deref(), Some("Diane"));
        assert_eq!(read("quiero hablar con janier", &staff()).staff.as_deref(), Some("Janier"));
    }

    #[test]
    fn several_requests_are_read_clause_by_clause() {
        let r = read("el inodoro está tapado y también a qué hora cierran", &staff());
        assert_eq!(r.intent, Some(Intent::Maintenance));
        assert_eq!(r.also, [Aside { intent: Intent::Hours, words: "a que hora cierran".into() }]);
    }

    #[test]
    fn a_request_for_a_language_is_kept() {
        assert_eq!(read("en español por favor", &staff()).wants_language, Some(Language::Spanish));
        assert_eq!(read("English, please", &staff()).wants_language, Some(Language::English));
    }
}
