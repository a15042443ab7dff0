//! The `Store` handle: one SQLite connection behind a mutex, shared by cheap clones.
//!
//! Why one connection and a mutex rather than a pool: the worklist is written by one desktop
//! process whose writes are tiny and rare next to the network calls they record, and SQLite allows
//! one writer at a time anyway. A single connection never meets `SQLITE_BUSY` from itself, keeps
//! every write in a simple `BEGIN IMMEDIATE … COMMIT`, and costs nothing to share: `Store` is an
//! `Arc`, so cloning it is a reference-count increment. The API is synchronous; async callers use
//! `tokio::task::spawn_blocking` (each call holds the lock for well under a millisecond except
//! worklist queries, which the benchmark bounds).
//!
//! Durability: the file runs in WAL mode with `synchronous = FULL`. WAL lets the UI read while a
//! write commits and survives a killed process at any instant. `NORMAL` would also survive a
//! killed process, but after a power cut or OS crash it may lose the last commits, and the last
//! commit is exactly the journal intent written just before a `$hold`/`$book` went out: losing it
//! would leave a booking at the organisation that the desk does not know about. `FULL` costs one
//! fsync per commit (about a millisecond), which is noise next to the network call it guards.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::actor::os_actor;
use crate::cipher::{self, FileKind, WorklistKey};
use crate::error::{Result, StoreError};
use crate::{migrate_plain, schema};
use referral_model::{Actor, Clock, SystemClock};

/// How long a write waits for another process (the CLI and the app on the same file) before
/// giving up with a busy error.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The worklist store. Clone it freely; all clones share one connection.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    conn: Mutex<Connection>,
    clock: Arc<dyn Clock>,
    /// Who the events and journal entries written through this handle are stamped with.
    actor: std::sync::RwLock<Actor>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("clock", &self.inner.clock)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the worklist file at `path`, upgrading its schema, with the
    /// system clock.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with_clock(path, Arc::new(SystemClock))
    }

    /// Opens the worklist file at `path` with an injected clock.
    pub fn open_with_clock(path: impl AsRef<Path>, clock: Arc<dyn Clock>) -> Result<Self> {
        let path = path.as_ref();
        let open_error = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_error)?;
        configure_file(&conn).map_err(open_error)?;
        schema::migrate(&mut conn)?;
        refresh_statistics(&conn)?;
        Ok(Self::from_connection(conn, clock))
    }

    /// Opens (creating if needed) the encrypted worklist file at `path` with `key`, upgrading
    /// its schema. A plaintext worklist from an older version is first encrypted in place
    /// ([`crate::migrate_plain`]); a key that does not open the file is
    /// [`CipherError::KeyRejected`], never an empty worklist.
    pub fn open_encrypted(
        path: impl AsRef<Path>,
        clock: Arc<dyn Clock>,
        key: &WorklistKey,
    ) -> Result<Self> {
        let path = path.as_ref();
        if cipher::file_kind(path)? == FileKind::Plain {
            migrate_plain::encrypt_plain_file(path, key, &|_| {})?;
        }
        let open_error = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_error)?;
        cipher::apply_key(&conn, key, path)?;
        configure_file(&conn).map_err(open_error)?;
        schema::migrate(&mut conn)?;
        refresh_statistics(&conn)?;
        Ok(Self::from_connection(conn, clock))
    }

    /// A private in-memory worklist (tests, dry runs), with the system clock.
    pub fn in_memory() -> Result<Self> {
        Self::in_memory_with_clock(Arc::new(SystemClock))
    }

    /// A private in-memory worklist with an injected clock.
    pub fn in_memory_with_clock(clock: Arc<dyn Clock>) -> Result<Self> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut conn)?;
        Ok(Self::from_connection(conn, clock))
    }

    fn from_connection(conn: Connection, clock: Arc<dyn Clock>) -> Self {
        Self {
            inner: Arc::new(Inner {
                conn: Mutex::new(conn),
                clock,
                actor: std::sync::RwLock::new(os_actor()),
            }),
        }
    }

    /// Who new events and journal entries are stamped with (the OS user and host by default).
    pub fn actor(&self) -> Actor {
        self.inner
            .actor
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Stamps what this handle (and its clones) write from now on with `actor`.
    pub fn set_actor(&self, actor: Actor) {
        *self
            .inner
            .actor
            .write()
            .unwrap_or_else(PoisonError::into_inner) = actor;
    }

    /// The clock this store stamps times with.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held dropped its `Transaction`, which rolls back, so the
        // connection is consistent and poisoning carries no information worth failing on.
        self.inner
            .conn
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction and commits it; any error rolls everything
    /// back. `now` is read once, under the lock, so stamps follow commit order.
    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = self.inner.clock.now();
        let out = f(&tx, now)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs read-only `f` in one deferred transaction, so multi-statement reads see one snapshot.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&tx)?;
        tx.finish()?;
        Ok(out)
    }
}

/// Connection settings for a file database; see the module comment for why.
fn configure_file(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // The pragma answers with the mode now in force; a file system without shared memory may
    // keep the rollback journal, which with FULL sync is just as durable, so either is accepted.
    let _mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // 32 MiB of page cache (default 2 MiB): a 100,000-referral worklist with its indexes is
    // about 80 MB, and random-order index pages (UUID keys, names) otherwise churn through a
    // cache much smaller than the hot set. Memory is cheap on the desktop; this is per process.
    conn.pragma_update(None, "cache_size", -32_768)?;
    Ok(())
}

/// Below this many referrals every plan is fast and statistics would only mislead: figures taken
/// from a nearly empty file make SQLite plan later bulk inserts badly (measured: 2.5× slower).
const STATISTICS_FROM_ROWS: i64 = 1_000;

/// Refreshes the planner's statistics when they are missing or stale, as SQLite recommends for
/// a connection that lives as long as the app. Without them the worklist query may start from a
/// poor index (e.g. the organisation instead of a one-week date range). `analysis_limit` bounds
/// the work to a sample, so this stays in the milliseconds on large files.
fn refresh_statistics(conn: &Connection) -> rusqlite::Result<()> {
    let rows: i64 = conn.query_row("SELECT ifnull(max(rowid), 0) FROM referrals", [], |row| {
        row.get(0)
    })?;
    if rows < STATISTICS_FROM_ROWS {
        return Ok(());
    }
    conn.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")
}
