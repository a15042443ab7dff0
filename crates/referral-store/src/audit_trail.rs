//! Reading the audit trail for export: every event from a moment on, of one referral or of the
//! whole desk, oldest first.

use chrono::{DateTime, Utc};

use crate::codec::ts;
use crate::error::Result;
use crate::store::Store;
use crate::table::referral_events::{COLUMNS, from_row};
use referral_model::{Event, ReferralId};

impl Store {
    /// Events recorded at or after `since` (all when `None`), of `referral` only when given,
    /// oldest first.
    pub fn audit_trail(
        &self,
        since: Option<DateTime<Utc>>,
        referral: Option<ReferralId>,
    ) -> Result<Vec<Event>> {
        self.read(|tx| {
            let sql = format!(
                "SELECT {COLUMNS} FROM referral_events
                 WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR referral_id = ?2)
                 ORDER BY id"
            );
            let mut stmt = tx.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params![since.map(ts), referral], from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}
