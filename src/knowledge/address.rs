//! Street addresses as speech recognition writes them: "1042 windsor st", "ten forty two
//! Windsor Street", "31 Port Richmond Avenue", "thirty-first street". Each becomes a key, a
//! house number and the street's words without its type, so spoken and written forms compare.

/// A house number and the words of its street ("1042", ["windsor"]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressKey {
    pub number: String,
    pub street: Vec<String>,
}

const STREET_TYPES: &[(&[&str], &str)] = &[
    (&["st", "street", "str"], "st"),
    (&["ave", "avenue", "av"], "ave"),
    (&["rd", "road"], "rd"),
    (&["blvd", "boulevard"], "blvd"),
    (&["pl", "place"], "pl"),
    (&["ln", "lane"], "ln"),
    (&["dr", "drive"], "dr"),
    (&["ct", "court"], "ct"),
    (&["ter", "terrace"], "ter"),
    (&["pkwy", "parkway"], "pkwy"),
    (&["hwy", "highway"], "hwy"),
    (&["way"], "way"),
    (&["sq", "square"], "sq"),
    (&["loop"], "loop"),
];

const ONES: &[&str] = &["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const TEENS: &[&str] = &[
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
];
const TENS: &[&str] = &["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const ORDINALS: &[&str] = &[
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
    "nineteenth",
];

fn street_type(word: &str) -> Option<&'static str> {
    STREET_TYPES.iter().find(|(spellings, _)| spellings.contains(&word)).map(|(_, canonical)| *canonical)
}

fn small(word: &str) -> Option<u32> {
    if word == "oh" {
        return Some(0);
    }
    let find = |list: &[&str]| list.iter().position(|w| *w == word).map(|i| i as u32);
    find(ONES)
        .or_else(|| find(TEENS).map(|i| i + 10))
        .or_else(|| find(TENS).filter(|i| *i >= 2).map(|i| i * 10))
}

/// "first" -> 1, "twenty" + "first" is handled by the caller; "21st" -> 21.
fn ordinal(word: &str) -> Option<u32> {
    if let Some(i) = ORDINALS.iter().position(|w| *w == word) {
        return Some(i as u32);
    }
    let digits = word
        .strip_suffix("st")
        .or(word.strip_suffix("nd"))
        .or(word.strip_suffix("rd"))
        .or(word.strip_suffix("th"))?;
    digits.parse().ok()
}

/// Words to tokens with numbers as digits: "ten forty two" -> "1042" (house numbers are
/// said in pairs), "one thousand forty two" -> "1042", "thirty first" -> "31".
fn tokens(text: &str) -> Vec<String> {
    // "1,042" is one number; other commas and hyphens separate words.
    let chars: Vec<char> = text.chars().collect();
    let joined: String = chars
        .iter()
        .enumerate()
        .filter(|&(i, c)| {
            !(*c == ','
                && i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        })
        .map(|(_, c)| *c)
        .collect();
    let lower = joined.to_lowercase().replace(['-', ','], " ");
    let words: Vec<String> = lower
        .split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let start = i;
        let mut chunks: Vec<String> = Vec::new();
        let mut total: Option<u64> = None;
        // Anything a caller says reaches this arithmetic ("nine nine nine ... thousand"): a
        // number too big for a house is no house number, and says so with an empty token.
        let mut too_big = false;
        while i < words.len() {
            let word = words[i].as_str();
            if word == "hundred" || word == "thousand" {
                let scale: u64 = if word == "hundred" { 100 } else { 1000 };
                let spoken: String = chunks.drain(..).collect();
                let before = if spoken.is_empty() { Some(1) } else { spoken.parse::<u64>().ok() };
                total = before
                    .and_then(|before| before.checked_mul(scale))
                    .and_then(|n| n.checked_add(total.unwrap_or(0)));
                too_big |= total.is_none();
            } else if let Some(n) = small(word) {
                // "forty" + "two" is one chunk; anything else starts a new one.
                match chunks.last_mut() {
                    Some(last) if n < 10 && last.len() == 2 && last.ends_with('0') && last != "10" => {
                        *last = (last.parse::<u32>().unwrap_or(0) + n).to_string();
                    }
                    _ => chunks.push(n.to_string()),
                }
            } else if let (Some(n), Some(last)) = (ordinal(word), chunks.last_mut())
                && n < 10
                && last.ends_with('0')
                && last.len() == 2
            {
                *last = (last.parse::<u32>().unwrap_or(0) + n).to_string();
                i += 1;
                break;
            } else {
                break;
            }
            i += 1;
        }
        if i == start {
            let word = &words[i];
            out.push(
                ordinal(word)
                    .filter(|_| !word.chars().all(|c| c.is_ascii_digit()))
                    .map_or(word.clone(), |n| n.to_string()),
            );
            i += 1;
            continue;
        }
        let rest: String = chunks.concat();
        if too_big {
            out.push(String::new());
            continue;
        }
        let number = match total {
            Some(total) => match rest.parse::<u64>() {
                Ok(rest) => total.checked_add(rest),
                Err(_) if rest.is_empty() => Some(total),
                Err(_) => None,
            },
            None => {
                out.push(rest);
                continue;
            }
        };
        out.push(number.map(|n| n.to_string()).unwrap_or_default());
    }
    out
}

/// The first "number street-words [type]" in the text, with at most three street words.
/// Without a street type, the words must be given (a known street) to count.
pub fn find(text: &str, known_streets: &[Vec<String>]) -> Option<AddressKey> {
    let tokens = tokens(text);
    for (i, token) in tokens.iter().enumerate() {
        if token.is_empty() || !token.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let mut street = Vec::new();
        let mut typed = false;
        for word in tokens.iter().skip(i + 1).take(4) {
            if street_type(word).is_some() && !street.is_empty() {
                typed = true;
                break;
            }
            street.push(word.clone());
        }
        street.truncate(3);
        let known = known_streets.iter().find(|known| !known.is_empty() && street.starts_with(known));
        if let Some(known) = known {
            return Some(AddressKey { number: token.clone(), street: known.clone() });
        }
        if typed && !street.is_empty() {
            return Some(AddressKey { number: token.clone(), street });
        }
    }
    None
}

/// The key of an address the office wrote ("1042 Windsor St, Staten Island, NY").
pub fn key(address: &str) -> Option<AddressKey> {
    let first = address.split(',').next().unwrap_or(address);
    let tokens = tokens(first);
    let (number, rest) = tokens.split_first()?;
    let street: Vec<String> = rest.iter().filter(|w| street_type(w).is_none()).cloned().collect();
    (number.chars().all(|c| c.is_ascii_digit()) && !street.is_empty())
        .then(|| AddressKey { number: number.clone(), street })
}

/// Same house number, and street words alike enough for speech recognition's spelling.
pub fn same(a: &AddressKey, b: &AddressKey) -> bool {
    a.number == b.number
        && a.street.len() == b.street.len()
        && a.street.iter().zip(&b.street).all(|(x, y)| x == y || strsim::jaro_winkler(x, y) >= 0.9)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windsor() -> AddressKey {
        key("1042 Windsor St, Staten Island, NY").unwrap()
    }

    #[test]
    fn numbers_said_as_words_become_digits() {
        assert_eq!(tokens("ten forty two"), ["1042"]);
        assert_eq!(tokens("thirty-one"), ["31"]);
        assert_eq!(tokens("one thousand forty two"), ["1042"]);
        assert_eq!(tokens("one oh four two"), ["1042"]);
        assert_eq!(tokens("thirty first street"), ["31", "street"]);
        assert_eq!(tokens("First Avenue"), ["1", "avenue"]);
    }

    #[test]
    fn numbers_too_big_for_any_house_are_no_number_and_no_panic() {
        let nines = "nine ".repeat(9);
        assert_eq!(tokens(&format!("{nines}thousand")), ["999999999000"]);
        let huge = format!("{} thousand thousand thousand windsor street", "nine ".repeat(40));
        assert_eq!(tokens(&huge), ["", "windsor", "street"]);
        assert_eq!(find(&huge, &[windsor().street]), None);
        let sum = format!("one thousand {} street", "nine ".repeat(30));
        assert_eq!(tokens(&sum), ["", "street"]);
    }

    #[test]
    fn spoken_and_written_forms_match() {
        let streets = [windsor().street, vec!["port".into(), "richmond".into()]];
        for said in [
            "I live at 1042 windsor st", "ten forty two Windsor Street", "it's 1042 Windsor",
            "1,042 Windsor Street apartment 1A", "ten forty-two winsor street",
        ] {
            let found = find(said, &streets).unwrap_or_else(|| panic!("{said}"));
            assert!(same(&found, &windsor()), "{said}: {found:?}");
        }
        let office = key("31 Port Richmond Ave, Staten Island, NY").unwrap();
        assert!(same(&find("thirty-one Port Richmond Avenue", &streets).unwrap(), &office));
    }

    #[test]
    fn other_addresses_are_other_addresses() {
        let streets = [windsor().street];
        let elsewhere = find("my apartment is at 55 Elm Street", &streets).unwrap();
        assert!(!same(&elsewhere, &windsor()));
        assert!(!same(&find("1044 Windsor Street", &streets).unwrap(), &windsor()));
        assert_eq!(find("my kitchen sink has been leaking for 3 days", &streets), None);
    }
}
