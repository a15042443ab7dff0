//! Storage of the home organisation's resources (Patient, Coverage, ServiceRequest, Task): the
//! JSON of each resource with its version and last-updated instant, plus a key/value index of
//! the search parameters, so searches over tens of thousands of orders use the indexes instead
//! of reading JSON.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use crate::error::StoreError;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS home_resource (
    seq INTEGER PRIMARY KEY, org TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
    version INTEGER NOT NULL, updated INTEGER NOT NULL, json TEXT NOT NULL,
    UNIQUE (org, type, id));
CREATE INDEX IF NOT EXISTS home_by_updated ON home_resource (org, type, updated);
CREATE INDEX IF NOT EXISTS home_latest ON home_resource (org, updated);
-- One row per searchable value: `key` is `Type.param`, `value` the normalised value.
CREATE TABLE IF NOT EXISTS home_index (
    key TEXT NOT NULL, value TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS home_index_lookup ON home_index (key, value, seq);
CREATE INDEX IF NOT EXISTS home_index_by_seq ON home_index (seq);
-- Deleted resources: a read answers 410 Gone instead of 404; `updated` keeps stamps increasing.
CREATE TABLE IF NOT EXISTS home_deleted (
    org TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, updated INTEGER NOT NULL,
    PRIMARY KEY (org, type, id));
";

/// Creates the home tables when missing.
pub fn migrate(c: &Connection) -> Result<(), StoreError> {
    c.execute_batch(SCHEMA)?;
    Ok(())
}

/// Whether the organisation has no home resources yet.
pub fn is_empty(c: &Connection, org: &str) -> Result<bool, StoreError> {
    let any: Option<i64> = c
        .query_row(
            "SELECT seq FROM home_resource WHERE org = ?1 LIMIT 1",
            params![org],
            |r| r.get(0),
        )
        .optional()?;
    Ok(any.is_none())
}

/// One stored resource: its row number (the paging cursor), version and JSON.
#[derive(Debug, Clone)]
pub struct Row {
    pub seq: i64,
    pub version: i64,
    /// Last update, microseconds since the epoch.
    pub updated: i64,
    pub json: Value,
}

/// The instant (microseconds since the epoch) a write made now is stamped with: the clock, but
/// always after the organisation's previous write, so `_lastUpdated=gt<newest>` never misses a
/// change made within the same microsecond.
pub fn next_stamp(c: &Connection, org: &str, now_micros: i64) -> Result<i64, StoreError> {
    let latest: Option<i64> = c.query_row(
        "SELECT MAX(u) FROM (SELECT MAX(updated) AS u FROM home_resource WHERE org = ?1
         UNION ALL SELECT MAX(updated) FROM home_deleted WHERE org = ?1)",
        params![org],
        |r| r.get(0),
    )?;
    Ok(latest.map_or(now_micros, |l| now_micros.max(l + 1)))
}

/// Inserts a new resource with its index entries; returns its row number.
pub fn insert(
    c: &Connection,
    org: &str,
    ty: &str,
    id: &str,
    updated: i64,
    json: &Value,
    index: &[(String, String)],
) -> Result<i64, StoreError> {
    let version = 1_i64;
    c.prepare_cached(
        "INSERT INTO home_resource(org, type, id, version, updated, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![org, ty, id, version, updated, serde_json::to_string(json)?])?;
    let seq = c.last_insert_rowid();
    write_index(c, seq, index)?;
    Ok(seq)
}

/// Replaces a resource's JSON, version and index entries.
pub fn replace(
    c: &Connection,
    seq: i64,
    version: i64,
    updated: i64,
    json: &Value,
    index: &[(String, String)],
) -> Result<(), StoreError> {
    c.prepare_cached(
        "UPDATE home_resource SET version = ?2, updated = ?3, json = ?4 WHERE seq = ?1",
    )?
    .execute(params![seq, version, updated, serde_json::to_string(json)?])?;
    c.prepare_cached("DELETE FROM home_index WHERE seq = ?1")?
        .execute(params![seq])?;
    write_index(c, seq, index)
}

fn write_index(c: &Connection, seq: i64, index: &[(String, String)]) -> Result<(), StoreError> {
    let mut stmt =
        c.prepare_cached("INSERT INTO home_index(key, value, seq) VALUES (?1, ?2, ?3)")?;
    for (key, value) in index {
        stmt.execute(params![key, value, seq])?;
    }
    Ok(())
}

/// The columns [`row`] reads, in its order.
const COLUMNS: &str = "seq, version, updated, json";

type RawRow = (i64, i64, i64, String);

fn raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn row((seq, version, updated, json): RawRow) -> Result<Row, StoreError> {
    Ok(Row {
        seq,
        version,
        updated,
        json: serde_json::from_str(&json)?,
    })
}

/// One resource by type and id.
pub fn get(c: &Connection, org: &str, ty: &str, id: &str) -> Result<Option<Row>, StoreError> {
    c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM home_resource WHERE org = ?1 AND type = ?2 AND id = ?3"
    ))?
    .query_row(params![org, ty, id], raw)
    .optional()?
    .map(row)
    .transpose()
}

/// Removes `ty/id` (its row and index entries) and remembers it as deleted at `updated`;
/// `false` when there was no such resource.
pub fn delete(
    c: &Connection,
    org: &str,
    ty: &str,
    id: &str,
    updated: i64,
) -> Result<bool, StoreError> {
    let Some(current) = get(c, org, ty, id)? else {
        return Ok(false);
    };
    c.prepare_cached("DELETE FROM home_index WHERE seq = ?1")?
        .execute(params![current.seq])?;
    c.prepare_cached("DELETE FROM home_resource WHERE seq = ?1")?
        .execute(params![current.seq])?;
    c.prepare_cached(
        "INSERT OR REPLACE INTO home_deleted(org, type, id, updated) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![org, ty, id, updated])?;
    Ok(true)
}

/// Whether `ty/id` was deleted (a read then answers 410).
pub fn is_deleted(c: &Connection, org: &str, ty: &str, id: &str) -> Result<bool, StoreError> {
    let found: Option<i64> = c
        .prepare_cached(
            "SELECT updated FROM home_deleted WHERE org = ?1 AND type = ?2 AND id = ?3",
        )?
        .query_row(params![org, ty, id], |r| r.get(0))
        .optional()?;
    Ok(found.is_some())
}

/// A search as SQL conditions: every `(key, values)` must match one of its values (AND of ORs).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub ty: String,
    pub ids: Vec<String>,
    pub params: Vec<(String, Vec<String>)>,
    /// `(operator, microseconds)` bounds on the last-updated instant.
    pub updated: Vec<(&'static str, i64)>,
}

impl Filter {
    fn sql(&self, org: &str) -> (String, Vec<rusqlite::types::Value>) {
        use rusqlite::types::Value as V;
        let mut sql = "FROM home_resource WHERE org = ? AND type = ?".to_owned();
        let mut args = vec![V::Text(org.to_owned()), V::Text(self.ty.clone())];
        if !self.ids.is_empty() {
            sql.push_str(&format!(" AND id IN ({})", marks(self.ids.len())));
            args.extend(self.ids.iter().cloned().map(V::Text));
        }
        for (op, micros) in &self.updated {
            sql.push_str(&format!(" AND updated {op} ?"));
            args.push(V::Integer(*micros));
        }
        for (key, values) in &self.params {
            sql.push_str(&format!(
                " AND seq IN (SELECT seq FROM home_index WHERE key = ? AND value IN ({}))",
                marks(values.len())
            ));
            args.push(V::Text(key.clone()));
            args.extend(values.iter().cloned().map(V::Text));
        }
        (sql, args)
    }
}

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// How many resources match, and up to `limit` of them after the cursor `after`: in row
/// (creation) order, or by last update when `by_updated` (the cursor is then an instant; the
/// instants of an organisation are unique, see [`next_stamp`]).
pub fn search(
    c: &Connection,
    org: &str,
    filter: &Filter,
    (after, by_updated): (i64, bool),
    limit: usize,
) -> Result<(i64, Vec<Row>), StoreError> {
    let (sql, mut args) = filter.sql(org);
    let total: i64 = c.query_row(
        &format!("SELECT COUNT(*) {sql}"),
        rusqlite::params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    args.push(rusqlite::types::Value::Integer(after));
    args.push(rusqlite::types::Value::Integer(
        i64::try_from(limit).unwrap_or(i64::MAX),
    ));
    let key = if by_updated { "updated" } else { "seq" };
    let mut stmt = c.prepare(&format!(
        "SELECT {COLUMNS} {sql} AND {key} > ? ORDER BY {key} LIMIT ?"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), raw)?;
    let rows = rows.collect::<Result<Vec<_>, _>>()?;
    Ok((total, rows.into_iter().map(row).collect::<Result<_, _>>()?))
}
