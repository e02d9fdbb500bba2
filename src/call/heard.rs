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

    /// The utterance with its accents dropped ("baño" is "bano", "inglés" is "ingles"):
    /// Spanish speech models write them and English ones do not, so Spanish phrases are
    /// written and matched without them. Letter for letter, so word positions line up with
    /// `new`'s.
    pub fn unaccented(utterance: &str) -> Heard {
        let plain: String = utterance
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                'á' | 'à' | 'â' | 'ä' => 'a',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'í' | 'ì' | 'î' | 'ï' => 'i',
                'ó' | 'ò' | 'ô' | 'ö' => 'o',
                'ú' | 'ù' | 'û' | 'ü' => 'u',
                'ñ' => 'n',
                c => c,
            })
            .collect();
        Heard::new(&plain)
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

#[cfg(test)]
mod tests {
    use super::Heard;

    #[test]
    fn accents_are_optional_and_words_keep_their_places() {
        assert_eq!(
            Heard::unaccented("¿El BAÑO? Está inundado, señora").text(),
            " el bano esta inundado senora "
        );
        let said = Heard::new("el baño, señora");
        let plain = Heard::unaccented("el baño, señora");
        assert_eq!(said.words().count(), plain.words().count());
    }
}
