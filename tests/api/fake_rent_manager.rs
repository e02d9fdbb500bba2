//! A local server speaking Rent Manager 12's wire format: a login that returns a quoted
//! token, the token header on every call, filters and embeds in the query, bare JSON arrays,
//! saves that answer with the saved entities, 204 (or `[]`, or 404) for no rows, and 401 with
//! Rent Manager's error body for a wrong or stale token. Knobs in `State` play the bad days:
//! a stale token, 5xx answers, slow replies, malformed JSON, refused filters and bodies.
//!
//! ```ignore
//! let rm = FakeRentManager::start().await.with_tenant(FakeTenant { phone: "718.414.6984", ..FakeTenant::default() });
//! rm.set(|s| s.failing = 2);
//! assert_eq!(rm.count("POST", "/ServiceManagerIssues").await, 1);
//! ```

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::helpers::{Setup, TestApp};

/// The tenant every test can call as: Ana Ruiz, unit 3F at Windsor Court, current lease.
pub const RM_TENANT: &str = "+17185550111";
pub const RM_PROSPECT: &str = "+17185550122";
pub const RM_USERNAME: &str = "frontdesk";
pub const RM_PASSWORD: &str = "rm-secret";

/// A tenant of the fake, with one contact and one phone number, typed as the office typed it.
#[derive(Debug, Clone)]
pub struct FakeTenant {
    pub id: i64,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub phone: &'static str,
    /// `StrippedPhoneNumber`; by default the digits of `phone`.
    pub stripped: Option<&'static str>,
    pub unit_id: i64,
    pub unit: &'static str,
}

impl Default for FakeTenant {
    fn default() -> FakeTenant {
        FakeTenant {
            id: 42,
            first_name: "Ana",
            last_name: "Ruiz",
            phone: "(718) 555-0111",
            stripped: None,
            unit_id: 321,
            unit: "3F",
        }
    }
}

pub struct State {
    logins: usize,
    token: String,
    tenants: Vec<FakeTenant>,
    /// A token the office issued ahead of time, accepted without a login.
    pub api_key: Option<String>,
    /// How "no rows" is said: 204, 404, or 200 with `[]`.
    pub no_rows: u16,
    pub delay: Duration,
    /// The next authenticated requests still to fail with 503.
    pub failing: usize,
    /// Service issue saves still to fail with 503.
    pub failing_saves: usize,
    /// Every token is refused, even a fresh one.
    pub refuse_every_token: bool,
    /// Reads answer 200 with a body cut short.
    pub malformed: bool,
    /// A permanent refusal of service issue saves (400 "Issue cannot be blank.").
    pub refuse_saves: bool,
    /// `/PhoneNumbers` refuses its filter, as some configurations do.
    pub refuse_phone_filter: bool,
    /// The save drops the linked collections, so only the `Link*` actions link an issue.
    pub links_ignored: bool,
    /// The `Link*` actions answer 400.
    pub refuse_links: bool,
    /// The notes endpoints want the parent with its notes, and refuse the bare note.
    pub nested_notes_only: bool,
    /// The notes endpoints answer with the saved note and its HistoryID.
    pub echo_notes: bool,
    pub categories: Vec<(i64, &'static str)>,
    pub priorities: Vec<(i64, &'static str)>,
    pub statuses: Vec<(i64, &'static str)>,
    /// Saves still to keep and then answer too late (the create's answer is lost).
    pub lost_save_answers: usize,
    /// Every issue saved, as saved (searchable by `Description,ct,...`).
    pub saved_issues: Vec<Value>,
    next_issue: i64,
}

impl Default for State {
    fn default() -> State {
        State {
            logins: 0,
            token: String::new(),
            tenants: vec![FakeTenant::default()],
            api_key: None,
            no_rows: 204,
            delay: Duration::ZERO,
            failing: 0,
            failing_saves: 0,
            refuse_every_token: false,
            malformed: false,
            refuse_saves: false,
            refuse_phone_filter: false,
            links_ignored: false,
            refuse_links: false,
            nested_notes_only: false,
            echo_notes: false,
            categories: vec![(4, "Landscaping"), (9, "Maintenance")],
            priorities: vec![(1, "Emergency"), (2, "High"), (3, "Normal")],
            statuses: vec![(1, "<Unassigned>"), (6, "Open")],
            lost_save_answers: 0,
            saved_issues: Vec::new(),
            next_issue: 4567,
        }
    }
}

#[derive(Clone)]
pub struct FakeRentManager {
    pub server: Arc<MockServer>,
    pub state: Arc<Mutex<State>>,
}

impl FakeRentManager {
    pub async fn start() -> FakeRentManager {
        let server = MockServer::start().await;
        let fake = FakeRentManager { server: Arc::new(server), state: Arc::default() };
        Mock::given(any()).respond_with(fake.clone()).mount(&fake.server).await;
        fake
    }

    pub fn with_tenant(self, tenant: FakeTenant) -> FakeRentManager {
        self.set(|s| s.tenants.push(tenant));
        self
    }

    /// A fake Rent Manager and a test app that uses it as the system of record.
    pub async fn with_app() -> (FakeRentManager, TestApp) {
        let rm = FakeRentManager::start().await;
        let app = TestApp::start(Setup { rent_manager: Some(rm.url()), ..Setup::default() }).await;
        (rm, app)
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

    pub async fn requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The requests received for `path` (and method), bodies as JSON.
    pub async fn received(&self, method: &str, path: &str) -> Vec<Value> {
        let requests = self.requests().await;
        requests
            .iter()
            .filter(|r| r.method.as_str() == method && r.url.path() == path)
            .map(|r| serde_json::from_slice(&r.body).unwrap_or(Value::Null))
            .collect()
    }

    pub async fn count(&self, method: &str, path: &str) -> usize {
        self.received(method, path).await.len()
    }

    /// The token header of every request but the logins.
    pub async fn tokens(&self) -> Vec<String> {
        let requests = self.requests().await;
        requests
            .iter()
            .filter(|r| r.url.path() != "/Authentication/AuthorizeUser")
            .map(|r| r.headers.get("X-RM12Api-ApiToken").and_then(|v| v.to_str().ok()).unwrap_or("").into())
            .collect()
    }
}

fn stripped(tenant: &FakeTenant) -> String {
    tenant
        .stripped
        .map(str::to_string)
        .unwrap_or_else(|| tenant.phone.chars().filter(char::is_ascii_digit).collect())
}

fn tenant_json(t: &FakeTenant) -> Value {
    json!({
        "TenantID": t.id, "TenantDisplayID": t.id, "Name": format!("{} {}", t.first_name, t.last_name),
        "FirstName": t.first_name, "LastName": t.last_name, "PropertyID": 5, "Status": "Current",
        "Contacts": [{ "ContactID": 900 + t.id, "FirstName": t.first_name, "LastName": t.last_name, "IsPrimary": true,
                       "ParentID": t.id, "ParentType": "Tenant",
                       "PhoneNumbers": [{ "PhoneNumberID": t.id, "PhoneNumber": t.phone, "StrippedPhoneNumber": stripped(t),
                                          "ParentID": 900 + t.id, "ParentType": "Contact" }] }],
        "Leases": [
            { "LeaseID": 70, "TenantID": t.id, "UnitID": 300, "PropertyID": 5, "MoveInDate": "2019-01-01T00:00:00", "MoveOutDate": "2021-06-30T00:00:00" },
            { "LeaseID": 77, "TenantID": t.id, "UnitID": t.unit_id, "PropertyID": 5, "MoveInDate": "2021-07-01T00:00:00", "MoveOutDate": null }
        ]
    })
}

fn prospect_json() -> Value {
    json!({
        "ProspectID": 77, "Name": "Leo Park", "FirstName": "Leo", "LastName": "Park", "PropertyID": 5,
        "Contacts": [{ "ContactID": 901, "ParentID": 77, "ParentType": "Prospect",
                       "PhoneNumbers": [{ "PhoneNumber": "718.555.0122", "StrippedPhoneNumber": "7185550122" }] }]
    })
}

fn property_json() -> Value {
    json!({
        "PropertyID": 5, "Name": "Windsor Court", "ShortName": "WC",
        "PrimaryAddress": { "AddressID": 3, "Address": "1042 Windsor St\r\nStaten Island, NY 10310", "IsPrimary": true },
        "Units": [
            { "UnitID": 321, "PropertyID": 5, "Name": "3F", "Bedrooms": 2, "MarketRent": 2300.0, "IsVacant": false },
            { "UnitID": 322, "PropertyID": 5, "Name": "4A", "Bedrooms": 1, "MarketRent": 1750.0, "IsVacant": true }
        ]
    })
}

fn phone_row(number: &str, stripped: &str, contact_parent: &str, parent_id: i64) -> Value {
    json!({ "PhoneNumberID": 1, "PhoneNumber": number, "StrippedPhoneNumber": stripped,
            "ParentType": "Contact", "ParentID": 900,
            "Contact": { "ContactID": 900, "ParentID": parent_id, "ParentType": contact_parent } })
}

fn list(rows: &[(i64, &str)], id: &str) -> Value {
    rows.iter().map(|(n, name)| json!({ id: n, "Name": name, "IsActive": true })).collect()
}

/// The values of `Field,in,(a,b)`, `Field,eq,a` or `Field,ct,a` in a `filters` parameter.
fn filter_values(filters: &str, field: &str) -> Vec<String> {
    filters
        .split(';')
        .filter_map(|f| f.strip_prefix(field)?.strip_prefix(','))
        .flat_map(|f| {
            let value = f.split_once(',').map(|(_, v)| v).unwrap_or_default();
            value.trim_matches(|c| c == '(' || c == ')').split(',').map(str::to_string).collect::<Vec<_>>()
        })
        .collect()
}

impl Respond for FakeRentManager {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap();
        let path = request.url.path().to_string();
        let query = |name: &str| {
            request.url.query_pairs().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.into_owned())
        };
        let filters = query("filters").unwrap_or_default();
        let page = query("pageNumber").unwrap_or_else(|| "1".into());
        let delay = state.delay;
        let reply =
            |status: u16, body: Value| ResponseTemplate::new(status).set_body_json(body).set_delay(delay);
        let none = match state.no_rows {
            200 => reply(200, json!([])),
            status => ResponseTemplate::new(status).set_delay(delay),
        };
        if path == "/Authentication/AuthorizeUser" {
            let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
            if body["Username"] != RM_USERNAME || body["Password"] != RM_PASSWORD {
                return reply(
                    401,
                    json!({ "DeveloperMessage": "Invalid credentials", "Exception": "AuthenticationException" }),
                );
            }
            state.logins += 1;
            state.token = format!("token-{}", state.logins);
            return ResponseTemplate::new(200)
                .set_body_string(format!("\"{}\"", state.token))
                .set_delay(delay);
        }
        let token =
            request.headers.get("X-RM12Api-ApiToken").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let known = (!token.is_empty() && token == state.token) || state.api_key.as_deref() == Some(token);
        if !known || state.refuse_every_token {
            return reply(
                401,
                json!({
                    "UserMessage": "Not authorized", "DeveloperMessage": "Unable to authenticate - Invalid API Token.",
                    "ErrorCode": 0, "MoreInfoUri": "", "Exception": "AuthenticationException",
                    "Details": "", "InnerException": "", "AdditionalData": {}
                }),
            );
        }
        if state.failing > 0 {
            state.failing -= 1;
            return reply(
                503,
                json!({ "DeveloperMessage": "Service unavailable while performing database updates.Try again after a few minutes" }),
            );
        }
        if state.malformed && request.method.as_str() == "GET" {
            return ResponseTemplate::new(200)
                .set_body_raw(b"[{\"TenantID\": 42, \"Name\": ".to_vec(), "application/json")
                .set_delay(delay);
        }
        let tenant = |id: &str| state.tenants.iter().find(|t| t.id.to_string() == id).cloned();
        match (request.method.as_str(), path.as_str()) {
            ("GET", "/PhoneNumbers") if state.refuse_phone_filter => reply(
                400,
                json!({ "Message": "The request is invalid.", "ModelState": { "filters": ["not allowed"] } }),
            ),
            ("GET", "/PhoneNumbers") => {
                let wanted = filter_values(&filters, "StrippedPhoneNumber");
                let mut rows: Vec<Value> = state
                    .tenants
                    .iter()
                    .filter(|t| wanted.contains(&stripped(t)))
                    .map(|t| phone_row(t.phone, &stripped(t), "Tenant", t.id))
                    .collect();
                if wanted.iter().any(|w| w == "7185550122") {
                    rows.push(phone_row("718.555.0122", "7185550122", "Prospect", 77));
                }
                if rows.is_empty() { none } else { reply(200, Value::Array(rows)) }
            }
            ("GET", "/Tenants") if page == "1" => {
                reply(200, state.tenants.iter().map(tenant_json).collect::<Value>())
            }
            ("GET", "/Prospects") if page == "1" => reply(200, json!([prospect_json()])),
            ("GET", "/Properties") if page == "1" => reply(200, json!([property_json()])),
            ("GET", "/Tenants" | "/Prospects" | "/Properties") => none,
            ("GET", p) if p.starts_with("/Tenants/") => match tenant(&p["/Tenants/".len()..]) {
                Some(t) => reply(200, tenant_json(&t)),
                None => none,
            },
            ("GET", "/Prospects/77") => reply(200, prospect_json()),
            ("GET", "/Properties/5") => reply(200, property_json()),
            ("GET", p) if p.starts_with("/Units/") => {
                match state.tenants.iter().find(|t| p == format!("/Units/{}", t.unit_id)) {
                    Some(t) => reply(200, json!({ "UnitID": t.unit_id, "PropertyID": 5, "Name": t.unit })),
                    None => none,
                }
            }
            ("GET", "/ServiceManagerIssues") if !filter_values(&filters, "Description").is_empty() => {
                let wanted = filter_values(&filters, "Description");
                let found: Vec<Value> = state
                    .saved_issues
                    .iter()
                    .filter(|issue| {
                        wanted
                            .iter()
                            .all(|w| issue["Description"].as_str().unwrap_or("").contains(w.as_str()))
                    })
                    .map(|issue| json!({ "ServiceManagerIssueID": issue["ServiceManagerIssueID"] }))
                    .collect();
                if found.is_empty() { none } else { reply(200, Value::Array(found)) }
            }
            ("GET", "/ServiceManagerIssues") => {
                if filter_values(&filters, "LinkedTenants.TenantID").iter().any(|id| id == "42") {
                    reply(
                        200,
                        json!([{ "ServiceManagerIssueID": 11, "Title": "Dripping bathroom faucet", "IsClosed": false }]),
                    )
                } else {
                    none
                }
            }
            ("GET", "/ServiceManagerCategories") => {
                reply(200, list(&state.categories, "ServiceManagerCategoryID"))
            }
            ("GET", "/ServiceManagerPriorities") => {
                reply(200, list(&state.priorities, "ServiceManagerPriorityID"))
            }
            ("GET", "/ServiceManagerStatuses") => reply(200, list(&state.statuses, "ServiceManagerStatusID")),
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
                    issue["ServiceManagerIssueID"] = json!(state.next_issue);
                    state.next_issue += 1;
                    if state.links_ignored
                        && let Some(issue) = issue.as_object_mut()
                    {
                        issue.retain(|field, _| !field.starts_with("ServiceManagerIssueLinked"));
                    }
                }
                state.saved_issues.extend(saved.iter().cloned());
                if state.lost_save_answers > 0 {
                    state.lost_save_answers -= 1;
                    return reply(200, Value::Array(saved)).set_delay(Duration::from_secs(60));
                }
                reply(200, Value::Array(saved))
            }
            ("POST", p) if p.starts_with("/ServiceManagerIssues/") && p.contains("/Link") => {
                if state.refuse_links {
                    reply(400, json!({ "DeveloperMessage": "Unable to link" }))
                } else {
                    ResponseTemplate::new(204).set_delay(delay)
                }
            }
            ("POST", "/Tenants/HistoryNotes" | "/Prospects/HistoryNotes") => {
                let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
                let flat = body[0].get("ParentID").is_some();
                if state.nested_notes_only && flat {
                    return reply(
                        400,
                        json!({ "Message": "The request is invalid.", "ModelState": { "notes": ["HistoryNotes is required"] } }),
                    );
                }
                match (state.echo_notes, flat) {
                    (true, true) => reply(200, json!([{ "HistoryID": 8001, "Note": body[0]["Note"] }])),
                    (true, false) => reply(200, json!([{ "HistoryNotes": [{ "HistoryID": 8002 }] }])),
                    (false, _) => ResponseTemplate::new(200).set_delay(delay),
                }
            }
            _ => reply(404, json!({ "DeveloperMessage": format!("no route for {path}") })),
        }
    }
}
