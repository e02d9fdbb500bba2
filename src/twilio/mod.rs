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
    /// Twilio's speech model per language: each must support its language (see `twiml`).
    pub speech_model: String,
    pub speech_model_es: String,
}

impl TwilioConfig {
    /// The path `PUBLIC_URL` puts before `/twilio` ("/frontdesk" for
    /// `https://host/frontdesk`; empty without one): every URL in the TwiML carries it.
    pub fn prefix(&self) -> String {
        self.public_url.as_deref().map(path_prefix).unwrap_or_default()
    }
}

/// The path of a public address, without its trailing slash ("" for a bare host).
pub fn path_prefix(public_url: &str) -> String {
    match url::Url::parse(public_url) {
        Ok(url) => url.path().trim_end_matches('/').to_string(),
        Err(_) => String::new(),
    }
}

/// The URL Twilio requested (and signed) for a request that reached frontdesk at `path` (with
/// its query). A proxy may forward a `PUBLIC_URL` prefix unchanged (`/frontdesk/twilio/voice`)
/// or strip it (`/twilio/voice`): either way this is the address Twilio was given.
pub fn public_address(public_url: &str, path: &str) -> String {
    let prefix = path_prefix(public_url);
    let forwarded = !prefix.is_empty()
        && path
            .strip_prefix(prefix.as_str())
            .is_some_and(|rest| rest.starts_with(['/', '?']) || rest.is_empty());
    match (forwarded, url::Url::parse(public_url)) {
        (true, Ok(url)) => format!("{}{path}", url.origin().ascii_serialization()),
        _ => format!("{}{path}", public_url.trim_end_matches('/')),
    }
}

/// Where Twilio posts texts' delivery statuses, under `PUBLIC_URL`.
pub fn sms_status_url(public_url: &str) -> String {
    format!("{}/twilio/sms-status", public_url.trim_end_matches('/'))
}

pub fn routes() -> Vec<Route> {
    webhooks::routes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_is_signed_once_whether_the_proxy_forwards_it_or_strips_it() {
        let public = "https://host.example/frontdesk/";
        assert_eq!(path_prefix(public), "/frontdesk");
        assert_eq!(path_prefix("https://host.example"), "");
        for path in ["/frontdesk/twilio/voice", "/twilio/voice"] {
            assert_eq!(public_address(public, path), "https://host.example/frontdesk/twilio/voice");
        }
        // A path that merely starts with the same letters is not under the prefix.
        assert_eq!(
            public_address(public, "/frontdesk2/twilio/voice"),
            "https://host.example/frontdesk/frontdesk2/twilio/voice"
        );
        assert_eq!(
            public_address("https://host.example:8443", "/twilio/voice"),
            "https://host.example:8443/twilio/voice"
        );
    }
}
