//! Rent Manager 12, the office's system of record: who is calling, service issues, and a
//! history note for every call. The whole wire format lives in this module: `wire` holds the
//! JSON models, `client` the HTTP and the token, `callers`, `issues` and `properties` the
//! requests each task makes.
//!
//! Where Rent Manager's documentation leaves two plausible forms, the client tolerates both,
//! each in one named place:
//! - how "no rows" is said (204, `[]`, 404, empty 200): `client::is_no_rows`;
//! - what `StrippedPhoneNumber` holds: `callers::search_phone`, with the cached scan as the
//!   fallback whenever the server-side search finds nothing or is refused;
//! - how a new issue is linked to its property, unit and tenant: `issues::link`;
//! - the body of a history note: `issues::add_history_note`.

mod callers;
mod client;
mod issues;
mod properties;
mod wire;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use client::Client;
pub use client::{Auth, RentManagerError};

use crate::call::effects::{NewServiceIssue, NoteOn};
use crate::call::turn::{Directory, LookupError};
use crate::call::{Caller, CallerKind, Identity, Records};
use crate::knowledge::{self, PropertySource};
use crate::outbox::{DeliveryError, RecordKeeper};
use crate::phone::Phone;

/// How long a caller lookup, or a scan of all tenants and prospects, is reused.
const CACHE_FOR: Duration = Duration::from_secs(300);
/// The largest page Rent Manager serves; it refuses more.
const PAGE: usize = 1000;

#[derive(Debug, Clone)]
pub struct Settings {
    pub url: String,
    pub auth: Auth,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// The office's own names for a new issue's category and status, looked up to ids (case
    /// insensitively) at first use.
    pub category: String,
    pub status: String,
}

/// A person Rent Manager knows, with what a call needs of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub kind: CallerKind,
    /// TenantID or ProspectID.
    pub id: i64,
    pub name: String,
    pub first_name: Option<String>,
    /// The unit of the current lease.
    pub unit: Option<String>,
    pub unit_id: Option<i64>,
    pub property_id: Option<i64>,
    pub property: Option<String>,
    /// The property's primary address, on one line.
    pub property_address: Option<String>,
    pub open_issues: Vec<OpenIssue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenIssue {
    /// ServiceManagerIssueID.
    pub id: i64,
    pub title: String,
}

impl Person {
    /// The caller as a call sees them.
    pub fn caller(&self, phone: &Phone) -> Caller {
        Caller {
            phone: Some(phone.clone()),
            kind: self.kind,
            name: Some(self.name.clone()),
            unit: self.unit.clone(),
            property: self.property.clone(),
            records: Some(Records {
                tenant_id: (self.kind == CallerKind::Tenant).then_some(self.id),
                prospect_id: (self.kind == CallerKind::Prospect).then_some(self.id),
                unit_id: self.unit_id,
                property_id: self.property_id,
            }),
            open_issues: self.open_issues.iter().map(|issue| issue.title.clone()).collect(),
            identity: Identity::CallerId,
        }
    }
}

/// The Rent Manager client; cheap to clone, and every clone shares one token and one cache.
#[derive(Clone)]
pub struct RentManager {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    settings: Settings,
    lists: Mutex<Option<(Instant, issues::Lists)>>,
    callers: Mutex<HashMap<String, (Instant, Option<Person>)>>,
    scan: Mutex<Option<(Instant, Arc<callers::Everyone>)>>,
    health: Mutex<Option<(Instant, Result<(), String>)>>,
}

impl RentManager {
    pub fn new(settings: Settings) -> Result<RentManager, RentManagerError> {
        let client = Client::new(
            &settings.url,
            settings.auth.clone(),
            settings.connect_timeout,
            settings.request_timeout,
        )?;
        Ok(RentManager {
            inner: Arc::new(Inner {
                client,
                settings,
                lists: Mutex::new(None),
                callers: Mutex::new(HashMap::new()),
                scan: Mutex::new(None),
                health: Mutex::new(None),
            }),
        })
    }

    pub fn url(&self) -> &str {
        &self.inner.settings.url
    }

    fn client(&self) -> &Client {
        &self.inner.client
    }

    /// Whether Rent Manager answers and accepts our login (logging in if needed), for the
    /// dashboard. Remembered for a minute, so a dashboard refreshing every few seconds costs
    /// Rent Manager one request a minute.
    pub async fn check(&self) -> Result<(), String> {
        let mut health = self.inner.health.lock().await;
        if let Some((at, result)) = health.as_ref()
            && at.elapsed() < Duration::from_secs(60)
        {
            return result.clone();
        }
        let result = self.probe().await.map_err(|e| e.to_string());
        *health = Some((Instant::now(), result.clone()));
        result
    }

    /// One small authenticated read: the statuses list has a handful of rows.
    async fn probe(&self) -> Result<(), RentManagerError> {
        self.client().ensure_token().await?;
        self.client().get::<serde::de::IgnoredAny>("/ServiceManagerStatuses").await.map(drop)
    }
}

// Rent Manager in the office's roles: the caller directory, the source of properties and
// units, and the keeper of service issues and call notes.

#[async_trait::async_trait]
impl Directory for RentManager {
    async fn find(&self, phone: &Phone) -> Result<Option<Caller>, LookupError> {
        // A task of its own: when the call stops waiting (its lookup deadline), the lookup
        // still finishes and fills the cache, so the next call from this number is known.
        let (rent_manager, number) = (self.clone(), phone.clone());
        let found = tokio::spawn(async move { rent_manager.find_caller(&number).await })
            .await
            .map_err(|e| LookupError::Unavailable(format!("the Rent Manager lookup stopped: {e}")))?;
        match found {
            Ok(person) => Ok(person.map(|person| person.caller(phone))),
            Err(e) => Err(LookupError::Unavailable(format!("Rent Manager: {e}"))),
        }
    }

    fn keeps_records(&self) -> bool {
        true
    }
}

#[async_trait::async_trait]
impl PropertySource for RentManager {
    async fn properties(&self) -> Result<Vec<knowledge::Property>, String> {
        RentManager::properties(self).await.map_err(|e| e.to_string())
    }
}

#[async_trait::async_trait]
impl RecordKeeper for RentManager {
    async fn file_issue(&self, issue: &NewServiceIssue) -> Result<i64, DeliveryError> {
        self.create_service_issue(issue).await.map_err(delivery_error)
    }

    async fn find_issue(&self, marker: &str) -> Result<Option<i64>, DeliveryError> {
        self.issue_marked(marker).await.map_err(delivery_error)
    }

    async fn add_note(&self, on: NoteOn, note: &str) -> Result<(), DeliveryError> {
        self.add_history_note(on, note).await.map(drop).map_err(delivery_error)
    }
}

fn delivery_error(e: RentManagerError) -> DeliveryError {
    match e.is_retryable() {
        true => DeliveryError::Retryable(e.to_string()),
        false => DeliveryError::Permanent(e.to_string()),
    }
}
