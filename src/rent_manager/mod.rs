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

use crate::call::{Caller, CallerKind, Priority};
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

/// The ids a service issue or note is attached to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    pub tenant_id: Option<i64>,
    pub prospect_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub property_id: Option<i64>,
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
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewServiceIssue {
    pub title: String,
    /// The caller's words and the details read back to them, permission to enter included:
    /// Rent Manager also has `IsAllowedToEnter`, which `allowed_to_enter` fills.
    pub description: String,
    pub allowed_to_enter: Option<bool>,
    /// Mapped to the closest of the office's own priority names; none if nothing fits.
    pub priority: Priority,
    pub records: Records,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum NoteOn {
    Tenant(i64),
    Prospect(i64),
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
