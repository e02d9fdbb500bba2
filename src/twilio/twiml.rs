//! Turns a machine `Turn` into TwiML, always through an XML writer.
//!
//! Caller speech can hold anything (`<`, `&`, quotes, SSML-looking tags, control characters,
//! emoji); the writer escapes markup and `xml_text` drops the characters XML 1.0 forbids even
//! when escaped, so Twilio always receives a document it can parse.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::call::{Next, Turn};
use crate::phone::Phone;

/// How the assistant sounds and listens, in the call's language: from the office profile
/// and settings.
pub struct Voice<'a> {
    pub voice: &'a str,
    /// The `<Say>`'s language, the voice's own locale.
    pub language: &'a str,
    /// The `<Gather>`'s: the same, except `multi` where the caller's language is not known yet.
    pub listen: &'a str,
    pub speech_model: &'a str,
    pub hints: &'a str,
    /// The Spanish voice and its locale, for a turn's Spanish invitation (`Turn::invite`).
    pub invite_voice: &'a str,
    pub invite_language: &'a str,
}

/// Where the next callback of this call goes, and from which number transfers appear.
pub struct Callback<'a> {
    /// The path `PUBLIC_URL` puts before `/twilio` (see `TwilioConfig::prefix`).
    pub prefix: &'a str,
    pub next_turn: u32,
    pub caller_id: Option<&'a Phone>,
    /// Ask for partial transcripts while the caller speaks (to read them early).
    pub partials: bool,
}

type Xml = Writer<Vec<u8>>;

pub fn render(turn: &Turn, voice: &Voice, callback: &Callback) -> io::Result<String> {
    document(|w| {
        let say_all = |w: &mut Xml| {
            turn.say.iter().try_for_each(|line| say(w, voice, line))?;
            match &turn.invite {
                Some(line) => say_in(w, voice.invite_voice, voice.invite_language, line),
                None => Ok(()),
            }
        };
        match &turn.next {
            Next::Listen { speech_timeout } => {
                let action = format!("{}/twilio/gather?turn={}", callback.prefix, callback.next_turn);
                let timeout = speech_timeout.to_string();
                let partials = format!("{}/twilio/partial?turn={}", callback.prefix, callback.next_turn);
                let mut gather = w.create_element("Gather").with_attributes([
                    ("input", "speech"),
                    ("action", action.as_str()),
                    ("method", "POST"),
                    ("speechModel", voice.speech_model),
                    ("enhanced", "true"),
                    ("speechTimeout", timeout.as_str()),
                    ("language", voice.listen),
                    ("hints", voice.hints),
                    ("actionOnEmptyResult", "true"),
                ]);
                if callback.partials {
                    gather = gather.with_attributes([
                        ("partialResultCallback", partials.as_str()),
                        ("partialResultCallbackMethod", "POST"),
                    ]);
                }
                gather.write_inner_content(say_all)?;
                // Never reached when Twilio posts the empty result; a safety net if it doesn't,
                // because a Gather with nothing after it ends the call.
                w.create_element("Redirect")
                    .with_attribute(("method", "POST"))
                    .write_text_content(BytesText::new(&action))?;
            }
            Next::Dial { number, timeout } => {
                say_all(w)?;
                let action = format!("{}/twilio/dial?turn={}", callback.prefix, callback.next_turn);
                let timeout = timeout.to_string();
                let mut dial = w.create_element("Dial").with_attributes([
                    ("timeout", timeout.as_str()),
                    ("action", action.as_str()),
                    ("method", "POST"),
                    ("answerOnBridge", "true"),
                ]);
                if let Some(caller_id) = callback.caller_id {
                    dial = dial.with_attribute(("callerId", caller_id.e164()));
                }
                dial.write_inner_content(|w| {
                    w.create_element("Number").write_text_content(BytesText::new(number.e164()))?;
                    Ok(())
                })?;
            }
            Next::Hangup => {
                say_all(w)?;
                w.create_element("Hangup").write_empty()?;
            }
            Next::Nothing => say_all(w)?,
        }
        Ok(())
    })
}

/// A hold line while the model finishes, then the redirect that fetches the answer. Twilio
/// fetches it only once the line has played. No `<Gather>`: words said meanwhile are not
/// captured.
pub fn hold(voice: &Voice, line: &str, redirect: &str) -> io::Result<String> {
    document(|w| {
        say(w, voice, line)?;
        w.create_element("Redirect")
            .with_attribute(("method", "POST"))
            .write_text_content(BytesText::new(redirect))?;
        Ok(())
    })
}

/// What a caller hears when something inside frontdesk failed: an apology and a person,
/// never Twilio's "application error".
pub fn fallback(voice: &Voice, office_phone: &Phone) -> String {
    let rendered = document(|w| {
        say(w, voice, "I'm sorry, I'm having trouble on my end. Let me connect you to the office.")?;
        w.create_element("Dial").write_inner_content(|w| {
            w.create_element("Number").write_text_content(BytesText::new(office_phone.e164()))?;
            Ok(())
        })?;
        Ok(())
    });
    // Writing to memory cannot fail; the literal keeps even that path answerable.
    rendered
        .unwrap_or_else(|_| r#"<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>"#.into())
}

fn document(body: impl FnOnce(&mut Xml) -> io::Result<()>) -> io::Result<String> {
    let mut w = Writer::new(Vec::with_capacity(1024));
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("Response").write_inner_content(body)?;
    String::from_utf8(w.into_inner()).map_err(io::Error::other)
}

fn say(w: &mut Xml, voice: &Voice, line: &str) -> io::Result<()> {
    say_in(w, voice.voice, voice.language, line)
}

fn say_in(w: &mut Xml, voice: &str, language: &str, line: &str) -> io::Result<()> {
    w.create_element("Say")
        .with_attributes([("voice", voice), ("language", language)])
        .write_text_content(BytesText::new(&xml_text(line)))?;
    Ok(())
}

/// Removes characters XML 1.0 does not allow at all (most control characters, U+FFFE/FFFF).
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const VOICE: Voice = Voice {
        voice: "Google.en-US-Neural2-J",
        listen: "en-US",
        invite_voice: "Google.es-US-Neural2-A",
        invite_language: "es-US",
        language: "en-US",
        speech_model: "phone_call",
        hints: "Diane,Janier",
    };

    fn parse(xml: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"))
    }

    fn turn(say: &str, next: Next) -> Turn {
        Turn {
            say: vec![say.into()],
            next,
            actions: vec![],
            model_line: crate::call::ModelLine::NotOffered,
            language: crate::call::Language::English,
            invite: None,
        }
    }

    #[test]
    fn listening_puts_the_say_inside_a_speech_gather() {
        let xml = render(
            &turn("Hi!", Next::Listen { speech_timeout: 3 }),
            &VOICE,
            &Callback { prefix: "", next_turn: 4, caller_id: None, partials: false },
        )
        .unwrap();
        let doc = parse(&xml);
        let gather = doc.descendants().find(|n| n.has_tag_name("Gather")).unwrap();
        assert_eq!(gather.attribute("input"), Some("speech"));
        assert_eq!(gather.attribute("action"), Some("/twilio/gather?turn=4"));
        assert_eq!(gather.attribute("speechTimeout"), Some("3"));
        assert_eq!(gather.attribute("speechModel"), Some("phone_call"));
        assert_eq!(gather.attribute("actionOnEmptyResult"), Some("true"));
        assert_eq!(gather.attribute("hints"), Some("Diane,Janier"));
        assert_eq!(gather.attribute("partialResultCallback"), None, "not asked for");
        let say = gather.first_element_child().unwrap();
        assert_eq!(say.tag_name().name(), "Say");
        assert_eq!(say.attribute("voice"), Some("Google.en-US-Neural2-J"));
        assert_eq!(say.text(), Some("Hi!"));
    }

    #[test]
    fn partial_results_come_back_for_the_same_turn() {
        let xml = render(
            &turn("Hi!", Next::Listen { speech_timeout: 2 }),
            &VOICE,
            &Callback { prefix: "/frontdesk", next_turn: 4, caller_id: None, partials: true },
        )
        .unwrap();
        let doc = parse(&xml);
        let gather = doc.descendants().find(|n| n.has_tag_name("Gather")).unwrap();
        assert_eq!(gather.attribute("partialResultCallback"), Some("/frontdesk/twilio/partial?turn=4"));
        assert_eq!(gather.attribute("partialResultCallbackMethod"), Some("POST"));
        assert_eq!(gather.attribute("action"), Some("/frontdesk/twilio/gather?turn=4"));
    }

    #[test]
    fn a_hold_line_then_the_redirect() {
        let xml = hold(&VOICE, "One moment.", "/twilio/reply?turn=3&hold=1").unwrap();
        let doc = parse(&xml);
        let verbs: Vec<_> = doc.root_element().children().filter(|n| n.is_element()).collect();
        assert_eq!(verbs.iter().map(|n| n.tag_name().name()).collect::<Vec<_>>(), ["Say", "Redirect"]);
        assert_eq!(verbs[0].attribute("voice"), Some("Google.en-US-Neural2-J"));
        assert_eq!(verbs[1].attribute("method"), Some("POST"));
        assert_eq!(verbs[1].text(), Some("/twilio/reply?turn=3&hold=1"));
    }

    #[test]
    fn hostile_text_stays_well_formed() {
        let nasty = "<speak>&amp; \"quoted\" 'single' </Say><Hangup/> \u{0}\u{7}\u{1b} 🏠🔥 ]]> ".repeat(300);
        let xml = render(
            &turn(&nasty, Next::Hangup),
            &VOICE,
            &Callback { prefix: "", next_turn: 1, caller_id: None, partials: false },
        )
        .unwrap();
        let doc = parse(&xml);
        let say = doc.descendants().find(|n| n.has_tag_name("Say")).unwrap();
        assert!(say.text().unwrap().starts_with("<speak>&amp; \"quoted\""));
        assert_eq!(doc.descendants().filter(|n| n.has_tag_name("Hangup")).count(), 1);
    }

    #[test]
    fn a_dial_carries_the_number_caller_id_and_callback() {
        let number = Phone::parse("+17184146984").unwrap();
        let caller = Phone::parse("+17185550101").unwrap();
        let next = Next::Dial { number, timeout: 20 };
        let xml = render(
            &turn("Connecting.", next),
            &VOICE,
            &Callback { prefix: "/frontdesk", next_turn: 2, caller_id: Some(&caller), partials: false },
        )
        .unwrap();
        let doc = parse(&xml);
        let dial = doc.descendants().find(|n| n.has_tag_name("Dial")).unwrap();
        assert_eq!(dial.attribute("action"), Some("/frontdesk/twilio/dial?turn=2"));
        assert_eq!(dial.attribute("callerId"), Some("+17185550101"));
        assert_eq!(dial.attribute("timeout"), Some("20"));
        assert_eq!(dial.first_element_child().unwrap().text(), Some("+17184146984"));
    }

    #[test]
    fn the_fallback_is_valid_twiml_that_reaches_a_person() {
        let xml = fallback(&VOICE, &Phone::parse("+17184146984").unwrap());
        let doc = parse(&xml);
        assert!(doc.descendants().any(|n| n.has_tag_name("Number")));
    }
}
