//! Is the model worth asking this turn? Only if its line could be spoken. Some turns the
//! keyword rules read with certainty and the machine then answers in fixed words or a fixed
//! protocol whatever the model would propose: asking it there only makes the caller wait.

use super::machine::MIN_CONFIDENCE;
use super::reading::{Intent, Reading};
use super::{Call, Event, Facts, Field, Next, Stage};

/// Answers longer than this are not "a clear yes or no" (or a plain goodbye): the caller
/// said more, and the model may read it better.
const CLEAR_WORDS: usize = 8;

/// Whether to ask the model, and when not, why not (recorded with the turn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    Model,
    RulesAlone(Skip),
}

/// Why the rules answered a turn alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Skip {
    /// A clear yes or no to a read-back: the machine files or starts over in fixed words.
    YesOrNo,
    /// A callback number (or "this number"): the read-back follows, in fixed words.
    CallbackNumber,
    /// The fixed emergency protocol speaks, never the model.
    Emergency,
    /// The call ends with the rules' goodbye.
    Goodbye,
    /// Too unsure a transcript: the machine asks the caller to repeat.
    LowConfidence,
}

impl Skip {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Decides from the call as stored and the rules' reading of `text`, before any model.
pub fn decide(call: &Call, text: &str, confidence: Option<f64>, rules: &Reading, facts: &Facts) -> Ask {
    if confidence.is_some_and(|c| c < MIN_CONFIDENCE) {
        return Ask::RulesAlone(Skip::LowConfidence);
    }
    // What the machine would do with the rules' reading: the emergency path does not depend
    // on the model (a hazard either reader hears stands), nor does a goodbye that hangs up.
    let heard = Event::Heard { text: text.to_string(), confidence, reading: rules.clone() };
    let (after, turn) = super::step(call.clone(), heard, facts);
    if after.outcomes.emergency && !call.outcomes.emergency {
        return Ask::RulesAlone(Skip::Emergency);
    }
    let clear = text.split_whitespace().count() <= CLEAR_WORDS;
    if clear && turn.next == Next::Hangup && rules.intent == Some(Intent::Goodbye) {
        return Ask::RulesAlone(Skip::Goodbye);
    }
    match &call.stage {
        Stage::Confirming { .. } | Stage::TakingMessage { draft: Some(_), .. }
            if clear && rules.answer.is_some() =>
        {
            Ask::RulesAlone(Skip::YesOrNo)
        }
        Stage::Intake { asking: asking @ (Field::Callback | Field::CallbackNumber), .. }
            if rules.phone.is_some()
                || rules.this_number
                || (*asking == Field::Callback && rules.answer == Some(true)) =>
        {
            Ask::RulesAlone(Skip::CallbackNumber)
        }
        _ => Ask::Model,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::call::machine::tests::tenant;
    use crate::call::{Request, rules};
    use crate::knowledge::Knowledge;
    use crate::office::Office;
    use crate::phone::Phone;

    fn ask(stage: Stage, text: &str) -> Ask {
        let office = Office::load(None).unwrap();
        let knowledge = Knowledge::from_toml(crate::knowledge::SEED).unwrap();
        let now = chrono_tz::America::New_York.with_ymd_and_hms(2026, 12, 1, 10, 30, 0).unwrap();
        let facts = Facts {
            office: &office,
            knowledge: &knowledge,
            now: now.with_timezone(&Utc),
            texting: false,
            reference: None,
            linked: None,
        };
        let call = Call { stage, ..Call::new(tenant()) };
        decide(&call, text, Some(0.9), &rules::read(text, &office.staff), &facts)
    }

    fn full_request() -> Request {
        Request {
            problem: Some("the sink leaks".into()),
            location: Some("kitchen".into()),
            entry: Some(true),
            callback: Phone::parse("+17185550101"),
            ..Request::default()
        }
    }

    #[test]
    fn the_rules_answer_where_the_models_line_could_not_be_spoken() {
        let listening = || Stage::Listening { offer: None };
        assert_eq!(ask(listening(), "I smell gas in the kitchen"), Ask::RulesAlone(Skip::Emergency));
        assert_eq!(ask(listening(), "okay thanks, bye"), Ask::RulesAlone(Skip::Goodbye));
        let confirming = Stage::Confirming { request: full_request(), fixing: false };
        assert_eq!(ask(confirming, "yes, that's right"), Ask::RulesAlone(Skip::YesOrNo));
        let callback = Stage::Intake { request: Request::default(), asking: Field::CallbackNumber };
        assert_eq!(ask(callback, "718 555 0199"), Ask::RulesAlone(Skip::CallbackNumber));
        let callback = Stage::Intake { request: Request::default(), asking: Field::Callback };
        assert_eq!(ask(callback, "yes this number is fine"), Ask::RulesAlone(Skip::CallbackNumber));
    }

    #[test]
    fn the_model_is_asked_where_its_line_may_be_spoken() {
        assert_eq!(ask(Stage::Listening { offer: None }, "my kitchen sink is leaking"), Ask::Model);
        let problem = Stage::Intake { request: Request::default(), asking: Field::Problem };
        assert_eq!(ask(problem, "the faucet drips all night"), Ask::Model);
        // A long answer to a read-back may correct it: the model reads it.
        let confirming = Stage::Confirming { request: full_request(), fixing: false };
        let long = "no wait, it's actually the bathroom sink not the kitchen one, sorry about that";
        assert_eq!(ask(confirming, long), Ask::Model);
    }

    #[test]
    fn an_unsure_transcript_is_asked_again_without_the_model() {
        let office = Office::load(None).unwrap();
        let knowledge = Knowledge::from_toml(crate::knowledge::SEED).unwrap();
        let facts = Facts {
            office: &office,
            knowledge: &knowledge,
            now: Utc::now(),
            texting: false,
            reference: None,
            linked: None,
        };
        let call = Call::new(tenant());
        let text = "my sink";
        let rules = rules::read(text, &office.staff);
        assert_eq!(decide(&call, text, Some(0.2), &rules, &facts), Ask::RulesAlone(Skip::LowConfidence));
    }
}
