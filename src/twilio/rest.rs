//! Twilio's REST API, for the one thing frontdesk sends itself: SMS to on-call staff.

use std::time::Duration;

use serde::Deserialize;

pub const DEFAULT_API_BASE: &str = "https://api.twilio.com";

#[derive(Debug, thiserror::Error)]
pub enum RestError {
    #[error("Twilio could not be reached: {0}")]
    Network(#[source] reqwest::Error),
    #[error("Twilio answered {status}: {message}")]
    Status { status: u16, message: String },
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
    /// Service SID (`MG...`).
    pub async fn send_sms(&self, to: &str, from: &str, body: &str) -> Result<String, RestError> {
        let url = format!("{}/2010-04-01/Accounts/{}/Messages.json", self.base, self.account_sid);
        let sender = if from.starts_with("MG") { "MessagingServiceSid" } else { "From" };
        let response = self
            .http
            .post(url)
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .form(&[("To", to), (sender, from), ("Body", body)])
            .send()
            .await
            .map_err(|e| RestError::Network(e.without_url()))?;
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            let message = serde_json::from_str::<ErrorResource>(&text).map(|e| e.message).unwrap_or(text);
            // Twilio's messages quote the number they refused: it must not reach a log.
            let message = crate::phone::redact(&message);
            return Err(RestError::Status { status: status.as_u16(), message });
        }
        let bytes = response.bytes().await.map_err(RestError::Decode)?;
        serde_json::from_slice::<MessageResource>(&bytes).map(|m| m.sid).map_err(|e| RestError::Status {
            status: status.as_u16(),
            message: format!("unreadable reply: {e}"),
        })
    }
}

#[async_trait::async_trait]
impl crate::outbox::Texts for Rest {
    async fn send_sms(
        &self,
        to: &str,
        from: &str,
        body: &str,
    ) -> Result<String, crate::outbox::DeliveryError> {
        use crate::outbox::DeliveryError;
        Rest::send_sms(self, to, from, body).await.map_err(|e| match e.is_retryable() {
            true => DeliveryError::Retryable(e.to_string()),
            false => DeliveryError::Permanent(e.to_string()),
        })
    }
}
