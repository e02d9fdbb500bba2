//! The keyword rules: fast, deterministic, and always available.
//!
//! They answer every turn when no model is configured, and any turn the model fails. Phrases
//! match on word boundaries of a normalised utterance (`Heard`); the life-safety vocabulary is
//! data in `hazards`, one table per language. An utterance with several requests is read
//! clause by clause: the most urgent is the reading's intent, the others are `also`.
//! Spanish has rules of its own (`es`), which read what is said in Spanish.

pub(crate) mod es;

use super::hazards::{ENGLISH, Vocabulary};
use super::heard::Heard;
use super::reading::{Aside, Details, Hazard, Intent, Reading, Topic};
use crate::phone::Phone;

/// Things in a home or building that break, and the ways they do: a concrete problem names
/// one of these.
const PROBLEM: &[&str] = &[
    "leak", "leaks", "leaking", "leaky", "drip", "drips", "dripping", "broken", "broke", "clogged",
    "not working", "isnt working", "doesnt work", "wont", "stuck", "jammed", "loose", "wobbly", "wobbles",
    "cracked", "crack", "peeling", "flickering", "running", "mold", "mould", "moldy", "mildew", "mice",
    "mouse", "rat", "rats", "roaches", "cockroaches", "bugs", "pests", "bedbugs", "bed bugs", "ants",
    "termites", "wasp", "wasps", "hornets", "squirrels", "pigeons", "scratching", "toilet", "sink", "faucet",
    "tap", "shower", "shower head", "tub", "bathtub", "drain", "drains", "fridge", "refrigerator", "freezer",
    "stove", "oven", "burner", "burners", "microwave", "dishwasher", "garbage disposal", "disposal",
    "range hood", "ac", "a c", "air conditioning", "warm air", "cooling", "washer", "washing machine",
    "dryer", "outlet", "outlets", "power", "light", "lights", "bulb", "switch", "fan", "exhaust fan",
    "ceiling fan", "air conditioner", "thermostat", "window", "windows", "screen", "blinds", "door", "doors",
    "lock", "handle", "cabinet", "drawer", "closet door", "ceiling", "wall", "walls", "floor", "tiles",
    "tile", "grout", "caulking", "carpet", "paint", "heat", "heater", "radiator", "boiler", "water",
    "hot water", "pipe", "pipes", "vents", "vent", "smoke detector", "smoke alarm", "fire alarm",
    "carbon monoxide detector", "detector", "battery", "fire extinguisher", "exit sign", "pilot light",
    "intercom", "buzzer", "elevator", "mailbox", "garage door", "gate", "handrail", "railing", "steps",
    "step", "stairs", "sidewalk", "walkway", "shoveled", "ice", "snow", "gutter", "trash room", "fireplace",
    "damper", "mirror", "toilet seat", "banging", "rattling", "humming", "buzzing",
];
const REPAIR: &[&str] = &[
    "maintenance", "repair", "repairs", "fix", "fixed", "work order", "service request", "come look",
    "take a look", "come take a look", "come fix", "copy of my", "spare key", "new key",
];
/// Asking for a person in so many words.
const PERSON: &[&str] = &[
    "human", "representative", "operator", "agent", "manager", "landlord", "super", "superintendent",
    "speak to", "speak with", "talk to", "talk with", "transfer me", "connect me", "put me through",
    "on the phone", "on the line", "live person", "real person", "actual person", "accounting", "in charge",
    "leasing agent",
];
/// Someone, but maybe someone to come and fix a thing.
const SOMEONE: &[&str] = &["someone", "somebody", "person", "staff", "anyone"];
/// Words that make a question about a thing a report that it is broken.
const FAULT: &[&str] = &[
    "broken", "broke", "leak", "leaking", "not working", "isnt working", "doesnt work", "wont", "clogged",
    "stopped", "banging", "rattling", "humming", "buzzing", "weird noise", "overflowing", "stuck", "roaches",
    "mice", "bugs", "making a",
];
/// A question about a rule, a bill or the building, not a report of trouble.
const QUESTION: &[&str] = &[
    "bill", "bills", "included", "allowed", "insurance", "inspection", "drill", "policy", "zone", "notice",
    "in my name", "can i use", "can i have", "are we getting", "is that true", "pays for", "pay for",
    "renew",
];
/// A question about what to do if something happened, however broken it sounds.
const WHAT_IF: &[&str] = &["who do i call", "what do i do if", "what happens if", "what should i do if"];
const TOPICS: &[(Topic, &[&str])] = &[
    (Topic::LateFees, &["late fee", "late fees", "late charge", "grace period", "pay late"]),
    (
        Topic::RentPayment,
        &[
            "pay rent", "pay my rent", "pay the rent", "rent payment", "payment", "payments", "money order",
            "pay online", "rent due", "portal",
        ],
    ),
    (Topic::Pets, &["pet", "pets", "dog", "dogs", "cat", "cats"]),
    (Topic::Parking, &["parking", "park", "garage", "parking permit"]),
    (Topic::Laundry, &["laundry", "laundry room", "washing machines"]),
    (Topic::Trash, &["trash", "garbage", "recycling", "recycle", "bins", "pickup"]),
    (Topic::Packages, &["package", "packages", "delivery", "deliveries", "mail", "amazon"]),
    (Topic::QuietHours, &["quiet hours", "noise", "noisy", "loud", "quiet"]),
    (Topic::MoveInOut, &["move in", "move out", "moving in", "moving out", "move-in", "move-out"]),
    (Topic::Amenities, &["amenities", "amenity", "gym", "pool", "rooftop", "storage", "bike room"]),
    (Topic::Applying, &["apply", "application", "applying", "credit check", "background check"]),
];
const LEASING: &[&str] = &[
    "available", "availability", "vacancy", "vacancies", "for rent", "rent an apartment", "renting",
    "looking for an apartment", "looking for a place", "need a place", "showing", "tour", "viewing",
    "see a unit", "see an apartment", "see the apartment", "lease", "leasing", "one bedroom", "two bedroom",
    "three bedroom", "one bedrooms", "two bedrooms", "three bedrooms", "1 bedroom", "2 bedroom", "3 bedroom",
    "1 bedrooms", "2 bedrooms", "3 bedrooms", "any apartments", "studio", "studios", "opening up",
];
/// Hours asked for in so many words: these win over a leasing or person word.
const HOURS_ASKED: &[&str] = &[
    "hours", "what time", "your schedule", "the schedule", "how late", "how early", "until what time",
    "are you open", "are you still open", "come by", "stop by", "come in", "earliest", "business hours",
    "when are you", "when is the office", "is anyone in the office",
];
const HOURS: &[&str] = &[
    "open", "opened", "close", "closed", "closing", "saturday", "saturdays", "sunday", "weekend", "holidays",
];
/// Where to go, bring or send something: the office's address answers it.
const WHERE: &[&str] = &["where", "wheres", "what street", "mailing address", "is the office on"];
const WHERE_TO: &[&str] = &[
    "office", "you", "you guys", "drop off", "drop something off", "bring", "pick up", "mail", "return",
    "turn in", "sign", "go to", "located",
];
const ADDRESS: &[&str] = &[
    "address", "where are you", "where is the office", "where is your office", "located", "location",
    "directions", "how do i get to", "what street",
];
/// Farewells that can look like something else ("talk to you later" is not a transfer).
const FAREWELL: &[&str] = &[
    "talk to you later", "see ya", "see you", "take care", "have to go", "gotta go", "gotta run",
    "never mind", "call back later", "good night", "goodnight", "catch you later", "bye bye",
];
const GOODBYE: &[&str] = &[
    "bye", "goodbye", "good bye", "thats all", "that is all", "thats it", "nothing else", "im good",
    "im all set", "all set", "have a good day", "have a nice day", "have a nice one", "thats everything",
    "all i needed",
];
/// A whole utterance that is a farewell only when said alone.
const FAREWELL_ALONE: &[&str] = &["later", "laters", "peace", "ciao"];
const THANKS: &[&str] = &["thanks", "thank you", "thank", "appreciate it", "appreciated"];
const HELLO: &[&str] =
    &["hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening", "yo"];
const YES: &[&str] = &[
    "yes", "yeah", "yep", "yup", "sure", "correct", "right", "thats right", "please do", "okay", "ok",
    "go ahead", "absolutely", "of course", "sounds good", "please", "definitely", "that works", "i did",
];
const NO: &[&str] = &[
    "no", "nope", "nah", "not really", "dont", "do not", "wrong", "incorrect", "not right", "negative",
    "i didnt",
];
const THIS_NUMBER: &[&str] = &[
    "this number", "this one", "same number", "this phone", "calling from", "the number i called from",
    "number im calling",
];
const ROOMS: &[&str] = &[
    "living room", "dining room", "laundry room", "master bedroom", "kitchen", "bathroom", "bedroom",
    "hallway", "basement", "closet", "balcony", "patio", "garage", "lobby", "stairwell", "roof", "backyard",
    "attic", "entrance", "front door",
];
/// Taking back something said before.
const CORRECTION: &[&str] = &[
    "actually", "no wait", "wait no", "i mean", "i meant", "sorry i meant", "scratch that", "my mistake",
    "correction", "let me correct", "not the", "i said the", "i misspoke",
];
/// The first word of a question the caller asks.
const ASKING: &[&str] = &[
    "do", "does", "did", "is", "are", "was", "can", "could", "will", "would", "should", "have", "has", "may",
    "what", "when", "where", "which", "who", "how", "why", "any",
];
/// Words that come before what a caller means ("um, so, do you ...").
const FILLERS: &[&str] =
    &["um", "uh", "so", "oh", "well", "and", "but", "hey", "hi", "hello", "like", "okay", "ok"];
/// Another request, announced.
const ANOTHER: &[&str] = &[
    "also", "another thing", "one more thing", "oh and", "plus", "while i have you", "while im at it",
    "as well", "something else",
];
/// Permission to enter, in so many words, and its refusal.
const ENTRY_YES: &[&str] = &[
    "let yourself in", "let yourselves in", "let themselves in", "let himself in", "let herself in",
    "can go in", "can come in", "may enter", "ok to enter", "okay to enter", "fine to enter", "can enter",
    "use your key", "use the key", "go ahead and go in", "come in if im not home", "enter if im not home",
];
const ENTRY_NO: &[&str] = &[
    "only when im home", "only when i am home", "cant go in", "can not go in", "nobody goes in",
    "only if im home", "only if i am home", "when im there", "dont go in", "do not go in", "dont enter",
    "do not enter", "dont come in", "dont want anyone in", "not when im not home", "i need to be home",
    "i want to be home", "id like to be home", "im home to",
];
/// How to come in: a pet, a knock, a time, a key.
const ACCESS: &[&str] = &[
    "dog", "dogs", "cat", "cats", "puppy", "pet", "pets", "knock", "knock first", "ring the bell",
    "ring the doorbell", "call first", "call me first", "call before", "text first", "text me first",
    "only after", "only before", "not before", "not after", "anytime after", "any time after", "after 1",
    "after 2", "after 3", "after 4", "after 5", "after 6", "after 7", "after 8", "after 9", "after 10",
    "after 11", "after 12", "before 9", "before 10", "before 11", "before 12", "mornings only",
    "afternoons only", "baby", "sleeping", "alarm code", "doorman", "key with",
];
/// What introduces a caller's name.
const NAMED: &[&str] = &["this is", "my name is", "my names", "name is"];
/// What does not start a name, even capitalised.
const NOT_NAMES: &[&str] =
    &["I", "I'm", "Im", "The", "A", "An", "My", "Your", "Urgent", "About", "Regarding"];

/// Where one request ends and another begins, in a run-on sentence.
const SEPARATORS: &[&str] = &[
    " and also ", " also ", " oh and ", " and then ", " plus ", " another thing ", " but first ", " and ",
    " but ",
];
/// Digits as they are said one by one.
pub(crate) const DIGITS: &[(&str, char)] = &[
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

/// The words that decide what an utterance asks for, in one language: `intent` and `asides`
/// read every language the same way, through its lexicon (`es::words::LEXICON` for Spanish).
struct Lexicon {
    problem: &'static [&'static str],
    repair: &'static [&'static str],
    person: &'static [&'static str],
    someone: &'static [&'static str],
    fault: &'static [&'static str],
    question: &'static [&'static str],
    what_if: &'static [&'static str],
    topics: &'static [(Topic, &'static [&'static str])],
    leasing: &'static [&'static str],
    hours_asked: &'static [&'static str],
    hours: &'static [&'static str],
    where_: &'static [&'static str],
    where_to: &'static [&'static str],
    /// "Where do I pay online?" asks for a website, not the office's address.
    online: &'static [&'static str],
    address: &'static [&'static str],
    farewell: &'static [&'static str],
    goodbye: &'static [&'static str],
    farewell_alone: &'static [&'static str],
    thanks: &'static [&'static str],
    hello: &'static [&'static str],
    separators: &'static [&'static str],
}

const LEXICON: Lexicon = Lexicon {
    problem: PROBLEM,
    repair: REPAIR,
    person: PERSON,
    someone: SOMEONE,
    fault: FAULT,
    question: QUESTION,
    what_if: WHAT_IF,
    topics: TOPICS,
    leasing: LEASING,
    hours_asked: HOURS_ASKED,
    hours: HOURS,
    where_: WHERE,
    where_to: WHERE_TO,
    online: &["online"],
    address: ADDRESS,
    farewell: FAREWELL,
    goodbye: GOODBYE,
    farewell_alone: FAREWELL_ALONE,
    thanks: THANKS,
    hello: HELLO,
    separators: SEPARATORS,
};

/// A phone number spoken as digits ("718 555 0101") or digit words ("seven one eight ...").
fn phone(h: &Heard) -> Option<Phone> {
    let digits: String = h
        .words()
        .flat_map(|word| match DIGITS.iter().find(|(name, _)| *name == word) {
            Some(&(_, d)) => vec![d],
            None => word.chars().filter(char::is_ascii_digit).collect(),
        })
        .collect();
    (10..=11).contains(&digits.len()).then(|| Phone::parse(&digits)).flatten()
}

fn answer(h: &Heard) -> Option<bool> {
    match (h.position(YES), h.position(NO)) {
        (Some(yes), Some(no)) => Some(yes < no),
        (yes, no) => yes.map(|_| true).or(no.map(|_| false)),
    }
}

/// What one stretch of words asks for, most urgent first; and the policy topic it is about.
fn intent(h: &Heard, hazard: Option<Hazard>, staff: bool, w: &Lexicon) -> (Intent, Option<Topic>) {
    let problem = hazard.is_some() || h.has(w.problem);
    let question = hazard.is_none() && ((h.has(w.question) && !h.has(w.fault)) || h.has(w.what_if));
    let topic = w.topics.iter().find(|(_, words)| h.has(words)).map(|(topic, _)| *topic);
    // "Where is the laundry room?" is a question; "the washer in the laundry room is
    // broken" is a repair.
    let topic = topic.filter(|_| hazard.is_none() && !h.has(w.fault));
    let asks_where = h.has(w.where_) && h.has(w.where_to) && !h.has(w.online);
    let intent = if hazard.is_none() && (h.has(w.farewell) || w.farewell_alone.contains(&h.text().trim())) {
        Intent::Goodbye
    } else if staff || h.has(w.person) {
        Intent::Person
    } else if hazard.is_some() || (!question && problem) {
        Intent::Maintenance
    } else if asks_where {
        Intent::Address
    } else if !question && h.has(w.repair) {
        Intent::Maintenance
    } else if topic.is_some() {
        Intent::Policy
    } else if question {
        Intent::Other
    } else if h.has(w.hours_asked) {
        Intent::Hours
    } else if h.has(w.leasing) {
        Intent::Leasing
    } else if h.has(w.hours) {
        Intent::Hours
    } else if h.has(w.address) {
        Intent::Address
    } else if h.has(w.someone) {
        Intent::Person
    } else if h.has(w.goodbye) {
        Intent::Goodbye
    } else if h.has(w.thanks) {
        Intent::Thanks
    } else if h.has(w.hello) {
        Intent::Hello
    } else {
        Intent::Other
    };
    (intent, topic.filter(|_| intent == Intent::Policy))
}

/// The stretches of a run-on utterance that may each ask for something.
fn clauses(h: &Heard, separators: &[&str]) -> Vec<String> {
    let mut parts = vec![h.text().to_string()];
    for separator in separators {
        parts = parts
            .iter()
            .flat_map(|part| part.split(separator).map(|p| format!(" {} ", p.trim())).collect::<Vec<_>>())
            .collect();
    }
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// Requests besides the most urgent one: each clause that asks for something else. `named`:
/// whether a clause names a staff member.
fn asides(
    h: &Heard,
    first: Intent,
    w: &Lexicon,
    hazards: &Vocabulary,
    named: impl Fn(&Heard) -> bool,
) -> Vec<Aside> {
    let mut asides: Vec<Aside> = Vec::new();
    let parts = clauses(h, w.separators);
    if parts.len() < 2 {
        return asides;
    }
    for part in parts {
        let clause = Heard::new(&part);
        let hazard = hazards.heard(&clause).first().copied();
        let (intent, _) = intent(&clause, hazard, named(&clause), w);
        let substantive = matches!(
            intent,
            Intent::Maintenance
                | Intent::Person
                | Intent::Policy
                | Intent::Leasing
                | Intent::Hours
                | Intent::Address
        );
        if substantive && intent != first && !asides.iter().any(|a| a.intent == intent) {
            asides.push(Aside { intent, words: part.trim().to_string() });
        }
    }
    asides
}

/// The caller asks something: a question is never their yes or no.
fn question(h: &Heard) -> bool {
    let mut words = h.words().skip_while(|w| FILLERS.contains(w));
    let first = words.next().unwrap_or_default();
    ASKING.contains(&first) && !YES.contains(&first) && !NO.contains(&first)
}

/// The stretches of what was said between punctuation and joining words, as said.
fn phrases(utterance: &str) -> Vec<String> {
    utterance
        .split([',', '.', ';', '!', '?'])
        .flat_map(|part| {
            let spaced = format!(" {} ", part.trim());
            [" and ", " but ", " so "].iter().fold(vec![spaced], |parts, joint| {
                parts.iter().flat_map(|p| p.split(joint).map(|q| format!(" {} ", q.trim()))).collect()
            })
        })
        .map(|part| part.trim().to_string())
        .filter(|part| !part.is_empty())
        .collect()
}

/// The caller's words about how to come in ("I have a dog, please knock first").
fn access(utterance: &str) -> Option<String> {
    let kept: Vec<String> = phrases(utterance)
        .into_iter()
        .filter(|phrase| {
            let h = Heard::new(phrase);
            h.has(ACCESS) && !question(&h) && !h.has(&["no pets", "pet policy", "allowed"])
        })
        .collect();
    (!kept.is_empty()).then(|| kept.join(", "))
}

/// A name said after "this is" or "my name is", as capitalised words.
fn name(utterance: &str) -> Option<String> {
    let words: Vec<&str> = utterance.split_whitespace().collect();
    let plain = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase().replace('\'', "");
    for at in 0..words.len() {
        for intro in NAMED {
            let intro: Vec<&str> = intro.split(' ').collect();
            let start = at + intro.len();
            let said =
                start < words.len() && intro.iter().enumerate().all(|(i, w)| plain(words[at + i]) == *w);
            // "this is, um, ..." names nobody.
            if !said || words[start - 1].ends_with([',', '.']) {
                continue;
            }
            let mut name = Vec::new();
            for word in words[start..].iter().take(3) {
                let bare = word.trim_end_matches([',', '.', '!', '?', ';']);
                let capital = bare.chars().next().is_some_and(char::is_uppercase);
                if !capital
                    || NOT_NAMES.contains(&bare)
                    || !bare.chars().all(|c| c.is_alphabetic() || c == '-')
                {
                    break;
                }
                name.push(bare);
                // A name ends where the caller paused.
                if bare.len() != word.len() {
                    break;
                }
            }
            if !name.is_empty() {
                return Some(name.join(" "));
            }
        }
    }
    None
}

static WHEN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(concat!(
        r"(?i)\b(today|tonight|tomorrow|this (morning|afternoon|evening|weekend)|next week|",
        r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?|weekends?|mornings?|afternoons?|evenings?|",
        r"any ?time|noon|(after|before|around|at) \d{1,2}(:\d\d)?\b( ?[ap]\.? ?m\b\.?)?|\d{1,2}(:\d\d)? ?[ap]\.? ?m\b\.?)",
    ))
    .expect("valid regex")
});

/// When the caller would like to come by, as said: from the first time word to the last.
fn when(utterance: &str) -> Option<String> {
    let found: Vec<regex::Match> = WHEN.find_iter(utterance).collect();
    let (first, last) = (found.first()?, found.last()?);
    let span = &utterance[first.start()..last.end()];
    let span = if span.split_whitespace().count() <= 6 { span } else { first.as_str() };
    Some(span.trim_end_matches(['.', ',']).to_string())
}

/// "two-bedrooms", "a 1 bedroom", "studios": the size a caller asks about.
fn bedrooms(h: &Heard) -> Option<u32> {
    if h.has(&["studio", "studios"]) {
        return Some(0);
    }
    let sizes = [("one", 1), ("1", 1), ("two", 2), ("2", 2), ("three", 3), ("3", 3), ("four", 4), ("4", 4)];
    sizes.iter().find_map(|(said, n)| {
        ["bedroom", "bedrooms", "bed", "beds", "br"]
            .iter()
            .any(|unit| h.has(&[format!("{said} {unit}").as_str()]))
            .then_some(*n)
    })
}

/// Where in the home, as said: not a room the caller says it is not ("the bathroom, not the
/// kitchen"), and after a take-back ("the kitchen, no wait, the bathroom") the room meant.
fn room(h: &Heard) -> Option<String> {
    let text = h.text();
    let mut found: Vec<(usize, &str)> =
        ROOMS.iter().filter_map(|room| text.find(&format!(" {room} ")).map(|at| (at, *room))).collect();
    let inside = |(at, room): (usize, &str), (other_at, other): (usize, &str)| {
        other.len() > room.len() && other_at <= at && at < other_at + other.len()
    };
    let all = found.clone();
    found.retain(|&(at, room)| {
        let before = &text[..=at];
        !["not the", "not in the", "not", "isnt the", "its not the"]
            .iter()
            .any(|n| before.ends_with(&format!(" {n} ")))
            && !all.iter().any(|&other| inside((at, room), other))
    });
    found.sort();
    let taken_back = ["no wait", "wait no", "i mean", "i meant", "actually", "sorry"]
        .iter()
        .filter_map(|t| text.rfind(&format!(" {t} ")))
        .max();
    let meant = taken_back.and_then(|from| found.iter().find(|(at, _)| *at > from));
    meant.or(found.first()).map(|(_, room)| room.to_string())
}

/// A second repair announced in the same breath ("my faucet leaks, oh and also the hallway
/// light is out"): its own request, after the first.
fn second_request(utterance: &str) -> Option<Aside> {
    let lower = utterance.to_ascii_lowercase();
    let (at, marker) = [" and also ", " oh and ", " also ", " another thing ", " one more thing ", " plus "]
        .iter()
        .filter_map(|m| lower.find(m).map(|at| (at, *m)))
        .min()?;
    let (first, second) = (&utterance[..at], utterance[at + marker.len()..].trim());
    let names_problem = |words: &str| {
        let h = Heard::new(words);
        h.has(PROBLEM) && !h.has(QUESTION) && ENGLISH.heard(&h).is_empty()
    };
    (names_problem(first) && names_problem(second)).then(|| Aside {
        intent: Intent::Maintenance,
        words: second.trim_end_matches(['.', '!']).to_string(),
    })
}

fn details(utterance: &str, h: &Heard) -> Details {
    let question = question(h);
    Details {
        correction: h.has(CORRECTION),
        question,
        another: h.has(ANOTHER),
        entry: match (h.has(ENTRY_YES) && !question, h.has(ENTRY_NO) && !question) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        },
        access: if question { None } else { access(utterance) },
        name: name(utterance),
        when: when(utterance),
        bedrooms: bedrooms(h),
    }
}

/// Reads an utterance in the language it is said in (`es` decides which).
pub fn read(utterance: &str, staff: &[String]) -> Reading {
    es::read_either(utterance, staff, english)
}

fn english(utterance: &str, staff: &[String]) -> Reading {
    let h = Heard::new(utterance);
    let hazard = ENGLISH.heard(&h).first().copied();
    let named = staff.iter().find(|name| h.has(&[name.to_lowercase().as_str()])).cloned();
    let (intent, topic) = intent(&h, hazard, named.is_some(), &LEXICON);
    Reading {
        intent: Some(intent),
        hazard,
        describes_problem: hazard.is_some() || (intent == Intent::Maintenance && h.has(PROBLEM)),
        // How soon a repair is needed is the office's table (`office::Calibration`).
        urgent: false,
        answer: if question(&h) { None } else { answer(&h) },
        location: room(&h),
        phone: phone(&h),
        this_number: h.has(THIS_NUMBER),
        staff: named,
        topic,
        address: None,
        language: None,
        wants_language: None,
        reply: None,
        also: asides(&h, intent, &LEXICON, &ENGLISH, |clause| {
            staff.iter().any(|name| clause.has(&[name.to_lowercase().as_str()]))
        })
        .into_iter()
        .chain(second_request(utterance))
        .collect(),
        summary: None,
        english: None,
        details: details(utterance, &h),
    }
}

/// The danger an utterance names, happening or not ("gas", "smoke"): a caller who keeps
/// naming one is never left with a message offer.
pub fn mentioned_hazard(utterance: &str) -> Option<Hazard> {
    ENGLISH.mentioned(&Heard::new(utterance)).into_iter().chain(es::mentioned_hazard(utterance)).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff() -> Vec<String> {
        vec!["Diane".into(), "Janier".into()]
    }

    fn intent(text: &str) -> Intent {
        read(text, &staff()).intent.unwrap()
    }

    fn hazard(text: &str) -> Option<Hazard> {
        read(text, &staff()).hazard
    }

    #[test]
    fn details_said_at_any_point_are_read() {
        let details = |text: &str| read(text, &staff()).details;
        assert!(details("Do you have any two-bedrooms?").question);
        assert_eq!(read("Do you have any two-bedrooms?", &staff()).answer, None);
        assert_eq!(read("do I need to be home?", &staff()).details.entry, None, "a question gives nothing");
        assert_eq!(details("Do you have any two-bedrooms?").bedrooms, Some(2));
        assert_eq!(details("any studios open?").bedrooms, Some(0));
        assert!(details("Actually no, it's the bathroom, not the kitchen").correction);
        assert!(details("oh, also the hallway light is out").another);
        assert_eq!(details("you can let yourselves in").entry, Some(true));
        assert_eq!(details("only when I'm home please").entry, Some(false));
        assert_eq!(
            details("My stove won't light. I have a dog, please knock first, and call me at 718 555 0177")
                .access
                .as_deref(),
            Some("I have a dog, please knock first")
        );
        assert_eq!(details("come any time after 3 pm").access.as_deref(), Some("come any time after 3 pm"));
        assert_eq!(details("can I have a dog here?").access, None, "a pet question is not a note");
        assert_eq!(details("Hi, this is Tom Becker, please call me").name.as_deref(), Some("Tom Becker"));
        assert_eq!(details("this is urgent, my sink is leaking").name, None);
        assert_eq!(
            details("could I come see it Saturday at noon?").when.as_deref(),
            Some("Saturday at noon")
        );
        assert_eq!(details("call me at 718 555 0177").when, None, "a number is not a time");
    }

    #[test]
    fn the_room_is_the_one_the_caller_means() {
        let room = |text: &str| read(text, &staff()).location;
        assert_eq!(room("Actually no, it's the bathroom, not the kitchen").as_deref(), Some("bathroom"));
        assert_eq!(room("the kitchen, no wait, the bathroom sink").as_deref(), Some("bathroom"));
        assert_eq!(room("the master bedroom window").as_deref(), Some("master bedroom"));
        assert_eq!(room("my faucet is leaking").as_deref(), None);
    }

    #[test]
    fn a_second_repair_in_the_same_breath_is_its_own_request() {
        let also =
            read("my bathroom faucet is dripping, oh and also the hallway light is out", &staff()).also;
        assert_eq!(
            also,
            [Aside { intent: Intent::Maintenance, words: "also the hallway light is out".into() }]
        );
        assert!(read("my sink is leaking and also it smells", &staff()).also.is_empty());
    }

    #[test]
    fn intents() {
        assert_eq!(intent("What are your hours?"), Intent::Hours);
        assert_eq!(intent("When do you open tomorrow"), Intent::Hours);
        assert_eq!(intent("What's the office address?"), Intent::Address);
        assert_eq!(intent("Where are you located"), Intent::Address);
        assert_eq!(intent("Can I talk to a real person"), Intent::Person);
        assert_eq!(intent("Is Diane there?"), Intent::Person);
        assert_eq!(intent("My kitchen sink is leaking"), Intent::Maintenance);
        assert_eq!(intent("I need to put in a maintenance request"), Intent::Maintenance);
        assert_eq!(intent("The bedroom window won't open"), Intent::Maintenance);
        assert_eq!(intent("How do I pay my rent?"), Intent::Policy);
        assert_eq!(read("How do I pay my rent?", &staff()).topic, Some(Topic::RentPayment));
        assert_eq!(read("is there a late fee if I pay on the 5th", &staff()).topic, Some(Topic::LateFees));
        assert_eq!(read("can I have a dog", &staff()).topic, Some(Topic::Pets));
        assert_eq!(read("what day is trash pickup", &staff()).topic, Some(Topic::Trash));
        assert_eq!(intent("the washer in the laundry room is broken"), Intent::Maintenance);
        assert_eq!(intent("Do you have any two bedroom apartments available"), Intent::Leasing);
        assert_eq!(intent("Thanks so much"), Intent::Thanks);
        assert_eq!(intent("No, that's all, bye"), Intent::Goodbye);
        assert_eq!(intent("Hi there"), Intent::Hello);
        assert_eq!(intent("Bananas are yellow"), Intent::Other);
    }

    #[test]
    fn several_requests_are_read_clause_by_clause_the_most_urgent_first() {
        let r = read("my toilet is clogged and also what time do you close", &staff());
        assert_eq!(r.intent, Some(Intent::Maintenance));
        assert_eq!(r.also, [Aside { intent: Intent::Hours, words: "what time do you close".into() }]);
        let r = read("what are your hours, oh and the ceiling is pouring water", &staff());
        assert_eq!((r.intent, r.hazard), (Some(Intent::Maintenance), Some(Hazard::Flooding)));
        assert_eq!(r.also.iter().map(|a| a.intent).collect::<Vec<_>>(), [Intent::Hours]);
        assert_eq!(read("what time is the leasing office open", &staff()).also, []);
    }

    #[test]
    fn farewells_and_practical_questions_that_look_like_something_else() {
        assert_eq!(intent("talk to you later"), Intent::Goodbye);
        assert_eq!(intent("later"), Intent::Goodbye);
        assert_eq!(
            intent("can I pay part now and the rest later"),
            Intent::Other,
            "for staff, not a goodbye"
        );
        assert_eq!(intent("where do I drop off my rent check"), Intent::Address);
        assert_eq!(intent("I need someone to come look at my shower"), Intent::Maintenance);
        assert_eq!(intent("can somebody from the office call me"), Intent::Person);
        assert_eq!(intent("who do I call if the elevator gets stuck"), Intent::Other);
    }

    #[test]
    fn a_named_staff_member_is_remembered() {
        assert_eq!(read("put me through to janier please", &staff()).staff.as_deref(), Some("Janier"));
    }

    #[test]
    fn life_safety_hazards() {
        assert_eq!(hazard("I smell gas in the hallway"), Some(Hazard::Gas));
        assert_eq!(hazard("it smells like rotten eggs"), Some(Hazard::Gas));
        assert_eq!(hazard("The carbon monoxide detector is going off"), Some(Hazard::CarbonMonoxide));
        assert_eq!(hazard("There's a fire in the kitchen"), Some(Hazard::Fire));
        assert_eq!(hazard("smoke is coming out of the oven"), Some(Hazard::Smoke));
        assert_eq!(hazard("the outlet is sparking"), Some(Hazard::Electrical));
    }

    #[test]
    fn a_chirping_detector_is_not_a_fire() {
        assert_eq!(hazard("my smoke detector keeps chirping"), None);
        assert_eq!(intent("my smoke detector keeps chirping"), Intent::Maintenance);
        assert_eq!(hazard("the vegas trip was great"), None);
        assert_eq!(hazard("the fire escape window is stuck"), None);
    }

    #[test]
    fn water_and_heat() {
        assert_eq!(hazard("Water is pouring through the ceiling"), Some(Hazard::Flooding));
        assert_eq!(hazard("the toilet is backing up"), Some(Hazard::Sewage));
        assert_eq!(hazard("we have no hot water"), Some(Hazard::NoHotWater));
        assert_eq!(hazard("there's no water at all"), Some(Hazard::NoWater));
        assert_eq!(hazard("The heat isn't working"), Some(Hazard::NoHeat));
        assert_eq!(hazard("my sink is leaking"), None);
    }

    #[test]
    fn lockouts_and_doors() {
        assert_eq!(hazard("I'm locked out"), Some(Hazard::Lockout));
        assert_eq!(hazard("I'm locked out and my baby is inside"), Some(Hazard::LockoutAtRisk));
        assert_eq!(hazard("the front door of the building won't lock"), Some(Hazard::EntryDoor));
        assert_eq!(hazard("the toilet is clogged"), Some(Hazard::CloggedToilet));
    }

    #[test]
    fn details() {
        let r = read("Yes. It's in the master bedroom, call me at 718-555-0101", &staff());
        assert_eq!(r.answer, Some(true));
        assert_eq!(r.location.as_deref(), Some("master bedroom"));
        assert_eq!(r.phone.unwrap().e164(), "+17185550101");
        assert_eq!(
            read("seven one eight five five five oh one oh two", &staff()).phone.unwrap().e164(),
            "+17185550102"
        );
        assert_eq!(read("no, don't go in", &staff()).answer, Some(false));
        assert_eq!(read("nope that's not right", &staff()).answer, Some(false));
        assert!(read("this number is fine", &staff()).this_number);
        assert_eq!(read("hmm", &staff()).answer, None);
    }
}
