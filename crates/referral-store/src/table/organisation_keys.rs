//! `organisation_keys`: which of the app's keys (kid) and algorithm each organisation is
//! registered with. An organisation without a row signs with the key its `key_ref` names (the
//! app key from before key sets).

use rusqlite::{OptionalExtension, params};

use crate::codec::ts;
use crate::error::{Result, invalid};
use crate::store::Store;
use crate::table::organisations;
use referral_model::OrganisationId;

pub(crate) const MIGRATION_V10: &str = "
CREATE TABLE organisation_keys (
    organisation_id TEXT PRIMARY KEY NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kid             TEXT NOT NULL CHECK (length(kid) BETWEEN 1 AND 128),
    alg             TEXT NOT NULL CHECK (alg IN ('ES384', 'RS384'))
) STRICT;
";

/// The key an organisation is registered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationKey {
    pub organisation_id: OrganisationId,
    /// RFC 7638 thumbprint of the public key.
    pub kid: String,
    /// `ES384` or `RS384`.
    pub alg: String,
}

impl Store {
    /// The key recorded for an organisation, if one was.
    pub fn organisation_key(&self, id: &OrganisationId) -> Result<Option<OrganisationKey>> {
        self.read(|tx| {
            let row = tx
                .query_row(
                    "SELECT kid, alg FROM organisation_keys WHERE organisation_id = ?1",
                    params![id],
                    |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
                )
                .optional()?;
            Ok(row.map(|(kid, alg)| OrganisationKey {
                organisation_id: id.clone(),
                kid,
                alg,
            }))
        })
    }

    /// Every recorded organisation key.
    pub fn organisation_keys(&self) -> Result<Vec<OrganisationKey>> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT organisation_id, kid, alg FROM organisation_keys ORDER BY organisation_id",
            )?;
            let rows = stmt.query_map([], |row| {
                Ok(OrganisationKey {
                    organisation_id: row.get(0)?,
                    kid: row.get(1)?,
                    alg: row.get(2)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Records the key an organisation signs with, and marks the organisation changed so its
    /// connection is rebuilt with the new key.
    pub fn set_organisation_key(&self, id: &OrganisationId, kid: &str, alg: &str) -> Result<()> {
        let kid = kid.trim();
        if kid.is_empty() || kid.len() > 128 {
            return Err(invalid("kid", "must be a key id"));
        }
        if !matches!(alg, "ES384" | "RS384") {
            return Err(invalid("alg", "must be ES384 or RS384"));
        }
        self.write(|tx, now| {
            organisations::require(tx, id)?;
            tx.execute(
                "INSERT INTO organisation_keys (organisation_id, kid, alg) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (organisation_id) DO UPDATE SET kid = excluded.kid, alg = excluded.alg",
                params![id, kid, alg],
            )?;
            tx.execute(
                "UPDATE organisations SET updated_at = ?2 WHERE id = ?1",
                params![id, ts(now)],
            )?;
            Ok(())
        })
    }
}
