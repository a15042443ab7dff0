//! Appointments the server keeps: holds (pending), bookings, and what became of them. Proposals
//! from `$find` are not stored (see `org::proposal`).

use chrono::{DateTime, TimeZone, Utc};
use fhir_model::datetime::format_instant;
use fhir_model::{Appointment, CodeableConcept, Extension, Meta, parse_instant, urls};
use rusqlite::{Connection, OptionalExtension, params};

use super::slots::release_slots;
use crate::error::StoreError;

/// A stored appointment and the bookkeeping around it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAppointment {
    pub version: i64,
    /// When a pending hold lapses (epoch seconds).
    pub hold_expires: Option<i64>,
    pub resource: Appointment,
}

impl StoredAppointment {
    /// The id (always set on stored appointments).
    pub fn id(&self) -> &str {
        self.resource.id.as_deref().unwrap_or_default()
    }

    /// Bumps the version and stamps `meta.versionId` / `lastUpdated`.
    pub fn touch(&mut self, now: DateTime<Utc>) {
        self.version += 1;
        let meta = self.resource.meta.get_or_insert_with(Meta::default);
        meta.version_id = Some(self.version.to_string());
        meta.last_updated = Some(format_instant(&now));
        if !meta.profile.iter().any(|p| p == urls::PROFILE_ARGO_APPT) {
            meta.profile.push(urls::PROFILE_ARGO_APPT.to_owned());
        }
    }
}

fn epoch(text: Option<&str>) -> Option<i64> {
    text.and_then(|t| parse_instant(t).ok())
        .map(|t| t.timestamp())
}

/// Inserts or replaces an appointment.
pub fn put_appointment(c: &Connection, org: &str, a: &StoredAppointment) -> Result<(), StoreError> {
    let r = &a.resource;
    c.execute(
        "INSERT OR REPLACE INTO appointment(org, id, version, status, start, end, hold_expires, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![org, a.id(), a.version, r.status, epoch(r.start.as_deref()), epoch(r.end.as_deref()), a.hold_expires, serde_json::to_string(r)?],
    )?;
    Ok(())
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, Option<i64>, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn parse(
    (version, hold_expires, json): (i64, Option<i64>, String),
) -> Result<StoredAppointment, StoreError> {
    Ok(StoredAppointment {
        version,
        hold_expires,
        resource: serde_json::from_str(&json)?,
    })
}

/// One appointment.
pub fn get_appointment(
    c: &Connection,
    org: &str,
    id: &str,
) -> Result<Option<StoredAppointment>, StoreError> {
    c.query_row(
        "SELECT version, hold_expires, json FROM appointment WHERE org = ?1 AND id = ?2",
        params![org, id],
        row,
    )
    .optional()?
    .map(parse)
    .transpose()
}

/// Every appointment of the organisation, oldest first.
pub fn list_appointments(c: &Connection, org: &str) -> Result<Vec<StoredAppointment>, StoreError> {
    let mut stmt = c.prepare_cached(
        "SELECT version, hold_expires, json FROM appointment WHERE org = ?1 ORDER BY start, id",
    )?;
    let rows = stmt.query_map(params![org], row)?;
    rows.map(|r| parse(r?)).collect()
}

/// Whether any hold's time is up (a read, so the common case takes no write lock).
pub fn holds_due(c: &Connection, org: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let mut stmt = c.prepare_cached("SELECT EXISTS (SELECT 1 FROM appointment WHERE org = ?1 AND status = 'pending' AND hold_expires <= ?2)")?;
    Ok(stmt.query_row(params![org, now.timestamp()], |r| r.get(0))?)
}

/// Cancels every hold whose time is up and frees its slots; returns the ids. Runs lazily
/// before any read or write that looks at appointments or slots, so no expired hold is ever
/// observed, whatever the timing of a background sweep.
pub fn expire_holds(
    c: &Connection,
    org: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    let ids: Vec<String> = {
        let mut stmt = c.prepare_cached(
            "SELECT id FROM appointment WHERE org = ?1 AND status = 'pending' AND hold_expires <= ?2",
        )?;
        let rows = stmt.query_map(params![org, now.timestamp()], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in &ids {
        if let Some(mut a) = get_appointment(c, org, id)? {
            a.resource.status = "cancelled".to_owned();
            set_status_reason(&mut a.resource, "other", "Hold expired");
            a.hold_expires = None;
            a.touch(now);
            put_appointment(c, org, &a)?;
            release_slots(c, org, id)?;
        }
    }
    Ok(ids)
}

/// Sets the Argonaut status-reason extension (replacing any earlier one).
pub fn set_status_reason(a: &mut Appointment, code: &str, text: &str) {
    a.extension.retain(|e| e.url != urls::EXT_STATUS_REASON);
    let mut concept = fhir_model::terminology::CANCEL_REASONS.concept(code);
    concept.text = Some(text.to_owned());
    a.extension.push(Extension::codeable_concept(
        urls::EXT_STATUS_REASON,
        &concept,
    ));
    let _: &CodeableConcept = &concept;
}

/// Epoch seconds to an instant (for headers and resources).
pub fn from_epoch(t: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(t, 0).single().unwrap_or_default()
}
