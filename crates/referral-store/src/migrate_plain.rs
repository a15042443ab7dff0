//! Encrypting an older, plaintext worklist in place on first start:
//!
//! 1. the plaintext file leaves WAL mode, so everything is in the one file and no `-wal` file is
//!    left to be replayed later onto the encrypted one;
//! 2. a new encrypted file is attached beside it and filled with `sqlcipher_export`, its schema
//!    version copied;
//! 3. every table's row count is compared between the two;
//! 4. the new file is fsynced, renamed over the old one, and the directory fsynced.
//!
//! Until the rename the plaintext file is untouched and complete, and a leftover half-written
//! file from an interrupted attempt is discarded on the next start; after it the encrypted file
//! is complete. So a process killed at any instant leaves a usable worklist, old or new, never
//! neither. The plaintext file disappears only with the successful rename.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::cipher::{CipherError, WorklistKey, attach_encrypted};

/// The steps of the migration, reported to a hook (tests kill the process there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationStep {
    /// The plaintext file is out of WAL mode; nothing new written yet.
    Checkpointed,
    /// The encrypted copy is written and verified, not yet synced.
    Exported,
    /// The encrypted copy is on disk; the rename comes next.
    Synced,
    /// The encrypted file has replaced the plaintext one.
    Renamed,
}

/// The temporary encrypted file beside `path`.
fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".encrypting");
    path.with_file_name(name)
}

/// Encrypts the plaintext worklist at `path` with `key`, calling `hook` after each step.
pub fn encrypt_plain_file(
    path: &Path,
    key: &WorklistKey,
    hook: &dyn Fn(MigrationStep),
) -> Result<(), CipherError> {
    let failed = |reason: String| CipherError::Migration {
        path: path.to_owned(),
        reason,
    };
    let io = |source| CipherError::Io {
        path: path.to_owned(),
        source,
    };
    let temp = temp_path(path);
    remove_if_present(&temp).map_err(io)?;
    remove_if_present(&journal_of(&temp)).map_err(io)?;
    let conn = Connection::open(path).map_err(|e| failed(e.to_string()))?;
    conn.pragma_update(None, "journal_mode", "DELETE")
        .map_err(|e| failed(e.to_string()))?;
    hook(MigrationStep::Checkpointed);
    export(&conn, &temp, key).map_err(failed)?;
    drop(conn);
    hook(MigrationStep::Exported);
    std::fs::File::open(&temp)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    hook(MigrationStep::Synced);
    std::fs::rename(&temp, path).map_err(io)?;
    sync_dir(path).map_err(io)?;
    hook(MigrationStep::Renamed);
    Ok(())
}

/// Copies the attached-to database into a new encrypted file and checks every table's count.
fn export(conn: &Connection, temp: &Path, key: &WorklistKey) -> Result<(), String> {
    let sql = |e: rusqlite::Error| e.to_string();
    attach_encrypted(conn, temp, "encrypted", key).map_err(sql)?;
    conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))
        .map_err(sql)?;
    let version: i64 = conn
        .pragma_query_value(Some("main"), "user_version", |row| row.get(0))
        .map_err(sql)?;
    conn.pragma_update(Some("encrypted"), "user_version", version)
        .map_err(sql)?;
    let tables: Vec<String> = conn
        // Stored tables only: a virtual table (the FTS index) keeps its rows in shadow tables,
        // which are counted, and its schema row is copied by the export but not visible to
        // this connection until the file is reopened.
        .prepare(
            "SELECT name FROM main.sqlite_master
             WHERE type = 'table' AND rootpage > 0 AND name NOT LIKE 'sqlite_%'",
        )
        .and_then(|mut s| s.query_map([], |row| row.get(0))?.collect())
        .map_err(sql)?;
    for table in tables {
        let quoted = table.replace('"', "\"\"");
        let count = |schema: &str| -> rusqlite::Result<i64> {
            conn.query_row(
                &format!("SELECT count(*) FROM {schema}.\"{quoted}\""),
                [],
                |row| row.get(0),
            )
        };
        let (before, after) = (
            count("main").map_err(sql)?,
            count("encrypted").map_err(sql)?,
        );
        if before != after {
            return Err(format!(
                "table {table}: {before} rows before, {after} after the copy"
            ));
        }
    }
    conn.execute_batch("DETACH DATABASE encrypted").map_err(sql)
}

fn journal_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push("-journal");
    path.with_file_name(name)
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Makes the rename durable: the directory entry is what changed.
#[cfg(unix)]
fn sync_dir(path: &Path) -> std::io::Result<()> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => std::fs::File::open(dir)?.sync_all(),
        None => std::fs::File::open(".")?.sync_all(),
    }
}

#[cfg(not(unix))]
fn sync_dir(_path: &Path) -> std::io::Result<()> {
    Ok(())
}
