//! Twilio's REST API, for the one thing frontdesk sends itself: texts, to on-call staff and
//! to callers, each asking Twilio to post its delivery status back (`StatusCallback`).

use std::time::Duration;

use serde::Deserialize;

pub const DEFAULT_API_BASE: &str = "https://api.twilio.com";

#[derive(Debug, thiserror::Error)]
pub enum RestError {
    #[error("Twilio could not be reached: {0}")]
    Network(#[source] reqwest::Error),
    #[error("Twilio answered {status}: {message}{}", code.map(|c| format!(" (error {c})")).unwrap_or_default())]
    Status { status: u16, code: Option<i64>, message: String },
    #[error("Twilio's answer was unreadable: {0}")]
    Decode(#[source] reqwest::Error),
}

impl RestError {
    /// Worth trying again later: the network, rate limits and Twilio's own failures.
    pub fn is_retryable(&self) -> bool {
        match self {
            RestError::Network(_) | RestError::Decode(_) => true,
            RestError::Status { status, .. } => *status == 429 || *status >= 500,
        }
    }

    /// Twilio said the number cannot receive texts: its error code.
    pub fn unreachable(&self) -> Option<i64> {
        match self {
            RestError::Status { code: Some(code), .. } if cannot_receive(*code) => Some(*code),
            _ => None,
        }
    }
}

/// Twilio's error codes that mean the number will never take a text from us: 21211 (not a
/// valid phone number), 21610 (the recipient replied STOP), 21612 (not reachable by SMS),
/// 21614 (not a mobile number: a landline); and among delivery receipts' `ErrorCode`s, 30004
/// (blocked by the recipient), 30005 (unknown handset) and 30006 (a landline or a carrier
/// that takes no texts). Carrier filtering (30007) and a phone that is off (30003) say
/// nothing about the number.
pub fn cannot_receive(code: i64) -> bool {
    matches!(code, 21211 | 21610 | 21612 | 21614 | 30004 | 30005 | 30006)
}

#[derive(Clone)]
pub struct Rest {
    http: reqwest::Client,
    base: String,
    account_sid: String,
    auth_token: String,
}

#[derive(Deserialize)]
struct MessageResource {
    sid: String,
}

#[derive(Deserialize)]
struct ErrorResource {
    message: String,
    code: Option<i64>,
}

impl Rest {
    pub fn new(base: &str, account_sid: String, auth_token: String) -> Rest {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()
            .unwrap_or_default();
        Rest { http, base: base.trim_end_matches('/').to_string(), account_sid, auth_token }
    }

    /// Sends one SMS and returns its Message SID. `from` is a Twilio number or a Messaging
    /// Service SID (`MG...`); Twilio posts the message's status to `status_callback`.
    pub async fn send_sms(
        &self,
        to: &str,
        from: &str,
        body: &str,
        status_callback: Option<&str>,
    ) -> Result<String, RestError> {
        let url = format!("{}/2010-04-01/Accounts/{}/Messages.json", self.base, self.account_sid);
        let sender = if from.starts_with("MG") { "MessagingServiceSid" } else { "From" };
        let mut form = vec![("To", to), (sender, from), ("Body", body)];
        form.extend(status_callback.map(|url| ("StatusCallback", url)));
        let response = self
            .http
            .post(url)
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .form(&form)
            .send()
            .await
            .map_err(|e| RestError::Network(e.without_url()))?;
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            let (message, code) = match serde_json::from_str::<ErrorResource>(&text) {
                Ok(error) => (error.message, error.code),
                Err(_) => (text, None),
            };
            // Twilio's messages quote the number they refused: it must not reach a log.
            let message = crate::phone::redact(&message);
            return Err(RestError::Status { status: status.as_u16(), code, message });
        }
        let bytes = response.bytes().await.map_err(RestError::Decode)?;
        serde_json::from_slice::<MessageResource>(&bytes).map(|m| m.sid).map_err(|e| RestError::Status {
            status: status.as_u16(),
            code: None,
            message: format!("unreadable reply: {e}"),
        })
    }
}

#[async_trait::async_trait]
impl crate::outbox::Texts for Rest {
    async fn send_sms(&self, text: &crate::outbox::Text<'_>) -> Result<String, crate::outbox::DeliveryError> {
        use crate::outbox::DeliveryError;
        let sent = Rest::send_sms(self, text.to, text.from, text.body, text.status_callback).await;
        sent.map_err(|e| match (e.unreachable(), e.is_retryable()) {
            (Some(code), _) => DeliveryError::Unreachable { code, message: e.to_string() },
            (None, true) => DeliveryError::Retryable(e.to_string()),
            (None, false) => DeliveryError::Permanent(e.to_string()),
        })
    }
}
