//! `organisations`: the directory of receiving organisations and how to reach them.
//!
//! Only a key *reference* (a name in the key store) is kept, never key material: this file may be
//! copied for support and must not carry secrets.

use referral_model::{
    CapabilityReport, NewOrganisation, Organisation, OrganisationId, OrganisationUpdate,
};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use crate::codec::{get_opt_json, get_opt_ts, get_ts, ts};
use crate::error::{Result, StoreError};
use crate::store::Store;

mod dialect;
mod validate;
pub(crate) use dialect::MIGRATION_V11;
pub(crate) use validate::Checked;

pub(crate) const MIGRATION_V1: &str = "
CREATE TABLE organisations (
    id                 TEXT PRIMARY KEY NOT NULL,
    display_name       TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
    fhir_base_url      TEXT NOT NULL,
    client_id          TEXT NOT NULL,
    key_ref            TEXT NOT NULL,
    scopes             TEXT NOT NULL,           -- space-separated, as in an OAuth scope string
    token_endpoint     TEXT,
    capability_json    TEXT CHECK (capability_json IS NULL OR json_valid(capability_json)),
    capability_read_at TEXT,
    enabled            INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    is_sandbox         INTEGER NOT NULL CHECK (is_sandbox IN (0, 1)),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CHECK ((capability_json IS NULL) = (capability_read_at IS NULL))
) STRICT;
";

const COLUMNS: &str = "id, display_name, fhir_base_url, client_id, key_ref, scopes, token_endpoint, \
     capability_json, capability_read_at, enabled, is_sandbox, created_at, updated_at, dialect";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Organisation> {
    let scopes: String = row.get(5)?;
    let capability = match (get_opt_json(row, 7)?, get_opt_ts(row, 8)?) {
        (Some(json), Some(read_at)) => Some(CapabilityReport { json, read_at }),
        _ => None,
    };
    Ok(Organisation {
        id: row.get(0)?,
        display_name: row.get(1)?,
        fhir_base_url: row.get(2)?,
        client_id: row.get(3)?,
        key_ref: row.get(4)?,
        scopes: scopes.split_whitespace().map(str::to_owned).collect(),
        token_endpoint: row.get(6)?,
        capability,
        enabled: row.get(9)?,
        is_sandbox: row.get(10)?,
        created_at: get_ts(row, 11)?,
        updated_at: get_ts(row, 12)?,
        dialect: row.get(13)?,
    })
}

impl Store {
    /// Adds an organisation to the directory.
    pub fn add_organisation(&self, new: &NewOrganisation) -> Result<Organisation> {
        let checked = Checked::new(new)?;
        self.write(|tx, now| {
            if exists(tx, &new.id)? {
                return Err(StoreError::DuplicateOrganisation(new.id.clone()));
            }
            tx.execute(
                &format!(
                    "INSERT INTO organisations ({COLUMNS}) VALUES \
                          (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, NULL, ?8, ?9, ?10, ?10, NULL)"
                ),
                params![
                    new.id,
                    checked.display_name,
                    checked.base_url,
                    checked.client_id,
                    checked.key_ref,
                    checked.scopes,
                    checked.token_endpoint,
                    new.enabled,
                    new.is_sandbox,
                    ts(now)
                ],
            )?;
            get(tx, &new.id)
        })
    }

    /// One organisation.
    pub fn organisation(&self, id: &OrganisationId) -> Result<Organisation> {
        self.read(|tx| get(tx, id))
    }

    /// The directory of receiving organisations, by display name (the home organisation is not
    /// one: see [`Store::home_organisation`]).
    pub fn organisations(&self) -> Result<Vec<Organisation>> {
        self.read(|tx| {
            let mut stmt = tx.prepare(&format!(
                "SELECT {COLUMNS} FROM organisations WHERE role = 'receiving' \
                 ORDER BY display_name COLLATE NOCASE, id"
            ))?;
            let rows = stmt
                .query_map([], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Changes some fields of an organisation.
    pub fn update_organisation(
        &self,
        id: &OrganisationId,
        update: &OrganisationUpdate,
    ) -> Result<Organisation> {
        self.write(|tx, now| {
            let current = get(tx, id)?;
            let dialect = match &update.dialect {
                Some(set) => dialect::check(set.as_deref())?,
                None => current.dialect.clone(),
            };
            let merged = merge(current, update);
            let checked = Checked::new(&merged)?;
            tx.execute(
                "UPDATE organisations SET display_name = ?2, fhir_base_url = ?3, client_id = ?4, \
                 key_ref = ?5, scopes = ?6, token_endpoint = ?7, enabled = ?8, is_sandbox = ?9, \
                 updated_at = ?10, dialect = ?11 WHERE id = ?1",
                params![
                    id,
                    checked.display_name,
                    checked.base_url,
                    checked.client_id,
                    checked.key_ref,
                    checked.scopes,
                    checked.token_endpoint,
                    merged.enabled,
                    merged.is_sandbox,
                    ts(now),
                    dialect
                ],
            )?;
            get(tx, id)
        })
    }

    /// Keeps the capability report just read from the organisation, stamped with the clock.
    pub fn record_capability(
        &self,
        id: &OrganisationId,
        report: &serde_json::Value,
    ) -> Result<Organisation> {
        self.write(|tx, now| {
            require(tx, id)?;
            tx.execute(
                "UPDATE organisations SET capability_json = ?2, capability_read_at = ?3, \
                 updated_at = ?3 WHERE id = ?1",
                params![id, report.to_string(), ts(now)],
            )?;
            get(tx, id)
        })
    }
}

fn merge(current: Organisation, update: &OrganisationUpdate) -> NewOrganisation {
    let u = update.clone();
    NewOrganisation {
        id: current.id,
        display_name: u.display_name.unwrap_or(current.display_name),
        fhir_base_url: u.fhir_base_url.unwrap_or(current.fhir_base_url),
        client_id: u.client_id.unwrap_or(current.client_id),
        key_ref: u.key_ref.unwrap_or(current.key_ref),
        scopes: u.scopes.unwrap_or(current.scopes),
        token_endpoint: u.token_endpoint.unwrap_or(current.token_endpoint),
        enabled: u.enabled.unwrap_or(current.enabled),
        is_sandbox: u.is_sandbox.unwrap_or(current.is_sandbox),
    }
}

/// The home organisation's row, if there is one.
pub(crate) fn home(tx: &Transaction<'_>) -> Result<Option<Organisation>> {
    Ok(tx
        .query_row(
            &format!("SELECT {COLUMNS} FROM organisations WHERE role = 'home'"),
            [],
            from_row,
        )
        .optional()?)
}

pub(crate) fn get(tx: &Transaction<'_>, id: &OrganisationId) -> Result<Organisation> {
    tx.query_row(
        &format!("SELECT {COLUMNS} FROM organisations WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::UnknownOrganisation(id.clone()))
}

fn exists(tx: &Transaction<'_>, id: &OrganisationId) -> Result<bool> {
    let found = tx.query_row(
        "SELECT 1 FROM organisations WHERE id = ?1",
        [id],
        |_| Ok(()),
    );
    Ok(found.optional()?.is_some())
}

/// Fails with `UnknownOrganisation` unless `id` is in the directory; used by the tables that
/// point at organisations so the caller gets a named error rather than a foreign-key failure.
pub(crate) fn require(tx: &Transaction<'_>, id: &OrganisationId) -> Result<()> {
    if exists(tx, id)? {
        Ok(())
    } else {
        Err(StoreError::UnknownOrganisation(id.clone()))
    }
}
