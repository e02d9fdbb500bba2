//! The keyword-rules brain: fast, deterministic, and always available.
//!
//! It answers every turn when no model is configured, and any turn the model fails. Phrases
//! match on word boundaries of a normalised utterance (lower case, punctuation as spaces), so
//! "gas" never matches "Vegas" and speech-recognition punctuation never matters.

use super::reading::{Hazard, Intent, Reading, Topic};
use crate::phone::Phone;

/// A normalised utterance, padded with spaces so every phrase match is a whole-word match.
struct Heard(String);

impl Heard {
    fn new(utterance: &str) -> Heard {
        let mut text = String::with_capacity(utterance.len() + 2);
        text.push(' ');
        let mut last_space = true;
        for c in utterance.chars().flat_map(char::to_lowercase) {
            let c = match c {
                '\'' | '’' => continue, // "don't" -> "dont", "isn't" -> "isnt"
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

    fn position(&self, phrases: &[&str]) -> Option<usize> {
        phrases.iter().filter_map(|p| self.0.find(&format!(" {p} "))).min()
    }

    fn has(&self, phrases: &[&str]) -> bool {
        self.position(phrases).is_some()
    }

    fn both(&self, these: &[&str], those: &[&str]) -> bool {
        self.has(these) && self.has(those)
    }
}

const BROKEN: &[&str] = &[
    "broken", "broke", "not working", "isnt working", "doesnt work", "dont work", "wont", "stopped", "out",
    "off", "not", "no",
];

fn hazard(h: &Heard) -> Option<Hazard> {
    let detector = h.has(&["detector", "alarm"]);
    let chirping = h.has(&["beeping", "chirping", "chirp", "beep", "battery"]);
    if h.has(&[
        "smell gas", "smells like gas", "gas smell", "gas leak", "leaking gas", "smell of gas", "rotten eggs",
    ]) {
        Some(Hazard::Gas)
    } else if h.has(&["carbon monoxide", "monoxide", "co detector", "co alarm"]) && !chirping {
        Some(Hazard::CarbonMonoxide)
    } else if h.has(&["fire", "flames", "on fire", "burning"])
        && !(detector && chirping)
        && !h.has(&["fire escape", "fire extinguisher"])
    {
        Some(Hazard::Fire)
    } else if h.has(&[
        "sparks", "sparking", "exposed wire", "exposed wires", "exposed wiring", "live wire",
        "outlet is smoking",
    ]) {
        Some(Hazard::Electrical)
    } else if h.has(&["smoke", "smoky", "smoking"]) && !(detector && chirping) {
        Some(Hazard::Smoke)
    } else if h.has(&["sewage", "sewer"])
        || h.both(&["toilet", "drain", "tub", "shower"], &["backing up", "backed up"])
    {
        Some(Hazard::Sewage)
    } else if h
        .has(&["flood", "flooding", "flooded", "burst pipe", "pipe burst", "water everywhere", "overflowing"])
        || h.both(
            &["ceiling", "light fixture", "fixture"],
            &["water", "leak", "leaking", "dripping", "pouring"],
        )
    {
        Some(Hazard::Flooding)
    } else if h.has(&["no hot water", "only cold water", "hot water"]) && h.has(BROKEN) {
        Some(Hazard::NoHotWater)
    } else if h.has(&["no water", "no running water", "water is off", "water is shut off", "water shut off"])
    {
        Some(Hazard::NoWater)
    } else if h.has(&["no heat", "no heating", "freezing in here", "radiator is cold", "radiators are cold"])
        || h.both(&["heat", "heating", "heater", "boiler", "radiator", "radiators"], BROKEN)
    {
        Some(Hazard::NoHeat)
    } else if h.both(
        &["front door", "building door", "entry door", "entrance door", "lobby door", "main door"],
        &["broken", "wont lock", "doesnt lock", "not locking", "wont close", "doesnt close", "open"],
    ) {
        Some(Hazard::EntryDoor)
    } else if h.has(&[
        "locked out", "lock myself out", "locked myself out", "cant get in", "lost my keys", "lost my key",
    ]) {
        if h.has(&[
            "baby", "child", "kid", "kids", "children", "stove", "oven", "medication", "medicine", "elderly",
            "alone",
        ]) {
            Some(Hazard::LockoutAtRisk)
        } else {
            Some(Hazard::Lockout)
        }
    } else if h.both(&["ac", "a c", "air conditioning", "air conditioner"], BROKEN) {
        Some(Hazard::NoAirConditioning)
    } else if h.both(&["toilet"], &["clogged", "blocked", "wont flush", "not flushing", "doesnt flush"]) {
        Some(Hazard::CloggedToilet)
    } else {
        None
    }
}

/// Things in a home that break, and the ways they do: a concrete problem names one of these.
const PROBLEM: &[&str] = &[
    "leak", "leaks", "leaking", "leaky", "drip", "dripping", "broken", "broke", "clogged", "not working",
    "isnt working", "doesnt work", "wont", "mold", "mould", "mice", "mouse", "rats", "roaches", "bugs",
    "pests", "bedbugs", "toilet", "sink", "faucet", "shower", "tub", "bathtub", "drain", "fridge",
    "refrigerator", "stove", "oven", "dishwasher", "washer", "dryer", "outlet", "light", "lights", "window",
    "windows", "door", "lock", "ceiling", "wall", "floor", "heat", "heater", "radiator", "water", "pipe",
    "pipes", "smoke detector", "intercom", "buzzer", "elevator", "crack",
];
const REPAIR: &[&str] =
    &["maintenance", "repair", "repairs", "fix", "fixed", "work order", "service request"];
const URGENT: &[&str] = &[
    "leak", "leaks", "leaking", "dripping", "no hot water", "lock", "toilet", "fridge", "refrigerator",
    "mold", "elevator",
];
const PERSON: &[&str] = &[
    "person", "human", "someone", "somebody", "representative", "operator", "agent", "staff", "manager",
    "speak to", "speak with", "talk to", "talk with", "transfer me", "connect me", "put me through",
];
/// Words that make a question about a thing a report that it is broken.
const FAULT: &[&str] = &[
    "broken", "broke", "leak", "leaking", "not working", "isnt working", "doesnt work", "wont", "clogged",
    "stopped",
];
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
    "available", "availability", "vacancy", "vacancies", "for rent", "rent an apartment",
    "looking for an apartment", "looking for a place", "showing", "tour", "lease", "leasing", "one bedroom",
    "two bedroom", "studio",
];
const HOURS: &[&str] = &[
    "hours", "open", "opened", "close", "closed", "closing", "what time", "when are you",
    "when is the office",
];
const ADDRESS: &[&str] = &[
    "address", "where are you", "where is the office", "where is your office", "located", "location",
    "directions", "how do i get",
];
const GOODBYE: &[&str] = &[
    "bye", "goodbye", "good bye", "thats all", "that is all", "thats it", "nothing else", "im good",
    "im all set", "all set", "have a good day", "have a nice day",
];
const THANKS: &[&str] = &["thanks", "thank you", "thank", "appreciate it"];
const HELLO: &[&str] =
    &["hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening", "yo"];
const YES: &[&str] = &[
    "yes", "yeah", "yep", "yup", "sure", "correct", "right", "thats right", "please do", "okay", "ok",
    "go ahead", "absolutely", "of course", "sounds good", "please", "definitely", "that works",
];
const NO: &[&str] =
    &["no", "nope", "nah", "not really", "dont", "do not", "wrong", "incorrect", "not right", "negative"];
const THIS_NUMBER: &[&str] = &[
    "this number", "this one", "same number", "this phone", "calling from", "the number i called from",
    "number im calling",
];
const ROOMS: &[&str] = &[
    "living room", "dining room", "laundry room", "master bedroom", "kitchen", "bathroom", "bedroom",
    "hallway", "basement", "closet", "balcony", "patio", "garage", "lobby", "stairwell", "roof", "backyard",
    "attic", "entrance", "front door",
];
const DIGITS: &[(&str, char)] = &[
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

/// A phone number spoken as digits ("718 555 0101") or digit words ("seven one eight ...").
fn phone(h: &Heard) -> Option<Phone> {
    let digits: String =
        h.0.split_whitespace()
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

pub fn read(utterance: &str, staff: &[String]) -> Reading {
    let h = Heard::new(utterance);
    let hazard = hazard(&h);
    let describes_problem = hazard.is_some() || h.has(PROBLEM);
    let staff = staff.iter().find(|name| h.has(&[name.to_lowercase().as_str()])).cloned();
    let topic = TOPICS.iter().find(|(_, words)| h.has(words)).map(|(topic, _)| *topic);
    // "Where is the laundry room?" is a question; "the washer in the laundry room is
    // broken" is a repair.
    let question = topic.filter(|_| hazard.is_none() && !h.has(FAULT));
    let intent = if staff.is_some() || h.has(PERSON) {
        Intent::Person
    } else if question.is_some() {
        Intent::Policy
    } else if describes_problem || h.has(REPAIR) {
        Intent::Maintenance
    } else if h.has(LEASING) {
        Intent::Leasing
    } else if h.has(HOURS) {
        Intent::Hours
    } else if h.has(ADDRESS) {
        Intent::Address
    } else if h.has(GOODBYE) {
        Intent::Goodbye
    } else if h.has(THANKS) {
        Intent::Thanks
    } else if h.has(HELLO) {
        Intent::Hello
    } else {
        Intent::Other
    };
    Reading {
        intent: Some(intent),
        hazard,
        describes_problem,
        urgent: h.has(URGENT),
        answer: answer(&h),
        location: ROOMS.iter().find(|room| h.has(&[room])).map(|room| room.to_string()),
        phone: phone(&h),
        this_number: h.has(THIS_NUMBER),
        staff,
        topic: question,
        address: None,
        language: None,
        reply: None,
    }
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
        assert!(read("my sink is leaking", &staff()).urgent);
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
