//! Who is calling: Rent Manager when it is configured, else the local directory of tenants
//! and prospects (which ships with a few demo people so a fresh install can place a tenant
//! call).

use std::time::Duration;

use crate::call::{Caller, CallerKind};
use crate::db::Db;
use crate::phone::Phone;
use crate::rent_manager::RentManager;

#[derive(sqlx::FromRow)]
struct DirectoryRow {
    kind: String,
    name: String,
    unit: Option<String>,
    property: Option<String>,
}

pub struct Directory {
    pub db: Db,
    pub rent_manager: Option<RentManager>,
    /// How long a caller waits on Rent Manager before being treated as unknown.
    pub deadline: Duration,
}

impl Directory {
    /// The caller as the system of record knows them. Never fails the call: a slow or sick
    /// Rent Manager makes an unknown caller for this call.
    pub async fn lookup(&self, phone: Option<&Phone>) -> Result<Caller, sqlx::Error> {
        let Some(phone) = phone else { return Ok(Caller::unknown(None)) };
        let Some(rent_manager) = &self.rent_manager else { return local(&self.db, phone).await };
        match tokio::time::timeout(self.deadline, rent_manager.find_caller(phone)).await {
            Ok(Ok(Some(person))) => Ok(person.caller(phone)),
            Ok(Ok(None)) => Ok(Caller::unknown(Some(phone.clone()))),
            Ok(Err(e)) => {
                tracing::warn!(caller = phone.masked(), "Rent Manager lookup failed, caller unknown: {e}");
                Ok(Caller::unknown(Some(phone.clone())))
            }
            Err(_) => {
                tracing::warn!(caller = phone.masked(), "Rent Manager lookup too slow, caller unknown");
                Ok(Caller::unknown(Some(phone.clone())))
            }
        }
    }
}

async fn local(db: &Db, phone: &Phone) -> Result<Caller, sqlx::Error> {
    let row: Option<DirectoryRow> =
        sqlx::query_as("SELECT kind, name, unit, property FROM directory WHERE phone = $1")
            .bind(phone.e164())
            .fetch_optional(&db.pool)
            .await?;
    Ok(match row {
        None => Caller::unknown(Some(phone.clone())),
        Some(row) => Caller {
            phone: Some(phone.clone()),
            kind: if row.kind == "tenant" { CallerKind::Tenant } else { CallerKind::Prospect },
            name: Some(row.name),
            unit: row.unit,
            property: row.property,
            records: None,
            open_issues: Vec::new(),
        },
    })
}
