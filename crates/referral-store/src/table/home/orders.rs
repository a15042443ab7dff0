//! `queue_orders`: the desk's copy of the home's referral queue, one row per order, with the
//! claim (Task) as last seen and the referral started from it.
//!
//! A refresh writes each page in one transaction ([`Store::save_queue_orders`]); the order's
//! own columns are replaced, the claim and the linked referral are kept. The claim columns are
//! written by [`Store::record_queue_claim`] from the Task the home returned.

use chrono::{DateTime, Utc};
use referral_model::ReferralId;
use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::codec::{get_opt_json, get_opt_ts, get_ts, text_enum, ts};
use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::table::referrals;

text_enum! {
    /// Where an order stands at home, as far as the desk knows.
    pub enum QueueState {
        /// Active at home: workable (unless `problem` says why not).
        Open = "open",
        /// No longer active at home (completed, revoked, …).
        Closed = "closed",
        /// Deleted at home (404/410 on read).
        Gone = "gone",
        /// The home sent an entry the desk could not read.
        Unreadable = "unreadable",
    }
}

/// The order's own columns, as a refresh imports them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderImport {
    /// The ServiceRequest id at home.
    pub order_id: String,
    /// Its `meta.versionId`.
    pub order_version: Option<String>,
    /// Its `meta.lastUpdated`, as the home wrote it.
    pub last_updated: Option<String>,
    /// Where it stands.
    pub state: QueueState,
    /// The order with its patient and coverage (`sched_client::home::Order` as JSON).
    pub order_json: Option<serde_json::Value>,
    /// What the queue list shows (the core's summary, as JSON).
    pub summary: serde_json::Value,
    /// Why the order cannot be worked, in plain words.
    pub problem: Option<String>,
}

/// The claim Task at home, as last seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueClaim {
    pub task_id: Option<String>,
    pub task_version: Option<String>,
    pub task_status: Option<String>,
    /// The owner's desk id (`owner.identifier.value`).
    pub owner_desk: Option<String>,
    /// "<user> at <workstation>".
    pub owner_display: Option<String>,
    pub lease_end: Option<DateTime<Utc>>,
    /// `businessStatus.text`: the outcome as the home shows it.
    pub business_status: Option<String>,
}

/// One order as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueOrder {
    /// The order's own columns.
    pub order: OrderImport,
    /// Its claim.
    pub claim: QueueClaim,
    /// The referral started from it.
    pub referral_id: Option<ReferralId>,
    /// When a refresh last saw it.
    pub seen_at: DateTime<Utc>,
}

/// What [`Store::save_queue_orders`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SavedOrders {
    /// Orders new to the desk, or whose version or state changed.
    pub changed: usize,
}

const COLUMNS: &str = "order_id, order_version, last_updated, state, order_json, summary, problem, \
     task_id, task_version, task_status, owner_desk, owner_display, lease_end, business_status, \
     referral_id, seen_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<QueueOrder> {
    Ok(QueueOrder {
        order: OrderImport {
            order_id: row.get(0)?,
            order_version: row.get(1)?,
            last_updated: row.get(2)?,
            state: row.get(3)?,
            order_json: get_opt_json(row, 4)?,
            summary: get_opt_json(row, 5)?.unwrap_or_default(),
            problem: row.get(6)?,
        },
        claim: QueueClaim {
            task_id: row.get(7)?,
            task_version: row.get(8)?,
            task_status: row.get(9)?,
            owner_desk: row.get(10)?,
            owner_display: row.get(11)?,
            lease_end: get_opt_ts(row, 12)?,
            business_status: row.get(13)?,
        },
        referral_id: row.get(14)?,
        seen_at: get_ts(row, 15)?,
    })
}

impl Store {
    /// Stores one page of a refresh in one transaction: new orders are added, known ones get
    /// their order columns replaced (claim and referral kept). An order whose version and state
    /// did not change is left alone.
    pub fn save_queue_orders(&self, page: &[OrderImport]) -> Result<SavedOrders> {
        self.write(|tx, now| {
            let mut saved = SavedOrders::default();
            for order in page {
                if save_one(tx, order, now)? {
                    saved.changed += 1;
                }
            }
            Ok(saved)
        })
    }

    /// Records the claim Task as the home returned it. Unknown orders are ignored (a Task for
    /// an order the desk never imported, e.g. one closed before the first refresh).
    pub fn record_queue_claim(&self, order_id: &str, claim: &QueueClaim) -> Result<bool> {
        self.write(|tx, _now| {
            let n = tx.execute(
                "UPDATE queue_orders SET task_id = ?2, task_version = ?3, task_status = ?4, \
                 owner_desk = ?5, owner_display = ?6, lease_end = ?7, business_status = ?8 \
                 WHERE order_id = ?1",
                params![
                    order_id,
                    claim.task_id,
                    claim.task_version,
                    claim.task_status,
                    claim.owner_desk,
                    claim.owner_display,
                    claim.lease_end.map(ts),
                    claim.business_status
                ],
            )?;
            Ok(n > 0)
        })
    }

    /// Sets where an order stands and why it cannot be worked (`None` clears the problem).
    pub fn set_queue_state(
        &self,
        order_id: &str,
        state: QueueState,
        problem: Option<&str>,
    ) -> Result<QueueOrder> {
        self.write(|tx, _now| {
            tx.execute(
                "UPDATE queue_orders SET state = ?2, problem = ?3 WHERE order_id = ?1",
                params![order_id, state, problem],
            )?;
            get(tx, order_id)
        })
    }

    /// Links the referral started from an order. One referral per order and one order per
    /// referral: linking again to the same referral is a no-op, to another is a conflict.
    pub fn link_queue_referral(
        &self,
        order_id: &str,
        referral_id: ReferralId,
    ) -> Result<QueueOrder> {
        self.write(|tx, _now| {
            referrals::require(tx, referral_id)?;
            let current = get(tx, order_id)?;
            match current.referral_id {
                Some(linked) if linked == referral_id => return Ok(current),
                Some(_) => {
                    return Err(StoreError::InvalidInput {
                        field: "order",
                        problem: "already has a referral",
                    });
                }
                None => {}
            }
            tx.execute(
                "UPDATE queue_orders SET referral_id = ?2 WHERE order_id = ?1",
                params![order_id, referral_id],
            )?;
            get(tx, order_id)
        })
    }

    /// One order, if the desk knows it.
    pub fn queue_order(&self, order_id: &str) -> Result<Option<QueueOrder>> {
        self.read(|tx| {
            Ok(tx
                .query_row(
                    &format!("SELECT {COLUMNS} FROM queue_orders WHERE order_id = ?1"),
                    [order_id],
                    from_row,
                )
                .optional()?)
        })
    }

    /// The order a referral was started from, if any.
    pub fn queue_order_for_referral(&self, referral_id: ReferralId) -> Result<Option<QueueOrder>> {
        self.read(|tx| {
            Ok(tx
                .query_row(
                    &format!("SELECT {COLUMNS} FROM queue_orders WHERE referral_id = ?1"),
                    [referral_id],
                    from_row,
                )
                .optional()?)
        })
    }

    /// Every order the desk knows, most recently updated at home first; `closed` and `gone`
    /// orders only when `include_finished` (the Done view shows those with an outcome).
    pub fn queue_orders(&self, include_finished: bool) -> Result<Vec<QueueOrder>> {
        let filter = if include_finished {
            ""
        } else {
            "WHERE state IN ('open', 'unreadable')"
        };
        self.read(|tx| {
            let mut stmt = tx.prepare(&format!(
                "SELECT {COLUMNS} FROM queue_orders {filter} \
                 ORDER BY last_updated DESC, order_id"
            ))?;
            let rows = stmt
                .query_map([], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}

impl Store {
    /// How many orders the desk knows, and how many of them cannot be worked (a problem, or
    /// deleted at home): what a refresh reports, counted without reading the rows.
    pub fn queue_counts(&self) -> Result<(usize, usize)> {
        self.read(|tx| {
            let (all, problems): (i64, i64) = tx.query_row(
                "SELECT count(*), count(*) FILTER (WHERE problem IS NOT NULL OR state = 'gone') \
                 FROM queue_orders",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            Ok((
                usize::try_from(all).unwrap_or(0),
                usize::try_from(problems).unwrap_or(0),
            ))
        })
    }
}

/// Inserts or updates one order; `true` when it was new or its version or state changed.
fn save_one(tx: &Transaction<'_>, order: &OrderImport, now: DateTime<Utc>) -> Result<bool> {
    let before: Option<(Option<String>, QueueState, Option<String>)> = tx
        .query_row(
            "SELECT order_version, state, problem FROM queue_orders WHERE order_id = ?1",
            [&order.order_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let unchanged = before.as_ref().is_some_and(|(version, state, problem)| {
        order.order_version.is_some()
            && *version == order.order_version
            && *state == order.state
            && *problem == order.problem
    });
    if unchanged {
        tx.execute(
            "UPDATE queue_orders SET seen_at = ?2 WHERE order_id = ?1",
            params![order.order_id, ts(now)],
        )?;
        return Ok(false);
    }
    tx.prepare_cached(
        "INSERT INTO queue_orders (order_id, order_version, last_updated, state, order_json, \
         summary, problem, seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT (order_id) DO UPDATE SET order_version = excluded.order_version, \
         last_updated = excluded.last_updated, state = excluded.state, \
         order_json = excluded.order_json, summary = excluded.summary, \
         problem = excluded.problem, seen_at = excluded.seen_at",
    )?
    .execute(params![
        order.order_id,
        order.order_version,
        order.last_updated,
        order.state,
        order.order_json.as_ref().map(ToString::to_string),
        order.summary.to_string(),
        order.problem,
        ts(now)
    ])?;
    Ok(true)
}

fn get(tx: &Transaction<'_>, order_id: &str) -> Result<QueueOrder> {
    tx.query_row(
        &format!("SELECT {COLUMNS} FROM queue_orders WHERE order_id = ?1"),
        [order_id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::UnknownQueueOrder(order_id.to_owned()))
}
