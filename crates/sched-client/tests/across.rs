//! `find_across` and ranking: answers arrive as each organisation finishes, a slow or failing
//! organisation is reported beside the others' results, and the merged list is ordered by start,
//! then preference, then organisation order.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::time::{Duration, Instant};

use common::{Answer, Recorder, appointment, avail_bundle, full_capability};
use fhir_model::{FindParams, Token};
use futures::StreamExt;
use sched_client::{
    Availability, ClientError, OrgClient, RetryPolicy, find_across, merge_ranked, rank,
};
use serde_json::{Value, json};

fn params() -> FindParams {
    FindParams {
        start: Some("2030-01-07T00:00:00Z".to_owned()),
        end: Some("2030-01-08T00:00:00Z".to_owned()),
        practitioner: vec![
            "Practitioner/first".to_owned(),
            "Practitioner/second".to_owned(),
        ],
        ..FindParams::default()
    }
}

async fn org(name: &str, delay: Duration, find: Answer) -> (Recorder, OrgClient) {
    let rec = Recorder::start(move |r| {
        if r.path == "/fhir/metadata" {
            Answer::json(200, full_capability())
        } else {
            find.clone().delayed(delay)
        }
    })
    .await;
    let client = OrgClient::builder(rec.base.clone())
        .name(name)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    (rec, client)
}

fn one(id: &str, start: &str, practitioner: &str) -> Answer {
    Answer::json(
        200,
        avail_bundle(&[appointment(
            id,
            "proposed",
            start,
            "2030-01-07T23:00:00Z",
            practitioner,
        )]),
    )
}

#[tokio::test]
async fn answers_arrive_as_they_come_and_a_slow_or_failing_org_does_not_hold_back_the_others() {
    let (_a, fast) = org(
        "fast",
        Duration::ZERO,
        one("f1", "2030-01-07T10:00:00Z", "Practitioner/second"),
    )
    .await;
    let (_b, slow) = org(
        "slow",
        Duration::from_secs(5),
        one("s1", "2030-01-07T09:00:00Z", "Practitioner/first"),
    )
    .await;
    let oo = json!({"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "exception",
        "details": {"text": "scheduler offline"}}]});
    let (_c, failing) = org("failing", Duration::from_millis(100), Answer::json(500, oo)).await;
    let (_d, medium) = org(
        "medium",
        Duration::from_millis(300),
        one("m1", "2030-01-07T10:00:00Z", "Practitioner/first"),
    )
    .await;

    let started = Instant::now();
    let orgs = [fast, slow, failing, medium];
    let mut stream = Box::pin(find_across(&orgs, &params(), Duration::from_millis(1500)));
    let mut events = Vec::new();
    let mut arrival = Vec::new();
    while let Some(e) = stream.next().await {
        arrival.push((e.org.clone(), started.elapsed()));
        events.push(e);
    }
    let order: Vec<&str> = arrival.iter().map(|(o, _)| o.as_str()).collect();
    assert_eq!(
        order,
        ["fast", "failing", "medium", "slow"],
        "completion order"
    );
    assert!(
        arrival[0].1 < Duration::from_millis(1000),
        "the fast answer did not wait for the slow one"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the slow org was cut off at its timeout"
    );

    let slow_event = events.iter().find(|e| e.org == "slow").unwrap();
    assert!(matches!(slow_event.result, Err(ClientError::Timeout(_))));
    let failing_event = events.iter().find(|e| e.org == "failing").unwrap();
    let err = failing_event.result.as_ref().unwrap_err();
    assert!(err.to_string().contains("scheduler offline"), "{err}");

    let ranked = merge_ranked(&events, &params());
    let ids: Vec<&str> = ranked
        .iter()
        .map(|r| r.proposal.id.as_deref().unwrap())
        .collect();
    // Same start 10:00: Practitioner/first is preferred over /second, whatever the org order.
    assert_eq!(ids, ["m1", "f1"]);
    assert_eq!(ranked[0].org, "medium");
    // The full Appointment is there when wanted.
    let full = ranked[0].proposal.appointment().unwrap();
    assert_eq!(full.id.as_deref(), Some("m1"));
    assert_eq!(
        ranked[0].proposal.window().unwrap().start,
        "2030-01-07T10:00:00Z"
    );
}

fn availability(appts: &[Value]) -> Availability {
    Availability::from_json(avail_bundle(appts).to_string().as_bytes()).unwrap()
}

#[test]
fn ranking_is_earliest_first_then_preference_then_org_order() {
    let mut p = params();
    p.specialty = vec![
        Token::new("http://snomed.info/sct", "394582007"),
        Token::new("http://snomed.info/sct", "419772000"),
    ];
    let mut derm = appointment(
        "o1-derm",
        "proposed",
        "2030-01-07T10:00:00Z",
        "2030-01-07T10:15:00Z",
        "Practitioner/x",
    );
    derm["specialty"] =
        json!([{"coding": [{"system": "http://snomed.info/sct", "code": "394582007"}]}]);
    let mut family = appointment(
        "o1-fam",
        "proposed",
        "2030-01-07T10:00:00Z",
        "2030-01-07T10:15:00Z",
        "Practitioner/x",
    );
    family["specialty"] =
        json!([{"coding": [{"system": "http://snomed.info/sct", "code": "419772000"}]}]);
    let org0 = availability(&[
        family,
        derm,
        appointment(
            "o1-late",
            "proposed",
            "2030-01-07T15:00:00Z",
            "2030-01-07T15:15:00Z",
            "Practitioner/first",
        ),
        json!({"resourceType": "Appointment", "id": "o1-nostart", "status": "proposed"}),
    ]);
    let org1 = availability(&[
        appointment(
            "o2-early",
            "proposed",
            "2030-01-07T08:00:00-05:00",
            "2030-01-07T08:15:00-05:00",
            "Practitioner/y",
        ),
        appointment(
            "o2-same",
            "proposed",
            "2030-01-07T10:00:00Z",
            "2030-01-07T10:15:00Z",
            "Practitioner/x",
        ),
    ]);
    let ranked = rank([(0, "zero", &org0), (1, "one", &org1)], &p);
    let ids: Vec<&str> = ranked
        .iter()
        .map(|r| r.proposal.id.as_deref().unwrap())
        .collect();
    // 08:00-05:00 is 13:00Z, so it comes after the 10:00Z group and before 15:00Z.
    assert_eq!(
        ids,
        [
            "o1-derm",
            "o1-fam",
            "o2-same",
            "o2-early",
            "o1-late",
            "o1-nostart"
        ]
    );
}
