//! Exact wire shapes, checked against a recording HTTP server on 127.0.0.1:0: what the client
//! sends for every interaction (methods, paths, query, headers, Parameters value types, PATCH
//! bodies) and that non-idempotent calls go out exactly once.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{Answer, Recorder, appointment, avail_bundle, full_capability};
use fhir_model::{
    BookParams, Coverage, FindParams, HoldParams, HumanName, Identifier, Patient, Token,
};
use sched_client::{OrgClient, PatientQuery};
use serde_json::{Value, json};

const DERM: &str = "http://snomed.info/sct|394582007";

fn client(rec: &Recorder) -> OrgClient {
    OrgClient::builder(rec.base.clone())
        .name("test")
        .build()
        .unwrap()
}

fn param<'a>(body: &'a Value, name: &str) -> Vec<&'a Value> {
    body["parameter"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] == name)
        .collect()
}

fn patient() -> Patient {
    Patient {
        identifier: vec![Identifier::new("urn:oid:1.2.3", "MRN-1")],
        name: vec![HumanName::new("Smith", &["Ann"])],
        gender: Some("female".to_owned()),
        birth_date: Some("1970-01-02".to_owned()),
        ..Patient::default()
    }
}

fn find_params() -> FindParams {
    FindParams {
        start: Some("2030-01-07T08:00:00Z".to_owned()),
        end: Some("2030-01-09T18:00:00Z".to_owned()),
        specialty: vec![Token::parse(DERM).unwrap()],
        visit_type: vec![Token::new(fhir_model::urls::CS_VISIT_TYPE, "new-patient")],
        practitioner: vec!["Practitioner/dr-y".to_owned()],
        location_string: vec!["Napa".to_owned()],
        reason: vec![Token::new("http://snomed.info/sct", "271807003")],
        count: Some(3),
        ..FindParams::default()
    }
}

fn standard(r: &common::Recorded) -> Answer {
    match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/fhir/metadata") => Answer::json(200, full_capability()),
        (_, p) if p.ends_with("$find") => Answer::json(
            200,
            avail_bundle(&[appointment(
                "p1",
                "proposed",
                "2030-01-07T09:00:00Z",
                "2030-01-07T09:15:00Z",
                "Practitioner/dr-y",
            )]),
        ),
        _ => Answer::json(
            404,
            json!({"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "not-found"}]}),
        ),
    }
}

#[tokio::test]
async fn find_by_post_sends_typed_parameters_and_count_in_the_url() {
    let rec = Recorder::start(standard).await;
    let mut params = find_params();
    params.patient_resource = vec![patient()];
    params.coverage = vec![Coverage {
        status: Some("active".to_owned()),
        ..Coverage::default()
    }];
    let found = client(&rec).find_appointments(&params).await.unwrap();
    assert_eq!(found.proposals.len(), 1);
    let sent = rec.matching("POST", "/Appointment/$find");
    assert_eq!(sent.len(), 1, "a resource input forces POST");
    let r = &sent[0];
    assert_eq!(r.query_pairs(), vec![("_count".to_owned(), "3".to_owned())]);
    assert_eq!(r.header("content-type"), Some("application/fhir+json"));
    let body = r.json();
    assert_eq!(body["resourceType"], "Parameters");
    assert_eq!(
        param(&body, "start")[0]["valueDateTime"],
        "2030-01-07T08:00:00Z"
    );
    assert_eq!(
        param(&body, "end")[0]["valueDateTime"],
        "2030-01-09T18:00:00Z"
    );
    assert_eq!(param(&body, "specialty")[0]["valueString"], DERM);
    assert_eq!(
        param(&body, "visit-type")[0]["valueString"],
        "http://fhir.org/guides/argonaut-scheduling/CodeSystem/visit-type|new-patient"
    );
    assert_eq!(
        param(&body, "practitioner")[0]["valueUri"],
        "Practitioner/dr-y"
    );
    assert_eq!(param(&body, "location-string")[0]["valueString"], "Napa");
    assert_eq!(
        param(&body, "reason")[0]["valueString"],
        "http://snomed.info/sct|271807003"
    );
    assert_eq!(
        param(&body, "patient-resource")[0]["resource"]["resourceType"],
        "Patient"
    );
    assert_eq!(
        param(&body, "coverage")[0]["resource"]["resourceType"],
        "Coverage"
    );
    assert!(
        param(&body, "_count").is_empty(),
        "_count belongs in the URL, not the body"
    );
}

#[tokio::test]
async fn find_without_resource_inputs_goes_by_get_unless_post_is_configured() {
    let rec = Recorder::start(standard).await;
    client(&rec)
        .find_appointments(&find_params())
        .await
        .unwrap();
    let get = rec.matching("GET", "/Appointment/$find");
    assert_eq!(get.len(), 1);
    let q = get[0].query_pairs();
    assert!(q.contains(&("specialty".to_owned(), DERM.to_owned())));
    assert!(q.contains(&("practitioner".to_owned(), "Practitioner/dr-y".to_owned())));
    assert!(q.contains(&("_count".to_owned(), "3".to_owned())));

    let post = OrgClient::builder(rec.base.clone())
        .find_method(sched_client::FindMethod::Post)
        .build()
        .unwrap();
    post.find_appointments(&find_params()).await.unwrap();
    let sent = rec.matching("POST", "/Appointment/$find");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].query.as_deref(), Some("_count=3"));
}

#[tokio::test]
async fn find_refuses_a_missing_window_without_sending() {
    let rec = Recorder::start(standard).await;
    let err = client(&rec)
        .find_appointments(&FindParams::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, sched_client::ClientError::InvalidInput(_)),
        "{err}"
    );
    assert!(rec.matching("GET", "$find").is_empty());
}

#[tokio::test]
async fn hold_is_instance_level_with_appt_id_and_reports_the_new_id_and_expiry() {
    let rec = Recorder::start(|r| match r.path.as_str() {
        p if p.ends_with("/$hold") => Answer::json(
            200,
            avail_bundle(&[appointment(
                "held-1",
                "pending",
                "2030-01-07T09:00:00Z",
                "2030-01-07T09:15:00Z",
                "Practitioner/dr-y",
            )]),
        )
        .header("expires", "Mon, 07 Jan 2030 08:10:00 GMT"),
        _ => standard(r),
    })
    .await;
    let params = HoldParams {
        appt_id: Some("p1".to_owned()),
        appt_resource: None,
    };
    let held = client(&rec).hold_appointment(&params).await.unwrap();
    assert_eq!(
        held.state.id, "held-1",
        "the server re-keyed the appointment"
    );
    assert_eq!(held.state.status, "pending");
    assert_eq!(held.state.version.as_deref(), Some("1"));
    let expires = sched_client::parse_http_date("Mon, 07 Jan 2030 08:10:00 GMT").unwrap();
    assert_eq!(held.expires, Some(expires));
    let sent = rec.matching("POST", "/fhir/Appointment/p1/$hold");
    assert_eq!(sent.len(), 1);
    let body = sent[0].json();
    assert_eq!(param(&body, "appt-id")[0]["valueUri"], "Appointment/p1");
    assert_eq!(
        sent[0].header("content-type"),
        Some("application/fhir+json")
    );
}

#[tokio::test]
async fn book_sends_appt_id_cancelled_appt_id_patient_id_and_comment() {
    let rec = Recorder::start(|r| match r.path.as_str() {
        p if p.ends_with("/$book") => Answer::json(
            200,
            avail_bundle(&[appointment(
                "booked-1",
                "booked",
                "2030-01-07T09:00:00Z",
                "2030-01-07T09:15:00Z",
                "Practitioner/dr-y",
            )]),
        ),
        _ => standard(r),
    })
    .await;
    let params = BookParams {
        appt_id: Some("Appointment/held-1".to_owned()),
        cancelled_appt_id: Some("old-7".to_owned()),
        patient_id: vec!["Patient/pat-1".to_owned()],
        comment: Some("wheelchair access".to_owned()),
        ..BookParams::default()
    };
    let booked = client(&rec).book_appointment(&params, None).await.unwrap();
    assert_eq!(booked.state.id, "booked-1");
    let sent = rec.matching("POST", "/fhir/Appointment/held-1/$book");
    assert_eq!(sent.len(), 1);
    let body = sent[0].json();
    assert_eq!(param(&body, "appt-id")[0]["valueUri"], "Appointment/held-1");
    assert_eq!(
        param(&body, "cancelled-appt-id")[0]["valueUri"],
        "Appointment/old-7"
    );
    assert_eq!(param(&body, "patient-id")[0]["valueUri"], "Patient/pat-1");
    assert_eq!(
        param(&body, "comment")[0]["valueString"],
        "wheelchair access"
    );
}

#[tokio::test]
async fn create_patient_never_sends_if_none_exist_and_uses_the_returned_id() {
    let rec = Recorder::start(|r| match (r.method.as_str(), r.path.as_str()) {
        ("POST", "/fhir/Patient") if r.hits == 1 => {
            let mut p = r.json();
            p["id"] = json!("existing-9");
            Answer::json(200, p)
        }
        ("POST", "/fhir/Patient") => Answer::json(201, Value::Null)
            .header("location", "http://127.0.0.1/fhir/Patient/new-4/_history/1"),
        _ => standard(r),
    })
    .await;
    let c = client(&rec);
    let first = c.create_patient(&patient()).await.unwrap();
    assert!(first.existing, "200 = the server already had this patient");
    assert_eq!(first.id, "existing-9");
    let second = c.create_patient(&patient()).await.unwrap();
    assert!(!second.existing);
    assert_eq!(second.id, "new-4", "no body: the id comes from Location");
    assert_eq!(second.version.as_deref(), Some("1"));
    let sent = rec.matching("POST", "/fhir/Patient");
    assert_eq!(sent.len(), 2);
    for r in sent {
        assert!(
            r.header("if-none-exist").is_none(),
            "the IG forbids If-None-Exist"
        );
        assert_eq!(r.json()["resourceType"], "Patient");
        assert!(r.json().get("id").is_none(), "the server chooses the id");
    }
}

#[tokio::test]
async fn create_coverage_posts_the_resource() {
    let rec = Recorder::start(|r| match (r.method.as_str(), r.path.as_str()) {
        ("POST", "/fhir/Coverage") => {
            let mut c = r.json();
            c["id"] = json!("cov-3");
            Answer::json(201, c)
        }
        _ => standard(r),
    })
    .await;
    let cov = Coverage {
        status: Some("active".to_owned()),
        ..Coverage::default()
    };
    let created = client(&rec).create_coverage(&cov).await.unwrap();
    assert_eq!(created.id, "cov-3");
    assert_eq!(created.resource.unwrap().status.as_deref(), Some("active"));
    let sent = rec.matching("POST", "/fhir/Coverage");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].json()["resourceType"], "Coverage");
}

#[tokio::test]
async fn update_coverage_puts_with_if_match() {
    let rec = Recorder::start(|r| match (r.method.as_str(), r.path.as_str()) {
        ("PUT", "/fhir/Coverage/cov-1") => Answer::json(200, r.json()),
        _ => standard(r),
    })
    .await;
    let cov = Coverage {
        id: Some("cov-1".to_owned()),
        meta: Some(fhir_model::Meta {
            version_id: Some("4".to_owned()),
            ..Default::default()
        }),
        status: Some("active".to_owned()),
        ..Coverage::default()
    };
    let updated = client(&rec).update_coverage(&cov).await.unwrap();
    assert_eq!(updated.id.as_deref(), Some("cov-1"));
    let sent = rec.matching("PUT", "/fhir/Coverage/cov-1");
    assert_eq!(sent[0].header("if-match"), Some("W/\"4\""));
}

#[tokio::test]
async fn match_and_search_patients_send_the_documented_shapes() {
    let rec = Recorder::start(|r| match (r.method.as_str(), r.path.as_str()) {
        ("POST", "/fhir/Patient/$match") => Answer::json(200, json!({
            "resourceType": "Bundle", "type": "searchset",
            "entry": [{"resource": {"resourceType": "Patient", "id": "m1"}, "search": {"mode": "match", "score": 0.9,
                "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/match-grade", "valueCode": "certain"}]}}]
        })),
        ("GET", "/fhir/Patient") => Answer::json(200, json!({
            "resourceType": "Bundle", "type": "searchset",
            "entry": [{"resource": {"resourceType": "Patient", "id": "s1"}, "search": {"mode": "match"}}]
        })),
        _ => standard(r),
    })
    .await;
    let c = client(&rec);
    let matches = c.match_patient(&patient(), Some(5), true).await.unwrap();
    assert_eq!(matches[0].patient.id.as_deref(), Some("m1"));
    assert_eq!(matches[0].grade.as_deref(), Some("certain"));
    let body = rec.matching("POST", "/Patient/$match")[0].json();
    assert_eq!(
        param(&body, "resource")[0]["resource"]["resourceType"],
        "Patient"
    );
    assert_eq!(param(&body, "count")[0]["valueInteger"], 5);
    assert_eq!(param(&body, "onlyCertainMatches")[0]["valueBoolean"], true);

    let q = PatientQuery {
        identifier: Some(Token::new("urn:oid:1.2.3", "MRN-1")),
        ..PatientQuery::default()
    };
    let found = c.search_patients(&q, 10).await.unwrap();
    assert_eq!(found[0].id.as_deref(), Some("s1"));
    let sent = rec.matching("GET", "/fhir/Patient");
    assert_eq!(
        sent[0].query_pairs(),
        vec![("identifier".to_owned(), "urn:oid:1.2.3|MRN-1".to_owned())]
    );
}
