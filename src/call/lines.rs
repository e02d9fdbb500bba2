//! Everything the assistant can say, each in several phrasings.
//!
//! The machine decides what to say; this file decides the words. Every line has variants so
//! that `pick` can honour the rule that no line is said twice in one call. Lines state only
//! what the office profile holds or what the caller said.

mod es;
mod worded;

use chrono::{DateTime, NaiveTime};
use chrono_tz::Tz;

use crate::call::reading::{Hazard, Topic};
use crate::call::summary::to_you;
use crate::call::{Caller, Field, Note, Request};
use crate::knowledge::{Property, Unit};
use crate::office::{Office, hours};
use crate::phone::Phone;
pub use worded::Lines;

/// The first variant not yet said in this call. When a caller has heard every variant of a
/// line, a lead-in keeps the new line distinct rather than repeating one word for word.
pub fn pick(said: &[String], variants: Vec<String>) -> String {
    let fresh = |line: &String| !said.contains(line);
    if let Some(line) = variants.iter().find(|l| fresh(l)) {
        return line.clone();
    }
    let leads = ["Once more: ", "To repeat: ", "Just to say it again: ", "As I mentioned: "];
    let led = leads.iter().flat_map(|lead| variants.iter().map(move |v| format!("{lead}{v}")));
    if let Some(line) = led.clone().find(fresh) {
        return line;
    }
    let repeats = said.iter().filter(|s| s.ends_with(&variants[0])).count();
    format!("Let me say that a {} time: {}", ordinal(repeats + 1), variants[0])
}

/// The variants of a line whose words change each time (a read-back, a correction), those
/// with an opening not heard yet in this call first: "Let me read that back" starts one
/// read-back, "Here's what I have" the next.
pub fn varied(said: &[String], variants: Vec<String>) -> Vec<String> {
    let opening = |line: &str| line.split([':', ',', '.', '!', '?']).next().unwrap_or_default().to_string();
    let heard: Vec<String> = said.iter().map(|line| opening(line)).collect();
    let (fresh, used): (Vec<String>, Vec<String>) =
        variants.into_iter().partition(|line| !heard.contains(&opening(line)));
    fresh.into_iter().chain(used).collect()
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn lines<const N: usize>(variants: [&str; N]) -> Vec<String> {
    variants.iter().map(|s| s.to_string()).collect()
}

/// The caller's own words, cut to something a read-back can say in a breath.
pub fn quote(words: &str) -> String {
    const MAX: usize = 160;
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = words.trim_end_matches(['.', '!', '?', ',']);
    if words.chars().count() <= MAX {
        return words.to_string();
    }
    let cut: String = words.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}, and so on")
}

pub fn phone(phone: &Phone) -> String {
    phone.spoken()
}

pub fn time(t: NaiveTime) -> String {
    hours::spoken_time(t)
}

pub fn when(at: DateTime<Tz>, now: DateTime<Tz>) -> String {
    hours::spoken_when(at, now)
}

pub fn week(office: &Office) -> String {
    office.hours.spoken_week()
}

/// The call's first words (the profile's Spanish invitation follows them, in the Spanish
/// voice: see `Turn::invite`).
pub fn greeting(office: &Office, caller: &Caller) -> Vec<String> {
    let me = &office.assistant_name;
    match caller.first_name() {
        Some(name) => vec![
            format!("Hi {name}! I'm {me}. How can I help you today?"),
            format!("Hello {name}, this is {me}. What can I do for you?"),
        ],
        None => vec![
            format!("{} How can I help you today?", office.greeting),
            format!("Hello, this is {me}. What can I do for you?"),
        ],
    }
}

/// After "English, please" in a Spanish call.
pub fn switched() -> Vec<String> {
    lines([
        "Sure, let's continue in English. How can I help?",
        "Of course, English it is. What can I do for you?",
    ])
}

pub fn anything_else() -> Vec<String> {
    lines([
        "Is there anything else I can help with?",
        "Anything else I can do for you?",
        "What else can I help you with today?",
        "Is there something else you need?",
    ])
}

pub fn hours(now: &str, week: &str) -> Vec<String> {
    vec![
        format!("{now} Our hours are {week}."),
        format!("{now} We're in the office {week}."),
        format!("Our regular hours are {week}. {now}"),
    ]
}

pub fn open_now(closes: &str) -> String {
    format!("We're open right now, until {closes} today.")
}

pub fn closed_now(opens: Option<&str>) -> String {
    match opens {
        Some(opens) => format!("We're closed right now, and we open again {opens}."),
        None => "We're closed right now.".into(),
    }
}

pub fn address(office: &Office) -> Vec<String> {
    let at = &office.address_spoken;
    vec![
        format!("The office is at {at}."),
        format!("You'll find us at {at}."),
        format!("Our address is {at}."),
    ]
}

pub fn hello() -> Vec<String> {
    lines([
        "Hi! What can I help you with today?", "Hello! How can I help?", "Hey there! What can I do for you?",
    ])
}

pub fn welcome() -> Vec<String> {
    lines(["You're very welcome!", "My pleasure!", "Happy to help!", "Of course!"])
}

pub fn no_problem() -> Vec<String> {
    lines(["No problem.", "Okay, sure.", "All right.", "Got it."])
}

pub fn goodbye() -> Vec<String> {
    lines([
        "Thanks for calling, and have a great day!",
        "Take care, and thanks for calling!",
        "Goodbye, and have a good one!",
    ])
}

pub fn didnt_catch() -> Vec<String> {
    lines([
        "Sorry, I didn't quite catch that. Could you say it again?",
        "I'm sorry, the line wasn't clear. What was that?",
        "Could you repeat that for me, a little slower?",
        "Sorry, one more time please?",
    ])
}

pub fn still_there() -> Vec<String> {
    lines([
        "Are you still there? How can I help?",
        "I'm here whenever you're ready. What can I do for you?",
        "Hello? I'm still on the line if you need anything.",
    ])
}

pub fn offer_transfer(office: &Office) -> Vec<String> {
    let staff = staff_names(office);
    vec![
        "If it's easier, I can connect you with someone at the office. Would you like that?".into(),
        format!("I could also put you through to {staff}. Should I do that?"),
        "Would you like me to connect you with a person at the office?".into(),
    ]
}

pub fn offer_message() -> Vec<String> {
    lines([
        "I can take a message for the team. Would you like to leave one?",
        "Would you like to leave a message for the office staff?",
        "I'm happy to pass a message along to the team. Want to leave one?",
    ])
}

pub fn silent_goodbye() -> Vec<String> {
    lines([
        "I haven't heard anything, so I'll let you go. Please call back anytime. Goodbye!",
        "It sounds like the line is quiet, so I'll hang up now. Call us back anytime!",
    ])
}

pub fn what_i_do(office: &Office) -> Vec<String> {
    let staff = staff_names(office);
    vec![
        format!(
            "I can take maintenance requests, tell you our hours and address, or connect you with {staff}. Would you like me to connect you with someone?"
        ),
        "I'm not sure I can help with that one, but someone at the office can. Should I connect you?".into(),
        "That's a question for our office team. Would you like me to put you through?".into(),
    ]
}

pub fn leasing(office: &Office) -> Vec<String> {
    let staff = staff_names(office);
    vec![
        "We'd love to help you find a place! Our office team can tell you what's available and set up a showing. Would you like me to connect you?".into(),
        format!("{staff} can tell you what's available and set up a showing. Want me to put you through?"),
    ]
}

/// A policy, word for word as the office wrote it.
pub fn policy(text: &str) -> Vec<String> {
    let text = text.trim();
    vec![text.to_string(), format!("Sure! {text}"), format!("Here's what I have: {text}")]
}

/// The data does not answer: say so, never guess.
pub fn dont_have(topic: Topic, offer: &str) -> Vec<String> {
    let about = topic.spoken();
    vec![
        format!("I don't have the details on {about} in front of me. {offer}"),
        format!("I'm sorry, I don't have information about {about} right here. {offer}"),
    ]
}

pub fn offer_person_or_message(open: bool) -> String {
    if open {
        "I can connect you with someone at the office who does. Would you like that?".into()
    } else {
        "I can take a message, and the office team will get back to you. Would you like to leave one?".into()
    }
}

/// Units open to rent, with bedrooms and asking rent, and an offer to see one.
pub fn available(units: &[(&Property, &Unit)]) -> Vec<String> {
    let list = listed(units);
    vec![
        format!("Right now we have {list}. Would you like to request a showing?"),
        format!("We currently have {list} available. Want me to set up a showing request?"),
    ]
}

/// "Do you have any two-bedrooms?", answered from the property data: yes and which, or not
/// right now and what there is.
pub fn available_sized(
    bedrooms: u32,
    matching: &[(&Property, &Unit)],
    all: &[(&Property, &Unit)],
) -> Vec<String> {
    if !matching.is_empty() {
        let list = listed(matching);
        return vec![
            format!("Yes! We have {list}. Would you like to request a showing?"),
            format!("We do: {list}. Want me to set up a showing request?"),
        ];
    }
    let size = size(bedrooms).trim_start_matches("a ").to_string();
    let list = listed(all);
    vec![
        format!(
            "Not right now, we don't have a {size} available. We have {list}. Would you like to request a showing?"
        ),
        format!("No {size} is open at the moment, but we have {list}. Want me to set up a showing request?"),
    ]
}

/// The unit as a read-back names it ("the 1-bedroom at 1042 Windsor St").
pub fn unit_named(property: &Property, unit: &Unit) -> String {
    format!("the {} at {}", size(unit.bedrooms).trim_start_matches("a "), property.name)
}

fn size(bedrooms: u32) -> String {
    match bedrooms {
        0 => "a studio".to_string(),
        n => format!("a {n}-bedroom"),
    }
}

fn listed(units: &[(&Property, &Unit)]) -> String {
    let described: Vec<String> = units
        .iter()
        .take(3)
        .map(|(property, unit)| {
            format!("{} at {} for ${} a month", size(unit.bedrooms), property.name, unit.rent)
        })
        .collect();
    match described.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
        [] => String::new(),
    }
}

/// What a showing request still needs, asked in one breath.
pub fn ask_showing(unit: bool, when: bool, name: bool, number: bool) -> Vec<String> {
    let wanted: Vec<&str> = [
        (unit, "which unit you'd like to see"),
        (when, "when works for you"),
        (name, "your name"),
        (number, "the best number to reach you"),
    ]
    .iter()
    .filter_map(|(missing, what)| missing.then_some(*what))
    .collect();
    let list = match wanted.as_slice() {
        [] => "anything else the leasing team should know".to_string(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    };
    vec![
        format!("Great! Please tell me {list}."),
        format!("Wonderful. Tell me {list}, please."),
        format!("Sure. Just tell me {list}."),
    ]
}

/// A showing request as it will be sent: which unit, when, who, and the number.
pub fn showing_read_back(note: &Note) -> Vec<String> {
    let mut parts = vec![note.unit.clone().unwrap_or_else(|| "one of our available units".into())];
    parts.extend(note.when.clone());
    parts.extend(note.gist.clone());
    if let Some(name) = &note.from {
        parts.push(format!("for {name}"));
    }
    if let Some(phone) = &note.callback {
        parts.push(format!("at {}", phone.spoken()));
    }
    let request = parts.join(", ");
    vec![
        format!("I have a showing request for {request}. Should I send that to the leasing team?"),
        format!("That's a showing of {request}. Is that right?"),
        format!("So, a showing of {request}. Shall I send it?"),
    ]
}

pub fn showing_taken(reference: Option<&str>) -> Vec<String> {
    with_reference(
        reference,
        [
            ("You're all set. The leasing team will call you to confirm a time.", "Thanks for calling!"),
            ("Got it! Someone from the office will reach out to confirm your showing.", "Have a great day!"),
        ],
    )
}

/// Closing lines with the call's reference said between what was done and the goodbye.
fn with_reference<const N: usize>(reference: Option<&str>, variants: [(&str, &str); N]) -> Vec<String> {
    variants
        .iter()
        .map(|(done, bye)| match reference {
            Some(spoken) => format!("{done} Your reference number is {spoken}. {bye}"),
            None => format!("{done} {bye}"),
        })
        .collect()
}

/// The call's reference, read digit by digit (`spoken` is "4, 7, 2, 1, 8").
pub fn your_reference(spoken: &str) -> Vec<String> {
    vec![
        format!("Your reference number is {spoken}."),
        format!("Your reference number for that is {spoken}."),
        format!("That's under reference {spoken}."),
    ]
}

/// An earlier call found by the reference the caller said.
pub fn found_reference(spoken: &str) -> Vec<String> {
    vec![
        format!(
            "Thanks! I found your earlier call, reference {spoken}, and I've linked this call to it. What can I help you with?"
        ),
        format!("Got it, reference {spoken}. I've added this call to it. How can I help?"),
    ]
}

pub fn ours(property: &Property) -> Vec<String> {
    vec![format!("Got it, {}.", property.name), format!("Okay, that's {}.", property.name)]
}

pub fn not_ours() -> Vec<String> {
    lines([
        "That address isn't one of ours, so I can't take a request for it. Would you like me to connect you with the office?",
        "I'm sorry, that address isn't one of the buildings we manage. Should I put you through to the office?",
    ])
}

pub fn ask(field: Field, caller: &Caller) -> Vec<String> {
    match field {
        Field::Problem => lines([
            "I can help with that. What's going on?",
            "Sure! Please tell me what the problem is.",
            "Okay. What needs fixing?",
        ]),
        Field::Address => lines([
            "What's the address of the apartment?",
            "Which building is it? Please say the street address.",
        ]),
        Field::Location => lines([
            "Got it. Where in your home is that?", "Which room is that in?",
            "And where in the apartment is it?",
        ]),
        Field::Entry => lines([
            "If you're not home, may our maintenance team enter your unit to fix it?",
            "Do we have your permission to enter if nobody's home?",
            "Is it okay for maintenance to go in when you're not there?",
        ]),
        Field::Callback => match &caller.phone {
            Some(phone) => {
                let phone = phone.spoken();
                vec![
                    format!("Is {phone} the best number to reach you?"),
                    format!("Should we call you back at {phone}?"),
                    format!("Can the team reach you at {phone}?"),
                ]
            }
            None => ask(Field::CallbackNumber, caller),
        },
        Field::CallbackNumber => lines([
            "What's the best phone number to reach you? Please start with the area code.",
            "What number should the team call? Area code first, please.",
            "Please say the ten digits of your best callback number.",
        ]),
    }
}

pub fn yes_or_no() -> Vec<String> {
    lines(["Sorry, was that a yes or a no?", "Just a yes or no is fine.", "Should I take that as a yes?"])
}

/// The request in a few words: the problem, where, the access answer and note, the number.
pub fn read_back(request: &Request) -> Vec<String> {
    let problem = request
        .summary
        .clone()
        .or_else(|| request.problem.as_deref().map(crate::call::summary::problem))
        .unwrap_or_default();
    let location = match request.location.as_deref() {
        Some(location) if !mentions(&problem, location) => format!(", in the {}", quote(location)),
        _ => String::new(),
    };
    let entry = match (request.entry, common_area(request.location.as_deref())) {
        (_, true) => "",
        (Some(true), _) => " Maintenance may enter if you're not home.",
        _ => " Maintenance will only come in when you're home.",
    };
    let access = match &request.access {
        Some(note) => format!(" Note for the team: {}.", to_you(&quote(note))),
        None => String::new(),
    };
    let callback = match &request.callback {
        Some(phone) => format!(" We'll reach you at {}.", phone.spoken()),
        None => String::new(),
    };
    let all = format!("{problem}{location}.{entry}{access}{callback}");
    vec![
        format!("Let me read that back: {all} Did I get that right?"),
        format!("Here's what I have: {all} Is that correct?"),
        format!("So that's {all} Is everything right?"),
        format!("Okay, now I have: {all} Is that right?"),
        format!("Let me check I have it: {all} Correct?"),
    ]
}

/// Whether a summary already names the place ("a leaking kitchen faucet", in the kitchen).
fn mentions(summary: &str, location: &str) -> bool {
    let summary = format!(" {} ", summary.to_lowercase());
    location.to_lowercase().split_whitespace().all(|word| summary.contains(&format!(" {word} ")))
}

/// A place outside anyone's home: nobody needs permission to enter it.
pub fn common_area(location: Option<&str>) -> bool {
    const COMMON: &[&str] = &[
        "hallway", "hall", "lobby", "stairwell", "stairs", "staircase", "basement", "laundry room", "roof",
        "elevator", "entrance", "front door of the building", "building entrance", "mailroom", "mail room",
        "parking lot", "garage", "courtyard", "backyard", "sidewalk", "trash room", "common area", "pasillo",
        "vestíbulo", "vestibulo", "escalera", "escaleras", "sótano", "sotano", "lavandería", "lavanderia",
        "azotea", "ascensor", "elevador", "entrada del edificio", "buzones", "estacionamiento", "garaje",
        "patio", "acera", "cuarto de la basura", "área común", "area comun",
    ];
    location.is_some_and(|l| {
        let l = format!(" {} ", l.to_lowercase());
        COMMON.iter().any(|c| l.contains(&format!(" {c} ")))
    })
}

/// A corrected detail, as `corrected` says it.
pub fn fixed_place(location: &str) -> String {
    format!("the {location}")
}

pub fn fixed_entry(entry: bool) -> String {
    if entry { "maintenance may come in when you're out" } else { "only when you're home" }.into()
}

pub fn fixed_note(access: &str) -> String {
    format!("the note: {}", to_you(access))
}

/// Said when a correction changed one detail, before the question still open.
pub fn corrected(what: &str) -> Vec<String> {
    vec![
        format!("Got it, {what}."),
        format!("Thanks, I've changed that to {what}."),
        format!("Okay, {what} then."),
        format!("Understood, {what}."),
    ]
}

/// The caller said the read-back was wrong, without saying what.
pub fn what_to_fix() -> Vec<String> {
    lines([
        "Sorry about that. What should I change?",
        "Okay, what did I get wrong?",
        "No problem. Which part should I fix?",
    ])
}

/// Another request, heard while one is being taken: it comes next.
pub fn queued() -> Vec<String> {
    lines([
        "Got it, I'll take that one right after this.",
        "Okay, I'll put that in as its own request next.",
        "Noted, that one's next.",
    ])
}

/// Starting the request that was waiting its turn.
pub fn next_request(summary: &str) -> Vec<String> {
    vec![format!("Now, about {summary}."), format!("Next, {summary}."), format!("And now {summary}.")]
}

pub fn which_unit() -> Vec<String> {
    lines([
        "One more thing before I send it: which unit are you in?",
        "Before I send that, can you tell me your unit number?",
    ])
}

/// After a request whose caller did not confirm their unit: nobody goes in on a caller ID.
pub fn entry_waits_for_staff() -> Vec<String> {
    lines([
        "Before anyone goes in, the office will check with you first.",
        "The team will confirm with you before anyone enters.",
    ])
}

/// A request filed. Its priority changes nothing the caller does or hears next, so it is not
/// said (an emergency is said, because it changes everything).
pub fn filed() -> Vec<String> {
    lines([
        "Thanks! Your maintenance request is in, and the team will follow up with you.",
        "All set, your request has been sent to our maintenance team.",
        "That one's in too, and the team will follow up on it.",
        "Done, that request is with our maintenance team as well.",
    ])
}

pub fn connecting(staff: Option<&str>) -> Vec<String> {
    match staff {
        Some(name) => vec![
            format!("Sure! I'll connect you to the office so you can speak with {name}. One moment."),
            format!("Let me put you through to the office for {name}. One moment please."),
        ],
        None => lines([
            "Sure, I'll connect you to the office now. One moment.",
            "Okay, putting you through to the office. Please hold.",
        ]),
    }
}

pub fn after_hours(closed: &str) -> Vec<String> {
    vec![
        format!("{closed} I can take a message for the team. Would you like to leave one?"),
        format!("{closed} Would you like to leave a message for the office staff?"),
    ]
}

/// What to do right now, before anyone is called: said first for the gravest hazards.
pub fn life_safety(hazard: Hazard) -> Option<Vec<String>> {
    let line = match hazard {
        Hazard::Gas => {
            "If you smell gas, leave the building right away. Don't use light switches or flames, and call 911 once you're outside."
        }
        Hazard::CarbonMonoxide => "Please get everyone outside into fresh air right away, and call 911.",
        Hazard::Fire | Hazard::Smoke => "Please get everyone out of the building now, and call 911.",
        Hazard::Electrical => {
            "Please stay away from it and don't touch anything near it. If you see smoke or flames, get out and call 911."
        }
        Hazard::StructuralCollapse => {
            "Please get everyone away from that area right away, and call 911 if anyone is hurt or it's still moving."
        }
        Hazard::ElevatorEntrapment => {
            "Please stay calm and stay inside the elevator; don't try to climb out. Press the alarm button, and call 911 if anyone is hurt or unwell."
        }
        _ => return None,
    };
    Some(vec![line.into(), format!("Your safety comes first. {line}")])
}

/// A hazard heard through a bad line: asked about once, briefly.
pub fn check_hazard(hazard: Hazard) -> Vec<String> {
    let what = match hazard {
        Hazard::Gas => "you smell gas",
        Hazard::CarbonMonoxide => "there's carbon monoxide",
        Hazard::Fire => "there's a fire",
        Hazard::Smoke => "there's smoke",
        Hazard::Electrical => "there are sparks or exposed wires",
        Hazard::StructuralCollapse => "something is collapsing",
        Hazard::ElevatorEntrapment => "someone is stuck in an elevator",
        Hazard::Flooding => "there's flooding",
        Hazard::Sewage => "sewage is backing up",
        Hazard::NoWater => "you have no water",
        Hazard::NoHeat => "you have no heat",
        Hazard::BlockedExit => "ice or snow is blocking your way out",
        Hazard::NoHotWater => "you have no hot water",
        Hazard::EntryDoor => "the building's entry door is broken",
        Hazard::UnsecuredUnit => "your home can't be locked",
        Hazard::LockoutAtRisk => "you're locked out with someone at risk inside",
        Hazard::Lockout => "you're locked out",
        Hazard::NoAirConditioning => "your air conditioning is out",
        Hazard::CloggedToilet => "your toilet is clogged",
    };
    vec![
        format!("Sorry, the line isn't clear. Did you say {what}?"),
        format!("I want to be sure I heard you. Did you say {what}?"),
    ]
}

pub fn misheard() -> Vec<String> {
    lines(["Okay, sorry, I misheard.", "All right, thanks for clearing that up."])
}

/// Whether the safety line told the caller to get out: then nothing may ask them to stay.
pub fn evacuates(hazard: Hazard) -> bool {
    matches!(hazard, Hazard::Gas | Hazard::CarbonMonoxide | Hazard::Fire | Hazard::Smoke)
}

/// On-call is being rung. A caller told to leave is not asked to stay on the line: they hear
/// that the call goes on while they get out, and 911 comes first.
pub fn emergency_connecting(evacuate: bool) -> Vec<String> {
    if evacuate {
        return lines([
            "I'm connecting you to our on-call team now. If you're still inside, get out first, and call 911 from outside.",
            "I'm calling our on-call team for you right now. If you're still inside, leave first and call 911 once you're out.",
        ]);
    }
    lines([
        "This is an emergency, so I'm connecting you to our on-call team right now. Please stay on the line.",
        "I'm treating this as an emergency and calling our on-call team for you now. Please hold.",
    ])
}

pub fn on_call_again(evacuate: bool) -> Vec<String> {
    if evacuate {
        return lines([
            "Let me try our on-call line for you again now. If you're still inside, get out first and call 911.",
            "I'll ring the on-call team for you once more. Please make sure you're outside, and call 911 if you haven't.",
        ]);
    }
    lines([
        "Let me try our on-call line for you again. Please stay on the line.",
        "I'll ring the on-call team for you once more. Please hold.",
    ])
}

/// The last words of a call whose emergency on-call did not answer: exactly what happens
/// next, never a routine goodbye.
pub fn emergency_goodbye(texting: bool) -> Vec<String> {
    let what = if texting {
        "The on-call team has your emergency by text and will call you back"
    } else {
        "Your emergency is at the top of the office's list, marked urgent, for the first staff member who checks it"
    };
    vec![
        format!("{what}. If anyone is in danger, call 911. Goodbye."),
        format!("{what}. Please call 911 if anyone is in danger. Take care."),
    ]
}

pub fn transfer_done() -> Vec<String> {
    lines(["Thanks for calling. Goodbye!", "Thanks for calling, and take care!"])
}

pub fn nobody_answered() -> Vec<String> {
    lines([
        "Sorry, nobody could pick up just now. I can take a message for the team. Please go ahead, and include your name and number.",
        "I couldn't reach anyone at the moment. Tell me your message, with your name and number, and I'll pass it along.",
    ])
}

/// On-call did not answer. Exactly what happens next, which depends on whether texts can be
/// sent: never "they have your emergency" when nobody will be told until staff look.
pub fn on_call_unreachable(texting: bool) -> Vec<String> {
    let what = if texting {
        "so I'm texting your emergency to the on-call team now, and it goes to the top of the office's list, marked urgent."
    } else {
        "I can't send texts from here, so your emergency goes to the top of the office's list, marked urgent, for the first staff member who checks it."
    };
    vec![
        format!(
            "I couldn't reach the on-call person by phone, {what} If anyone is in danger, hang up and call 911. What's the best number to call you back, and is there anything they should know?"
        ),
        format!(
            "The on-call line didn't pick up, {what} If anyone is in danger, call 911. How can they reach you, and what else should they know?"
        ),
    ]
}

pub fn ask_follow_up() -> Vec<String> {
    lines([
        "What's the best number to call you back about the emergency?",
        "How can the team reach you about this? A phone number is best.",
    ])
}

/// The caller's details are added to the emergency's follow-up: said as what happens.
pub fn follow_up_taken(texting: bool, callback: Option<&str>) -> Vec<String> {
    let number = callback.map(|n| format!(" with your number, {n}")).unwrap_or_default();
    let what = if texting {
        format!("I'm texting that to the on-call team too{number}.")
    } else {
        format!("I've added that to your emergency at the top of the office's list{number}.")
    };
    vec![
        format!("Thank you. {what} If anyone is in danger, call 911."),
        format!("Got it. {what} Please call 911 if anyone is in danger."),
    ]
}

/// "Go ahead with your message", asking for a name and a number only when the call does not
/// know them.
pub fn ask_message(name: bool, number: bool) -> Vec<String> {
    let with = match (name, number) {
        (true, true) => ", and include your name and number",
        (true, false) => ", and include your name",
        (false, true) => ", and include your number",
        (false, false) => "",
    };
    vec![
        format!("Sure, go ahead with your message{with}."),
        format!("Okay, I'm listening. Please say your message{with}."),
        format!("Please say your message now{with}."),
    ]
}

/// A message as it will be passed on: who it is for and from, what it says, the number.
pub fn message_read_back(note: &Note) -> Vec<String> {
    let to = note.to.as_deref().unwrap_or("the office team");
    let from = note.from.as_ref().map(|name| format!(" from {name}")).unwrap_or_default();
    let gist = note.gist.as_deref().unwrap_or_default();
    let number = note.callback.as_ref().map(|p| format!(", at {}", p.spoken())).unwrap_or_default();
    let message = format!("a message for {to}{from}: {gist}{number}");
    vec![
        format!("I have {message}. Should I pass that along?"),
        format!("So that's {message}. Is that right?"),
        format!("Okay, {message}. Shall I send it?"),
    ]
}

/// The message as staff list it: the read-back's words.
pub fn message_summary(note: &Note) -> String {
    let to = note.to.as_deref().unwrap_or("the office team");
    let from = note.from.as_ref().map(|name| format!(" from {name}")).unwrap_or_default();
    let what =
        [note.unit.clone(), note.when.clone(), note.gist.clone()].into_iter().flatten().collect::<Vec<_>>();
    let number = note.callback.as_ref().map(|p| format!(", at {}", p.spoken())).unwrap_or_default();
    format!("For {to}{from}: {}{number}", what.join(", "))
}

/// A message taken after an emergency: the emergency's own closing words follow.
pub fn message_kept() -> Vec<String> {
    lines(["Your message is saved for the office staff.", "I've saved your message for the team."])
}

pub fn message_taken(reference: Option<&str>) -> Vec<String> {
    with_reference(
        reference,
        [
            ("Got it. I'll pass your message to the team.", "Thanks for calling, and take care!"),
            ("Your message is saved for the office staff.", "Thanks so much for calling!"),
        ],
    )
}

/// Who is calling, where, and the number to call back, for a text to staff.
fn about(caller: &Caller, callback: Option<&crate::phone::Phone>, label: &str) -> String {
    let who = caller.name.as_deref().unwrap_or("Unknown caller");
    let unit = caller.unit.as_deref().map(|u| format!(", unit {u}")).unwrap_or_default();
    let property = caller.property.as_deref().map(|p| format!(", {p}")).unwrap_or_default();
    let phone = callback.map(|p| format!(", {label} {}", p.spoken())).unwrap_or_default();
    format!("{who}{unit}{property}{phone}")
}

/// The text on-call staff receive: what, who, where, how to call back, in the caller's words.
pub fn on_call_page(hazard: Hazard, caller: &Caller, words: &str) -> String {
    let about = about(caller, caller.phone.as_ref(), "callback");
    format!("EMERGENCY ({}): {about}. Caller said: \"{}\"", hazard.describe(), quote(words))
}

/// The text an emergency's follow-up sends: on-call did not answer, and who to call back.
pub fn follow_up_page(
    hazard: Hazard,
    caller: &Caller,
    callback: Option<&crate::phone::Phone>,
    words: &str,
) -> String {
    let about = about(caller, callback.or(caller.phone.as_ref()), "call back");
    format!(
        "EMERGENCY FOLLOW-UP ({}): on-call did not answer. {about}. Caller said: \"{}\"",
        hazard.describe(),
        quote(words)
    )
}

/// The text for a hazard heard through a bad line whose caller hung up before confirming it.
pub fn hung_up_page(hazard: Hazard, caller: &Caller, words: &str) -> String {
    let about = about(caller, caller.phone.as_ref(), "call back");
    format!(
        "POSSIBLE EMERGENCY ({}): heard on a bad line, the caller hung up before confirming. {about}. \
         Caller said: \"{}\"",
        hazard.describe(),
        quote(words)
    )
}

fn staff_names(office: &Office) -> String {
    match office.staff.as_slice() {
        [] => "our team".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_never_repeats_a_line() {
        let mut said = Vec::new();
        for _ in 0..30 {
            let line = pick(&said, anything_else());
            assert!(!said.contains(&line), "{line} said twice");
            said.push(line);
        }
        assert!(said[29].starts_with("Let me say that a "), "{}", said[29]);
    }

    #[test]
    fn quote_keeps_short_words_and_cuts_long_ones() {
        assert_eq!(quote("  my sink   is leaking. "), "my sink is leaking");
        let long = "water ".repeat(2000);
        let cut = quote(&long);
        assert!(cut.len() < 200 && cut.ends_with(", and so on"), "{cut}");
    }
}
