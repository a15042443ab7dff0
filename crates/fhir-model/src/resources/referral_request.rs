//! ReferralRequest (STU3; R4 renamed it ServiceRequest): the referral itself, POSTed to an
//! organisation that offers it before booking, and linked from `Appointment.incomingReferral`.
//! Like the other resources, elements not named here are kept in `extra`.

use serde::{Deserialize, Serialize};

use super::resource_tag;
use crate::datatypes::is_empty;
use crate::{CodeableConcept, Identifier, JsonMap, Meta, Period, Reference};

resource_tag!(ReferralRequestType, "ReferralRequest");

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferralRequest {
    #[serde(rename = "resourceType")]
    pub resource_type: ReferralRequestType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub identifier: Vec<Identifier>,
    /// draft | active | suspended | cancelled | completed | entered-in-error | unknown.
    pub status: String,
    /// proposal | plan | order.
    pub intent: String,
    /// routine | urgent | asap | stat (request-priority).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specialty: Option<CodeableConcept>,
    pub subject: Reference,
    /// The day the patient should be seen by, as the period's end.
    #[serde(rename = "occurrencePeriod", skip_serializing_if = "Option::is_none")]
    pub occurrence_period: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester: Option<ReferralRequester>,
    #[serde(rename = "reasonCode", default, skip_serializing_if = "is_empty")]
    pub reason_code: Vec<CodeableConcept>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub note: Vec<Annotation>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `ReferralRequest.requester`: who asks (`agent` is required in STU3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferralRequester {
    pub agent: Reference,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// STU3 Annotation with its text only (author and time kept in `extra`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    pub text: String,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_unknown_elements_kept() {
        let json = serde_json::json!({
            "resourceType": "ReferralRequest",
            "id": "rr-1",
            "status": "active",
            "intent": "order",
            "priority": "urgent",
            "subject": {"reference": "Patient/p1"},
            "occurrencePeriod": {"end": "2026-12-10"},
            "requester": {"agent": {"display": "Dr Ama Osei"}, "onBehalfOf": {"display": "Desk"}},
            "reasonCode": [{"coding": [{"system": "http://snomed.info/sct", "code": "9014002"}]}],
            "note": [{"text": "Steroids tried.", "time": "2026-11-30T10:00:00Z"}],
            "supportingInfo": [{"reference": "DocumentReference/d1"}]
        });
        let parsed: ReferralRequest = serde_json::from_value(json.clone()).unwrap_or_default();
        assert_eq!(parsed.priority.as_deref(), Some("urgent"));
        assert_eq!(
            parsed.note.first().map(|n| n.text.as_str()),
            Some("Steroids tried.")
        );
        assert_eq!(serde_json::to_value(&parsed).ok(), Some(json));
        let wrong = serde_json::json!({"resourceType": "Appointment", "status": "x", "intent": "order", "subject": {}});
        assert!(serde_json::from_value::<ReferralRequest>(wrong).is_err());
    }
}
