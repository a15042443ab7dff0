//! Creating and updating home resources inside one store transaction: ids, `meta.versionId` and
//! `meta.lastUpdated` are the server's; conditional create and `If-Match` are decided under the
//! store's write lock, so of concurrent requests exactly one creates (or updates) and the others
//! see its result.

use chrono::{DateTime, SecondsFormat, Utc};
use http::StatusCode;
use rusqlite::Connection;
use serde_json::{Value, json};

use super::resource::{id_prefix, index};
use super::search::Search;
use super::store::{self, Row};
use crate::error::{FhirError, StoreError};
use crate::store::Store;

/// What a create did.
#[derive(Debug)]
pub enum Created {
    /// A new resource.
    New(Row),
    /// The `If-None-Exist` condition matched this one; nothing was created.
    Existing(Row),
}

/// Stamps `r` as `id` at `version`, updated at `micros`.
fn stamp(r: &mut Value, id: &str, version: i64, micros: i64) {
    let when = DateTime::<Utc>::from_timestamp_micros(micros)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Micros, true);
    r["id"] = json!(id);
    if !r["meta"].is_object() {
        r["meta"] = json!({});
    }
    r["meta"]["versionId"] = json!(version.to_string());
    r["meta"]["lastUpdated"] = json!(when);
}

/// Inserts `r` as a new resource of `ty` with a fresh id (used by create and the seed).
pub fn insert_new(
    c: &Connection,
    org: &str,
    ty: &str,
    mut r: Value,
    now: DateTime<Utc>,
) -> Result<Row, StoreError> {
    let n = Store::next_id(c, org, &format!("home-{ty}"))?;
    let id = format!("{}-{n}", id_prefix(ty));
    let micros = store::next_stamp(c, org, now.timestamp_micros())?;
    stamp(&mut r, &id, 1, micros);
    let seq = store::insert(c, org, ty, &id, micros, &r, &index(ty, &r))?;
    Ok(Row {
        seq,
        version: 1,
        updated: micros,
        json: r,
    })
}

/// Creates `r`, unless `condition` (an `If-None-Exist` search) matches: one match answers that
/// resource, several are a 412.
pub fn create(
    store: &Store,
    org: &str,
    r: Value,
    condition: Option<Search>,
    now: DateTime<Utc>,
) -> Result<Created, FhirError> {
    let ty = r["resourceType"].as_str().unwrap_or_default().to_owned();
    store.write(|tx| {
        if let Some(cond) = &condition {
            let (total, mut rows) = store::search(tx, org, &cond.filter, (0, false), 2)?;
            if total > 1 {
                return Err(FhirError::new(
                    StatusCode::PRECONDITION_FAILED,
                    "multiple-matches",
                    format!("If-None-Exist matches {total} resources"),
                ));
            }
            if let Some(row) = rows.pop() {
                return Ok(Created::Existing(row));
            }
        }
        insert_new(tx, org, &ty, r, now)
            .map(Created::New)
            .map_err(FhirError::from)
    })
}

/// Replaces `ty/id` with `r` when `if_match` (a version) is absent or current; a stale
/// version is a 412 naming the current one.
pub fn update(
    store: &Store,
    org: &str,
    (ty, id): (&str, &str),
    mut r: Value,
    if_match: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Row, FhirError> {
    store.write(|tx| {
        let current = store::get(tx, org, ty, id)?
            .ok_or_else(|| FhirError::not_found(format!("{ty}/{id} does not exist")))?;
        if let Some(expected) = if_match.filter(|v| *v != current.version) {
            return Err(FhirError::new(
                StatusCode::PRECONDITION_FAILED,
                "conflict",
                format!(
                    "{ty}/{id} was changed meanwhile: it is at version {}, not {expected}",
                    current.version
                ),
            ));
        }
        let version = current.version + 1;
        let micros = store::next_stamp(tx, org, now.timestamp_micros())?;
        stamp(&mut r, id, version, micros);
        store::replace(tx, current.seq, version, micros, &r, &index(ty, &r))?;
        Ok(Row {
            seq: current.seq,
            version,
            updated: micros,
            json: r,
        })
    })
}

/// Deletes `ty/id`: later reads answer 410 Gone and searches no longer find it. Deleting a
/// deleted resource succeeds again; an unknown id is a 404.
pub fn delete(
    store: &Store,
    org: &str,
    (ty, id): (&str, &str),
    now: DateTime<Utc>,
) -> Result<(), FhirError> {
    store.write(|tx| {
        let micros = store::next_stamp(tx, org, now.timestamp_micros())?;
        if store::delete(tx, org, ty, id, micros)? || store::is_deleted(tx, org, ty, id)? {
            Ok(())
        } else {
            Err(FhirError::not_found(format!("{ty}/{id} does not exist")))
        }
    })
}

/// The version in an `If-Match` header: `W/"3"` or `"3"`.
pub fn parse_if_match(header: &str) -> Result<i64, FhirError> {
    header
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map_err(|_| FhirError::bad_request("If-Match must be an ETag such as W/\"3\""))
}
