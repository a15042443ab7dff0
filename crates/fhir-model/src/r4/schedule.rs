//! R4 Schedule and Slot. Only `serviceCategory` changed shape (0..1 in STU3, 0..* in R4); the
//! Slot status codes are the same in both versions and anything else is refused.

use serde::{Deserialize, Serialize};

use super::convert::{extra_exts, invalid, many_of_one, one_of_many, r4_element, set_extra_exts};
use crate::datatypes::is_empty;
use crate::{
    CodeableConcept, Identifier, JsonMap, Meta, ModelError, Period, Reference, ScheduleType,
    SlotType,
};

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
    #[serde(rename = "serviceCategory", default, skip_serializing_if = "is_empty")]
    pub service_category: Vec<CodeableConcept>,
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
    #[serde(rename = "serviceCategory", default, skip_serializing_if = "is_empty")]
    pub service_category: Vec<CodeableConcept>,
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

/// Slot.status codes (identical in STU3 and R4).
pub const SLOT_STATUSES: [&str; 5] = [
    "busy",
    "free",
    "busy-unavailable",
    "busy-tentative",
    "entered-in-error",
];

/// STU3 single category + extra ones from the extensions → R4 list; returns the cleaned extras.
fn categories_to_r4(
    one: Option<&CodeableConcept>,
    extra: &JsonMap,
    path: &str,
) -> (Vec<CodeableConcept>, JsonMap) {
    let mut extra = extra.clone();
    let mut exts = extra_exts(&mut extra);
    let many = many_of_one(one, &r4_element(path), &mut exts);
    set_extra_exts(&mut extra, &exts);
    (many, extra)
}

/// R4 list → STU3 single category, the others kept in extensions inside the returned extras.
fn categories_to_stu3(
    many: &[CodeableConcept],
    extra: &JsonMap,
    path: &str,
) -> (Option<CodeableConcept>, JsonMap) {
    let mut extra = extra.clone();
    let mut exts = extra_exts(&mut extra);
    let one = one_of_many(many, &r4_element(path), &mut exts);
    set_extra_exts(&mut extra, &exts);
    (one, extra)
}

impl Schedule {
    /// The R4 form of an STU3 Schedule.
    pub fn from_stu3(s: &crate::Schedule) -> Self {
        let (service_category, extra) = categories_to_r4(
            s.service_category.as_ref(),
            &s.extra,
            "Schedule.serviceCategory",
        );
        Self {
            resource_type: ScheduleType,
            id: s.id.clone(),
            meta: s.meta.clone(),
            identifier: s.identifier.clone(),
            active: s.active,
            service_category,
            service_type: s.service_type.clone(),
            specialty: s.specialty.clone(),
            actor: s.actor.clone(),
            planning_horizon: s.planning_horizon.clone(),
            comment: s.comment.clone(),
            extra,
        }
    }

    /// The STU3 form (never fails today; a `Result` like every other conversion).
    pub fn to_stu3(&self) -> Result<crate::Schedule, ModelError> {
        let (service_category, extra) = categories_to_stu3(
            &self.service_category,
            &self.extra,
            "Schedule.serviceCategory",
        );
        Ok(crate::Schedule {
            resource_type: ScheduleType,
            id: self.id.clone(),
            meta: self.meta.clone(),
            identifier: self.identifier.clone(),
            active: self.active,
            service_category,
            service_type: self.service_type.clone(),
            specialty: self.specialty.clone(),
            actor: self.actor.clone(),
            planning_horizon: self.planning_horizon.clone(),
            comment: self.comment.clone(),
            extra,
        })
    }
}

impl Slot {
    /// The R4 form of an STU3 Slot.
    pub fn from_stu3(s: &crate::Slot) -> Self {
        let (service_category, extra) = categories_to_r4(
            s.service_category.as_ref(),
            &s.extra,
            "Slot.serviceCategory",
        );
        Self {
            resource_type: SlotType,
            id: s.id.clone(),
            meta: s.meta.clone(),
            identifier: s.identifier.clone(),
            service_category,
            service_type: s.service_type.clone(),
            specialty: s.specialty.clone(),
            appointment_type: s.appointment_type.clone(),
            schedule: s.schedule.clone(),
            status: s.status.clone(),
            start: s.start.clone(),
            end: s.end.clone(),
            overbooked: s.overbooked,
            comment: s.comment.clone(),
            extra,
        }
    }

    /// The STU3 form. Fails on a status code neither version defines.
    pub fn to_stu3(&self) -> Result<crate::Slot, ModelError> {
        if !SLOT_STATUSES.contains(&self.status.as_str()) {
            return Err(invalid("Slot", format!("unknown status '{}'", self.status)));
        }
        let (service_category, extra) =
            categories_to_stu3(&self.service_category, &self.extra, "Slot.serviceCategory");
        Ok(crate::Slot {
            resource_type: SlotType,
            id: self.id.clone(),
            meta: self.meta.clone(),
            identifier: self.identifier.clone(),
            service_category,
            service_type: self.service_type.clone(),
            specialty: self.specialty.clone(),
            appointment_type: self.appointment_type.clone(),
            schedule: self.schedule.clone(),
            status: self.status.clone(),
            start: self.start.clone(),
            end: self.end.clone(),
            overbooked: self.overbooked,
            comment: self.comment.clone(),
            extra,
        })
    }

    /// The `meta.versionId`, if the server sent one.
    pub fn version_id(&self) -> Option<&str> {
        self.meta.as_ref().and_then(|m| m.version_id.as_deref())
    }
}
