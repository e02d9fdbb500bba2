//! Hold lines: about a second of speech that fills the wait while the model finishes. They
//! are the one exception to "never say the same line twice in a call" (they are not counted
//! as said), but never come twice in a row, so a caller held twice hears two different ones.

/// The pool: two or three words each, about a second spoken.
pub const LINES: &[&str] =
    &["One moment.", "Just a second.", "Let me check.", "One sec.", "Okay, one moment.", "Let me see."];

/// A hold line other than `previous`, chosen by `n` (any number: the caller passes a random
/// one, tests a fixed one).
pub fn pick(previous: Option<&str>, n: u32) -> &'static str {
    let choices: Vec<&'static str> = LINES.iter().copied().filter(|line| Some(*line) != previous).collect();
    choices[n as usize % choices.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_the_same_twice_in_a_row() {
        for n in 0..50 {
            let first = pick(None, n);
            for m in 0..50 {
                assert_ne!(pick(Some(first), m), first);
            }
        }
    }
}
