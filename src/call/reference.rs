//! Call references: five digits a caller can say back ("my reference is 4 7 2 1 8"). Digits
//! only, because letters are misheard on the phone. Pure: which digits a call gets is
//! decided outside the machine (`store::reference` picks a free one and claims it when the
//! turn leaves something behind) and handed in as a fact.

use super::{Action, Turn};

/// How many digits a reference has; the first is never 0 (a leading "zero" gets dropped).
pub const DIGITS: usize = 5;
const LOWEST: u32 = 10_000;
const SPAN: u32 = 90_000;

/// A reference stays its call's for this long, and for as long after as the call has an open
/// follow-up: two open matters never share one. Only then may a new call be given it.
pub const KEPT_DAYS: i64 = 90;

/// A reference from a random number: `10000` to `99999`.
pub fn from_random(random: u32) -> String {
    (LOWEST + random % SPAN).to_string()
}

/// Whether `text` is a reference's shape (five digits, not starting with 0).
pub fn is_reference(text: &str) -> bool {
    text.len() == DIGITS && text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0')
}

/// Digit by digit, the way it is read out on the phone: "4, 7, 2, 1, 8".
pub fn spoken(reference: &str) -> String {
    reference.chars().map(String::from).collect::<Vec<_>>().join(", ")
}

/// Whether the turn leaves something behind for staff or the records: then the call needs
/// its reference.
pub fn needed(turn: &Turn) -> bool {
    turn.actions.iter().any(|action| match action {
        Action::FileServiceIssue(_)
        | Action::TakeMessage { .. }
        | Action::FollowUp(_)
        | Action::Unfinished(_)
        | Action::PageOnCall { .. } => true,
    })
}

/// A reference the caller says: "my reference is 4 7 2 1 8", "reference number four seven
/// two one eight", "it's reference 47218". The word "reference" must come first (five digits
/// alone could be a house number), then exactly five digits, in figures or words.
pub fn heard(utterance: &str) -> Option<String> {
    const FILLER: &[&str] = &["is", "number", "no", "it's", "its", "was", "my", "the", "um", "uh", "of"];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()).collect();
    let starts = words.iter().enumerate().filter(|(_, w)| matches!(**w, "reference" | "ref"));
    starts.map(|(at, _)| &words[at + 1..]).find_map(|after| {
        let mut digits = String::new();
        for word in after {
            match digit_word(word) {
                Some(more) => digits.push_str(&more),
                None if digits.is_empty() && FILLER.contains(word) => {}
                None => break,
            }
            if digits.len() > DIGITS {
                return None;
            }
        }
        is_reference(&digits).then_some(digits)
    })
}

/// A word's digits: "4", "47218", "four", "oh".
fn digit_word(word: &str) -> Option<String> {
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return Some(word.to_string());
    }
    const WORDS: &[(&str, char)] = &[
        ("zero", '0'),
        ("oh", '0'),
        ("one", '1'),
        ("two", '2'),
        ("three", '3'),
        ("four", '4'),
        ("five", '5'),
        ("six", '6'),
        ("seven", '7'),
        ("eight", '8'),
        ("nine", '9'),
    ];
    WORDS.iter().find(|(name, _)| *name == word).map(|(_, digit)| digit.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_five_digits_read_one_by_one() {
        for random in [0, 1, 89_999, 90_000, u32::MAX] {
            assert!(is_reference(&from_random(random)), "{random}");
        }
        assert_eq!(from_random(0), "10000");
        assert_eq!(spoken("47218"), "4, 7, 2, 1, 8");
        assert!(!is_reference("04721") && !is_reference("4721") && !is_reference("4721a"));
    }

    #[test]
    fn a_reference_is_heard_however_the_caller_says_it() {
        for said in [
            "my reference is 4 7 2 1 8",
            "My reference is 47218.",
            "four seven two one eight is my reference? no: reference four seven two one eight",
            "Hi, reference number four seven two one eight, about my sink",
            "it's ref 4-7-2-1-8",
            "reference 47 218",
        ] {
            assert_eq!(heard(said).as_deref(), Some("47218"), "{said}");
        }
        for said in [
            "I live at 47218 Main Street", "my reference is 4 7 2 1", "my reference is 4 7 2 1 8 9",
            "reference 04721", "my reference is, um, I lost it",
        ] {
            assert_eq!(heard(said), None, "{said}");
        }
    }
}
