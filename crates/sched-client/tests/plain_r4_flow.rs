//! A plain-R4 and an Oracle sandbox organisation over real HTTP on 127.0.0.1:0, with tokens from
//! smart-auth: detection from their R4 CapabilityStatements, Slot search → proposals with
//! synthetic ids, hold/release (nothing left busy-tentative), book, read back, cancel (the slot
//! is free again), conflicts as `SlotUnavailable`, and the request shapes the sandbox received.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use chrono::{Duration as Days, Utc};
use fhir_model::{BookParams, CodeableConcept, FindParams, HoldParams, Token};
use sched_client::{ClientError, Dialect, OrgClient};
use sched_sandbox::config::SandboxDialect;
use sched_sandbox::{OrgKind, Sandbox};

fn config(dialect: SandboxDialect) -> sched_sandbox::SandboxConfig {
    let mut c = common::one_org("derm", OrgKind::Specialty);
    c.organisations[0].dialect = dialect;
    c
}

fn find_params(visit: Option<Token>) -> FindParams {
    let at = |d| fhir_model::datetime::format_instant(&(Utc::now() + Days::days(d)));
    FindParams {
        start: Some(at(1)),
        end: Some(at(14)),
        visit_type: visit.into_iter().collect(),
        count: Some(5),
        ..FindParams::default()
    }
}

async fn first_proposal(c: &OrgClient, visit: Option<Token>) -> String {
    let found = c.find_appointments(&find_params(visit)).await.unwrap();
    assert!(!found.proposals.is_empty());
    let id = found.proposals[0].id.clone().unwrap();
    assert!(id.starts_with("slots_"), "synthetic id: {id}");
    let a = found.proposals[0].appointment().unwrap();
    assert_eq!(a.status, "proposed");
    assert!(!a.slot.is_empty() && a.start.is_some());
    assert!(
        a.participant.iter().any(|p| p
            .actor
            .as_ref()
            .and_then(|r| r.reference.as_deref())
            .is_some_and(|r| r.starts_with("Practitioner/"))),
        "participants from the schedule's actors"
    );
    id
}

fn book(id: &str) -> BookParams {
    BookParams {
        appt_id: Some(id.to_owned()),
        patient_id: vec!["Patient/pat-1".to_owned()],
        ..BookParams::default()
    }
}

#[tokio::test]
async fn plain_r4_find_hold_release_book_read_cancel() {
    let sandbox = Sandbox::start(config(SandboxDialect::PlainR4))
        .await
        .unwrap();
    let org = common::connect(&sandbox, "derm", None, |b| b).await;
    let c = &org.client;
    assert_eq!(c.dialect().await.unwrap().dialect, Dialect::PlainR4);

    let id = first_proposal(c, None).await;
    let held = c
        .hold_appointment(&HoldParams {
            appt_id: Some(id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(held.state.status, "pending");
    assert_eq!(c.read_appointment(&id).await.unwrap().status, "pending");

    // A second desk cannot hold the same time.
    let other = common::connect(&sandbox, "derm", None, |b| b).await;
    let taken = other
        .client
        .hold_appointment(&HoldParams {
            appt_id: Some(id.clone()),
            ..Default::default()
        })
        .await;
    assert!(
        matches!(taken, Err(ClientError::SlotUnavailable { .. })),
        "{taken:?}"
    );

    // Releasing the hold leaves nothing busy-tentative.
    let released = c
        .cancel_appointment(&held.state.appointment, None)
        .await
        .unwrap();
    assert_eq!(released.status, "cancelled");
    assert_eq!(
        c.read_appointment(&id).await.unwrap().status,
        "cancelled",
        "the slot reads free"
    );

    c.hold_appointment(&HoldParams {
        appt_id: Some(id.clone()),
        ..Default::default()
    })
    .await
    .unwrap();
    let booked = c.book_appointment(&book(&id), None).await.unwrap();
    assert_eq!(booked.state.status, "booked");
    assert!(
        !booked.state.id.starts_with("slots_"),
        "a real id: {}",
        booked.state.id
    );
    let read = c.read_appointment(&booked.state.id).await.unwrap();
    assert_eq!(read.status, "booked");
    assert!(read.participant.iter().any(|p| p.actor.as_ref().and_then(|r| r.reference.as_deref()) == Some("Patient/pat-1")));
    assert!(
        c.read_appointment(&id).await.is_err(),
        "a booked slot is no longer a hold"
    );
    let again = other.client.book_appointment(&book(&id), None).await;
    assert!(
        matches!(again, Err(ClientError::SlotUnavailable { .. })),
        "{again:?}"
    );

    let reason = CodeableConcept::text("Patient asked");
    let cancelled = c.cancel_appointment(&read, Some(&reason)).await.unwrap();
    assert_eq!(cancelled.status, "cancelled");
    assert_eq!(
        c.read_appointment(&id).await.unwrap().status,
        "cancelled",
        "the slot is free again"
    );
}

#[tokio::test]
async fn oracle_needs_a_visit_type_and_books_by_post() {
    let sandbox = Sandbox::start(config(SandboxDialect::Oracle))
        .await
        .unwrap();
    let org = common::connect(&sandbox, "derm", None, |b| b).await;
    let c = &org.client;
    let choice = c.dialect().await.unwrap();
    assert_eq!(choice.dialect, Dialect::Oracle, "{}", choice.reason);
    let no_type = c.find_appointments(&find_params(None)).await;
    assert!(
        matches!(no_type, Err(ClientError::VisitTypeRequired)),
        "{no_type:?}"
    );

    let schedule: serde_json::Value = {
        let o = sandbox.organisation("derm").unwrap();
        let s = o.directory.schedules[0].service_type[0].coding[0].clone();
        serde_json::json!({"system": s.system, "code": s.code})
    };
    let visit = Token::new(
        schedule["system"].as_str().unwrap(),
        schedule["code"].as_str().unwrap(),
    );
    let id = first_proposal(c, Some(visit)).await;
    let held = c
        .hold_appointment(&HoldParams {
            appt_id: Some(id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(held.state.status, "pending");
    let booked = c.book_appointment(&book(&id), None).await.unwrap();
    assert_eq!(booked.state.status, "booked");
    let read = c.read_appointment(&booked.state.id).await.unwrap();
    let cancelled = c
        .cancel_appointment(&read, Some(&CodeableConcept::text("Clinic closed")))
        .await
        .unwrap();
    assert_eq!(cancelled.status, "cancelled");
    assert_eq!(
        c.read_appointment(&id).await.unwrap().status,
        "cancelled",
        "the slot is free again"
    );
}
