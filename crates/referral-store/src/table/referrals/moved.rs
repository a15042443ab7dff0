//! An appointment the organisation moved: the new time replaces the booked one, with its audit
//! event in the same transaction (like [`Store::transition`], but the status stays).

use chrono::{DateTime, Utc};
use referral_model::{NewEvent, Referral, ReferralId, ReferralStatus};
use rusqlite::params;

use super::{begin_change, get};
use crate::codec::ts;
use crate::error::{Result, invalid};
use crate::store::Store;
use crate::table::referral_events;

impl Store {
    /// Records that the booked appointment of referral `id` (at `expected_version`) now starts
    /// at `start` (and ends at `end`), and appends `event`. Only booked or rescheduled referrals
    /// have a time to move; anything else is `InvalidInput` and nothing is written.
    pub fn move_appointment(
        &self,
        id: ReferralId,
        expected_version: i64,
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
        event: &NewEvent,
    ) -> Result<Referral> {
        let event = NewEvent {
            referral_id: Some(id),
            ..event.clone()
        };
        let event = referral_events::checked(&event)?;
        let actor = self.actor();
        self.write(|tx, now| {
            let current = begin_change(tx, id, expected_version, None)?;
            if !matches!(
                current.status,
                ReferralStatus::Booked | ReferralStatus::Rescheduled
            ) {
                return Err(invalid("referral", "has no booked appointment to move"));
            }
            tx.execute(
                "UPDATE referrals SET booked_start = ?2, booked_end = ?3, \
                 version = version + 1, updated_at = ?4 WHERE id = ?1",
                params![id, ts(start), end.map(ts), ts(now)],
            )?;
            referral_events::insert(tx, &event, &actor, now)?;
            get(tx, id)
        })
    }
}
