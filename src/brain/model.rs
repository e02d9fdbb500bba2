//! GPT-4o (or any OpenAI-compatible server) reading the caller.
//!
//! One chat completion per caller turn: the reading and a proposed reply together, held to
//! the contract (`contract`) in the structured-reply mode the server speaks (`negotiate`),
//! which a background probe learns so no caller waits on it. Each reading is bounded by the
//! deadline and makes at most one retry, and only of what can succeed (`wire`); after
//! repeated failures the breaker skips the model for a while.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use async_openai::error::OpenAIError;
use async_openai::types::chat::{
    ChatCompletionMessageToolCalls, ChatCompletionNamedToolChoice, ChatCompletionRequestAssistantMessage,
    ChatCompletionRequestMessage, ChatCompletionRequestSystemMessage, ChatCompletionRequestUserMessage,
    ChatCompletionTool, ChatCompletionToolChoiceOption, ChatCompletionTools, CreateChatCompletionRequestArgs,
    CreateChatCompletionResponse, FunctionName, FunctionObject, ResponseFormat, ResponseFormatJsonSchema,
};
use serde_json::Value;

use super::breaker::Breaker;
use super::contract::{self, Output};
use super::negotiate::{Learned, Mode, Negotiation, Outcome, Problem, Status};
use super::prompt::{self, Context};
pub use super::wire::{Api, KeyHeader};
use super::wire::{Failure, Wire};
use crate::call::reading::{Reading, Usage};
use crate::secret::Secret;

/// Failures in a row that open the breaker, and how long it stays open.
const BREAKER_THRESHOLD: u32 = 3;
const BREAKER_COOLDOWN: Duration = Duration::from_secs(30);
/// The one function a reply is given as, in the `tools` mode.
const FUNCTION: &str = "read_turn";
const MAX_TOKENS: u32 = 300;
/// How often a settled negotiation is checked again, and how soon an inconclusive one (the
/// server down, or refusing the key) is tried again.
const REPROBE_EVERY: Duration = Duration::from_secs(6 * 3600);
const RETRY_PROBE: Duration = Duration::from_secs(60);
/// What the probe says, as a caller would: a turn's worth of reading with no office data.
pub const PROBE_WORDS: &str = "Hi, this is a quick check: the kitchen sink in apartment 2B is leaking.";

#[derive(Debug, Clone)]
pub struct ModelSettings {
    pub api_key: Secret,
    /// `None`: OpenAI's own API. With `azure`, the Azure OpenAI endpoint
    /// (`https://RESOURCE.openai.azure.com`).
    pub base_url: Option<String>,
    /// The model's name (for Azure, sent too, though the deployment decides).
    pub model: String,
    pub deadline: Duration,
    pub azure: Option<Azure>,
    /// How the key is sent; `None`: `api-key` for Azure, `Authorization: Bearer` otherwise.
    pub key_header: Option<KeyHeader>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Azure {
    pub deployment: String,
    pub api_version: String,
}

impl Default for ModelSettings {
    fn default() -> ModelSettings {
        ModelSettings {
            api_key: Secret::default(),
            base_url: None,
            model: "gpt-4o".into(),
            deadline: Duration::from_secs(4),
            azure: None,
            key_header: None,
        }
    }
}

impl ModelSettings {
    pub fn api(&self) -> Api {
        let base = self.base_url.clone().unwrap_or_else(|| "https://api.openai.com/v1".into());
        match &self.azure {
            Some(azure) => Api::Azure {
                endpoint: base,
                deployment: azure.deployment.clone(),
                api_version: azure.api_version.clone(),
            },
            None => Api::OpenAi { base_url: base },
        }
    }

    pub fn key_header(&self) -> KeyHeader {
        self.key_header.unwrap_or(if self.azure.is_some() { KeyHeader::ApiKey } else { KeyHeader::Bearer })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("no answer within the {0} ms deadline")]
    Deadline(u128),
    #[error("skipped: the model failed repeatedly and is resting")]
    Resting,
    #[error("building the request: {0}")]
    Request(#[from] OpenAIError),
    #[error("{0}")]
    Wire(#[from] Failure),
    #[error("the model refused: {0}")]
    Refusal(String),
    #[error("the model called an unknown tool: {0}")]
    UnknownTool(String),
    #[error("the reply had no content")]
    Empty,
    #[error("the reply does not match the schema: {0}")]
    Schema(#[from] serde_json::Error),
}

impl ModelError {
    /// A failure that is reported once, on the dashboard and in the log, rather than warned
    /// about on every turn.
    pub fn reported(&self) -> bool {
        match self {
            ModelError::Wire(failure) => Problem::of(failure).is_some(),
            _ => false,
        }
    }
}

/// The model client: cheap to clone, one negotiation and one breaker shared by all clones.
#[derive(Clone)]
pub struct Model {
    inner: Arc<Inner>,
}

struct Inner {
    wire: Wire,
    settings: ModelSettings,
    breaker: Breaker,
    negotiation: Negotiation,
    /// Wakes the background probe early: a turn found its mode refused or unparseable.
    wake: tokio::sync::Notify,
    negotiating: AtomicBool,
}

impl Model {
    pub fn new(settings: ModelSettings) -> Model {
        let api = settings.api();
        // A refused connection should fail fast enough to leave the deadline room for the
        // one retry.
        let connect_timeout = (settings.deadline / 2).min(Duration::from_secs(2));
        let wire = Wire::new(&api, settings.key_header(), &settings.api_key, connect_timeout);
        let negotiation = Negotiation::new(&settings.model, &server_name(&api));
        Model {
            inner: Arc::new(Inner {
                wire,
                settings,
                breaker: Breaker::new(BREAKER_THRESHOLD, BREAKER_COOLDOWN),
                negotiation,
                wake: tokio::sync::Notify::new(),
                negotiating: AtomicBool::new(false),
            }),
        }
    }

    pub fn name(&self) -> &str {
        &self.inner.settings.model
    }

    /// The wire and settings, for requests other than a caller's reading (`write`).
    pub(super) fn wire(&self) -> (&Wire, &ModelSettings) {
        (&self.inner.wire, &self.inner.settings)
    }

    /// Which structured-reply mode is used, whether it was negotiated yet, and what is wrong.
    pub fn status(&self) -> Status {
        self.inner.negotiation.status()
    }

    /// Starts the background negotiation, once: the server's start calls it, and the first
    /// reading does when nobody has (the tests' apps). Outside a Tokio runtime it waits for
    /// that first reading.
    pub fn negotiate_in_background(&self) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        if self.inner.negotiating.swap(true, Ordering::SeqCst) {
            return;
        }
        runtime.spawn(self.inner.clone().negotiate_forever());
    }

    /// Whether the breaker is open: the model is resting after repeated failures.
    pub fn resting(&self) -> bool {
        self.inner.breaker.is_open(Instant::now())
    }

    /// Reads one utterance. Never waits past the deadline, and makes at most two requests.
    pub async fn read(&self, ctx: &Context<'_>, utterance: &str) -> Result<(Reading, Usage), ModelError> {
        self.negotiate_in_background();
        let inner = &self.inner;
        if !inner.breaker.allow(Instant::now()) {
            return Err(ModelError::Resting);
        }
        // Until the probe has settled, the best guess (json_schema, or what this server and
        // model were last found to speak) within this turn's deadline.
        let mode = inner.negotiation.mode();
        let deadline = inner.settings.deadline;
        let until = Instant::now() + deadline;
        let mut system = prompt::system(ctx);
        system.push_str(&instructions(mode));
        let messages = messages(system, ctx, utterance);
        let result = match tokio::time::timeout(deadline, inner.ask(mode, messages, until)).await {
            Ok(result) => result,
            Err(_) => Err(ModelError::Deadline(deadline.as_millis())),
        };
        inner.breaker.record(result.is_ok(), Instant::now());
        inner.learn(mode, &result);
        let (output, usage) = result?;
        Ok((output.into_reading(&ctx.office.staff), usage))
    }
}

fn server_name(api: &Api) -> String {
    match api {
        Api::OpenAi { base_url } => base_url.trim_end_matches('/').to_string(),
        Api::Azure { endpoint, deployment, .. } => {
            format!("{} (deployment {deployment})", endpoint.trim_end_matches('/'))
        }
    }
}

impl Inner {
    /// One request, and one retry when it can succeed and fits before `until`.
    async fn ask(
        &self,
        mode: Mode,
        messages: Vec<ChatCompletionRequestMessage>,
        until: Instant,
    ) -> Result<(Output, Usage), ModelError> {
        let body = self.request(mode, messages)?;
        let mut retried = false;
        loop {
            match self.wire.send(&body).await {
                Ok(response) => return read_reply(mode, response),
                Err(failure) => {
                    let remaining = until.saturating_duration_since(Instant::now());
                    match failure.retry_in(remaining).filter(|_| !retried) {
                        Some(wait) => {
                            retried = true;
                            tokio::time::sleep(wait).await;
                        }
                        None => return Err(failure.into()),
                    }
                }
            }
        }
    }

    /// The chat completion request, in async-openai's types, shaped for `mode`.
    fn request(&self, mode: Mode, messages: Vec<ChatCompletionRequestMessage>) -> Result<Value, ModelError> {
        let mut args = CreateChatCompletionRequestArgs::default();
        args.model(&self.settings.model)
            .messages(messages)
            .max_completion_tokens(MAX_TOKENS)
            .temperature(0.4);
        match mode {
            Mode::JsonSchema => {
                args.response_format(ResponseFormat::JsonSchema {
                    json_schema: ResponseFormatJsonSchema {
                        name: "turn".into(),
                        description: Some(
                            "The reading of the caller's words and the next line to say".into(),
                        ),
                        schema: contract::schema(),
                        strict: Some(true),
                    },
                });
            }
            Mode::Tools => {
                args.tools(vec![ChatCompletionTools::Function(ChatCompletionTool {
                    function: FunctionObject {
                        name: FUNCTION.into(),
                        description: Some(
                            "Record the reading of the caller's words and the next line to say".into(),
                        ),
                        parameters: Some(contract::schema()),
                        strict: Some(true),
                    },
                })])
                .tool_choice(ChatCompletionToolChoiceOption::Function(
                    ChatCompletionNamedToolChoice { function: FunctionName { name: FUNCTION.into() } },
                ));
            }
            Mode::JsonObject => {
                args.response_format(ResponseFormat::JsonObject);
            }
            Mode::Prompt => {}
        }
        let mut body = serde_json::to_value(args.build()?)?;
        if mode == Mode::JsonObject {
            // llama.cpp-python and others constrain a `json_object` reply to a schema given
            // beside the type; servers that do not know the field ignore it.
            if let Some(format) = body.get_mut("response_format").and_then(Value::as_object_mut) {
                format.insert("schema".into(), contract::schema());
            }
        }
        if !self.wire_is_openai() {
            // Servers that copy the API often read only the older name of the limit.
            if let Some(body) = body.as_object_mut() {
                body.insert("max_tokens".into(), MAX_TOKENS.into());
            }
        }
        Ok(body)
    }

    fn wire_is_openai(&self) -> bool {
        self.settings.api().is_openai_itself()
    }

    /// What a turn's outcome teaches the negotiation; the probe looks again when a mode is
    /// dropped.
    fn learn<T>(&self, mode: Mode, result: &Result<T, ModelError>) {
        let outcome = match result {
            Ok(_) => Outcome::Parsed,
            Err(ModelError::Wire(failure)) => Outcome::Failed(failure),
            Err(e @ (ModelError::Schema(_) | ModelError::Empty | ModelError::UnknownTool(_))) => {
                Outcome::Unparsed(e.to_string())
            }
            Err(_) => return,
        };
        if let Learned::Dropped(_) = self.negotiation.observe(mode, outcome) {
            self.wake.notify_one();
        }
    }

    /// The background negotiation: probe at start, again after a while, and sooner when a
    /// turn finds its mode refused or its replies failing to parse.
    async fn negotiate_forever(self: Arc<Self>) {
        let mut fresh = true;
        loop {
            let wait = match self.negotiate(fresh).await {
                Probed::Settled => REPROBE_EVERY,
                Probed::Inconclusive => RETRY_PROBE,
            };
            fresh = tokio::time::timeout(wait, self.wake.notified()).await.is_err();
        }
    }

    /// Tries the modes in order; the first that the server accepts and whose reply parses
    /// is settled on.
    async fn negotiate(&self, fresh: bool) -> Probed {
        let mut unfit: Option<(Mode, String)> = None;
        for mode in self.negotiation.candidates(fresh) {
            match self.probe(mode).await {
                Ok(_) => {
                    self.negotiation.settle(mode, chrono::Utc::now());
                    return Probed::Settled;
                }
                Err(ModelError::Wire(failure)) if mode.refused_by(&failure) => {
                    self.negotiation.drop_mode(mode, failure.to_string());
                }
                Err(ModelError::Wire(failure)) if !matches!(failure, Failure::Decode(_)) => {
                    match Problem::of(&failure) {
                        Some(problem) => self.negotiation.report(problem),
                        None if matches!(failure.status(), Some(400 | 422)) => {
                            let (status, message) =
                                (failure.status().unwrap_or(400), failure.message().into());
                            self.negotiation.report(Problem::Refused { status, message })
                        }
                        None => {
                            tracing::info!(
                                model = self.settings.model,
                                "structured-reply probe inconclusive: {failure}"
                            );
                            false
                        }
                    };
                    return Probed::Inconclusive;
                }
                Err(ModelError::Deadline(_)) => return Probed::Inconclusive,
                Err(e) => {
                    // The server takes the mode but its reply does not fit: the next mode may
                    // do better; this one stays the fallback.
                    let why = e.to_string();
                    self.negotiation.drop_mode(mode, why.clone());
                    unfit.get_or_insert((mode, why));
                }
            }
        }
        match unfit {
            Some((mode, why)) => {
                self.negotiation.settle_unfit(mode, why, chrono::Utc::now());
                Probed::Settled
            }
            None => Probed::Inconclusive,
        }
    }

    /// One probe request in `mode`, bounded by a deadline of its own: no caller waits on it,
    /// and a small local model may need a while for its first reply.
    async fn probe(&self, mode: Mode) -> Result<(Output, Usage), ModelError> {
        let deadline = (self.settings.deadline * 2).max(Duration::from_secs(30));
        let system = format!(
            "You read what a caller to a property-management office says and propose a short reply.\n{}",
            instructions(mode)
        );
        let messages = vec![
            ChatCompletionRequestMessage::System(ChatCompletionRequestSystemMessage::from(system)),
            ChatCompletionRequestMessage::User(ChatCompletionRequestUserMessage::from(PROBE_WORDS)),
        ];
        match tokio::time::timeout(deadline, self.ask(mode, messages, Instant::now() + deadline)).await {
            Ok(result) => result,
            Err(_) => Err(ModelError::Deadline(deadline.as_millis())),
        }
    }
}

enum Probed {
    Settled,
    /// The server did not answer usefully (down, or refusing the key): try again soon.
    Inconclusive,
}

/// What the system prompt adds for each mode: the contract itself where the server does not
/// take the schema as a parameter.
fn instructions(mode: Mode) -> String {
    match mode {
        Mode::JsonSchema => String::new(),
        Mode::Tools => format!("\n\nGive your answer by calling the function {FUNCTION} with that object."),
        Mode::JsonObject | Mode::Prompt => format!("\n\n{}", contract::in_words()),
    }
}

fn messages(system: String, ctx: &Context<'_>, utterance: &str) -> Vec<ChatCompletionRequestMessage> {
    let mut messages =
        vec![ChatCompletionRequestMessage::System(ChatCompletionRequestSystemMessage::from(system))];
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

/// The reply, wherever the mode puts it: the named function's arguments for `tools`, the
/// content otherwise (and for a server that answers `tools` with plain content anyway).
fn read_reply(mode: Mode, response: CreateChatCompletionResponse) -> Result<(Output, Usage), ModelError> {
    let usage = response
        .usage
        .map(|u| Usage { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens })
        .unwrap_or(Usage { prompt_tokens: 0, completion_tokens: 0 });
    let message = response.choices.into_iter().next().ok_or(ModelError::Empty)?.message;
    if let Some(refusal) = message.refusal {
        return Err(ModelError::Refusal(refusal));
    }
    if let Some(call) = message.tool_calls.as_ref().and_then(|calls| calls.first()) {
        return match call {
            ChatCompletionMessageToolCalls::Function(call)
                if mode == Mode::Tools && call.function.name == FUNCTION =>
            {
                Ok((contract::parse(&call.function.arguments)?, usage))
            }
            other => Err(ModelError::UnknownTool(format!("{other:?}"))),
        };
    }
    let content = message.content.filter(|c| !c.trim().is_empty()).ok_or(ModelError::Empty)?;
    Ok((contract::parse(&content)?, usage))
}
