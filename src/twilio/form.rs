//! The `Signed<T>` data guard: a Twilio form post whose signature has been checked.
//!
//! Rocket's `Form` would consume the body before the signature could be computed over it, so
//! this guard reads the raw body once, verifies it against the public URL, then parses it
//! leniently (Twilio adds fields over time; unknown ones are ignored).

use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::form::{Form, FromForm};
use rocket::http::{RawStr, Status};
use rocket::request::Request;
use rocket::response::{self, Responder};

use super::TwilioConfig;
use crate::App;

/// The fields of Twilio's voice callbacks that frontdesk reads.
#[derive(Debug, FromForm)]
pub struct CallbackParams {
    #[field(name = "CallSid")]
    pub call_sid: String,
    #[field(name = "From")]
    pub from: Option<String>,
    #[field(name = "To")]
    pub to: Option<String>,
    #[field(name = "SpeechResult")]
    pub speech: Option<String>,
    #[field(name = "Confidence")]
    pub confidence: Option<f64>,
    #[field(name = "DialCallStatus")]
    pub dial_status: Option<String>,
    #[field(name = "CallStatus")]
    pub call_status: Option<String>,
    /// STIR/SHAKEN: how far the carrier vouches for `From` (absent on many real calls).
    #[field(name = "StirVerstat")]
    pub stir_verstat: Option<String>,
    #[field(name = "CallDuration")]
    pub duration: Option<i64>,
}

pub struct Signed<T>(pub T);

#[derive(Debug, thiserror::Error)]
pub enum Rejection {
    #[error("invalid or missing X-Twilio-Signature")]
    Signature,
    #[error("the request body is not a readable form: {0}")]
    Body(String),
    #[error("{0}")]
    Form(String),
}

impl<'r> Responder<'r, 'static> for Rejection {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let status = match self {
            Rejection::Signature => Status::Forbidden,
            Rejection::Body(_) | Rejection::Form(_) => Status::BadRequest,
        };
        tracing::warn!(path = %req.uri().path(), %status, "rejected Twilio request: {self}");
        (status, self.to_string()).respond_to(req)
    }
}

#[rocket::async_trait]
impl<'r, T: for<'a> FromForm<'a> + 'static> FromData<'r> for Signed<T> {
    type Error = Rejection;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        use rocket::outcome::Outcome::{Error, Success};
        let Some(app) = req.rocket().state::<App>() else {
            return Error((Status::InternalServerError, Rejection::Body("app state missing".into())));
        };
        let limit = req.limits().get("form").unwrap_or(64.kibibytes());
        let body = match data.open(limit).into_string().await {
            Ok(body) if body.is_complete() => body.into_inner(),
            Ok(_) => return Error((Status::PayloadTooLarge, Rejection::Body("too large".into()))),
            Err(e) => return Error((Status::BadRequest, Rejection::Body(e.to_string()))),
        };
        if let Some(verifier) = &app.twilio.verifier {
            let params: Vec<(String, String)> =
                url::form_urlencoded::parse(body.as_bytes()).into_owned().collect();
            let url = signed_url(req, &app.twilio);
            let headers = req.headers();
            let valid = headers.get_one("X-Twilio-Signature").is_some_and(|signature| {
                let settings = headers.get_one("X-Twilio-Webhooks-Signature-Settings");
                verifier.verify(&url, &params, signature, settings)
            });
            if !valid {
                app.metrics.signature_rejections.inc();
                return Error((Status::Forbidden, Rejection::Signature));
            }
        }
        match Form::<T>::parse_encoded(RawStr::new(&body)) {
            Ok(value) => Success(Signed(value)),
            Err(errors) => {
                let fields: Vec<String> = errors
                    .iter()
                    .map(|e| match e.name.as_ref() {
                        Some(name) => format!("{name}: {}", e.kind),
                        None => e.kind.to_string(),
                    })
                    .collect();
                Error((Status::BadRequest, Rejection::Form(fields.join("; "))))
            }
        }
    }
}

/// The URL Twilio signed: the configured public address, or the scheme and host this
/// request arrived with, followed by the path and query exactly as requested.
fn signed_url(req: &Request<'_>, twilio: &TwilioConfig) -> String {
    let origin = req.uri().to_string();
    match &twilio.public_url {
        Some(base) => super::public_address(base, &origin),
        None => {
            let headers = req.headers();
            let scheme = headers.get_one("X-Forwarded-Proto").unwrap_or("http");
            let host = headers.get_one("Host").unwrap_or("localhost");
            format!("{scheme}://{host}{origin}")
        }
    }
}
