//! Rent Manager's JSON as serde models: the rows we read (PascalCase, every embed optional,
//! unknown fields ignored) and the bodies we write. Field names are those of the API help
//! pages (`/Help/Resource/...`); nothing outside this module sees them.

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

/// A PhoneNumberModel, alone (`/PhoneNumbers?embeds=Contact`) or inside a contact.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PhoneNumberRow {
    /// As the office typed it: `(718) 414-6984`, `718.414.6984`, ...
    pub phone_number: Option<String>,
    /// What this holds (digits only? a leading 1?) is not documented.
    pub stripped_phone_number: Option<String>,
    /// `"Contact"` for tenants' and prospects' numbers.
    pub parent_type: Option<String>,
    pub contact: Option<ContactRow>,
}

impl PhoneNumberRow {
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        [&self.stripped_phone_number, &self.phone_number].into_iter().flatten().map(String::as_str)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ContactRow {
    #[serde(rename = "ParentID")]
    pub parent_id: Option<i64>,
    /// `"Tenant"`, `"Prospect"`, `"Owner"`, `"Vendor"`, ...
    pub parent_type: Option<String>,
    pub phone_numbers: Vec<PhoneNumberRow>,
}

/// A TenantModel or ProspectModel with the embeds asked for. Separate id fields rather than
/// aliases: a converted prospect may carry both ids, which aliases would reject as a duplicate.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PersonRow {
    #[serde(rename = "TenantID")]
    pub tenant_id: Option<i64>,
    #[serde(rename = "ProspectID")]
    pub prospect_id: Option<i64>,
    pub name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    #[serde(rename = "PropertyID")]
    pub property_id: Option<i64>,
    pub contacts: Vec<ContactRow>,
    pub leases: Vec<LeaseRow>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LeaseRow {
    #[serde(rename = "UnitID")]
    pub unit_id: Option<i64>,
    #[serde(rename = "PropertyID")]
    pub property_id: Option<i64>,
    pub move_in_date: Option<String>,
    pub move_out_date: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PropertyRow {
    #[serde(rename = "PropertyID")]
    pub property_id: Option<i64>,
    pub name: Option<String>,
    pub primary_address: Option<AddressRow>,
    pub units: Vec<UnitRow>,
}

/// `Address` is the full, writable text, often several lines joined by `\r\n`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AddressRow {
    pub address: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UnitRow {
    pub name: Option<String>,
    pub bedrooms: Option<f64>,
    pub market_rent: Option<f64>,
    pub is_vacant: Option<bool>,
}

/// A ServiceManagerIssueModel as read back after a save or in a listing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct IssueRow {
    #[serde(rename = "ServiceManagerIssueID")]
    pub id: i64,
    pub title: Option<String>,
    pub service_manager_issue_linked_properties: Option<Vec<IgnoredAny>>,
    pub service_manager_issue_linked_units: Option<Vec<IgnoredAny>>,
    pub service_manager_issue_linked_tenants: Option<Vec<IgnoredAny>>,
}

/// A row of ServiceManagerCategories, ServiceManagerPriorities or ServiceManagerStatuses.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRow {
    #[serde(
        alias = "ServiceManagerCategoryID",
        alias = "ServiceManagerPriorityID",
        alias = "ServiceManagerStatusID"
    )]
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub is_active: Option<bool>,
}

/// A HistoryNoteModel as a save may return it (Propexo says it does not), or the parent
/// echoed by the nested form, with its notes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NoteRow {
    #[serde(rename = "HistoryID")]
    pub history_id: Option<i64>,
    pub history_notes: Vec<NoteRow>,
}

/// `POST /ServiceManagerIssues` takes an array of these.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IssueBody<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub customer_description: &'a str,
    pub is_customer_initiated: bool,
    pub is_closed: bool,
    #[serde(rename = "CategoryID", skip_serializing_if = "Option::is_none")]
    pub category_id: Option<i64>,
    #[serde(rename = "PriorityID", skip_serializing_if = "Option::is_none")]
    pub priority_id: Option<i64>,
    #[serde(rename = "StatusID", skip_serializing_if = "Option::is_none")]
    pub status_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_allowed_to_enter: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub service_manager_issue_linked_properties: Vec<LinkedProperty>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub service_manager_issue_linked_units: Vec<LinkedUnit>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub service_manager_issue_linked_tenants: Vec<LinkedTenant>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkedProperty {
    #[serde(rename = "PropertyID")]
    pub property_id: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkedUnit {
    #[serde(rename = "UnitID")]
    pub unit_id: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkedTenant {
    #[serde(rename = "TenantID")]
    pub tenant_id: i64,
}

/// The first history note form: the note model itself, with `ParentID` the tenant or prospect.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NoteBody<'a> {
    #[serde(rename = "ParentID", skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<i64>,
    pub history_date: &'a str,
    pub note: &'a str,
}

/// The second history note form: the parent model carrying its new note.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ParentWithNotes<'a> {
    #[serde(rename = "TenantID", skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<i64>,
    #[serde(rename = "ProspectID", skip_serializing_if = "Option::is_none")]
    pub prospect_id: Option<i64>,
    pub history_notes: Vec<NoteBody<'a>>,
}

/// Rent Manager's error model, or ASP.NET's validation body (`Message`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ErrorBody {
    pub developer_message: Option<String>,
    pub user_message: Option<String>,
    pub message: Option<String>,
}
