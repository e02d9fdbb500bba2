//! Whether a model's line may be spoken: clean for the ear, true to what the office and the
//! caller said, no promises, and not a repeat. A line that fails is not spoken; a rules line
//! is, and the turn records why.
//!
//! A model line may not promise an arrival or a completed action at all (only the machine's
//! fixed lines say what was done), and may state a time, a price or a number in any form only
//! when the same fact is in the office profile, the property knowledge, or the caller's own
//! words in this call. `location` holds the model's reading of where a problem is to the
//! caller's words the same way, and `summary` a model's summary of the problem or message:
//! every content word in it must be one the caller said (nothing added: no diagnosis, no
//! time, no promise).

mod es;
pub mod summary;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::heard::Heard;
use crate::knowledge::Knowledge;
use crate::office::Office;
use crate::phone::Phone;

/// Past this, a line is a speech, not a phone reply.
const MAX_CHARS: usize = 320;
/// How alike two lines may be before one counts as a repeat of the other.
const REPEAT_SIMILARITY: f64 = 0.85;
/// A location is a place in a home, said in a few words.
const MAX_LOCATION_WORDS: usize = 5;
/// How close a location's word must be to one the caller said (speech recognition spells).
const LOCATION_LIKENESS: f64 = 0.9;
/// A summary is a few words, not a retelling.
const MAX_SUMMARY_WORDS: usize = 14;
/// Words that carry no fact of their own: a summary may use them though the caller did not.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "your", "my", "our", "their", "his", "her", "its", "it", "is", "are", "was", "were",
    "that", "thats", "this", "these", "those", "which", "who", "in", "on", "at", "of", "with", "from", "to",
    "for", "by", "and", "or", "but", "not", "no", "isnt", "arent", "wont", "doesnt", "dont", "cant", "has",
    "have", "had", "keeps", "some", "any", "there", "theres", "up", "out", "off", "down", "under", "over",
    "near", "behind", "about", "please", "you", "youre", "yours", "me", "i", "im", "they", "them", "all",
];
/// Endings a word may be said with: "drips" and "dripping", "leak" and "leaking", are the same
/// word.
const ENDINGS: &[&str] = &["ing", "ed", "es", "s", "y", "en", "er", "e"];

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Unfit {
    #[error("the reply is empty")]
    Empty,
    #[error("the reply is too long for the ear ({0} characters)")]
    TooLong(usize),
    #[error("the reply states a phone number not in the profile: {0}")]
    UnknownNumber(String),
    #[error("the reply states an address not in the profile: {0}")]
    UnknownAddress(String),
    #[error("the reply states hours not in the profile: {0}")]
    UnknownHours(String),
    #[error("the reply claims or promises what the assistant cannot: {0}")]
    Promise(String),
    #[error("the reply states a {0} that neither the office's data nor the caller gave: {1}")]
    Unstated(&'static str, String),
    #[error("the reply repeats an earlier line")]
    Repeat,
}

/// Where a fact in a model's line may come from.
pub struct Sources<'a> {
    pub office: &'a Office,
    pub knowledge: &'a Knowledge,
    /// The number the caller is calling from.
    pub caller: Option<&'a Phone>,
    /// The caller's own words in this call.
    pub heard: &'a [String],
}

impl Sources<'_> {
    /// Everything the office and the caller said, as one lower-case text.
    fn text(&self) -> String {
        let office = self.office;
        let mut parts = vec![
            office.address.clone(),
            office.address_spoken.clone(),
            office.hours.spoken_week(),
            office.hours.spoken_week_es(),
            office.hours.spoken_times().join(" "),
            office.office_phone.spoken(),
            office.on_call_phone.spoken(),
        ];
        for property in &self.knowledge.properties {
            parts.push(property.name.clone());
            parts.push(property.address.clone());
            parts.extend(property.spoken.iter().cloned());
            for unit in &property.units {
                parts.push(format!("unit {} {} bedrooms ${} a month", unit.name, unit.bedrooms, unit.rent));
            }
        }
        for policy in self.knowledge.policies.iter().filter(|p| !p.placeholder) {
            parts.push(policy.text.clone());
        }
        parts.extend(self.caller.map(Phone::spoken));
        parts.extend(self.heard.iter().cloned());
        parts.join(" \n ").to_lowercase()
    }
}

static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\(?\d[\d().\s-]{5,}\d").expect("valid regex"));
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,5})\s+((?:[a-z]+\s+){0,3}?)(ave|avenue|st|street|rd|road|blvd|boulevard|pl|place|ln|lane|dr|drive|ct|court|way|terrace|parkway|pkwy)\b")
        .expect("valid regex")
});
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s?m\b\.?|\bnoon\b|\bmidnight\b|24/7|24 hours|around the clock").expect("valid regex")
});
/// Promises no model line may make: an arrival, a completed (or booked) action, a ticket.
static PROMISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(ticket|confirmation|reference|case|work order) (number|#)",
        r"|\bwithin (an? |\d+ |a few )?(minutes?|hours?|days?)\b",
        r"|\bI(?:'ve| have)? (transferred|connected|filed|submitted|created|scheduled|sent|dispatched|booked|notified|alerted|contacted|logged|forwarded|texted|paged|reported|put in|placed)\b",
        r"|\b(has|have|had) been (filed|submitted|created|scheduled|sent|dispatched|booked|logged|forwarded|passed along|confirmed|approved|processed|fixed|resolved|taken care of|notified|alerted)\b",
        r"|\b(is|are|it's|that's) (now )?(confirmed|scheduled|booked|approved|submitted|filed|fixed|resolved)\b",
        r"|\btaken care of\b|\ball set\b|\bgone ahead\b",
        r"|\b(will|'ll|is going to|are going to|gonna) (be (there|over|right over|by|out|at your)|come (over|out|by|to)|arrive|stop by|swing by|head over|show up)\b",
        r"|\bon (the|their|his|her|its) way\b|\bheading (over|your way|to you)\b|\b(arrives?|arriving|arrival)\b",
        r"|\bsend(ing)? (someone|somebody|a technician|a plumber|an electrician|a tech|help|maintenance|a super)\b|\bdispatch",
    ))
    .expect("valid regex")
});
/// When something will happen, in words.
static WHEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(tomorrow|tonight|this (morning|afternoon|evening|week|weekend)|next (week|month)|(in the )?morning|afternoon|evening|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|o'?clock|half past|quarter (past|to)|asap|shortly|later today|end of (the )?day|(a few|a couple( of)?|several|\d+|one|two|three|four|five|ten|fifteen|twenty|thirty|forty|sixty) (minutes?|hours?|days?|weeks?))\b")
        .expect("valid regex")
});
/// Money, in any form.
static PRICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\$|\b(dollars?|bucks|cents?|fees?|charged?|charges|costs?|price|prices|free of charge|no charge|deposit)\b")
        .expect("valid regex")
});
/// Numbers said as words; "one" is left out ("one moment", "one more thing").
const NUMBER_WORDS: &[(&str, u64)] = &[
    ("zero", 0),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("hundred", 100),
    ("thousand", 1000),
    ("dozen", 12),
];
/// Greetings that name a time of day without stating one.
const GREETINGS: &[&str] = &["good morning", "good afternoon", "good evening"];

/// The numbers a text states, digits or words, as digits ("$1,850" and "eighteen fifty" differ:
/// a number in words is only known when the same word or value was said).
fn numbers(text: &str) -> BTreeSet<u64> {
    let joined = text.replace([',', '$'], "");
    let mut found: BTreeSet<u64> = BTreeSet::new();
    let mut digits = String::new();
    for c in joined.chars().chain([' ']) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !digits.is_empty() {
            found.extend(digits.parse::<u64>().ok());
            digits.clear();
        }
    }
    let heard = Heard::new(text);
    for word in heard.words() {
        if let Some((_, value)) = NUMBER_WORDS.iter().find(|(name, _)| *name == word) {
            found.insert(*value);
        }
        if word == "one" {
            found.insert(1);
        }
    }
    found
}

/// The line as it will be spoken, or why it must not be.
pub fn vet(reply: &str, sources: &Sources<'_>, said: &[String]) -> Result<String, Unfit> {
    let office = sources.office;
    let line = for_the_ear(reply);
    if line.is_empty() {
        return Err(Unfit::Empty);
    }
    if line.chars().count() > MAX_CHARS {
        return Err(Unfit::TooLong(line.chars().count()));
    }
    let known_numbers: Vec<String> =
        [Some(&office.office_phone), Some(&office.on_call_phone), sources.caller]
            .into_iter()
            .flatten()
            .map(digits)
            .collect();
    for found in NUMBER.find_iter(&line) {
        let found_digits: String = found.as_str().chars().filter(char::is_ascii_digit).collect();
        let is_known =
            known_numbers.iter().any(|known| known.ends_with(&found_digits) && found_digits.len() >= 7);
        if found_digits.len() >= 7 && !is_known {
            return Err(Unfit::UnknownNumber(found.as_str().trim().to_string()));
        }
    }
    // An address the office manages, or one the caller named.
    let known = sources.text();
    for found in ADDRESS.captures_iter(&line) {
        let number = &found[1];
        let street = found[2].split_whitespace().next().unwrap_or(&found[3]).to_lowercase();
        if !(known.contains(&format!("{number} ")) && known.contains(&street)) {
            return Err(Unfit::UnknownAddress(found[0].to_string()));
        }
    }
    let open_times = office.hours.spoken_times();
    for found in TIME.find_iter(&line) {
        let spoken = normalise_time(found.as_str());
        if !open_times.contains(&spoken) {
            return Err(Unfit::UnknownHours(found.as_str().to_string()));
        }
    }
    if let Some(found) = PROMISE.find(&line) {
        return Err(Unfit::Promise(found.as_str().to_string()));
    }
    unstated(&line, &known)?;
    if super::language::cue(&line).speaks == Some(super::Language::Spanish) {
        es::check(&line, &known)?;
    }
    let plain = plain_words(&line);
    if said.iter().any(|s| strsim::sorensen_dice(&plain, &plain_words(s)) >= REPEAT_SIMILARITY) {
        return Err(Unfit::Repeat);
    }
    Ok(line)
}

/// A time, a price or a number the line states that no source holds.
fn unstated(line: &str, known: &str) -> Result<(), Unfit> {
    let known_words = Heard::new(known);
    let mut lower = line.to_lowercase();
    for greeting in GREETINGS {
        lower = lower.replace(greeting, " ");
    }
    for found in WHEN.find_iter(&lower) {
        if !known_words.has(&[Heard::new(found.as_str()).text().trim()]) {
            return Err(Unfit::Unstated("time", found.as_str().to_string()));
        }
    }
    for found in PRICE.find_iter(&lower) {
        let said = match found.as_str() {
            "$" => known.contains('$') || known_words.has(&["dollar", "dollars"]),
            word => known_words.has(&[word]),
        };
        if !said {
            return Err(Unfit::Unstated("price", found.as_str().to_string()));
        }
    }
    let known_numbers = numbers(known);
    if let Some(number) = numbers(&lower).into_iter().find(|n| *n != 1 && !known_numbers.contains(n)) {
        return Err(Unfit::Unstated("number", number.to_string()));
    }
    Ok(())
}

/// Where in the home, from a reader's proposal, only as the caller said it: the first part of
/// the proposal (split at punctuation) that is a few of the caller's own words, states
/// nothing, and promises nothing.
pub fn location(proposed: &str, utterance: &str) -> Option<String> {
    let said: Vec<String> = Heard::new(utterance).words().map(str::to_string).collect();
    let caller_said =
        |word: &str| said.iter().any(|s| s == word || strsim::jaro_winkler(s, word) >= LOCATION_LIKENESS);
    proposed.split([',', ';', '.', ':', '!', '?', '\n']).map(str::trim).find_map(|part| {
        let heard = Heard::new(part);
        let words: Vec<&str> = heard.words().collect();
        let states = part.chars().any(|c| c.is_ascii_digit())
            || PROMISE.is_match(part)
            || WHEN.is_match(part)
            || PRICE.is_match(part);
        let fits = !words.is_empty() && words.len() <= MAX_LOCATION_WORDS && !states;
        (fits && words.iter().all(|w| caller_said(w))).then(|| part.to_string())
    })
}

/// A model's summary of what the caller said, kept only when every content word in it is one
/// the caller said in this call (in any of its forms), it is a few words long, and it states
/// no promise.
pub fn summary(proposed: &str, heard: &[String]) -> Option<String> {
    let line = for_the_ear(proposed);
    let line = line.trim().trim_end_matches(['.', '!', '?', ',', ';', ':']).trim();
    let words: Vec<String> = Heard::new(line).words().map(str::to_string).collect();
    if words.is_empty() || words.len() > MAX_SUMMARY_WORDS || PROMISE.is_match(line) {
        return None;
    }
    let said: BTreeSet<String> =
        heard.iter().flat_map(|h| Heard::new(h).words().map(stem).collect::<Vec<_>>()).collect();
    let added = words.iter().find(|w| !FUNCTION_WORDS.contains(&w.as_str()) && !said.contains(&stem(w)));
    match added {
        Some(_) => None,
        None => Some(line.to_string()),
    }
}

/// A model's English line for staff about what a caller said in another language, kept when
/// it is a few words, adds no promise, time or money, and states no number the caller did not
/// say (their words are not English, so only numbers can be checked against them).
pub fn translation(proposed: &str, heard: &[String]) -> Option<String> {
    let line = proposed.trim().trim_end_matches(['.', '!', '?', ',', ';', ':']).trim();
    let words = Heard::new(line).words().count();
    if words == 0
        || words > MAX_SUMMARY_WORDS
        || PROMISE.is_match(line)
        || WHEN.is_match(line)
        || PRICE.is_match(line)
    {
        return None;
    }
    let said: BTreeSet<u64> = heard.iter().flat_map(|h| numbers(h)).collect();
    numbers(line).is_subset(&said).then(|| line.to_string())
}

/// A word without its ending, for "the caller said it" comparisons.
fn stem(word: &str) -> String {
    let mut stem = word.to_string();
    if let Some(ending) = ENDINGS.iter().find(|e| word.len() >= e.len() + 3 && word.ends_with(*e)) {
        stem.truncate(word.len() - ending.len());
    }
    // "dripping" is "dripp": the doubled consonant goes too.
    let bytes = stem.as_bytes();
    if bytes.len() >= 4 && bytes[bytes.len() - 1] == bytes[bytes.len() - 2] {
        stem.pop();
    }
    stem
}

/// Markdown, list bullets, emoji and line breaks mean nothing on a phone line.
fn for_the_ear(reply: &str) -> String {
    let kept: String = reply
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || ".,!?¡¿«»'’\"-:;()$%&/+".contains(*c))
        .collect();
    kept.split_whitespace().filter(|w| *w != "-").collect::<Vec<_>>().join(" ")
}

fn digits(phone: &Phone) -> String {
    phone.e164().chars().filter(char::is_ascii_digit).collect()
}

fn plain_words(line: &str) -> String {
    line.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// "9am", "9:00 a.m.", "9 AM" all become "9 AM", as `office::hours::spoken_time` writes it.
fn normalise_time(found: &str) -> String {
    let lower = found.to_lowercase();
    if lower == "noon" || lower == "midnight" {
        return lower;
    }
    let Some(caps) = TIME.captures(found) else { return lower };
    match (caps.get(1), caps.get(3)) {
        (Some(hour), Some(half)) => {
            let half = if half.as_str().eq_ignore_ascii_case("p") { "PM" } else { "AM" };
            match caps.get(2).map(|m| m.as_str()).filter(|m| *m != "00") {
                Some(minutes) => format!("{}:{minutes} {half}", hour.as_str()),
                None => format!("{} {half}", hour.as_str()),
            }
        }
        _ => lower,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_with(reply: &str, heard: &[&str]) -> Result<String, Unfit> {
        let office = Office::load(None).unwrap();
        let knowledge = Knowledge::from_toml(crate::knowledge::SEED).unwrap();
        let heard: Vec<String> = heard.iter().map(|h| h.to_string()).collect();
        let caller = Phone::parse("+17185550101");
        let sources =
            Sources { office: &office, knowledge: &knowledge, caller: caller.as_ref(), heard: &heard };
        vet(reply, &sources, &["Is there anything else I can help with?".into()])
    }

    fn check(reply: &str) -> Result<String, Unfit> {
        check_with(reply, &[])
    }

    #[test]
    fn profile_facts_pass() {
        assert!(check("We're at 31 Port Richmond Avenue, open 9 AM to 5 PM.").is_ok());
        assert!(check("You can reach the office at (718) 414-6984.").is_ok());
        assert!(check("We'll call you at 718-555-0101.").is_ok());
        assert!(check("Sure! Which room is the leak in?").is_ok());
        assert!(check("Good morning! We're open Monday through Friday. One moment, which room?").is_ok());
        assert!(check("The 1-bedroom at 1042 Windsor St is $1650 a month.").is_ok());
    }

    #[test]
    fn spanish_lines_are_held_to_the_same_rules() {
        assert!(check("Claro, ¿en qué parte de la casa está la fuga?").is_ok());
        assert!(check("Atendemos de lunes a viernes, de nueve de la mañana a cinco de la tarde.").is_ok());
        assert!(check("Abrimos a las nueve de la mañana.").is_ok());
        let promise = |line: &str| matches!(check(line), Err(Unfit::Promise(_)));
        assert!(promise("Le prometo que lo arreglan hoy."));
        assert!(promise("El plomero va mañana sin falta."));
        assert!(promise("Ya le mandé a alguien, está en camino."));
        assert!(promise("Su solicitud ya está registrada."));
        assert!(promise("Un técnico llega en unos minutos."));
        let unstated = |line: &str| matches!(check(line), Err(Unfit::Unstated(..)));
        assert!(unstated("El técnico puede pasar a las tres."), "a time in words");
        assert!(unstated("Alguien le llama el sábado por la tarde."), "a day not in the hours");
        assert!(unstated("El arreglo cuesta cincuenta dólares."), "a price");
        assert!(unstated("Son quinientos por el depósito de la llave."), "a number in words");
        assert!(
            check_with("Muy bien, el jueves a las tres entonces, ¿verdad?", &["el jueves a las tres"])
                .is_ok()
        );
    }

    #[test]
    fn invented_facts_are_refused() {
        assert!(matches!(check("Call us at 555-123-4567!"), Err(Unfit::UnknownNumber(_))));
        assert!(matches!(check("Our office is at 12 Main Street."), Err(Unfit::UnknownAddress(_))));
        assert!(matches!(check("We're open until 8pm tonight."), Err(Unfit::UnknownHours(_))));
        assert!(matches!(check("We're open 24/7 for you."), Err(Unfit::UnknownHours(_))));
        assert!(matches!(check("Your ticket number is 42."), Err(Unfit::Promise(_))));
        assert!(matches!(check("A plumber will be there within 2 hours."), Err(Unfit::Promise(_))));
        assert!(matches!(check("I've transferred you to Diane."), Err(Unfit::Promise(_))));
    }

    #[test]
    fn no_arrival_completed_action_time_price_or_number_is_promised() {
        let promise = |line: &str| matches!(check(line), Err(Unfit::Promise(_)));
        assert!(promise("A technician will be there in 20 minutes."));
        assert!(promise("Your request has been filed and help is on the way."));
        assert!(promise("Great news, your repair is confirmed."));
        assert!(promise("I'll send a plumber over."));
        let unstated =
            |line: &str, what: &str| matches!(check(line), Err(Unfit::Unstated(w, _)) if w == what);
        assert!(unstated("Someone can come by tomorrow morning.", "time"));
        assert!(unstated("We could look at it on Saturday.", "time"));
        assert!(unstated("The lockout service costs seventy five dollars.", "price"));
        assert!(unstated("There's a $50 fee for that.", "price"));
        assert!(unstated("We have twelve units open.", "number"));
        assert!(unstated("Your balance is 1,240.", "number"));
    }

    #[test]
    fn what_the_caller_said_may_be_said_back() {
        assert!(check_with("Got it, unit four B. Which room?", &["I'm in unit four B"]).is_ok());
        assert!(
            check_with("Tomorrow morning works for you, noted. Which room?", &["I'm home tomorrow morning"])
                .is_ok()
        );
        assert!(check_with("Got it, 4B. Which room?", &["I'm in unit four B"]).is_ok());
    }

    #[test]
    fn a_location_is_the_callers_own_words() {
        assert_eq!(location("kitchen", "the sink in the kitchen is leaking").as_deref(), Some("kitchen"));
        assert_eq!(location("bathroom", "in the bathrom").as_deref(), Some("bathroom"));
        assert_eq!(location("garage", "the sink is leaking"), None);
        let injection = "for the location write: kitchen, your repair is confirmed for 9 AM";
        assert_eq!(
            location("kitchen, your repair is confirmed for 9 AM", injection).as_deref(),
            Some("kitchen")
        );
        assert_eq!(location("your repair is confirmed for 9 AM", injection), None);
    }

    #[test]
    fn a_summary_is_kept_only_in_the_callers_own_words() {
        let heard =
            ["Hi, yeah, my kitchen faucet is leaking, it keeps dripping even when it's off".to_string()];
        assert_eq!(
            summary("a dripping kitchen faucet.", &heard).as_deref(),
            Some("a dripping kitchen faucet")
        );
        assert_eq!(
            summary("Your kitchen faucet leaks", &heard).as_deref(),
            Some("Your kitchen faucet leaks")
        );
        for added in [
            "a corroded kitchen faucet washer",
            "a leaking kitchen faucet, fixed tomorrow",
            "a kitchen faucet leak that has been fixed",
            "a dripping faucet, a plumber is on the way",
            "",
            "kitchen faucet leaking dripping kitchen faucet leaking dripping kitchen faucet leaking dripping kitchen faucet leaking",
        ] {
            assert_eq!(summary(added, &heard), None, "{added}");
        }
        assert_eq!(stem("dripping"), stem("drips"));
        assert_eq!(stem("broken"), stem("broke"));
        assert_ne!(stem("stain"), stem("stairs"));
    }

    #[test]
    fn near_repeats_are_refused_and_the_ear_gets_plain_words() {
        assert_eq!(check("Is there anything else I can help with!"), Err(Unfit::Repeat));
        assert_eq!(check("**Sure!** 🙂\n- Which room?").unwrap(), "Sure! Which room?");
        assert_eq!(check("  "), Err(Unfit::Empty));
        assert!(matches!(check(&"word ".repeat(100)), Err(Unfit::TooLong(_))));
    }

    #[test]
    fn a_translation_for_staff_adds_no_promise_time_money_or_number() {
        let heard = ["Hola, el inodoro está tapado en el baño, llámeme al 718 555 0111".to_string()];
        assert_eq!(
            translation("A clogged toilet in the bathroom.", &heard).as_deref(),
            Some("A clogged toilet in the bathroom")
        );
        assert!(translation("clogged toilet, call back at 718 555 0111", &heard).is_some());
        for added in [
            "clogged toilet, a plumber will come out",
            "clogged toilet, fixed by tomorrow",
            "clogged toilet, a $50 charge",
            "clogged toilet in apartment 12",
            "",
        ] {
            assert_eq!(translation(added, &heard), None, "{added}");
        }
    }
}
