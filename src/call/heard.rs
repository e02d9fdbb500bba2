//! An utterance as the keyword rules match it: lower case, apostrophes dropped ("don't" is
//! "dont"), every other non-letter a space, padded with spaces so that every phrase match is
//! a whole-word match ("gas" never matches "Vegas").

pub struct Heard(String);

impl Heard {
    pub fn new(utterance: &str) -> Heard {
        let mut text = String::with_capacity(utterance.len() + 2);
        text.push(' ');
        let mut last_space = true;
        for c in utterance.chars().flat_map(char::to_lowercase) {
            let c = match c {
                '\'' | '’' => continue,
                c if c.is_alphanumeric() => c,
                _ => ' ',
            };
            if c != ' ' || !last_space {
                text.push(c);
            }
            last_space = c == ' ';
        }
        if !last_space {
            text.push(' ');
        }
        Heard(text)
    }

    /// The normalised words, space-padded.
    pub fn text(&self) -> &str {
        &self.0
    }

    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.0.split_whitespace()
    }

    /// Where the earliest of these phrases starts, if any is said.
    pub fn position(&self, phrases: &[&str]) -> Option<usize> {
        phrases.iter().filter_map(|p| self.0.find(&format!(" {p} "))).min()
    }

    pub fn has(&self, phrases: &[&str]) -> bool {
        self.position(phrases).is_some()
    }
}
