//! STU3 ReferralRequest ⇄ R4 ServiceRequest: a home EHR that speaks STU3 places its referral
//! orders as ReferralRequest; the desk reads them as the R4 [`ServiceRequest`] the rest of the
//! queue works with. Element by element (STU3 → R4): `status` (suspended → on-hold, cancelled →
//! revoked), `type` → `category` (beside the referral category every ReferralRequest implies),
//! `serviceRequested` → `code` (the first; the rest in STU3 cross-version extensions),
//! `context` → `encounter`, `requester.agent` → `requester`, `specialty` → `performerType`,
//! `recipient` → `performer`, `groupIdentifier` → `requisition`, `description` → the first
//! `note` (R4 has no description; the clerk reads notes), `supportingInfo` references to a
//! Coverage → `insurance` (STU3 has no `insurance`; the others stay `supportingInfo`). Every
//! other element keeps its name.

use serde_json::{Map, Value, json};

use super::ServiceRequest;
use super::convert::{invalid, parse};
use super::service_request::{REFERRAL_CATEGORY_CODE, SNOMED};
use crate::ModelError;

/// The STU3 resource type of a referral order.
pub const REFERRAL_REQUEST: &str = "ReferralRequest";

/// The STU3 cross-version extension URL carrying STU3 element `path` in an R4 resource.
fn stu3_element(path: &str) -> String {
    format!("http://hl7.org/fhir/3.0/StructureDefinition/extension-{path}")
}

fn referral_category() -> Value {
    json!({"coding": [{"system": SNOMED, "code": REFERRAL_CATEGORY_CODE, "display": "Patient referral"}]})
}

fn is_referral_category(cc: &Value) -> bool {
    cc["coding"].as_array().into_iter().flatten().any(|c| {
        c["system"].as_str() == Some(SNOMED) && c["code"].as_str() == Some(REFERRAL_CATEGORY_CODE)
    })
}

/// `ReferralRequest/x` → `ServiceRequest/x` (and back) in a reference, keeping any base.
fn retype_ref(r: &mut Value, from: &str, to: &str) {
    if let Some(text) = r["reference"].as_str() {
        let pattern = format!("{from}/");
        if text.starts_with(&pattern) || text.contains(&format!("/{pattern}")) {
            r["reference"] = json!(text.replacen(&pattern, &format!("{to}/"), 1));
        }
    }
}

/// Retypes the references in `basedOn` and `replaces` (the two elements that name other orders)
/// from `from` to `to`.
fn retype_order_refs(m: &mut Map<String, Value>, from: &str, to: &str) {
    for element in ["basedOn", "replaces"] {
        for r in m
            .get_mut(element)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            retype_ref(r, from, to);
        }
    }
}

fn push_ext(m: &mut Map<String, Value>, url: String, kind: &str, value: Value) {
    let list = m.entry("extension").or_insert_with(|| json!([]));
    if let Some(list) = list.as_array_mut() {
        list.push(json!({"url": url, kind: value}));
    }
}

/// Removes the extensions with `url` from `m`, answering their `kind` values.
fn take_ext(m: &mut Map<String, Value>, url: &str, kind: &str) -> Vec<Value> {
    let Some(Value::Array(list)) = m.remove("extension") else {
        return Vec::new();
    };
    let (taken, kept): (Vec<Value>, Vec<Value>) = list
        .into_iter()
        .partition(|e| e["url"].as_str() == Some(url));
    if !kept.is_empty() {
        m.insert("extension".to_owned(), Value::Array(kept));
    }
    taken
        .into_iter()
        .filter_map(|mut e| e.get_mut(kind).map(Value::take))
        .collect()
}

fn rename(m: &mut Map<String, Value>, from: &str, to: &str) {
    if let Some(v) = m.remove(from) {
        m.insert(to.to_owned(), v);
    }
}

fn is_coverage(r: &Value) -> bool {
    r["reference"]
        .as_str()
        .and_then(crate::split_reference)
        .is_some_and(|(ty, _)| ty == "Coverage")
}

impl ServiceRequest {
    /// The R4 form of an STU3 ReferralRequest (JSON as the home sent it).
    pub fn from_referral_request(value: Value) -> Result<Self, ModelError> {
        let Value::Object(mut m) = value else {
            return Err(invalid(REFERRAL_REQUEST, "expected a JSON object"));
        };
        if m.get("resourceType").and_then(Value::as_str) != Some(REFERRAL_REQUEST) {
            return Err(invalid(
                REFERRAL_REQUEST,
                "resourceType is not ReferralRequest",
            ));
        }
        m.insert("resourceType".to_owned(), json!("ServiceRequest"));
        let status = match m.get("status").and_then(Value::as_str) {
            Some("suspended") => Some("on-hold"),
            Some("cancelled") => Some("revoked"),
            _ => None,
        };
        if let Some(s) = status {
            m.insert("status".to_owned(), json!(s));
        }
        let mut category = vec![referral_category()];
        category.extend(m.remove("type").filter(|t| !is_referral_category(t)));
        m.insert("category".to_owned(), Value::Array(category));
        if let Some(Value::Array(services)) = m.remove("serviceRequested") {
            let mut services = services.into_iter();
            if let Some(first) = services.next() {
                m.insert("code".to_owned(), first);
            }
            let url = stu3_element("ReferralRequest.serviceRequested");
            for rest in services {
                push_ext(&mut m, url.clone(), "valueCodeableConcept", rest);
            }
        }
        rename(&mut m, "context", "encounter");
        rename(&mut m, "specialty", "performerType");
        rename(&mut m, "recipient", "performer");
        rename(&mut m, "groupIdentifier", "requisition");
        if let Some(mut requester) = m.remove("requester") {
            if let Some(agent) = requester.get_mut("agent").map(Value::take) {
                m.insert("requester".to_owned(), agent);
            }
            if let Some(behalf) = requester.get_mut("onBehalfOf").map(Value::take) {
                let url = stu3_element("ReferralRequest.requester.onBehalfOf");
                push_ext(&mut m, url, "valueReference", behalf);
            }
        }
        if let Some(text) = m.remove("description") {
            let mut notes = vec![json!({"text": text})];
            if let Some(Value::Array(rest)) = m.remove("note") {
                notes.extend(rest);
            }
            m.insert("note".to_owned(), Value::Array(notes));
        }
        if let Some(Value::Array(info)) = m.remove("supportingInfo") {
            let (coverage, other): (Vec<Value>, Vec<Value>) =
                info.into_iter().partition(is_coverage);
            if !coverage.is_empty() {
                m.insert("insurance".to_owned(), Value::Array(coverage));
            }
            if !other.is_empty() {
                m.insert("supportingInfo".to_owned(), Value::Array(other));
            }
        }
        retype_order_refs(&mut m, REFERRAL_REQUEST, "ServiceRequest");
        parse("ServiceRequest", Value::Object(m))
    }

    /// The STU3 ReferralRequest form of this order (what an STU3 home stores; the inverse of
    /// [`ServiceRequest::from_referral_request`] for every element an STU3 order can hold).
    pub fn to_referral_request(&self) -> Result<Value, ModelError> {
        let Ok(Value::Object(mut m)) = serde_json::to_value(self) else {
            return Err(invalid("ServiceRequest", "not serialisable"));
        };
        m.insert("resourceType".to_owned(), json!(REFERRAL_REQUEST));
        let status = match self.status.as_str() {
            "on-hold" => "suspended",
            "revoked" => "cancelled",
            other => other,
        };
        m.insert("status".to_owned(), json!(status));
        if !matches!(self.intent.as_str(), "proposal" | "plan") {
            m.insert("intent".to_owned(), json!("order"));
        }
        if let Some(Value::Array(category)) = m.remove("category")
            && let Some(ty) = category.into_iter().find(|c| !is_referral_category(c))
        {
            m.insert("type".to_owned(), ty);
        }
        let url = stu3_element("ReferralRequest.serviceRequested");
        let more = take_ext(&mut m, &url, "valueCodeableConcept");
        if let Some(code) = m.remove("code") {
            let mut services = vec![code];
            services.extend(more);
            m.insert("serviceRequested".to_owned(), Value::Array(services));
        }
        rename(&mut m, "encounter", "context");
        rename(&mut m, "performerType", "specialty");
        rename(&mut m, "performer", "recipient");
        rename(&mut m, "requisition", "groupIdentifier");
        let url = stu3_element("ReferralRequest.requester.onBehalfOf");
        let behalf = take_ext(&mut m, &url, "valueReference").into_iter().next();
        if let Some(agent) = m.remove("requester") {
            let mut requester = json!({"agent": agent});
            if let Some(b) = behalf {
                requester["onBehalfOf"] = b;
            }
            m.insert("requester".to_owned(), requester);
        }
        let mut info = match m.remove("supportingInfo") {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        if let Some(Value::Array(coverage)) = m.remove("insurance") {
            info.extend(coverage);
        }
        if !info.is_empty() {
            m.insert("supportingInfo".to_owned(), Value::Array(info));
        }
        retype_order_refs(&mut m, "ServiceRequest", REFERRAL_REQUEST);
        Ok(Value::Object(m))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn stu3() -> Value {
        json!({
            "resourceType": "ReferralRequest", "id": "rr1",
            "meta": {"versionId": "2", "lastUpdated": "2026-01-02T03:04:05Z"},
            "identifier": [{"system": "urn:x", "value": "ORD1"}],
            "status": "suspended", "intent": "order",
            "type": {"text": "consult"}, "priority": "urgent",
            "serviceRequested": [{"text": "MRI"}, {"text": "X-ray"}],
            "subject": {"reference": "Patient/p1"},
            "context": {"reference": "Encounter/e1"},
            "occurrencePeriod": {"start": "2026-01-03", "end": "2026-01-10"},
            "authoredOn": "2026-01-02",
            "requester": {"agent": {"display": "Dr. Who"}, "onBehalfOf": {"reference": "Organization/o1"}},
            "specialty": {"text": "Radiology"},
            "recipient": [{"reference": "Organization/img"}],
            "reasonCode": [{"text": "Back pain"}],
            "reasonReference": [{"reference": "Condition/c1"}],
            "description": "Lumbar spine",
            "supportingInfo": [{"reference": "Coverage/cov1"}, {"reference": "Observation/o9"}],
            "note": [{"text": "no contrast"}],
            "basedOn": [{"reference": "ReferralRequest/rr0"}]
        })
    }

    #[test]
    fn a_referral_request_reads_as_the_service_request_the_desk_works() {
        let sr = ServiceRequest::from_referral_request(stu3()).unwrap();
        assert_eq!(sr.id.as_deref(), Some("rr1"));
        assert_eq!(sr.version_id(), Some("2"));
        assert_eq!(sr.status, "on-hold");
        assert!(sr.is_referral(), "every ReferralRequest is a referral");
        assert_eq!(sr.category[1].text.as_deref(), Some("consult"));
        assert_eq!(sr.code.as_ref().unwrap().text.as_deref(), Some("MRI"));
        assert_eq!(
            sr.encounter.as_ref().unwrap().reference.as_deref(),
            Some("Encounter/e1")
        );
        assert_eq!(
            sr.requester.as_ref().unwrap().display.as_deref(),
            Some("Dr. Who")
        );
        assert_eq!(
            sr.performer_type.as_ref().unwrap().text.as_deref(),
            Some("Radiology")
        );
        assert_eq!(
            sr.performer[0].reference.as_deref(),
            Some("Organization/img")
        );
        assert_eq!(sr.insurance.len(), 1, "only the Coverage becomes insurance");
        assert_eq!(sr.insurance[0].reference.as_deref(), Some("Coverage/cov1"));
        assert_eq!(sr.extra["supportingInfo"][0]["reference"], "Observation/o9");
        assert_eq!(sr.note[0].text, "Lumbar spine");
        assert_eq!(sr.note[1].text, "no contrast");
        assert_eq!(
            sr.occurrence_period.as_ref().unwrap().start.as_deref(),
            Some("2026-01-03")
        );
        assert_eq!(sr.reason_code[0].text.as_deref(), Some("Back pain"));
        assert_eq!(sr.reason_reference.len(), 1);
        assert_eq!(sr.extra["basedOn"][0]["reference"], "ServiceRequest/rr0");
        assert_eq!(sr.extra["extension"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn the_stu3_form_converts_back_to_the_same_order() {
        let sr = ServiceRequest::from_referral_request(stu3()).unwrap();
        let back = sr.to_referral_request().unwrap();
        assert_eq!(back["resourceType"], "ReferralRequest");
        assert_eq!(back["status"], "suspended");
        assert_eq!(back["type"]["text"], "consult");
        assert_eq!(back["serviceRequested"].as_array().unwrap().len(), 2);
        assert_eq!(
            back["requester"]["onBehalfOf"]["reference"],
            "Organization/o1"
        );
        assert!(back.get("extension").is_none(), "{back}");
        assert!(back.get("insurance").is_none() && back.get("category").is_none());
        assert_eq!(ServiceRequest::from_referral_request(back).unwrap(), sr);
    }

    #[test]
    fn other_resources_are_refused() {
        let err = ServiceRequest::from_referral_request(json!({"resourceType": "ServiceRequest"}));
        assert!(err.is_err());
    }
}
