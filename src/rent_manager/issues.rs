//! Writing to Rent Manager: service issues (with their category, priority and status looked
//! up by name in the office's own lists) and history notes on a tenant or prospect.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::wire::{
    IssueBody, IssueRow, LinkedProperty, LinkedTenant, LinkedUnit, ListRow, NoteBody, NoteRow,
    ParentWithNotes,
};
use super::{RentManager, RentManagerError};
use crate::call::effects::{NewServiceIssue, NoteOn};
use crate::call::{Priority, Records};

/// The lists change when the office edits them, which is rare; an hour keeps a new
/// category from needing a restart without fetching the lists per issue.
const LISTS_FOR: Duration = Duration::from_secs(3600);

/// The office's ServiceManagerCategories, ServiceManagerPriorities and ServiceManagerStatuses.
#[derive(Debug, Clone, Default)]
pub(super) struct Lists {
    categories: Vec<ListRow>,
    priorities: Vec<ListRow>,
    statuses: Vec<ListRow>,
}

/// The office's names for each priority, closest first. The ids differ per database, so
/// only names are known here; with none of them in the office's list, the issue gets no
/// priority rather than failing.
fn priority_names(priority: Priority) -> &'static [&'static str] {
    match priority {
        Priority::Emergency => &["Emergency", "Urgent", "High"],
        Priority::Urgent => &["Urgent", "High", "Emergency"],
        Priority::Routine => &["Normal", "Routine", "Medium", "Low"],
    }
}

/// The first of `names` in the list, compared case-insensitively; inactive rows never match.
fn find(list: &[ListRow], names: &[&str]) -> Option<i64> {
    names.iter().find_map(|name| {
        list.iter()
            .filter(|row| row.is_active != Some(false))
            .find(|row| row.name.trim().eq_ignore_ascii_case(name.trim()))
            .map(|row| row.id)
    })
}

impl RentManager {
    async fn lists(&self) -> Result<Lists, RentManagerError> {
        let mut lists = self.inner.lists.lock().await;
        if let Some((at, lists)) = lists.as_ref()
            && at.elapsed() < LISTS_FOR
        {
            return Ok(lists.clone());
        }
        let client = self.client();
        let fetched = Lists {
            categories: client.get("/ServiceManagerCategories").await?,
            priorities: client.get("/ServiceManagerPriorities").await?,
            statuses: client.get("/ServiceManagerStatuses").await?,
        };
        *lists = Some((Instant::now(), fetched.clone()));
        Ok(fetched)
    }

    /// Creates the issue and returns its ServiceManagerIssueID. Once the issue exists this
    /// never fails: a retry would file the same issue twice.
    pub async fn create_service_issue(&self, issue: &NewServiceIssue) -> Result<i64, RentManagerError> {
        let lists = self.lists().await?;
        let settings = &self.inner.settings;
        let records = &issue.records;
        let body = IssueBody {
            title: &issue.title,
            description: &issue.description,
            customer_description: &issue.description,
            is_customer_initiated: true,
            is_closed: false,
            category_id: find(&lists.categories, &[settings.category.as_str()]),
            priority_id: find(&lists.priorities, priority_names(issue.priority)),
            status_id: find(&lists.statuses, &[settings.status.as_str()]),
            // Rent Manager's own field for it; the description says it in words as well.
            is_allowed_to_enter: issue.allowed_to_enter,
            service_manager_issue_linked_properties: records
                .property_id
                .map(|property_id| LinkedProperty { property_id })
                .into_iter()
                .collect(),
            service_manager_issue_linked_units: records
                .unit_id
                .map(|unit_id| LinkedUnit { unit_id })
                .into_iter()
                .collect(),
            service_manager_issue_linked_tenants: records
                .tenant_id
                .map(|tenant_id| LinkedTenant { tenant_id })
                .into_iter()
                .collect(),
        };
        let saved = self.client().post("/ServiceManagerIssues", &[body]).await?;
        let saved = first::<IssueRow>(saved)?.filter(|row| row.id > 0).ok_or_else(|| {
            RentManagerError::Decode("the saved issue came back without a ServiceManagerIssueID".into())
        })?;
        self.link(&saved, records).await;
        Ok(saved.id)
    }

    /// The issue whose description carries `marker` (see `NewServiceIssue::marker`), if any.
    pub async fn issue_marked(&self, marker: &str) -> Result<Option<i64>, RentManagerError> {
        let path =
            format!("/ServiceManagerIssues?filters=Description,ct,{marker}&fields=ServiceManagerIssueID");
        let rows: Vec<IssueRow> = self.client().get(&path).await?;
        Ok(rows.into_iter().map(|row| row.id).find(|id| *id > 0))
    }

    /// How an issue is tied to its property, unit and tenant is not documented. The linked
    /// collections go in the create body (first form); where the saved issue does not show a
    /// link, the `Link*` actions make it (second form). A failed link is logged, not
    /// returned: the issue exists, and staff can link it by hand.
    async fn link(&self, saved: &IssueRow, records: &Records) {
        let missing = |linked: &Option<Vec<_>>| linked.as_ref().is_none_or(Vec::is_empty);
        let actions = [
            (
                "LinkProperty",
                "propertyID",
                records.property_id,
                &saved.service_manager_issue_linked_properties,
            ),
            ("LinkUnit", "unitID", records.unit_id, &saved.service_manager_issue_linked_units),
            ("LinkTenant", "tenantID", records.tenant_id, &saved.service_manager_issue_linked_tenants),
        ];
        for (action, parameter, id, linked) in actions {
            let Some(id) = id.filter(|_| missing(linked)) else { continue };
            let path = format!("/ServiceManagerIssues/{}/{action}?{parameter}={id}", saved.id);
            if let Err(e) = self.client().act(&path).await {
                tracing::warn!(issue = saved.id, "Rent Manager {action} failed; link it by hand: {e}");
            }
        }
    }

    /// A note on the tenant's or prospect's history, returning the new HistoryID when Rent
    /// Manager says it (it may not). The body is undocumented: the note model with
    /// `ParentID` is sent first; if that is refused as malformed, the parent with its notes.
    pub async fn add_history_note(&self, on: NoteOn, note: &str) -> Result<Option<i64>, RentManagerError> {
        let (path, tenant_id, prospect_id) = match on {
            NoteOn::Tenant(id) => ("/Tenants/HistoryNotes", Some(id), None),
            NoteOn::Prospect(id) => ("/Prospects/HistoryNotes", None, Some(id)),
        };
        let parent_id = tenant_id.or(prospect_id);
        // Rent Manager reads a date without an offset as its own local time; the offset
        // makes the moment unambiguous whatever zone it runs in.
        let date = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        let flat = [NoteBody { parent_id, history_date: &date, note }];
        let saved = match self.client().post(path, &flat).await {
            Err(RentManagerError::Status { status: 400 | 422, message }) => {
                tracing::info!(
                    "Rent Manager refused the flat note body ({message}); sending the nested form"
                );
                let child = NoteBody { parent_id: None, history_date: &date, note };
                let nested = [ParentWithNotes { tenant_id, prospect_id, history_notes: vec![child] }];
                self.client().post(path, &nested).await?
            }
            other => other?,
        };
        let id = first::<NoteRow>(saved)?.and_then(|row| {
            // The nested form may echo the parent, whose notes carry the id.
            row.history_id.or_else(|| row.history_notes.first()?.history_id)
        });
        Ok(id)
    }
}

/// The first saved entity of a save's answer: an array of them, or, tolerated, one object.
fn first<T: serde::de::DeserializeOwned>(saved: Option<Value>) -> Result<Option<T>, RentManagerError> {
    let row = match saved {
        None => return Ok(None),
        Some(Value::Array(rows)) => rows.into_iter().next(),
        Some(row) => Some(row),
    };
    row.map(serde_json::from_value).transpose().map_err(|e| RentManagerError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> Vec<ListRow> {
        names
            .iter()
            .zip(1..)
            .map(|(name, id)| ListRow { id, name: (*name).into(), is_active: Some(true) })
            .collect()
    }

    #[test]
    fn a_priority_takes_the_closest_name_the_office_uses() {
        let office = list(&["low", "NORMAL", "High"]);
        assert_eq!(find(&office, priority_names(Priority::Emergency)), Some(3));
        assert_eq!(find(&office, priority_names(Priority::Routine)), Some(2));
        assert_eq!(find(&list(&["P1", "P2"]), priority_names(Priority::Urgent)), None);
    }
}
