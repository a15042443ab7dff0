//! Moving a referral that has nothing at any organisation yet to another target organisation.
//!
//! Why it exists: a referral is searched across several organisations and only becomes tied to
//! one when a slot there is held or booked. Until then (draft, searching, failed) the target may
//! change; afterwards it may not, because the appointment lives at the old organisation.

use rusqlite::params;

use super::{begin_change, get};
use crate::codec::ts;
use crate::error::{Result, invalid};
use crate::store::Store;
use crate::table::organisations;
use referral_model::ReferralStatus;
use referral_model::{OrganisationId, ReferralId};

impl Store {
    /// Points a draft/searching/failed referral at another organisation. The patient id at the
    /// old target is forgotten (ids differ per organisation) unless `target_patient_id` is given.
    pub fn retarget_referral(
        &self,
        id: ReferralId,
        expected_version: i64,
        organisation_id: &OrganisationId,
        target_patient_id: Option<&str>,
    ) -> Result<super::Referral> {
        self.write(|tx, now| {
            let current = begin_change(tx, id, expected_version, None)?;
            if !matches!(
                current.status,
                ReferralStatus::Draft | ReferralStatus::Searching | ReferralStatus::Failed
            ) {
                return Err(invalid(
                    "organisation_id",
                    "can only change before a slot is held or booked",
                ));
            }
            organisations::require(tx, organisation_id)?;
            tx.execute(
                "UPDATE referrals SET organisation_id = ?2, target_patient_id = ?3, \
                 version = version + 1, updated_at = ?4 WHERE id = ?1",
                params![id, organisation_id, target_patient_id, ts(now)],
            )?;
            get(tx, id)
        })
    }
}
