//! `referral_events`: the append-only audit trail of every remote action and status change.
//!
//! There is no update or delete API, and triggers make the database itself refuse `UPDATE` and
//! `DELETE` on the table, so a bug or a hand edit through this program cannot rewrite history.

use chrono::{DateTime, Utc};
use rusqlite::{Row, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::codec::{get_opt_json, get_ts, text_enum, ts};
use crate::error::{Result, invalid};
use crate::ids::{EventId, OrganisationId, ReferralId};
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

text_enum! {
    /// What kind of action an event records.
    pub enum EventKind {
        /// `$find` (or a slot search).
        Find = "find",
        /// Patient `$match` or search at the target.
        MatchPatient = "match-patient",
        /// Patient registration (POST Patient).
        CreatePatient = "create-patient",
        /// Coverage registration.
        CreateCoverage = "create-coverage",
        /// `$hold`.
        Hold = "hold",
        /// Release of a hold.
        ReleaseHold = "release-hold",
        /// `$book`.
        Book = "book",
        /// Cancellation.
        Cancel = "cancel",
        /// A reschedule step.
        Reschedule = "reschedule",
        /// Reading an appointment back to verify.
        ReadBack = "read-back",
        /// Recovery/reconciliation against the organisation.
        Reconcile = "reconcile",
        /// A local status change.
        StatusChange = "status-change",
        /// Reading the capability statement.
        Capability = "capability",
        /// An export of the audit trail (itself audited).
        AuditExport = "audit-export",
    }
}

text_enum! {
    /// How the action ended.
    pub enum EventOutcome {
        /// Did what was asked.
        Succeeded = "succeeded",
        /// The organisation said no (e.g. slot taken).
        Refused = "refused",
        /// It did not happen (network, server error).
        Failed = "failed",
        /// We do not know whether it happened (timeout); reconciliation will tell.
        Unknown = "unknown",
    }
}

/// An event to append.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    /// Referral concerned, if any.
    pub referral_id: Option<ReferralId>,
    /// Kind of action.
    pub kind: EventKind,
    /// Organisation asked, if any.
    pub organisation_id: Option<OrganisationId>,
    /// What was asked, e.g. `$hold Appointment/abc`. Never a token.
    pub request: String,
    /// How it ended.
    pub outcome: EventOutcome,
    /// Structured detail (OperationOutcome text, ids, HTTP status…).
    pub detail: Option<serde_json::Value>,
}

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the trail.
    pub id: EventId,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Referral concerned, if any.
    pub referral_id: Option<ReferralId>,
    /// Kind of action.
    pub kind: EventKind,
    /// Organisation asked, if any.
    pub organisation_id: Option<OrganisationId>,
    /// What was asked.
    pub request: String,
    /// How it ended.
    pub outcome: EventOutcome,
    /// Structured detail.
    pub detail: Option<serde_json::Value>,
    /// Who did it (`None` for events recorded before the desk kept this).
    pub actor: Option<Actor>,
}

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
        actor: Actor::from_columns(row.get(8)?, row.get(9)?),
    })
}

impl Store {
    /// Appends an event, stamped with the store's clock.
    pub fn append_event(&self, event: &NewEvent) -> Result<Event> {
        let request = event.request.trim();
        if request.is_empty() {
            return Err(invalid("request", "must say what was asked"));
        }
        let actor = self.actor();
        self.write(|tx, now| {
            if let Some(r) = event.referral_id {
                referrals::require(tx, r)?;
            }
            if let Some(o) = &event.organisation_id {
                organisations::require(tx, o)?;
            }
            tx.execute(
                "INSERT INTO referral_events (at, referral_id, kind, organisation_id, request, \
                 outcome, detail, actor_user, actor_workstation) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    ts(now),
                    event.referral_id,
                    event.kind,
                    event.organisation_id,
                    request,
                    event.outcome,
                    event.detail.as_ref().map(ToString::to_string),
                    actor.user,
                    actor.workstation
                ],
            )?;
            get(tx, EventId(tx.last_insert_rowid()))
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

fn get(tx: &Transaction<'_>, id: EventId) -> Result<Event> {
    let sql = format!("SELECT {COLUMNS} FROM referral_events WHERE id = ?1");
    Ok(tx.query_row(&sql, [id], from_row)?)
}
