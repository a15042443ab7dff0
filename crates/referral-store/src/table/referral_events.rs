//! `referral_events`: the append-only audit trail of every remote action and status change.
//!
//! There is no update or delete API, and triggers make the database itself refuse `UPDATE` and
//! `DELETE` on the table, so a bug or a hand edit through this program cannot rewrite history.

use chrono::{DateTime, Utc};
use referral_model::{Actor, Event, EventId, NewEvent, ReferralId};
use rusqlite::{Row, Transaction, params};

use crate::actor::from_columns;
use crate::codec::{get_opt_json, get_ts, ts};
use crate::error::{Result, invalid};
use crate::store::Store;
use crate::table::{organisations, referrals};

pub(crate) const MIGRATION_V3: &str = "
CREATE TABLE referral_events (
    id              INTEGER PRIMARY KEY,
    referral_id     TEXT REFERENCES referrals (id),
    at              TEXT NOT NULL,
    kind            TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations (id),
    request         TEXT NOT NULL CHECK (length(request) > 0),
    outcome         TEXT NOT NULL CHECK (outcome IN ('succeeded', 'refused', 'failed', 'unknown')),
    detail          TEXT CHECK (detail IS NULL OR json_valid(detail))
) STRICT;
CREATE INDEX referral_events_by_referral ON referral_events (referral_id, id);
CREATE TRIGGER referral_events_no_update BEFORE UPDATE ON referral_events
BEGIN SELECT RAISE(ABORT, 'referral_events is append-only'); END;
CREATE TRIGGER referral_events_no_delete BEFORE DELETE ON referral_events
BEGIN SELECT RAISE(ABORT, 'referral_events is append-only'); END;
";

pub(crate) const COLUMNS: &str = "id, at, referral_id, kind, organisation_id, request, outcome, \
                                  detail, actor_user, actor_workstation";

pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        id: row.get(0)?,
        at: get_ts(row, 1)?,
        referral_id: row.get(2)?,
        kind: row.get(3)?,
        organisation_id: row.get(4)?,
        request: row.get(5)?,
        outcome: row.get(6)?,
        detail: get_opt_json(row, 7)?,
        actor: from_columns(row.get(8)?, row.get(9)?),
    })
}

impl Store {
    /// Appends an event, stamped with the store's clock. Status changes do not come this way:
    /// [`Store::transition`] writes their event with them.
    pub fn append_event(&self, event: &NewEvent) -> Result<Event> {
        let event = checked(event)?;
        let actor = self.actor();
        self.write(|tx, now| {
            let id = insert(tx, &event, &actor, now)?;
            get(tx, id)
        })
    }

    /// The trail of one referral, oldest first.
    pub fn events_for_referral(&self, referral_id: ReferralId) -> Result<Vec<Event>> {
        self.read(|tx| {
            referrals::require(tx, referral_id)?;
            let sql =
                format!("SELECT {COLUMNS} FROM referral_events WHERE referral_id = ?1 ORDER BY id");
            let mut stmt = tx.prepare_cached(&sql)?;
            let rows = stmt.query_map([referral_id], from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The latest `limit` events of the whole desk, newest first.
    pub fn recent_events(&self, limit: u32) -> Result<Vec<Event>> {
        self.read(|tx| {
            let sql = format!("SELECT {COLUMNS} FROM referral_events ORDER BY id DESC LIMIT ?1");
            let mut stmt = tx.prepare_cached(&sql)?;
            let rows = stmt.query_map([limit], from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}

/// The event as it will be stored (request trimmed), or why it cannot be.
pub(crate) fn checked(event: &NewEvent) -> Result<NewEvent> {
    let request = event.request.trim();
    if request.is_empty() {
        return Err(invalid("request", "must say what was asked"));
    }
    Ok(NewEvent {
        request: request.to_owned(),
        ..event.clone()
    })
}

/// Appends a checked event, stamped with who did it, inside the caller's transaction.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    event: &NewEvent,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<EventId> {
    if let Some(r) = event.referral_id {
        referrals::require(tx, r)?;
    }
    if let Some(o) = &event.organisation_id {
        organisations::require(tx, o)?;
    }
    tx.execute(
        "INSERT INTO referral_events (at, referral_id, kind, organisation_id, request, outcome, \
         detail, actor_user, actor_workstation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            ts(now),
            event.referral_id,
            event.kind,
            event.organisation_id,
            event.request,
            event.outcome,
            event.detail.as_ref().map(ToString::to_string),
            actor.user,
            actor.workstation
        ],
    )?;
    Ok(EventId(tx.last_insert_rowid()))
}

fn get(tx: &Transaction<'_>, id: EventId) -> Result<Event> {
    let sql = format!("SELECT {COLUMNS} FROM referral_events WHERE id = ?1");
    Ok(tx.query_row(&sql, [id], from_row)?)
}
