//! Rent Manager 12, the office's system of record: who is calling, service issues, and a
//! history note for every call. The whole wire format lives in this module.
//!
//! Where Rent Manager's documentation leaves two plausible forms (how an issue is linked to
//! its property, unit and tenant; the body of a history note; how "no rows" is said), the
//! client tries the documented-likely form and falls back to the other: see `link` and
//! `add_history_note`.

mod client;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::Mutex;

use client::Client;
pub use client::{Auth, RentManagerError};

use crate::call::{Caller, CallerKind, Priority};
use crate::knowledge;
use crate::phone::Phone;

/// How long a caller lookup, or a scan of all tenants, is reused.
const CACHE_FOR: Duration = Duration::from_secs(300);
const PAGE: usize = 1000;

#[derive(Debug, Clone)]
pub struct Settings {
    pub url: String,
    pub auth: Auth,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// The office's own names for the lists, looked up to ids at first use.
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
    pub unit: Option<String>,
    pub unit_id: Option<i64>,
    pub property_id: Option<i64>,
    pub property: Option<String>,
    pub open_issues: Vec<String>,
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
            open_issues: self.open_issues.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewServiceIssue {
    pub title: String,
    pub description: String,
    pub allowed_to_enter: Option<bool>,
    pub priority: Priority,
    pub records: Records,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum NoteOn {
    Tenant(i64),
    Prospect(i64),
}

#[derive(Clone)]
pub struct RentManager {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    settings: Settings,
    lists: Mutex<Option<Lists>>,
    callers: Mutex<HashMap<String, (Instant, Option<Person>)>>,
    /// Every tenant and prospect with their phones, for when the server-side search fails.
    scan: Mutex<Option<(Instant, Everyone)>>,
    health: Mutex<Option<(Instant, Result<(), String>)>>,
}

/// Every tenant and prospect with their phones, as a scan found them.
type Everyone = Vec<(CallerKind, Holder)>;

#[derive(Clone, Default)]
struct Lists {
    categories: Vec<Named>,
    priorities: Vec<Named>,
    statuses: Vec<Named>,
}

#[derive(Debug, Clone, Deserialize)]
struct Named {
    id: i64,
    name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PhoneRow {
    parent_type: Option<String>,
    contact: Option<ContactRow>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct ContactRow {
    #[serde(rename = "ParentID")]
    parent_id: Option<i64>,
    parent_type: Option<String>,
    phone_numbers: Vec<PhoneNumber>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct PhoneNumber {
    phone_number: Option<String>,
    stripped_phone_number: Option<String>,
}

/// A tenant or prospect as Rent Manager returns them (with the embeds asked for).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct Holder {
    #[serde(alias = "TenantID", alias = "ProspectID")]
    id: i64,
    name: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    #[serde(rename = "PropertyID")]
    property_id: Option<i64>,
    contacts: Vec<ContactRow>,
    leases: Vec<Lease>,
    property: Option<PropertyRow>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct Lease {
    #[serde(rename = "UnitID")]
    unit_id: Option<i64>,
    #[serde(rename = "PropertyID")]
    property_id: Option<i64>,
    move_out_date: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct PropertyRow {
    name: Option<String>,
    primary_address: Option<AddressRow>,
    units: Vec<UnitRow>,
}

/// Addresses come as multi-line text: the street is the first line.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct AddressRow {
    address: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct UnitRow {
    name: Option<String>,
    bedrooms: Option<f64>,
    market_rent: Option<f64>,
    is_vacant: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct IssueRow {
    #[serde(rename = "ServiceManagerIssueID")]
    id: i64,
    title: Option<String>,
    service_manager_issue_linked_units: Option<Vec<Value>>,
    service_manager_issue_linked_tenants: Option<Vec<Value>>,
    service_manager_issue_linked_properties: Option<Vec<Value>>,
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

    async fn get<T: for<'de> Deserialize<'de>>(&self, path: &str) -> Result<Vec<T>, RentManagerError> {
        let Some(value) = self.inner.client.send(Method::GET, path, None).await? else {
            return Ok(Vec::new());
        };
        // Collections are bare arrays; a single resource is an object.
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        items
            .into_iter()
            .map(|v| serde_json::from_value(v).map_err(|e| RentManagerError::Decode(e.to_string())))
            .collect()
    }

    /// Whether Rent Manager answers and accepts our login; remembered for a minute, so a
    /// dashboard refreshing every few seconds costs Rent Manager one request a minute.
    pub async fn check(&self) -> Result<(), String> {
        let mut health = self.inner.health.lock().await;
        if let Some((at, result)) = health.as_ref()
            && at.elapsed() < Duration::from_secs(60)
        {
            return result.clone();
        }
        let result = self.get::<Value>("/ServiceManagerStatuses").await.map(drop).map_err(|e| e.to_string());
        *health = Some((Instant::now(), result.clone()));
        result
    }

    /// The tenant (first) or prospect with this phone number, if Rent Manager has one.
    pub async fn find_caller(&self, phone: &Phone) -> Result<Option<Person>, RentManagerError> {
        let key = ten_digits(phone.e164());
        if let Some((at, person)) = self.inner.callers.lock().await.get(&key)
            && at.elapsed() < CACHE_FOR
        {
            return Ok(person.clone());
        }
        let holder = match self.search_phone(&key).await {
            Ok(found) => found,
            Err(e) if !e.is_retryable() => {
                tracing::info!(
                    "Rent Manager phone search refused ({e}); scanning tenants and prospects instead"
                );
                self.scan_for(&key).await?
            }
            Err(e) => return Err(e),
        };
        let person = match holder {
            Some((CallerKind::Tenant, id)) => self.tenant(id).await?,
            Some((_, id)) => self.prospect(id).await?,
            None => None,
        };
        self.inner.callers.lock().await.insert(key, (Instant::now(), person.clone()));
        Ok(person)
    }

    /// Server-side: `/PhoneNumbers` filtered on the stripped number, with and without the 1.
    async fn search_phone(&self, ten: &str) -> Result<Option<(CallerKind, i64)>, RentManagerError> {
        let path = format!("/PhoneNumbers?filters=StrippedPhoneNumber,in,({ten},1{ten})&embeds=Contact");
        let rows: Vec<PhoneRow> = self.get(&path).await?;
        let holders: Vec<(CallerKind, i64)> = rows
            .into_iter()
            .filter(|row| row.parent_type.as_deref().is_none_or(|t| t == "Contact"))
            .filter_map(|row| {
                let contact = row.contact?;
                Some((kind(contact.parent_type.as_deref()?)?, contact.parent_id?))
            })
            .collect();
        // A tenant wins over a prospect with the same number.
        Ok(holders.iter().find(|(k, _)| *k == CallerKind::Tenant).or(holders.first()).copied())
    }

    /// Client-side, cached: every current tenant and every prospect with their phones.
    async fn scan_for(&self, ten: &str) -> Result<Option<(CallerKind, i64)>, RentManagerError> {
        let mut scan = self.inner.scan.lock().await;
        if scan.as_ref().is_none_or(|(at, _)| at.elapsed() >= CACHE_FOR) {
            let mut everyone = Vec::new();
            for (kind, base) in [
                (CallerKind::Tenant, "/Tenants?embeds=Contacts.PhoneNumbers&filters=Status,eq,Current"),
                (CallerKind::Prospect, "/Prospects?embeds=Contacts.PhoneNumbers"),
            ] {
                for page in 1.. {
                    let rows: Vec<Holder> =
                        self.get(&format!("{base}&pageSize={PAGE}&pageNumber={page}")).await?;
                    let full = rows.len() == PAGE;
                    everyone.extend(rows.into_iter().map(|h| (kind, h)));
                    if !full {
                        break;
                    }
                }
            }
            *scan = Some((Instant::now(), everyone));
        }
        let everyone = scan.as_ref().map(|(_, all)| all.as_slice()).unwrap_or_default();
        let has_phone = |holder: &Holder| {
            holder.contacts.iter().flat_map(|c| &c.phone_numbers).any(|p| {
                [&p.stripped_phone_number, &p.phone_number]
                    .into_iter()
                    .flatten()
                    .any(|n| ten_digits(n) == ten)
            })
        };
        Ok(everyone.iter().find(|(_, h)| has_phone(h)).map(|(kind, h)| (*kind, h.id)))
    }

    async fn tenant(&self, id: i64) -> Result<Option<Person>, RentManagerError> {
        let Some(tenant) = self.get::<Holder>(&format!("/Tenants/{id}?embeds=Leases,Property")).await?.pop()
        else {
            return Ok(None);
        };
        // The unit comes from the current lease: no move-out date, or one still ahead.
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        let lease = tenant
            .leases
            .iter()
            .find(|l| l.move_out_date.as_deref().is_none_or(|d| d.get(..10).unwrap_or(d) >= today.as_str()));
        let unit_id = lease.and_then(|l| l.unit_id);
        let unit = match unit_id {
            Some(unit) => self.get::<UnitRow>(&format!("/Units/{unit}")).await?.pop().and_then(|u| u.name),
            None => None,
        };
        let issues: Vec<IssueRow> = self
            .get(&format!(
                "/ServiceManagerIssues?filters=IsClosed,eq,false;LinkedTenants.TenantID,eq,{id}&pageSize=20"
            ))
            .await
            .unwrap_or_default();
        Ok(Some(Person {
            kind: CallerKind::Tenant,
            id: tenant.id,
            name: display_name(&tenant),
            unit,
            unit_id,
            property_id: lease.and_then(|l| l.property_id).or(tenant.property_id),
            property: tenant.property.and_then(|p| p.name),
            open_issues: issues.into_iter().filter_map(|i| i.title).collect(),
        }))
    }

    async fn prospect(&self, id: i64) -> Result<Option<Person>, RentManagerError> {
        let prospect = self.get::<Holder>(&format!("/Prospects/{id}")).await?.pop();
        Ok(prospect.map(|p| Person {
            kind: CallerKind::Prospect,
            id: p.id,
            name: display_name(&p),
            unit: None,
            unit_id: None,
            property_id: p.property_id,
            property: None,
            open_issues: Vec::new(),
        }))
    }

    async fn lists(&self) -> Result<Lists, RentManagerError> {
        let mut lists = self.inner.lists.lock().await;
        if let Some(lists) = lists.as_ref() {
            return Ok(lists.clone());
        }
        let named = |rows: Vec<Value>, id: &str| -> Vec<Named> {
            rows.iter()
                .filter_map(|r| {
                    Some(Named { id: r.get(id)?.as_i64()?, name: r.get("Name")?.as_str()?.to_string() })
                })
                .collect()
        };
        let fetched = Lists {
            categories: named(self.get("/ServiceManagerCategories").await?, "ServiceManagerCategoryID"),
            priorities: named(self.get("/ServiceManagerPriorities").await?, "ServiceManagerPriorityID"),
            statuses: named(self.get("/ServiceManagerStatuses").await?, "ServiceManagerStatusID"),
        };
        *lists = Some(fetched.clone());
        Ok(fetched)
    }

    /// Every property with its primary address and units, as the office's knowledge. Which
    /// unit fields say "vacant" and "asking rent" is not documented: `IsVacant` and
    /// `MarketRent` are read when present, and a unit without them is not offered.
    pub async fn properties(&self) -> Result<Vec<knowledge::Property>, RentManagerError> {
        let mut properties = Vec::new();
        for page in 1.. {
            let rows: Vec<PropertyRow> = self
                .get(&format!("/Properties?embeds=PrimaryAddress,Units&pageSize={PAGE}&pageNumber={page}"))
                .await?;
            let full = rows.len() == PAGE;
            for row in rows {
                let street = row
                    .primary_address
                    .and_then(|a| a.address)
                    .and_then(|a| a.lines().next().map(str::to_string));
                let (Some(name), Some(street)) = (row.name, street) else { continue };
                let units = row
                    .units
                    .into_iter()
                    .filter_map(|u| {
                        Some(knowledge::Unit {
                            name: u.name?,
                            bedrooms: u.bedrooms.unwrap_or(0.0) as u32,
                            rent: u.market_rent.unwrap_or(0.0) as u32,
                            available: u.is_vacant.unwrap_or(false) && u.market_rent.is_some(),
                        })
                    })
                    .collect();
                properties.push(knowledge::Property { name, address: street, spoken: Vec::new(), units });
            }
            if !full {
                break;
            }
        }
        Ok(properties)
    }

    /// Creates the issue and returns its ServiceManagerIssueID.
    pub async fn create_service_issue(&self, issue: &NewServiceIssue) -> Result<i64, RentManagerError> {
        let lists = self.lists().await?;
        let settings = &self.inner.settings;
        let find = |list: &[Named], names: &[&str]| {
            names
                .iter()
                .find_map(|name| list.iter().find(|n| n.name.eq_ignore_ascii_case(name)).map(|n| n.id))
        };
        let priority_names: &[&str] = match issue.priority {
            Priority::Emergency => &["Emergency", "Urgent", "High"],
            Priority::Urgent => &["Urgent", "High"],
            Priority::Routine => &["Normal", "Routine", "Medium", "Low"],
        };
        let records = &issue.records;
        let mut body = json!({
            "Title": issue.title,
            "Description": issue.description,
            "CustomerDescription": issue.description,
            "IsCustomerInitiated": true,
            "IsClosed": false,
        });
        let fields = [
            ("CategoryID", find(&lists.categories, &[settings.category.as_str()])),
            ("PriorityID", find(&lists.priorities, priority_names)),
            ("StatusID", find(&lists.statuses, &[settings.status.as_str()])),
        ];
        for (field, id) in fields {
            if let Some(id) = id {
                body[field] = id.into();
            }
        }
        if let Some(allowed) = issue.allowed_to_enter {
            body["IsAllowedToEnter"] = allowed.into();
        }
        // First form: the linked collections in the create body.
        let links = [
            ("ServiceManagerIssueLinkedProperties", "PropertyID", records.property_id),
            ("ServiceManagerIssueLinkedUnits", "UnitID", records.unit_id),
            ("ServiceManagerIssueLinkedTenants", "TenantID", records.tenant_id),
        ];
        for (collection, field, id) in links {
            if let Some(id) = id {
                body[collection] = json!([{ field: id }]);
            }
        }
        let saved =
            self.inner.client.send(Method::POST, "/ServiceManagerIssues", Some(&json!([body]))).await?;
        let saved: Vec<IssueRow> = match saved {
            Some(Value::Array(rows)) => {
                rows.into_iter().filter_map(|r| serde_json::from_value(r).ok()).collect()
            }
            Some(row) => serde_json::from_value(row).map(|r| vec![r]).unwrap_or_default(),
            None => Vec::new(),
        };
        let saved = saved.into_iter().next().filter(|r| r.id > 0).ok_or_else(|| {
            RentManagerError::Decode("the saved issue came back without a ServiceManagerIssueID".into())
        })?;
        self.link(&saved, records).await?;
        Ok(saved.id)
    }

    /// Second form: where the saved issue does not show a link it should have, the `Link*`
    /// actions make it.
    async fn link(&self, saved: &IssueRow, records: &Records) -> Result<(), RentManagerError> {
        let missing = |linked: &Option<Vec<Value>>| linked.as_ref().is_none_or(Vec::is_empty);
        let actions = [
            (
                "LinkProperty",
                "propertyID",
                records.property_id,
                missing(&saved.service_manager_issue_linked_properties),
            ),
            ("LinkUnit", "unitID", records.unit_id, missing(&saved.service_manager_issue_linked_units)),
            (
                "LinkTenant",
                "tenantID",
                records.tenant_id,
                missing(&saved.service_manager_issue_linked_tenants),
            ),
        ];
        for (action, parameter, id, missing) in actions {
            if let (Some(id), true) = (id, missing) {
                let path = format!("/ServiceManagerIssues/{}/{action}?{parameter}={id}", saved.id);
                self.inner.client.send(Method::POST, &path, None).await?;
            }
        }
        Ok(())
    }

    /// A note on the tenant's or prospect's history. Rent Manager does not say which body it
    /// wants: the note model with `ParentID` is tried first, the parent with its notes next.
    pub async fn add_history_note(&self, on: NoteOn, note: &str) -> Result<(), RentManagerError> {
        let (path, id_field, id) = match on {
            NoteOn::Tenant(id) => ("/Tenants/HistoryNotes", "TenantID", id),
            NoteOn::Prospect(id) => ("/Prospects/HistoryNotes", "ProspectID", id),
        };
        let date = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
        let flat = json!([{ "ParentID": id, "HistoryDate": date, "Note": note }]);
        match self.inner.client.send(Method::POST, path, Some(&flat)).await {
            Err(RentManagerError::Status { status: 400 | 422, message }) => {
                tracing::info!(
                    "Rent Manager refused the flat note body ({message}); sending the nested form"
                );
                let nested =
                    json!([{ id_field: id, "HistoryNotes": [{ "HistoryDate": date, "Note": note }] }]);
                self.inner.client.send(Method::POST, path, Some(&nested)).await.map(drop)
            }
            other => other.map(drop),
        }
    }
}

fn kind(parent_type: &str) -> Option<CallerKind> {
    match parent_type {
        "Tenant" => Some(CallerKind::Tenant),
        "Prospect" => Some(CallerKind::Prospect),
        _ => None,
    }
}

/// The last ten digits: Rent Manager keeps numbers as the office typed them.
fn ten_digits(raw: &str) -> String {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(10)..].to_string()
}

fn display_name(holder: &Holder) -> String {
    match (&holder.first_name, &holder.last_name, &holder.name) {
        (Some(first), Some(last), _) => format!("{first} {last}"),
        (_, _, Some(name)) => name.clone(),
        (Some(first), None, None) => first.clone(),
        _ => "a tenant".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_on_their_last_ten_digits() {
        for raw in ["+17184146984", "(718) 414-6984", "718-414-6984", "7184146984", "17184146984"] {
            assert_eq!(ten_digits(raw), "7184146984", "{raw}");
        }
    }
}
