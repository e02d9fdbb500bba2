//! Life-safety vocabulary: how callers say that something dangerous is happening, as data,
//! one table per language (`en`, `es`; more languages add a table, not code). The keyword
//! rules read every utterance against them; whether a hazard heard is an emergency is decided
//! by the machine (the life-safety core always, the rest by the office's policy).

mod en;
mod es;

use super::heard::Heard;
use super::reading::Hazard;

pub use en::ENGLISH;
pub use es::SPANISH;

/// One way of saying a hazard: a phrase of every group in `all`, and none of `unless`.
pub struct Sign {
    pub hazard: Hazard,
    pub all: &'static [&'static [&'static str]],
    pub unless: &'static [&'static str],
}

/// A language's table.
pub struct Vocabulary {
    pub signs: &'static [Sign],
    /// Words that only name a danger ("gas", "smoke"), for a caller who is not understood.
    pub mentions: &'static [(Hazard, &'static [&'static str])],
}

impl Vocabulary {
    /// Every hazard the utterance says is happening, gravest first.
    pub fn heard(&self, heard: &Heard) -> Vec<Hazard> {
        let mut found: Vec<Hazard> = self
            .signs
            .iter()
            .filter(|sign| sign.all.iter().all(|group| heard.has(group)) && !heard.has(sign.unless))
            .map(|sign| sign.hazard)
            .collect();
        found.sort();
        found.dedup();
        found
    }

    /// The gravest hazard the utterance names at all, happening or not.
    pub fn mentioned(&self, heard: &Heard) -> Option<Hazard> {
        self.mentions.iter().filter(|(_, words)| heard.has(words)).map(|(hazard, _)| *hazard).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heard(text: &str) -> Vec<Hazard> {
        ENGLISH.heard(&Heard::new(text))
    }

    fn first(text: &str) -> Option<Hazard> {
        heard(text).first().copied()
    }

    #[test]
    fn every_sign_has_words_and_every_group_is_lower_case_without_apostrophes() {
        for sign in ENGLISH.signs {
            assert!(!sign.all.is_empty() && sign.all.iter().all(|g| !g.is_empty()), "{:?}", sign.hazard);
            for phrase in sign.all.iter().flat_map(|g| g.iter()).chain(sign.unless) {
                assert_eq!(Heard::new(phrase).text().trim(), *phrase, "{phrase:?} can never match");
            }
        }
    }

    #[test]
    fn the_life_safety_core_in_everyday_words() {
        assert_eq!(first("it stinks of gas in the hallway"), Some(Hazard::Gas));
        assert_eq!(first("smells like rotten eggs by the boiler"), Some(Hazard::Gas));
        assert_eq!(first("the gas detector is beeping"), Some(Hazard::Gas));
        assert_eq!(first("the CO alarm won't stop"), Some(Hazard::CarbonMonoxide));
        assert_eq!(first("we all feel dizzy and sick and the furnace is on"), Some(Hazard::CarbonMonoxide));
        assert_eq!(first("my dryer caught fire"), Some(Hazard::Fire));
        assert_eq!(first("the fire alarm is going off"), Some(Hazard::Fire));
        assert_eq!(first("the smoke alarm is going off nonstop"), Some(Hazard::Smoke));
        assert_eq!(first("black smoke in the stairwell"), Some(Hazard::Smoke));
        assert_eq!(first("I got shocked by the light switch"), Some(Hazard::Electrical));
        assert_eq!(first("the plug melted"), Some(Hazard::Electrical));
        assert_eq!(first("part of the ceiling fell down"), Some(Hazard::StructuralCollapse));
        assert_eq!(first("the balcony is pulling away from the wall"), Some(Hazard::StructuralCollapse));
        assert_eq!(first("my mom is trapped in the elevator"), Some(Hazard::ElevatorEntrapment));
        assert_eq!(first("water is coming out of the light fixture"), Some(Hazard::Flooding));
        assert_eq!(first("the upstairs tub overflowed"), Some(Hazard::Flooding));
        assert_eq!(first("the toilet is backing up into the tub"), Some(Hazard::Sewage));
    }

    #[test]
    fn what_office_policy_decides() {
        assert_eq!(first("we don't have any heat"), Some(Hazard::NoHeat));
        assert_eq!(first("the water never gets hot anymore"), Some(Hazard::NoHotWater));
        assert_eq!(first("nothing comes out when I turn on the faucet"), Some(Hazard::NoWater));
        assert_eq!(first("the lobby door lock is broken, anyone can walk in"), Some(Hazard::EntryDoor));
        assert_eq!(first("my window got smashed and I can't lock it"), Some(Hazard::UnsecuredUnit));
        assert_eq!(
            first("snow is piled against the door and it's the only way out"),
            Some(Hazard::BlockedExit)
        );
        assert_eq!(first("my toddler locked the door and he's inside alone"), Some(Hazard::LockoutAtRisk));
        assert_eq!(first("I lost my keys"), Some(Hazard::Lockout));
    }

    #[test]
    fn near_misses_share_the_words_but_not_the_danger() {
        for quiet in [
            "my smoke detector keeps chirping",
            "the smoke alarm is chirping every minute, it needs a new battery",
            "the carbon monoxide detector is chirping",
            "the smoke detector goes off every time I make toast",
            "I have a question about my gas bill",
            "is there going to be a fire drill today",
            "when is the next fire inspection",
            "is smoking allowed in the building",
            "is the building in a flood zone",
            "there's a water stain on my ceiling",
            "the hot water runs out really fast",
            "my apartment is too hot, the radiator won't shut off",
            "the pilot light on the water heater went out",
            "there's no water pressure in the shower",
            "who do I call if the elevator gets stuck",
            "the fire escape window is stuck",
            "the vegas trip was great",
        ] {
            assert_eq!(heard(quiet), [], "{quiet}");
        }
    }

    #[test]
    fn several_hazards_in_one_breath_are_all_heard_gravest_first() {
        assert_eq!(
            heard("the outlet is sparking and there's water pouring from the ceiling and I smell gas"),
            [Hazard::Gas, Hazard::Electrical, Hazard::Flooding]
        );
    }

    #[test]
    fn mentions_name_a_danger_without_a_sentence_around_it() {
        assert_eq!(ENGLISH.mentioned(&Heard::new("gas... the gas")), Some(Hazard::Gas));
        assert_eq!(ENGLISH.mentioned(&Heard::new("smoke, fire")), Some(Hazard::Fire));
        assert_eq!(ENGLISH.mentioned(&Heard::new("my sink")), None);
    }
}
