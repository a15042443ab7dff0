//! Referral orders for helios-hfs playing the home EHR: `n` open orders (each with its Patient
//! and Coverage) cycling through the IG's three provider scenarios — a discharge follow-up with
//! family practice, a dermatology referral, an MRI at radiology — so every order can be booked at
//! one of the default sandbox organisations. One transaction Bundle of PUTs (ids `sr<i>`,
//! `p<i>`, `c<i>`).

use chrono::{Duration, Utc};
use serde_json::{Value, json};

const SCT: &str = "http://snomed.info/sct";

/// (order code and display, performer type, reason code and text, priority, days to the due
/// date).
type Scenario = (
    (&'static str, &'static str),
    &'static str,
    (&'static str, &'static str),
    &'static str,
    i64,
);

const SCENARIOS: [Scenario; 3] = [
    (
        ("390906007", "Follow-up after discharge"),
        "419772000",
        ("84114007", "heart failure, medication review"),
        "urgent",
        7,
    ),
    (
        ("183567006", "Referral to dermatology service"),
        "394582007",
        ("95324001", "changing pigmented lesion"),
        "routine",
        30,
    ),
    (
        ("113091000", "Magnetic resonance imaging"),
        "394734003",
        ("279039007", "low back pain for six weeks"),
        "routine",
        21,
    ),
];

/// A `PUT Type/id` transaction entry.
pub fn put(resource: Value) -> Value {
    let url = format!(
        "{}/{}",
        resource["resourceType"].as_str().unwrap_or_default(),
        resource["id"].as_str().unwrap_or_default()
    );
    json!({"resource": resource, "request": {"method": "PUT", "url": url}})
}

/// The reason text of order `i` (what the receiving organisation's Appointment must carry).
pub fn reason_text(i: usize) -> &'static str {
    SCENARIOS[i % SCENARIOS.len()].2.1
}

/// The priority of order `i`.
pub fn priority(i: usize) -> &'static str {
    SCENARIOS[i % SCENARIOS.len()].3
}

fn order(i: usize) -> Value {
    let ((code, display), performer, (reason, text), priority, days) =
        SCENARIOS[i % SCENARIOS.len()];
    let today = Utc::now();
    json!({"resourceType": "ServiceRequest", "id": format!("sr{i}"), "status": "active",
        "intent": "order", "priority": priority,
        "category": [{"coding": [{"system": SCT, "code": "3457005"}]}],
        "code": {"coding": [{"system": SCT, "code": code, "display": display}]},
        "subject": {"reference": format!("Patient/p{i}")},
        "occurrencePeriod": {"start": today.format("%Y-%m-%d").to_string(),
                             "end": (today + Duration::days(days)).format("%Y-%m-%d").to_string()},
        "requester": {"display": "Dr Ada Jones"},
        "performerType": {"coding": [{"system": SCT, "code": performer}]},
        "reasonCode": [{"coding": [{"system": SCT, "code": reason}], "text": text}],
        "insurance": [{"reference": format!("Coverage/c{i}")}],
        "note": [{"text": format!("hfs order {i}")}]})
}

/// `n` open referral orders with their patients and coverages, as one transaction Bundle.
pub fn orders_bundle(n: usize) -> Value {
    let mut entries = Vec::with_capacity(n * 3);
    for i in 0..n {
        entries.push(put(
            json!({"resourceType": "Patient", "id": format!("p{i}"),
            "identifier": [{"system": "urn:oid:1.2.36.146.595.217.0.1",
                            "value": format!("HFS-MRN-{i}")}],
            "name": [{"family": format!("Hollis{i}"), "given": ["Robin"]}],
            "gender": if i % 2 == 0 { "female" } else { "male" }, "birthDate": "1971-06-12",
            "telecom": [{"system": "phone", "value": "+1 555 0100"}]}),
        ));
        entries.push(put(
            json!({"resourceType": "Coverage", "id": format!("c{i}"),
            "status": "active", "beneficiary": {"reference": format!("Patient/p{i}")},
            "subscriberId": format!("HFS-SUB-{i}"), "payor": [{"display": "Acme Health"}]}),
        ));
        entries.push(put(order(i)));
    }
    json!({"resourceType": "Bundle", "type": "transaction", "entry": entries})
}
