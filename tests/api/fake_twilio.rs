//! A local server speaking Twilio's REST wire format for Messages (form posts with basic
//! auth in, JSON out), playing Twilio for the on-call texts.

use serde_json::json;
use wiremock::matchers::{body_string_contains, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::ACCOUNT_SID;

pub struct FakeTwilio {
    pub server: MockServer,
}

impl FakeTwilio {
    /// Accepts every message, after failing the first `failures` with `status`.
    pub async fn start(failures: u64, status: u16) -> FakeTwilio {
        let server = MockServer::start().await;
        let messages = format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json");
        if failures > 0 {
            Mock::given(method("POST"))
                .and(path(messages.clone()))
                .respond_with(ResponseTemplate::new(status).set_body_json(json!({
                    "code": 20500, "message": "simulated failure", "more_info": "https://www.twilio.com/docs/errors/20500", "status": status
                })))
                .up_to_n_times(failures)
                .with_priority(1)
                .mount(&server)
                .await;
        }
        Mock::given(method("POST"))
            .and(path(messages))
            .and(header_exists("authorization"))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({
                "sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "account_sid": ACCOUNT_SID,
                "direction": "outbound-api", "num_segments": "1"
            })))
            .with_priority(2)
            .mount(&server)
            .await;
        FakeTwilio { server }
    }

    /// Refuses texts to `number` as Twilio refuses a landline: 400, error 21614.
    pub async fn refuse_as_landline(&self, number: &str) {
        let to = url::form_urlencoded::Serializer::new(String::new()).append_pair("To", number).finish();
        Mock::given(method("POST"))
            .and(path(format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json")))
            .and(body_string_contains(to))
            .respond_with(ResponseTemplate::new(400).set_body_json(json!({
                "code": 21614, "message": format!("'To' number {number} is not a valid mobile number"),
                "more_info": "https://www.twilio.com/docs/errors/21614", "status": 400
            })))
            .with_priority(1)
            .mount(&self.server)
            .await;
    }

    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// The texts Twilio was asked to send, as form fields, with the basic-auth header.
    pub async fn texts(&self) -> Vec<(Vec<(String, String)>, String)> {
        let received = self.server.received_requests().await.unwrap_or_default();
        received
            .iter()
            .map(|r| {
                let form = url::form_urlencoded::parse(&r.body).into_owned().collect();
                let auth = r.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
                (form, auth.to_string())
            })
            .collect()
    }
}
