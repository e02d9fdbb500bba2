//! The HTTP side of Rent Manager: one token per process, shared by every caller and renewed
//! once on a 401; connect and request timeouts; typed errors; and the ways Rent Manager says
//! "no rows".

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::Mutex;

use super::wire::ErrorBody;
use crate::phone::redact;

#[derive(Clone)]
pub enum Auth {
    /// `POST /Authentication/AuthorizeUser`, then the token it returns.
    Login { username: String, password: String, location_id: Option<i64> },
    /// A token issued ahead of time; sent as is, never logs in.
    ApiKey(String),
}

/// Printed without its secrets: settings end up in logs and panics.
impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Login { username, location_id, .. } => f
                .debug_struct("Login")
                .field("username", username)
                .field("password", &"[redacted]")
                .field("location_id", location_id)
                .finish(),
            Auth::ApiKey(_) => f.write_str("ApiKey([redacted])"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RentManagerError {
    #[error("Rent Manager did not answer in time")]
    Timeout,
    #[error("Rent Manager could not be reached: {0}")]
    Connect(String),
    /// The login, or a fresh token, was refused.
    #[error("Rent Manager refused our credentials: {0}")]
    Unauthorized(String),
    #[error("Rent Manager answered {status}: {message}")]
    Status { status: u16, message: String },
    #[error("Rent Manager's answer was unreadable: {0}")]
    Decode(String),
    /// A background scan of tenants and prospects ended without an answer.
    #[error("the Rent Manager scan stopped: {0}")]
    Stopped(String),
}

impl RentManagerError {
    /// Worth trying again later (the outbox does): timeouts, the network, 408, 425, 429, 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            RentManagerError::Timeout | RentManagerError::Connect(_) | RentManagerError::Stopped(_) => true,
            RentManagerError::Status { status, .. } => matches!(status, 408 | 425 | 429) || *status >= 500,
            RentManagerError::Unauthorized(_) | RentManagerError::Decode(_) => false,
        }
    }
}

impl From<reqwest::Error> for RentManagerError {
    fn from(e: reqwest::Error) -> Self {
        // The URL may hold a caller's number (the phone search): errors are logged and kept.
        if e.is_timeout() {
            RentManagerError::Timeout
        } else {
            RentManagerError::Connect(redact(&e.without_url().to_string()))
        }
    }
}

/// The three ways "no rows" comes back, depending on the endpoint and build (reference §3.1):
/// 204, 404 when a filter matches nothing, or 200 with an empty body. (`[]` is simply an
/// empty list.) Only for reads: a 404 on a write is a real error.
fn is_no_rows(method: &Method, status: StatusCode, body: &str) -> bool {
    *method == Method::GET
        && (status == StatusCode::NO_CONTENT
            || status == StatusCode::NOT_FOUND
            || (status.is_success() && body.trim().is_empty()))
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
            .map_err(RentManagerError::from)?;
        let token = match &auth {
            Auth::ApiKey(key) => Some(key.clone()),
            Auth::Login { .. } => None,
        };
        Ok(Client { http, base: base.trim_end_matches('/').to_string(), auth, token: Mutex::new(token) })
    }

    /// A collection (a bare array) or one instance (an object), as rows; none for "no rows".
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<Vec<T>, RentManagerError> {
        let items = match self.send(Method::GET, path, None).await? {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(one) => vec![one],
        };
        items.into_iter().map(|v| serde_json::from_value(v).map_err(decode)).collect()
    }

    /// A save; `None` when Rent Manager answers without a body.
    pub async fn post(&self, path: &str, body: &impl Serialize) -> Result<Option<Value>, RentManagerError> {
        let body = serde_json::to_value(body).map_err(decode)?;
        self.send(Method::POST, path, Some(&body)).await
    }

    /// An action without a body, such as `ServiceManagerIssues/{id}/LinkUnit?unitID=..`.
    pub async fn act(&self, path: &str) -> Result<(), RentManagerError> {
        self.send(Method::POST, path, None).await.map(drop)
    }

    /// Logs in if there is no token yet.
    pub async fn ensure_token(&self) -> Result<(), RentManagerError> {
        self.token().await.map(drop)
    }

    /// The current token, logging in first if there is none. The lock makes concurrent
    /// callers wait for one login rather than each starting their own: Rent Manager caps the
    /// sessions per user ("already logged in maximum number of times").
    async fn token(&self) -> Result<String, RentManagerError> {
        let mut token = self.token.lock().await;
        if let Some(token) = token.as_ref() {
            return Ok(token.clone());
        }
        let fresh = self.login().await?;
        *token = Some(fresh.clone());
        Ok(fresh)
    }

    /// Forgets `stale` and logs in again, unless another caller already has.
    async fn renew(&self, stale: &str) -> Result<String, RentManagerError> {
        let mut token = self.token.lock().await;
        if let Some(current) = token.as_ref()
            && current != stale
        {
            return Ok(current.clone());
        }
        *token = None;
        let fresh = self.login().await?;
        *token = Some(fresh.clone());
        Ok(fresh)
    }

    async fn login(&self) -> Result<String, RentManagerError> {
        let Auth::Login { username, password, location_id } = &self.auth else {
            return Err(RentManagerError::Unauthorized("the API key was refused".into()));
        };
        let mut body = serde_json::json!({ "Username": username, "Password": password });
        if let Some(location) = location_id {
            body["LocationID"] = (*location).into();
        }
        let response =
            self.http.post(format!("{}/Authentication/AuthorizeUser", self.base)).json(&body).send().await?;
        let status = response.status();
        let text = response.text().await?;
        match status {
            s if s.is_success() => {}
            StatusCode::BAD_REQUEST | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(RentManagerError::Unauthorized(message(status, &text)));
            }
            s => {
                return Err(RentManagerError::Status {
                    status: s.as_u16(),
                    message: redact(&message(s, &text)),
                });
            }
        }
        // The token is a JSON string literal (`"2e995f20..."`); a bare token is taken as is.
        let token = serde_json::from_str::<String>(&text).unwrap_or_else(|_| text.trim().to_string());
        if token.trim().is_empty() {
            return Err(RentManagerError::Unauthorized("an empty token".into()));
        }
        tracing::info!("Rent Manager: logged in");
        Ok(token)
    }

    /// One request with the token. A 401 renews the token and retries once; a second 401
    /// is an error, never a loop.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Option<Value>, RentManagerError> {
        let token = self.token().await?;
        let (mut status, mut text) = self.once(method.clone(), path, body, &token).await?;
        if status == StatusCode::UNAUTHORIZED && matches!(self.auth, Auth::Login { .. }) {
            tracing::info!("Rent Manager: token refused, logging in again");
            let token = self.renew(&token).await?;
            (status, text) = self.once(method.clone(), path, body, &token).await?;
        }
        match status {
            s if is_no_rows(&method, s, &text) => Ok(None),
            s if s.is_success() && text.trim().is_empty() => Ok(None),
            s if s.is_success() => serde_json::from_str(&text).map(Some).map_err(decode),
            StatusCode::UNAUTHORIZED => Err(RentManagerError::Unauthorized(message(status, &text))),
            s => Err(RentManagerError::Status { status: s.as_u16(), message: redact(&message(s, &text)) }),
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

fn decode(e: serde_json::Error) -> RentManagerError {
    RentManagerError::Decode(e.to_string())
}

/// The most telling message in an error body: `DeveloperMessage` says the most.
fn message(status: StatusCode, text: &str) -> String {
    let body: ErrorBody = serde_json::from_str(text).unwrap_or_default();
    body.developer_message
        .or(body.user_message)
        .or(body.message)
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_print() {
        let login = Auth::Login { username: "fd".into(), password: "hunter2".into(), location_id: Some(1) };
        let key = Auth::ApiKey("rm-key-123".into());
        let printed = format!("{login:?} {key:?}");
        assert!(!printed.contains("hunter2") && !printed.contains("rm-key-123"), "{printed}");
        assert!(printed.contains("fd"), "{printed}");
    }
}
