//! Appointment (Argonaut argo-appt profile) and its participants.

use serde::{Deserialize, Serialize};

use super::resource_tag;
use crate::datatypes::is_empty;
use crate::{CodeableConcept, Extension, Identifier, JsonMap, Meta, Period, Reference, urls};

resource_tag!(AppointmentType, "Appointment");

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
    /// proposed | pending | booked | arrived | fulfilled | cancelled | noshow | entered-in-error.
    pub status: String,
    #[serde(rename = "serviceCategory", skip_serializing_if = "Option::is_none")]
    pub service_category: Option<CodeableConcept>,
    #[serde(rename = "serviceType", default, skip_serializing_if = "is_empty")]
    pub service_type: Vec<CodeableConcept>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub specialty: Vec<CodeableConcept>,
    #[serde(rename = "appointmentType", skip_serializing_if = "Option::is_none")]
    pub appointment_type: Option<CodeableConcept>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub reason: Vec<CodeableConcept>,
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
    #[serde(rename = "incomingReferral", default, skip_serializing_if = "is_empty")]
    pub incoming_referral: Vec<Reference>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub participant: Vec<AppointmentParticipant>,
    #[serde(rename = "requestedPeriod", default, skip_serializing_if = "is_empty")]
    pub requested_period: Vec<Period>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AppointmentParticipant {
    #[serde(rename = "type", default, skip_serializing_if = "is_empty")]
    pub type_: Vec<CodeableConcept>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<String>,
    /// accepted | declined | tentative | needs-action.
    pub status: String,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl AppointmentParticipant {
    /// A participant for `actor` with the given participation status.
    pub fn new(actor: Reference, status: &str) -> Self {
        Self {
            actor: Some(actor),
            required: Some("required".to_owned()),
            status: status.to_owned(),
            ..Self::default()
        }
    }
}

/// STU3 Appointment.status values.
pub mod appointment_status {
    pub const PROPOSED: &str = "proposed";
    pub const PENDING: &str = "pending";
    pub const BOOKED: &str = "booked";
    pub const ARRIVED: &str = "arrived";
    pub const FULFILLED: &str = "fulfilled";
    pub const CANCELLED: &str = "cancelled";
    pub const NOSHOW: &str = "noshow";
    pub const ENTERED_IN_ERROR: &str = "entered-in-error";
    /// Every STU3 status, for validating search parameters and patches.
    pub const ALL: [&str; 8] = [
        PROPOSED,
        PENDING,
        BOOKED,
        ARRIVED,
        FULFILLED,
        CANCELLED,
        NOSHOW,
        ENTERED_IN_ERROR,
    ];
}

impl Appointment {
    /// References of participants whose actor is of resource type `ty` (e.g. "Practitioner").
    pub fn actors_of_type<'a>(&'a self, ty: &'a str) -> impl Iterator<Item = &'a Reference> + 'a {
        self.participant
            .iter()
            .filter_map(|p| p.actor.as_ref())
            .filter(move |a| a.local().is_some_and(|(t, _)| t == ty))
    }

    /// The Argonaut status-reason (cancel reason), if present.
    pub fn status_reason(&self) -> Option<CodeableConcept> {
        self.extension
            .iter()
            .find(|e| e.url == urls::EXT_STATUS_REASON)
            .and_then(Extension::value_codeable_concept)
    }

    /// The `meta.versionId`, if the server sent one.
    pub fn version_id(&self) -> Option<&str> {
        self.meta.as_ref().and_then(|m| m.version_id.as_deref())
    }
}
