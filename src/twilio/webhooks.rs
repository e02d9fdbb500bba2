//! The voice webhooks: carry Twilio's callbacks into the call machine and its turns back out
//! as TwiML. No conversation logic lives here.
//!
//! Error policy: a webhook never answers a caller with an error. Signature and form problems
//! are refused (403/400) before anything changes; any failure after that is logged and
//! answered with `twiml::fallback`, which connects the caller to the office.

use std::io;
use std::time::{Duration, Instant};

use rocket::http::{Header, Status};
use rocket::{Route, State, post, routes};

use super::twiml::{self, Callback, Voice};
use super::{CallbackParams, Rejection, Signed};
use crate::App;
use crate::brain::{Context, Interpretation, prompt};
use crate::call::store::{self, Found, Line, Record, StoreError};
use crate::call::{self, Call, Caller, Event, Facts, ModelLine};
use crate::db::WriteTx;
use crate::db::millis;
use crate::outbox::{self, Item};
use crate::phone::Phone;
use crate::rent_manager::NoteOn;

pub fn routes() -> Vec<Route> {
    routes![post_voice, post_gather, post_dial, post_status]
}

/// TwiML, with a `Server-Timing` header saying how long frontdesk itself took (`turn`,
/// the model's wait excluded) and how long reading the caller took (`brain`).
#[derive(rocket::Responder)]
#[response(content_type = "xml")]
pub struct Twiml(String, Header<'static>);

fn server_timing(total: Duration, brain: Duration) -> Header<'static> {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    Header::new(
        "Server-Timing",
        format!("turn;dur={:.3}, brain;dur={:.3}", ms(total.saturating_sub(brain)), ms(brain)),
    )
}

type Webhook = Result<Signed<CallbackParams>, Rejection>;

#[post("/voice", data = "<form>")]
async fn post_voice(app: &State<App>, form: Webhook) -> Result<Twiml, Rejection> {
    let Signed(params) = form?;
    Ok(answer(app, &params, 0, Input::Answered).await)
}

#[post("/gather?<turn>", data = "<form>")]
async fn post_gather(app: &State<App>, turn: Option<u32>, form: Webhook) -> Result<Twiml, Rejection> {
    let Signed(params) = form?;
    let turn = turn.ok_or_else(|| Rejection::Form("turn: missing from the query".into()))?;
    let input = match params.speech.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Input::Speech { text: text.to_string(), confidence: params.confidence },
        None => Input::Silence,
    };
    Ok(answer(app, &params, turn, input).await)
}

#[post("/dial?<turn>", data = "<form>")]
async fn post_dial(app: &State<App>, turn: Option<u32>, form: Webhook) -> Result<Twiml, Rejection> {
    let Signed(params) = form?;
    let turn = turn.ok_or_else(|| Rejection::Form("turn: missing from the query".into()))?;
    let answered = matches!(params.dial_status.as_deref(), Some("completed" | "answered"));
    Ok(answer(app, &params, turn, Input::DialEnded { answered }).await)
}

#[post("/status", data = "<form>")]
async fn post_status(app: &State<App>, form: Webhook) -> Result<Status, Rejection> {
    let Signed(params) = form?;
    let ended = matches!(
        params.call_status.as_deref(),
        Some("completed" | "busy" | "failed" | "no-answer" | "canceled")
    );
    if ended && let Err(e) = end_call(app, &params).await {
        tracing::error!(call = %params.call_sid, "could not record the end of the call: {e}");
    }
    Ok(Status::NoContent)
}

#[derive(Debug, thiserror::Error)]
enum WebhookError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("rendering TwiML: {0}")]
    Render(#[from] io::Error),
    #[error("the call's row vanished while it was being created")]
    Vanished,
}

fn voice(app: &App) -> Voice<'_> {
    Voice {
        voice: &app.office.voice,
        language: &app.office.language,
        speech_model: &app.twilio.speech_model,
        hints: &app.speech_hints,
    }
}

/// What a callback brought, before the brain has read it.
enum Input {
    Answered,
    Speech { text: String, confidence: Option<f64> },
    Silence,
    DialEnded { answered: bool },
}

async fn answer(app: &App, params: &CallbackParams, turn: u32, input: Input) -> Twiml {
    let started = Instant::now();
    let mut brain = Duration::ZERO;
    match converse(app, params, turn, input, &mut brain).await {
        Ok(twiml) => Twiml(twiml, server_timing(started.elapsed(), brain)),
        Err(e) => {
            tracing::error!(call = %params.call_sid, turn, "answering with the fallback: {e}");
            let fallback = twiml::fallback(&voice(app), &app.office.office_phone);
            Twiml(fallback, server_timing(started.elapsed(), brain))
        }
    }
}

/// One turn: let the brain read the caller (outside any lock: the model may take seconds),
/// then, holding the call's lock, replay a twin's stored reply or step the machine and store
/// the new state, the turn and its records in one write transaction.
async fn converse(
    app: &App,
    params: &CallbackParams,
    turn: u32,
    input: Input,
    brain_time: &mut Duration,
) -> Result<String, WebhookError> {
    let started = Instant::now();
    let sid = params.call_sid.as_str();
    let from = params.from.as_deref().and_then(Phone::parse);
    let line = Line { sid, from: params.from.as_deref(), to: params.to.as_deref() };

    // Outside the lock: anything slow. Who calls is looked up when the call starts, and the
    // model (when there is one) reads the caller with the conversation so far.
    let mut caller = None;
    let mut brain = None;
    let event = match input {
        Input::Answered => {
            caller = Some(app.directory.lookup(from.as_ref()).await?);
            Event::Answered
        }
        Input::Silence => Event::Silence,
        Input::DialEnded { answered } => Event::DialEnded { answered },
        Input::Speech { text, confidence } => {
            let interpretation = match app.brain.model {
                None => Interpretation::by_rules(&text, &app.office.staff),
                Some(_) => {
                    let known = match store::find(&app.db.pool, sid, turn).await? {
                        Found::Replied(twiml) => return Ok(twiml),
                        Found::Call(call) => *call,
                        Found::Missing => {
                            let found = app.directory.lookup(from.as_ref()).await?;
                            caller = Some(found.clone());
                            Call::new(found)
                        }
                    };
                    let history = store::history(&app.db.pool, sid, prompt::WINDOW).await?;
                    let now = app.clock.now();
                    let knowledge = app.knowledge.get();
                    let context = Context {
                        office: &app.office,
                        knowledge: &knowledge,
                        now,
                        call: &known,
                        history: &history,
                    };
                    app.brain.interpret(&context, &text).await
                }
            };
            *brain_time = interpretation.elapsed;
            let event = Event::Heard { text, confidence, reading: interpretation.reading.clone() };
            brain = Some(interpretation);
            event
        }
    };

    let (mut tx, call) = match lock_call(app, &line, turn, caller).await? {
        Locked::Replied(twiml) => return Ok(twiml),
        Locked::Call(tx, call) => (tx, *call),
    };
    let now = app.clock.now();
    let kind = event.kind();
    let heard = match &event {
        Event::Heard { text, confidence, .. } => Some((text.clone(), *confidence)),
        _ => None,
    };
    let knowledge = app.knowledge.get();
    let (call, reply) = call::step(call, event, &Facts { office: &app.office, knowledge: &knowledge, now });
    // A transfer shows the caller's own number to staff when it is a real one.
    let caller_id = from.or_else(|| params.to.as_deref().and_then(Phone::parse));
    let callback = Callback { next_turn: turn + 1, caller_id: caller_id.as_ref() };
    let twiml = twiml::render(&reply, &voice(app), &callback)?;

    let model_error = brain.as_ref().and_then(|b| b.model_error.clone()).or(match &reply.model_line {
        ModelLine::Declined(why) => Some(format!("line not spoken: {why}")),
        ModelLine::NotOffered | ModelLine::Spoken => None,
    });
    let record = Record {
        turn,
        event: kind,
        heard: heard.as_ref().map(|(text, _)| text.as_str()),
        confidence: heard.as_ref().and_then(|(_, confidence)| *confidence),
        source: if reply.model_line == ModelLine::Spoken { "model" } else { "rules" },
        model_error: model_error.as_deref(),
        usage: brain.as_ref().and_then(|b| b.usage),
        brain_ms: brain.as_ref().map(|b| i64::try_from(b.elapsed.as_millis()).unwrap_or(i64::MAX)),
        latency_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
        reply: &reply,
        twiml: &twiml,
        to_rent_manager: app.rent_manager.is_some(),
    };
    store::save(&mut tx, sid, &call, &record, millis(now)).await?;
    tx.commit().await?;
    let metrics = &app.metrics;
    let brain_time = brain.as_ref().map(|b| b.elapsed).unwrap_or_default();
    metrics.turn_seconds.observe(started.elapsed().saturating_sub(brain_time).as_secs_f64());
    if let Some(brain) = &brain {
        metrics.brain_seconds.observe(brain.elapsed.as_secs_f64());
        metrics.answered(record.source);
        if brain.model_error.is_some() {
            metrics.model_errors.inc();
        }
    }
    tracing::info!(
        call = sid,
        turn,
        caller = call.caller.phone.as_ref().map(Phone::masked).unwrap_or_default(),
        stage = call.stage.name(),
        source = record.source,
        brain_ms = brain.as_ref().map(|b| b.elapsed.as_secs_f64() * 1e3),
        elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
        "turn"
    );
    Ok(twiml)
}

enum Locked {
    /// A twin of this callback answered first.
    Replied(String),
    Call(WriteTx, Box<Call>),
}

/// Opens the write transaction holding the call's lock, creating the call (for `caller`)
/// when this is its first callback.
async fn lock_call(
    app: &App,
    line: &Line<'_>,
    turn: u32,
    mut caller: Option<Caller>,
) -> Result<Locked, WebhookError> {
    loop {
        let mut tx = app.db.begin_write().await?;
        match store::find_locked(&mut tx, line.sid, turn).await? {
            Found::Replied(twiml) => return Ok(Locked::Replied(twiml)),
            Found::Call(call) => return Ok(Locked::Call(tx, call)),
            Found::Missing => match caller.take() {
                Some(caller) => {
                    // A twin may create it first: then this insert does nothing, and the
                    // second look finds the twin's call (or its reply).
                    store::create(&mut tx, line, &Call::new(caller), millis(app.clock.now())).await?;
                    return match store::find_locked(&mut tx, line.sid, turn).await? {
                        Found::Replied(twiml) => Ok(Locked::Replied(twiml)),
                        Found::Call(call) => Ok(Locked::Call(tx, call)),
                        Found::Missing => Err(WebhookError::Vanished),
                    };
                }
                // A callback of a call whose start we never saw: look the caller up without
                // holding the lock, then try again.
                None => {
                    drop(tx);
                    let from = line.from.and_then(Phone::parse);
                    caller = Some(app.directory.lookup(from.as_ref()).await?);
                }
            },
        }
    }
}

async fn end_call(app: &App, params: &CallbackParams) -> Result<(), WebhookError> {
    let sid = params.call_sid.as_str();
    let mut tx = app.db.begin_write().await?;
    // No turn has this number: the lookup only ever finds (and locks) the call.
    let Found::Call(call) = store::find_locked(&mut tx, sid, u32::MAX).await? else { return Ok(()) };
    let now = app.clock.now();
    let knowledge = app.knowledge.get();
    let (call, _) =
        call::step(*call, Event::HungUp, &Facts { office: &app.office, knowledge: &knowledge, now });
    store::update(&mut *tx, sid, &call, None, millis(now)).await?;
    let first_end = store::finish(&mut *tx, sid, params.duration, millis(now)).await?;
    if first_end && app.rent_manager.is_some() {
        note_the_call(app, &mut tx, sid, &call, params.duration, millis(now)).await?;
    }
    tx.commit().await?;
    tracing::info!(call = sid, outcome = call.outcomes.label(), "call ended");
    Ok(())
}

/// Every ended call becomes a note on the tenant's or prospect's history in Rent Manager:
/// what happened, what they said first, and where staff read the whole transcript.
async fn note_the_call(
    app: &App,
    tx: &mut WriteTx,
    sid: &str,
    call: &Call,
    duration: Option<i64>,
    now: i64,
) -> Result<(), WebhookError> {
    let Some(records) = &call.caller.records else { return Ok(()) };
    let on = match (records.tenant_id, records.prospect_id) {
        (Some(id), _) => NoteOn::Tenant(id),
        (None, Some(id)) => NoteOn::Prospect(id),
        (None, None) => return Ok(()),
    };
    let first_words = store::first_words(&mut **tx, sid).await?;
    let outcome = match call.outcomes.label() {
        "information" => "questions answered".to_string(),
        label => label.replace('_', " "),
    };
    let mut note = format!("Phone call answered by frontdesk ({outcome}");
    if let Some(seconds) = duration {
        note += &format!(", {}:{:02}", seconds / 60, seconds % 60);
    }
    note += ").";
    if let Some(words) = first_words {
        note += &format!(" Caller: \"{}\".", call::lines::quote(&words));
    }
    let base = app.twilio.public_url.as_deref().unwrap_or("").trim_end_matches('/');
    note += &format!(" Transcript: {base}/calls/{sid}");
    outbox::enqueue(tx, Some(sid), &Item::HistoryNote { on, note }, now).await?;
    Ok(())
}
