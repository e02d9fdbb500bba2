//! A local server speaking OpenAI's chat-completions wire format, playing GPT-4o in tests,
//! so the real async-openai client, its retries and our deadline all run.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
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
    /// Any of the above, answered after a delay (as a real model takes its time).
    After(Duration, Box<Behaviour>),
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

    /// What the caller said, as the model was asked it, request by request.
    pub async fn utterances(&self) -> Vec<String> {
        let requests = self.requests().await;
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
}

/// A neutral reading the caller's words would give, with `fields` on top.
pub fn turn(fields: Value) -> Value {
    let mut output = json!({
        "intent": "other", "hazard": null, "describes_problem": false, "urgent": false,
        "answer": null, "location": null, "phone": null, "this_number": false, "staff": null, "topic": null, "address": null,
        "language": "en-US", "reply": "Okay.", "reply_asks": "open"
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
            Behaviour::After(delay, behaviour) => behaviour.respond(request).set_delay(*delay),
        }
    }
}
