//! `referrals`: the outgoing referrals of the desk, their life cycle and their bookings.
//!
//! Every change goes through [`Store`] methods that check the life cycle
//! ([`ReferralStatus::can_become`]) and the row version the caller read (optimistic concurrency:
//! the UI and a background reconciliation may touch the same referral), inside one transaction.
//! A status changes only through [`Store::transition`], which writes its audit event in the same
//! transaction.

mod content;
mod moved;
mod org_cancel;
mod retarget;
mod row;
mod search;
mod transition;
mod validate;
pub mod worklist;

use referral_model::{NewReferral, Referral, ReferralId, ReferralStatus};
use rusqlite::{OptionalExtension, Transaction, params};

pub(crate) use content::MIGRATION_V8;
pub(crate) use org_cancel::MIGRATION_V9;
pub(crate) use row::MIGRATION_V2;
pub(crate) use search::MIGRATION_V6;
pub use transition::Transition;

use crate::codec::ts;
use crate::error::{Result, StoreError, invalid};
use crate::store::Store;
use crate::table::organisations;

impl Store {
    /// Starts a referral as `draft`. Fails with `UnknownOrganisation` or `InvalidInput` (blank
    /// names, reversed window, …) without writing anything.
    pub fn create_referral(&self, new: &NewReferral) -> Result<Referral> {
        let new = validate::new_referral(new)?;
        self.write(|tx, now| {
            organisations::require(tx, &new.organisation_id)?;
            let id = ReferralId::random();
            row::insert(tx, id, &new, now)?;
            get(tx, id)
        })
    }

    /// Creates many referrals in one transaction (imports): all are written or none.
    pub fn create_referrals(&self, batch: &[NewReferral]) -> Result<Vec<ReferralId>> {
        let checked = batch
            .iter()
            .map(validate::new_referral)
            .collect::<Result<Vec<_>>>()?;
        self.write(|tx, now| {
            let mut ids = Vec::with_capacity(checked.len());
            let mut known = std::collections::HashSet::new();
            for new in &checked {
                if known.insert(new.organisation_id.clone()) {
                    organisations::require(tx, &new.organisation_id)?;
                }
                let id = ReferralId::random();
                row::insert(tx, id, new, now)?;
                ids.push(id);
            }
            Ok(ids)
        })
    }

    /// One referral.
    pub fn referral(&self, id: ReferralId) -> Result<Referral> {
        self.read(|tx| get(tx, id))
    }

    /// Remembers the patient's id at the target organisation (after `$match` or registration).
    pub fn set_target_patient_id(
        &self,
        id: ReferralId,
        expected_version: i64,
        patient_id: &str,
    ) -> Result<Referral> {
        let patient_id = validate::required("target_patient_id", patient_id)?;
        self.write(|tx, now| {
            begin_change(tx, id, expected_version, None)?;
            tx.execute(
                "UPDATE referrals SET target_patient_id = ?2, version = version + 1, \
                 updated_at = ?3 WHERE id = ?1",
                params![id, patient_id, ts(now)],
            )?;
            get(tx, id)
        })
    }
}

/// Loads the referral and checks the caller's version and (if given) the life-cycle step.
fn begin_change(
    tx: &Transaction<'_>,
    id: ReferralId,
    expected_version: i64,
    to: Option<ReferralStatus>,
) -> Result<Referral> {
    let current = get(tx, id)?;
    if current.version != expected_version {
        return Err(StoreError::VersionConflict {
            id,
            expected: expected_version,
            actual: current.version,
        });
    }
    match to {
        Some(to) => current.status.check_transition(to)?,
        None if current.status.is_final() => {
            return Err(invalid("referral", "is cancelled and can no longer change"));
        }
        None => {}
    }
    Ok(current)
}

pub(crate) fn get(tx: &Transaction<'_>, id: ReferralId) -> Result<Referral> {
    let sql = format!("SELECT {} FROM referrals WHERE id = ?1", row::COLUMNS);
    tx.query_row(&sql, [id], row::from_row)
        .optional()?
        .ok_or(StoreError::UnknownReferral(id))
}

/// Fails with `UnknownReferral` unless the referral exists (for tables that point at it).
pub(crate) fn require(tx: &Transaction<'_>, id: ReferralId) -> Result<()> {
    let found = tx
        .query_row("SELECT 1 FROM referrals WHERE id = ?1", [id], |_| Ok(()))
        .optional()?;
    found.ok_or(StoreError::UnknownReferral(id))
}
