//! The IHE ITI Scheduling (R4) and Epic (STU3 variant) dialects against sandbox organisations
//! speaking them, over real HTTP with smart-auth tokens: detection from `/metadata`, the IG use
//! cases (new patient with coverage, existing patient, hold/book or book directly, conflict,
//! read back, cancel), the request shapes the organisation received, and bad answers.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use chrono::{Duration as Days, Utc};
use common::{Answer, Recorder};
use fhir_model::terminology::SPECIALTIES;
use fhir_model::{
    BookParams, Coverage, FindParams, HoldParams, HumanName, Identifier, Patient, Reference,
};
use sched_client::{ClientError, Dialect, OrgClient};
use sched_sandbox::{OrgKind, Sandbox, SandboxDialect};
use serde_json::{Value, json};

fn window() -> (String, String) {
    let at = |d| fhir_model::datetime::format_instant(&(Utc::now() + Days::days(d)));
    (at(1), at(15))
}

fn patient(mrn: &str) -> Patient {
    Patient {
        identifier: vec![Identifier::new("urn:oid:2.16.840.1.113883.19.5", mrn)],
        name: vec![HumanName::new("Okafor", &["Ngozi"])],
        gender: Some("female".to_owned()),
        birth_date: Some("1984-03-09".to_owned()),
        ..Patient::default()
    }
}

async fn sandbox(dialect: SandboxDialect) -> sched_sandbox::RunningSandbox {
    let mut config = common::one_org("derm", OrgKind::Specialty);
    config.organisations[0].dialect = dialect;
    Sandbox::start(config).await.unwrap()
}

/// The last body the organisation received for `operation`.
fn last(sandbox: &sched_sandbox::RunningSandbox, operation: &str) -> Value {
    let org = sandbox.organisation("derm").unwrap();
    org.received.of(operation).unwrap().pop().unwrap()
}

fn param<'a>(body: &'a Value, name: &str) -> &'a Value {
    body["parameter"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {body}"))
}

fn names(body: &Value) -> Vec<&str> {
    let list = body["parameter"].as_array().unwrap();
    list.iter().filter_map(|p| p["name"].as_str()).collect()
}

#[tokio::test]
async fn ihe_organisation_finds_holds_books_and_cancels_with_r4_parameter_types() {
    let sandbox = sandbox(SandboxDialect::IheIti).await;
    let c = common::connect(&sandbox, "derm", None, |b| b).await.client;
    let choice = c.dialect().await.unwrap();
    assert_eq!(choice.dialect, Dialect::IheIti, "{}", choice.reason);

    // New patient with coverage: patient-resource and insurance-reference in the $find.
    let (start, end) = window();
    let mut params = FindParams {
        start: Some(start.clone()),
        end: Some(end),
        specialty: vec![SPECIALTIES.token("394582007")],
        patient_resource: vec![patient("IHE-1")],
        coverage: vec![Coverage {
            status: Some("active".to_owned()),
            payor: vec![Reference::with_display(
                "Organization/payer-1",
                "Acme Health",
            )],
            identifier: vec![Identifier::new("urn:oid:1.2.3", "COV-9")],
            ..Coverage::default()
        }],
        referral_identifier: Some(Identifier::new("urn:ietf:rfc:3986", "urn:uuid:1234")),
        timing: Some(json!({ "repeat": { "dayOfWeek": ["mon", "tue"], "when": ["MORN"] } })),
        count: Some(3),
        ..FindParams::default()
    };
    let found = c.find_appointments(&params).await.unwrap();
    assert!(!found.proposals.is_empty() && found.proposals.len() <= 3);
    let sent = last(&sandbox, "find");
    assert_eq!(param(&sent, "start")["valueDateTime"], start.as_str());
    assert!(
        param(&sent, "specialty")["valueString"]
            .as_str()
            .unwrap()
            .contains('|')
    );
    assert_eq!(
        param(&sent, "patient-resource")["resource"]["resourceType"],
        "Patient"
    );
    assert_eq!(
        param(&sent, "insurance-reference")["valueReference"]["display"],
        "Acme Health"
    );
    assert_eq!(
        param(&sent, "referral-identifier")["valueIdentifier"]["value"],
        "urn:uuid:1234"
    );
    assert_eq!(param(&sent, "_count")["valueInteger"], 3);
    assert_eq!(
        param(&sent, "timing")["valueTiming"]["repeat"]["when"][0],
        "MORN"
    );
    assert!(
        !names(&sent).contains(&"coverage"),
        "IHE has no coverage input"
    );

    // Existing patient: registered through the R4 REST, then patient-reference.
    let created = c.create_patient(&patient("IHE-1")).await.unwrap();
    params.patient_resource.clear();
    params.coverage.clear();
    params.patient_reference = vec![format!("Patient/{}", created.id)];
    let found = c.find_appointments(&params).await.unwrap();
    let sent = last(&sandbox, "find");
    assert_eq!(
        param(&sent, "patient-reference")["valueReference"]["reference"],
        format!("Patient/{}", created.id).as_str()
    );

    // ITI-116 hold, ITI-117 book.
    let proposal = found.proposals[0].clone();
    let hold = HoldParams {
        appt_id: proposal.id.clone(),
        appt_resource: None,
    };
    let held = c.hold_appointment(&hold).await.unwrap();
    assert_eq!(held.state.status, "pending");
    let sent = last(&sandbox, "hold");
    assert_eq!(names(&sent), ["appointment-reference"]);
    assert!(param(&sent, "appointment-reference")["valueReference"]["reference"].is_string());
    let book = BookParams {
        appt_id: Some(held.state.id.clone()),
        patient_id: vec![created.id.clone()],
        comment: Some("changing mole".to_owned()),
        ..BookParams::default()
    };
    let booked = c
        .book_appointment(&book, proposal.window().as_ref())
        .await
        .unwrap();
    assert_eq!(booked.state.status, "booked");
    let sent = last(&sandbox, "book");
    assert_eq!(
        param(&sent, "patient-resource")["resource"]["id"],
        created.id.as_str()
    );
    assert_eq!(param(&sent, "comment")["valueString"], "changing mole");

    // ITI-118: the patient's appointments, read as R4 and converted.
    let query = sched_client::AppointmentQuery {
        patient: Some(created.id.clone()),
        ..sched_client::AppointmentQuery::default()
    };
    let listed: Vec<_> = futures::TryStreamExt::try_collect(c.search_appointments(&query, 10))
        .await
        .unwrap();
    assert!(
        listed
            .iter()
            .any(|a| a.id.as_deref() == Some(booked.state.id.as_str()))
    );

    // The same time again: a Bundle with only an OperationOutcome → taken meanwhile.
    let again = BookParams {
        appt_id: proposal.id.clone(),
        ..book.clone()
    };
    let err = c.book_appointment(&again, None).await.unwrap_err();
    assert!(matches!(err, ClientError::SlotUnavailable { .. }), "{err}");

    // Retrieve (R4 read converted), then cancel through $book with the resource cancelled.
    let read = c.read_appointment(&booked.state.id).await.unwrap();
    assert_eq!(read.status, "booked");
    let reason = fhir_model::terminology::CANCEL_REASONS.concept("patient-cancel");
    let cancelled = c.cancel_appointment(&read, Some(&reason)).await.unwrap();
    assert_eq!(cancelled.status, "cancelled");
    let sent = last(&sandbox, "book");
    let resource = &param(&sent, "appointment-resource")["resource"];
    assert_eq!(resource["status"], "cancelled");
    assert!(
        resource["cancelationReason"].is_object(),
        "R4 element: {resource}"
    );
    let again = c.find_appointments(&params).await.unwrap();
    assert!(
        again.proposals.iter().any(|p| p.start == proposal.start),
        "slot free again"
    );
}

#[tokio::test]
async fn epic_organisation_books_directly_with_its_own_parameter_names() {
    let sandbox = sandbox(SandboxDialect::Epic).await;
    let c = common::connect(&sandbox, "derm", None, |b| b).await.client;
    let choice = c.dialect().await.unwrap();
    assert_eq!(choice.dialect, Dialect::Epic, "{}", choice.reason);

    let created = c.create_patient(&patient("EPIC-1")).await.unwrap();
    let (start, end) = window();
    let params = FindParams {
        start: Some(start.clone()),
        end: Some(end),
        visit_type: vec![fhir_model::terminology::VISIT_TYPES.token("consult")],
        patient_reference: vec![format!("Patient/{}", created.id)],
        count: Some(3),
        ..FindParams::default()
    };
    let found = c.find_appointments(&params).await.unwrap();
    let sent = last(&sandbox, "find");
    assert_eq!(param(&sent, "startTime")["valueDateTime"], start.as_str());
    assert!(param(&sent, "endTime")["valueDateTime"].is_string());
    assert!(param(&sent, "service-type")["valueCodeableConcept"]["coding"][0]["code"].is_string());
    assert_eq!(
        param(&sent, "patient")["valueIdentifier"]["value"],
        created.id.as_str()
    );
    assert!(!names(&sent).contains(&"start"));

    assert!(!found.proposals.is_empty(), "{:?}", found.outcomes);
    // No hold: refused locally, then book directly.
    let proposal = found.proposals[0].clone();
    let hold = HoldParams {
        appt_id: proposal.id.clone(),
        appt_resource: None,
    };
    let err = c.hold_appointment(&hold).await.unwrap_err();
    assert!(err.is_unsupported(), "{err}");
    let book = BookParams {
        appt_id: proposal.id.clone(),
        patient_id: vec![created.id.clone()],
        comment: Some("first visit".to_owned()),
        ..BookParams::default()
    };
    let booked = c
        .book_appointment(&book, proposal.window().as_ref())
        .await
        .unwrap();
    assert_eq!(booked.state.status, "booked");
    let sent = last(&sandbox, "book");
    assert_eq!(
        param(&sent, "appointment")["valueIdentifier"]["value"],
        proposal.id.as_deref().unwrap()
    );
    assert_eq!(
        param(&sent, "patient")["valueIdentifier"]["value"],
        created.id.as_str()
    );
    assert_eq!(
        param(&sent, "appointmentNote")["valueString"],
        "first visit"
    );
    let err = c.book_appointment(&book, None).await.unwrap_err();
    assert!(matches!(err, ClientError::SlotUnavailable { .. }), "{err}");

    // Retrieve and cancel (PATCH, as Argonaut).
    let read = c.read_appointment(&booked.state.id).await.unwrap();
    let cancelled = c.cancel_appointment(&read, None).await.unwrap();
    assert_eq!(cancelled.status, "cancelled");
}

/// An IHE organisation (R4 statement with IHE's canonicals) answering badly.
fn bad_ihe(r: &common::Recorded) -> Answer {
    match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/fhir/metadata") => Answer::json(
            200,
            json!({
                "resourceType": "CapabilityStatement", "status": "active", "kind": "instance",
                "fhirVersion": "4.0.1", "format": ["json"],
                "rest": [{"mode": "server", "resource": [{"type": "Appointment", "operation": [
                    {"name": "find", "definition": "https://profiles.ihe.net/ITI/Scheduling/OperationDefinition/appointment-find"},
                    {"name": "book", "definition": "https://profiles.ihe.net/ITI/Scheduling/OperationDefinition/appointment-book"}]}]}]
            }),
        ),
        (_, p) if p.ends_with("$find") => Answer::json(
            200,
            json!({
                "resourceType": "Bundle", "type": "searchset", "entry": [{"resource":
                    {"resourceType": "Appointment", "id": "p1", "status": "proposed", "participant": []}}]
            }),
        ),
        _ => Answer::json(
            200,
            json!({
                "resourceType": "Bundle", "type": "searchset", "entry": [{"resource":
                    {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "conflict",
                     "diagnostics": "the time was booked by someone else"}]}}]
            }),
        ),
    }
}

#[tokio::test]
async fn ihe_answers_without_a_start_or_with_only_an_outcome_are_clear_errors() {
    let rec = Recorder::start(bad_ihe).await;
    let c = OrgClient::builder(rec.base.clone())
        .name("bad")
        .retry(sched_client::RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(c.dialect().await.unwrap().dialect, Dialect::IheIti);
    let (start, end) = window();
    let params = FindParams {
        start: Some(start),
        end: Some(end),
        ..FindParams::default()
    };
    let err = c.find_appointments(&params).await.unwrap_err();
    assert!(err.to_string().contains("no start time"), "{err}");
    let book = BookParams {
        appt_id: Some("p1".to_owned()),
        ..BookParams::default()
    };
    let err = c.book_appointment(&book, None).await.unwrap_err();
    assert!(matches!(err, ClientError::SlotUnavailable { .. }), "{err}");
    assert!(err.to_string().contains("booked by someone else"), "{err}");
}
