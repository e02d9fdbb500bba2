//! English: how callers say that something dangerous is happening.
//!
//! A sign is heard when the utterance says one phrase of every group in `all` and none of
//! `unless`. `unless` holds the near-misses that share the words but not the danger: a
//! detector chirping for a battery, a gas bill, a fire drill, a flood zone.

use super::{Sign, Vocabulary};
use crate::call::reading::Hazard;

pub const ENGLISH: Vocabulary = Vocabulary { signs: SIGNS, mentions: MENTIONS };

/// Talk about a danger that is not happening now: questions, paperwork, tests, batteries.
const NOT_NOW: &[&str] = &[
    "bill", "bills", "included", "insurance", "inspection", "drill", "policy", "zone", "allowed",
    "in my name", "who do i call", "what do i do if", "what happens if", "is that true", "pays for",
    "pay for",
];
/// A detector asking for a battery, or tripped by cooking, rather than sounding an alarm.
const BATTERY: &[&str] = &[
    "chirp", "chirps", "chirping", "chirped", "battery", "batteries", "every minute", "every thirty seconds",
    "every 30 seconds", "every few minutes", "every time i", "toast", "missing", "fell off", "hanging",
    "expired", "change the", "car alarm", "alarm clock", "burglar alarm", "test", "testing",
];
/// An alarm or detector sounding.
const SOUNDING: &[&str] = &[
    "going off", "goes off", "went off", "keeps going off", "wont stop", "ringing", "blaring", "screaming",
    "sounding", "nonstop", "non stop", "beeping", "beeps", "beep", "loud",
];
/// A heating system not heating.
const NOT_HEATING: &[&str] = &[
    "broken", "broke", "not working", "isnt working", "doesnt work", "dont work", "stopped", "out", "off",
    "not on", "died", "dead", "went out", "ice cold", "cold", "isnt coming on", "wont come on",
    "wont turn on",
];

const SIGNS: &[Sign] = &[
    // Gas.
    Sign {
        hazard: Hazard::Gas,
        all: &[&[
            "smell gas", "smells like gas", "smell like gas", "smell of gas", "smelling gas",
            "smells of gas", "stinks of gas", "stink of gas", "stinks like gas", "gas smell", "gas smells",
            "gas odor", "gas odour", "odor of gas", "gas leak", "gas leaking", "leaking gas",
            "gas is leaking", "rotten eggs", "rotten egg", "smell natural gas", "natural gas smell",
            "sulfur smell", "sulphur smell", "smells like sulfur", "gas coming out", "hissing gas",
        ]],
        unless: NOT_NOW,
    },
    Sign {
        hazard: Hazard::Gas,
        all: &[&["gas detector", "gas alarm", "gas meter alarm", "methane detector"], SOUNDING],
        unless: BATTERY,
    },
    // Carbon monoxide: the detector, the word, and the symptoms.
    Sign {
        hazard: Hazard::CarbonMonoxide,
        all: &[&[
            "carbon monoxide", "monoxide", "co detector", "co alarm", "c o detector", "c o alarm",
            "co detectors", "co monitor",
        ]],
        unless: &[
            "chirp", "chirps", "chirping", "battery", "batteries", "missing", "expired", "install",
            "replace", "inspection", "insurance", "change the",
        ],
    },
    Sign {
        hazard: Hazard::CarbonMonoxide,
        all: &[
            &[
                "headache", "headaches", "head is pounding", "dizzy", "dizziness", "lightheaded",
                "light headed", "nauseous", "nausea", "throwing up", "vomiting", "feel sick", "feeling sick",
                "passing out", "passed out", "fainted", "drowsy",
            ],
            &[
                "everyone", "we all", "all of us", "were all", "kids", "family", "both of us", "heater",
                "furnace", "boiler", "inside the apartment", "in the apartment", "all night", "stove",
            ],
        ],
        unless: NOT_NOW,
    },
    // Fire, and the fire alarm sounding.
    Sign {
        hazard: Hazard::Fire,
        all: &[&[
            "fire", "fires", "on fire", "caught fire", "catching fire", "flames", "flame", "burning",
            "ablaze",
        ]],
        unless: &[
            "fire escape", "fire extinguisher", "fire extinguishers", "fire drill", "fire inspection",
            "fire door", "exit sign", "lease is on fire", "insurance", "inspection", "drill", "chirp",
            "chirping", "battery", "battery warning", "fire alarm has", "fired", "ceasefire",
        ],
    },
    // Smoke, and smoke detectors or alarms sounding (not chirping).
    Sign {
        hazard: Hazard::Smoke,
        all: &[&["smoke", "smoky", "smoking", "haze", "hazy"]],
        unless: &[
            "detector", "detectors", "alarm", "alarms", "smoke free", "no smoking", "smoking allowed",
            "allowed", "smoker", "smokers", "cigarette", "cigarettes", "policy", "weed",
        ],
    },
    Sign {
        hazard: Hazard::Smoke,
        all: &[
            &[
                "smoke detector", "smoke detectors", "smoke alarm", "smoke alarms", "detector", "alarm",
                "alarms",
            ],
            SOUNDING,
        ],
        unless: BATTERY,
    },
    // Electrical: sparks, exposed or live wires, shocks, a melted or scorched outlet.
    Sign {
        hazard: Hazard::Electrical,
        all: &[&[
            "sparks", "sparking", "spark", "sparked", "exposed wire", "exposed wires", "exposed wiring",
            "live wire", "live wires", "wire hanging", "wires hanging", "hanging wires", "wire is exposed",
            "wires are exposed", "got shocked", "got a shock", "shocked me", "electrocuted", "arcing",
        ]],
        unless: &["spark plug", "smoke detector"],
    },
    Sign {
        hazard: Hazard::Electrical,
        all: &[
            &["melted", "melting", "scorched", "burn marks", "hot to the touch", "buzzing and hot"],
            &["outlet", "outlets", "plug", "switch", "cord", "wire", "wires", "panel", "breaker", "socket"],
        ],
        unless: &[],
    },
    // Structural danger of any kind.
    Sign {
        hazard: Hazard::StructuralCollapse,
        all: &[
            &[
                "collapsed", "collapsing", "collapse", "caving in", "caved in", "fell down", "fell in",
                "came down", "coming down", "falling down", "falling in", "give way", "giving way",
                "gave way", "sinking", "pulling away", "broke through", "fell through", "going to come down",
                "sagging", "buckling",
            ],
            &[
                "ceiling", "roof", "wall", "walls", "floor", "stairs", "staircase", "steps", "balcony",
                "porch", "deck", "building", "foundation", "beam", "tree", "fire escape",
            ],
        ],
        unless: NOT_NOW,
    },
    // Someone trapped in an elevator.
    Sign {
        hazard: Hazard::ElevatorEntrapment,
        all: &[
            &["elevator", "elevators", "lift"],
            &[
                "stuck", "trapped", "stopped between", "between floors", "people inside", "someone inside",
                "with people", "doors wont open", "cant get out",
            ],
        ],
        unless: &["who do i call", "what do i do if", "what happens if", "if the elevator", "gets stuck"],
    },
    // Water pouring in, through ceilings or fixtures.
    Sign {
        hazard: Hazard::Flooding,
        all: &[&[
            "flood", "flooding", "flooded", "burst pipe", "pipe burst", "pipe broke", "busted pipe",
            "water everywhere", "water is everywhere", "water all over", "inches of water", "under water",
            "underwater", "knee deep", "ankle deep",
        ]],
        unless: &["zone", "insurance", "flood light", "floodlight", "flood lights"],
    },
    Sign {
        hazard: Hazard::Flooding,
        all: &[
            &["ceiling", "light fixture", "fixture", "the light", "ceiling light"],
            &[
                "water", "leak", "leaking", "dripping", "pouring", "gushing", "raining", "coming through",
                "pours",
            ],
        ],
        unless: &["stain", "stains", "small drip", "few drops", "a little", "fan", "ceiling fan"],
    },
    Sign {
        hazard: Hazard::Flooding,
        all: &[
            &[
                "burst", "overflowed", "overflowing", "overflows", "gushing", "pouring out",
                "wont stop running",
            ],
            &["water", "pipe", "pipes", "tub", "bathtub", "toilet", "heater", "sink", "tank", "washer"],
        ],
        unless: &[],
    },
    // Sewage.
    Sign {
        hazard: Hazard::Sewage,
        all: &[&["sewage", "sewer water", "raw sewage", "poop water", "brown water", "sewer is backing up"]],
        unless: &["bill", "sewer bill"],
    },
    Sign {
        hazard: Hazard::Sewage,
        all: &[
            &["toilet", "drain", "drains", "tub", "shower", "sink", "basement"],
            &["backing up", "backed up", "back up", "coming up", "comes up"],
        ],
        unless: &[],
    },
    // No water at all.
    Sign {
        hazard: Hazard::NoWater,
        all: &[&[
            "no water", "no running water", "water is off", "water is shut off", "water got shut off",
            "water shut off", "nothing comes out", "no water coming out", "water isnt coming out",
            "water stopped", "dont have water", "dont have any water",
        ]],
        unless: &["pressure", "notice", "will be", "bill", "hot water"],
    },
    // No heat.
    Sign {
        hazard: Hazard::NoHeat,
        all: &[&[
            "no heat", "no heating", "not getting heat", "not getting any heat", "dont have heat",
            "dont have any heat", "dont have heating", "without heat", "freezing in here", "its freezing",
            "freezing in my apartment", "radiator is cold", "radiators are cold", "radiators are ice cold",
            "radiator is ice cold", "degrees in my apartment", "degrees in here", "has no heat",
            "have no heat", "heat is out", "heat went out",
        ]],
        unless: &["too hot", "too high", "lukewarm", "space heater", "water heater", "inspection"],
    },
    Sign {
        hazard: Hazard::NoHeat,
        all: &[&["heat", "heating", "heater", "boiler", "furnace", "radiator", "radiators"], NOT_HEATING],
        unless: &[
            "too hot", "too high", "wont shut off", "turn it down", "lukewarm", "space heater",
            "water heater", "hot water", "pilot", "inspection", "warm enough", "banging", "hissing",
        ],
    },
    // Ice or snow blocking the only way out.
    Sign {
        hazard: Hazard::BlockedExit,
        all: &[
            &["snow", "ice", "icy", "snowed"],
            &[
                "only way out", "only exit", "cant get out", "cant open the door", "blocked", "blocking",
                "trapped", "stuck inside", "snowed in",
            ],
        ],
        unless: &["walkway out front", "gutter", "parking"],
    },
    // No hot water.
    Sign {
        hazard: Hazard::NoHotWater,
        all: &[&[
            "no hot water", "only cold water", "only getting cold water", "water never gets hot",
            "water doesnt get hot", "water wont get hot", "water isnt hot", "water is ice cold",
            "cold showers", "dont have hot water",
        ]],
        unless: &["runs out", "too slowly", "too hot"],
    },
    Sign {
        hazard: Hazard::NoHotWater,
        all: &[
            &["hot water"],
            &["broken", "not working", "isnt working", "doesnt work", "stopped", "out", "off", "gone"],
        ],
        unless: &["runs out", "too slowly", "too hot", "fine", "bill"],
    },
    // The building's entry left open to anyone.
    Sign {
        hazard: Hazard::EntryDoor,
        all: &[
            &[
                "front door of the building", "building door", "entrance door", "entry door", "lobby door",
                "main door", "main entrance", "front entrance", "street door", "buildings front door",
                "building entrance",
            ],
            &[
                "broken", "wont lock", "doesnt lock", "not locking", "cant lock", "wont close",
                "doesnt close", "stays open", "propped open", "wide open", "lock is broken",
                "anyone can walk in", "anyone can get in",
            ],
        ],
        unless: NOT_NOW,
    },
    // A door or window broken so that the home cannot be secured.
    Sign {
        hazard: Hazard::UnsecuredUnit,
        all: &[
            &["door", "window", "windows", "sliding door"],
            &[
                "smashed", "shattered", "kicked in", "broken into", "broke in", "busted", "broke my",
                "broke the", "broken",
            ],
            &[
                "wont lock", "cant lock", "wont close", "cant close", "wont shut", "wide open",
                "anyone could get in", "anyone can get in", "cant secure", "doesnt lock",
            ],
        ],
        unless: &[],
    },
    // Locked out, with someone (or something) at risk inside.
    Sign {
        hazard: Hazard::LockoutAtRisk,
        all: &[
            &[
                "locked out", "lock myself out", "locked myself out", "cant get in", "locked the door",
                "locked in", "locked inside",
            ],
            &[
                "baby", "child", "kid", "kids", "children", "toddler", "stove", "oven", "medication",
                "medicine", "elderly", "alone", "mother", "father", "mom", "dad", "grandmother",
                "grandfather",
            ],
        ],
        unless: &[],
    },
    Sign {
        hazard: Hazard::Lockout,
        all: &[&[
            "locked out", "lock myself out", "locked myself out", "cant get in", "lost my keys",
            "lost my key",
        ]],
        unless: &[],
    },
    Sign {
        hazard: Hazard::NoAirConditioning,
        all: &[
            &["ac", "a c", "air conditioning", "air conditioner"],
            &["broken", "not working", "isnt working", "doesnt work", "stopped", "out", "off"],
        ],
        unless: &[],
    },
    Sign {
        hazard: Hazard::CloggedToilet,
        all: &[&["toilet"], &["clogged", "blocked", "wont flush", "not flushing", "doesnt flush"]],
        unless: &[],
    },
];

/// Words that name a danger without saying it is happening: a caller who keeps saying them
/// and is not understood still reaches a person (see `machine`).
const MENTIONS: &[(Hazard, &[&str])] = &[
    (Hazard::Gas, &["gas"]),
    (Hazard::CarbonMonoxide, &["carbon monoxide", "monoxide"]),
    (Hazard::Fire, &["fire", "flames"]),
    (Hazard::Smoke, &["smoke", "smoky"]),
    (Hazard::Electrical, &["sparks", "sparking", "wires"]),
    (Hazard::StructuralCollapse, &["collapse", "collapsed", "collapsing"]),
    (Hazard::ElevatorEntrapment, &["trapped"]),
    (Hazard::Flooding, &["flood", "flooding", "flooded", "pouring"]),
    (Hazard::Sewage, &["sewage"]),
];
