//! What the office knows about its buildings: the properties it manages (and how their
//! addresses are said), their units, and its policies by topic. Both brains may state only
//! what this holds; a placeholder policy is treated as missing.
//!
//! It lives in the database as one document, seeded from the shipped `knowledge.toml` and
//! replaced by `frontdesk knowledge import`; each server re-reads it every minute.

pub mod address;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::db::{Db, millis};
use address::AddressKey;

/// The knowledge shipped with frontdesk: the seed office's buildings and placeholder policies.
pub const SEED: &str = include_str!("../../knowledge.toml");

#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    #[error("the knowledge file is not valid: {0}")]
    Invalid(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Knowledge {
    #[serde(default)]
    pub properties: Vec<Property>,
    #[serde(default)]
    pub policies: Vec<Policy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Property {
    pub name: String,
    pub address: String,
    /// Other ways callers say it ("ten forty two Windsor Street").
    #[serde(default)]
    pub spoken: Vec<String>,
    #[serde(default)]
    pub units: Vec<Unit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub name: String,
    pub bedrooms: u32,
    /// Asking rent, dollars a month.
    pub rent: u32,
    #[serde(default)]
    pub available: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub topic: Topic,
    /// The property it applies to (by name); none: office-wide.
    #[serde(default)]
    pub property: Option<String>,
    pub text: String,
    /// Seed text for the office to replace: never read to a caller.
    #[serde(default)]
    pub placeholder: bool,
}

/// What a question about living here is about; answered only from the office's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    RentPayment,
    LateFees,
    Pets,
    Parking,
    Laundry,
    Trash,
    Packages,
    QuietHours,
    MoveInOut,
    Amenities,
    Applying,
}

impl Topic {
    pub const ALL: [Topic; 11] = [
        Topic::RentPayment,
        Topic::LateFees,
        Topic::Pets,
        Topic::Parking,
        Topic::Laundry,
        Topic::Trash,
        Topic::Packages,
        Topic::QuietHours,
        Topic::MoveInOut,
        Topic::Amenities,
        Topic::Applying,
    ];

    /// How the topic is named in the knowledge files and in speech ("rent_payment", "paying rent").
    pub fn spoken(self) -> &'static str {
        match self {
            Topic::RentPayment => "paying rent",
            Topic::LateFees => "late fees",
            Topic::Pets => "pets",
            Topic::Parking => "parking",
            Topic::Laundry => "laundry",
            Topic::Trash => "trash and recycling",
            Topic::Packages => "packages",
            Topic::QuietHours => "quiet hours",
            Topic::MoveInOut => "moving in or out",
            Topic::Amenities => "amenities",
            Topic::Applying => "applying",
        }
    }
}

/// An address a caller named, and the managed property it is, if any.
pub struct Located<'a> {
    pub said: AddressKey,
    pub property: Option<&'a Property>,
}

impl Knowledge {
    pub fn from_toml(text: &str) -> Result<Knowledge, KnowledgeError> {
        let knowledge: Knowledge =
            toml::from_str(text).map_err(|e| KnowledgeError::Invalid(e.to_string()))?;
        for property in &knowledge.properties {
            if address::key(&property.address).is_none() {
                return Err(KnowledgeError::Invalid(format!(
                    "{}: the address needs a number and a street",
                    property.name
                )));
            }
        }
        Ok(knowledge)
    }

    /// Policies from CSV with the columns `topic,property,text` (property empty: office-wide).
    pub fn policies_from_csv(text: &str) -> Result<Vec<Policy>, KnowledgeError> {
        #[derive(Deserialize)]
        struct Row {
            topic: Topic,
            property: Option<String>,
            text: String,
        }
        csv::Reader::from_reader(text.as_bytes())
            .deserialize::<Row>()
            .map(|row| {
                let row = row.map_err(|e| KnowledgeError::Invalid(e.to_string()))?;
                let property = row.property.filter(|p| !p.trim().is_empty());
                Ok(Policy { topic: row.topic, property, text: row.text, placeholder: false })
            })
            .collect()
    }

    /// The policy for a topic: the property's own first, then the office-wide one.
    pub fn policy(&self, topic: Topic, property: Option<&str>) -> Option<&str> {
        let usable = |p: &&Policy| p.topic == topic && !p.placeholder && !p.text.trim().is_empty();
        let own = property.and_then(|name| {
            self.policies.iter().filter(usable).find(|p| p.property.as_deref() == Some(name))
        });
        own.or_else(|| self.policies.iter().filter(usable).find(|p| p.property.is_none()))
            .map(|p| p.text.as_str())
    }

    /// Every usable policy for a caller at `property` (theirs over office-wide), for the model.
    pub fn policies_for(&self, property: Option<&str>) -> Vec<(Topic, &str)> {
        Topic::ALL
            .iter()
            .filter_map(|&topic| self.policy(topic, property).map(|text| (topic, text)))
            .collect()
    }

    /// The address named in `text`, if any, and which managed property it is.
    pub fn locate(&self, text: &str) -> Option<Located<'_>> {
        let keys: Vec<(AddressKey, &Property)> = self
            .properties
            .iter()
            .flat_map(|p| {
                std::iter::once(&p.address)
                    .chain(&p.spoken)
                    .filter_map(|a| address::key(a))
                    .map(move |k| (k, p))
            })
            .collect();
        let streets: Vec<Vec<String>> = keys.iter().map(|(k, _)| k.street.clone()).collect();
        let said = address::find(text, &streets)?;
        let property = keys.iter().find(|(key, _)| address::same(key, &said)).map(|(_, p)| *p);
        Some(Located { said, property })
    }

    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Units open to rent, cheapest first.
    pub fn available(&self) -> Vec<(&Property, &Unit)> {
        let mut units: Vec<(&Property, &Unit)> = self
            .properties
            .iter()
            .flat_map(|p| p.units.iter().filter(|u| u.available).map(move |u| (p, u)))
            .collect();
        units.sort_by_key(|(_, u)| u.rent);
        units
    }
}

/// The document in the database, or the seed when there is none yet (which it stores).
pub async fn load(db: &Db) -> Result<Knowledge, KnowledgeError> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT document FROM knowledge WHERE id = 1").fetch_optional(&db.pool).await?;
    match stored {
        Some(json) => serde_json::from_str(&json).map_err(|e| KnowledgeError::Invalid(e.to_string())),
        None => {
            let seed = Knowledge::from_toml(SEED)?;
            replace(db, &seed).await?;
            Ok(seed)
        }
    }
}

/// A system of record that lists the office's properties and units (Rent Manager).
#[async_trait::async_trait]
pub trait PropertySource: Send + Sync {
    async fn properties(&self) -> Result<Vec<Property>, String>;
}

/// The knowledge in force: the database's, with the system of record's properties and units
/// in place of the local ones when there is one (and it answers; else the local ones stand).
pub async fn current(db: &Db, source: Option<&dyn PropertySource>) -> Result<Knowledge, KnowledgeError> {
    let mut knowledge = load(db).await?;
    if let Some(source) = source {
        match source.properties().await {
            Ok(properties) if !properties.is_empty() => knowledge.properties = properties,
            Ok(_) => {}
            Err(e) => tracing::warn!(
                "the system of record's properties are unavailable, keeping the local ones: {e}"
            ),
        }
    }
    Ok(knowledge)
}

pub async fn replace(db: &Db, knowledge: &Knowledge) -> Result<(), KnowledgeError> {
    let json = serde_json::to_string(knowledge).map_err(|e| KnowledgeError::Invalid(e.to_string()))?;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO knowledge (id, document, updated_at) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET document = $1, updated_at = $2",
    )
    .bind(json)
    .bind(millis(chrono::Utc::now()))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The server's copy, shared by all requests and refreshed in the background.
#[derive(Clone, Default)]
pub struct Shared(Arc<RwLock<Arc<Knowledge>>>);

impl Shared {
    pub fn new(knowledge: Knowledge) -> Shared {
        Shared(Arc::new(RwLock::new(Arc::new(knowledge))))
    }

    pub fn get(&self) -> Arc<Knowledge> {
        self.0.read().map(|k| k.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }

    pub fn set(&self, knowledge: Knowledge) {
        let mut current = self.0.write().unwrap_or_else(|p| p.into_inner());
        *current = Arc::new(knowledge);
    }

    /// Re-reads the database (and Rent Manager) every minute, so an import by the CLI, or a
    /// unit let in Rent Manager, takes effect everywhere.
    pub fn refresh_every_minute(&self, db: Db, source: Option<Arc<dyn PropertySource>>) {
        let shared = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                match current(&db, source.as_deref()).await {
                    Ok(knowledge) => shared.set(knowledge),
                    Err(e) => tracing::warn!("knowledge refresh: {e}"),
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Knowledge {
        Knowledge::from_toml(SEED).unwrap()
    }

    #[test]
    fn the_seed_parses_and_never_offers_a_placeholder() {
        let knowledge = seed();
        assert_eq!(knowledge.properties.len(), 2);
        for topic in Topic::ALL {
            assert_eq!(knowledge.policy(topic, None), None, "{topic:?} is a placeholder");
        }
    }

    #[test]
    fn a_propertys_own_policy_wins_over_the_office_wide_one() {
        let mut knowledge = seed();
        knowledge.policies = vec![
            Policy { topic: Topic::Pets, property: None, text: "Cats only.".into(), placeholder: false },
            Policy {
                topic: Topic::Pets,
                property: Some("1042 Windsor St".into()),
                text: "No pets.".into(),
                placeholder: false,
            },
        ];
        assert_eq!(knowledge.policy(Topic::Pets, Some("1042 Windsor St")), Some("No pets."));
        assert_eq!(knowledge.policy(Topic::Pets, Some("31 Port Richmond Ave")), Some("Cats only."));
        assert_eq!(knowledge.policy(Topic::Pets, None), Some("Cats only."));
    }

    #[test]
    fn addresses_are_located_among_the_managed_properties() {
        let knowledge = seed();
        let windsor = knowledge.locate("it's at ten forty two windsor street").unwrap();
        assert_eq!(windsor.property.map(|p| p.name.as_str()), Some("1042 Windsor St"));
        let elsewhere = knowledge.locate("I'm at 77 Bay Street").unwrap();
        assert!(elsewhere.property.is_none());
        assert!(knowledge.locate("my sink is leaking").is_none());
    }

    #[test]
    fn policies_import_from_csv() {
        let csv = "topic,property,text\nparking,,Permits are issued by the office.\npets,1042 Windsor St,No pets.\n";
        let policies = Knowledge::policies_from_csv(csv).unwrap();
        assert_eq!(policies.len(), 2);
        assert_eq!(policies[1].property.as_deref(), Some("1042 Windsor St"));
        assert!(Knowledge::policies_from_csv("topic,property,text\nunicorns,,x\n").is_err());
    }
}
