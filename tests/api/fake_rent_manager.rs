//! A local server speaking Rent Manager 12's wire format: a login that returns a quoted
//! token, the token header on every call, filters and embeds in the query, bare JSON arrays,
//! 204 for no rows, 401 with Rent Manager's error body for a stale token, and knobs for
//! 5xx answers and slow replies.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The tenant every test can call as: Ana Ruiz, unit 3F, with a current lease.
pub const RM_TENANT: &str = "+17185550111";
pub const RM_PROSPECT: &str = "+17185550122";

#[derive(Default)]
pub struct State {
    logins: usize,
    token: String,
    /// Service issue saves still to fail with 503.
    pub failing_saves: usize,
    /// A permanent refusal of service issue saves (400 "Issue cannot be blank.").
    pub refuse_saves: bool,
    /// `/PhoneNumbers` refuses its filter, as some configurations do.
    pub refuse_phone_filter: bool,
    /// How "no rows" is said: 204, 404, or 200 with `[]`.
    pub no_rows: u16,
    pub delay: Duration,
}

#[derive(Clone)]
pub struct FakeRentManager {
    pub server: Arc<MockServer>,
    pub state: Arc<Mutex<State>>,
}

impl FakeRentManager {
    pub async fn start() -> FakeRentManager {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State { no_rows: 204, ..State::default() }));
        let fake = FakeRentManager { server: Arc::new(server), state };
        Mock::given(any()).respond_with(fake.clone()).mount(&fake.server).await;
        fake
    }

    pub fn url(&self) -> String {
        self.server.uri()
    }

    pub fn set(&self, change: impl FnOnce(&mut State)) {
        change(&mut self.state.lock().unwrap());
    }

    pub fn logins(&self) -> usize {
        self.state.lock().unwrap().logins
    }

    /// The current token stops working, as when Rent Manager expires it.
    pub fn expire_token(&self) {
        self.state.lock().unwrap().token = "expired".into();
    }

    /// The requests received for `path` (and method), bodies as JSON.
    pub async fn received(&self, method: &str, path: &str) -> Vec<Value> {
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests
            .iter()
            .filter(|r| r.method.as_str() == method && r.url.path() == path)
            .map(|r| serde_json::from_slice(&r.body).unwrap_or(Value::Null))
            .collect()
    }
}

fn tenant() -> Value {
    json!({
        "TenantID": 42, "TenantDisplayID": 42, "Name": "Ana Ruiz", "FirstName": "Ana", "LastName": "Ruiz",
        "PropertyID": 5, "Status": "Current",
        "Contacts": [{ "ContactID": 900, "FirstName": "Ana", "LastName": "Ruiz", "IsPrimary": true,
                       "ParentID": 42, "ParentType": "Tenant",
                       "PhoneNumbers": [{ "PhoneNumberID": 1, "PhoneNumber": "(718) 555-0111",
                                          "StrippedPhoneNumber": "7185550111", "ParentID": 900, "ParentType": "Contact" }] }],
        "Leases": [
            { "LeaseID": 70, "TenantID": 42, "UnitID": 300, "PropertyID": 5, "MoveInDate": "2019-01-01T00:00:00", "MoveOutDate": "2021-06-30T00:00:00" },
            { "LeaseID": 77, "TenantID": 42, "UnitID": 321, "PropertyID": 5, "MoveInDate": "2021-07-01T00:00:00", "MoveOutDate": null }
        ],
        "Property": { "PropertyID": 5, "Name": "Windsor Court" }
    })
}

fn prospect() -> Value {
    json!({
        "ProspectID": 77, "Name": "Leo Park", "FirstName": "Leo", "LastName": "Park", "PropertyID": 5,
        "Contacts": [{ "ContactID": 901, "ParentID": 77, "ParentType": "Prospect",
                       "PhoneNumbers": [{ "PhoneNumber": "718.555.0122", "StrippedPhoneNumber": "7185550122" }] }]
    })
}

fn phone_row(contact_parent: &str, parent_id: i64) -> Value {
    json!([{ "PhoneNumberID": 1, "ParentType": "Contact", "ParentID": 900,
             "Contact": { "ContactID": 900, "ParentID": parent_id, "ParentType": contact_parent } }])
}

impl Respond for FakeRentManager {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap();
        let path = request.url.path();
        let query = request
            .url
            .query()
            .unwrap_or_default()
            .replace("%2C", ",")
            .replace("%28", "(")
            .replace("%29", ")");
        let delay = state.delay;
        let reply =
            |status: u16, body: Value| ResponseTemplate::new(status).set_body_json(body).set_delay(delay);
        let none = |state: &State| match state.no_rows {
            200 => reply(200, json!([])),
            status => ResponseTemplate::new(status).set_delay(delay),
        };
        if path == "/Authentication/AuthorizeUser" {
            let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
            if body["Username"] != "frontdesk" || body["Password"] != "rm-secret" {
                return reply(
                    401,
                    json!({ "DeveloperMessage": "Invalid credentials", "Exception": "AuthenticationException" }),
                );
            }
            state.logins += 1;
            state.token = format!("token-{}", state.logins);
            return ResponseTemplate::new(200).set_body_string(format!("\"{}\"", state.token));
        }
        let token =
            request.headers.get("X-RM12Api-ApiToken").and_then(|v| v.to_str().ok()).unwrap_or_default();
        if token.is_empty() || token != state.token {
            return reply(
                401,
                json!({
                    "UserMessage": "Not authorized", "DeveloperMessage": "Unable to authenticate - Invalid API Token.",
                    "ErrorCode": 0, "Exception": "AuthenticationException"
                }),
            );
        }
        match (request.method.as_str(), path) {
            ("GET", "/PhoneNumbers") if state.refuse_phone_filter => reply(
                400,
                json!({ "Message": "The request is invalid.", "ModelState": { "filters": ["not allowed"] } }),
            ),
            ("GET", "/PhoneNumbers") if query.contains("7185550111") => reply(200, phone_row("Tenant", 42)),
            ("GET", "/PhoneNumbers") if query.contains("7185550122") => reply(200, phone_row("Prospect", 77)),
            ("GET", "/PhoneNumbers") => none(&state),
            ("GET", "/Tenants") if query.contains("pageNumber=1") => reply(200, json!([tenant()])),
            ("GET", "/Prospects") if query.contains("pageNumber=1") => reply(200, json!([prospect()])),
            ("GET", "/Tenants" | "/Prospects") => none(&state),
            ("GET", "/Properties") if query.contains("pageNumber=1") => reply(
                200,
                json!([{
                    "PropertyID": 5, "Name": "Windsor Court", "ShortName": "WC",
                    "PrimaryAddress": { "AddressID": 3, "Address": "1042 Windsor St\r\nStaten Island, NY 10310", "IsPrimary": true },
                    "Units": [
                        { "UnitID": 321, "PropertyID": 5, "Name": "3F", "Bedrooms": 2, "MarketRent": 2300.0, "IsVacant": false },
                        { "UnitID": 322, "PropertyID": 5, "Name": "4A", "Bedrooms": 1, "MarketRent": 1750.0, "IsVacant": true }
                    ]
                }]),
            ),
            ("GET", "/Properties") => none(&state),
            ("GET", "/Tenants/42") => reply(200, tenant()),
            ("GET", "/Prospects/77") => reply(200, prospect()),
            ("GET", "/Units/321") => {
                reply(200, json!({ "UnitID": 321, "PropertyID": 5, "Name": "3F", "Bedrooms": 2 }))
            }
            ("GET", "/ServiceManagerIssues") => reply(
                200,
                json!([{ "ServiceManagerIssueID": 11, "Title": "Dripping bathroom faucet", "IsClosed": false }]),
            ),
            ("GET", "/ServiceManagerCategories") => reply(
                200,
                json!([
                { "ServiceManagerCategoryID": 4, "Name": "Landscaping" }, { "ServiceManagerCategoryID": 9, "Name": "Maintenance" }]),
            ),
            ("GET", "/ServiceManagerPriorities") => reply(
                200,
                json!([
                { "ServiceManagerPriorityID": 1, "Name": "Emergency" }, { "ServiceManagerPriorityID": 2, "Name": "High" },
                { "ServiceManagerPriorityID": 3, "Name": "Normal" }]),
            ),
            ("GET", "/ServiceManagerStatuses") => reply(
                200,
                json!([
                { "ServiceManagerStatusID": 1, "Name": "<Unassigned>" }, { "ServiceManagerStatusID": 6, "Name": "Open" }]),
            ),
            ("POST", "/ServiceManagerIssues") if state.refuse_saves => reply(
                400,
                json!({ "DeveloperMessage": "Issue cannot be blank.", "Exception": "ValidationException" }),
            ),
            ("POST", "/ServiceManagerIssues") if state.failing_saves > 0 => {
                state.failing_saves -= 1;
                reply(
                    503,
                    json!({ "DeveloperMessage": "Service unavailable while performing database updates.Try again after a few minutes" }),
                )
            }
            ("POST", "/ServiceManagerIssues") => {
                let mut saved: Vec<Value> = serde_json::from_slice(&request.body).unwrap_or_default();
                for issue in &mut saved {
                    issue["ServiceManagerIssueID"] = json!(4567);
                }
                reply(200, Value::Array(saved))
            }
            ("POST", "/Tenants/HistoryNotes" | "/Prospects/HistoryNotes") => {
                ResponseTemplate::new(200).set_delay(delay)
            }
            _ => reply(404, json!({ "DeveloperMessage": format!("no route for {path}") })),
        }
    }
}
