//! One turn, end to end: the service every voice webhook calls. It finds or creates the
//! call, replays a twin callback's stored reply, reads the caller, and, holding the call's
//! lock, steps the machine and stores the turn with its outside writes in one transaction.
//!
//! What it needs from outside it names as small traits (`Directory` here, `reader::Reader`),
//! which the adapters implement: Rent Manager or the local directory, the model or the rules.
//! The reply's wire format is the caller's business: `take` is handed a renderer.

mod end;
mod step;

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::early::{Early, EarlyError, Held, MAX_HOLDS, ReadFrom};
use super::language::{self, Language};
use super::reader::{Conversation, HISTORY, Reader};
use super::reading::Interpretation;
use super::store::reference::Offered;
use super::store::{self, Found, Line, Record, StoreError};
use super::worth::{self, Ask, Skip};
use super::{
    Call, Caller, CallerKind, Event, Identity, ModelLine, Source, Stage, Turn, effects, hold, reference,
    rules,
};
use crate::db::{Db, WriteTx, millis};
use crate::knowledge;
use crate::metrics::Metrics;
use crate::office::{Clock, Office};
use crate::phone::Phone;

/// Who is calling, as the office's system of record knows them.
#[async_trait::async_trait]
pub trait Directory: Send + Sync {
    /// The tenant or prospect with this number; `None` for anyone else.
    async fn find(&self, phone: &Phone) -> Result<Option<Caller>, LookupError>;
    /// Whether service issues and call notes go to this system of record (Rent Manager
    /// takes them; the local directory keeps none).
    fn keeps_records(&self) -> bool;
}

#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// The system of record did not answer usefully: the caller is treated as unknown.
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The most of one utterance that is kept, read and passed on. Twilio's forms may carry tens
/// of kilobytes of `SpeechResult`; nobody says more than this in one breath, and the model's
/// prompt, Rent Manager's issues and the transcript get the clipped text, never the whole.
pub const MAX_UTTERANCE: usize = 1_000;

/// `text` cut to `MAX_UTTERANCE` characters at a word's end, with an ellipsis saying so.
pub fn clip(text: String) -> String {
    if text.chars().count() <= MAX_UTTERANCE {
        return text;
    }
    let cut: String = text.chars().take(MAX_UTTERANCE - 1).collect();
    // Back to the last space, unless that loses most of the text (one enormous "word").
    let kept = match cut.rfind(char::is_whitespace) {
        Some(end) if end >= cut.len() / 2 => &cut[..end],
        _ => cut.as_str(),
    };
    format!("{}…", kept.trim_end())
}

/// What a callback brought, before anyone has read it.
pub enum Input {
    /// A new call; `attested` when the carrier vouches for the caller's number.
    Answered {
        attested: bool,
    },
    Speech {
        text: String,
        confidence: Option<f64>,
    },
    Silence,
    DialEnded {
        answered: bool,
    },
}

/// How a turn's reply is written down for Twilio: the machine's turn, or a hold line while
/// the model finishes (then a redirect to `/twilio/reply` for that turn's `hold`th wait).
pub trait Renderer {
    fn turn(&self, turn: &Turn) -> io::Result<String>;
    fn hold(&self, line: &str, hold: u32, language: Language) -> io::Result<String>;
}

/// The reply to send, and how long reading the caller took (the model's wait).
pub struct Reply {
    pub text: String,
    pub reading: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("rendering the reply: {0}")]
    Render(#[from] io::Error),
    #[error("the call's row vanished while it was being created")]
    Vanished,
    #[error("reading early: {0}")]
    Early(#[from] EarlyError),
}

/// The turn service, with every capability decided once when the app is assembled.
pub struct Turns {
    pub db: Db,
    pub office: Arc<Office>,
    pub knowledge: knowledge::Shared,
    pub clock: Arc<dyn Clock>,
    pub directory: Arc<dyn Directory>,
    pub reader: Arc<dyn Reader>,
    /// Readings started before the final result, and the wait for them.
    pub early: Arc<Early>,
    pub metrics: Arc<Metrics>,
    /// How long a call's start waits on the directory to say who is calling.
    pub lookup_deadline: Duration,
    /// Where staff pages are served (`PUBLIC_URL`): call notes link to the transcript.
    pub public_url: Option<String>,
    /// Whether texts can be sent: the machine tells a caller what will happen accordingly.
    pub texting: bool,
    /// Whether callers get a text after a request or a message (texting on, `CALLER_TEXTS`
    /// not off).
    pub caller_texts: bool,
    /// Whether each call's summary is e-mailed to the office when it ends (`summaries`).
    pub summaries: bool,
}

impl Turns {
    /// One turn: read the caller outside any lock (a model may take seconds), then, holding
    /// the call's lock, replay a twin's stored reply or step the machine and store the new
    /// state, the turn and its writes together. `render` turns the machine's turn into the
    /// reply that is sent and kept for replays. A reading not ready within the grace is
    /// answered with a hold line instead, and the turn finishes in `resume`.
    pub async fn take(
        &self,
        line: &Line<'_>,
        turn: u32,
        input: Input,
        render: &impl Renderer,
    ) -> Result<Reply, TurnError> {
        let started = Instant::now();
        let from = line.from.and_then(Phone::parse);
        let mut caller = None;
        let mut interpretation = None;
        let mut asked = Asked::default();
        let event = match input {
            Input::Answered { attested } => {
                let mut found = self.lookup(from.as_ref()).await?;
                if attested && found.kind != CallerKind::Unknown {
                    found.identity = Identity::Attested;
                }
                caller = Some(found);
                Event::Answered
            }
            Input::Silence => Event::Silence,
            Input::DialEnded { answered } => Event::DialEnded { answered },
            Input::Speech { text, confidence } => {
                let text = clip(text);
                match self.read(line, turn, from.as_ref(), &text, confidence, &mut caller).await? {
                    Read::Fresh(read, how) => {
                        let event = Event::Heard { text, confidence, reading: read.reading.clone() };
                        interpretation = Some(*read);
                        asked = how;
                        event
                    }
                    Read::Replied(text) => return Ok(Reply { text, reading: Duration::ZERO }),
                    Read::Held(language) => {
                        return self.hold(line, turn, text, confidence, language, render).await;
                    }
                }
            }
        };
        self.commit(line, turn, started, event, interpretation, asked, caller, render).await
    }

    /// `/twilio/reply?turn=N&hold=K`, fetched by Twilio once hold line K has played: the
    /// reading if it is ready within the time left (Twilio plays nothing meanwhile), else a
    /// second hold line, else the rules.
    pub async fn resume(
        &self,
        line: &Line<'_>,
        turn: u32,
        hold: u32,
        render: &impl Renderer,
    ) -> Result<Reply, TurnError> {
        let started = Instant::now();
        if let Found::Replied(text) = store::find(&self.db.pool, line.sid, turn).await? {
            return Ok(Reply { text, reading: Duration::ZERO });
        }
        let Some(held) = self.early.held(line.sid, turn).await? else {
            // Nothing held for this turn (a stray redirect, or the call ended and its hold
            // was dropped): carry on as after a silence rather than fail the caller.
            return self.take(line, turn, Input::Silence, render).await;
        };
        if hold < held.holds {
            // A twin of an earlier redirect: the reply already given stands.
            return Ok(Reply { text: held.twiml, reading: Duration::ZERO });
        }
        let settings = &self.early.settings;
        let left = settings.deadline.saturating_sub(since(held.final_at));
        let within = left.min(settings.reply_wait);
        let pending = self.early.for_final(line.sid, turn, &held.heard).await?;
        let asked =
            Asked { asked: Some(true), skipped: None, from: Some(pending.from), holds: held.lines.clone() };
        let interpretation = match self.early.wait(&pending, within).await? {
            Some(stored) => stored.interpretation(),
            None if held.holds < MAX_HOLDS && left > within => {
                let last = held.lines.last().map(String::as_str);
                let language = last.map(hold::language_of).unwrap_or_default();
                let said = hold::pick(language, last, rand::random::<u32>());
                let mut lines = held.lines.clone();
                lines.push(said.to_string());
                let again = Held {
                    holds: held.holds + 1,
                    lines,
                    twiml: render.hold(said, held.holds + 1, language)?,
                    ..held.clone()
                };
                let text = self.early.hold_again(line.sid, turn, held.holds, &again).await?;
                return Ok(Reply { text, reading: Duration::ZERO });
            }
            None => Interpretation {
                reading: rules::read(&held.heard, &self.office.staff),
                model_error: Some(format!(
                    "no reading within {} ms of the final result, after {} hold lines",
                    settings.deadline.as_millis(),
                    held.holds
                )),
                usage: None,
                elapsed: since(held.final_at),
            },
        };
        let event = Event::Heard {
            text: held.heard.clone(),
            confidence: held.confidence,
            reading: interpretation.reading.clone(),
        };
        self.commit(line, turn, started, event, Some(interpretation), asked, None, render).await
    }

    /// The first hold line of a turn whose reading is not ready: kept with what was heard,
    /// so the redirect finishes the turn on any worker; nothing of it is stored as said.
    async fn hold(
        &self,
        line: &Line<'_>,
        turn: u32,
        heard: String,
        confidence: Option<f64>,
        language: Language,
        render: &impl Renderer,
    ) -> Result<Reply, TurnError> {
        let previous = self.early.last_hold_line(line.sid).await?;
        let said = hold::pick(language, previous.as_deref(), rand::random::<u32>());
        let held = Held {
            heard,
            confidence,
            final_at: wall_clock_ms(),
            holds: 1,
            lines: vec![said.to_string()],
            twiml: render.hold(said, 1, language)?,
        };
        let text = self.early.hold(line.sid, turn, &held).await?;
        tracing::info!(call = line.sid, turn, "the reading is not ready: a hold line");
        Ok(Reply { text, reading: Duration::ZERO })
    }

    /// Holding the call's lock, steps the machine and stores the turn with its writes.
    #[allow(clippy::too_many_arguments)]
    async fn commit(
        &self,
        line: &Line<'_>,
        turn: u32,
        started: Instant,
        event: Event,
        interpretation: Option<Interpretation>,
        asked: Asked,
        caller: Option<Caller>,
        render: &impl Renderer,
    ) -> Result<Reply, TurnError> {
        let reading = interpretation.as_ref().map(|i| i.elapsed).unwrap_or_default();
        let (mut tx, call) = match self.lock(line, turn, caller).await? {
            Locked::Replied(text) => return Ok(Reply { text, reading }),
            Locked::Call(tx, call) => (tx, *call),
        };
        // The status callback came first and found the call mid-transfer: this `<Dial>`
        // action says how the transfer went, then the call is over.
        let ended_before = match (&event, &call.stage) {
            (Event::DialEnded { .. }, Stage::Transferring { .. }) => store::ended(&mut tx, line.sid).await?,
            _ => None,
        };
        let now = self.clock.now();
        let kind = event.kind();
        let heard = match &event {
            Event::Heard { text, confidence, .. } => Some((text.clone(), *confidence)),
            _ => None,
        };
        // "My reference is 4 7 2 1 8": this call is linked to the call holding it.
        let said = match &event {
            Event::Heard { text, .. } => reference::heard(text),
            _ => None,
        };
        let linked = match said {
            Some(said) if store::reference::link(&mut tx, line.sid, &said, millis(now)).await? => Some(said),
            _ => None,
        };
        let (mut call, reply, held) =
            self.step(&mut tx, line.sid, call, event, now, linked.as_deref()).await?;
        if ended_before.is_some() {
            let knowledge = self.knowledge.get();
            call = super::step(call, Event::HungUp, &self.facts(&knowledge, now, held.as_ref(), None)).0;
        }
        let text = render.turn(&reply)?;
        let writes = effects::of_turn(line.sid, turn, &call, &reply, &self.outlets(held.as_ref()));
        let source = if reply.model_line == ModelLine::Spoken { Source::Model } else { Source::Rules };
        let model_error = interpretation.as_ref().and_then(|i| i.model_error.as_deref());
        let line_declined = match &reply.model_line {
            ModelLine::Declined(why) => Some(why.as_str()),
            ModelLine::NotOffered | ModelLine::Spoken => None,
        };
        let hold_lines = match asked.holds.as_slice() {
            [] => None,
            lines => Some(serde_json::to_string(lines).map_err(StoreError::State)?),
        };
        let record = Record {
            turn,
            event: kind,
            heard: heard.as_ref().map(|(text, _)| text.as_str()),
            confidence: heard.as_ref().and_then(|(_, confidence)| *confidence),
            source,
            model_error,
            line_declined,
            usage: interpretation.as_ref().and_then(|i| i.usage),
            brain_ms: interpretation
                .as_ref()
                .map(|i| i64::try_from(i.elapsed.as_millis()).unwrap_or(i64::MAX)),
            latency_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
            model_asked: asked.asked,
            model_skipped: asked.skipped.map(Skip::as_str),
            read_from: asked.from.map(ReadFrom::as_str),
            hold_lines: hold_lines.as_deref(),
            reply: &reply,
            twiml: &text,
            writes: &writes,
        };
        store::save(&mut tx, line.sid, &call, &record, millis(now)).await?;
        if let Some(duration_s) = ended_before {
            self.note_end(&mut tx, line.sid, &call, duration_s, millis(now)).await?;
        }
        tx.commit().await?;
        self.early.forget(line.sid, turn);

        let metrics = &self.metrics;
        metrics.turn_seconds.observe(started.elapsed().saturating_sub(reading).as_secs_f64());
        if let Some(interpretation) = &interpretation {
            metrics.brain_seconds.observe(interpretation.elapsed.as_secs_f64());
            metrics.answered(source.as_str());
            if interpretation.model_error.is_some() {
                metrics.model_errors.inc();
            }
        }
        tracing::info!(
            call = line.sid,
            turn,
            caller = call.caller.phone.as_ref().map(Phone::masked).unwrap_or_default(),
            stage = call.stage.name(),
            source = source.as_str(),
            brain_ms = interpretation.as_ref().map(|i| i.elapsed.as_secs_f64() * 1e3),
            model_skipped = asked.skipped.map(Skip::as_str),
            read_from = asked.from.map(ReadFrom::as_str),
            holds = asked.holds.len(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
            "turn"
        );
        Ok(Reply { text, reading })
    }

    /// Reads an utterance (and finds a twin callback's stored reply, when this turn was
    /// answered already). With a model: the rules alone where the model's line could not be
    /// spoken (`worth`), else the reading of these words, started early on a partial or now,
    /// if it is ready within the grace; `Held` when it is not.
    async fn read(
        &self,
        line: &Line<'_>,
        turn: u32,
        from: Option<&Phone>,
        text: &str,
        confidence: Option<f64>,
        caller: &mut Option<Caller>,
    ) -> Result<Read, TurnError> {
        let started = Instant::now();
        let knowledge = self.knowledge.get();
        let facts = self.facts(&knowledge, self.clock.now(), None, None);
        if !self.reader.wants_conversation() {
            return Ok(Read::Fresh(Box::new(self.reader.read(text, &facts, None).await), Asked::default()));
        }
        let known = match store::find(&self.db.pool, line.sid, turn).await? {
            Found::Replied(twiml) => return Ok(Read::Replied(twiml)),
            Found::Call(call) => *call,
            Found::Missing => {
                let found = self.lookup(from).await?;
                *caller = Some(found.clone());
                Call::new(found)
            }
        };
        let rules = rules::read(text, &self.office.staff);
        if let Ask::RulesAlone(why) = worth::decide(&known, text, confidence, &rules, &facts) {
            let reading =
                Interpretation { reading: rules, model_error: None, usage: None, elapsed: started.elapsed() };
            return Ok(Read::Fresh(
                Box::new(reading),
                Asked { asked: Some(false), skipped: Some(why), ..Asked::default() },
            ));
        }
        if self.reader.resting() {
            // The reader answers at once with the rules and says why: nothing to wait for.
            let history = store::history(&self.db.pool, line.sid, HISTORY).await?;
            let conversation = Conversation { call: &known, history: &history };
            let reading = self.reader.read(text, &facts, Some(&conversation)).await;
            return Ok(Read::Fresh(Box::new(reading), Asked { asked: Some(true), ..Asked::default() }));
        }
        let pending = self.early.for_final(line.sid, turn, text).await?;
        let asked = Asked { asked: Some(true), from: Some(pending.from), ..Asked::default() };
        Ok(match self.early.wait(&pending, self.early.settings.grace).await? {
            Some(stored) => Read::Fresh(Box::new(stored.interpretation()), asked),
            None => Read::Held(held_language(&known, text)),
        })
    }

    /// The caller as the directory knows them. Never fails the call on the directory's
    /// account: a slow or sick system of record makes an unknown caller for this call.
    async fn lookup(&self, phone: Option<&Phone>) -> Result<Caller, TurnError> {
        let Some(phone) = phone else { return Ok(Caller::unknown(None)) };
        let unknown = || Caller::unknown(Some(phone.clone()));
        match tokio::time::timeout(self.lookup_deadline, self.directory.find(phone)).await {
            Ok(Ok(found)) => Ok(found.unwrap_or_else(unknown)),
            Ok(Err(LookupError::Db(e))) => Err(e.into()),
            Ok(Err(LookupError::Unavailable(e))) => {
                tracing::warn!(caller = phone.masked(), "caller lookup failed, caller unknown: {e}");
                Ok(unknown())
            }
            Err(_) => {
                tracing::warn!(caller = phone.masked(), "caller lookup too slow, caller unknown");
                Ok(unknown())
            }
        }
    }

    /// Opens the write transaction holding the call's lock, creating the call (for `caller`)
    /// when this is its first callback.
    async fn lock(
        &self,
        line: &Line<'_>,
        turn: u32,
        mut caller: Option<Caller>,
    ) -> Result<Locked, TurnError> {
        loop {
            let mut tx = self.db.begin_write().await?;
            match store::find_locked(&mut tx, line.sid, turn).await? {
                Found::Replied(twiml) => return Ok(Locked::Replied(twiml)),
                Found::Call(call) => return Ok(Locked::Call(tx, call)),
                Found::Missing => match caller.take() {
                    Some(caller) => {
                        // A twin may create it first: then this insert does nothing, and the
                        // second look finds the twin's call (or its reply).
                        store::create(&mut tx, line, &Call::new(caller), millis(self.clock.now())).await?;
                        return match store::find_locked(&mut tx, line.sid, turn).await? {
                            Found::Replied(twiml) => Ok(Locked::Replied(twiml)),
                            Found::Call(call) => Ok(Locked::Call(tx, call)),
                            Found::Missing => Err(TurnError::Vanished),
                        };
                    }
                    // A callback of a call whose start we never saw: look the caller up
                    // without holding the lock, then try again.
                    None => {
                        drop(tx);
                        caller = Some(self.lookup(line.from.and_then(Phone::parse).as_ref()).await?);
                    }
                },
            }
        }
    }
}

enum Read {
    Fresh(Box<Interpretation>, Asked),
    /// A twin of this callback answered first.
    Replied(String),
    /// The reading is not ready within the grace: a hold line first, in this language.
    Held(Language),
}

/// What a turn did with the model, for its record.
#[derive(Default)]
struct Asked {
    /// `None` for a turn without speech, or without a model at all.
    asked: Option<bool>,
    skipped: Option<Skip>,
    from: Option<ReadFrom>,
    /// The hold lines played before the answer (never counted as said).
    holds: Vec<String>,
}

/// The deadline of a held turn is wall time (Twilio's), not the office clock, which tests
/// stop: Unix milliseconds now, and the time since such a moment.
/// The language a hold line is said in: the one the caller just asked for, or spoke as their
/// first words, else the call's (the machine switches the same way once the reading is in).
fn held_language(call: &Call, text: &str) -> Language {
    let cue = language::cue(text);
    let first = cue.speaks.filter(|l| call.heard.is_empty() && *l == Language::Spanish);
    cue.wants.or(first).unwrap_or(call.language)
}

fn wall_clock_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn since(at_ms: i64) -> Duration {
    Duration::from_millis(u64::try_from(wall_clock_ms() - at_ms).unwrap_or(0))
}

enum Locked {
    /// A twin of this callback answered first.
    Replied(String),
    Call(WriteTx, Box<Call>),
}
