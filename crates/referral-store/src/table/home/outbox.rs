//! `home_outbox`: the home's journal. Every write to the home (claim, start, release, outcome,
//! lease renewal) is recorded here, committed, BEFORE the request goes out, and resolved once
//! after; rows are never deleted. After a crash or while offline, the unresolved rows are what
//! the core replays, comparing the Task at home with `body` so nothing is written twice.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codec::{get_opt_json, get_opt_ts, get_ts, text_enum, ts};
use crate::error::{Result, StoreError};
use crate::store::Store;

text_enum! {
    /// The write an outbox row announces.
    pub enum OutboxOperation {
        /// Create or take over the claim Task.
        Claim = "claim",
        /// Task `in-progress`: a referral was started from the order.
        Start = "start",
        /// Task back to `ready`, owner and lease removed.
        Release = "release",
        /// The referral's outcome (booked, cancelled, failed, …).
        Outcome = "outcome",
        /// A later lease end.
        Renew = "renew",
    }
}

text_enum! {
    /// How an outbox row ended.
    pub enum OutboxResolution {
        /// The home accepted the write.
        Applied = "applied",
        /// The Task at home already said what the row says (an answer lost, then read back).
        AlreadyApplied = "already-applied",
        /// Not written: the Task changed at home meanwhile (another desk owns it, it is gone).
        Refused = "refused",
    }
}

/// A write about to be sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxWrite {
    /// The order (ServiceRequest id at home).
    pub order_id: String,
    /// The write.
    pub operation: OutboxOperation,
    /// The Task version the write is based on (`If-Match`); `None` for a create.
    pub base_version: Option<String>,
    /// The Task as it should be after the write.
    pub body: serde_json::Value,
}

/// An outbox row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Id (increasing).
    pub id: i64,
    /// Random key, unique per row.
    pub key: Uuid,
    /// What was to be written.
    pub write: OutboxWrite,
    /// When it was recorded.
    pub started_at: DateTime<Utc>,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// How.
    pub resolution: Option<OutboxResolution>,
    /// What was learnt (plain words: the new version, who owns the Task now, …).
    pub detail: Option<String>,
}

const COLUMNS: &str = "id, key, order_id, operation, base_version, body, started_at, resolved_at, \
     resolution, detail";

fn from_row(row: &Row<'_>) -> rusqlite::Result<OutboxEntry> {
    let key: String = row.get(1)?;
    let key = Uuid::parse_str(&key).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(OutboxEntry {
        id: row.get(0)?,
        key,
        write: OutboxWrite {
            order_id: row.get(2)?,
            operation: row.get(3)?,
            base_version: row.get(4)?,
            body: get_opt_json(row, 5)?.unwrap_or_default(),
        },
        started_at: get_ts(row, 6)?,
        resolved_at: get_opt_ts(row, 7)?,
        resolution: row.get(8)?,
        detail: row.get(9)?,
    })
}

impl Store {
    /// Records a write. When this returns the row is committed and synced, so the request may
    /// be sent: a crash from here on leaves it unresolved for replay.
    pub fn outbox_begin(&self, write: &OutboxWrite) -> Result<OutboxEntry> {
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO home_outbox (key, order_id, operation, base_version, body, \
                 started_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    Uuid::new_v4().hyphenated().to_string(),
                    write.order_id,
                    write.operation,
                    write.base_version,
                    write.body.to_string(),
                    ts(now)
                ],
            )?;
            get(tx, tx.last_insert_rowid())
        })
    }

    /// Records how a write ended. Final: resolving twice is `AlreadyResolvedOutbox`.
    pub fn outbox_resolve(
        &self,
        id: i64,
        resolution: OutboxResolution,
        detail: Option<&str>,
    ) -> Result<OutboxEntry> {
        self.write(|tx, now| {
            let current = get(tx, id)?;
            if current.resolution.is_some() {
                return Err(StoreError::OutboxAlreadyResolved(id));
            }
            tx.execute(
                "UPDATE home_outbox SET resolved_at = ?2, resolution = ?3, detail = ?4 \
                 WHERE id = ?1",
                params![id, ts(now), resolution, detail],
            )?;
            get(tx, id)
        })
    }

    /// Rows never resolved, oldest first: what replay must settle.
    pub fn outbox_unresolved(&self) -> Result<Vec<OutboxEntry>> {
        self.outbox_query("WHERE resolved_at IS NULL ORDER BY id", [])
    }

    /// Every row of one order, oldest first.
    pub fn outbox_for_order(&self, order_id: &str) -> Result<Vec<OutboxEntry>> {
        self.outbox_query("WHERE order_id = ?1 ORDER BY id", [order_id])
    }

    fn outbox_query<P: rusqlite::Params>(&self, tail: &str, params: P) -> Result<Vec<OutboxEntry>> {
        self.read(|tx| {
            let mut stmt =
                tx.prepare_cached(&format!("SELECT {COLUMNS} FROM home_outbox {tail}"))?;
            let rows = stmt.query_map(params, from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}

fn get(tx: &Transaction<'_>, id: i64) -> Result<OutboxEntry> {
    tx.query_row(
        &format!("SELECT {COLUMNS} FROM home_outbox WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::UnknownOutboxEntry(id))
}
