//! R4 ServiceRequest: the referral order a home EHR places (R4's name for STU3's
//! ReferralRequest). The desk reads open orders from the home organisation's queue and never
//! writes them, so only the elements the mapping to a referral needs are named; every other
//! element (`orderDetail`, `bodySite`, choice types the desk ignores, ...) is kept in `extra`.

use serde::{Deserialize, Serialize};

use crate::datatypes::is_empty;
use crate::resources::resource_tag;
use crate::{Annotation, CodeableConcept, Identifier, JsonMap, Meta, Period, Reference};

resource_tag!(ServiceRequestType, "ServiceRequest");

/// The SNOMED CT code of the "Patient referral" category the queue searches for.
pub const REFERRAL_CATEGORY_CODE: &str = "3457005";

/// The SNOMED CT system URL.
pub const SNOMED: &str = "http://snomed.info/sct";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceRequest {
    #[serde(rename = "resourceType")]
    pub resource_type: ServiceRequestType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub identifier: Vec<Identifier>,
    /// draft | active | on-hold | revoked | completed | entered-in-error | unknown.
    pub status: String,
    /// proposal | plan | directive | order | original-order | ...
    pub intent: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub category: Vec<CodeableConcept>,
    /// routine | urgent | asap | stat (request-priority).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// What is asked for (an MRI procedure, a consultation, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept>,
    /// Required in R4, but optional here so an order without a patient still parses and the
    /// mapping reports that one order as bad instead of the whole page failing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encounter: Option<Reference>,
    #[serde(rename = "occurrencePeriod", skip_serializing_if = "Option::is_none")]
    pub occurrence_period: Option<Period>,
    #[serde(rename = "occurrenceDateTime", skip_serializing_if = "Option::is_none")]
    pub occurrence_date_time: Option<String>,
    #[serde(rename = "authoredOn", skip_serializing_if = "Option::is_none")]
    pub authored_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester: Option<Reference>,
    #[serde(rename = "performerType", skip_serializing_if = "Option::is_none")]
    pub performer_type: Option<CodeableConcept>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub performer: Vec<Reference>,
    #[serde(rename = "reasonCode", default, skip_serializing_if = "is_empty")]
    pub reason_code: Vec<CodeableConcept>,
    #[serde(rename = "reasonReference", default, skip_serializing_if = "is_empty")]
    pub reason_reference: Vec<Reference>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub insurance: Vec<Reference>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub note: Vec<Annotation>,
    #[serde(rename = "patientInstruction", skip_serializing_if = "Option::is_none")]
    pub patient_instruction: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl ServiceRequest {
    /// Whether the order is in the referral category the queue works.
    pub fn is_referral(&self) -> bool {
        self.category
            .iter()
            .any(|c| c.has_code(Some(SNOMED), REFERRAL_CATEGORY_CODE))
    }

    /// The version the server gave this order, if any.
    pub fn version_id(&self) -> Option<&str> {
        self.meta.as_ref().and_then(|m| m.version_id.as_deref())
    }
}
