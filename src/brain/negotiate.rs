//! Which structured-reply mode a server speaks, learned once in the background rather than
//! during a caller's turn, and what is wrong with the server in plain words.
//!
//! Preference order: strict `json_schema` (OpenAI, Azure, vLLM, llama.cpp's own server), a
//! single named function (`tools` with `tool_choice`), `json_object` with the schema in the
//! prompt and in a `schema` field, and plain text with the contract in the prompt. A mode is
//! dropped when the server says it does not support it, or when its replies keep failing to
//! parse. What works is remembered for the server and model (a `Negotiation` belongs to one
//! `Model`, which is built for one base URL and model name), and logged once.

use std::collections::BTreeSet;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use super::wire::Failure;

/// How the reply is held to the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    JsonSchema,
    Tools,
    JsonObject,
    Prompt,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::JsonSchema, Mode::Tools, Mode::JsonObject, Mode::Prompt];

    pub fn name(self) -> &'static str {
        match self {
            Mode::JsonSchema => "json_schema",
            Mode::Tools => "tools",
            Mode::JsonObject => "json_object",
            Mode::Prompt => "prompt",
        }
    }

    /// Words in a refusal that name this mode's feature: a server that does not support it
    /// says so with them.
    fn feature_words(self) -> &'static [&'static str] {
        match self {
            Mode::JsonSchema => &["response_format", "json_schema", "structured output"],
            Mode::Tools => &["tool_choice", "tools", "tool ", "function"],
            Mode::JsonObject => &["response_format", "json_object", "schema"],
            // Plain text asks for no feature.
            Mode::Prompt => &[],
        }
    }

    /// Whether this failure is the server saying it does not support the mode: a 400, 422 or
    /// 500 (some servers answer an unknown `response_format` with a 500) naming the feature.
    pub fn refused_by(self, failure: &Failure) -> bool {
        let Failure::Status { status: 400 | 422 | 500 | 501, message, .. } = failure else { return false };
        let message = message.to_ascii_lowercase();
        self.feature_words().iter().any(|word| message.contains(word))
    }
}

/// Replies in a row that fail to parse before their mode counts as unsupported.
pub const PARSE_FAILURES: u32 = 3;

/// Something about the server that staff should fix or know, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// 401 or 403.
    Key { status: u16, message: String },
    /// 404.
    NotFound { message: String },
    /// The server refuses every mode's requests as bad (not naming a feature).
    Refused { status: u16, message: String },
    /// Some mode is not supported (or its replies never parse); another is used.
    Unsupported { mode: Mode, using: Mode, why: String },
    /// No mode's replies parse.
    NoFit { why: String },
}

impl Problem {
    /// The problem a failure shows, when it is one that will not go away by itself.
    pub fn of(failure: &Failure) -> Option<Problem> {
        let message = failure.message().to_string();
        match failure.status()? {
            status @ (401 | 403) => Some(Problem::Key { status, message }),
            404 => Some(Problem::NotFound { message }),
            _ => None,
        }
    }

    pub fn words(&self, model: &str, server: &str) -> String {
        match self {
            Problem::Key { status, message } => format!(
                "The model server at {server} refused the API key (HTTP {status}: {message}). Check \
                 OPENAI_API_KEY (and, for Azure, OPENAI_KEY_HEADER=api-key). The keyword rules answer \
                 every turn until it is fixed."
            ),
            Problem::NotFound { message } => format!(
                "The model server at {server} answered 404 Not Found ({message}): the model name \
                 \"{model}\" (OPENAI_MODEL, or the Azure deployment) or the base URL (OPENAI_BASE_URL) is \
                 wrong. The keyword rules answer every turn until it is fixed."
            ),
            Problem::Refused { status, message } => format!(
                "The model server at {server} rejects frontdesk's requests (HTTP {status}: {message}). \
                 The keyword rules answer every turn until it is fixed."
            ),
            Problem::Unsupported { mode, using, why } => format!(
                "The model server at {server} does not support {} structured replies ({why}); using {} \
                 instead.",
                mode.name(),
                using.name()
            ),
            Problem::NoFit { why } => format!(
                "The model {model} at {server} answers, but its replies fit frontdesk's contract in no \
                 structured-reply mode ({why}); the keyword rules answer."
            ),
        }
    }

    /// Problems that stop the model reading anything, as opposed to a mode given up.
    pub fn blocks(&self) -> bool {
        !matches!(self, Problem::Unsupported { .. })
    }
}

/// Where the negotiation stands, for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub mode: Mode,
    /// When the background probe last settled on a mode; `None`: still the best guess.
    pub negotiated: Option<DateTime<Utc>>,
    /// What is wrong, in plain words.
    pub problem: Option<String>,
}

/// What the turns and the probe have learned about one server and model.
#[derive(Debug)]
pub struct Negotiation {
    model: String,
    server: String,
    state: Mutex<State>,
}

#[derive(Debug, Clone)]
struct State {
    mode: Mode,
    negotiated: Option<DateTime<Utc>>,
    /// Modes ruled out: refused by the server, or their replies keep failing to parse.
    dropped: BTreeSet<Mode>,
    parse_failures: u32,
    problem: Option<Problem>,
}

/// What a turn's outcome means for the negotiation.
#[derive(Debug, PartialEq, Eq)]
pub enum Learned {
    Nothing,
    /// The mode is out: the probe should look again.
    Dropped(Mode),
}

impl Negotiation {
    /// Until the probe has answered, the best guess is the most capable mode.
    pub fn new(model: &str, server: &str) -> Negotiation {
        Negotiation {
            model: model.to_string(),
            server: server.to_string(),
            state: Mutex::new(State {
                mode: Mode::JsonSchema,
                negotiated: None,
                dropped: BTreeSet::new(),
                parse_failures: 0,
                problem: None,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The mode a turn uses now.
    pub fn mode(&self) -> Mode {
        self.state().mode
    }

    pub fn status(&self) -> Status {
        let state = self.state();
        Status {
            mode: state.mode,
            negotiated: state.negotiated,
            problem: state.problem.as_ref().map(|p| p.words(&self.model, &self.server)),
        }
    }

    /// Whether a problem stops the model (bad key, wrong model, ...).
    pub fn blocked(&self) -> bool {
        self.state().problem.as_ref().is_some_and(Problem::blocks)
    }

    /// The modes the probe should try, in order: all but those ruled out. A scheduled
    /// re-probe (`fresh`) gives every mode another chance: the server may have been upgraded.
    pub fn candidates(&self, fresh: bool) -> Vec<Mode> {
        let mut state = self.state();
        if fresh {
            state.dropped.clear();
        }
        Mode::ALL.into_iter().filter(|m| !state.dropped.contains(m)).collect()
    }

    /// The probe found `mode` to work.
    pub fn settle(&self, mode: Mode, now: DateTime<Utc>) {
        let mut state = self.state();
        let changed = state.negotiated.is_none() || state.mode != mode;
        state.mode = mode;
        state.negotiated = Some(now);
        state.parse_failures = 0;
        if state.problem.as_ref().is_some_and(Problem::blocks) {
            state.problem = None;
        }
        drop(state);
        if changed {
            tracing::info!(model = self.model, server = self.server, "structured replies: {}", mode.name());
        }
    }

    /// The probe ends with no mode that parses: the most capable one the server accepted stays.
    pub fn settle_unfit(&self, mode: Mode, why: String, now: DateTime<Utc>) {
        self.settle(mode, now);
        self.report(Problem::NoFit { why });
    }

    /// Records a problem, logging it only when it is new: once, not once per turn.
    /// Returns whether it was logged.
    pub fn report(&self, problem: Problem) -> bool {
        let mut state = self.state();
        if state.problem.as_ref() == Some(&problem) {
            return false;
        }
        let words = problem.words(&self.model, &self.server);
        state.problem = Some(problem);
        drop(state);
        tracing::warn!(model = self.model, server = self.server, "{words}");
        true
    }

    /// Rules `mode` out, moves the turns on to the next mode not ruled out when they were
    /// using it, and says so once.
    pub fn drop_mode(&self, mode: Mode, why: String) -> Learned {
        let mut state = self.state();
        state.dropped.insert(mode);
        let mut learned = Learned::Nothing;
        let next = Mode::ALL.into_iter().find(|m| *m > mode && !state.dropped.contains(m));
        if let (true, Some(next)) = (state.mode == mode, next) {
            state.mode = next;
            state.parse_failures = 0;
            learned = Learned::Dropped(mode);
        }
        let using = state.mode;
        drop(state);
        if using != mode {
            self.report(Problem::Unsupported { mode, using, why });
        }
        learned
    }

    /// What a turn in `mode` teaches: a refusal of the mode drops it at once, a reply that
    /// failed to parse counts toward dropping it, a bad key or a wrong name is reported once.
    pub fn observe(&self, mode: Mode, outcome: Outcome<'_>) -> Learned {
        match outcome {
            Outcome::Parsed => {
                let mut state = self.state();
                if state.mode == mode {
                    state.parse_failures = 0;
                }
                if state.problem.as_ref().is_some_and(Problem::blocks) {
                    state.problem = None;
                    tracing::info!(
                        model = self.model,
                        server = self.server,
                        "the model server answers again"
                    );
                }
                Learned::Nothing
            }
            Outcome::Unparsed(why) => {
                let mut state = self.state();
                if state.mode != mode {
                    return Learned::Nothing;
                }
                state.parse_failures += 1;
                if state.parse_failures < PARSE_FAILURES {
                    return Learned::Nothing;
                }
                drop(state);
                self.drop_mode(mode, format!("{PARSE_FAILURES} replies in a row did not parse: {why}"))
            }
            Outcome::Failed(failure) if mode.refused_by(failure) => self.drop_mode(mode, failure.to_string()),
            Outcome::Failed(failure) => {
                if let Some(problem) = Problem::of(failure) {
                    self.report(problem);
                }
                Learned::Nothing
            }
        }
    }
}

/// How one request in some mode ended.
pub enum Outcome<'a> {
    Parsed,
    /// The server answered, but the reply did not fit the contract.
    Unparsed(String),
    Failed(&'a Failure),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(status: u16, message: &str) -> Failure {
        Failure::Status { status, message: message.into(), retry_after: None }
    }

    #[test]
    fn a_refusal_naming_the_feature_drops_the_mode_and_others_do_not() {
        let n = Negotiation::new("m", "http://refusal.test/v1");
        assert_eq!(n.mode(), Mode::JsonSchema);
        assert_eq!(
            n.observe(Mode::JsonSchema, Outcome::Failed(&failure(500, "simulated failure"))),
            Learned::Nothing
        );
        assert_eq!(
            n.observe(Mode::JsonSchema, Outcome::Failed(&failure(503, "json_schema overloaded"))),
            Learned::Nothing
        );
        let refusal = failure(500, "response_format type json_schema is not supported");
        assert_eq!(
            n.observe(Mode::JsonSchema, Outcome::Failed(&refusal)),
            Learned::Dropped(Mode::JsonSchema)
        );
        assert_eq!(n.mode(), Mode::Tools);
        assert!(n.status().problem.unwrap().contains("does not support json_schema"));
        assert!(!n.blocked(), "a mode given up does not stop the model");
        assert_eq!(n.candidates(false), [Mode::Tools, Mode::JsonObject, Mode::Prompt]);
        assert_eq!(n.candidates(true), Mode::ALL, "a scheduled re-probe tries everything again");
    }

    #[test]
    fn a_mode_whose_replies_keep_failing_to_parse_counts_as_unsupported() {
        let n = Negotiation::new("m", "http://unparsed.test/v1");
        n.settle(Mode::JsonObject, Utc::now());
        for _ in 1..PARSE_FAILURES {
            assert_eq!(n.observe(Mode::JsonObject, Outcome::Unparsed("no object".into())), Learned::Nothing);
        }
        assert_eq!(
            n.observe(Mode::JsonObject, Outcome::Unparsed("no object".into())),
            Learned::Dropped(Mode::JsonObject)
        );
        assert_eq!(n.mode(), Mode::Prompt);
        assert!(n.status().problem.unwrap().contains("did not parse"));
    }

    #[test]
    fn a_parsed_reply_resets_the_count() {
        let n = Negotiation::new("m", "http://reset.test/v1");
        for _ in 0..PARSE_FAILURES * 2 {
            n.observe(Mode::JsonSchema, Outcome::Unparsed("x".into()));
            n.observe(Mode::JsonSchema, Outcome::Parsed);
        }
        assert_eq!(n.mode(), Mode::JsonSchema);
    }

    #[test]
    fn a_bad_key_is_reported_in_plain_words_and_logged_once() {
        let n = Negotiation::new("gpt-4o", "http://key.test/v1");
        let bad_key = failure(401, "Incorrect API key provided");
        assert!(n.report(Problem::of(&bad_key).unwrap()), "the first time is logged");
        for _ in 0..5 {
            assert!(!n.report(Problem::of(&bad_key).unwrap()), "the same problem again is not");
        }
        assert!(n.blocked());
        let words = n.status().problem.unwrap();
        assert!(words.contains("refused the API key") && words.contains("OPENAI_API_KEY"), "{words}");

        n.observe(Mode::JsonSchema, Outcome::Parsed);
        assert_eq!(n.status().problem, None, "a server that answers again clears it");
        let not_found = failure(404, "The model `gtp-4o` does not exist");
        assert!(n.report(Problem::of(&not_found).unwrap()));
        assert!(n.status().problem.unwrap().contains("OPENAI_MODEL"));
    }
}
