//! The caller's language, and what an utterance says about it: a request to be spoken to in
//! one ("español", "no hablo inglés", "English, please"), and the language it is said in.
//!
//! A Spanish speaker is often first heard through an English speech model, which keeps only
//! the Spanish words it can spell ("hola", "sí", "por favor", "la cocina"): the words below
//! that are Spanish and not English are what recognises them.

use serde::{Deserialize, Deserializer, Serialize};

use super::heard::Heard;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Language {
    #[default]
    English,
    Spanish,
}

impl Language {
    /// The language as a tag a model may answer with ("es", "es-MX", "en-US"), or its name
    /// ("Spanish", "español"); `None` for any other language.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let tag = Heard::unaccented(tag);
        let first = tag.words().next()?;
        match first {
            "en" | "eng" | "english" | "ingles" => Some(Language::English),
            "es" | "spa" | "spanish" | "espanol" | "castellano" => Some(Language::Spanish),
            _ => None,
        }
    }
}

/// A reading's language as stored: this enum's own names, the language tags a model wrote
/// before it existed ("en-US"), and `None` for any other.
pub(crate) fn known<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Language>, D::Error> {
    let tag: Option<String> = Option::deserialize(deserializer)?;
    Ok(tag.as_deref().and_then(Language::from_tag))
}

/// What one utterance says about the caller's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cue {
    /// The language it is said in, when its words tell.
    pub speaks: Option<Language>,
    /// The language the caller asks for.
    pub wants: Option<Language>,
}

/// Saying they cannot follow English: a request for Spanish, though it names English.
const NO_ENGLISH: &[&str] = &[
    "no hablo ingles", "no hablo mucho ingles", "no hablo bien ingles", "no hablo bien el ingles",
    "no hablo el ingles", "hablo poco ingles", "hablo poquito ingles", "un poquito de ingles",
    "no entiendo ingles", "no entiendo el ingles", "no entiendo en ingles", "no se ingles",
    "no se hablar ingles", "dont speak english", "do not speak english", "dont speak much english",
    "no speak english", "dont understand english", "not good english", "my english is not good",
    "my english is bad",
];
const SPANISH_ASKED: &[&str] = &[
    "espanol", "en espanol", "espaniol", "espanyol", "spanish", "in spanish", "speak spanish", "castellano",
    "en castellano", "hablo espanol", "habla espanol", "hablan espanol",
];
/// Saying they cannot follow Spanish: English, though it names Spanish.
const NO_SPANISH: &[&str] = &[
    "dont speak spanish", "do not speak spanish", "no spanish", "not spanish", "no hablo espanol",
    "dont understand spanish",
];
const ENGLISH_ASKED: &[&str] = &[
    "english", "in english", "ingles", "en ingles", "speak english", "hablo ingles", "habla ingles",
    "english please", "back to english",
];

/// Words that are Spanish and not English, as speech models write them (accents dropped).
/// Left out on purpose: words English shares ("a", "no", "me", "son", "once", "come", "yo",
/// "ya", "real", "super") and the English a Spanish speaker uses ("okay", "please", "bye").
const SPANISH: &[&str] = &[
    "el", "la", "los", "las", "lo", "le", "les", "de", "del", "al", "que", "en", "mi", "mis", "tu", "su",
    "sus", "un", "una", "unos", "unas", "y", "o", "pero", "porque", "por", "para", "con", "sin", "se",
    "usted", "ustedes", "ella", "ellos", "nosotros", "es", "esta", "estan", "estoy", "estamos", "hay",
    "tengo", "tiene", "tienen", "tenemos", "hace", "muy", "mucho", "mucha", "poco", "nada", "todo", "toda",
    "todos", "aqui", "ahi", "alla", "tambien", "como", "cuando", "donde", "quien", "cual", "cuanto", "hola",
    "gracias", "si", "senor", "senora", "senorita", "buenos", "buenas", "dias", "tardes", "noches", "favor",
    "quiero", "necesito", "puedo", "puede", "pueden", "podria", "quisiera", "llamo", "llamando", "hablar",
    "hablo", "habla", "digo", "oiga", "oye", "mire", "bueno", "pues", "entonces", "este", "eso", "esto",
    "esa", "ese", "ahora", "hoy", "manana", "ayer", "anoche", "semana", "apartamento", "casa", "edificio",
    "oficina", "agua", "luz", "bano", "cocina", "cuarto", "sala", "habitacion", "puerta", "ventana", "techo",
    "piso", "pared", "llave", "llaves", "renta", "pago", "funciona", "sirve", "roto", "rota", "gotea",
    "arreglar", "ayuda", "alguien", "persona", "nadie", "otra", "otro", "algo", "huele", "olor", "humo",
    "fuego", "sale", "salen", "calefaccion", "caliente", "fria", "frio", "cero", "uno", "dos", "tres",
    "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "ay", "dios", "mio", "vecino", "vecina",
    "hijo", "hija", "nevera", "estufa", "inodoro", "lavamanos", "fregadero", "ducha", "mas", "dale", "claro",
    "adios", "hasta", "luego", "perdon", "disculpe", "diga", "espanol", "ingles", "chao", "chau", "ola",
    "ta", "pa", "mija", "mijo",
];
/// Words that are English and not Spanish, the English a Spanish speaker mixes in left out.
const ENGLISH: &[&str] = &[
    "the", "my", "is", "it", "its", "im", "ive", "and", "you", "your", "to", "of", "what", "i", "have",
    "has", "there", "theres", "this", "that", "with", "for", "on", "at", "can", "do", "dont", "does",
    "doesnt", "did", "didnt", "isnt", "wont", "cant", "hi", "hey", "yeah", "thanks", "thank", "need", "want",
    "get", "got", "how", "when", "where", "who", "why", "was", "were", "be", "been", "just", "like", "so",
    "about", "from", "we", "our", "they", "their", "he", "she", "his", "her", "would", "could", "should",
    "will", "not", "any", "some", "out", "up", "now", "here", "are", "am", "an", "or", "if", "whats",
];

/// What the utterance says about the caller's language.
pub fn cue(utterance: &str) -> Cue {
    let heard = Heard::unaccented(utterance);
    let count = |list: &[&str]| heard.words().filter(|w| list.contains(w)).count();
    let (spanish, english) = (count(SPANISH), count(ENGLISH));
    let speaks = match spanish.cmp(&english) {
        std::cmp::Ordering::Greater => Some(Language::Spanish),
        std::cmp::Ordering::Less => Some(Language::English),
        std::cmp::Ordering::Equal => None,
    };
    Cue { speaks, wants: wants(&heard) }
}

/// The language asked for: the one named last, unless the caller says they cannot follow
/// one ("no hablo inglés" names English and asks for Spanish).
fn wants(heard: &Heard) -> Option<Language> {
    if heard.has(NO_ENGLISH) {
        return Some(Language::Spanish);
    }
    if heard.has(NO_SPANISH) {
        return Some(Language::English);
    }
    let last = |list: &[&str]| list.iter().filter_map(|p| heard.text().rfind(&format!(" {p} "))).max();
    match (last(SPANISH_ASKED), last(ENGLISH_ASKED)) {
        (Some(spanish), Some(english)) if english > spanish => Some(Language::English),
        (Some(_), _) => Some(Language::Spanish),
        (None, Some(_)) => Some(Language::English),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{English, Spanish};

    #[test]
    fn a_request_to_switch_in_either_language() {
        for spanish in [
            "español", "Espanol", "Spanish", "en español por favor", "no hablo inglés",
            "no hablo mucho ingles, señora", "I don't speak English",
            "do you have someone who speaks Spanish", "sorry no english, español",
        ] {
            assert_eq!(cue(spanish).wants, Some(Spanish), "{spanish}");
        }
        for english in
            ["English, please", "en inglés por favor", "can we do this in English", "no hablo español"]
        {
            assert_eq!(cue(english).wants, Some(English), "{english}");
        }
        assert_eq!(cue("Spanish... actually English is fine").wants, Some(English));
        assert_eq!(cue("my sink is leaking").wants, None);
        assert_eq!(cue("el baño está goteando").wants, None);
    }

    #[test]
    fn spanish_speech_is_recognised_even_through_an_english_model() {
        for spanish in [
            "hola",
            "sí",
            "si",
            "por favor",
            "tengo una fuga de agua en el baño",
            "Hola, tengo una fuga de agua en el baño",
            "la cocina",
            "siete uno ocho cinco cinco cinco cero uno cero uno",
            "huele a gas",
            "el heat no sirve",
            "ay dios mio hay humo",
        ] {
            assert_eq!(cue(spanish).speaks, Some(Spanish), "{spanish}");
        }
        for english in ["my sink is leaking", "what are your hours", "I smell gas in the hallway"] {
            assert_eq!(cue(english).speaks, Some(English), "{english}");
        }
        for either in ["no", "okay", "Diane please", "operator", "gas"] {
            assert_eq!(cue(either).speaks, None, "{either}");
        }
    }

    #[test]
    fn a_reading_stored_with_a_language_tag_still_decodes() {
        use crate::call::reading::Reading;
        let stored = |language: &str| {
            let json = format!(
                r#"{{"intent":"hello","hazard":null,"describes_problem":false,"urgent":false,"answer":null,
                    "location":null,"phone":null,"this_number":false,"staff":null,"topic":null,
                    "address":null,"language":{language},"reply":null}}"#
            );
            serde_json::from_str::<Reading>(&json).unwrap()
        };
        assert_eq!(stored(r#""en-US""#).language, Some(English));
        assert_eq!(stored(r#""es""#).language, Some(Spanish));
        assert_eq!(stored(r#""fr""#).language, None);
        assert_eq!(stored("null").language, None);
        assert_eq!(stored(r#""spanish""#).wants_language, None);
        let now = Reading { language: Some(Spanish), wants_language: Some(English), ..Reading::default() };
        let again: Reading = serde_json::from_str(&serde_json::to_string(&now).unwrap()).unwrap();
        assert_eq!(again, now);
    }

    #[test]
    fn tags_and_names_a_model_may_give() {
        assert_eq!(Language::from_tag("es-US"), Some(Spanish));
        assert_eq!(Language::from_tag("es_MX"), Some(Spanish));
        assert_eq!(Language::from_tag("Español"), Some(Spanish));
        assert_eq!(Language::from_tag("en"), Some(English));
        assert_eq!(Language::from_tag("English"), Some(English));
        assert_eq!(Language::from_tag("fr-CA"), None);
        assert_eq!(Language::Spanish.as_str(), "spanish");
    }
}
