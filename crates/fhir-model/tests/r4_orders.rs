//! The R4 ServiceRequest and Task the home queue reads and writes: they keep what they do not
//! name, parse through `r4::Resource` (also inside a search Bundle), and refuse malformed bodies.
#![allow(clippy::unwrap_used, reason = "tests")]

use fhir_model::r4;
use serde_json::{Value, json};

fn roundtrip(body: Value) -> r4::Resource {
    let parsed = r4::Resource::from_json(body.clone()).unwrap();
    assert_eq!(parsed.to_json(), body, "R4 JSON survives a parse and write");
    parsed
}

fn order() -> Value {
    json!({
        "resourceType": "ServiceRequest", "id": "sr1",
        "meta": {"versionId": "3", "lastUpdated": "2026-11-30T10:00:00Z"},
        "identifier": [{"system": "urn:oid:1.2.3", "value": "ORD-1"}],
        "status": "active", "intent": "order",
        "category": [{"coding": [{"system": "http://snomed.info/sct", "code": "3457005",
                                   "display": "Patient referral"}]}],
        "priority": "urgent",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "306206005"}]},
        "subject": {"reference": "Patient/p1"},
        "occurrencePeriod": {"start": "2026-11-30", "end": "2026-12-07"},
        "authoredOn": "2026-11-30T09:00:00Z",
        "requester": {"reference": "Practitioner/dr1", "display": "Dr Ada Jones"},
        "performerType": {"coding": [{"system": "http://snomed.info/sct", "code": "419772000"}]},
        "performer": [{"reference": "Organization/o1", "display": "North Clinic"}],
        "reasonCode": [{"text": "follow-up after discharge"}],
        "insurance": [{"reference": "Coverage/c1"}],
        "note": [{"text": "prefers mornings", "time": "2026-11-30T09:00:00Z"}],
        "bodySite": [{"text": "left arm"}],
        "orderDetail": [{"text": "kept verbatim"}],
        "extension": [{"url": "http://example.org/x", "valueString": "kept"}]
    })
}

#[test]
fn service_request_keeps_every_element_and_names_the_ones_the_queue_maps() {
    let parsed = roundtrip(order());
    let sr = parsed.as_service_request().unwrap();
    assert!(sr.is_referral());
    assert_eq!(sr.version_id(), Some("3"));
    assert_eq!(sr.priority.as_deref(), Some("urgent"));
    assert_eq!(sr.insurance.len(), 1);
    assert_eq!(sr.note[0].text, "prefers mornings");
    assert!(sr.extra.contains_key("bodySite") && sr.extra.contains_key("orderDetail"));
    assert_eq!(parsed.resource_type(), "ServiceRequest");
    assert_eq!(parsed.id(), Some("sr1"));
}

#[test]
fn an_order_without_a_patient_still_parses_so_only_that_order_is_bad() {
    let mut body = order();
    body.as_object_mut().unwrap().remove("subject");
    let parsed = roundtrip(body);
    assert!(parsed.as_service_request().unwrap().subject.is_none());
}

#[test]
fn service_request_of_another_category_is_not_a_referral() {
    let mut body = order();
    body["category"] =
        json!([{"coding": [{"system": "http://snomed.info/sct", "code": "363679005"}]}]);
    let parsed = r4::Resource::from_json(body).unwrap();
    assert!(!parsed.as_service_request().unwrap().is_referral());
}

#[test]
fn task_claim_keeps_every_element_and_reads_owner_and_lease() {
    let body = json!({
        "resourceType": "Task", "id": "t1", "meta": {"versionId": "2"},
        "identifier": [{"system": "https://referral-desk.example/claim", "value": "sr1"}],
        "status": "in-progress", "intent": "order",
        "businessStatus": {"text": "booked 2026-12-02T09:00:00Z at North Clinic"},
        "focus": {"reference": "ServiceRequest/sr1"}, "for": {"reference": "Patient/p1"},
        "owner": {"display": "ann at desk-2",
                  "identifier": {"system": "https://referral-desk.example/desk", "value": "d2"}},
        "restriction": {"period": {"end": "2026-11-30T10:15:00Z"}, "repetitions": 1},
        "output": [{"type": {"text": "appointment"},
                    "valueReference": {"reference": "http://org/fhir/Appointment/a1"}}],
        "input": [{"type": {"text": "kept"}, "valueString": "x"}],
        "executionPeriod": {"start": "2026-11-30T10:00:00Z"}
    });
    let parsed = roundtrip(body);
    let task = parsed.as_task().unwrap();
    assert_eq!(task.version_id(), Some("2"));
    assert_eq!(task.lease_end(), Some("2026-11-30T10:15:00Z"));
    assert_eq!(task.owner_display(), Some("ann at desk-2"));
    assert_eq!(
        task.owner_id("https://referral-desk.example/desk"),
        Some("d2")
    );
    assert_eq!(task.owner_id("https://other"), None);
    assert!(!task.is_final());
    assert_eq!(
        task.restriction.as_ref().unwrap().extra["repetitions"],
        json!(1)
    );
}

#[test]
fn setting_the_lease_keeps_the_rest_of_the_restriction() {
    let mut task = r4::Task {
        status: "accepted".into(),
        intent: "order".into(),
        ..r4::Task::default()
    };
    task.set_lease_end("2026-11-30T10:15:00Z");
    task.set_lease_end("2026-11-30T10:30:00Z");
    assert_eq!(task.lease_end(), Some("2026-11-30T10:30:00Z"));
    let json = serde_json::to_value(&task).unwrap();
    assert_eq!(json["resourceType"], "Task");
    assert_eq!(json["restriction"]["period"]["end"], "2026-11-30T10:30:00Z");
}

#[test]
fn search_bundle_with_includes_parses_orders_patients_and_coverages() {
    let body = json!({"resourceType": "Bundle", "type": "searchset",
    "link": [{"relation": "next", "url": "http://h/fhir/ServiceRequest?page=2"}],
    "entry": [
        {"resource": order(), "search": {"mode": "match"}},
        {"resource": {"resourceType": "Patient", "id": "p1"}, "search": {"mode": "include"}},
        {"resource": {"resourceType": "Coverage", "id": "c1", "status": "active",
                      "beneficiary": {"reference": "Patient/p1"}, "payor": []},
         "search": {"mode": "include"}}
    ]});
    let parsed = r4::Resource::from_json(body).unwrap();
    let bundle = parsed.as_bundle().unwrap();
    let types: Vec<&str> = bundle
        .entry
        .iter()
        .filter_map(|e| e.resource.as_ref())
        .map(r4::Resource::resource_type)
        .collect();
    assert_eq!(types, ["ServiceRequest", "Patient", "Coverage"]);
}

#[test]
fn malformed_orders_and_tasks_are_refused_with_their_type() {
    for body in [
        json!({"resourceType": "ServiceRequest", "intent": "order"}),
        json!({"resourceType": "Task", "status": "accepted", "intent": 5}),
    ] {
        let err = r4::Resource::from_json(body).unwrap_err().to_string();
        assert!(
            err.contains("ServiceRequest") || err.contains("Task"),
            "{err}"
        );
    }
}
