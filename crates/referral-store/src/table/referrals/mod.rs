//! `referrals`: the outgoing referrals of the desk, their life cycle and their bookings.
//!
//! Every change goes through [`Store`] methods that check the life cycle
//! ([`ReferralStatus::can_become`]) and the row version the caller read (optimistic concurrency:
//! the UI and a background reconciliation may touch the same referral), inside one transaction.

mod model;
mod retarget;
mod row;
mod search;
mod status;
mod validate;
pub mod worklist;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

pub use model::{
    AppointmentRef, BookingRecord, Coded, DateWindow, Gender, HoldRecord, NewReferral,
    PatientSummary, Priority, Referral,
};
pub(crate) use row::MIGRATION_V2;
pub(crate) use search::MIGRATION_V6;
pub use status::ReferralStatus;

use crate::codec::ts;
use crate::error::{Result, StoreError, invalid};
use crate::ids::ReferralId;
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

    /// Moves a referral to `to` with a note on what happened. `held`, `booked` and `rescheduled`
    /// carry appointment data and are reached through [`Store::record_hold`],
    /// [`Store::record_booking`] and [`Store::record_reschedule`] instead.
    pub fn set_status(
        &self,
        id: ReferralId,
        expected_version: i64,
        to: ReferralStatus,
        note: Option<&str>,
    ) -> Result<Referral> {
        if matches!(
            to,
            ReferralStatus::Held | ReferralStatus::Booked | ReferralStatus::Rescheduled
        ) {
            return Err(invalid(
                "status",
                "held/booked/rescheduled need the appointment: use record_*",
            ));
        }
        self.write(|tx, now| {
            begin_change(tx, id, expected_version, Some(to))?;
            // Going back to looking (or failing) means no appointment or hold is ours any more.
            // Cancelled and needs-attention keep them: they say what was cancelled or is in doubt.
            let keep_appointment = !matches!(
                to,
                ReferralStatus::Searching | ReferralStatus::Failed | ReferralStatus::Draft
            );
            tx.execute(
                "UPDATE referrals SET status = ?2, status_note = ?3, \
                 hold_expires_at = CASE WHEN ?4 THEN hold_expires_at END, \
                 appointment_id = CASE WHEN ?4 THEN appointment_id END, \
                 appointment_version = CASE WHEN ?4 THEN appointment_version END, \
                 version = version + 1, updated_at = ?5 WHERE id = ?1",
                params![id, to, note, keep_appointment, ts(now)],
            )?;
            get(tx, id)
        })
    }

    /// Records a successful `$hold`: the referral becomes `held`.
    pub fn record_hold(
        &self,
        id: ReferralId,
        expected_version: i64,
        hold: &HoldRecord,
    ) -> Result<Referral> {
        validate::appointment(&hold.appointment)?;
        self.write(|tx, now| {
            begin_change(tx, id, expected_version, Some(ReferralStatus::Held))?;
            tx.execute(
                "UPDATE referrals SET status = 'held', appointment_id = ?2, \
                 appointment_version = ?3, hold_expires_at = ?4, status_note = NULL, \
                 version = version + 1, updated_at = ?5 WHERE id = ?1",
                params![
                    id,
                    hold.appointment.id,
                    hold.appointment.version,
                    ts(hold.expires_at),
                    ts(now)
                ],
            )?;
            get(tx, id)
        })
    }

    /// Records a successful `$book`: the referral becomes `booked`.
    pub fn record_booking(
        &self,
        id: ReferralId,
        expected_version: i64,
        booking: &BookingRecord,
    ) -> Result<Referral> {
        validate::booking(booking)?;
        self.write(|tx, now| {
            begin_change(tx, id, expected_version, Some(ReferralStatus::Booked))?;
            write_booking(tx, id, ReferralStatus::Booked, booking, now)?;
            get(tx, id)
        })
    }

    /// Records the end of a successful reschedule: the new appointment replaces the current one,
    /// which is kept as `previous_appointment_id`; the referral becomes `rescheduled`.
    pub fn record_reschedule(
        &self,
        id: ReferralId,
        expected_version: i64,
        booking: &BookingRecord,
    ) -> Result<Referral> {
        validate::booking(booking)?;
        self.write(|tx, now| {
            let current =
                begin_change(tx, id, expected_version, Some(ReferralStatus::Rescheduled))?;
            let Some(old) = current.appointment else {
                return Err(invalid(
                    "appointment",
                    "the referral has no appointment to replace",
                ));
            };
            tx.execute(
                "UPDATE referrals SET previous_appointment_id = ?2 WHERE id = ?1",
                params![id, old.id],
            )?;
            write_booking(tx, id, ReferralStatus::Rescheduled, booking, now)?;
            get(tx, id)
        })
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

fn write_booking(
    tx: &Transaction<'_>,
    id: ReferralId,
    status: ReferralStatus,
    b: &BookingRecord,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "UPDATE referrals SET status = ?2, appointment_id = ?3, appointment_version = ?4, \
         booked_start = ?5, booked_end = ?6, practitioner_display = ?7, location_display = ?8, \
         booking_comment = ?9, hold_expires_at = NULL, status_note = NULL, \
         version = version + 1, updated_at = ?10 WHERE id = ?1",
        params![
            id,
            status,
            b.appointment.id,
            b.appointment.version,
            ts(b.start),
            b.end.map(ts),
            b.practitioner_display,
            b.location_display,
            b.comment,
            ts(now)
        ],
    )?;
    Ok(())
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
