//! Every interaction against a sandbox organisation over real HTTP on 127.0.0.1:0, with tokens
//! from smart-auth: capabilities, registration (search, $match, create with de-dup, coverage
//! create/update/refusal), $find → $hold → $book → read → search → cancel, $prefetch.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use chrono::{Duration as Days, Utc};
use fhir_model::terminology::SPECIALTIES;
use fhir_model::{
    BookParams, CodeableConcept, Coverage, CoverageGrouping, FindParams, HoldParams, HumanName,
    Identifier, Patient, PrefetchParams, Reference, Token,
};
use futures::TryStreamExt;
use sched_client::{AppointmentQuery, Interaction, PatchFormat, PatientQuery};
use sched_sandbox::{OrgKind, Sandbox};

fn window(days_from: i64, days_to: i64) -> (String, String) {
    let at = |d| fhir_model::datetime::format_instant(&(Utc::now() + Days::days(d)));
    (at(days_from), at(days_to))
}

fn new_patient() -> Patient {
    Patient {
        identifier: vec![Identifier::new(
            "urn:oid:2.16.840.1.113883.19.5",
            "REF-4471",
        )],
        name: vec![HumanName::new("Okafor", &["Ngozi"])],
        gender: Some("female".to_owned()),
        birth_date: Some("1984-03-09".to_owned()),
        ..Patient::default()
    }
}

#[tokio::test]
async fn every_interaction_against_a_sandbox_organisation() {
    let sandbox = Sandbox::start(common::one_org("derm", OrgKind::Specialty))
        .await
        .unwrap();
    let org = common::connect(&sandbox, "derm", None, |b| b).await;
    let c = &org.client;

    let caps = c.capabilities().await.unwrap();
    for i in [
        Interaction::FindAppointments,
        Interaction::HoldAppointment,
        Interaction::BookAppointment,
        Interaction::PrefetchSlots,
        Interaction::MatchPatient,
        Interaction::CancelAppointment,
    ] {
        assert!(caps.offers(i), "{i:?}");
    }
    assert_eq!(caps.patch_format(), Some(PatchFormat::JsonPatch));
    assert_eq!(caps.fhir_version.as_deref(), Some("3.0.1"));

    // Registration: create (201), create again (the server returns the same patient), search, $match.
    let created = c.create_patient(&new_patient()).await.unwrap();
    assert!(!created.existing);
    let again = c.create_patient(&new_patient()).await.unwrap();
    assert!(again.existing, "the sandbox de-duplicates by identifier");
    assert_eq!(again.id, created.id);
    let q = PatientQuery {
        identifier: Some(Token::new("urn:oid:2.16.840.1.113883.19.5", "REF-4471")),
        ..Default::default()
    };
    let found = c.search_patients(&q, 10).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id.as_deref(), Some(created.id.as_str()));
    let matches = c
        .match_patient(&new_patient(), Some(3), false)
        .await
        .unwrap();
    assert_eq!(matches[0].patient.id.as_deref(), Some(created.id.as_str()));
    assert!(matches[0].grade.is_some());

    // Coverage: create, extend the period (200), change the type (refused with 422).
    let patient_ref = Reference::to(&format!("Patient/{}", created.id));
    let coverage = Coverage {
        meta: Some(fhir_model::Meta {
            profile: vec![fhir_model::urls::PROFILE_ARGO_COVERAGE.to_owned()],
            ..fhir_model::Meta::default()
        }),
        status: Some("active".to_owned()),
        type_: Some(CodeableConcept::coded(
            fhir_model::urls::ACT_CODE,
            "HMO",
            "health maintenance organization policy",
        )),
        beneficiary: Some(patient_ref.clone()),
        subscriber: Some(patient_ref.clone()),
        subscriber_id: Some("SUB-1".to_owned()),
        payor: vec![Reference::with_display(
            "Organization/payer-1",
            "Acme Health",
        )],
        grouping: Some(CoverageGrouping {
            plan: Some("P-1".to_owned()),
            plan_display: Some("Acme Gold".to_owned()),
            ..Default::default()
        }),
        ..Coverage::default()
    };
    let cov = c.create_coverage(&coverage).await.unwrap();
    let mut stored = cov.resource.clone().unwrap();
    stored.period = Some(fhir_model::Period::new("2030-01-01", "2030-12-31"));
    let updated = c.update_coverage(&stored).await.unwrap();
    assert_eq!(
        updated.period.as_ref().and_then(|p| p.end.as_deref()),
        Some("2030-12-31")
    );
    let mut retyped = updated.clone();
    retyped.type_ = Some(CodeableConcept::coded(
        fhir_model::urls::ACT_CODE,
        "PPO",
        "preferred provider organization policy",
    ));
    let err = c.update_coverage(&retyped).await.unwrap_err();
    assert_eq!(err.status(), Some(422), "{err}");
    assert!(err.outcome().is_some());

    // $find → $hold → $book.
    let (start, end) = window(1, 15);
    let params = FindParams {
        start: Some(start.clone()),
        end: Some(end.clone()),
        specialty: vec![SPECIALTIES.token("394582007")],
        patient_reference: vec![format!("Patient/{}", created.id)],
        count: Some(3),
        ..FindParams::default()
    };
    let found = c.find_appointments(&params).await.unwrap();
    assert!(
        !found.proposals.is_empty() && found.proposals.len() <= 3,
        "{}",
        found.proposals.len()
    );
    let proposal = found.proposals[0].clone();
    let held = c
        .hold_appointment(&HoldParams {
            appt_id: proposal.id.clone(),
            appt_resource: None,
        })
        .await
        .unwrap();
    assert_eq!(held.state.status, "pending");
    assert!(held.expires.is_some(), "the sandbox sends Expires");
    let book = BookParams {
        appt_id: Some(held.state.id.clone()),
        patient_id: vec![created.id.clone()],
        comment: Some("referral for a changing mole".to_owned()),
        ..BookParams::default()
    };
    let booked = c
        .book_appointment(&book, proposal.window().as_ref())
        .await
        .unwrap();
    assert_eq!(booked.state.status, "booked");

    // Read back and list.
    let read = c.read_appointment(&booked.state.id).await.unwrap();
    assert_eq!(read.status, "booked");
    let query = AppointmentQuery {
        patient: Some(created.id.clone()),
        status: vec!["booked".to_owned()],
        from: Some(start.clone()),
        ..AppointmentQuery::default()
    };
    let listed: Vec<_> = c
        .search_appointments(&query, 10)
        .try_collect()
        .await
        .unwrap();
    assert!(
        listed
            .iter()
            .any(|a| a.id.as_deref() == Some(booked.state.id.as_str()))
    );

    // Cancel with a reason; the slot is offered again.
    let reason = fhir_model::terminology::CANCEL_REASONS.concept("patient-cancel");
    let cancelled = c.cancel_appointment(&read, Some(&reason)).await.unwrap();
    assert_eq!(cancelled.status, "cancelled");
    assert_eq!(
        cancelled.appointment.status_reason().unwrap().coding[0]
            .code
            .as_deref(),
        Some("patient-cancel")
    );
    let again = c.find_appointments(&params).await.unwrap();
    assert!(
        again.proposals.iter().any(|p| p.start == proposal.start),
        "the cancelled slot is free again"
    );

    // $prefetch.
    let slots = c
        .prefetch_slots(&PrefetchParams {
            start: Some(start),
            end: Some(end),
            ..PrefetchParams::default()
        })
        .await
        .unwrap();
    assert!(slots.slots.iter().all(|s| s.status == "free") && !slots.slots.is_empty());
    assert_eq!(
        org.auth.distinct_tokens(),
        1,
        "one token for the whole flow"
    );
}

#[tokio::test]
async fn a_taken_slot_is_refused_as_slot_unavailable() {
    let sandbox = Sandbox::start(common::one_org("derm", OrgKind::Specialty))
        .await
        .unwrap();
    let org = common::connect(&sandbox, "derm", None, |b| b).await;
    let (start, end) = window(1, 15);
    let params = FindParams {
        start: Some(start),
        end: Some(end),
        count: Some(1),
        ..FindParams::default()
    };
    let p = org
        .client
        .find_appointments(&params)
        .await
        .unwrap()
        .proposals
        .remove(0);
    let hold = HoldParams {
        appt_id: p.id.clone(),
        appt_resource: None,
    };
    org.client.hold_appointment(&hold).await.unwrap();
    let err = org.client.hold_appointment(&hold).await.unwrap_err();
    assert!(err.is_conflict(), "{err:?}");
}
