//! The HTTP side of Rent Manager: one token per process, reused across requests and calls,
//! renewed once on a 401; timeouts; and the three ways Rent Manager says "no rows".

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::Mutex;

#[derive(Debug, Clone)]
pub enum Auth {
    /// `POST /Authentication/AuthorizeUser`, then the token it returns.
    Login { username: String, password: String, location_id: Option<i64> },
    /// A token issued ahead of time; never logs in.
    ApiKey(String),
}

#[derive(Debug, thiserror::Error)]
pub enum RentManagerError {
    #[error("Rent Manager did not answer in time")]
    Timeout,
    #[error("Rent Manager could not be reached: {0}")]
    Connect(String),
    #[error("Rent Manager refused the login: {0}")]
    LoginRefused(String),
    #[error("Rent Manager answered {status}: {message}")]
    Status { status: u16, message: String },
    #[error("Rent Manager's answer was unreadable: {0}")]
    Decode(String),
}

impl RentManagerError {
    /// Worth trying again later (the outbox does): timeouts, the network, 408, 429, 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            RentManagerError::Timeout | RentManagerError::Connect(_) => true,
            RentManagerError::Status { status, .. } => matches!(status, 408 | 425 | 429) || *status >= 500,
            RentManagerError::LoginRefused(_) | RentManagerError::Decode(_) => false,
        }
    }
}

impl From<reqwest::Error> for RentManagerError {
    fn from(e: reqwest::Error) -> Self {
        if e.is_timeout() { RentManagerError::Timeout } else { RentManagerError::Connect(e.to_string()) }
    }
}

/// Rent Manager's error body; `DeveloperMessage` says the most.
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct ErrorBody {
    developer_message: Option<String>,
    user_message: Option<String>,
    message: Option<String>,
}

pub struct Client {
    http: reqwest::Client,
    base: String,
    auth: Auth,
    token: Mutex<Option<String>>,
}

impl Client {
    pub fn new(
        base: &str,
        auth: Auth,
        connect_timeout: Duration,
        timeout: Duration,
    ) -> Result<Client, RentManagerError> {
        let http = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            .build()
            .map_err(|e| RentManagerError::Connect(e.to_string()))?;
        let token = match &auth {
            Auth::ApiKey(key) => Some(key.clone()),
            Auth::Login { .. } => None,
        };
        Ok(Client { http, base: base.trim_end_matches('/').to_string(), auth, token: Mutex::new(token) })
    }

    /// The current token, logging in first if there is none. The lock makes concurrent
    /// callers wait for one login rather than each starting their own (Rent Manager caps
    /// logins per user).
    async fn token(&self) -> Result<String, RentManagerError> {
        let mut token = self.token.lock().await;
        if let Some(token) = token.as_ref() {
            return Ok(token.clone());
        }
        let fresh = self.login().await?;
        *token = Some(fresh.clone());
        Ok(fresh)
    }

    /// Forgets `stale` (unless another caller already replaced it) and logs in again.
    async fn renew(&self, stale: &str) -> Result<String, RentManagerError> {
        let mut token = self.token.lock().await;
        if let Some(current) = token.as_ref()
            && current != stale
        {
            return Ok(current.clone());
        }
        let fresh = self.login().await?;
        *token = Some(fresh.clone());
        Ok(fresh)
    }

    async fn login(&self) -> Result<String, RentManagerError> {
        let Auth::Login { username, password, location_id } = &self.auth else {
            return Err(RentManagerError::LoginRefused("the API key was refused".into()));
        };
        let mut body = serde_json::json!({ "Username": username, "Password": password });
        if let Some(location) = location_id {
            body["LocationID"] = (*location).into();
        }
        let response =
            self.http.post(format!("{}/Authentication/AuthorizeUser", self.base)).json(&body).send().await?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            return Err(RentManagerError::LoginRefused(message(status, &text)));
        }
        // The token comes back as a JSON string literal.
        let token = serde_json::from_str::<String>(&text)
            .unwrap_or_else(|_| text.trim().trim_matches('"').to_string());
        if token.is_empty() {
            return Err(RentManagerError::LoginRefused("an empty token".into()));
        }
        tracing::info!("Rent Manager: logged in");
        Ok(token)
    }

    /// One request with the token; a 401 renews the token and retries once. `None` is
    /// "no rows", however Rent Manager says it (204, 404, or 200 with an empty body).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Option<Value>, RentManagerError> {
        let token = self.token().await?;
        let (status, text) = self.once(method.clone(), path, body, &token).await?;
        let (status, text) = match (status, &self.auth) {
            (StatusCode::UNAUTHORIZED, Auth::Login { .. }) => {
                tracing::info!("Rent Manager: token refused, logging in again");
                let token = self.renew(&token).await?;
                self.once(method, path, body, &token).await?
            }
            _ => (status, text),
        };
        match status {
            StatusCode::NO_CONTENT | StatusCode::NOT_FOUND => Ok(None),
            s if s.is_success() && text.trim().is_empty() => Ok(None),
            s if s.is_success() => {
                serde_json::from_str(&text).map(Some).map_err(|e| RentManagerError::Decode(e.to_string()))
            }
            s => Err(RentManagerError::Status { status: s.as_u16(), message: message(s, &text) }),
        }
    }

    async fn once(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        token: &str,
    ) -> Result<(StatusCode, String), RentManagerError> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("X-RM12Api-ApiToken", token)
            .header("Accept", "application/json");
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status();
        Ok((status, response.text().await?))
    }
}

fn message(status: StatusCode, text: &str) -> String {
    let body: ErrorBody = serde_json::from_str(text).unwrap_or_default();
    body.developer_message
        .or(body.user_message)
        .or(body.message)
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_string())
}
