//! Whether a model's summary of a call may be e-mailed to the office: it may word the call's
//! facts as it likes, but add none. Staff act on these e-mails, so a name, a number, a time, a
//! price or a commitment that the call did not contain sends the template's summary instead.
//!
//! The facts are the summary's own (`report::CallSummary::facts_text`: the caller as the
//! records know them, what was filed and left, the whole conversation). The checks are the
//! spoken line's (`vet`), plus two of their own: proper names, and things someone would have
//! to do or have done (a visit, a repair, a call back) that nobody in the call said.

use std::sync::LazyLock;

use regex::Regex;

use super::{ADDRESS, NUMBER, TIME, Unfit, normalise_time, unstated};
use crate::call::heard::Heard;

/// Past this, it is not a summary.
const MAX_CHARS: usize = 1_500;

/// Commitments and results a summary may only repeat, never add.
static CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(will|'ll|is going to|are going to|scheduled|booked|appointment|visit(ed|ing)?|dispatch\w*",
        r"|on (the|their|his|her) way|arriv\w*|technician|plumber|electrician|contractor|super(intendent)?",
        r"|repair(ed|s)?|fixed|resolved|replaced|refund\w*|credit(ed)?|approved|waived|promised",
        r"|call(ed)? (them |him |her )?back|emailed|texted|police|fire department|911)\b",
    ))
    .expect("valid regex")
});

/// Capitalised words any summary may start a sentence with, or use, without naming anyone.
const COMMON: &[&str] = &[
    "a", "after", "also", "an", "and", "apartment", "as", "asked", "assistant", "at", "because", "before",
    "but", "call", "called", "caller", "callers", "during", "emergency", "for", "from", "he", "her", "his",
    "i", "if", "in", "it", "its", "message", "mr", "mrs", "ms", "no", "note", "nothing", "office", "on",
    "open", "or", "please", "prospect", "questions", "reference", "request", "service", "she", "since", "so",
    "staff", "summary", "tenant", "that", "the", "their", "then", "there", "they", "this", "to",
    "transcript", "unit", "when", "while", "with", "yes", "am", "pm", "ok", "follow", "follow-up",
    "follow-ups", "unknown", "someone", "nobody", "reported", "requested", "wanted", "said", "left", "gave",
    "mentioned", "described", "explained", "wants", "needs", "was", "were", "is", "are",
];

/// The summary as it will be sent, or why it must not be.
pub fn summary(draft: &str, facts: &str) -> Result<String, Unfit> {
    let text = plain(draft);
    if text.is_empty() {
        return Err(Unfit::Empty);
    }
    if text.chars().count() > MAX_CHARS {
        return Err(Unfit::TooLong(text.chars().count()));
    }
    let known = facts.to_lowercase();
    let known_digits: String = facts.chars().filter(char::is_ascii_digit).collect();
    for found in NUMBER.find_iter(&text) {
        let digits: String = found.as_str().chars().filter(char::is_ascii_digit).collect();
        if !known_digits.contains(&digits) {
            return Err(Unfit::UnknownNumber(found.as_str().trim().to_string()));
        }
    }
    for found in ADDRESS.captures_iter(&text) {
        let street = found[2].split_whitespace().next().unwrap_or(&found[3]).to_lowercase();
        if !(known.contains(&format!("{} ", &found[1])) && known.contains(&street)) {
            return Err(Unfit::UnknownAddress(found[0].to_string()));
        }
    }
    let known_times = squeezed(&known);
    for found in TIME.find_iter(&text) {
        if !known_times.contains(&squeezed(&normalise_time(found.as_str()).to_lowercase())) {
            return Err(Unfit::UnknownHours(found.as_str().to_string()));
        }
    }
    let known_words = Heard::new(facts);
    for found in CLAIM.find_iter(&text) {
        if !known_words.has(&[Heard::new(found.as_str()).text().trim()]) {
            return Err(Unfit::Unstated("commitment", found.as_str().to_string()));
        }
    }
    if let Some(name) = names(&text).find(|name| !known_words.has(&[name.as_str()])) {
        return Err(Unfit::Unstated("name", name));
    }
    unstated(&text, &known)?;
    Ok(text)
}

/// Plain text: markdown's emphasis and headings dropped, runs of blank lines closed up.
fn plain(draft: &str) -> String {
    let lines: Vec<String> =
        draft.lines().map(|line| line.replace(['*', '#', '`', '_'], "").trim().to_string()).collect();
    let mut text = lines.join("\n");
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text.trim().to_string()
}

/// Lower case without spaces or dots: "10:30 a.m." and "10:30 AM" alike.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '.').collect::<String>().to_lowercase()
}

/// Capitalised words that are not common ones, lower-cased as `Heard` writes them: names of
/// people, places, companies.
fn names(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|word| word.chars().next().is_some_and(char::is_uppercase))
        .map(|word| Heard::new(word).text().trim().to_string())
        .filter(|word| !word.is_empty() && !COMMON.contains(&word.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FACTS: &str = "Maria Lopez (tenant, unit 2B)\nTuesday, December 1, 2026, 10:30 AM\nservice issue\n\
        718-555-0101\n47218\n1:35\nMy kitchen faucet is dripping\n\
        Service request filed (routine): \"kitchen faucet dripping\", where: kitchen, permission to enter: yes.\n\
        Hi there! How can I help?\nMy kitchen faucet is dripping\nGot it. Can maintenance go in if you're out?\nyes";

    #[test]
    fn a_summary_that_rewords_the_facts_is_sent() {
        let draft = "**Maria Lopez** (unit 2B) called at 10:30 AM about a dripping kitchen faucet.\n\n\n\
                     A routine service request was filed (reference 47218); maintenance may enter.";
        assert_eq!(
            summary(draft, FACTS).unwrap(),
            "Maria Lopez (unit 2B) called at 10:30 AM about a dripping kitchen faucet.\n\n\
             A routine service request was filed (reference 47218); maintenance may enter."
        );
    }

    #[test]
    fn a_summary_that_adds_anything_is_not() {
        for (draft, why) in [
            ("Maria Lopez called about her faucet. A plumber will come tomorrow.", "commitment"),
            ("Maria Lopez called about her faucet; Diane took it.", "name"),
            ("Maria Lopez called about her faucet. Reach her at 718-555-0199.", "number"),
            ("Maria Lopez reported a faucet leak at 3:15 PM.", "hours"),
            ("Maria Lopez called about 3 faucets.", "number"),
            ("Maria Lopez asked whether it costs $50.", "price"),
            ("Maria Lopez at 99 Bay Street called about her faucet.", "address"),
            ("", "empty"),
        ] {
            let unfit = summary(draft, FACTS).expect_err(draft);
            let said = format!("{unfit:?} {unfit}").to_lowercase();
            assert!(said.contains(why), "{draft}: {unfit}");
        }
    }

    #[test]
    fn a_commitment_the_call_made_may_be_repeated() {
        let facts = format!("{FACTS}\nDiane will call you back this afternoon.");
        assert!(summary("Diane will call Maria Lopez back this afternoon.", &facts).is_ok());
    }
}
