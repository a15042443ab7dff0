//! `settings`: small key/value preferences that belong with the worklist (e.g. the default
//! organisation). The schema version is not here: it is SQLite's `user_version`.

use rusqlite::{OptionalExtension, params};

use crate::codec::ts;
use crate::error::{Result, invalid};
use crate::store::Store;

pub(crate) const MIGRATION_V5: &str = "
CREATE TABLE settings (
    key        TEXT PRIMARY KEY NOT NULL CHECK (length(key) > 0),
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
";

impl Store {
    /// The value of a setting, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read(|tx| {
            let value = tx
                .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                    row.get(0)
                })
                .optional()?;
            Ok(value)
        })
    }

    /// Sets (or replaces) a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        let key = key.trim();
        if key.is_empty() {
            return Err(invalid("setting key", "must not be empty"));
        }
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                params![key, value, ts(now)],
            )?;
            Ok(())
        })
    }
}
