//! Removing an organisation from the directory, but only when nothing refers to it: referrals,
//! their events and journal entries keep the organisation they were made with.

use rusqlite::params;

use crate::error::Result;
use crate::store::Store;
use crate::table::organisations;
use referral_model::OrganisationId;

impl Store {
    /// Deletes the organisation when no referral, event or journal entry refers to it and
    /// returns `true`; returns `false` (and changes nothing) when something does, so the caller
    /// can disable it instead and keep the history readable.
    pub fn remove_organisation(&self, id: &OrganisationId) -> Result<bool> {
        self.write(|tx, _now| {
            organisations::require(tx, id)?;
            let referenced: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM referrals WHERE organisation_id = ?1) \
                 OR EXISTS (SELECT 1 FROM referral_events WHERE organisation_id = ?1) \
                 OR EXISTS (SELECT 1 FROM journal WHERE organisation_id = ?1)",
                params![id],
                |row| row.get(0),
            )?;
            if referenced {
                return Ok(false);
            }
            tx.execute("DELETE FROM organisations WHERE id = ?1", params![id])?;
            Ok(true)
        })
    }
}
