//! Reading what the caller said, as the turn asks for it: the `Reader` trait, the keyword
//! rules as a reader of their own, and the conversation a model reads with.

use std::time::Instant;

use super::reading::Interpretation;
use super::{Call, Facts};

/// Reads what the caller said: the keyword rules (`rules::Rules`) or a model over them.
#[async_trait::async_trait]
pub trait Reader: Send + Sync {
    /// Whether `read` uses the conversation so far: the turn only loads it for a reader that
    /// does.
    fn wants_conversation(&self) -> bool;
    /// Whether the reader would skip a model that is resting after repeated failures: then
    /// nothing is read early (only the final result's reading falls back to the rules).
    fn resting(&self) -> bool {
        false
    }
    /// Never fails and never waits past its own deadline.
    async fn read(
        &self,
        utterance: &str,
        facts: &Facts<'_>,
        conversation: Option<&Conversation<'_>>,
    ) -> Interpretation;
}

/// The rules as a reader of their own: what answers every turn when no model is configured.
pub struct Rules;

#[async_trait::async_trait]
impl Reader for Rules {
    fn wants_conversation(&self) -> bool {
        false
    }

    async fn read(&self, utterance: &str, facts: &Facts<'_>, _: Option<&Conversation<'_>>) -> Interpretation {
        let started = Instant::now();
        let reading = super::rules::read(utterance, &facts.office.staff);
        Interpretation { reading, model_error: None, usage: None, elapsed: started.elapsed() }
    }
}

/// The call so far, for a reader that wants it.
pub struct Conversation<'a> {
    pub call: &'a Call,
    /// Oldest first.
    pub history: &'a [Exchange],
}

/// One exchange: what the caller said (nothing for a greeting or silence) and the answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub caller: Option<String>,
    pub assistant: String,
}

/// Exchanges loaded for a reader that wants the conversation.
pub const HISTORY: usize = 6;
