//! What the caller said, in a few words: a read-back names the problem ("a leaking kitchen
//! faucet") or the message ("please call back about the Windsor apartment") the way a person
//! would, never the whole utterance with its greetings, fillers, stories and self-corrections.
//! The caller's whole words are kept for staff beside it.
//!
//! These are the rules' summaries; a model may propose its own, which `vet::summary` keeps
//! only when every content word in it is the caller's.

use super::Language;
use super::heard::Heard;
use super::reading::Hazard;
pub mod es;

use super::lines::quote;

/// Things in a home that break. The first one said is what a problem is about ("the sink is
/// leaking under the cabinet"), except water, heat and the like, which name a thing only
/// when nothing else is ("water leaking from the ceiling" is about the ceiling).
const THINGS: &[&str] = &[
    "garbage disposal", "shower head", "toilet seat", "range hood", "exhaust fan", "ceiling fan",
    "washing machine", "air conditioner", "smoke detector", "smoke alarm", "carbon monoxide detector",
    "garage door", "closet door", "front door", "back door", "pilot light", "light switch", "water heater",
    "toilet", "sink", "faucet", "tap", "shower", "bathtub", "tub", "drain", "fridge", "refrigerator",
    "freezer", "stove", "oven", "burner", "burners", "microwave", "dishwasher", "disposal", "washer",
    "dryer", "outlet", "outlets", "switch", "fan", "thermostat", "radiator", "boiler", "heater", "window",
    "windows", "screen", "blinds", "door", "doors", "lock", "handle", "cabinet", "drawer", "ceiling", "wall",
    "walls", "floor", "tiles", "tile", "grout", "caulking", "carpet", "paint", "pipe", "pipes", "vent",
    "vents", "detector", "intercom", "buzzer", "elevator", "mailbox", "gate", "handrail", "railing",
    "stairs", "steps", "sidewalk", "walkway", "gutter", "fireplace", "mirror", "light", "lights", "bulb",
    "ac", "heat", "hot water", "water", "power",
];
/// Things said without an article ("no heat", "mice").
const MASS: &[&str] = &["heat", "hot water", "water", "power", "ac", "paint", "grout", "caulking", "carpet"];
const PESTS: &[&str] = &[
    "mice", "mouse", "rats", "rat", "roaches", "cockroaches", "bugs", "bedbugs", "bed bugs", "ants",
    "termites", "wasps", "hornets", "squirrels", "pigeons", "mold", "mould", "mildew",
];
/// Words that say which one, said just before the thing ("the kitchen faucet").
const WHICH: &[&str] = &[
    "living room", "dining room", "laundry room", "kitchen", "bathroom", "bedroom", "hallway", "hall",
    "basement", "closet", "balcony", "patio", "front", "back", "upstairs", "downstairs", "bathtub", "shower",
    "ceiling", "bedroom", "main", "guest", "master",
];
/// What is wrong, as said, and how a read-back says it: before the thing ("a leaking
/// faucet") or after it ("a stove that won't light").
const BEFORE: &[(&[&str], &str)] = &[
    (
        &["stopped cooling", "not cooling", "isnt cooling", "wont cool", "doesnt cool"],
        "!that stopped cooling",
    ),
    (&["leaking", "leaks", "leak", "leaky"], "leaking"),
    (&["dripping", "drips", "drip"], "dripping"),
    (&["clogged", "backed up", "blocked"], "clogged"),
    (&["broken", "broke", "busted", "smashed"], "broken"),
    (&["cracked", "crack"], "cracked"),
    (&["flickering", "flickers", "flicker"], "flickering"),
    (&["running", "runs"], "running"),
    (&["stuck", "jammed"], "stuck"),
    (&["loose", "wobbly", "wobbles"], "loose"),
    (&["peeling"], "peeling"),
    (&["banging", "rattling", "humming", "buzzing", "noisy", "making a noise", "making noise"], "noisy"),
    (&["beeping", "chirping"], "beeping"),
    (
        &[
            "not working", "isnt working", "arent working", "doesnt work", "stopped working", "dont work",
            "not turning on",
        ],
        "!that isn't working",
    ),
    (&["went out", "is out", "are out", "burned out", "burnt out", "dead"], "!that's out"),
    (&["stained", "stain", "water stain"], "stained"),
];
/// What is wrong when it is "won't" something: the next word says what.
const WONT: &[&str] = &["wont", "will not", "cant", "can not", "cannot"];
/// Where a self-correction starts: what comes after it is what the caller meant.
const TAKE_BACK: &[&str] = &["no wait", "wait no", "actually", "i mean", "i meant", "sorry", "scratch that"];
/// Words a read-back drops around a message.
const GREETING: &[&str] = &[
    "hi", "hello", "hey", "yeah", "yes", "um", "uh", "so", "okay", "ok", "good morning", "good afternoon",
    "good evening",
];
const TELL: &[&str] = &[
    "can you tell", "could you tell", "would you tell", "please tell", "tell", "can you ask",
    "could you ask", "please ask", "ask", "can you let", "could you let", "please let", "let",
    "can you have", "could you have", "please have", "have", "a message for", "message for", "this is for",
    "its for", "for",
];
const AFTER_NAME: &[&str] = &["to", "that", "know that", "know", "i need", "i"];

/// The problem in a few words, in the language the call is in.
pub fn problem_in(language: Language, utterance: &str) -> String {
    match language {
        Language::English => problem(utterance),
        Language::Spanish => es::problem(utterance),
    }
}

/// What a request left for staff, in English whatever the call's language: the read-back's
/// summary in an English call; for a Spanish one, the danger or the thing and what is wrong
/// with it, read from the caller's words by the rules.
pub fn for_staff(language: Language, summary: &str, words: &str, hazard: Option<Hazard>) -> String {
    match (language, hazard) {
        (Language::English, _) => summary.to_string(),
        (Language::Spanish, Some(hazard)) => hazard.describe().to_string(),
        (Language::Spanish, None) => es::for_staff(words),
    }
}

/// The problem in a few words: the thing and what is wrong with it, from the last thing the
/// caller said they meant. Falls back to their words, trimmed.
pub fn problem(utterance: &str) -> String {
    let heard = Heard::new(utterance);
    let text = heard.text();
    // "The kitchen, no wait, the bathroom sink": what follows the last take-back, if it says
    // anything about a thing.
    let meant = TAKE_BACK
        .iter()
        .filter_map(|t| text.rfind(&format!(" {t} ")).map(|at| at + t.len() + 1))
        .max()
        .map(|from| &text[from..])
        .filter(|rest| thing(&clauses(rest)).is_some() || fault(rest).is_some())
        .unwrap_or(text);
    let parts = clauses(meant);
    if let Some(pest) = parts.iter().find_map(|p| longest(p, PESTS)) {
        return pest.to_string();
    }
    let Some((at, found, which)) = thing(&parts) else {
        return fallback(utterance);
    };
    let wrong = fault(&parts[at]).or_else(|| parts[at + 1..].iter().find_map(|p| fault(p)));
    let named = match which {
        Some(which) => format!("{which} {found}"),
        None => found.to_string(),
    };
    let mass = MASS.contains(&found);
    let plural = !mass && found.ends_with('s') && found != "gas";
    match wrong {
        Some(Wrong::Before(word)) if mass => format!("{word} {named}"),
        Some(Wrong::Before(word)) => article(plural, &format!("{word} {named}")),
        Some(Wrong::After(_)) if mass => format!("no {named}"),
        Some(Wrong::After(words)) => {
            let words =
                if plural { words.replace("isn't", "aren't").replace("that's", "that are") } else { words };
            format!("{} {words}", article(plural, &named))
        }
        None if mass => format!("a problem with the {named}"),
        None => format!("a problem with the {named}"),
    }
}

enum Wrong {
    Before(&'static str),
    After(String),
}

fn article(plural: bool, phrase: &str) -> String {
    match (plural, phrase.starts_with(['a', 'e', 'i', 'o', 'u'])) {
        (true, _) => phrase.to_string(),
        (false, true) => format!("an {phrase}"),
        (false, false) => format!("a {phrase}"),
    }
}

/// Stretches of normalised words between joining words.
fn clauses(text: &str) -> Vec<String> {
    let mut parts = vec![text.to_string()];
    for joint in [" and ", " but ", " so ", " because ", " then "] {
        parts = parts.iter().flat_map(|p| p.split(joint).map(|q| format!(" {} ", q.trim()))).collect();
    }
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

fn longest<'a>(part: &str, list: &[&'a str]) -> Option<&'a str> {
    list.iter().filter(|w| part.contains(&format!(" {w} "))).max_by_key(|w| w.len()).copied()
}

/// The first clause naming a thing, the thing (the first named, as the longest phrase said
/// there; "water" only when nothing else is), and the words before it that say which one.
fn thing(parts: &[String]) -> Option<(usize, &'static str, Option<&'static str>)> {
    parts.iter().enumerate().find_map(|(at, part)| {
        let mut named: Vec<(usize, &'static str)> =
            THINGS.iter().filter_map(|t| part.find(&format!(" {t} ")).map(|i| (i, *t))).collect();
        named.sort_by_key(|(i, t)| (MASS.contains(t), *i, usize::MAX - t.len()));
        let &(start, found) = named.first()?;
        let before = &part[..=start];
        let which =
            WHICH.iter().filter(|w| before.ends_with(&format!(" {w} "))).max_by_key(|w| w.len()).copied();
        let which = which.filter(|w| !found.contains(*w));
        Some((at, found, which))
    })
}

fn fault(part: &str) -> Option<Wrong> {
    for (said, how) in BEFORE {
        if said.iter().any(|w| part.contains(&format!(" {w} "))) {
            return Some(match how.strip_prefix('!') {
                Some(after) => Wrong::After(after.to_string()),
                None => Wrong::Before(how),
            });
        }
    }
    let words: Vec<&str> = part.split_whitespace().collect();
    for (at, word) in words.iter().enumerate() {
        let two = words.get(at + 1).map(|next| format!("{word} {next}"));
        let skip = if WONT.contains(word) {
            1
        } else if two.as_deref().is_some_and(|two| WONT.contains(&two)) {
            2
        } else {
            continue;
        };
        let what: Vec<&str> = words[at + skip..].iter().take(2).copied().collect();
        let what = match what.as_slice() {
            [verb, particle @ ("on" | "off" | "up" | "down" | "open" | "shut")] => {
                format!("{verb} {particle}")
            }
            [verb, ..] => verb.to_string(),
            [] => continue,
        };
        return Some(Wrong::After(format!("that won't {what}")));
    }
    None
}

/// No thing named: the words that say what is wrong, without greetings and fillers, from the
/// caller's point of view to the listener's ("my" read back as "your").
fn fallback(utterance: &str) -> String {
    let kept: Vec<String> = utterance
        .split([',', '.', ';', '!', '?'])
        .map(|p| strip_greeting(p.trim()))
        .filter(|p| !p.is_empty())
        .collect();
    let best = kept.iter().find(|p| fault(Heard::new(p).text()).is_some()).or(kept.first());
    match best {
        Some(words) => to_you(&quote(&cut(words, 10))),
        None => quote(utterance),
    }
}

fn cut(words: &str, max: usize) -> String {
    words.split_whitespace().take(max).collect::<Vec<_>>().join(" ")
}

/// Drops greetings and fillers at the start of a stretch of words.
fn strip_greeting(words: &str) -> String {
    strip_any(words, GREETING)
}

/// Drops any of these words at the start of a stretch of words, however many in a row.
fn strip_any(words: &str, greetings: &[&str]) -> String {
    let mut rest = words.trim();
    loop {
        let lower = rest.to_lowercase();
        let Some(greeting) = greetings.iter().find(|g| {
            lower.starts_with(*g) && lower[g.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
        }) else {
            break;
        };
        rest = rest[greeting.len()..].trim_start_matches([',', ' ', '.', '!']);
    }
    rest.to_string()
}

/// The caller's words as the assistant says them back: "I have a dog" is "you have a dog".
pub fn to_you(words: &str) -> String {
    const SWAPS: &[(&str, &str)] = &[
        ("i'm", "you're"),
        ("im", "you're"),
        ("i am", "you are"),
        ("i've", "you've"),
        ("i'd", "you'd"),
        ("i'll", "you'll"),
        ("i", "you"),
        ("my", "your"),
        ("me", "you"),
        ("mine", "yours"),
        ("we're", "you're"),
        ("we", "you"),
        ("our", "your"),
        ("us", "you"),
    ];
    let mut out: Vec<String> = Vec::new();
    let words: Vec<&str> = words.split_whitespace().collect();
    let mut at = 0;
    while at < words.len() {
        let bare = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'').to_lowercase();
        let two = words.get(at + 1).map(|next| format!("{} {}", bare(words[at]), bare(next)));
        if let Some((_, to)) = SWAPS.iter().find(|(from, _)| two.as_deref() == Some(*from)) {
            let tail: String = words[at + 1].chars().rev().take_while(|c| !c.is_alphanumeric()).collect();
            out.push(format!("{to}{}", tail.chars().rev().collect::<String>()));
            at += 2;
            continue;
        }
        let word = words[at];
        let swapped = SWAPS.iter().find(|(from, _)| bare(word) == *from && !from.contains(' '));
        match swapped {
            Some((from, to)) => {
                let tail = &word[word.to_lowercase().find(from).map_or(word.len(), |i| i + from.len())..];
                out.push(format!("{to}{tail}"));
            }
            None => out.push(word.to_string()),
        }
        at += 1;
    }
    out.join(" ")
}

/// What a message says, without the greeting, the caller's name, who it is for and the
/// number (the read-back says those itself): "Hi, this is Tom Becker, can you tell Janier to
/// please call me back about the Windsor apartment, my number is 718 555 0177" is "please
/// call back about the Windsor apartment".
pub fn gist(utterance: &str, staff: &[String]) -> String {
    let mut kept = Vec::new();
    for part in utterance.split([',', '.', ';', '!', '?']) {
        let part = strip_greeting(part.trim());
        let lower = Heard::new(&part);
        let digits = part.chars().filter(char::is_ascii_digit).count();
        let names_only =
            lower.has(&["this is", "my name is", "my names", "name is"]) && lower.words().count() <= 5;
        let number = digits >= 7
            || lower.has(&[
                "my number is", "my number", "call me at", "reach me at", "the number is", "number is",
            ]);
        let intro = lower.has(&["leave a message", "leaving a message", "take a message", "a message for"])
            && lower.words().count() <= 7;
        if part.is_empty() || names_only || number || intro {
            continue;
        }
        kept.push(without_addressee(&part, staff));
    }
    let gist = kept.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ");
    let gist = call_back(&gist);
    if gist.is_empty() { quote(&strip_greeting(utterance)) } else { quote(&cut(&gist, 25)) }
}

/// "can you tell Janier to please call me" is "please call me".
fn without_addressee(part: &str, staff: &[String]) -> String {
    let lower = part.to_lowercase();
    for name in staff {
        let name = name.to_lowercase();
        let Some(at) = lower.find(&name) else { continue };
        let before = lower[..at].trim();
        if !(before.is_empty()
            || TELL.iter().any(|t| before == *t || before.ends_with(&format!(" {t}")) && before.len() < 30))
        {
            continue;
        }
        let mut rest = part[at + name.len()..].trim_start_matches([',', ' ']);
        for word in AFTER_NAME {
            let rest_lower = rest.to_lowercase();
            if rest_lower.starts_with(&format!("{word} ")) {
                rest = rest[word.len()..].trim_start();
                break;
            }
        }
        return rest.to_string();
    }
    part.to_string()
}

/// "call me back" is read back "call back": the message is for staff to act on.
fn call_back(gist: &str) -> String {
    let mut out = gist.to_string();
    for (from, to) in [
        ("call me back", "call back"),
        ("call me", "call back"),
        ("Call me back", "Call back"),
        ("Call me", "Call back"),
    ] {
        if out.contains(from) && !out.contains(to) {
            out = out.replacen(from, to, 1);
        }
    }
    out.replace("call back back", "call back")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_is_the_thing_and_what_is_wrong_with_it() {
        let cases = [
            (
                "Hi, yeah, my kitchen faucet is leaking, it keeps dripping even when it's off",
                "a leaking kitchen faucet",
            ),
            ("My stove won't light", "a stove that won't light"),
            (
                "the fridge stopped cooling yesterday, all my food is going bad",
                "a fridge that stopped cooling",
            ),
            ("there's a leak under the bathroom sink", "a leaking bathroom sink"),
            ("the bathroom sink is leaking under the cabinet", "a leaking bathroom sink"),
            ("the shower head in the bathroom is broken", "a broken shower head"),
            ("the toilet keeps running all night", "a running toilet"),
            ("the bedroom window won't open", "a bedroom window that won't open"),
            ("there are roaches in the kitchen", "roaches"),
            ("the light in the hallway is out", "a light that's out"),
            ("um so the kitchen, no wait, the bathroom faucet is dripping", "a dripping bathroom faucet"),
            ("water is leaking from the ceiling", "a leaking ceiling"),
            (
                "the outlets in the living room aren't working, they stopped working",
                "outlets that aren't working",
            ),
            ("the heat isn't working", "no heat"),
            ("I have a slow drip in the tub", "a dripping tub"),
        ];
        for (said, summary) in cases {
            assert_eq!(problem(said), summary, "{said}");
        }
    }

    #[test]
    fn without_a_thing_the_callers_words_are_trimmed_and_turned_to_the_listener() {
        assert_eq!(
            problem("Hi, um, something smells weird in my apartment"),
            "something smells weird in your apartment"
        );
        assert_eq!(to_you("I have a dog, please knock first"), "you have a dog, please knock first");
        assert_eq!(to_you("only after 3 pm, I'm at work"), "only after 3 pm, you're at work");
    }

    #[test]
    fn a_message_keeps_what_it_asks_and_drops_who_and_the_number() {
        let staff = ["Diane".to_string(), "Janier".to_string()];
        let said = "Hi, this is Tom Becker, can you tell Janier to please call me back about the Windsor \
                    apartment, my number is 718 555 0177";
        assert_eq!(gist(said, &staff), "please call back about the Windsor apartment");
        assert_eq!(
            gist("Please call me about my lease renewal", &staff),
            "Please call back about my lease renewal"
        );
        assert_eq!(gist("for Diane, the check is in the drop box", &staff), "the check is in the drop box");
    }
}
