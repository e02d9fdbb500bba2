//! Phone numbers as callers, Twilio and people write them.
//!
//! Twilio sends E.164 (`+17184146984`); people and directories write `(718) 414-6984`,
//! `718-414-6984` or `7184146984`. Everything is normalised to E.164 at the edge so that
//! lookups and comparisons never depend on punctuation.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The numbers Twilio puts in `From` for anonymous, restricted, blocked and unknown callers.
const HIDDEN: &[&str] = &["+266696687", "+7378742833", "+2562533", "+8656696", "+86282452253"];

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Accepts any common North American or international spelling; `None` for anything that
    /// is not a dialable number (Twilio sends `anonymous` or `+266696687` for hidden callers).
    pub fn parse(raw: &str) -> Option<Phone> {
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let international = raw.trim_start().starts_with('+');
        let e164 = match digits.len() {
            10 if !international => format!("+1{digits}"),
            11 if digits.starts_with('1') => format!("+{digits}"),
            8..=15 if international => format!("+{digits}"),
            _ => return None,
        };
        if HIDDEN.contains(&e164.as_str()) {
            return None;
        }
        // NANP area and exchange codes never start with 0 or 1.
        if let Some(national) = e164.strip_prefix("+1")
            && (national.starts_with(['0', '1']) || national[3..].starts_with(['0', '1']))
        {
            return None;
        }
        Some(Phone(e164))
    }

    pub fn e164(&self) -> &str {
        &self.0
    }

    /// How the number is read aloud: `718-414-6984` for North American numbers.
    pub fn spoken(&self) -> String {
        match self.0.strip_prefix("+1") {
            Some(n) => format!("{}-{}-{}", &n[..3], &n[3..6], &n[6..]),
            None => self.0.clone(),
        }
    }

    /// For logs, which must never hold a caller's full number.
    pub fn masked(&self) -> String {
        let tail = &self.0[self.0.len().saturating_sub(4)..];
        format!("***{tail}")
    }
}

/// `text` with every phone-number-like run (seven digits or more, with the usual separators)
/// masked but for its last two digits: errors of HTTP clients carry URLs and bodies, and a
/// caller's number must never reach a log through them.
pub fn redact(text: &str) -> String {
    static NUMBER: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\+?\d(?:[\d\s().-]*\d)?").expect("valid regex"));
    NUMBER
        .replace_all(text, |found: &regex::Captures| {
            let digits: String = found[0].chars().filter(char::is_ascii_digit).collect();
            if digits.len() < 7 {
                return found[0].to_string();
            }
            format!("***{}", &digits[digits.len() - 2..])
        })
        .into_owned()
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Phone {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Phone::parse(&raw).ok_or_else(|| format!("not a phone number: {raw:?}"))
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_redacted_from_any_text_and_short_numbers_kept() {
        let text = "GET /PhoneNumbers?filters=StrippedPhoneNumber,in,(7185550101,17185550101) \
                    failed for +1 (718) 555-0101 at 10:30, unit 2B, attempt 3 of 8";
        let redacted = redact(text);
        for digits in ["7185550101", "555-0101", "(718)"] {
            assert!(!redacted.contains(digits), "{redacted}");
        }
        assert!(
            redacted.contains("(***01,***01)") && redacted.contains("10:30") && redacted.contains("3 of 8")
        );
    }

    #[test]
    fn every_common_spelling_is_the_same_number() {
        for raw in ["+17184146984", "(718) 414-6984", "718-414-6984", "7184146984", "1 718 414 6984"] {
            assert_eq!(Phone::parse(raw).unwrap().e164(), "+17184146984", "{raw}");
        }
    }

    #[test]
    fn hidden_and_short_numbers_are_not_phones() {
        for raw in ["anonymous", "", "+266696687", "+7378742833", "12345", "555-1234", "(018) 414-6984"] {
            assert_eq!(Phone::parse(raw), None, "{raw}");
        }
    }

    #[test]
    fn international_numbers_keep_their_country_code() {
        assert_eq!(Phone::parse("+44 20 7946 0958").unwrap().e164(), "+442079460958");
    }

    #[test]
    fn spoken_and_masked_forms() {
        let phone = Phone::parse("+17184146984").unwrap();
        assert_eq!(phone.spoken(), "718-414-6984");
        assert_eq!(phone.masked(), "***6984");
    }
}
