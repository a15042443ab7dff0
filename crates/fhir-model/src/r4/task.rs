//! R4 Task: the desk's claim on a home order (one per ServiceRequest, found by its identifier),
//! its lease (`restriction.period.end`) and the outcome written back (`status`,
//! `businessStatus`, `statusReason`, `output`). Unknown elements are kept in `extra`.

use serde::{Deserialize, Serialize};

use crate::datatypes::is_empty;
use crate::resources::resource_tag;
use crate::{Annotation, CodeableConcept, Identifier, JsonMap, Meta, Period, Reference};

resource_tag!(TaskType, "Task");

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Task {
    #[serde(rename = "resourceType")]
    pub resource_type: TaskType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub identifier: Vec<Identifier>,
    #[serde(rename = "basedOn", default, skip_serializing_if = "is_empty")]
    pub based_on: Vec<Reference>,
    /// draft | requested | received | accepted | rejected | ready | cancelled | in-progress |
    /// on-hold | failed | completed | entered-in-error.
    pub status: String,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<CodeableConcept>,
    #[serde(rename = "businessStatus", skip_serializing_if = "Option::is_none")]
    pub business_status: Option<CodeableConcept>,
    /// unknown | proposal | plan | order | ...
    pub intent: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus: Option<Reference>,
    #[serde(rename = "for", skip_serializing_if = "Option::is_none")]
    pub for_: Option<Reference>,
    #[serde(rename = "authoredOn", skip_serializing_if = "Option::is_none")]
    pub authored_on: Option<String>,
    #[serde(rename = "lastModified", skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restriction: Option<TaskRestriction>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub note: Vec<Annotation>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub output: Vec<TaskOutput>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `Task.restriction`: the desk keeps its lease in `period.end`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskRestriction {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `Task.output`: the desk writes `valueReference` (the booked Appointment); other value types
/// are kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskOutput {
    #[serde(rename = "type")]
    pub type_: CodeableConcept,
    #[serde(rename = "valueReference", skip_serializing_if = "Option::is_none")]
    pub value_reference: Option<Reference>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Task {
    /// The version the server gave this Task (for `If-Match`).
    pub fn version_id(&self) -> Option<&str> {
        self.meta.as_ref().and_then(|m| m.version_id.as_deref())
    }

    /// The lease end (`restriction.period.end`), as written.
    pub fn lease_end(&self) -> Option<&str> {
        self.restriction
            .as_ref()
            .and_then(|r| r.period.as_ref())
            .and_then(|p| p.end.as_deref())
    }

    /// Sets the lease end, keeping any other restriction element.
    pub fn set_lease_end(&mut self, end: &str) {
        let restriction = self
            .restriction
            .get_or_insert_with(TaskRestriction::default);
        let period = restriction.period.get_or_insert_with(Period::default);
        period.end = Some(end.to_owned());
    }

    /// The owner's display (who is working the order), if any.
    pub fn owner_display(&self) -> Option<&str> {
        self.owner.as_ref().and_then(|o| o.display.as_deref())
    }

    /// The owner's identifier value in `system` (the desk id).
    pub fn owner_id(&self, system: &str) -> Option<&str> {
        self.owner
            .as_ref()
            .and_then(|o| o.identifier.as_ref())
            .filter(|i| i.system.as_deref() == Some(system))
            .and_then(|i| i.value.as_deref())
    }

    /// Whether the Task reached a final state (nothing more will be done on it).
    pub fn is_final(&self) -> bool {
        matches!(
            self.status.as_str(),
            "completed" | "failed" | "cancelled" | "rejected" | "entered-in-error"
        )
    }
}
