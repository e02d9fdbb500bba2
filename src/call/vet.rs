//! Whether a model's line may be spoken: clean for the ear, true to the office profile, no
//! promises, and not a repeat. A line that fails is not spoken; a rules line is, and the turn
//! records why.

use std::sync::LazyLock;

use regex::Regex;

use crate::office::Office;
use crate::phone::Phone;

/// Past this, a line is a speech, not a phone reply.
const MAX_CHARS: usize = 320;
/// How alike two lines may be before one counts as a repeat of the other.
const REPEAT_SIMILARITY: f64 = 0.85;

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
    #[error("the reply repeats an earlier line")]
    Repeat,
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
static PROMISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(ticket|confirmation|reference|case|work order) (number|#)|\bwithin (an? |\d+ |a few )?(minutes?|hours?|days?)\b|\bI(?:'ve| have)? (transferred|connected|filed|submitted|created|scheduled|sent|dispatched)\b")
        .expect("valid regex")
});

/// The line as it will be spoken, or why it must not be.
pub fn vet(reply: &str, office: &Office, caller: Option<&Phone>, said: &[String]) -> Result<String, Unfit> {
    let line = for_the_ear(reply);
    if line.is_empty() {
        return Err(Unfit::Empty);
    }
    if line.chars().count() > MAX_CHARS {
        return Err(Unfit::TooLong(line.chars().count()));
    }
    let known_numbers: Vec<String> = [Some(&office.office_phone), Some(&office.on_call_phone), caller]
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
    let profile_address = format!("{} {}", office.address, office.address_spoken).to_lowercase();
    for found in ADDRESS.captures_iter(&line) {
        let number = &found[1];
        let street = found[2].split_whitespace().next().unwrap_or(&found[3]).to_lowercase();
        if !(profile_address.contains(&format!("{number} ")) && profile_address.contains(&street)) {
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
    let plain = plain_words(&line);
    if said.iter().any(|s| strsim::sorensen_dice(&plain, &plain_words(s)) >= REPEAT_SIMILARITY) {
        return Err(Unfit::Repeat);
    }
    Ok(line)
}

/// Markdown, list bullets, emoji and line breaks mean nothing on a phone line.
fn for_the_ear(reply: &str) -> String {
    let kept: String = reply
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || ".,!?'’\"-:;()$%&/+".contains(*c))
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

    fn check(reply: &str) -> Result<String, Unfit> {
        let office = Office::load(None).unwrap();
        vet(
            reply,
            &office,
            Phone::parse("+17185550101").as_ref(),
            &["Is there anything else I can help with?".into()],
        )
    }

    #[test]
    fn profile_facts_pass() {
        assert!(check("We're at 31 Port Richmond Avenue, open 9 AM to 5 PM.").is_ok());
        assert!(check("You can reach the office at (718) 414-6984.").is_ok());
        assert!(check("We'll call you at 718-555-0101.").is_ok());
        assert!(check("Sure! Which room is the leak in?").is_ok());
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
    fn near_repeats_are_refused_and_the_ear_gets_plain_words() {
        assert_eq!(check("Is there anything else I can help with!"), Err(Unfit::Repeat));
        assert_eq!(check("**Sure!** 🙂\n- Which room?").unwrap(), "Sure! Which room?");
        assert_eq!(check("  "), Err(Unfit::Empty));
        assert!(matches!(check(&"word ".repeat(100)), Err(Unfit::TooLong(_))));
    }
}
