//! Resources kept as JSON by type and id: the directory, Patients, Coverages, Subscriptions.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::error::StoreError;
use crate::seed::SeedData;

/// One stored resource.
#[derive(Debug, Clone)]
pub struct StoredResource {
    pub id: String,
    pub version: i64,
    pub json: String,
}

/// Inserts or replaces a resource at `version`.
pub fn put_resource(
    c: &Connection,
    org: &str,
    ty: &str,
    id: &str,
    version: i64,
    json: &str,
) -> Result<(), StoreError> {
    let now = chrono::Utc::now().to_rfc3339();
    c.execute(
        "INSERT OR REPLACE INTO resource(org, type, id, version, updated, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![org, ty, id, version, now, json],
    )?;
    Ok(())
}

/// One resource by type and id.
pub fn get_resource(
    c: &Connection,
    org: &str,
    ty: &str,
    id: &str,
) -> Result<Option<StoredResource>, StoreError> {
    Ok(c.query_row(
        "SELECT id, version, json FROM resource WHERE org = ?1 AND type = ?2 AND id = ?3",
        params![org, ty, id],
        |r| {
            Ok(StoredResource {
                id: r.get(0)?,
                version: r.get(1)?,
                json: r.get(2)?,
            })
        },
    )
    .optional()?)
}

/// Every resource of a type, by id.
pub fn list_resources(
    c: &Connection,
    org: &str,
    ty: &str,
) -> Result<Vec<StoredResource>, StoreError> {
    let mut stmt = c.prepare_cached(
        "SELECT id, version, json FROM resource WHERE org = ?1 AND type = ?2 ORDER BY rowid",
    )?;
    let rows = stmt.query_map(params![org, ty], |r| {
        Ok(StoredResource {
            id: r.get(0)?,
            version: r.get(1)?,
            json: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

fn put_all<T: Serialize>(
    c: &Connection,
    org: &str,
    ty: &str,
    items: &[T],
    id: impl Fn(&T) -> Option<&str>,
) -> Result<(), StoreError> {
    for item in items {
        if let Some(id) = id(item) {
            put_resource(c, org, ty, id, 1, &serde_json::to_string(item)?)?;
        }
    }
    Ok(())
}

/// The directory, patients and coverages of a seed (slots go to their own table).
pub fn insert_seed(c: &Connection, org: &str, s: &SeedData) -> Result<(), StoreError> {
    put_all(c, org, "Organization", &s.organizations, |r| {
        r.id.as_deref()
    })?;
    put_all(c, org, "Location", &s.locations, |r| r.id.as_deref())?;
    put_all(c, org, "Practitioner", &s.practitioners, |r| {
        r.id.as_deref()
    })?;
    put_all(c, org, "PractitionerRole", &s.roles, |r| r.id.as_deref())?;
    put_all(c, org, "HealthcareService", &s.services, |r| {
        r.id.as_deref()
    })?;
    put_all(c, org, "Schedule", &s.schedules, |r| r.id.as_deref())?;
    put_all(c, org, "Patient", &s.patients, |r| r.id.as_deref())?;
    put_all(c, org, "Coverage", &s.coverages, |r| r.id.as_deref())?;
    Ok(())
}
