//! The model as a reader of callers: GPT-4o (or any OpenAI-compatible server) over the
//! keyword rules.
//!
//! A brain reads; it never decides. `call::machine` decides what happens next, so no model
//! can talk a caller out of the emergency path or promise what the office does not do; and
//! whatever the model misses or fails at, the rules in `call::rules` answer.

mod breaker;
pub mod contract;
pub mod model;
pub mod negotiate;
pub mod prompt;
pub mod wire;
mod write;

use std::time::Instant;

use crate::call::Facts;
use crate::call::reader::{Conversation, Reader};
use crate::call::reading::{Interpretation, Reading};
use crate::call::rules;
pub use model::{Azure, Model, ModelSettings};
pub use negotiate::{Mode, Status};
pub use prompt::Context;
pub use wire::KeyHeader;

/// The model, with the keyword rules under it.
pub struct Brain {
    pub model: Model,
}

#[async_trait::async_trait]
impl Reader for Brain {
    fn wants_conversation(&self) -> bool {
        true
    }

    fn resting(&self) -> bool {
        self.model.resting()
    }

    /// Never fails and never waits past the model's deadline: when the model cannot read the
    /// caller, the rules do.
    async fn read(
        &self,
        utterance: &str,
        facts: &Facts<'_>,
        conversation: Option<&Conversation<'_>>,
    ) -> Interpretation {
        let started = Instant::now();
        let rules = rules::read(utterance, &facts.office.staff);
        let Some(conversation) = conversation else {
            return Interpretation {
                reading: rules,
                model_error: None,
                usage: None,
                elapsed: started.elapsed(),
            };
        };
        let context = Context {
            office: facts.office,
            knowledge: facts.knowledge,
            now: facts.now,
            call: conversation.call,
            history: conversation.history,
        };
        match self.model.read(&context, utterance).await {
            Ok((reading, usage)) => Interpretation {
                reading: with_safety_net(reading, rules),
                model_error: None,
                usage: Some(usage),
                elapsed: started.elapsed(),
            },
            Err(e) => {
                // A bad key or a wrong model name is logged once, when first seen (see
                // `negotiate`), not on every turn.
                if e.reported() {
                    tracing::debug!("model unavailable for this turn, the rules answer: {e}");
                } else {
                    tracing::warn!("model unavailable for this turn, the rules answer: {e}");
                }
                Interpretation {
                    reading: rules,
                    model_error: Some(e.to_string()),
                    usage: None,
                    elapsed: started.elapsed(),
                }
            }
        }
    }
}

/// The model reads the caller, but cannot talk anyone out of an emergency: a hazard either
/// brain hears stands (the graver one when they differ), and details the model missed but
/// the rules caught are kept. A model's yes or no to a question the caller asked is no answer.
fn with_safety_net(mut model: Reading, rules: Reading) -> Reading {
    model.hazard = match (model.hazard, rules.hazard) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    model.describes_problem |= rules.describes_problem;
    if rules.details.question {
        model.answer = None;
    }
    model.phone = model.phone.or(rules.phone);
    model.location = model.location.or(rules.location);
    model.language = model.language.or(rules.language);
    model.wants_language = model.wants_language.or(rules.wants_language);
    if model.also.is_empty() {
        model.also = rules.also;
    }
    // Corrections, questions and details said early are read by the rules for both brains.
    model.details = rules.details;
    model
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Language;

    #[test]
    fn the_rules_hear_a_request_for_spanish_that_the_model_left_out() {
        let model = Reading { language: Some(Language::English), ..Reading::default() };
        let rules = crate::call::rules::read("no hablo inglés, en español por favor", &[]);
        let reading = with_safety_net(model, rules);
        assert_eq!(reading.wants_language, Some(Language::Spanish));
        assert_eq!(reading.language, Some(Language::English), "the model's own reading stands");
    }
}
