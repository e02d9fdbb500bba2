//! The local directory of tenants and prospects: who is calling when Rent Manager is not
//! configured. It ships with a few demo people so a fresh install can place a tenant call.

use std::str::FromStr;

use crate::call::turn::{Directory, LookupError};
use crate::call::{Caller, CallerKind, Identity};
use crate::db::Db;
use crate::phone::Phone;

#[derive(sqlx::FromRow)]
struct DirectoryRow {
    kind: String,
    name: String,
    unit: Option<String>,
    property: Option<String>,
}

pub struct LocalDirectory {
    pub db: Db,
}

#[async_trait::async_trait]
impl Directory for LocalDirectory {
    async fn find(&self, phone: &Phone) -> Result<Option<Caller>, LookupError> {
        let row: Option<DirectoryRow> =
            sqlx::query_as("SELECT kind, name, unit, property FROM directory WHERE phone = $1")
                .bind(phone.e164())
                .fetch_optional(&self.db.pool)
                .await?;
        Ok(row.map(|row| Caller {
            phone: Some(phone.clone()),
            // The directory holds tenants and prospects only.
            kind: match CallerKind::from_str(&row.kind) {
                Ok(CallerKind::Tenant) => CallerKind::Tenant,
                _ => CallerKind::Prospect,
            },
            name: Some(row.name),
            unit: row.unit,
            property: row.property,
            records: None,
            open_issues: Vec::new(),
            // A number matched: who it is still has to be shown (see `Turns::take`).
            identity: Identity::CallerId,
        }))
    }

    /// Service issues and call notes stay in frontdesk's own tables.
    fn keeps_records(&self) -> bool {
        false
    }
}
