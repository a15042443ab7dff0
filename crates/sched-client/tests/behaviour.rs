//! How the client behaves when servers differ or fail, against a recording server on
//! 127.0.0.1:0: patch formats, capability detection, refusals, 401 refresh, read retries with
//! Retry-After, no blind retries of $hold/$book with read-back, paging.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::{
    Answer, CountingAuthorizer, Recorder, Sequence, appointment, avail_bundle, capability,
    full_capability,
};
use fhir_model::{Appointment, BookParams, CodeableConcept, HoldParams};
use futures::StreamExt;
use sched_client::{
    AppointmentQuery, ClientError, Interaction, OrgClient, Readback, RetryPolicy, Window,
};
use serde_json::{Value, json};

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(10),
        ..RetryPolicy::default()
    }
}

fn client(rec: &Recorder) -> OrgClient {
    OrgClient::builder(rec.base.clone())
        .retry(fast_retry())
        .build()
        .unwrap()
}

fn booked_appt() -> Appointment {
    serde_json::from_value(json!({
        "resourceType": "Appointment", "id": "a1", "status": "booked", "meta": {"versionId": "3"},
        "start": "2030-01-07T09:00:00Z", "end": "2030-01-07T09:15:00Z",
        "participant": [{"actor": {"reference": "Patient/pat-1"}, "status": "accepted"}]
    }))
    .unwrap()
}

fn reason() -> CodeableConcept {
    CodeableConcept::coded(
        fhir_model::urls::CS_STATUS_REASON,
        "patient-cancel",
        "Patient cancelled",
    )
}

fn patched(r: &common::Recorded) -> Answer {
    let mut a = serde_json::to_value(booked_appt()).unwrap();
    a["status"] = json!("cancelled");
    if r.method == "PATCH" {
        Answer::json(200, a)
    } else {
        Answer::json(404, Value::Null)
    }
}

#[tokio::test]
async fn cancel_uses_json_patch_with_the_status_reason_and_if_match() {
    let rec = Recorder::start(|r| match r.path.as_str() {
        "/fhir/metadata" => Answer::json(200, full_capability()),
        _ => patched(r),
    })
    .await;
    let done = client(&rec)
        .cancel_appointment(&booked_appt(), Some(&reason()))
        .await
        .unwrap();
    assert_eq!(done.status, "cancelled");
    let sent = rec.matching("PATCH", "/fhir/Appointment/a1");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].header("content-type"),
        Some("application/json-patch+json")
    );
    assert_eq!(sent[0].header("if-match"), Some("W/\"3\""));
    let ext = json!({"url": fhir_model::urls::EXT_STATUS_REASON, "valueCodeableConcept": {
        "coding": [{"system": fhir_model::urls::CS_STATUS_REASON, "code": "patient-cancel", "display": "Patient cancelled"}]}});
    assert_eq!(
        sent[0].json(),
        json!([
            {"op": "replace", "path": "/status", "value": "cancelled"},
            {"op": "add", "path": "/extension", "value": [ext]}
        ])
    );
}

#[tokio::test]
async fn cancel_falls_back_to_fhirpath_patch_when_json_patch_is_not_declared() {
    let rec = Recorder::start(|r| match r.path.as_str() {
        "/fhir/metadata" => Answer::json(200, capability(&["find"], &["application/fhir+json"])),
        _ => patched(r),
    })
    .await;
    client(&rec)
        .cancel_appointment(&booked_appt(), Some(&reason()))
        .await
        .unwrap();
    let sent = &rec.matching("PATCH", "/fhir/Appointment/a1")[0];
    assert_eq!(sent.header("content-type"), Some("application/fhir+json"));
    let body = sent.json();
    assert_eq!(body["resourceType"], "Parameters");
    let first = &body["parameter"][0];
    assert_eq!(first["name"], "operation");
    assert_eq!(
        first["part"][0],
        json!({"name": "type", "valueCode": "replace"})
    );
    assert_eq!(
        first["part"][1],
        json!({"name": "path", "valueString": "Appointment.status"})
    );
    assert_eq!(
        first["part"][2],
        json!({"name": "value", "valueCode": "cancelled"})
    );
    assert_eq!(body["parameter"][1]["part"][0]["valueCode"], "add");
}

#[tokio::test]
async fn an_interaction_the_server_lacks_is_unsupported_and_never_sent() {
    let rec = Recorder::start(|r| match r.path.as_str() {
        "/fhir/metadata" => Answer::json(200, capability(&["find", "book"], &[])),
        _ => Answer::json(500, Value::Null),
    })
    .await;
    let c = client(&rec);
    let err = c
        .hold_appointment(&HoldParams {
            appt_id: Some("p1".to_owned()),
            appt_resource: None,
        })
        .await
        .unwrap_err();
    assert!(err.is_unsupported());
    assert_eq!(
        err.to_string(),
        "this organisation does not offer holds ($hold)"
    );
    let err = c
        .cancel_appointment(&booked_appt(), None)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        ClientError::Unsupported {
            interaction: Interaction::CancelAppointment
        }
    ));
    let caps = c.capabilities().await.unwrap();
    assert!(caps.offers(Interaction::BookAppointment) && !caps.offers(Interaction::PrefetchSlots));
    assert_eq!(caps.fhir_version.as_deref(), Some("3.0.1"));
    assert_eq!(rec.requests().len(), 1, "only /metadata, once (cached)");
}

#[tokio::test]
async fn a_cancelled_appointment_in_a_200_answer_is_a_refusal() {
    let rec = Recorder::start(|r| match r.path.as_str() {
        "/fhir/metadata" => Answer::json(200, full_capability()),
        _ => {
            let oo = json!({"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "conflict",
                "details": {"text": "slot already taken"}}]});
            let mut b = avail_bundle(&[appointment("p1", "cancelled", "2030-01-07T09:00:00Z", "2030-01-07T09:15:00Z", "Practitioner/x")]);
            b["entry"].as_array_mut().unwrap().push(json!({"resource": oo, "search": {"mode": "outcome"}}));
            Answer::json(200, b)
        }
    })
    .await;
    let err = client(&rec)
        .book_appointment(
            &BookParams {
                appt_id: Some("p1".to_owned()),
                ..BookParams::default()
            },
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::SlotUnavailable { .. }), "{err}");
    assert!(err.is_conflict());
    assert!(err.to_string().contains("slot already taken"), "{err}");
}

#[tokio::test]
async fn hold_is_not_retried_after_a_500_and_the_read_back_decides() {
    let rec = Recorder::start(|r| match (r.method.as_str(), r.path.as_str()) {
        (_, "/fhir/metadata") => Answer::json(200, full_capability()),
        ("POST", _) => Answer::json(500, Value::Null),
        ("GET", "/fhir/Appointment/p1") => Answer::json(
            200,
            appointment(
                "p1",
                "proposed",
                "2030-01-07T09:00:00Z",
                "2030-01-07T09:15:00Z",
                "Practitioner/x",
            ),
        ),
        _ => Answer::json(404, Value::Null),
    })
    .await;
    let err = client(&rec)
        .hold_appointment(&HoldParams {
            appt_id: Some("p1".to_owned()),
            appt_resource: None,
        })
        .await
        .unwrap_err();
    match &err {
        ClientError::Ambiguous {
            readback: Readback::NotApplied,
            interaction: Interaction::HoldAppointment,
            ..
        } => {}
        other => panic!("expected a read-back showing the hold was not applied, got {other:?}"),
    }
    assert_eq!(
        rec.matching("POST", "$hold").len(),
        1,
        "never retried blindly"
    );
}

#[tokio::test]
async fn a_timed_out_book_is_read_back_and_found_booked_under_a_new_id() {
    let rec = Recorder::start(|r| match (r.method.as_str(), r.path.as_str()) {
        (_, "/fhir/metadata") => Answer::json(200, full_capability()),
        ("POST", _) => Answer::json(200, Value::Null).delayed(Duration::from_millis(800)),
        ("GET", "/fhir/Appointment/p1") => Answer::json(404, Value::Null),
        ("GET", "/fhir/Appointment") => Answer::json(
            200,
            avail_bundle(&[appointment(
                "b9",
                "booked",
                "2030-01-07T09:00:00Z",
                "2030-01-07T09:15:00Z",
                "Patient/pat-1",
            )]),
        ),
        _ => Answer::json(404, Value::Null),
    })
    .await;
    let c = OrgClient::builder(rec.base.clone())
        .timeout(Duration::from_millis(300))
        .retry(fast_retry())
        .build()
        .unwrap();
    let window = Window {
        start: "2030-01-07T09:00:00Z".to_owned(),
        end: "2030-01-07T09:15:00Z".to_owned(),
    };
    let params = BookParams {
        appt_id: Some("p1".to_owned()),
        patient_id: vec!["pat-1".to_owned()],
        ..BookParams::default()
    };
    let err = c
        .book_appointment(&params, Some(&window))
        .await
        .unwrap_err();
    let ClientError::Ambiguous { readback, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        readback.appointment().and_then(|a| a.id.as_deref()),
        Some("b9")
    );
    assert_eq!(
        rec.matching("POST", "$book").len(),
        1,
        "never retried blindly"
    );
    let search = &rec.matching("GET", "/fhir/Appointment")[0];
    let q = search.query_pairs();
    assert!(q.contains(&("patient".to_owned(), "Patient/pat-1".to_owned())));
    assert!(q.contains(&("date".to_owned(), "ge2030-01-07T09:00:00Z".to_owned())));
    assert!(q.contains(&("status".to_owned(), "booked".to_owned())));
}

#[tokio::test]
async fn a_401_gets_one_fresh_token_and_one_retry_even_for_book() {
    let rec = Recorder::start(|r| match r.header("authorization") {
        Some("Bearer t1") => Answer::json(401, Value::Null),
        _ if r.path == "/fhir/metadata" => Answer::json(200, full_capability()),
        _ => Answer::json(
            200,
            avail_bundle(&[appointment(
                "b1",
                "booked",
                "2030-01-07T09:00:00Z",
                "2030-01-07T09:15:00Z",
                "Practitioner/x",
            )]),
        ),
    })
    .await;
    let auth = CountingAuthorizer::new(Sequence::default());
    let c = OrgClient::builder(rec.base.clone())
        .authorizer(auth.clone())
        .build()
        .unwrap();
    let booked = c
        .book_appointment(
            &BookParams {
                appt_id: Some("p1".to_owned()),
                ..BookParams::default()
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(booked.state.id, "b1");
    assert_eq!(
        auth.forced.load(Ordering::SeqCst),
        1,
        "one forced refresh (on /metadata)"
    );
    assert_eq!(
        rec.matching("POST", "$book").len(),
        1,
        "the fresh token was used straight away"
    );
    assert_eq!(auth.distinct_tokens(), 2);
}

#[tokio::test]
async fn a_second_401_is_reported_as_unauthorized() {
    let rec = Recorder::start(|_| Answer::json(401, Value::Null)).await;
    let auth = CountingAuthorizer::new(Sequence::default());
    let c = OrgClient::builder(rec.base.clone())
        .authorizer(auth.clone())
        .build()
        .unwrap();
    let err = c.read_capabilities().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(
        rec.requests().len(),
        2,
        "one retry with a fresh token, no more"
    );
}

#[tokio::test]
async fn reads_are_retried_honouring_retry_after_then_give_up() {
    let rec = Recorder::start(|r| match (r.path.as_str(), r.hits) {
        ("/fhir/metadata", 1) => Answer::json(429, Value::Null).header("retry-after", "1"),
        ("/fhir/metadata", 2) => Answer::json(503, Value::Null),
        ("/fhir/metadata", _) => Answer::json(200, full_capability()),
        _ => Answer::json(503, Value::Null),
    })
    .await;
    let c = client(&rec);
    let started = Instant::now();
    c.read_capabilities().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was honoured"
    );
    assert_eq!(rec.matching("GET", "/metadata").len(), 3);
    let err = c.read_appointment("a1").await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        rec.matching("GET", "/Appointment/a1").len(),
        3,
        "bounded: max_attempts = 3"
    );
}

#[tokio::test]
async fn appointment_search_pages_through_next_links_up_to_the_limit() {
    let rec = Recorder::start(|r| {
        if r.path == "/fhir/metadata" {
            return Answer::json(200, full_capability());
        }
        let page: usize = r.query_pairs().iter().find(|(k, _)| k == "page").map_or(1, |(_, v)| v.parse().unwrap());
        let appts: Vec<Value> = (0..2)
            .map(|i| appointment(&format!("a{page}-{i}"), "booked", "2030-01-07T09:00:00Z", "2030-01-07T09:15:00Z", "Patient/p"))
            .collect();
        let mut b = avail_bundle(&appts);
        let host = r.header("host").unwrap();
        b["link"] = json!([{"relation": "next", "url": format!("http://{host}/fhir/Appointment?page={}", page + 1)}]);
        Answer::json(200, b)
    })
    .await;
    let query = AppointmentQuery {
        patient: Some("p".to_owned()),
        status: vec!["booked".to_owned()],
        ..Default::default()
    };
    let ids: Vec<String> = client(&rec)
        .search_appointments(&query, 5)
        .map(|a| a.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["a1-0", "a1-1", "a2-0", "a2-1", "a3-0"]);
    assert_eq!(
        rec.matching("GET", "/fhir/Appointment").len(),
        3,
        "no page fetched beyond the limit"
    );
}

#[tokio::test]
async fn a_next_link_to_another_server_is_refused() {
    let rec = Recorder::start(|r| {
        if r.path == "/fhir/metadata" {
            return Answer::json(200, full_capability());
        }
        let mut b = avail_bundle(&[]);
        b["link"] = json!([{"relation": "next", "url": "https://elsewhere.example/fhir/Appointment?page=2"}]);
        Answer::json(200, b)
    })
    .await;
    let query = AppointmentQuery {
        practitioner: Some("dr".to_owned()),
        ..Default::default()
    };
    let items: Vec<_> = client(&rec).search_appointments(&query, 10).collect().await;
    assert!(
        matches!(items.as_slice(), [Err(ClientError::Malformed { .. })]),
        "{items:?}"
    );
}

#[tokio::test]
async fn a_lost_create_is_read_back_by_identifier() {
    let rec = Recorder::start(|r| match (r.method.as_str(), r.path.as_str()) {
        (_, "/fhir/metadata") => Answer::json(200, full_capability()),
        ("POST", "/fhir/Patient") => Answer::json(201, r.json()).delayed(Duration::from_millis(800)),
        ("GET", "/fhir/Patient") => Answer::json(200, json!({"resourceType": "Bundle", "type": "searchset",
            "entry": [{"resource": {"resourceType": "Patient", "id": "made-1",
                "identifier": [{"system": "urn:oid:9", "value": "X-1"}]}, "search": {"mode": "match"}}]})),
        _ => Answer::json(404, Value::Null),
    })
    .await;
    let c = OrgClient::builder(rec.base.clone())
        .timeout(Duration::from_millis(300))
        .retry(fast_retry())
        .build()
        .unwrap();
    let patient = fhir_model::Patient {
        identifier: vec![fhir_model::Identifier::new("urn:oid:9", "X-1")],
        ..fhir_model::Patient::default()
    };
    let err = c.create_patient(&patient).await.unwrap_err();
    let ClientError::Ambiguous {
        readback: Readback::Confirmed(found),
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(found.id(), Some("made-1"));
    assert_eq!(
        rec.matching("POST", "/fhir/Patient").len(),
        1,
        "a create is never sent twice"
    );
    let search = &rec.matching("GET", "/fhir/Patient")[0];
    assert_eq!(
        search.query_pairs(),
        vec![("identifier".to_owned(), "urn:oid:9|X-1".to_owned())]
    );
}

#[tokio::test]
async fn a_client_built_appointment_is_held_at_type_level() {
    let rec = Recorder::start(|r| match (r.method.as_str(), r.path.as_str()) {
        (_, "/fhir/metadata") => Answer::json(200, full_capability()),
        ("POST", "/fhir/Appointment/$hold") => Answer::json(
            201,
            appointment(
                "argo-appt-1",
                "pending",
                "2030-01-07T09:00:00Z",
                "2030-01-07T09:15:00Z",
                "Practitioner/x",
            ),
        )
        .header(
            "location",
            "http://127.0.0.1/fhir/Appointment/argo-appt-1/_history/1",
        ),
        _ => Answer::json(404, Value::Null),
    })
    .await;
    let appt: Appointment = serde_json::from_value(appointment(
        "ignored",
        "proposed",
        "2030-01-07T09:00:00Z",
        "2030-01-07T09:15:00Z",
        "Practitioner/x",
    ))
    .unwrap();
    let held = client(&rec)
        .hold_appointment(&HoldParams {
            appt_id: None,
            appt_resource: Some(appt),
        })
        .await
        .unwrap();
    assert_eq!(held.state.id, "argo-appt-1");
    assert_eq!(
        held.expires, None,
        "no Expires header: the caller must assume a short hold"
    );
    let body = rec.matching("POST", "/fhir/Appointment/$hold")[0].json();
    assert_eq!(body["parameter"][0]["name"], "appt-resource");
    assert_eq!(
        body["parameter"][0]["resource"]["resourceType"],
        "Appointment"
    );
}
