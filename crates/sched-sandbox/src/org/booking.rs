//! `$hold`, `$book` and status changes: the Appointment state machine of the IG
//! (proposed → pending → booked, proposed → booked, pending/booked → cancelled, an expired hold
//! → cancelled). Every change runs in one IMMEDIATE transaction that checks and claims the slots
//! together, so under any concurrency a slot is held or booked at most once.

use chrono::{DateTime, Utc};
use fhir_model::{
    Appointment, AppointmentParticipant, BookParams, HoldParams, OperationOutcome, Reference,
};
use rusqlite::Connection;

use super::Organisation;
use super::directory::local_text;
use super::proposal::is_proposal;
use crate::error::{FhirError, StoreError};
use crate::store::{
    FreeSlot, Store, StoredAppointment, claim_slots, expire_holds, get_appointment, get_resource,
    put_appointment, release_slots, set_status_reason,
};

/// The answer to `$hold` or `$book`.
#[derive(Debug, Clone)]
pub struct OpResult {
    pub appointment: Appointment,
    /// False: refused; the appointment is shown `cancelled` and `outcome` says why.
    pub accepted: bool,
    pub outcome: OperationOutcome,
    /// When the hold lapses (accepted `$hold` only).
    pub expires: Option<DateTime<Utc>>,
}

/// Ends a transaction: a refusal rolls everything back (a reschedule's cancellation included).
enum Abort {
    Refused(Box<OpResult>),
    Error(FhirError),
}

impl From<StoreError> for Abort {
    fn from(e: StoreError) -> Self {
        Self::Error(e.into())
    }
}

impl From<FhirError> for Abort {
    fn from(e: FhirError) -> Self {
        Self::Error(e)
    }
}

fn finish(r: Result<OpResult, Abort>) -> Result<OpResult, FhirError> {
    match r {
        Ok(ok) => Ok(ok),
        Err(Abort::Refused(refusal)) => Ok(*refusal),
        Err(Abort::Error(e)) => Err(e),
    }
}

/// What `$hold`/`$book` act on.
enum Target {
    Proposal(Appointment, Vec<FreeSlot>),
    Stored(StoredAppointment),
}

fn refusal(mut a: Appointment, why: &str) -> Abort {
    a.status = "cancelled".to_owned();
    a.participant
        .iter_mut()
        .for_each(|p| p.status = "declined".to_owned());
    Abort::Refused(Box::new(OpResult {
        appointment: a,
        accepted: false,
        outcome: OperationOutcome::error("conflict", why),
        expires: None,
    }))
}

/// `Appointment/x`, an absolute URL, or a bare id → the id.
fn appointment_id(text: &str) -> Result<String, FhirError> {
    match local_text(text) {
        Some(l) if l.starts_with("Appointment/") => {
            Ok(l.trim_start_matches("Appointment/").to_owned())
        }
        Some(_) => Err(FhirError::bad_request(format!(
            "'{text}' is not an Appointment reference"
        ))),
        None if !text.contains('/') => Ok(text.to_owned()),
        None => Err(FhirError::bad_request(format!(
            "'{text}' is not an Appointment reference"
        ))),
    }
}

impl Organisation {
    fn target(
        &self,
        c: &Connection,
        instance: Option<&str>,
        appt_id: Option<&str>,
        resource: Option<&Appointment>,
    ) -> Result<Target, FhirError> {
        let id = match (instance, appt_id) {
            (Some(i), Some(p)) if appointment_id(p)? != i => {
                return Err(FhirError::bad_request(
                    "appt-id differs from the Appointment in the URL",
                ));
            }
            (Some(i), _) => Some(i.to_owned()),
            (None, Some(p)) => Some(appointment_id(p)?),
            (None, None) => None,
        };
        if let Some(id) = id {
            if is_proposal(&id) {
                let (a, slots) = self.proposal(c, &id)?.ok_or_else(|| {
                    FhirError::not_found(format!(
                        "Appointment/{id} is not a proposal of this organisation"
                    ))
                })?;
                return Ok(Target::Proposal(a, slots));
            }
            let stored = get_appointment(c, &self.name, &id)?
                .ok_or_else(|| FhirError::not_found(format!("Appointment/{id} not found")))?;
            return Ok(Target::Stored(stored));
        }
        let a = resource.ok_or_else(|| FhirError::bad_request("give appt-id or appt-resource"))?;
        self.client_built(c, a)
    }

    /// An appointment built by the client (prefetch use case): its `slot` references decide.
    fn client_built(&self, c: &Connection, a: &Appointment) -> Result<Target, FhirError> {
        let slot_ids: Vec<String> = a
            .slot
            .iter()
            .filter_map(|r| r.local())
            .filter(|(t, _)| *t == "Slot")
            .map(|(_, id)| id.to_owned())
            .collect();
        if slot_ids.is_empty() {
            return Err(FhirError::unprocessable(
                "appt-resource must reference the Slot(s) it books (Appointment.slot)",
            ));
        }
        let id = format!("prop-{}", slot_ids.join("."));
        let (mut built, slots) = self.proposal(c, &id)?.ok_or_else(|| {
            FhirError::unprocessable(
                "appt-resource's slots are not consecutive slots of one schedule here",
            )
        })?;
        let patients = a.participant.iter().filter(|p| {
            p.actor
                .as_ref()
                .and_then(Reference::local)
                .is_some_and(|(t, _)| t == "Patient")
        });
        built.participant.extend(patients.cloned());
        Ok(Target::Proposal(built, slots))
    }

    /// `$hold`: proposed → pending under a new id, with an expiry.
    pub fn hold(&self, params: &HoldParams, instance: Option<&str>) -> Result<OpResult, FhirError> {
        let now = self.now();
        finish(self.store.write(|tx| {
            expire_holds(tx, &self.name, now)?;
            match self.target(
                tx,
                instance,
                params.appt_id.as_deref(),
                params.appt_resource.as_ref(),
            )? {
                Target::Stored(s) => Err(Abort::Error(FhirError::conflict(format!(
                    "Appointment/{} is {}; only a proposal from $find can be held",
                    s.id(),
                    s.resource.status
                )))),
                Target::Proposal(a, slots) => {
                    let mut stored = self.claim(tx, a, &slots, "pending", "tentative")?;
                    let expires = now + self.hold_ttl;
                    stored.hold_expires = Some(expires.timestamp());
                    stored.touch(now);
                    put_appointment(tx, &self.name, &stored)?;
                    let text = format!(
                        "held until {}",
                        expires.with_timezone(&self.offset).to_rfc3339()
                    );
                    Ok(OpResult {
                        appointment: stored.resource,
                        accepted: true,
                        outcome: OperationOutcome::information(&text),
                        expires: Some(expires),
                    })
                }
            }
        }))
    }

    /// Claims the proposal's slots for a new stored appointment (or refuses, rolling back).
    fn claim(
        &self,
        tx: &Connection,
        mut a: Appointment,
        slots: &[FreeSlot],
        status: &str,
        participation: &str,
    ) -> Result<StoredAppointment, Abort> {
        let n = Store::next_id(tx, &self.name, "appointment")?;
        let id = format!("appt-{n}");
        let ids: Vec<String> = slots.iter().map(|s| s.id.clone()).collect();
        if slots.iter().any(|s| s.start < self.now().timestamp()) {
            return Err(refusal(
                a,
                "the appointment starts in the past; search again",
            ));
        }
        if let Err(slot) = claim_slots(tx, &self.name, &ids, &id)? {
            return Err(refusal(
                a,
                &format!("Slot/{slot} is no longer available; search again"),
            ));
        }
        a.id = Some(id);
        a.status = status.to_owned();
        a.participant
            .iter_mut()
            .for_each(|p| p.status = participation.to_owned());
        a.created = Some(fhir_model::datetime::format_instant(&self.now()));
        Ok(StoredAppointment {
            version: 0,
            hold_expires: None,
            resource: a,
        })
    }

    /// `$book`: proposed or pending → booked, patients added; on reschedule the old appointment
    /// is cancelled in the same transaction (and stays booked if this booking is refused).
    pub fn book(&self, params: &BookParams, instance: Option<&str>) -> Result<OpResult, FhirError> {
        let now = self.now();
        finish(self.store.write(|tx| {
            expire_holds(tx, &self.name, now)?;
            let target = self.target(
                tx,
                instance,
                params.appt_id.as_deref(),
                params.appt_resource.as_ref(),
            )?;
            let patients = self.patients_to_book(tx, params)?;
            if let Some(old) = &params.cancelled_appt_id {
                self.cancel_for_reschedule(tx, &appointment_id(old)?, now)?;
            }
            let mut stored = match target {
                Target::Proposal(a, slots) => self.claim(tx, a, &slots, "booked", "accepted")?,
                Target::Stored(s) => self.book_stored(s)?,
            };
            let a = &mut stored.resource;
            for p in &patients {
                if !a.participant.iter().any(|x| {
                    x.actor.as_ref().and_then(|r| r.reference.as_ref()) == p.reference.as_ref()
                }) {
                    a.participant
                        .push(AppointmentParticipant::new(p.clone(), "accepted"));
                }
            }
            a.participant
                .retain(|x| x.actor.as_ref().is_some_and(|r| r.reference.is_some()));
            if !a.participant.iter().any(|x| {
                x.actor
                    .as_ref()
                    .and_then(Reference::local)
                    .is_some_and(|(t, _)| t == "Patient")
            }) {
                return Err(Abort::Error(FhirError::unprocessable(
                    "a booking needs a patient: give patient-id",
                )));
            }
            a.participant
                .iter_mut()
                .for_each(|x| x.status = "accepted".to_owned());
            if let Some(c) = &params.comment {
                a.comment = Some(c.clone());
            }
            if let Some(content) = &params.appt_resource {
                self.take_content(tx, a, content)?;
            }
            stored.touch(now);
            put_appointment(tx, &self.name, &stored)?;
            Ok(OpResult {
                appointment: stored.resource,
                accepted: true,
                outcome: OperationOutcome::information("booked"),
                expires: None,
            })
        }))
    }

    /// What the client's `appt-resource` adds to the appointment it books: `reason`,
    /// `priority` and `incomingReferral` (each ReferralRequest must exist here). The slots,
    /// times and actors stay this organisation's.
    fn take_content(
        &self,
        c: &Connection,
        a: &mut Appointment,
        content: &Appointment,
    ) -> Result<(), Abort> {
        for r in &content.incoming_referral {
            let id = r
                .local()
                .filter(|(t, _)| *t == "ReferralRequest")
                .map(|(_, id)| id.to_owned())
                .ok_or_else(|| {
                    FhirError::unprocessable("incomingReferral must reference a ReferralRequest")
                })?;
            if get_resource(c, &self.name, "ReferralRequest", &id)?.is_none() {
                return Err(FhirError::unprocessable(format!(
                    "incomingReferral ReferralRequest/{id} is not known here; create it first"
                ))
                .into());
            }
        }
        if !content.reason.is_empty() {
            a.reason = content.reason.clone();
        }
        if content.priority.is_some() {
            a.priority = content.priority;
        }
        if !content.incoming_referral.is_empty() {
            a.incoming_referral = content.incoming_referral.clone();
        }
        Ok(())
    }

    fn book_stored(&self, s: StoredAppointment) -> Result<StoredAppointment, Abort> {
        match s.resource.status.as_str() {
            "pending" => Ok(StoredAppointment {
                hold_expires: None,
                resource: Appointment {
                    status: "booked".to_owned(),
                    ..s.resource
                },
                ..s
            }),
            "cancelled" => {
                let why = format!(
                    "Appointment/{} is cancelled (its hold may have expired); search again",
                    s.id()
                );
                Err(refusal(s.resource, &why))
            }
            other => Err(Abort::Error(FhirError::conflict(format!(
                "Appointment/{} is {other}; it cannot be booked",
                s.id()
            )))),
        }
    }

    fn patients_to_book(
        &self,
        c: &Connection,
        params: &BookParams,
    ) -> Result<Vec<Reference>, Abort> {
        let mut out = Vec::new();
        for p in &params.patient_id {
            let local = local_text(p)
                .or_else(|| (!p.contains('/')).then(|| format!("Patient/{p}")))
                .filter(|l| l.starts_with("Patient/"));
            let local = local.ok_or_else(|| {
                FhirError::bad_request(format!("patient-id '{p}' is not a Patient reference"))
            })?;
            if get_resource(
                c,
                &self.name,
                "Patient",
                local.trim_start_matches("Patient/"),
            )?
            .is_none()
            {
                return Err(FhirError::unprocessable(format!(
                    "{local} is not registered here; create the Patient first"
                ))
                .into());
            }
            out.push(Reference::to(&local));
        }
        Ok(out)
    }

    fn cancel_for_reschedule(
        &self,
        tx: &Connection,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Abort> {
        let mut old = get_appointment(tx, &self.name, id)?.ok_or_else(|| {
            FhirError::unprocessable(format!("cancelled-appt-id Appointment/{id} not found"))
        })?;
        match old.resource.status.as_str() {
            "cancelled" => Ok(()),
            "pending" | "booked" => {
                old.resource.status = "cancelled".to_owned();
                set_status_reason(&mut old.resource, "other", "Rescheduled");
                old.hold_expires = None;
                old.touch(now);
                put_appointment(tx, &self.name, &old)?;
                release_slots(tx, &self.name, id)?;
                Ok(())
            }
            s => Err(FhirError::unprocessable(format!(
                "cancelled-appt-id Appointment/{id} is {s}"
            ))
            .into()),
        }
    }
}
