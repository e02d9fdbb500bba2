//! Twilio: the voice webhooks (form posts in, TwiML out), their signatures, and TwiML.

mod form;
pub mod rest;
pub mod signature;
pub mod twiml;
mod webhooks;

use rocket::Route;

pub use form::{CallbackParams, Rejection, Signed};
use signature::Verifier;

/// How webhooks are checked and answered.
#[derive(Clone)]
pub struct TwilioConfig {
    /// `None` only when the operator explicitly turned the check off.
    pub verifier: Option<Verifier>,
    /// The public address Twilio calls (and signs); without it, the request's own host.
    pub public_url: Option<String>,
    pub speech_model: String,
}

pub fn routes() -> Vec<Route> {
    webhooks::routes()
}
