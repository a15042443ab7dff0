//! SQLite persistence of every organisation's data: one database (a file, or in memory), one
//! connection behind a mutex. All writes run in `BEGIN IMMEDIATE` transactions on that single
//! connection, so slot claims are serialised: a slot is held or booked at most once (and the
//! `slot_claim` primary key enforces it again at the database level).

mod appointments;
mod resources;
mod schema;
mod slot_state;
mod slots;

use std::path::Path;

use parking_lot::Mutex;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

pub use appointments::StoredAppointment;
pub use slot_state::{R4SlotQuery, SlotRow, r4_slot, r4_slots};
pub use slots::{FreeSlot, SlotQuery};

use crate::error::StoreError;
use crate::seed::SeedData;

/// The database: shared by all organisations (every row carries its organisation).
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed) a database file, or an in-memory one when `path` is None.
    pub fn open(path: Option<&Path>) -> Result<Self, StoreError> {
        let conn = match path {
            Some(p) => Connection::open(p)?,
            None => Connection::open_in_memory()?,
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Query-planner stability: cached statements keep their plan whatever values are bound,
        // instead of being re-prepared when a bound range changes (measured: 18% of `$find`).
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        schema::migrate(&conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// Runs a read on the connection.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = self.conn.lock();
        f(&conn)
    }

    /// Runs `f` in an IMMEDIATE transaction: the write lock is taken before the first read, so
    /// check-then-claim sequences cannot interleave. Commits when `f` returns Ok.
    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.conn.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Whether `org` already has its seed (a restart with a file keeps its data).
    pub fn is_seeded(&self, org: &str) -> Result<bool, StoreError> {
        self.read(|c| {
            let v: Option<String> = c
                .query_row(
                    "SELECT value FROM meta WHERE org = ?1 AND key = 'seeded'",
                    params![org],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(v.is_some())
        })
    }

    /// Inserts the seed of `org` in one transaction and marks it seeded.
    pub fn insert_seed(
        &self,
        org: &str,
        seed: &SeedData,
        seeded_at: &str,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            resources::insert_seed(tx, org, seed)?;
            slots::insert_all(tx, org, &seed.slots)?;
            tx.execute(
                "INSERT OR REPLACE INTO meta(org, key, value) VALUES (?1, 'seeded', ?2)",
                params![org, seeded_at],
            )?;
            Ok::<(), StoreError>(())
        })
    }

    /// Next value of a per-organisation counter (appointment and patient ids).
    pub fn next_id(tx: &Connection, org: &str, name: &str) -> Result<i64, StoreError> {
        tx.execute(
            "INSERT INTO counter(org, name, value) VALUES (?1, ?2, 1)
             ON CONFLICT(org, name) DO UPDATE SET value = value + 1",
            params![org, name],
        )?;
        Ok(tx.query_row(
            "SELECT value FROM counter WHERE org = ?1 AND name = ?2",
            params![org, name],
            |r| r.get(0),
        )?)
    }
}

pub use appointments::{
    expire_holds, from_epoch, get_appointment, holds_due, list_appointments, put_appointment,
    set_status_reason,
};
pub use resources::{StoredResource, get_resource, list_resources, put_resource};
pub use slots::{claim_slots, free_slots_of, release_slots, search_slots, slot_json, slots_by_ids};
