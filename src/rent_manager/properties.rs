//! The office's buildings from Rent Manager, as the knowledge the assistant answers from:
//! each property with its primary address and its units.

use super::callers::MAX_PAGES;
use super::wire::PropertyRow;
use super::{PAGE, RentManager, RentManagerError};
use crate::knowledge;

impl RentManager {
    /// Every property with its primary address and units. Which unit fields say "vacant" and
    /// "asking rent" is not documented: `IsVacant` and `MarketRent` are read when present,
    /// and a unit without them is not offered.
    pub async fn properties(&self) -> Result<Vec<knowledge::Property>, RentManagerError> {
        let mut properties = Vec::new();
        // Bounded like the scan: a server that ignores paging must not loop forever.
        for page in 1..=MAX_PAGES {
            let rows: Vec<PropertyRow> = self
                .client()
                .get(&format!("/Properties?embeds=PrimaryAddress,Units&pageSize={PAGE}&pageNumber={page}"))
                .await?;
            let full = rows.len() == PAGE;
            properties.extend(rows.into_iter().filter_map(property));
            if !full {
                break;
            }
        }
        Ok(properties)
    }
}

fn property(row: PropertyRow) -> Option<knowledge::Property> {
    // The street is the first line of the multi-line address.
    let street = row.primary_address?.address?.lines().next()?.to_string();
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
    Some(knowledge::Property { name: row.name?, address: street, spoken: Vec::new(), units })
}
