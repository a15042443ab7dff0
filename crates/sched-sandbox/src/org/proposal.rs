//! Proposed appointments from `$find`. They are not stored: the id names the slots
//! (`prop-<slot>.<slot>`), so a proposal can be read, held or booked by id after any number of
//! other searches or a restart, and costs the database nothing until someone holds it.

use fhir_model::terminology::{APPOINTMENT_TYPES, V2_APPOINTMENT_TYPES};
use fhir_model::{
    Appointment, AppointmentParticipant, CodeableConcept, Meta, Period, Reference, urls,
};
use rusqlite::Connection;

use super::Organisation;
use super::directory::ScheduleInfo;
use crate::error::StoreError;
use crate::store::{FreeSlot, from_epoch, slots_by_ids};

const PREFIX: &str = "prop-";
/// FHIR ids are at most 64 characters.
const MAX_ID: usize = 64;

/// The id of a proposal over these consecutive slots, if it fits in a FHIR id.
pub fn proposal_id(slots: &[FreeSlot]) -> Option<String> {
    let ids: Vec<&str> = slots.iter().map(|s| s.id.as_str()).collect();
    let id = format!("{PREFIX}{}", ids.join("."));
    (id.len() <= MAX_ID && !ids.iter().any(|i| i.contains('.'))).then_some(id)
}

/// The slot ids named by a proposal id.
pub fn slot_ids(id: &str) -> Option<Vec<String>> {
    let rest = id.strip_prefix(PREFIX)?;
    let ids: Vec<String> = rest.split('.').map(str::to_owned).collect();
    (!ids.iter().any(String::is_empty)).then_some(ids)
}

/// Whether an id is a proposal's.
pub fn is_proposal(id: &str) -> bool {
    id.starts_with(PREFIX)
}

/// What a proposal is built from.
#[derive(Debug)]
pub struct Draft<'a> {
    pub schedule: &'a ScheduleInfo,
    pub slots: &'a [FreeSlot],
    pub visit: Option<&'a CodeableConcept>,
    pub specialty: Option<&'a CodeableConcept>,
    pub window: Option<Period>,
    pub patients: &'a [Reference],
}

impl Organisation {
    /// A proposed Appointment with the argo-appt must-support elements.
    pub fn build_proposal(&self, d: &Draft<'_>) -> Option<Appointment> {
        let (first, last) = (d.slots.first()?, d.slots.last()?);
        let id = proposal_id(d.slots)?;
        let start = from_epoch(first.start)
            .with_timezone(&self.offset)
            .to_rfc3339();
        let end = from_epoch(last.end)
            .with_timezone(&self.offset)
            .to_rfc3339();
        let visit = d.visit.or(d.schedule.service_type.first()).cloned();
        let is_new = visit
            .as_ref()
            .is_some_and(|v| v.has_code(None, "new-patient"));
        let mut participant: Vec<AppointmentParticipant> = d
            .schedule
            .actors
            .iter()
            .map(|a| AppointmentParticipant::new(a.clone(), "needs-action"))
            .collect();
        participant.extend(
            d.patients
                .iter()
                .map(|p| AppointmentParticipant::new(p.clone(), "needs-action")),
        );
        let minutes = u32::try_from((last.end - first.start) / 60).ok();
        Some(Appointment {
            id: Some(id),
            meta: Some(Meta::profile(urls::PROFILE_ARGO_APPT)),
            status: "proposed".to_owned(),
            service_type: visit.into_iter().collect(),
            specialty: d
                .specialty
                .or(d.schedule.specialty.first())
                .cloned()
                .into_iter()
                .collect(),
            appointment_type: Some(if is_new {
                APPOINTMENT_TYPES.concept("new-patient")
            } else {
                V2_APPOINTMENT_TYPES.concept("ROUTINE")
            }),
            start: Some(start.clone()),
            end: Some(end.clone()),
            minutes_duration: minutes,
            slot: d
                .slots
                .iter()
                .map(|s| Reference::to(&format!("Slot/{}", s.id)))
                .collect(),
            participant,
            requested_period: vec![
                d.window
                    .clone()
                    .unwrap_or_else(|| Period::new(&start, &end)),
            ],
            ..Appointment::default()
        })
    }

    /// A proposal by id: the one `$find` returned if still cached, else rebuilt from its slots.
    /// `None` when the id names no consecutive slots of one schedule.
    pub fn proposal(
        &self,
        c: &Connection,
        id: &str,
    ) -> Result<Option<(Appointment, Vec<FreeSlot>)>, StoreError> {
        let Some(ids) = slot_ids(id) else {
            return Ok(None);
        };
        let slots = slots_by_ids(c, &self.name, &ids)?;
        let consistent = slots.len() == ids.len()
            && slots
                .windows(2)
                .all(|w| w[0].schedule == w[1].schedule && w[0].end == w[1].start);
        if !consistent {
            return Ok(None);
        }
        if let Some(a) = self.cached_proposal(id) {
            return Ok(Some((a, slots)));
        }
        let Some(schedule) = slots
            .first()
            .and_then(|s| self.directory.schedule(&s.schedule))
        else {
            return Ok(None);
        };
        let draft = Draft {
            schedule,
            slots: &slots,
            visit: None,
            specialty: None,
            window: None,
            patients: &[],
        };
        Ok(self.build_proposal(&draft).map(|a| (a, slots)))
    }
}
