//! The order → referral mapping: a complete order fills every field, a thin one lists what to
//! ask, and bad orders are typed errors.
#![allow(clippy::unwrap_used, reason = "tests")]

use chrono::NaiveDate;
use fhir_model::r4;
use sched_client::home::Order;
use serde_json::json;

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn order_json() -> serde_json::Value {
    json!({"resourceType": "ServiceRequest", "id": "sr1", "status": "active", "intent": "order",
        "priority": "urgent",
        "subject": {"reference": "Patient/p1"},
        "occurrencePeriod": {"start": "2026-11-29", "end": "2026-12-07"},
        "requester": {"reference": "Practitioner/dr1", "display": "Dr Ada Jones",
                      "identifier": {"system": NPI_SYSTEM, "value": "1234567893"}},
        "performerType": {"coding": [{"system": "http://snomed.info/sct", "code": "394582007"}]},
        "performer": [{"reference": "Organization/o1", "display": "North Dermatology"}],
        "reasonCode": [{"coding": [{"system": "http://snomed.info/sct", "code": "271807003"}],
                        "text": "itchy rash"}],
        "insurance": [{"reference": "Coverage/c1"}],
        "note": [{"text": "prefers mornings"}], "patientInstruction": "bring photos"})
}

fn patient() -> r4::Patient {
    serde_json::from_value(json!({"resourceType": "Patient", "id": "p1",
        "identifier": [{"type": {"coding": [{"code": "MR"}]}, "system": "urn:mrn", "value": "MRN1"}],
        "name": [{"family": "Lee", "given": ["Sam", "J"]}], "gender": "female",
        "birthDate": "1980-02-03", "telecom": [{"system": "phone", "value": "555 0100"}]}))
    .unwrap()
}

fn coverage() -> r4::Coverage {
    serde_json::from_value(
        json!({"resourceType": "Coverage", "id": "c1", "status": "active",
        "subscriberId": "SUB1", "payor": [{"display": "Acme Health"}],
        "class": [{"type": {"coding": [{"system":
            "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "plan"}]},
            "value": "gold", "name": "Gold plan"}]}),
    )
    .unwrap()
}

fn order(body: serde_json::Value, patient: Option<r4::Patient>) -> Order {
    Order {
        request: serde_json::from_value(body).unwrap(),
        patient,
        coverage: vec![coverage()],
    }
}

#[test]
fn a_complete_order_fills_every_field_and_only_the_referrer_phone_is_asked() {
    let mapped = map_order(&order(order_json(), Some(patient())), today()).unwrap();
    assert_eq!(mapped.missing, [Missing::ReferrerPhone]);
    assert_eq!(mapped.patient.mrn.as_deref(), Some("MRN1"));
    assert_eq!(mapped.patient.given, ["Sam", "J"]);
    assert_eq!(mapped.patient.phone.as_deref(), Some("555 0100"));
    assert_eq!(mapped.priority, Priority::Urgent);
    assert_eq!(mapped.specialty.as_ref().unwrap().code, "394582007");
    let window = mapped.window.unwrap();
    assert_eq!(
        window.start,
        today(),
        "a period starting in the past starts today"
    );
    assert_eq!(mapped.content.due_by, NaiveDate::from_ymd_opt(2026, 12, 7));
    assert_eq!(mapped.reason.as_deref(), Some("itchy rash"));
    assert_eq!(
        mapped.content.reason_code.as_ref().unwrap().code,
        "271807003"
    );
    let referrer = mapped.content.referrer.as_ref().unwrap();
    assert_eq!(
        (referrer.name.as_str(), referrer.npi.as_deref()),
        ("Dr Ada Jones", Some("1234567893"))
    );
    assert_eq!(
        mapped.content.note.as_deref(),
        Some("prefers mornings\nbring photos")
    );
    assert_eq!(
        mapped.performer.as_ref().unwrap().1.as_deref(),
        Some("North Dermatology")
    );
    let cov = mapped.coverage.as_ref().unwrap();
    assert_eq!(
        (cov.payor.as_str(), cov.subscriber_id.as_str()),
        ("Acme Health", "SUB1")
    );
    assert_eq!(cov.plan_name.as_deref(), Some("Gold plan"));
    assert_eq!(
        mapped.to_input(vec!["derm".into()]).unwrap_err(),
        [Missing::ReferrerPhone]
    );

    let mut asked = mapped.clone();
    asked.content.referrer.as_mut().unwrap().phone = "555 0199".into();
    asked.missing.clear();
    let input = asked.to_input(vec!["derm".into()]).unwrap();
    assert_eq!(input.patient.family, "Lee");
    assert_eq!(input.window, window);
}

#[test]
fn a_thin_order_lists_what_the_desk_must_ask() {
    let body = json!({"resourceType": "ServiceRequest", "id": "sr2", "status": "active",
        "intent": "order", "subject": {"reference": "Patient/p2"}});
    let thin: r4::Patient =
        serde_json::from_value(json!({"resourceType": "Patient", "id": "p2"})).unwrap();
    let mut o = order(body, Some(thin));
    o.coverage.clear();
    let mapped = map_order(&o, today()).unwrap();
    for m in [
        Missing::PatientName,
        Missing::BirthDate,
        Missing::Gender,
        Missing::Mrn,
        Missing::Specialty,
        Missing::Window,
    ] {
        assert!(mapped.missing.contains(&m), "{m:?} is asked for");
    }
    assert_eq!(
        mapped.priority,
        Priority::Routine,
        "no priority means routine"
    );
    assert!(mapped.coverage.is_none());
    assert!(mapped.to_input(vec!["x".into()]).is_err());
}

#[test]
fn the_specialty_comes_from_a_pick_list_reason_when_no_performer_type_is_given() {
    let mut body = order_json();
    body.as_object_mut().unwrap().remove("performerType");
    let mapped = map_order(&order(body, Some(patient())), today()).unwrap();
    assert!(mapped.specialty.is_some());
    assert!(!mapped.missing.contains(&Missing::Specialty));
}

#[test]
fn bad_orders_are_typed_errors_naming_the_order() {
    let mut no_subject = order_json();
    no_subject.as_object_mut().unwrap().remove("subject");
    assert!(
        matches!(map_order(&order(no_subject, Some(patient())), today()),
        Err(OrderError::NoPatient { order_id }) if order_id == "sr1")
    );
    assert!(matches!(
        map_order(&order(order_json(), None), today()),
        Err(OrderError::PatientNotSent { .. })
    ));
    let mut priority = order_json();
    priority["priority"] = json!("whenever");
    let err = map_order(&order(priority, Some(patient())), today()).unwrap_err();
    assert!(matches!(
        &err,
        OrderError::UnknownCode {
            element: "priority",
            ..
        }
    ));
    assert!(err.to_string().contains("whenever"));
    let mut performer = order_json();
    performer["performerType"] =
        json!({"coding": [{"system": "http://snomed.info/sct", "code": "999"}]});
    assert!(matches!(
        map_order(&order(performer, Some(patient())), today()),
        Err(OrderError::UnknownCode {
            element: "performer type",
            ..
        })
    ));
    let mut done = order_json();
    done["status"] = json!("completed");
    assert!(matches!(
        map_order(&order(done, Some(patient())), today()),
        Err(OrderError::NotOpen { .. })
    ));
}
