//! R4 Appointment and its mapping to the STU3 (Argonaut) Appointment.
//!
//! What moved between the versions: `reason` became `reasonCode`, `indication` became
//! `reasonReference`, `incomingReferral` (ReferralRequest) became `basedOn` (ServiceRequest),
//! the Argonaut status-reason extension became `cancelationReason`, `serviceCategory` went from
//! 0..1 to 0..*, and R4 added the statuses `checked-in` and `waitlist` and `patientInstruction`.

use serde::{Deserialize, Serialize};

use super::convert::{
    ext_get, ext_value, invalid, many_of_one, one_of_many, r4_element, retype, take_ext,
};
use crate::datatypes::is_empty;
use crate::{
    AppointmentParticipant, AppointmentType, CodeableConcept, Extension, Identifier, JsonMap, Meta,
    ModelError, Period, Reference, appointment_status, urls,
};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Appointment {
    #[serde(rename = "resourceType")]
    pub resource_type: AppointmentType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub extension: Vec<Extension>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub identifier: Vec<Identifier>,
    /// proposed | pending | booked | arrived | fulfilled | cancelled | noshow |
    /// entered-in-error | checked-in | waitlist.
    pub status: String,
    #[serde(rename = "cancelationReason", skip_serializing_if = "Option::is_none")]
    pub cancelation_reason: Option<CodeableConcept>,
    #[serde(rename = "serviceCategory", default, skip_serializing_if = "is_empty")]
    pub service_category: Vec<CodeableConcept>,
    #[serde(rename = "serviceType", default, skip_serializing_if = "is_empty")]
    pub service_type: Vec<CodeableConcept>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub specialty: Vec<CodeableConcept>,
    #[serde(rename = "appointmentType", skip_serializing_if = "Option::is_none")]
    pub appointment_type: Option<CodeableConcept>,
    #[serde(rename = "reasonCode", default, skip_serializing_if = "is_empty")]
    pub reason_code: Vec<CodeableConcept>,
    #[serde(rename = "reasonReference", default, skip_serializing_if = "is_empty")]
    pub reason_reference: Vec<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(rename = "minutesDuration", skip_serializing_if = "Option::is_none")]
    pub minutes_duration: Option<u32>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub slot: Vec<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(rename = "patientInstruction", skip_serializing_if = "Option::is_none")]
    pub patient_instruction: Option<String>,
    #[serde(rename = "basedOn", default, skip_serializing_if = "is_empty")]
    pub based_on: Vec<Reference>,
    /// Participants have the same shape in both versions (R4 adds `period`, kept in `extra`).
    #[serde(default, skip_serializing_if = "is_empty")]
    pub participant: Vec<AppointmentParticipant>,
    #[serde(rename = "requestedPeriod", default, skip_serializing_if = "is_empty")]
    pub requested_period: Vec<Period>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// R4 Appointment.status values without an STU3 twin, and the STU3 status each maps to.
const R4_ONLY_STATUS: [(&str, &str); 2] = [
    ("checked-in", appointment_status::ARRIVED),
    ("waitlist", appointment_status::PROPOSED),
];

fn status_ext() -> String {
    r4_element("Appointment.status")
}
fn category_ext() -> String {
    r4_element("Appointment.serviceCategory")
}
fn instruction_ext() -> String {
    r4_element("Appointment.patientInstruction")
}

impl Appointment {
    /// The R4 form of an STU3 Appointment. An R4 status kept in the cross-version extension (by
    /// [`Appointment::to_stu3`]) is restored.
    pub fn from_stu3(a: &crate::Appointment) -> Self {
        let mut extension = a.extension.clone();
        let cancelation_reason = take_ext(&mut extension, urls::EXT_STATUS_REASON)
            .first()
            .and_then(Extension::value_codeable_concept);
        let status = take_ext(&mut extension, &status_ext())
            .first()
            .and_then(|e| ext_get::<String>(e, "valueCode"))
            .unwrap_or_else(|| a.status.clone());
        let patient_instruction = take_ext(&mut extension, &instruction_ext())
            .first()
            .and_then(|e| ext_get(e, "valueString"));
        let service_category =
            many_of_one(a.service_category.as_ref(), &category_ext(), &mut extension);
        let mut extra = a.extra.clone();
        let reason_reference = extra
            .remove("indication")
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        Self {
            resource_type: AppointmentType,
            id: a.id.clone(),
            meta: a.meta.clone(),
            extension,
            identifier: a.identifier.clone(),
            status,
            cancelation_reason,
            service_category,
            service_type: a.service_type.clone(),
            specialty: a.specialty.clone(),
            appointment_type: a.appointment_type.clone(),
            reason_code: a.reason.clone(),
            reason_reference,
            priority: a.priority,
            description: a.description.clone(),
            start: a.start.clone(),
            end: a.end.clone(),
            minutes_duration: a.minutes_duration,
            slot: a.slot.clone(),
            created: a.created.clone(),
            comment: a.comment.clone(),
            patient_instruction,
            based_on: a
                .incoming_referral
                .iter()
                .map(|r| retype(r, "ReferralRequest", "ServiceRequest"))
                .collect(),
            participant: a.participant.clone(),
            requested_period: a.requested_period.clone(),
            extra,
        }
    }

    /// The STU3 form. Fails on a status neither version defines; `checked-in` and `waitlist`
    /// become `arrived` and `proposed` with the original kept in an extension.
    pub fn to_stu3(&self) -> Result<crate::Appointment, ModelError> {
        let mut extension = self.extension.clone();
        let status = self.stu3_status(&mut extension)?;
        if let Some(reason) = &self.cancelation_reason {
            extension.push(Extension::codeable_concept(urls::EXT_STATUS_REASON, reason));
        }
        if let Some(text) = &self.patient_instruction {
            extension.push(ext_value(&instruction_ext(), "valueString", text));
        }
        let service_category = one_of_many(&self.service_category, &category_ext(), &mut extension);
        let mut extra = self.extra.clone();
        if !self.reason_reference.is_empty()
            && let Ok(v) = serde_json::to_value(&self.reason_reference)
        {
            extra.insert("indication".to_owned(), v);
        }
        Ok(crate::Appointment {
            resource_type: AppointmentType,
            id: self.id.clone(),
            meta: self.meta.clone(),
            extension,
            identifier: self.identifier.clone(),
            status,
            service_category,
            service_type: self.service_type.clone(),
            specialty: self.specialty.clone(),
            appointment_type: self.appointment_type.clone(),
            reason: self.reason_code.clone(),
            priority: self.priority,
            description: self.description.clone(),
            start: self.start.clone(),
            end: self.end.clone(),
            minutes_duration: self.minutes_duration,
            slot: self.slot.clone(),
            created: self.created.clone(),
            comment: self.comment.clone(),
            incoming_referral: self
                .based_on
                .iter()
                .map(|r| retype(r, "ServiceRequest", "ReferralRequest"))
                .collect(),
            participant: self.participant.clone(),
            requested_period: self.requested_period.clone(),
            extra,
        })
    }

    fn stu3_status(&self, extension: &mut Vec<Extension>) -> Result<String, ModelError> {
        if appointment_status::ALL.contains(&self.status.as_str()) {
            return Ok(self.status.clone());
        }
        let Some((r4, stu3)) = R4_ONLY_STATUS.iter().find(|(r4, _)| *r4 == self.status) else {
            return Err(invalid(
                "Appointment",
                format!("unknown status '{}'", self.status),
            ));
        };
        extension.push(ext_value(&status_ext(), "valueCode", r4));
        Ok((*stu3).to_owned())
    }

    /// The `meta.versionId`, if the server sent one.
    pub fn version_id(&self) -> Option<&str> {
        self.meta.as_ref().and_then(|m| m.version_id.as_deref())
    }
}
