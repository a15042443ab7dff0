//! Schedule and Slot: the published availability behind `$find` and `$prefetch`.

use serde::{Deserialize, Serialize};

use super::resource_tag;
use crate::datatypes::is_empty;
use crate::{CodeableConcept, Identifier, JsonMap, Meta, Period, Reference};

resource_tag!(ScheduleType, "Schedule");
resource_tag!(SlotType, "Slot");

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    #[serde(rename = "resourceType")]
    pub resource_type: ScheduleType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub identifier: Vec<Identifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(rename = "serviceCategory", skip_serializing_if = "Option::is_none")]
    pub service_category: Option<CodeableConcept>,
    #[serde(rename = "serviceType", default, skip_serializing_if = "is_empty")]
    pub service_type: Vec<CodeableConcept>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub specialty: Vec<CodeableConcept>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub actor: Vec<Reference>,
    #[serde(rename = "planningHorizon", skip_serializing_if = "Option::is_none")]
    pub planning_horizon: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    #[serde(rename = "resourceType")]
    pub resource_type: SlotType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub identifier: Vec<Identifier>,
    #[serde(rename = "serviceCategory", skip_serializing_if = "Option::is_none")]
    pub service_category: Option<CodeableConcept>,
    #[serde(rename = "serviceType", default, skip_serializing_if = "is_empty")]
    pub service_type: Vec<CodeableConcept>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub specialty: Vec<CodeableConcept>,
    #[serde(rename = "appointmentType", skip_serializing_if = "Option::is_none")]
    pub appointment_type: Option<CodeableConcept>,
    pub schedule: Reference,
    /// busy | free | busy-unavailable | busy-tentative | entered-in-error.
    pub status: String,
    pub start: String,
    pub end: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overbooked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}
