//! GPT-4o (or any OpenAI-compatible server) reading the caller, through `async-openai`.
//!
//! One chat completion per caller turn, answered as a strict JSON schema: the reading and a
//! proposed reply together. The whole call, retries included, is bounded by the deadline;
//! after repeated failures the breaker skips the model for a while.

use std::time::{Duration, Instant};

use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::types::chat::{
    ChatCompletionRequestAssistantMessage, ChatCompletionRequestMessage, ChatCompletionRequestSystemMessage,
    ChatCompletionRequestUserMessage, CreateChatCompletionRequestArgs, ResponseFormat,
    ResponseFormatJsonSchema,
};
use serde::Deserialize;
use serde_json::json;

use super::breaker::Breaker;
use super::prompt::{self, Context};
use crate::call::reading::{Asks, Hazard, Intent, ModelReply, Reading, Topic, Usage};
use crate::phone::Phone;

/// Failures in a row that open the breaker, and how long it stays open.
const BREAKER_THRESHOLD: u32 = 3;
const BREAKER_COOLDOWN: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct ModelSettings {
    pub api_key: String,
    /// `None`: OpenAI's own API.
    pub base_url: Option<String>,
    pub model: String,
    pub deadline: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("no answer within the {0} ms deadline")]
    Deadline(u128),
    #[error("skipped: the model failed repeatedly and is resting")]
    Resting,
    #[error("request failed: {0}")]
    Api(#[from] OpenAIError),
    #[error("the model refused: {0}")]
    Refusal(String),
    #[error("the model called an unknown tool: {0}")]
    UnknownTool(String),
    #[error("the reply had no content")]
    Empty,
    #[error("the reply does not match the schema: {0}")]
    Schema(#[from] serde_json::Error),
}

pub struct Model {
    client: Client<OpenAIConfig>,
    settings: ModelSettings,
    breaker: Breaker,
}

impl Model {
    pub fn new(settings: ModelSettings) -> Model {
        let base = settings.base_url.clone().unwrap_or_else(|| "https://api.openai.com/v1".into());
        // The base is always set explicitly so a stray OPENAI_BASE_URL in the library's own
        // environment lookup never redirects us.
        let config = OpenAIConfig::new().with_api_key(settings.api_key.clone()).with_api_base(base);
        // The deadline bounds the whole exchange, retries included (see `read`); a request
        // still running then is dropped, which cancels it.
        let http =
            reqwest::Client::builder().connect_timeout(Duration::from_secs(2)).build().unwrap_or_default();
        Model {
            client: Client::with_config(config).with_http_client(http),
            settings,
            breaker: Breaker::new(BREAKER_THRESHOLD, BREAKER_COOLDOWN),
        }
    }

    pub fn name(&self) -> &str {
        &self.settings.model
    }

    /// Whether the breaker is open: the model is resting after repeated failures.
    pub fn resting(&self) -> bool {
        self.breaker.is_open(Instant::now())
    }

    pub async fn read(&self, ctx: &Context<'_>, utterance: &str) -> Result<(Reading, Usage), ModelError> {
        if !self.breaker.allow(Instant::now()) {
            return Err(ModelError::Resting);
        }
        let deadline = self.settings.deadline;
        let result = match tokio::time::timeout(deadline, self.ask(ctx, utterance)).await {
            Ok(result) => result,
            Err(_) => Err(ModelError::Deadline(deadline.as_millis())),
        };
        self.breaker.record(result.is_ok(), Instant::now());
        result
    }

    async fn ask(&self, ctx: &Context<'_>, utterance: &str) -> Result<(Reading, Usage), ModelError> {
        let request = CreateChatCompletionRequestArgs::default()
            .model(&self.settings.model)
            .messages(messages(ctx, utterance))
            .response_format(ResponseFormat::JsonSchema {
                json_schema: ResponseFormatJsonSchema {
                    name: "turn".into(),
                    description: Some("The reading of the caller's words and the next line to say".into()),
                    schema: schema(),
                    strict: Some(true),
                },
            })
            .max_completion_tokens(300u32)
            .temperature(0.4)
            .build()?;
        let response = self.client.chat().create(request).await?;
        let usage = response
            .usage
            .map(|u| Usage { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens })
            .unwrap_or(Usage { prompt_tokens: 0, completion_tokens: 0 });
        let message = response.choices.into_iter().next().ok_or(ModelError::Empty)?.message;
        if let Some(refusal) = message.refusal {
            return Err(ModelError::Refusal(refusal));
        }
        if let Some(call) = message.tool_calls.as_ref().and_then(|calls| calls.first()) {
            return Err(ModelError::UnknownTool(format!("{call:?}")));
        }
        let content = message.content.filter(|c| !c.trim().is_empty()).ok_or(ModelError::Empty)?;
        let output: Output = serde_json::from_str(&content)?;
        Ok((output.into_reading(&ctx.office.staff), usage))
    }
}

fn messages(ctx: &Context<'_>, utterance: &str) -> Vec<ChatCompletionRequestMessage> {
    let mut messages = vec![ChatCompletionRequestMessage::System(ChatCompletionRequestSystemMessage::from(
        prompt::system(ctx),
    ))];
    for exchange in ctx.window() {
        if let Some(caller) = &exchange.caller {
            let words = crate::call::lines::quote(caller);
            messages.push(ChatCompletionRequestMessage::User(ChatCompletionRequestUserMessage::from(words)));
        }
        messages.push(ChatCompletionRequestMessage::Assistant(ChatCompletionRequestAssistantMessage::from(
            exchange.assistant.as_str(),
        )));
    }
    let words = crate::call::lines::quote(utterance);
    messages.push(ChatCompletionRequestMessage::User(ChatCompletionRequestUserMessage::from(words)));
    messages
}

const INTENTS: &[&str] = &[
    "maintenance", "hours", "address", "person", "leasing", "policy", "thanks", "goodbye", "hello", "other",
];
const HAZARDS: &[&str] = &[
    "gas", "carbon_monoxide", "fire", "smoke", "electrical", "structural_collapse", "elevator_entrapment",
    "flooding", "sewage", "no_water", "no_heat", "blocked_exit", "no_hot_water", "entry_door",
    "unsecured_unit", "lockout_at_risk", "lockout", "no_air_conditioning", "clogged_toilet",
];
const TOPICS: &[&str] = &[
    "rent_payment", "late_fees", "pets", "parking", "laundry", "trash", "packages", "quiet_hours",
    "move_in_out", "amenities", "applying",
];
const ASKS: &[&str] = &[
    "problem", "address", "location", "entry", "callback", "confirm", "transfer", "message", "showing",
    "message_body", "open", "goodbye",
];

/// Strict structured output: every field present, nullable ones typed with null.
fn schema() -> serde_json::Value {
    let nullable_string = json!({ "type": ["string", "null"] });
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["intent", "hazard", "describes_problem", "urgent", "answer", "location", "phone",
                     "this_number", "staff", "topic", "address", "language", "reply", "reply_asks"],
        "properties": {
            "intent": { "type": "string", "enum": INTENTS },
            "hazard": { "type": ["string", "null"], "enum": HAZARDS.iter().map(|h| json!(h)).chain([json!(null)]).collect::<Vec<_>>() },
            "describes_problem": { "type": "boolean", "description": "the caller named a concrete problem in the home" },
            "urgent": { "type": "boolean" },
            "answer": { "type": ["boolean", "null"], "description": "yes (true) or no (false), if the caller gave one" },
            "location": { "type": ["string", "null"], "description": "where in the home, if named" },
            "phone": { "type": ["string", "null"], "description": "a phone number the caller said, digits only" },
            "this_number": { "type": "boolean", "description": "the caller means the number they are calling from" },
            "staff": { "type": ["string", "null"], "description": "a staff member asked for by name" },
            "topic": { "type": ["string", "null"], "enum": TOPICS.iter().map(|t| json!(t)).chain([json!(null)]).collect::<Vec<_>>(),
                       "description": "what a question about living here is about (intent policy)" },
            "address": { "type": ["string", "null"], "description": "a street address the caller named, as said" },
            "language": nullable_string,
            "reply": { "type": "string" },
            "reply_asks": { "type": "string", "enum": ASKS },
        }
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Output {
    intent: Intent,
    hazard: Option<Hazard>,
    describes_problem: bool,
    urgent: bool,
    answer: Option<bool>,
    location: Option<String>,
    phone: Option<String>,
    this_number: bool,
    staff: Option<String>,
    topic: Option<Topic>,
    address: Option<String>,
    language: Option<String>,
    reply: String,
    reply_asks: Asks,
}

impl Output {
    /// A model may only name staff the office has, and numbers that parse.
    fn into_reading(self, staff: &[String]) -> Reading {
        Reading {
            intent: Some(self.intent),
            hazard: self.hazard,
            describes_problem: self.describes_problem,
            urgent: self.urgent,
            answer: self.answer,
            location: self.location.filter(|l| !l.trim().is_empty()),
            phone: self.phone.as_deref().and_then(Phone::parse),
            this_number: self.this_number,
            staff: self
                .staff
                .and_then(|name| staff.iter().find(|s| s.eq_ignore_ascii_case(name.trim())).cloned()),
            topic: self.topic,
            address: self.address.filter(|a| !a.trim().is_empty()),
            language: self.language,
            reply: Some(ModelReply { text: self.reply, asks: self.reply_asks }),
            also: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema's enums and the Rust enums must name the same things.
    #[test]
    fn schema_enums_match_the_types() {
        for name in INTENTS {
            serde_json::from_value::<Intent>(json!(name)).unwrap();
        }
        for name in HAZARDS {
            serde_json::from_value::<Hazard>(json!(name)).unwrap();
        }
        for name in ASKS {
            serde_json::from_value::<Asks>(json!(name)).unwrap();
        }
        for name in TOPICS {
            serde_json::from_value::<Topic>(json!(name)).unwrap();
        }
        assert_eq!(TOPICS.len(), Topic::ALL.len());
        assert_eq!(HAZARDS.len(), Hazard::ALL.len());
    }

    #[test]
    fn unknown_staff_and_bad_numbers_are_dropped() {
        let output: Output = serde_json::from_value(json!({
            "intent": "person", "hazard": null, "describes_problem": false, "urgent": false,
            "answer": null, "location": "", "phone": "12", "this_number": false, "staff": "bob", "topic": null, "address": null,
            "language": "en", "reply": "Sure.", "reply_asks": "open"
        }))
        .unwrap();
        let reading = output.into_reading(&["Diane".into()]);
        assert_eq!((reading.staff, reading.phone, reading.location), (None, None, None));
    }
}
