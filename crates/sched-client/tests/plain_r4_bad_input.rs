//! Bad answers from a plain-R4 server (a scripted peer on 127.0.0.1:0): a Slot without a
//! start, an unknown Slot status, a transaction-response with a failed entry and 423 Locked
//! each give a clear error, and nothing is changed behind the desk's back.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{Answer, Recorded, Recorder};
use fhir_model::{BookParams, FindParams, HoldParams};
use sched_client::{ClientError, OrgClient, RetryPolicy};
use serde_json::{Value, json};

fn metadata() -> Value {
    json!({"resourceType": "CapabilityStatement", "status": "active", "kind": "instance",
        "fhirVersion": "4.0.1", "format": ["json"],
        "rest": [{"mode": "server", "interaction": [{"code": "transaction"}], "resource": [
            {"type": "Slot", "interaction": [{"code": "read"}, {"code": "search-type"}, {"code": "patch"}]},
            {"type": "Appointment", "interaction": [{"code": "read"}, {"code": "create"}, {"code": "update"}]}]}]})
}

fn slot(id: &str, start: Option<&str>, status: &str) -> Value {
    let mut s = json!({"resourceType": "Slot", "id": id, "schedule": {"reference": "Schedule/a"},
        "status": status, "end": "2030-01-01T09:15:00Z", "meta": {"versionId": "1"}});
    if let Some(t) = start {
        s["start"] = json!(t);
    }
    s
}

fn searchset(slots: Vec<Value>) -> Value {
    let entries: Vec<Value> = slots
        .into_iter()
        .map(|s| json!({"resource": s, "search": {"mode": "match"}}))
        .collect();
    json!({"resourceType": "Bundle", "type": "searchset", "entry": entries})
}

fn schedule() -> Value {
    json!({"resourceType": "Schedule", "id": "a", "actor": [{"reference": "Practitioner/p1"}]})
}

/// Answers metadata, Schedule/a and Slot/s1 (free, version 1); everything else from `rest`.
fn script(
    rest: impl Fn(&Recorded) -> Answer + Send + Sync + 'static,
) -> impl Fn(&Recorded) -> Answer + Send + Sync + 'static {
    move |r: &Recorded| match (r.method.as_str(), r.path.as_str()) {
        ("GET", p) if p.ends_with("/metadata") => Answer::json(200, metadata()),
        ("GET", p) if p.ends_with("/Schedule/a") => Answer::json(200, schedule()),
        ("GET", p) if p.ends_with("/Slot/s1") => {
            Answer::json(200, slot("s1", Some("2030-01-01T09:00:00Z"), "free"))
                .header("etag", "W/\"1\"")
        }
        _ => rest(r),
    }
}

fn client(rec: &Recorder) -> OrgClient {
    OrgClient::builder(rec.base.clone())
        .name("r4")
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn window() -> FindParams {
    FindParams {
        start: Some("2030-01-01T00:00:00Z".to_owned()),
        end: Some("2030-01-08T00:00:00Z".to_owned()),
        ..FindParams::default()
    }
}

#[tokio::test]
async fn a_slot_without_start_or_with_an_unknown_status_is_malformed() {
    for bad in [
        slot("s1", None, "free"),
        slot("s1", Some("2030-01-01T09:00:00Z"), "maybe"),
    ] {
        let rec = Recorder::start(script(move |_| {
            Answer::json(200, searchset(vec![bad.clone()]))
        }))
        .await;
        let err = client(&rec).find_appointments(&window()).await.unwrap_err();
        assert!(matches!(err, ClientError::Malformed { .. }), "{err:?}");
        let search = &rec.matching("GET", "/Slot")[0];
        let pairs = search.query_pairs();
        assert!(pairs.contains(&("status".to_owned(), "free".to_owned())));
        assert!(pairs.contains(&("start".to_owned(), "ge2030-01-01T00:00:00Z".to_owned())));
        assert!(pairs.contains(&("start".to_owned(), "lt2030-01-08T00:00:00Z".to_owned())));
        assert!(pairs.contains(&("_include".to_owned(), "Slot:schedule".to_owned())));
    }
}

#[tokio::test]
async fn a_locked_slot_is_unavailable_and_the_hold_sends_if_match() {
    let rec = Recorder::start(script(|r| {
        if r.method == "PATCH" {
            return Answer::json(423, json!({"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "lock-error", "diagnostics": "Slot is being edited"}]}));
        }
        Answer::json(404, json!({"resourceType": "OperationOutcome", "issue": []}))
    }))
    .await;
    let held = client(&rec)
        .hold_appointment(&HoldParams {
            appt_id: Some("slots_s1".to_owned()),
            ..Default::default()
        })
        .await;
    match held {
        Err(ClientError::SlotUnavailable {
            outcome: Some(o), ..
        }) => {
            assert!(
                format!("{o:?}").contains("being edited"),
                "the organisation's text is kept"
            );
        }
        other => panic!("{other:?}"),
    }
    let patch = &rec.matching("PATCH", "/Slot/s1")[0];
    assert_eq!(patch.header("if-match"), Some("W/\"1\""));
    assert_eq!(patch.json()[0]["value"], "busy-tentative");
}

#[tokio::test]
async fn a_transaction_response_with_a_failed_entry_is_a_conflict() {
    let rec = Recorder::start(script(|r| {
        if r.method == "POST" {
            return Answer::json(200, json!({"resourceType": "Bundle", "type": "transaction-response", "entry": [
                {"response": {"status": "412 Precondition Failed"}},
                {"response": {"status": "201 Created"}, "resource": {"resourceType": "Appointment", "id": "x", "status": "booked", "participant": []}}]}));
        }
        Answer::json(404, json!({"resourceType": "OperationOutcome", "issue": []}))
    }))
    .await;
    let params = BookParams {
        appt_id: Some("slots_s1".to_owned()),
        patient_id: vec!["Patient/p".to_owned()],
        ..BookParams::default()
    };
    let err = client(&rec)
        .book_appointment(&params, None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::SlotUnavailable { .. }),
        "{err:?}"
    );
    let sent = rec.matching("POST", "/fhir")[0].json();
    assert_eq!(sent["type"], "transaction");
    assert_eq!(sent["entry"][0]["request"]["method"], "PUT");
    assert_eq!(sent["entry"][0]["request"]["ifMatch"], "W/\"1\"");
    assert_eq!(sent["entry"][0]["resource"]["status"], "busy");
    assert_eq!(sent["entry"][1]["request"]["url"], "Appointment");
    assert_eq!(sent["entry"][1]["resource"]["status"], "booked");
    let patient = sent["entry"][1]["resource"]["participant"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["actor"]["reference"] == "Patient/p")
        .cloned()
        .unwrap();
    assert_eq!(patient["status"], "accepted");
}
