//! The voice webhooks: carry Twilio's callbacks into the call machine and its turns back out
//! as TwiML. No conversation logic lives here.
//!
//! Error policy: a webhook never answers a caller with an error. Signature and form problems
//! are refused (403/400) before anything changes; any failure after that is logged and
//! answered with `twiml::fallback`, which connects the caller to the office.

use std::io;
use std::time::{Duration, Instant};

use rocket::http::{Header, Status};
use rocket::{FromForm, Route, State, post, routes};

use super::twiml::{self, Callback, Voice};
use super::{CallbackParams, Rejection, Signed};
use crate::App;
use crate::call::store::Line;
use crate::call::turn::{Input, Renderer, Reply};
use crate::call::{Language, Turn};
use crate::db::millis;
use crate::outbox::receipts::{self, Receipt, SmsStatus};
use crate::phone::Phone;

pub fn routes() -> Vec<Route> {
    routes![post_voice, post_gather, post_dial, post_status, post_partial, post_reply, post_sms_status]
}

/// A text's status callback: Twilio's word on whether the message reached the phone.
#[derive(Debug, FromForm)]
pub struct SmsStatusParams {
    #[field(name = "MessageSid")]
    message_sid: String,
    #[field(name = "MessageStatus")]
    status: String,
    /// Why it failed (30007: carrier filtering, 30006: a landline, ...).
    #[field(name = "ErrorCode")]
    error_code: Option<i64>,
    #[field(name = "To")]
    to: Option<String>,
}

/// A partial transcript, posted while the caller is still speaking.
#[derive(Debug, FromForm)]
pub struct PartialParams {
    #[field(name = "CallSid")]
    call_sid: String,
    /// The text so far; it may still change.
    #[field(name = "UnstableSpeechResult")]
    unstable: Option<String>,
    /// Partials arrive out of order: the highest number is the newest.
    #[field(name = "SequenceNumber")]
    sequence: Option<i64>,
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
    // Only a full attestation means the carrier vouches that the caller owns the number.
    let attested = params.stir_verstat.as_deref() == Some("TN-Validation-Passed-A");
    Ok(answer(app, &params, 0, Input::Answered { attested }).await)
}

#[post("/gather?<turn>", data = "<form>")]
async fn post_gather(app: &State<App>, turn: Option<u32>, form: Webhook) -> Result<Twiml, Rejection> {
    let Signed(params) = form?;
    let turn = turn_number(turn)?;
    let input = match params.speech.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Input::Speech { text: text.to_string(), confidence: params.confidence },
        None => Input::Silence,
    };
    Ok(answer(app, &params, turn, input).await)
}

#[post("/dial?<turn>", data = "<form>")]
async fn post_dial(app: &State<App>, turn: Option<u32>, form: Webhook) -> Result<Twiml, Rejection> {
    let Signed(params) = form?;
    let turn = turn_number(turn)?;
    let answered = matches!(params.dial_status.as_deref(), Some("completed" | "answered"));
    Ok(answer(app, &params, turn, Input::DialEnded { answered }).await)
}

/// Twilio ignores the reply: answer at once, and read early in the background.
#[post("/partial?<turn>", data = "<form>")]
async fn post_partial(
    app: &State<App>,
    turn: Option<u32>,
    form: Result<Signed<PartialParams>, Rejection>,
) -> Result<Status, Rejection> {
    let Signed(params) = form?;
    let turn = turn_number(turn)?;
    if let (Some(text), Some(seq)) = (params.unstable.as_deref(), params.sequence) {
        app.turns.early.partial(&params.call_sid, turn, seq, text);
    }
    Ok(Status::NoContent)
}

/// Fetched by Twilio once a hold line has played: the answer, or one more hold line.
#[post("/reply?<turn>&<hold>", data = "<form>")]
async fn post_reply(
    app: &State<App>,
    turn: Option<u32>,
    hold: Option<u32>,
    form: Webhook,
) -> Result<Twiml, Rejection> {
    let Signed(params) = form?;
    let turn = turn_number(turn)?;
    let hold = hold.unwrap_or(1);
    let started = Instant::now();
    let render = Render::new(app, &params, turn);
    let reply = app.turns.resume(&render.line(&params), turn, hold, &render).await;
    Ok(reply_or_fallback(app, &params, turn, started, reply))
}

/// The `?turn=` of a callback. The query is signed, but the numbers are ours to bound: the
/// last `u32` has no next turn, and `Turns::end` uses it to mean "no turn".
fn turn_number(turn: Option<u32>) -> Result<u32, Rejection> {
    turn.filter(|turn| *turn < u32::MAX)
        .ok_or_else(|| Rejection::Form("turn: missing from the query or out of range".into()))
}

#[post("/status", data = "<form>")]
async fn post_status(app: &State<App>, form: Webhook) -> Result<Status, Rejection> {
    let Signed(params) = form?;
    let ended = matches!(
        params.call_status.as_deref(),
        Some("completed" | "busy" | "failed" | "no-answer" | "canceled")
    );
    let line = Line { sid: &params.call_sid, from: params.from.as_deref(), to: params.to.as_deref() };
    if ended && let Err(e) = app.turns.end(&line, params.duration).await {
        tracing::error!(call = %params.call_sid, "could not record the end of the call: {e}");
    }
    Ok(Status::NoContent)
}

/// Keeps where a text stands. Twilio ignores the reply; a status frontdesk does not know is
/// acknowledged and dropped.
#[post("/sms-status", data = "<form>")]
async fn post_sms_status(
    app: &State<App>,
    form: Result<Signed<SmsStatusParams>, Rejection>,
) -> Result<Status, Rejection> {
    let Signed(params) = form?;
    let Some(status) = SmsStatus::parse(&params.status) else {
        tracing::info!(message = %params.message_sid, status = %params.status, "text status not kept");
        return Ok(Status::NoContent);
    };
    let unreachable =
        params.error_code.filter(|code| super::rest::cannot_receive(*code)).and(params.to.as_deref());
    let receipt =
        Receipt { message_sid: &params.message_sid, status, error_code: params.error_code, unreachable };
    if status.failed() {
        tracing::warn!(message = %params.message_sid, code = params.error_code, "a text was not delivered");
    }
    if let Err(e) = receipts::record(&app.db, &receipt, millis(app.clock.now())).await {
        tracing::error!(message = %params.message_sid, "could not keep a text's status: {e}");
    }
    Ok(Status::NoContent)
}

/// The voice and speech model of a call in `language`. `first`: the call's first `<Gather>`,
/// before anything was heard: with a model that hears several languages at once
/// (`deepgram_nova-3`), it listens for any, so a caller who simply speaks Spanish is heard.
fn voice(app: &App, language: Language, first: bool) -> Voice<'_> {
    let office = &app.office;
    match language {
        Language::English => {
            let speech_model = app.twilio.speech_model.as_str();
            let multi = first && speech_model == MULTILINGUAL;
            Voice {
                voice: &office.voice,
                language: &office.language,
                listen: if multi { "multi" } else { &office.language },
                speech_model,
                hints: &app.speech_hints,
                invite_voice: &office.voice_es,
                invite_language: &office.language_es,
            }
        }
        Language::Spanish => Voice {
            voice: &office.voice_es,
            language: &office.language_es,
            listen: &office.language_es,
            speech_model: &app.twilio.speech_model_es,
            hints: &app.speech_hints,
            invite_voice: &office.voice_es,
            invite_language: &office.language_es,
        },
    }
}

/// The one Twilio speech model that takes `language="multi"`.
const MULTILINGUAL: &str = "deepgram_nova-3";

/// How this call's replies are rendered: the voice, the next callbacks (under the
/// `PUBLIC_URL` prefix), the transfer's caller id.
struct Render<'a> {
    app: &'a App,
    turn: u32,
    prefix: String,
    caller_id: Option<Phone>,
}

impl<'a> Render<'a> {
    fn new(app: &'a App, params: &CallbackParams, turn: u32) -> Render<'a> {
        // A transfer shows the caller's own number to staff when it is a real one.
        let parse = |number: &Option<String>| number.as_deref().and_then(Phone::parse);
        let caller_id = parse(&params.from).or_else(|| parse(&params.to));
        Render { app, turn, prefix: app.twilio.prefix(), caller_id }
    }

    fn line<'p>(&self, params: &'p CallbackParams) -> Line<'p> {
        Line { sid: &params.call_sid, from: params.from.as_deref(), to: params.to.as_deref() }
    }
}

impl Renderer for Render<'_> {
    fn turn(&self, turn: &Turn) -> io::Result<String> {
        let callback = Callback {
            prefix: &self.prefix,
            next_turn: self.turn.saturating_add(1),
            caller_id: self.caller_id.as_ref(),
            partials: self.app.turns.early.speculating(),
        };
        twiml::render(turn, &voice(self.app, turn.language, self.turn == 0), &callback)
    }

    fn hold(&self, line: &str, hold: u32, language: Language) -> io::Result<String> {
        let redirect = format!("{}/twilio/reply?turn={}&hold={hold}", self.prefix, self.turn);
        twiml::hold(&voice(self.app, language, false), line, &redirect)
    }
}

/// Hands the callback to the turn service and renders its turn as TwiML; any failure there
/// is logged and answered with `twiml::fallback`, never with an error.
async fn answer(app: &App, params: &CallbackParams, turn: u32, input: Input) -> Twiml {
    let started = Instant::now();
    let render = Render::new(app, params, turn);
    let reply = app.turns.take(&render.line(params), turn, input, &render).await;
    reply_or_fallback(app, params, turn, started, reply)
}

fn reply_or_fallback(
    app: &App,
    params: &CallbackParams,
    turn: u32,
    started: Instant,
    reply: Result<Reply, crate::call::turn::TurnError>,
) -> Twiml {
    match reply {
        Ok(Reply { text, reading }) => Twiml(text, server_timing(started.elapsed(), reading)),
        Err(e) => {
            tracing::error!(call = %params.call_sid, turn, "answering with the fallback: {e}");
            let fallback = twiml::fallback(&voice(app, Language::English, false), &app.office.office_phone);
            Twiml(fallback, server_timing(started.elapsed(), Duration::ZERO))
        }
    }
}
