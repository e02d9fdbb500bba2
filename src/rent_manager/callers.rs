//! Who is calling: a phone number to a tenant (first) or prospect, with the unit of the
//! current lease, the property and the tenant's open service issues.
//!
//! Phones live on Contacts, and Rent Manager keeps them as the office typed them, so numbers
//! are compared on their last ten digits. The server-side search (`/PhoneNumbers` filtered on
//! `StrippedPhoneNumber`) is tried first; a cached scan of every current tenant and prospect
//! with their contacts' phones (a few paged requests, never one per contact) is the fallback.

use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;

use super::wire::{IssueRow, LeaseRow, PersonRow, PhoneNumberRow, PropertyRow, UnitRow};
use super::{CACHE_FOR, OpenIssue, PAGE, Person, RentManager, RentManagerError};
use crate::call::CallerKind;
use crate::phone::Phone;

/// Every current tenant and every prospect with their phones, as a scan found them.
pub(super) type Everyone = Vec<(CallerKind, PersonRow)>;

/// A runaway guard: 100 pages of 1000 is more than any office has.
pub(super) const MAX_PAGES: usize = 100;
/// Numbers remembered at most; past it, expired answers go first, then the oldest.
const MAX_CACHED_CALLERS: usize = 10_000;
/// Open issues read out on a call; older ones do not help the caller.
const OPEN_ISSUES: usize = 20;

impl RentManager {
    /// The tenant (first) or prospect with this phone number, if Rent Manager has one.
    pub async fn find_caller(&self, phone: &Phone) -> Result<Option<Person>, RentManagerError> {
        let ten = ten_digits(phone.e164());
        if let Some((at, person)) = self.inner.callers.lock().await.get(&ten)
            && at.elapsed() < CACHE_FOR
        {
            return Ok(person.clone());
        }
        let holder = match self.search_phone(&ten).await {
            Ok(Some(found)) => Some(found),
            // Nothing found may only mean that `StrippedPhoneNumber` is not spelled the way
            // we asked for; the scan compares every spelling.
            Ok(None) => self.scan_for(&ten).await?,
            Err(e) if !e.is_retryable() => {
                tracing::info!("Rent Manager phone search refused ({e}); scanning tenants and prospects");
                self.scan_for(&ten).await?
            }
            Err(e) => return Err(e),
        };
        let person = match holder {
            Some((CallerKind::Tenant, id)) => self.tenant(id).await?,
            Some((_, id)) => self.prospect(id).await?,
            None => None,
        };
        let mut callers = self.inner.callers.lock().await;
        if callers.len() >= MAX_CACHED_CALLERS {
            callers.retain(|_, (at, _)| at.elapsed() < CACHE_FOR);
        }
        if callers.len() >= MAX_CACHED_CALLERS
            && let Some(oldest) = callers.iter().min_by_key(|(_, (at, _))| *at).map(|(ten, _)| ten.clone())
        {
            callers.remove(&oldest);
        }
        callers.insert(ten, (Instant::now(), person.clone()));
        Ok(person)
    }

    /// Server-side, on the stripped number with and without the country code (which of the
    /// two Rent Manager stores is not documented).
    async fn search_phone(&self, ten: &str) -> Result<Option<(CallerKind, i64)>, RentManagerError> {
        let path = format!("/PhoneNumbers?filters=StrippedPhoneNumber,in,({ten},1{ten})&embeds=Contact");
        let rows: Vec<PhoneNumberRow> = self.client().get(&path).await?;
        let holders: Vec<(CallerKind, i64)> = rows
            .into_iter()
            .filter(|row| row.parent_type.as_deref().is_none_or(|t| t == "Contact"))
            // Guards against a build that ignores the filter and answers with every number.
            .filter(|row| row.spellings().next().is_none() || row.spellings().any(|n| ten_digits(n) == ten))
            .filter_map(|row| {
                let contact = row.contact?;
                Some((kind(contact.parent_type.as_deref()?)?, contact.parent_id?))
            })
            .collect();
        Ok(best(holders))
    }

    async fn scan_for(&self, ten: &str) -> Result<Option<(CallerKind, i64)>, RentManagerError> {
        let everyone = self.everyone().await?;
        let holders = everyone
            .iter()
            .filter(|(_, row)| {
                row.contacts
                    .iter()
                    .flat_map(|c| &c.phone_numbers)
                    .any(|p| p.spellings().any(|n| ten_digits(n) == ten))
            })
            .filter_map(|(kind, row)| Some((*kind, row.tenant_id.or(row.prospect_id)?)))
            .collect();
        Ok(best(holders))
    }

    /// The scan runs in its own task: a caller who stops waiting (a call's lookup deadline)
    /// must not throw away a scan that takes longer than one call can wait, or no call would
    /// ever see it finish. Later callers wait on the lock and then read the cache.
    async fn everyone(&self) -> Result<Arc<Everyone>, RentManagerError> {
        let me = self.clone();
        tokio::spawn(async move { me.refresh_scan().await })
            .await
            .map_err(|e| RentManagerError::Stopped(e.to_string()))?
    }

    async fn refresh_scan(&self) -> Result<Arc<Everyone>, RentManagerError> {
        let mut scan = self.inner.scan.lock().await;
        if let Some((at, everyone)) = scan.as_ref()
            && at.elapsed() < CACHE_FOR
        {
            return Ok(everyone.clone());
        }
        let mut everyone = Vec::new();
        for (kind, base) in [
            (CallerKind::Tenant, "/Tenants?embeds=Contacts.PhoneNumbers&filters=Status,eq,Current"),
            (CallerKind::Prospect, "/Prospects?embeds=Contacts.PhoneNumbers"),
        ] {
            for page in 1..=MAX_PAGES {
                let path = format!("{base}&pageSize={PAGE}&pageNumber={page}");
                let rows: Vec<PersonRow> = self.client().get(&path).await?;
                let full = rows.len() == PAGE;
                everyone.extend(rows.into_iter().map(|row| (kind, row)));
                if !full {
                    break;
                }
            }
        }
        let everyone = Arc::new(everyone);
        *scan = Some((Instant::now(), everyone.clone()));
        Ok(everyone)
    }

    async fn tenant(&self, id: i64) -> Result<Option<Person>, RentManagerError> {
        let Some(tenant) =
            self.client().get::<PersonRow>(&format!("/Tenants/{id}?embeds=Leases")).await?.pop()
        else {
            return Ok(None);
        };
        let today = chrono::Utc::now().date_naive();
        let lease = current_lease(&tenant.leases, today);
        let unit_id = lease.and_then(|l| l.unit_id);
        let property_id = lease.and_then(|l| l.property_id).or(tenant.property_id);
        let (unit, property, open_issues) =
            tokio::join!(self.unit_name(unit_id), self.property(property_id), self.open_issues(id));
        let property = property?;
        Ok(Some(Person {
            kind: CallerKind::Tenant,
            id,
            name: display_name(&tenant),
            first_name: tenant.first_name.clone(),
            unit: unit?,
            unit_id,
            property_id,
            property: property.as_ref().and_then(|p| p.name.clone()),
            property_address: property.and_then(|p| one_line(p.primary_address?.address?)),
            open_issues,
        }))
    }

    async fn prospect(&self, id: i64) -> Result<Option<Person>, RentManagerError> {
        let Some(prospect) = self.client().get::<PersonRow>(&format!("/Prospects/{id}")).await?.pop() else {
            return Ok(None);
        };
        let property = self.property(prospect.property_id).await?;
        Ok(Some(Person {
            kind: CallerKind::Prospect,
            id,
            name: display_name(&prospect),
            first_name: prospect.first_name.clone(),
            unit: None,
            unit_id: None,
            property_id: prospect.property_id,
            property: property.as_ref().and_then(|p| p.name.clone()),
            property_address: property.and_then(|p| one_line(p.primary_address?.address?)),
            open_issues: Vec::new(),
        }))
    }

    async fn unit_name(&self, unit_id: Option<i64>) -> Result<Option<String>, RentManagerError> {
        let Some(unit) = unit_id else { return Ok(None) };
        Ok(self.client().get::<UnitRow>(&format!("/Units/{unit}")).await?.pop().and_then(|u| u.name))
    }

    async fn property(&self, property_id: Option<i64>) -> Result<Option<PropertyRow>, RentManagerError> {
        let Some(id) = property_id else { return Ok(None) };
        Ok(self.client().get::<PropertyRow>(&format!("/Properties/{id}?embeds=PrimaryAddress")).await?.pop())
    }

    /// The issue model has no flat TenantID; the filter through `LinkedTenants` is the form
    /// other clients use but is unverified. The list only helps the conversation, so a
    /// refusal costs the caller nothing but this list.
    async fn open_issues(&self, tenant_id: i64) -> Vec<OpenIssue> {
        let path = format!(
            "/ServiceManagerIssues?filters=IsClosed,eq,false;LinkedTenants.TenantID,eq,{tenant_id}\
             &pageSize={OPEN_ISSUES}"
        );
        match self.client().get::<IssueRow>(&path).await {
            Ok(rows) => {
                rows.into_iter().filter_map(|row| Some(OpenIssue { id: row.id, title: row.title? })).collect()
            }
            Err(e) => {
                tracing::info!("Rent Manager open issues not read: {e}");
                Vec::new()
            }
        }
    }
}

/// A tenant wins over a prospect with the same number.
fn best(holders: Vec<(CallerKind, i64)>) -> Option<(CallerKind, i64)> {
    holders.iter().find(|(kind, _)| *kind == CallerKind::Tenant).or(holders.first()).copied()
}

fn kind(parent_type: &str) -> Option<CallerKind> {
    match parent_type {
        "Tenant" => Some(CallerKind::Tenant),
        "Prospect" => Some(CallerKind::Prospect),
        _ => None,
    }
}

/// The lease in force today: moved in (or no date), not yet moved out; the latest such.
fn current_lease(leases: &[LeaseRow], today: NaiveDate) -> Option<&LeaseRow> {
    leases
        .iter()
        .filter(|l| l.move_in_date.as_deref().and_then(date).is_none_or(|d| d <= today))
        .filter(|l| l.move_out_date.as_deref().and_then(date).is_none_or(|d| d >= today))
        .max_by_key(|l| l.move_in_date.as_deref().and_then(date))
}

/// Rent Manager dates are local date-times (`2021-07-01T00:00:00`, maybe with an offset);
/// only the date matters here.
fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.get(..10)?, "%Y-%m-%d").ok()
}

/// The last ten digits: Rent Manager keeps numbers as the office typed them.
pub(super) fn ten_digits(raw: &str) -> String {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(10)..].to_string()
}

fn display_name(row: &PersonRow) -> String {
    match (&row.first_name, &row.last_name, &row.name) {
        (Some(first), Some(last), _) => format!("{first} {last}"),
        (_, _, Some(name)) => name.clone(),
        (Some(first), None, None) => first.clone(),
        _ => "a tenant".into(),
    }
}

/// Addresses come as several lines (`\r\n`); one line reads better aloud and in a prompt.
fn one_line(address: String) -> Option<String> {
    let line = address.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(", ");
    (!line.is_empty()).then_some(line)
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

    #[test]
    fn the_current_lease_is_the_one_in_force_today() {
        let lease = |unit, move_in: &str, move_out: Option<&str>| LeaseRow {
            unit_id: Some(unit),
            property_id: Some(5),
            move_in_date: Some(move_in.into()),
            move_out_date: move_out.map(str::to_string),
        };
        let leases = [
            lease(1, "2019-01-01T00:00:00", Some("2021-06-30T00:00:00")),
            lease(2, "2021-07-01T00:00:00", None),
            lease(3, "2030-01-01T00:00:00", None),
        ];
        let today = NaiveDate::from_ymd_opt(2026, 5, 6).unwrap();
        assert_eq!(current_lease(&leases, today).and_then(|l| l.unit_id), Some(2));
    }
}
