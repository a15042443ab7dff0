//! Coverage (Argonaut argo-coverage profile).

use serde::{Deserialize, Serialize};

use super::resource_tag;
use crate::datatypes::is_empty;
use crate::{CodeableConcept, Identifier, JsonMap, Meta, Period, Reference};

resource_tag!(CoverageType, "Coverage");

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    #[serde(rename = "resourceType")]
    pub resource_type: CoverageType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub identifier: Vec<Identifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<CodeableConcept>,
    #[serde(rename = "policyHolder", skip_serializing_if = "Option::is_none")]
    pub policy_holder: Option<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscriber: Option<Reference>,
    #[serde(rename = "subscriberId", skip_serializing_if = "Option::is_none")]
    pub subscriber_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beneficiary: Option<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relationship: Option<CodeableConcept>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub payor: Vec<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grouping: Option<CoverageGrouping>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// STU3 Coverage.grouping (plan id and name are required by argo-coverage).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CoverageGrouping {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(rename = "groupDisplay", skip_serializing_if = "Option::is_none")]
    pub group_display: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(rename = "planDisplay", skip_serializing_if = "Option::is_none")]
    pub plan_display: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}
