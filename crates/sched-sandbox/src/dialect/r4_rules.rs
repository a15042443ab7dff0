//! The plain-R4 and Oracle writes on the shared scheduling rules: a Slot made `busy-tentative`
//! is a hold (a pending appointment claiming it, lapsing after the organisation's hold TTL),
//! made `free` again releases that hold; `POST Appointment` books (taking over a hold on its
//! slots); `PUT`/`PATCH Appointment` cancels, freeing the slots (those two in `r4_book.rs`). A
//! transaction Bundle is a list of these run in ONE store transaction: any failure rolls
//! everything back.

use std::collections::HashSet;

use http::StatusCode;
use rusqlite::Connection;
use serde_json::Value;

use super::r4_json;
use crate::config::SandboxDialect;
use crate::error::FhirError;
use crate::fhir::patch::json_patch;
use crate::org::Organisation;
use crate::store::{
    SlotRow, Store, StoredAppointment, claim_slots, expire_holds, get_appointment, put_appointment,
    r4_slot, release_slots,
};

/// How an update says what it wants: a whole resource or a JSON Patch.
#[derive(Debug, Clone)]
pub enum Edit {
    Put(Value),
    Patch(Value),
}

/// One write asked for (a request, or an entry of a transaction Bundle).
#[derive(Debug, Clone)]
pub enum Change {
    Slot {
        id: String,
        if_match: Option<String>,
        edit: Edit,
    },
    Book(Value),
    Update {
        id: String,
        if_match: Option<String>,
        edit: Edit,
    },
}

/// What one change produced.
#[derive(Debug, Clone)]
pub struct Done {
    pub status: StatusCode,
    pub resource: Value,
    pub version: i64,
    /// `Type/id/_history/v` for a created resource.
    pub location: Option<String>,
}

/// A change that failed: which one (0-based) and why.
#[derive(Debug)]
pub struct Failed {
    pub entry: usize,
    pub error: FhirError,
}

impl From<crate::error::StoreError> for Failed {
    fn from(e: crate::error::StoreError) -> Self {
        Self {
            entry: 0,
            error: e.into(),
        }
    }
}

fn at(entry: usize) -> impl Fn(FhirError) -> Failed {
    move |error| Failed { entry, error }
}

/// Elements a client may change on an Appointment (to cancel it) and on a Slot.
pub(super) const APPT_MUTABLE: [&str; 5] =
    ["status", "cancelationReason", "comment", "meta", "text"];
const SLOT_MUTABLE: [&str; 3] = ["status", "meta", "text"];

fn strip(v: &Value, keys: &[&str]) -> Value {
    let mut v = v.clone();
    if let Value::Object(m) = &mut v {
        keys.iter().for_each(|k| {
            m.remove(*k);
        });
    }
    v
}

pub(super) fn edited(
    before: &Value,
    edit: &Edit,
    keys: &[&str],
    ty: &str,
) -> Result<Value, FhirError> {
    let after = match edit {
        Edit::Put(v) => v.clone(),
        Edit::Patch(p) => json_patch(before.clone(), p)?,
    };
    if strip(before, keys) != strip(&after, keys) {
        return Err(FhirError::unprocessable(format!(
            "only {} of a {ty} may change here",
            keys[..keys.len() - 2].join(", ")
        )));
    }
    Ok(after)
}

impl Organisation {
    pub(super) fn oracle(&self) -> bool {
        self.dialect == SandboxDialect::Oracle
    }

    /// `If-Match` against the current version: stale → 412 (Oracle: 409); Oracle also
    /// requires it (412 without).
    pub(super) fn check_version(&self, tag: Option<&str>, current: i64) -> Result<(), FhirError> {
        let Some(tag) = tag else {
            if self.oracle() {
                return Err(FhirError::new(
                    StatusCode::PRECONDITION_FAILED,
                    "required",
                    "If-Match is required",
                ));
            }
            return Ok(());
        };
        let wanted = r4_json::etag_version(tag).ok_or_else(|| {
            FhirError::bad_request(format!("If-Match '{tag}' is not an ETag like W/\"1\""))
        })?;
        if wanted == current {
            return Ok(());
        }
        let status = if self.oracle() {
            StatusCode::CONFLICT
        } else {
            StatusCode::PRECONDITION_FAILED
        };
        Err(FhirError::new(
            status,
            "conflict",
            format!("version {wanted} is not current (now {current}); read it again"),
        ))
    }

    pub(super) fn slot_row(&self, c: &Connection, id: &str) -> Result<SlotRow, FhirError> {
        r4_slot(c, &self.name, id)?
            .ok_or_else(|| FhirError::not_found(format!("Slot/{id} not found")))
    }

    /// Runs `changes` in one transaction; the error names the failing entry (0-based).
    pub fn r4_apply(&self, changes: &[Change]) -> Result<Vec<Done>, Failed> {
        let now = self.now();
        self.store.write(|tx| {
            expire_holds(tx, &self.name, now).map_err(|e| at(0)(e.into()))?;
            for (i, ch) in changes.iter().enumerate() {
                if let Change::Slot { id, if_match, .. } = ch {
                    let row = self.slot_row(tx, id).map_err(at(i))?;
                    self.check_version(if_match.as_deref(), row.version)
                        .map_err(at(i))?;
                }
            }
            let mut booked = HashSet::new();
            let mut done: Vec<Option<Done>> = vec![None; changes.len()];
            for (i, ch) in changes.iter().enumerate() {
                let stored = match ch {
                    Change::Book(v) => self.book_r4(tx, v).map_err(at(i))?,
                    Change::Update { id, if_match, edit } => self
                        .update_r4(tx, id, if_match.as_deref(), edit)
                        .map_err(at(i))?,
                    Change::Slot { .. } => continue,
                };
                booked.insert(stored.id().to_owned());
                let created = matches!(ch, Change::Book(_));
                done[i] = Some(Done {
                    status: if created {
                        StatusCode::CREATED
                    } else {
                        StatusCode::OK
                    },
                    resource: r4_json::appointment(&stored.resource, stored.version)
                        .map_err(at(i))?,
                    version: stored.version,
                    location: created.then(|| {
                        format!("Appointment/{}/_history/{}", stored.id(), stored.version)
                    }),
                });
            }
            for (i, ch) in changes.iter().enumerate() {
                if let Change::Slot { id, edit, .. } = ch {
                    done[i] = Some(self.slot_r4(tx, id, edit, &booked).map_err(at(i))?);
                }
            }
            Ok(done.into_iter().flatten().collect())
        })
    }

    /// A Slot change: to `busy-tentative` holds it, to `free` releases a hold; `busy` only
    /// through an Appointment booked in the same transaction.
    fn slot_r4(
        &self,
        tx: &Connection,
        id: &str,
        edit: &Edit,
        booked: &HashSet<String>,
    ) -> Result<Done, FhirError> {
        let row = self.slot_row(tx, id)?;
        let after = edited(&r4_json::slot(&row)?, edit, &SLOT_MUTABLE, "Slot")?;
        let want = after
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mine = row.holder.as_ref().is_some_and(|h| booked.contains(h));
        match (row.state.as_str(), want) {
            (_, "busy-unavailable" | "entered-in-error") => {
                return Err(FhirError::unprocessable(format!(
                    "a client may not make a Slot {want}"
                )));
            }
            (_, w) if !matches!(w, "free" | "busy" | "busy-tentative") => {
                return Err(FhirError::unprocessable(format!(
                    "'{w}' is not a Slot status"
                )));
            }
            (s, w) if s == w && (s != "busy" || mine) => {}
            ("free", "busy-tentative") => self.hold_slot(tx, &row)?,
            ("busy-tentative", "free") => self.release_hold(
                tx,
                row.holder.as_deref().unwrap_or_default(),
                "Hold released",
            )?,
            ("free" | "busy-tentative", "busy") => {
                return Err(FhirError::unprocessable(
                    "a Slot becomes busy by booking an Appointment on it (in the same transaction)",
                ));
            }
            _ => {
                return Err(FhirError::conflict(format!(
                    "Slot/{id} is {}; it cannot become {want}; search again",
                    row.state
                )));
            }
        }
        let row = self.slot_row(tx, id)?;
        Ok(Done {
            status: StatusCode::OK,
            resource: r4_json::slot(&row)?,
            version: row.version,
            location: None,
        })
    }

    /// Holds one free slot: a pending appointment claims it until the hold TTL.
    fn hold_slot(&self, tx: &Connection, row: &SlotRow) -> Result<(), FhirError> {
        let now = self.now();
        let (mut a, _) = self
            .proposal(tx, &format!("prop-{}", row.id))?
            .ok_or_else(|| FhirError::unprocessable(format!("Slot/{} cannot be held", row.id)))?;
        if row.start < now.timestamp() {
            return Err(FhirError::conflict(
                "the slot starts in the past; search again",
            ));
        }
        let id = format!("appt-{}", Store::next_id(tx, &self.name, "appointment")?);
        if claim_slots(tx, &self.name, std::slice::from_ref(&row.id), &id)?.is_err() {
            return Err(FhirError::conflict(format!(
                "Slot/{} was taken meanwhile",
                row.id
            )));
        }
        a.id = Some(id);
        a.status = "pending".to_owned();
        a.participant
            .iter_mut()
            .for_each(|p| p.status = "tentative".to_owned());
        a.created = Some(fhir_model::datetime::format_instant(&now));
        let mut stored = StoredAppointment {
            version: 0,
            hold_expires: Some((now + self.hold_ttl).timestamp()),
            resource: a,
        };
        stored.touch(now);
        put_appointment(tx, &self.name, &stored)?;
        Ok(())
    }

    /// Cancels the pending hold `holder`, freeing its slots.
    pub(super) fn release_hold(
        &self,
        tx: &Connection,
        holder: &str,
        why: &str,
    ) -> Result<(), FhirError> {
        let now = self.now();
        let mut hold = get_appointment(tx, &self.name, holder)?
            .ok_or_else(|| FhirError::conflict("the slot's hold is gone; search again"))?;
        if hold.resource.status != "pending" {
            return Err(FhirError::conflict(
                "the slot is booked; cancel its Appointment instead",
            ));
        }
        hold.resource.status = "cancelled".to_owned();
        crate::store::set_status_reason(&mut hold.resource, "other", why);
        hold.hold_expires = None;
        hold.touch(now);
        put_appointment(tx, &self.name, &hold)?;
        release_slots(tx, &self.name, holder)?;
        Ok(())
    }
}
