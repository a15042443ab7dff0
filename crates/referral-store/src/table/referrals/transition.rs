//! Status changes: the one way a referral's status moves, always together with its audit event.
//!
//! Why one method: a status change and the event that explains it used to be two transactions,
//! so a crash between them lost the audit row. [`Store::transition`] checks the life cycle and
//! the caller's version, writes the new status (and the appointment data the step carries) and
//! appends the event in one `BEGIN IMMEDIATE … COMMIT`: both are written or neither is.

use chrono::{DateTime, Utc};
use referral_model::{BookingRecord, HoldRecord, NewEvent, Referral, ReferralId, ReferralStatus};
use rusqlite::{Transaction, params};

use super::{begin_change, get, validate};
use crate::codec::ts;
use crate::error::{Result, invalid};
use crate::store::Store;
use crate::table::referral_events;

/// A step in a referral's life cycle and the data it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// Any status that carries no appointment data (`held`, `booked` and `rescheduled` do, so
    /// they are the other variants), with a note on what happened.
    Status {
        /// The new status.
        to: ReferralStatus,
        /// What happened, in words (shown with `needs-attention` especially).
        note: Option<String>,
    },
    /// A successful `$hold`: the referral becomes `held`.
    Hold(HoldRecord),
    /// A successful `$book`: the referral becomes `booked`.
    Booking(BookingRecord),
    /// The end of a successful reschedule: the new appointment replaces the current one, which
    /// is kept as `previous_appointment_id`; the referral becomes `rescheduled`.
    Reschedule(BookingRecord),
}

impl Transition {
    /// A plain status change with an optional note.
    pub fn to(status: ReferralStatus, note: Option<&str>) -> Self {
        Self::Status {
            to: status,
            note: note.map(str::to_owned),
        }
    }

    /// The status this step leads to.
    pub fn target(&self) -> ReferralStatus {
        match self {
            Self::Status { to, .. } => *to,
            Self::Hold(_) => ReferralStatus::Held,
            Self::Booking(_) => ReferralStatus::Booked,
            Self::Reschedule(_) => ReferralStatus::Rescheduled,
        }
    }

    /// Refuses bad appointment data and plain changes to states that need appointment data.
    fn validate(&self) -> Result<()> {
        match self {
            Self::Status {
                to: ReferralStatus::Held | ReferralStatus::Booked | ReferralStatus::Rescheduled,
                ..
            } => Err(invalid(
                "status",
                "held/booked/rescheduled need the appointment: use their own step",
            )),
            Self::Status { .. } => Ok(()),
            Self::Hold(hold) => validate::appointment(&hold.appointment),
            Self::Booking(b) | Self::Reschedule(b) => validate::booking(b),
        }
    }
}

impl Store {
    /// Moves referral `id` (at `expected_version`) one step along its life cycle and appends
    /// `event` (its `referral_id` is set to `id`), in one transaction. Fails with
    /// `IllegalTransition`, `VersionConflict`, `UnknownReferral` or `InvalidInput` without
    /// writing anything; a failure writing the event undoes the status change too.
    pub fn transition(
        &self,
        id: ReferralId,
        expected_version: i64,
        step: &Transition,
        event: &NewEvent,
    ) -> Result<Referral> {
        step.validate()?;
        let event = NewEvent {
            referral_id: Some(id),
            ..event.clone()
        };
        let event = referral_events::checked(&event)?;
        self.write(|tx, now| {
            let current = begin_change(tx, id, expected_version, Some(step.target()))?;
            apply(tx, &current, step, now)?;
            referral_events::insert(tx, &event, now)?;
            get(tx, id)
        })
    }
}

fn apply(
    tx: &Transaction<'_>,
    current: &Referral,
    step: &Transition,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = current.id;
    match step {
        Transition::Status { to, note } => {
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
        }
        Transition::Hold(hold) => {
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
        }
        Transition::Booking(booking) => {
            write_booking(tx, id, ReferralStatus::Booked, booking, now)?;
        }
        Transition::Reschedule(booking) => {
            let Some(old) = &current.appointment else {
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
        }
    }
    Ok(())
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
