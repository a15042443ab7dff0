//! `journal`: the intent recorded *before* every non-idempotent remote call, resolved after it.
//!
//! `$hold`, `$book`, cancel and registrations cannot be blindly retried. The caller begins an
//! intent (committed and fsynced before `begin` returns), makes the call, then resolves the
//! intent. After a crash, [`Journal::unresolved`] lists the calls whose outcome the desk never
//! learnt; recovery reads the organisation back and resolves each one. Each intent carries a
//! random `key` the caller may send along (e.g. in a booking comment or identifier) so that a
//! read-back can recognise the desk's own work.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codec::{get_opt_json, get_opt_ts, get_ts, text_enum, ts};
use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::table::{organisations, referrals};
use referral_model::Actor;
use referral_model::{JournalId, OrganisationId, ReferralId};

pub(crate) const MIGRATION_V4: &str = "
CREATE TABLE journal (
    id                INTEGER PRIMARY KEY,
    key               TEXT NOT NULL UNIQUE,
    referral_id       TEXT REFERENCES referrals (id),
    organisation_id   TEXT NOT NULL REFERENCES organisations (id),
    operation         TEXT NOT NULL,
    request           TEXT NOT NULL CHECK (json_valid(request)),
    started_at        TEXT NOT NULL,
    resolved_at       TEXT,
    resolution        TEXT CHECK (resolution IN ('succeeded', 'failed', 'unknown-reconciled')),
    resolution_detail TEXT CHECK (resolution_detail IS NULL OR json_valid(resolution_detail)),
    CHECK ((resolved_at IS NULL) = (resolution IS NULL))
) STRICT;
CREATE INDEX journal_unresolved ON journal (id) WHERE resolved_at IS NULL;
CREATE INDEX journal_by_referral ON journal (referral_id, id);
CREATE TRIGGER journal_resolution_is_final BEFORE UPDATE ON journal
WHEN OLD.resolved_at IS NOT NULL OR NEW.key IS NOT OLD.key OR NEW.operation IS NOT OLD.operation
  OR NEW.request IS NOT OLD.request OR NEW.started_at IS NOT OLD.started_at
  OR NEW.referral_id IS NOT OLD.referral_id OR NEW.organisation_id IS NOT OLD.organisation_id
BEGIN SELECT RAISE(ABORT, 'journal entries are written once and resolved once'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal entries are never deleted'); END;
";

text_enum! {
    /// The non-idempotent remote call an intent announces.
    pub enum Operation {
        /// `$hold`.
        Hold = "hold",
        /// `$book`.
        Book = "book",
        /// Cancel an appointment.
        Cancel = "cancel",
        /// Release a hold.
        ReleaseHold = "release-hold",
        /// POST Patient.
        CreatePatient = "create-patient",
        /// POST Coverage.
        CreateCoverage = "create-coverage",
        /// Reschedule step 1: hold the new slot.
        RescheduleHold = "reschedule-hold",
        /// Reschedule step 2: cancel the old appointment.
        RescheduleCancelOld = "reschedule-cancel-old",
        /// Reschedule step 3: book the new slot with `cancelled-appt-id`.
        RescheduleBook = "reschedule-book",
        /// POST ReferralRequest before booking.
        CreateReferralRequest = "create-referral-request",
    }
}

text_enum! {
    /// How an intent ended.
    pub enum ResolutionKind {
        /// The call answered and did what was asked.
        Succeeded = "succeeded",
        /// The call answered and did nothing (refusal, error before effect).
        Failed = "failed",
        /// The outcome was unknown and was settled by reading the organisation back.
        UnknownReconciled = "unknown-reconciled",
    }
}

/// An intent to record before a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    /// Referral the call is for, if any.
    pub referral_id: Option<ReferralId>,
    /// Organisation called.
    pub organisation_id: OrganisationId,
    /// The call.
    pub operation: Operation,
    /// Enough of the request to reconcile it later (slot id, appointment id, patient id…).
    pub request: serde_json::Value,
}

/// How an intent ended, with what was learnt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    /// The ending.
    pub kind: ResolutionKind,
    /// Detail (appointment id returned, OperationOutcome text, what read-back showed…).
    pub detail: Option<serde_json::Value>,
}

/// A resolution as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolved {
    /// When it was resolved.
    pub at: DateTime<Utc>,
    /// How.
    pub resolution: Resolution,
}

/// A journal entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Id (increasing).
    pub id: JournalId,
    /// Random key the caller may send with the call to recognise it on read-back.
    pub key: Uuid,
    /// The intent as recorded.
    pub intent: Intent,
    /// When it was begun.
    pub started_at: DateTime<Utc>,
    /// The resolution, once known.
    pub resolved: Option<Resolved>,
    /// Who began it (`None` for entries recorded before the desk kept this).
    pub actor: Option<Actor>,
}

const COLUMNS: &str = "id, key, referral_id, organisation_id, operation, request, started_at, \
                       resolved_at, resolution, resolution_detail, actor_user, actor_workstation";

fn from_row(row: &Row<'_>) -> rusqlite::Result<JournalEntry> {
    let key: String = row.get(1)?;
    let key = Uuid::parse_str(&key).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
    })?;
    let resolved = match (
        get_opt_ts(row, 7)?,
        row.get::<_, Option<ResolutionKind>>(8)?,
    ) {
        (Some(at), Some(kind)) => Some(Resolved {
            at,
            resolution: Resolution {
                kind,
                detail: get_opt_json(row, 9)?,
            },
        }),
        _ => None,
    };
    Ok(JournalEntry {
        id: row.get(0)?,
        key,
        intent: Intent {
            referral_id: row.get(2)?,
            organisation_id: row.get(3)?,
            operation: row.get(4)?,
            request: get_opt_json(row, 5)?.unwrap_or_default(),
        },
        started_at: get_ts(row, 6)?,
        resolved,
        actor: crate::actor::from_columns(row.get(10)?, row.get(11)?),
    })
}

/// The journal API of a [`Store`]: `store.journal().begin(&intent)`.
#[derive(Debug, Clone, Copy)]
pub struct Journal<'a> {
    store: &'a Store,
}

impl Store {
    /// The journal of intents.
    pub fn journal(&self) -> Journal<'_> {
        Journal { store: self }
    }
}

impl Journal<'_> {
    /// Records an intent. When this returns, the entry is committed and synced to disk, so the
    /// remote call may be sent: a crash from here on leaves the entry unresolved.
    pub fn begin(&self, intent: &Intent) -> Result<JournalId> {
        let actor = self.store.actor();
        self.store.write(|tx, now| {
            organisations::require(tx, &intent.organisation_id)?;
            if let Some(r) = intent.referral_id {
                referrals::require(tx, r)?;
            }
            tx.execute(
                "INSERT INTO journal (key, referral_id, organisation_id, operation, request, \
                 started_at, actor_user, actor_workstation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    Uuid::new_v4().hyphenated().to_string(),
                    intent.referral_id,
                    intent.organisation_id,
                    intent.operation,
                    intent.request.to_string(),
                    ts(now),
                    actor.user,
                    actor.workstation
                ],
            )?;
            Ok(JournalId(tx.last_insert_rowid()))
        })
    }

    /// Records how an intent ended. A resolution is final: resolving twice is `AlreadyResolved`.
    pub fn resolve(&self, id: JournalId, outcome: &Resolution) -> Result<JournalEntry> {
        self.store.write(|tx, now| {
            let current = get(tx, id)?;
            if current.resolved.is_some() {
                return Err(StoreError::AlreadyResolved(id));
            }
            tx.execute(
                "UPDATE journal SET resolved_at = ?2, resolution = ?3, resolution_detail = ?4 \
                 WHERE id = ?1",
                params![
                    id,
                    ts(now),
                    outcome.kind,
                    outcome.detail.as_ref().map(ToString::to_string)
                ],
            )?;
            get(tx, id)
        })
    }

    /// Entries begun and never resolved, oldest first: what recovery must reconcile.
    pub fn unresolved(&self) -> Result<Vec<JournalEntry>> {
        self.query("WHERE resolved_at IS NULL ORDER BY id", [])
    }

    /// Every entry of one referral, oldest first.
    pub fn for_referral(&self, referral_id: ReferralId) -> Result<Vec<JournalEntry>> {
        self.query("WHERE referral_id = ?1 ORDER BY id", [referral_id])
    }

    /// One entry.
    pub fn entry(&self, id: JournalId) -> Result<JournalEntry> {
        self.store.read(|tx| get(tx, id))
    }

    fn query<P: rusqlite::Params>(&self, tail: &str, params: P) -> Result<Vec<JournalEntry>> {
        self.store.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM journal {tail}"))?;
            let rows = stmt.query_map(params, from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}

fn get(tx: &Transaction<'_>, id: JournalId) -> Result<JournalEntry> {
    let sql = format!("SELECT {COLUMNS} FROM journal WHERE id = ?1");
    tx.query_row(&sql, [id], from_row)
        .optional()?
        .ok_or(StoreError::UnknownJournalEntry(id))
}
