//! Phone numbers said in Spanish: digit by digit ("siete uno ocho"), in the pairs and
//! hundreds many callers group them in ("setecientos dieciocho, cincuenta y cinco"), or as
//! the numerals a speech model writes.

use crate::call::heard::Heard;
use crate::phone::Phone;

/// Where a number word sits in a group of up to three digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Units,
    Tens,
    Hundreds,
}

/// Numbers as Spanish speakers say them, in the pieces a larger number is said in.
pub(crate) const WORDS: &[(&str, u16)] = &[
    ("cero", 0),
    ("uno", 1),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("siete", 7),
    ("ocho", 8),
    ("nueve", 9),
    ("diez", 10),
    ("once", 11),
    ("doce", 12),
    ("trece", 13),
    ("catorce", 14),
    ("quince", 15),
    ("dieciseis", 16),
    ("diecisiete", 17),
    ("dieciocho", 18),
    ("diecinueve", 19),
    ("veinte", 20),
    ("veintiuno", 21),
    ("veintiun", 21),
    ("veintidos", 22),
    ("veintitres", 23),
    ("veinticuatro", 24),
    ("veinticinco", 25),
    ("veintiseis", 26),
    ("veintisiete", 27),
    ("veintiocho", 28),
    ("veintinueve", 29),
    ("treinta", 30),
    ("cuarenta", 40),
    ("cincuenta", 50),
    ("sesenta", 60),
    ("setenta", 70),
    ("ochenta", 80),
    ("noventa", 90),
    ("cien", 100),
    ("ciento", 100),
    ("doscientos", 200),
    ("trescientos", 300),
    ("cuatrocientos", 400),
    ("quinientos", 500),
    ("seiscientos", 600),
    ("setecientos", 700),
    ("ochocientos", 800),
    ("novecientos", 900),
];

/// "veinte", "treinta y ...": a tens word whose units may follow ("diez" and "dieciocho" are
/// whole).
fn units_open(value: u16) -> bool {
    (20..100).contains(&value) && value.is_multiple_of(10)
}

/// A group being said: its value so far, how many digits it stands for, and the smallest
/// place it has filled (a later word may only fill a smaller one).
struct Group {
    value: u16,
    width: usize,
    filled: Place,
}

impl Group {
    fn new(value: u16) -> Group {
        let (width, filled) = match value {
            100.. => (3, Place::Hundreds),
            10.. if units_open(value) => (2, Place::Tens),
            10.. => (2, Place::Units),
            _ => (1, Place::Units),
        };
        Group { value, width, filled }
    }

    /// Takes the next word's value when it fills a smaller place than any filled yet.
    fn take(&mut self, value: u16) -> bool {
        let place = match value {
            100.. => return false,
            10.. => Place::Tens,
            _ => Place::Units,
        };
        if place >= self.filled || value == 0 {
            return false;
        }
        self.value += value;
        self.filled = if units_open(value) { Place::Tens } else { Place::Units };
        true
    }
}

/// A phone number in the utterance, from Spanish number words and numerals.
pub fn phone(h: &Heard) -> Option<Phone> {
    let mut digits = String::new();
    let mut group: Option<Group> = None;
    let flush = |group: &mut Option<Group>, digits: &mut String| {
        if let Some(g) = group.take() {
            digits.push_str(&format!("{:0width$}", g.value, width = g.width));
        }
    };
    for word in h.words() {
        if word == "y" && group.is_some() {
            continue;
        }
        match WORDS.iter().find(|(name, _)| *name == word) {
            Some(&(_, value)) => {
                if !group.as_mut().is_some_and(|g| g.take(value)) {
                    flush(&mut group, &mut digits);
                    group = Some(Group::new(value));
                }
            }
            None => {
                flush(&mut group, &mut digits);
                digits.extend(word.chars().filter(char::is_ascii_digit));
            }
        }
    }
    flush(&mut group, &mut digits);
    (10..=11).contains(&digits.len()).then(|| Phone::parse(&digits)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(said: &str) -> Option<String> {
        phone(&Heard::unaccented(said)).map(|p| p.e164().to_string())
    }

    #[test]
    fn digit_by_digit_in_pairs_in_hundreds_and_as_numerals() {
        let maria = Some("+17185550101".to_string());
        assert_eq!(e164("siete uno ocho cinco cinco cinco cero uno cero uno"), maria);
        assert_eq!(e164("setecientos dieciocho, quinientos cincuenta y cinco, cero uno, cero uno"), maria);
        assert_eq!(e164("siete dieciocho cinco cincuenta y cinco cero ciento uno"), maria);
        assert_eq!(e164("es el 718 555 0101"), maria);
        assert_eq!(e164("siete, uno, ocho... cinco, cinco, cinco... cero, uno, cero, uno"), maria);
        assert_eq!(
            e164("llámeme al seis cuarenta y seis, dos veintidós, treinta y tres, diez"),
            Some("+16462223310".to_string())
        );
        assert_eq!(e164("el apartamento dos b"), None);
        assert_eq!(e164("cinco cinco cinco"), None);
        assert_eq!(e164("tengo un problema, una fuga"), None);
    }
}
