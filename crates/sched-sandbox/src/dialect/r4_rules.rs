//! The plain-R4 and Oracle writes on the shared scheduling rules: a Slot made `busy-tentative`
//! is a hold (a pending appointment claiming it, lapsing after the organisation's hold TTL),
//! made `free` again releases that hold; `POST Appointment` books (taking over a hold on its
//! slots); `PUT`/`PATCH Appointment` cancels, freeing the slots. A transaction Bundle is a
//! list of these run in ONE store transaction: any failure rolls everything back.

use std::collections::HashSet;

use fhir_model::{
    Appointment, AppointmentParticipant, CodeableConcept, Extension, Reference, urls,
};
use http::StatusCode;
use rusqlite::Connection;
use serde_json::Value;

use super::r4_json;
use crate::config::SandboxDialect;
use crate::error::FhirError;
use crate::fhir::patch::json_patch;
use crate::org::Organisation;
use crate::org::update::transition_allowed;
use crate::store::{
    SlotRow, Store, StoredAppointment, claim_slots, expire_holds, get_appointment, get_resource,
    put_appointment, r4_slot, release_slots,
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
const APPT_MUTABLE: [&str; 5] = ["status", "cancelationReason", "comment", "meta", "text"];
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

fn edited(before: &Value, edit: &Edit, keys: &[&str], ty: &str) -> Result<Value, FhirError> {
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
    fn oracle(&self) -> bool {
        self.dialect == SandboxDialect::Oracle
    }

    /// `If-Match` against the current version: stale → 412 (Oracle: 409); Oracle also
    /// requires it (412 without).
    fn check_version(&self, tag: Option<&str>, current: i64) -> Result<(), FhirError> {
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

    fn slot_row(&self, c: &Connection, id: &str) -> Result<SlotRow, FhirError> {
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
    fn release_hold(&self, tx: &Connection, holder: &str, why: &str) -> Result<(), FhirError> {
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

    /// `POST Appointment` (status booked): claims its slots, taking over holds on them.
    fn book_r4(&self, tx: &Connection, v: &Value) -> Result<StoredAppointment, FhirError> {
        let now = self.now();
        let (asked, _) = r4_json::appointment_from_r4(v)?;
        if asked.status != "booked" {
            return Err(FhirError::unprocessable(format!(
                "an Appointment is created booked here, not {}",
                asked.status
            )));
        }
        let ids: Vec<String> = asked
            .slot
            .iter()
            .filter_map(Reference::local)
            .filter(|(t, _)| *t == "Slot")
            .map(|(_, id)| id.to_owned())
            .collect();
        if ids.is_empty() || ids.len() != asked.slot.len() {
            return Err(FhirError::unprocessable(
                "Appointment.slot must reference the Slot(s) it books",
            ));
        }
        if self.oracle() && ids.len() != 1 {
            return Err(FhirError::unprocessable(
                "an Appointment books exactly one slot",
            ));
        }
        let patients = self.patients_of(tx, &asked)?;
        for id in &ids {
            let row = self.slot_row(tx, id).map_err(|_| {
                FhirError::unprocessable(format!("Slot/{id} is not a slot of this organisation"))
            })?;
            match row.state.as_str() {
                "free" => {}
                "busy-tentative" => {
                    self.release_hold(tx, row.holder.as_deref().unwrap_or_default(), "Booked")?
                }
                _ => {
                    return Err(FhirError::conflict(format!(
                        "Slot/{id} is not free; search again"
                    )));
                }
            }
        }
        let (mut a, slots) = self
            .proposal(tx, &format!("prop-{}", ids.join(".")))?
            .ok_or_else(|| {
                FhirError::unprocessable("the slots are not consecutive slots of one schedule")
            })?;
        if slots.iter().any(|s| s.start < now.timestamp()) {
            return Err(FhirError::conflict(
                "the appointment starts in the past; search again",
            ));
        }
        let id = format!("appt-{}", Store::next_id(tx, &self.name, "appointment")?);
        if let Err(slot) = claim_slots(tx, &self.name, &ids, &id)? {
            return Err(FhirError::conflict(format!(
                "Slot/{slot} was taken meanwhile; search again"
            )));
        }
        a.id = Some(id);
        a.status = "booked".to_owned();
        a.participant.extend(patients);
        a.participant
            .iter_mut()
            .for_each(|p| p.status = "accepted".to_owned());
        a.created = Some(fhir_model::datetime::format_instant(&now));
        a.reason = asked.reason;
        a.comment = asked.comment;
        a.description = asked.description;
        a.incoming_referral = asked.incoming_referral;
        a.requested_period = asked.requested_period;
        let mut stored = StoredAppointment {
            version: 0,
            hold_expires: None,
            resource: a,
        };
        stored.touch(now);
        put_appointment(tx, &self.name, &stored)?;
        Ok(stored)
    }

    /// The Patient participants of a booking (registered here; Oracle: exactly one, accepted).
    fn patients_of(
        &self,
        c: &Connection,
        a: &Appointment,
    ) -> Result<Vec<AppointmentParticipant>, FhirError> {
        let patients: Vec<&AppointmentParticipant> = a
            .participant
            .iter()
            .filter(|p| {
                p.actor
                    .as_ref()
                    .and_then(Reference::local)
                    .is_some_and(|(t, _)| t == "Patient")
            })
            .collect();
        if patients.is_empty() {
            return Err(FhirError::unprocessable(
                "a booking needs a Patient participant",
            ));
        }
        if self.oracle() && (patients.len() != 1 || patients[0].status != "accepted") {
            return Err(FhirError::unprocessable(
                "an Appointment needs exactly one Patient participant with status accepted",
            ));
        }
        for p in &patients {
            let (_, id) = p
                .actor
                .as_ref()
                .and_then(Reference::local)
                .unwrap_or_default();
            if get_resource(c, &self.name, "Patient", id)?.is_none() {
                return Err(FhirError::unprocessable(format!(
                    "Patient/{id} is not registered here; create the Patient first"
                )));
            }
        }
        Ok(patients.into_iter().cloned().collect())
    }

    /// `PUT`/`PATCH Appointment/{id}`: only a cancel (status, cancelationReason, comment).
    fn update_r4(
        &self,
        tx: &Connection,
        id: &str,
        if_match: Option<&str>,
        edit: &Edit,
    ) -> Result<StoredAppointment, FhirError> {
        let now = self.now();
        let mut stored = get_appointment(tx, &self.name, id)?
            .ok_or_else(|| FhirError::not_found(format!("Appointment/{id} not found")))?;
        self.check_version(if_match, stored.version)?;
        let before = r4_json::appointment(&stored.resource, stored.version)?;
        let after = edited(&before, edit, &APPT_MUTABLE, "Appointment")?;
        let status = after
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or_default();
        transition_allowed(&stored.resource.status, status)?;
        let cancelling = status == "cancelled" && stored.resource.status != "cancelled";
        stored.resource.status = status.to_owned();
        stored.resource.comment = after
            .get("comment")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if cancelling {
            let reason: CodeableConcept = after
                .get("cancelationReason")
                .map(|r| serde_json::from_value(r.clone()))
                .transpose()
                .map_err(|e| FhirError::bad_request(format!("invalid cancelationReason: {e}")))?
                .unwrap_or_else(|| CodeableConcept::text("Cancelled"));
            let a = &mut stored.resource;
            a.extension.retain(|e| e.url != urls::EXT_STATUS_REASON);
            a.extension.push(Extension::codeable_concept(
                urls::EXT_STATUS_REASON,
                &reason,
            ));
            stored.hold_expires = None;
            release_slots(tx, &self.name, id)?;
        }
        stored.touch(now);
        put_appointment(tx, &self.name, &stored)?;
        Ok(stored)
    }
}
