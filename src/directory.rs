//! Who is calling: the local directory of tenants and prospects, by phone number.
//!
//! It is the office's system of record when Rent Manager is not configured, and ships with a
//! few demo people so a fresh install can place a tenant call.

use crate::call::{Caller, CallerKind};
use crate::db::Db;
use crate::phone::Phone;

#[derive(sqlx::FromRow)]
struct DirectoryRow {
    kind: String,
    name: String,
    unit: Option<String>,
    property: Option<String>,
}

/// The caller as the directory knows them; an unknown or hidden number is an unknown caller.
pub async fn lookup(db: &Db, phone: Option<&Phone>) -> Result<Caller, sqlx::Error> {
    let Some(phone) = phone else {
        return Ok(Caller::unknown(None));
    };
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
        },
    })
}
