//! The generic REST operations against an R4 organisation: a sandbox organisation served through
//! the R4 edge (`sched_sandbox::dialect::r4_common::common_routes`) on its own 127.0.0.1:0
//! listener, its R4 statement at `/metadata`. The client sends R4 bodies and reads R4 answers
//! (asserted on the wire by a recording layer) and hands its callers STU3.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use chrono::{Duration as Days, Utc};
use fhir_model::terminology::SPECIALTIES;
use fhir_model::{
    BookParams, CodeableConcept, Coverage, CoverageGrouping, FindParams, HoldParams, HumanName,
    Identifier, Patient, Period, Reference, Token,
};
use futures::TryStreamExt;
use sched_client::{AppointmentQuery, Dialect, Interaction, OrgClient, PatientQuery};
use sched_sandbox::capture::{Capture, maybe_wrap};
use sched_sandbox::dialect::r4_common::{common_routes, r4_metadata_base};
use sched_sandbox::{OrgKind, RunningSandbox, Sandbox};
use serde_json::Value;

/// One exchange as it crossed the wire: method, path, request and answer bodies.
type Seen = Arc<Mutex<Vec<(String, String, Value, Value)>>>;

async fn record(seen: Seen, req: Request, next: Next) -> Response {
    let (method, path) = (req.method().to_string(), req.uri().path().to_owned());
    let (parts, body) = req.into_parts();
    let sent = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let resp = next
        .run(Request::from_parts(parts, Body::from(sent.clone())))
        .await;
    let (parts, body) = resp.into_parts();
    let answer = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let json = |b: &[u8]| serde_json::from_slice(b).unwrap_or(Value::Null);
    seen.lock()
        .unwrap()
        .push((method, path, json(&sent), json(&answer)));
    Response::from_parts(parts, Body::from(answer))
}

/// Serves `org` of `sandbox` through the R4 edge; returns its base and what crossed the wire.
async fn r4_edge(sandbox: &RunningSandbox, org: &str) -> (String, Seen) {
    let o = sandbox.organisation(org).unwrap();
    let statement = serde_json::to_value(r4_metadata_base(&o)).unwrap();
    let fhir = common_routes(o).route(
        "/metadata",
        get(move || {
            let s = statement.clone();
            async move { ([("content-type", "application/fhir+json")], axum::Json(s)) }
        }),
    );
    let seen: Seen = Arc::default();
    let recorder = Arc::clone(&seen);
    let app = Router::new()
        .nest(&format!("/{org}/fhir"), fhir)
        .layer(axum::middleware::from_fn(move |req, next| {
            record(Arc::clone(&recorder), req, next)
        }));
    // Captured (when the schema stage asks for it) as R4, for the R4 check.
    let capture = Capture::from_config_or_env(None).unwrap();
    let app = maybe_wrap(
        app,
        capture.map(|c| c.with_r4_organisations([org.to_owned()])),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/{org}/fhir"), seen)
}

fn sent_to(seen: &Seen, method: &str, path_end: &str) -> Vec<(Value, Value)> {
    seen.lock()
        .unwrap()
        .iter()
        .filter(|(m, p, _, _)| m == method && p.ends_with(path_end))
        .map(|(_, _, sent, answer)| (sent.clone(), answer.clone()))
        .collect()
}

fn patient() -> Patient {
    let mut id = Identifier::new("urn:oid:2.16.840.1.113883.19.5", "R4-0001");
    id.type_ = Some(CodeableConcept::coded(fhir_model::urls::V2_0203, "MR", ""));
    Patient {
        identifier: vec![id],
        name: vec![HumanName::new("Mensah", &["Ama"])],
        gender: Some("female".to_owned()),
        birth_date: Some("1979-11-02".to_owned()),
        ..Patient::default()
    }
}

fn coverage(patient_id: &str) -> Coverage {
    let me = Reference::to(&format!("Patient/{patient_id}"));
    Coverage {
        status: Some("active".to_owned()),
        type_: Some(CodeableConcept::coded(
            fhir_model::urls::ACT_CODE,
            "HMO",
            "",
        )),
        beneficiary: Some(me.clone()),
        subscriber: Some(me),
        subscriber_id: Some("SUB-R4".to_owned()),
        payor: vec![Reference::with_display("Organization/payer-1", "Acme")],
        grouping: Some(CoverageGrouping {
            plan: Some("P-1".to_owned()),
            plan_display: Some("Acme Gold".to_owned()),
            ..Default::default()
        }),
        ..Coverage::default()
    }
}

#[tokio::test]
async fn registration_and_directory_travel_as_r4() {
    let sandbox = Sandbox::start(common::one_org("derm", OrgKind::Specialty))
        .await
        .unwrap();
    let stu3 = common::connect(&sandbox, "derm", None, |b| b).await;
    let (base, seen) = r4_edge(&sandbox, "derm").await;
    let c = OrgClient::builder(base)
        .name("derm-r4")
        .authorizer(stu3.auth.clone())
        .dialect(Some(Dialect::PlainR4))
        .build()
        .unwrap();

    let caps = c.capabilities().await.unwrap();
    assert_eq!(caps.fhir_version.as_deref(), Some("4.0.1"));
    for i in [
        Interaction::MatchPatient,
        Interaction::CreatePatient,
        Interaction::CreateCoverage,
        Interaction::UpdateCoverage,
        Interaction::ReadAppointment,
        Interaction::SearchAppointments,
        Interaction::SearchPractitioners,
    ] {
        assert!(caps.offers(i), "{i:?}");
    }
    assert!(
        !caps.offers(Interaction::FindAppointments),
        "no Argonaut $find"
    );

    let created = c.create_patient(&patient()).await.unwrap();
    let (sent, answer) = sent_to(&seen, "POST", "/Patient").pop().unwrap();
    let r4_mr = "http://terminology.hl7.org/CodeSystem/v2-0203";
    assert_eq!(sent["identifier"][0]["type"]["coding"][0]["system"], r4_mr);
    assert_eq!(
        answer["identifier"][0]["type"]["coding"][0]["system"],
        r4_mr
    );
    let back = created.resource.unwrap();
    assert_eq!(
        back.identifier,
        patient().identifier,
        "the caller sees STU3"
    );

    let q = PatientQuery {
        identifier: Some(Token::new("urn:oid:2.16.840.1.113883.19.5", "R4-0001")),
        ..Default::default()
    };
    let found = c.search_patients(&q, 10).await.unwrap();
    assert_eq!(found[0].id.as_deref(), Some(created.id.as_str()));
    let matches = c.match_patient(&patient(), Some(3), false).await.unwrap();
    assert_eq!(matches[0].patient.id.as_deref(), Some(created.id.as_str()));
    let (sent, _) = sent_to(&seen, "POST", "/Patient/$match").pop().unwrap();
    assert_eq!(
        sent["parameter"][0]["resource"]["identifier"][0]["type"]["coding"][0]["system"],
        r4_mr
    );

    let cov = c.create_coverage(&coverage(&created.id)).await.unwrap();
    let (sent, answer) = sent_to(&seen, "POST", "/Coverage").pop().unwrap();
    for body in [&sent, &answer] {
        assert!(body.get("grouping").is_none(), "{body}");
        assert_eq!(body["class"][0]["type"]["coding"][0]["code"], "plan");
        assert_eq!(body["class"][0]["value"], "P-1");
    }
    let mut stored = cov.resource.unwrap();
    assert_eq!(
        stored.grouping.as_ref().unwrap().plan_display.as_deref(),
        Some("Acme Gold")
    );
    stored.period = Some(Period::new("2030-01-01", "2030-12-31"));
    let updated = c.update_coverage(&stored).await.unwrap();
    assert_eq!(updated.period.unwrap().end.as_deref(), Some("2030-12-31"));
    assert_eq!(updated.grouping, stored.grouping);
    let (sent, _) = sent_to(&seen, "PUT", &format!("/Coverage/{}", cov.id))
        .pop()
        .unwrap();
    assert_eq!(sent["class"][0]["name"], "Acme Gold");

    let practitioners = c.search_practitioners(100).await.unwrap();
    assert!(!practitioners.is_empty());
    let locations = c.search_locations(100).await.unwrap();
    assert!(!locations.is_empty());
}

#[tokio::test]
async fn appointments_booked_elsewhere_read_and_search_through_r4() {
    let sandbox = Sandbox::start(common::one_org("derm", OrgKind::Specialty))
        .await
        .unwrap();
    let stu3 = common::connect(&sandbox, "derm", None, |b| b).await;
    let s = &stu3.client;
    let pid = s.create_patient(&patient()).await.unwrap().id;
    let at = |d| fhir_model::datetime::format_instant(&(Utc::now() + Days::days(d)));
    let params = FindParams {
        start: Some(at(1)),
        end: Some(at(15)),
        specialty: vec![SPECIALTIES.token("394582007")],
        patient_reference: vec![format!("Patient/{pid}")],
        count: Some(1),
        ..FindParams::default()
    };
    let proposal = s.find_appointments(&params).await.unwrap().proposals[0].clone();
    let held = s
        .hold_appointment(&HoldParams {
            appt_id: proposal.id.clone(),
            appt_resource: None,
        })
        .await
        .unwrap();
    let book = BookParams {
        appt_id: Some(held.state.id.clone()),
        patient_id: vec![pid.clone()],
        ..BookParams::default()
    };
    let booked = s
        .book_appointment(&book, proposal.window().as_ref())
        .await
        .unwrap();
    let reason = fhir_model::terminology::CANCEL_REASONS.concept("patient-cancel");
    let as_stu3 = s.read_appointment(&booked.state.id).await.unwrap();
    s.cancel_appointment(&as_stu3, Some(&reason)).await.unwrap();
    let cancelled_stu3 = s.read_appointment(&booked.state.id).await.unwrap();

    let (base, seen) = r4_edge(&sandbox, "derm").await;
    let c = OrgClient::builder(base)
        .authorizer(stu3.auth.clone())
        .dialect(Some(Dialect::PlainR4))
        .build()
        .unwrap();
    let read = c.read_appointment(&booked.state.id).await.unwrap();
    let (_, answer) = sent_to(&seen, "GET", &format!("/Appointment/{}", booked.state.id))
        .pop()
        .unwrap();
    assert_eq!(
        answer["cancelationReason"]["coding"][0]["code"],
        "patient-cancel"
    );
    assert!(answer.get("extension").is_none(), "{answer}");
    assert_eq!(
        read, cancelled_stu3,
        "the R4 read gives the caller the STU3 appointment"
    );

    let query = AppointmentQuery {
        patient: Some(pid),
        ..AppointmentQuery::default()
    };
    let listed: Vec<_> = c
        .search_appointments(&query, 10)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed, vec![cancelled_stu3]);
}
