//! What the model answers each turn: one JSON object, its schema, and the tolerant reading
//! of it that every structured-reply mode shares.
//!
//! Servers that cannot hold the model to the schema (`json_object`, or plain text) get
//! replies with extra fields, missing optional ones, or prose around the object; those are
//! still read. A reply that does not fit even so is a model error, and the rules answer.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::call::reading::{Asks, Hazard, Intent, Language, ModelReply, Reading, Topic};
use crate::phone::Phone;

pub const INTENTS: &[&str] = &[
    "maintenance", "hours", "address", "person", "leasing", "policy", "thanks", "goodbye", "hello", "other",
];
pub const HAZARDS: &[&str] = &[
    "gas", "carbon_monoxide", "fire", "smoke", "electrical", "structural_collapse", "elevator_entrapment",
    "flooding", "sewage", "no_water", "no_heat", "blocked_exit", "no_hot_water", "entry_door",
    "unsecured_unit", "lockout_at_risk", "lockout", "no_air_conditioning", "clogged_toilet",
];
pub const TOPICS: &[&str] = &[
    "rent_payment", "late_fees", "pets", "parking", "laundry", "trash", "packages", "quiet_hours",
    "move_in_out", "amenities", "applying",
];
pub const ASKS: &[&str] = &[
    "problem", "address", "location", "entry", "callback", "confirm", "transfer", "message", "showing",
    "message_body", "open", "goodbye",
];

/// Strict structured output: every field present, nullable ones typed with null.
pub fn schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["intent", "hazard", "describes_problem", "urgent", "answer", "location", "phone",
                     "this_number", "staff", "topic", "address", "language", "wants_language", "summary", "english", "reply",
                     "reply_asks"],
        "properties": {
            "intent": { "type": "string", "enum": INTENTS },
            "hazard": { "type": ["string", "null"], "enum": HAZARDS.iter().map(|h| json!(h)).chain([json!(null)]).collect::<Vec<_>>() },
            "describes_problem": { "type": "boolean", "description": "the caller named a concrete problem in the home" },
            "urgent": { "type": "boolean" },
            "answer": { "type": ["boolean", "null"], "description": "yes (true) or no (false), if the caller gave one" },
            "location": { "type": ["string", "null"], "description": "where in the home, if named" },
            "phone": { "type": ["string", "null"], "description": "a phone number the caller said, digits only" },
            "this_number": { "type": "boolean", "description": "the caller means the number they are calling from" },
            "staff": { "type": ["string", "null"], "description": "a staff member asked for by name" },
            "topic": { "type": ["string", "null"], "enum": TOPICS.iter().map(|t| json!(t)).chain([json!(null)]).collect::<Vec<_>>(),
                       "description": "what a question about living here is about (intent policy)" },
            "address": { "type": ["string", "null"], "description": "a street address the caller named, as said" },
            "language": { "type": ["string", "null"], "description": "the language the caller's last words are in (\"en\", \"es\")" },
            "wants_language": { "type": ["string", "null"], "enum": ["en", "es", null],
                                "description": "the language the caller asks to be spoken to in (\"en español\", \"no hablo inglés\": es; \"English, please\": en); null if they did not ask" },
            "summary": { "type": ["string", "null"], "description": "the problem or message in a few of the caller's own words, as a read-back would say it (\"a dripping kitchen faucet\"; \"please call back about the Windsor apartment\"): no greetings or stories, and nothing they did not say (no diagnosis, time or promise); null if they described neither" },
            "english": { "type": ["string", "null"], "description": "when the caller speaks Spanish: the problem or message translated into a short English line for staff (\"a clogged bathroom toilet\"), adding nothing; null otherwise" },
            "reply": { "type": "string" },
            "reply_asks": { "type": "string", "enum": ASKS },
        }
    })
}

/// The contract in words, for servers that do not take the schema as a parameter: the
/// system prompt carries it.
pub fn in_words() -> String {
    format!(
        "Answer with exactly one JSON object and nothing else, following this JSON schema \
         (null where a field does not apply):\n{}",
        schema()
    )
}

/// The reply's fields. Unknown fields are ignored and missing optional ones are empty, so a
/// loosely held model still reads; the three a turn cannot do without are required. An
/// optional hazard or topic outside the lists is dropped rather than failing the reading:
/// the rules' own hazard stands either way (`brain::with_safety_net`).
#[derive(Debug, Deserialize)]
pub struct Output {
    intent: Intent,
    #[serde(default, deserialize_with = "known_or_none")]
    hazard: Option<Hazard>,
    #[serde(default)]
    describes_problem: bool,
    #[serde(default)]
    urgent: bool,
    #[serde(default)]
    answer: Option<bool>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    this_number: bool,
    #[serde(default)]
    staff: Option<String>,
    #[serde(default, deserialize_with = "known_or_none")]
    topic: Option<Topic>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    wants_language: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    english: Option<String>,
    reply: String,
    reply_asks: Asks,
}

fn known_or_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

/// Reads the reply from text that holds it: the whole text, or else the first JSON object in
/// it that fits (a model without a schema may write a sentence or a code fence around it).
pub fn parse(text: &str) -> Result<Output, serde_json::Error> {
    let first_error = match serde_json::from_str::<Output>(text.trim()) {
        Ok(output) => return Ok(output),
        Err(e) => e,
    };
    // A small model writes line breaks inside strings, which JSON forbids; as spaces they
    // change nothing outside strings and little inside.
    let text = text.replace(|c: char| c.is_ascii_control(), " ");
    if let Ok(output) = serde_json::from_str::<Output>(text.trim()) {
        return Ok(output);
    }
    for (at, _) in text.match_indices('{') {
        let mut objects = serde_json::Deserializer::from_str(&text[at..]).into_iter::<Value>();
        if let Some(Ok(value @ Value::Object(_))) = objects.next() {
            // The first object is the reply; a later one is not a second chance for it.
            return serde_json::from_value(value);
        }
    }
    Err(first_error)
}

impl Output {
    /// A model may only name staff the office has, and numbers that parse.
    pub fn into_reading(self, staff: &[String]) -> Reading {
        Reading {
            intent: Some(self.intent),
            hazard: self.hazard,
            describes_problem: self.describes_problem,
            urgent: self.urgent,
            answer: self.answer,
            location: self.location.filter(|l| !l.trim().is_empty()),
            phone: self.phone.as_deref().and_then(Phone::parse),
            this_number: self.this_number,
            staff: self
                .staff
                .and_then(|name| staff.iter().find(|s| s.eq_ignore_ascii_case(name.trim())).cloned()),
            topic: self.topic,
            address: self.address.filter(|a| !a.trim().is_empty()),
            language: self.language.as_deref().and_then(Language::from_tag),
            wants_language: self.wants_language.as_deref().and_then(Language::from_tag),
            reply: Some(ModelReply { text: self.reply, asks: self.reply_asks }),
            also: Vec::new(),
            summary: self.summary.filter(|s| !s.trim().is_empty()),
            english: self.english.filter(|s| !s.trim().is_empty()),
            details: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema's enums and the Rust enums must name the same things.
    #[test]
    fn schema_enums_match_the_types() {
        for name in INTENTS {
            serde_json::from_value::<Intent>(json!(name)).unwrap();
        }
        for name in HAZARDS {
            serde_json::from_value::<Hazard>(json!(name)).unwrap();
        }
        for name in ASKS {
            serde_json::from_value::<Asks>(json!(name)).unwrap();
        }
        for name in TOPICS {
            serde_json::from_value::<Topic>(json!(name)).unwrap();
        }
        assert_eq!(TOPICS.len(), Topic::ALL.len());
        assert_eq!(HAZARDS.len(), Hazard::ALL.len());
    }

    #[test]
    fn unknown_staff_and_bad_numbers_are_dropped() {
        let output: Output = serde_json::from_value(json!({
            "intent": "person", "hazard": null, "describes_problem": false, "urgent": false,
            "answer": null, "location": "", "phone": "12", "this_number": false, "staff": "bob", "topic": null, "address": null,
            "language": "en", "reply": "Sure.", "reply_asks": "open"
        }))
        .unwrap();
        let reading = output.into_reading(&["Diane".into()]);
        assert_eq!((reading.staff, reading.phone, reading.location), (None, None, None));
    }

    #[test]
    fn the_first_object_in_prose_is_read_with_unknown_fields_ignored_and_missing_ones_empty() {
        let text = "Sure! Here is the JSON:\n```json\n{\"intent\": \"hours\", \"mood\": \"cheerful\", \
                    \"reply\": \"We open at nine.\", \"reply_asks\": \"open\"}\n```\nAnything else?";
        let reading = parse(text).unwrap().into_reading(&[]);
        assert_eq!(reading.intent, Some(Intent::Hours));
        let odd = r#"{"intent": "maintenance", "hazard": "a dripping tap", "topic": "plumbing", "reply": "Okay.", "reply_asks": "location"}"#;
        let loose = parse(odd).unwrap().into_reading(&[]);
        let broken = "{\"intent\": \"hours\", \"reply\": \"We open\nat nine.\", \"reply_asks\": \"open\"}";
        assert_eq!(parse(broken).unwrap().into_reading(&[]).reply.unwrap().text, "We open at nine.");
        assert_eq!((loose.hazard, loose.topic), (None, None), "values outside the lists are dropped");
        assert_eq!((reading.hazard, reading.urgent, reading.location), (None, false, None));
        assert_eq!(reading.reply.unwrap().text, "We open at nine.");
    }

    #[test]
    fn a_language_is_read_from_a_tag_or_a_name_and_any_other_is_none() {
        let language = |value: Value| {
            let output: Output = serde_json::from_value(
                json!({"intent": "hello", "language": value, "reply": "Hola.", "reply_asks": "open"}),
            )
            .unwrap();
            output.into_reading(&[]).language
        };
        assert_eq!(language(json!("es-US")), Some(Language::Spanish));
        assert_eq!(language(json!("Spanish")), Some(Language::Spanish));
        assert_eq!(language(json!("en")), Some(Language::English));
        assert_eq!(language(json!("pt-BR")), None);
        assert_eq!(language(json!(null)), None);
        let wants = |value: Value| {
            let output: Output = serde_json::from_value(
                json!({"intent": "other", "wants_language": value, "reply": "Claro.", "reply_asks": "open"}),
            )
            .unwrap();
            output.into_reading(&[]).wants_language
        };
        assert_eq!(wants(json!("es")), Some(Language::Spanish));
        assert_eq!(wants(json!("en")), Some(Language::English));
        assert_eq!(wants(json!(null)), None);
    }

    #[test]
    fn a_reply_that_does_not_fit_is_an_error() {
        for text in [
            "I'm sorry, I can't help with that.",
            r#"{"intent": "dance", "reply": 7}"#,
            r#"{"intent": "hours"}"#,
            r#"Thinking {"step": 1} then {"intent": "hours", "reply": "Hi.", "reply_asks": "open"}"#,
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }
}
