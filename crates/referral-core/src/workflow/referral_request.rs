//! What the organisation receives beyond the `$book` comment: where its CapabilityStatement
//! offers `ReferralRequest` create, the referral is POSTed there first (journaled like every
//! non-idempotent call) and the booked Appointment links it through `incomingReferral`; the
//! Appointment sent as `appt-resource` also carries `reason` and `priority`.

use fhir_model::{
    Annotation, Appointment, AppointmentParticipant, CodeableConcept, Coding, Identifier, Period,
    Reference, ReferralRequest, ReferralRequester,
};
use referral_store::{EventKind, EventOutcome, Operation, Priority, Referral, ResolutionKind};
use serde_json::json;

use crate::app::App;
use crate::error::CoreResult;
use crate::journaled::failed_detail;

/// The identifier system of the ReferralRequests the desk sends (the value is the referral's
/// id), so a lost answer can be found again and an organisation can spot a repeat.
pub const REFERRAL_ID_SYSTEM: &str = "urn:referral-desk:referral";

/// STU3 `Appointment.priority` is an unsignedInt, 0 = undefined and 1 = highest (after HL7 v2
/// ARQ-12): stat 1, asap 2, urgent 3, routine 5 (the middle of the scale; 4 is left unused so a
/// routine referral never outranks anything an organisation marks itself).
pub fn appointment_priority(p: Priority) -> u32 {
    match p {
        Priority::Stat => 1,
        Priority::Asap => 2,
        Priority::Urgent => 3,
        Priority::Routine => 5,
    }
}

/// `reason`: the coded reason with the free text as the concept's text.
fn reason_concept(r: &Referral) -> Option<CodeableConcept> {
    let text = r.reason.clone().filter(|t| !t.trim().is_empty());
    let coding: Vec<Coding> = r
        .content
        .reason_code
        .iter()
        .map(|c| Coding::new(&c.system, &c.code, c.display.as_deref().unwrap_or("")))
        .collect();
    if coding.is_empty() && text.is_none() {
        return None;
    }
    Some(CodeableConcept {
        coding,
        text,
        ..CodeableConcept::default()
    })
}

/// The Appointment sent as `$book`'s `appt-resource` beside `appt-id`: only what the desk adds
/// to the proposal (reason, priority, the link to the referral request), with the patient as the
/// participant STU3 requires.
pub fn content_appointment(
    r: &Referral,
    patient_id: &str,
    referral_request: Option<&str>,
) -> Appointment {
    Appointment {
        status: "proposed".to_owned(),
        // STU3 requires at least one participant: the patient, who asked for this booking.
        participant: vec![AppointmentParticipant {
            actor: Some(Reference::to(&format!("Patient/{patient_id}"))),
            status: "accepted".to_owned(),
            ..AppointmentParticipant::default()
        }],
        reason: reason_concept(r).into_iter().collect(),
        priority: Some(appointment_priority(r.priority)),
        incoming_referral: referral_request
            .map(|id| Reference::to(&format!("ReferralRequest/{id}")))
            .into_iter()
            .collect(),
        ..Appointment::default()
    }
}

/// The STU3 ReferralRequest for `r`, about the organisation's patient `patient_id`.
pub fn referral_request(r: &Referral, patient_id: &str) -> ReferralRequest {
    let c = &r.content;
    ReferralRequest {
        identifier: vec![Identifier::new(REFERRAL_ID_SYSTEM, &r.id.to_string())],
        status: "active".to_owned(),
        intent: "order".to_owned(),
        priority: Some(r.priority.as_str().to_owned()),
        specialty: r.specialty.as_ref().map(|s| {
            CodeableConcept::coded(&s.system, &s.code, s.display.as_deref().unwrap_or(""))
        }),
        subject: Reference::to(&format!("Patient/{patient_id}")),
        occurrence_period: c.due_by.map(|d| Period {
            end: Some(d.format("%Y-%m-%d").to_string()),
            ..Period::default()
        }),
        requester: c.referrer.as_ref().map(|who| ReferralRequester {
            agent: Reference {
                display: Some(who.name.clone()),
                identifier: who
                    .npi
                    .as_deref()
                    .map(|n| Identifier::new(fhir_model::urls::NPI, n)),
                ..Reference::default()
            },
            ..ReferralRequester::default()
        }),
        reason_code: reason_concept(r).into_iter().collect(),
        description: r.reason.clone().filter(|t| !t.trim().is_empty()),
        note: c
            .note
            .iter()
            .map(|n| Annotation {
                text: n.clone(),
                ..Annotation::default()
            })
            .collect(),
        ..ReferralRequest::default()
    }
}

fn link_key(r: &Referral) -> String {
    format!("core.referral-request/{}/{}", r.id, r.organisation_id)
}

impl App {
    /// Where the organisation offers ReferralRequest create: the id of this referral's request
    /// there, POSTed now when not yet sent. `None` when it is not offered, or when the
    /// organisation refused or the answer was lost: the booking then goes ahead unlinked (its
    /// comment still carries the whole referral) and the timeline says what happened.
    pub(crate) async fn ensure_referral_request(
        &self,
        r: &Referral,
        patient_id: &str,
    ) -> CoreResult<Option<String>> {
        let org_id = r.organisation_id.clone();
        let (_, remote) = self.remote(&org_id).await?;
        let offered = remote
            .capabilities()
            .await
            .is_ok_and(|c| c.referral_requests);
        if !offered {
            return Ok(None);
        }
        let key = link_key(r);
        let lookup = key.clone();
        if let Some(id) = self.db(move |s| s.setting(&lookup)).await? {
            return Ok(Some(id));
        }
        let body = referral_request(r, patient_id);
        let request = json!({ "referral_request_for": r.id.to_string(), "patient_id": patient_id });
        let (jid, answer) = self
            .journaled(
                Some(r.id),
                &org_id,
                Operation::CreateReferralRequest,
                request,
                || remote.create_referral_request(body),
            )
            .await?;
        let what = "POST ReferralRequest".to_owned();
        let created = match answer.map(|rr| rr.id) {
            Ok(Some(id)) => id,
            Ok(None) => {
                self.resolve(
                    jid,
                    ResolutionKind::UnknownReconciled,
                    json!({ "id": null }),
                )
                .await?;
                return Ok(None);
            }
            Err(e) => {
                self.failure_event(Some(r.id), EventKind::CreateReferral, &org_id, what, &e)
                    .await?;
                self.resolve(jid, ResolutionKind::Failed, failed_detail(&e))
                    .await?;
                return Ok(None);
            }
        };
        let detail = json!({ "referral_request_id": created });
        self.event(
            Some(r.id),
            EventKind::CreateReferral,
            Some(&org_id),
            what,
            EventOutcome::Succeeded,
            detail.clone(),
        )
        .await?;
        self.resolve(jid, ResolutionKind::Succeeded, detail).await?;
        let id = created.clone();
        self.db(move |s| s.set_setting(&key, &id)).await?;
        Ok(Some(created))
    }

    /// `appt-resource` for `$book`, where the organisation takes one beside `appt-id`: those
    /// declaring `$prefetch` (whose use case books a client-built appt-resource) or offering
    /// ReferralRequest (so the link can be made).
    pub(crate) async fn content_for_book(
        &self,
        r: &Referral,
        patient_id: &str,
    ) -> CoreResult<Option<Appointment>> {
        let (_, remote) = self.remote(&r.organisation_id).await?;
        let Ok(caps) = remote.capabilities().await else {
            return Ok(None);
        };
        if !(caps.supports("prefetch") || caps.referral_requests) {
            return Ok(None);
        }
        let link = self.ensure_referral_request(r, patient_id).await?;
        Ok(Some(content_appointment(r, patient_id, link.as_deref())))
    }
}
