//! Plain-R4 and Oracle Appointment writes inside the store transaction of `r4_rules`:
//! `POST Appointment` books its slots (taking over holds on them; Oracle: exactly one slot and
//! one accepted patient), `PUT`/`PATCH Appointment` may only cancel, freeing the slots.

use fhir_model::{
    Appointment, AppointmentParticipant, CodeableConcept, Extension, Reference, urls,
};
use rusqlite::Connection;
use serde_json::Value;

use super::r4_json;
use super::r4_rules::{APPT_MUTABLE, Edit, edited};
use crate::error::FhirError;
use crate::org::Organisation;
use crate::org::update::transition_allowed;
use crate::store::{
    Store, StoredAppointment, claim_slots, get_appointment, get_resource, put_appointment,
    release_slots,
};

impl Organisation {
    /// `POST Appointment` (status booked): claims its slots, taking over holds on them.
    pub(super) fn book_r4(
        &self,
        tx: &Connection,
        v: &Value,
    ) -> Result<StoredAppointment, FhirError> {
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
    pub(super) fn update_r4(
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
