//! One chat-completion request on the wire, with no retries of its own: the caller decides
//! what is worth a second try (see `Failure::retry_in`).
//!
//! async-openai's client retries 429, every 5xx and connect errors up to three times, honours
//! any `Retry-After`, and cannot be told about a turn's deadline: against a server that
//! answers 500 to an unsupported `response_format`, one turn cost a dozen requests. So the
//! request is sent with reqwest here, and async-openai supplies the types: the request is
//! built with its builders and the answer is read into its `CreateChatCompletionResponse`.

use std::time::Duration;

use async_openai::error::WrappedError;
use async_openai::types::chat::CreateChatCompletionResponse;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use serde_json::Value;

/// Where the chat completions are and how the key is presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Api {
    /// OpenAI's layout, which Ollama, vLLM, llama.cpp and LM Studio copy:
    /// `{base}/chat/completions`.
    OpenAi { base_url: String },
    /// Azure OpenAI's deployments:
    /// `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...`.
    Azure { endpoint: String, deployment: String, api_version: String },
}

/// How the API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyHeader {
    /// `Authorization: Bearer KEY` (OpenAI and the local servers).
    Bearer,
    /// `api-key: KEY` (Azure OpenAI).
    ApiKey,
}

impl Api {
    pub fn url(&self) -> String {
        match self {
            Api::OpenAi { base_url } => format!("{}/chat/completions", base_url.trim_end_matches('/')),
            Api::Azure { endpoint, deployment, api_version } => format!(
                "{}/openai/deployments/{deployment}/chat/completions?api-version={api_version}",
                endpoint.trim_end_matches('/')
            ),
        }
    }

    /// OpenAI's own API (or Azure's), where only `max_completion_tokens` is spoken; servers
    /// that copy the API often still read only the older `max_tokens`.
    pub fn is_openai_itself(&self) -> bool {
        match self {
            Api::OpenAi { base_url } => base_url.contains("api.openai.com"),
            Api::Azure { .. } => true,
        }
    }
}

/// Why a request brought no chat completion.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Failure {
    #[error("could not connect: {0}")]
    Connect(String),
    #[error("no answer in time: {0}")]
    Timeout(String),
    #[error("request failed: {0}")]
    Transport(String),
    #[error("HTTP {status}: {message}")]
    Status { status: u16, message: String, retry_after: Option<Duration> },
    #[error("the answer is not a chat completion: {0}")]
    Decode(String),
}

impl Failure {
    /// How long to wait before the one retry a reading may make, when a retry can succeed
    /// and fits in `remaining`; `None`: answer the failure now.
    ///
    /// Worth a retry: connect errors and timeouts, 429, 502/503/504, and a 500 that does not
    /// say the request itself was bad. Never 400/401/403/404/422: the same request fails
    /// the same way.
    pub fn retry_in(&self, remaining: Duration) -> Option<Duration> {
        let wait = match self {
            Failure::Connect(_) | Failure::Timeout(_) => Duration::from_millis(50),
            Failure::Status { status: 429, retry_after, .. } => {
                retry_after.unwrap_or(Duration::from_millis(200))
            }
            Failure::Status { status: 502..=504, .. } => Duration::from_millis(100),
            Failure::Status { status: 500, message, .. } if !reports_bad_request(message) => {
                Duration::from_millis(100)
            }
            Failure::Status { .. } | Failure::Transport(_) | Failure::Decode(_) => return None,
        };
        // The retry needs time of its own after the wait, or it is only a later failure.
        (wait + MIN_ATTEMPT < remaining).then_some(wait)
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Failure::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Failure::Status { message, .. } => message,
            Failure::Connect(m) | Failure::Timeout(m) | Failure::Transport(m) | Failure::Decode(m) => m,
        }
    }
}

/// Less time than this left, a retry is not started.
const MIN_ATTEMPT: Duration = Duration::from_millis(100);

/// A server error that blames the request (llama.cpp-python answers an unsupported
/// `response_format` with a 500): retrying it only repeats the refusal.
pub fn reports_bad_request(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "response_format", "json_schema", "json_object", "tool_choice", "not supported", "unsupported",
        "invalid", "validation", "bad request",
    ]
    .iter()
    .any(|word| message.contains(word))
}

/// A client for one model server.
#[derive(Clone)]
pub struct Wire {
    http: reqwest::Client,
    url: String,
    headers: HeaderMap,
}

impl Wire {
    /// `connect_timeout` should leave room in a turn's deadline for the one retry.
    pub fn new(api: &Api, key_header: KeyHeader, key: &str, connect_timeout: Duration) -> Wire {
        let mut headers = HeaderMap::new();
        let (name, value) = match key_header {
            KeyHeader::Bearer => (reqwest::header::AUTHORIZATION, format!("Bearer {key}")),
            KeyHeader::ApiKey => (HeaderName::from_static("api-key"), key.to_string()),
        };
        // A key with characters no header may carry is sent as nothing: the server's 401 then
        // says plainly that the key is wrong.
        if let Ok(mut value) = HeaderValue::from_str(&value) {
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        let http = reqwest::Client::builder().connect_timeout(connect_timeout).build().unwrap_or_default();
        Wire { http, url: api.url(), headers }
    }

    /// One POST, no retries. The caller bounds it with its deadline (dropping the future
    /// cancels the request).
    pub async fn send(&self, body: &Value) -> Result<CreateChatCompletionResponse, Failure> {
        let response = self
            .http
            .post(&self.url)
            .headers(self.headers.clone())
            .json(body)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let bytes = response.bytes().await.map_err(transport)?;
        if !status.is_success() {
            return Err(Failure::Status {
                status: status.as_u16(),
                message: error_message(status, &bytes),
                retry_after,
            });
        }
        serde_json::from_slice(&bytes).map_err(|e| Failure::Decode(format!("{e}: {}", excerpt(&bytes))))
    }
}

fn transport(e: reqwest::Error) -> Failure {
    if e.is_connect() {
        Failure::Connect(e.to_string())
    } else if e.is_timeout() {
        Failure::Timeout(e.to_string())
    } else {
        Failure::Transport(e.to_string())
    }
}

/// `Retry-After` in seconds (the form OpenAI and proxies use; an HTTP date is not waited for).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    value.parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0).map(Duration::from_secs_f64)
}

/// The server's own words: OpenAI's `{"error": {"message": ...}}`, or the shapes other
/// servers use (`{"message": ...}`, `{"detail": ...}`, `{"error": "..."}`), or the text.
fn error_message(status: StatusCode, bytes: &[u8]) -> String {
    if let Ok(wrapped) = serde_json::from_slice::<WrappedError>(bytes) {
        return shorten(&wrapped.error.message);
    }
    let text = match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => ["/error/message", "/error", "/message", "/detail"]
            .iter()
            .find_map(|pointer| value.pointer(pointer))
            .map(|found| found.as_str().map(String::from).unwrap_or_else(|| found.to_string()))
            .unwrap_or_else(|| value.to_string()),
        Err(_) => excerpt(bytes),
    };
    if text.trim().is_empty() {
        status.canonical_reason().unwrap_or("no reason given").to_string()
    } else {
        text
    }
}

fn excerpt(bytes: &[u8]) -> String {
    shorten(&String::from_utf8_lossy(bytes))
}

/// One line of at most 300 characters: some servers answer with a whole traceback, which
/// neither a turn's record nor the dashboard should carry.
fn shorten(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, message: &str, retry_after: Option<u64>) -> Failure {
        Failure::Status { status, message: message.into(), retry_after: retry_after.map(Duration::from_secs) }
    }

    #[test]
    fn only_what_can_succeed_is_retried_and_only_within_the_time_left() {
        let plenty = Duration::from_secs(4);
        for retried in [
            Failure::Connect("refused".into()),
            Failure::Timeout("connect".into()),
            status(429, "slow down", None),
            status(502, "bad gateway", None),
            status(503, "overloaded", None),
            status(504, "gateway timeout", None),
            status(500, "simulated failure", None),
        ] {
            assert!(retried.retry_in(plenty).is_some(), "{retried}");
        }
        for never in [
            status(400, "bad", None),
            status(401, "key", None),
            status(403, "forbidden", None),
            status(404, "no such model", None),
            status(422, "unprocessable", None),
            status(500, "response_format type json_schema is not supported", None),
            Failure::Decode("not json".into()),
        ] {
            assert_eq!(never.retry_in(plenty), None, "{never}");
        }
        assert_eq!(status(429, "slow down", Some(2)).retry_in(plenty), Some(Duration::from_secs(2)));
        assert_eq!(
            status(429, "slow down", Some(10)).retry_in(plenty),
            None,
            "Retry-After past the deadline"
        );
        assert_eq!(Failure::Connect("refused".into()).retry_in(Duration::from_millis(120)), None);
    }

    #[test]
    fn the_servers_words_are_kept_whatever_their_shape() {
        let cases = [
            (
                r#"{"error":{"message":"bad key","type":"invalid_request_error","param":null,"code":null}}"#,
                "bad key",
            ),
            (
                r#"{"object":"error","message":"no json_schema here","type":"BadRequestError","code":400}"#,
                "no json_schema here",
            ),
            (r#"{"error":"model 'x' not found"}"#, "model 'x' not found"),
            (r#"{"detail":"Not Found"}"#, "Not Found"),
            ("Internal Server Error", "Internal Server Error"),
            ("", "Bad Gateway"),
        ];
        for (body, expected) in cases {
            assert_eq!(error_message(StatusCode::BAD_GATEWAY, body.as_bytes()), expected);
        }
    }

    /// Azure's deployment path, api-version and `api-key` header; OpenAI's bearer token.
    #[tokio::test]
    async fn the_request_goes_where_each_api_wants_it_with_the_key_as_it_wants_it() {
        use wiremock::matchers::{header, method, path, query_param};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        let completion = serde_json::json!({
            "id": "x", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{ "index": 0, "message": { "role": "assistant", "content": "{}" }, "finish_reason": "stop" }]
        });
        Mock::given(method("POST"))
            .and(path("/openai/deployments/fd-4o/chat/completions"))
            .and(query_param("api-version", "2024-10-21"))
            .and(header("api-key", "azure-key"))
            .respond_with(ResponseTemplate::new(200).set_body_json(completion.clone()))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .and(header("authorization", "Bearer sk-key"))
            .respond_with(ResponseTemplate::new(200).set_body_json(completion))
            .mount(&server)
            .await;
        let azure = Api::Azure {
            endpoint: server.uri(),
            deployment: "fd-4o".into(),
            api_version: "2024-10-21".into(),
        };
        let openai = Api::OpenAi { base_url: format!("{}/v1", server.uri()) };
        let second = Duration::from_secs(1);
        let body = serde_json::json!({ "model": "m", "messages": [] });
        assert!(Wire::new(&azure, KeyHeader::ApiKey, "azure-key", second).send(&body).await.is_ok());
        assert!(Wire::new(&openai, KeyHeader::Bearer, "sk-key", second).send(&body).await.is_ok());
        let wrong = Wire::new(&azure, KeyHeader::Bearer, "azure-key", second).send(&body).await;
        assert_eq!(
            wrong.err().and_then(|f| f.status()),
            Some(404),
            "no mock takes the key as a bearer token"
        );
    }

    #[test]
    fn azure_and_openai_urls() {
        assert_eq!(
            Api::OpenAi { base_url: "http://127.0.0.1:8080/v1/".into() }.url(),
            "http://127.0.0.1:8080/v1/chat/completions"
        );
        let azure = Api::Azure {
            endpoint: "https://office.openai.azure.com".into(),
            deployment: "frontdesk-4o".into(),
            api_version: "2024-10-21".into(),
        };
        assert_eq!(
            azure.url(),
            "https://office.openai.azure.com/openai/deployments/frontdesk-4o/chat/completions?api-version=2024-10-21"
        );
    }
}
