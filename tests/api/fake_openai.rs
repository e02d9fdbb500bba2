//! A local server speaking OpenAI's chat-completions wire format, playing GPT-4o (or a
//! local server with fewer features) in tests, so the real wire code, our retries, the
//! structured-reply negotiation and our deadline all run.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// How the fake model answers every request.
#[derive(Clone)]
pub enum Behaviour {
    /// A structured turn: these fields over a neutral default reading.
    Reply(Value),
    Status(u16),
    Slow(Duration),
    MalformedJson,
    SchemaMismatch,
    UnknownTool,
    Refusal,
    /// A status with `Retry-After: secs`.
    RetryAfter(u16, u64),
    /// A server that speaks only this structured-reply mode ("tools", "json_object" or
    /// "prompt") and refuses the others as real ones do: `json_schema` with a 500 naming
    /// `response_format` (llama.cpp-python), tools with a 400.
    Only(&'static str, Value),
    /// Any of the above, answered after a delay (as a real model takes its time).
    After(Duration, Box<Behaviour>),
    /// A structured turn by what the caller said: the fields of the first pair whose words
    /// the caller's last message holds, over a neutral reading (the neutral reading alone if
    /// none does). A model that reads each turn of a whole call.
    ByWords(Vec<(&'static str, Value)>),
}

pub struct FakeModel {
    pub server: MockServer,
}

impl FakeModel {
    pub async fn start(behaviour: Behaviour) -> FakeModel {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(behaviour)
            .mount(&server)
            .await;
        FakeModel { server }
    }

    pub fn base_url(&self) -> String {
        format!("{}/v1", self.server.uri())
    }

    /// What the caller said, as the model was asked it, request by request (the background
    /// negotiation's probes left out).
    pub async fn utterances(&self) -> Vec<String> {
        let requests = self.turn_requests().await;
        requests
            .iter()
            .filter_map(|r| r["messages"].as_array()?.last()?["content"].as_str().map(String::from))
            .collect()
    }

    /// The request bodies the model received, as JSON.
    pub async fn requests(&self) -> Vec<Value> {
        let received = self.server.received_requests().await.unwrap_or_default();
        received.iter().filter_map(|r| serde_json::from_slice(&r.body).ok()).collect()
    }

    /// The requests of callers' turns, without the background negotiation's probes.
    pub async fn turn_requests(&self) -> Vec<Value> {
        self.requests().await.into_iter().filter(|r| !is_probe(r)).collect()
    }

    /// Call summaries for the office are answered with `text`, as plain content; callers'
    /// turns as before.
    pub async fn writes_summaries(&self, text: &str) {
        let message = json!({ "role": "assistant", "content": text, "refusal": null });
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .and(body_string_contains(SUMMARY_MARK))
            .respond_with(ResponseTemplate::new(200).set_body_json(completion(message, 400)))
            .with_priority(1)
            .mount(&self.server)
            .await;
    }

    /// The requests for call summaries.
    pub async fn summary_requests(&self) -> Vec<Value> {
        let requests = self.requests().await;
        requests.into_iter().filter(|r| r.to_string().contains(SUMMARY_MARK)).collect()
    }

    /// The requests made reading these words.
    pub async fn requests_reading(&self, words: &str) -> usize {
        self.requests().await.iter().filter(|r| last_words(r) == Some(words)).count()
    }
}

/// The summary task's instructions, as they appear in a request's JSON (they need no escaping).
const SUMMARY_MARK: &str = frontdesk::mail::SUMMARY_TASK;

fn last_words(request: &Value) -> Option<&str> {
    request["messages"].as_array()?.last()?["content"].as_str()
}

pub fn is_probe(request: &Value) -> bool {
    last_words(request) == Some(frontdesk::brain::model::PROBE_WORDS)
}

/// The mode a request asks for, as the negotiation names it.
pub fn mode_of(request: &Value) -> &'static str {
    match (request["response_format"]["type"].as_str(), request.get("tools")) {
        (Some("json_schema"), _) => "json_schema",
        (Some("json_object"), _) => "json_object",
        (_, Some(_)) => "tools",
        _ => "prompt",
    }
}

/// A neutral reading the caller's words would give, with `fields` on top.
pub fn turn(fields: Value) -> Value {
    let mut output = json!({
        "intent": "other", "hazard": null, "describes_problem": false, "urgent": false,
        "answer": null, "location": null, "phone": null, "this_number": false, "staff": null, "topic": null, "address": null,
        "language": "en-US", "wants_language": null, "summary": null, "reply": "Okay.", "reply_asks": "open"
    });
    if let (Some(output), Some(fields)) = (output.as_object_mut(), fields.as_object()) {
        output.extend(fields.clone());
    }
    output
}

fn completion(message: Value, prompt_tokens: usize) -> Value {
    json!({
        "id": "chatcmpl-test", "object": "chat.completion", "created": 1_764_000_000u64,
        "model": "gpt-4o-2024-08-06", "system_fingerprint": "fp_test",
        "choices": [{ "index": 0, "message": message, "logprobs": null, "finish_reason": "stop" }],
        "usage": { "prompt_tokens": prompt_tokens, "completion_tokens": 40, "total_tokens": prompt_tokens + 40 }
    })
}

fn refuse(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "error": { "message": message, "type": "invalid_request_error", "param": null, "code": null }
    }))
}

impl Respond for Behaviour {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        // Roughly what a tokenizer would count: four characters a token.
        let prompt_tokens = request.body.len() / 4;
        let content =
            |value: Value| json!({ "role": "assistant", "content": value.to_string(), "refusal": null });
        match self {
            Behaviour::Reply(fields) => {
                ResponseTemplate::new(200).set_body_json(completion(content(turn(fields.clone())), prompt_tokens))
            }
            Behaviour::Status(code) => ResponseTemplate::new(*code).set_body_json(json!({
                "error": { "message": "simulated failure", "type": "server_error", "param": null, "code": null }
            })),
            Behaviour::Slow(delay) => ResponseTemplate::new(200)
                .set_body_json(completion(content(turn(json!({}))), prompt_tokens))
                .set_delay(*delay),
            Behaviour::MalformedJson => {
                ResponseTemplate::new(200).insert_header("content-type", "application/json").set_body_string("{\"id\": \"chatcmpl")
            }
            Behaviour::SchemaMismatch => ResponseTemplate::new(200)
                .set_body_json(completion(content(json!({ "intent": "dance", "reply": 7 })), prompt_tokens)),
            Behaviour::UnknownTool => ResponseTemplate::new(200).set_body_json(completion(
                json!({ "role": "assistant", "content": null, "refusal": null, "tool_calls": [{
                    "id": "call_1", "type": "function",
                    "function": { "name": "unlock_every_door", "arguments": "{}" }
                }]}),
                prompt_tokens,
            )),
            Behaviour::Refusal => ResponseTemplate::new(200).set_body_json(completion(
                json!({ "role": "assistant", "content": null, "refusal": "I can't help with that." }),
                prompt_tokens,
            )),
            Behaviour::RetryAfter(code, secs) => ResponseTemplate::new(*code)
                .insert_header("retry-after", secs.to_string().as_str())
                .set_body_json(json!({
                    "error": { "message": "Rate limit reached", "type": "requests", "param": null, "code": "rate_limit_exceeded" }
                })),
            Behaviour::Only(speaks, fields) => {
                let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
                let asked = mode_of(&body);
                if asked != *speaks {
                    return match asked {
                        "json_schema" => refuse(500, "response_format type json_schema is not supported by this server"),
                        "json_object" => refuse(400, "response_format json_object is not supported"),
                        "tools" => refuse(400, "tools and tool_choice are not supported"),
                        _ => refuse(400, "unexpected request"),
                    };
                }
                let reading = turn(fields.clone());
                let message = match asked {
                    "tools" => json!({ "role": "assistant", "content": null, "tool_calls": [{
                        "id": "call_1", "type": "function",
                        "function": { "name": body["tool_choice"]["function"]["name"], "arguments": reading.to_string() }
                    }]}),
                    "json_object" => json!({ "role": "assistant", "content": reading.to_string() }),
                    // A model with no schema to hold it: prose around the object, a field of
                    // its own, and some optional fields left out.
                    _ => {
                        let mut loose = reading;
                        if let Some(object) = loose.as_object_mut() {
                            object.retain(|k, _| ["intent", "reply", "reply_asks", "location"].contains(&k.as_str()));
                            object.insert("confidence".into(), json!(0.9));
                        }
                        json!({ "role": "assistant", "content": format!("Sure! Here it is:\n```json\n{loose}\n```") })
                    }
                };
                ResponseTemplate::new(200).set_body_json(completion(message, prompt_tokens))
            }
            Behaviour::After(delay, behaviour) => behaviour.respond(request).set_delay(*delay),
            Behaviour::ByWords(script) => {
                let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
                let said = last_words(&body).unwrap_or_default().to_lowercase();
                let fields = script
                    .iter()
                    .find(|(words, _)| said.contains(&words.to_lowercase()))
                    .map_or_else(|| json!({}), |(_, fields)| fields.clone());
                ResponseTemplate::new(200).set_body_json(completion(content(turn(fields)), prompt_tokens))
            }
        }
    }
}
