//! Hold lines: about a second of speech that fills the wait while the model finishes. They
//! are the one exception to "never say the same line twice in a call" (they are not counted
//! as said), but never come twice in a row, so a caller held twice hears two different ones.

use super::Language;

/// The pool: two or three words each, about a second spoken.
pub const LINES: &[&str] =
    &["One moment.", "Just a second.", "Let me check.", "One sec.", "Okay, one moment.", "Let me see."];
/// The same, for a call in Spanish.
pub const LINES_ES: &[&str] =
    &["Un momento.", "Un segundito.", "Déjeme ver.", "Permítame.", "Muy bien, un momento.", "A ver."];

fn pool(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => LINES,
        Language::Spanish => LINES_ES,
    }
}

/// A hold line in the call's language other than `previous`, chosen by `n` (any number: the
/// caller passes a random one, tests a fixed one).
pub fn pick(language: Language, previous: Option<&str>, n: u32) -> &'static str {
    let choices: Vec<&'static str> =
        pool(language).iter().copied().filter(|line| Some(*line) != previous).collect();
    choices[n as usize % choices.len()]
}

/// The language a hold line played in this call was in: a second hold line follows it.
pub fn language_of(line: &str) -> Language {
    if LINES_ES.contains(&line) { Language::Spanish } else { Language::English }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_the_same_twice_in_a_row() {
        for language in [Language::English, Language::Spanish] {
            for n in 0..50 {
                let first = pick(language, None, n);
                assert_eq!(language_of(first), language);
                for m in 0..50 {
                    assert_ne!(pick(language, Some(first), m), first);
                }
            }
        }
    }
}
