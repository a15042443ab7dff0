//! The home referral queue against helios-hfs as the home EHR: orders seeded there are read page
//! by page with their patients and coverages and mapped to referral input, an unchanged refresh is one request returning
//! nothing, two desks claiming one order at once get one Task (the loser is told who holds it),
//! and an expired lease is taken over with `If-Match`. Skips with a notice when
//! `../shared/tools` is absent (fails under `CI`).
#![allow(clippy::unwrap_used, reason = "tests")]

use chrono::{Duration, Utc};
use futures::TryStreamExt;
use refdesk_tests::hfs::Hfs;
use refdesk_tests::home::home_client;
use referral_core::home::mapping::{Missing, map_order};
use sched_client::home::{Desk, HomeClient, HomeError, OrderPage, OrderQuery};
use sched_sandbox::{OrgConfig, OrgKind, RunningSandbox, Sandbox, SandboxConfig};
use serde_json::{Value, json};

const ORG: &str = "home";
/// The scopes CONTRACT11 gives a desk at its home.
const HOME_SCOPES: [&str; 4] = [
    "system/ServiceRequest.rs",
    "system/Task.cruds",
    "system/Patient.rs",
    "system/Coverage.rs",
];
const ORDERS: usize = 5;

async fn sandbox() -> RunningSandbox {
    let mut org = OrgConfig::new(ORG, "Home Hospital", OrgKind::Specialty);
    org.seed.horizon_weeks = 1;
    let config = SandboxConfig {
        organisations: vec![org],
        ..SandboxConfig::default()
    };
    Sandbox::start(config).await.unwrap()
}

fn put(resource: Value) -> Value {
    let url = format!(
        "{}/{}",
        resource["resourceType"].as_str().unwrap(),
        resource["id"].as_str().unwrap()
    );
    json!({"resource": resource, "request": {"method": "PUT", "url": url}})
}

fn order(i: usize, category: &str, status: &str) -> Value {
    let due = (Utc::now() + Duration::days(7))
        .format("%Y-%m-%d")
        .to_string();
    json!({"resourceType": "ServiceRequest", "id": format!("sr{i}"), "status": status,
        "intent": "order",
        "category": [{"coding": [{"system": "http://snomed.info/sct", "code": category}]}],
        "priority": if i.is_multiple_of(2) { "urgent" } else { "routine" },
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "306206005",
                             "display": "Referral to service"}]},
        "subject": {"reference": format!("Patient/p{i}")},
        "occurrencePeriod": {"start": Utc::now().format("%Y-%m-%d").to_string(), "end": due},
        "requester": {"reference": "Practitioner/dr1", "display": "Dr Ada Jones"},
        "performerType": {"coding": [{"system": "http://snomed.info/sct", "code": "419772000",
                                      "display": "Family practice"}]},
        "reasonCode": [{"coding": [{"system": "http://snomed.info/sct", "code": "271807003",
                                    "display": "Eruption of skin"}], "text": "rash"}],
        "insurance": [{"reference": format!("Coverage/c{i}")}],
        "note": [{"text": format!("order {i}")}]})
}

/// Patients, coverages and referral orders (plus one order of another category and one draft,
/// which the queue must not show), in one transaction.
fn seed_bundle() -> Value {
    let mut entries = Vec::new();
    for i in 0..ORDERS + 2 {
        entries.push(put(json!({"resourceType": "Patient", "id": format!("p{i}"),
            "identifier": [{"system": "urn:oid:1.2.36.146.595.217.0.1", "value": format!("MRN{i}")}],
            "name": [{"family": format!("Lee{i}"), "given": ["Sam"]}],
            "gender": "female", "birthDate": "1980-02-03",
            "telecom": [{"system": "phone", "value": "+61 3 5555 0100"}]})));
        entries.push(put(
            json!({"resourceType": "Coverage", "id": format!("c{i}"),
            "status": "active", "beneficiary": {"reference": format!("Patient/p{i}")},
            "subscriberId": format!("SUB{i}"), "payor": [{"display": "Acme Health"}],
            "class": [{"type": {"coding": [{"system":
                "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "plan"}]},
                "value": "gold", "name": "Gold plan"}]}),
        ));
    }
    for i in 0..ORDERS {
        entries.push(put(order(i, "3457005", "active")));
    }
    entries.push(put(order(ORDERS, "363679005", "active")));
    entries.push(put(order(ORDERS + 1, "3457005", "draft")));
    json!({"resourceType": "Bundle", "type": "transaction", "entry": entries})
}

/// hfs seeded with the orders, or `None` (skipped) when the shared tools are absent.
async fn home() -> Option<(RunningSandbox, Hfs)> {
    let sandbox = sandbox().await;
    let hfs = Hfs::start(&sandbox, ORG).await?;
    hfs.seed(&seed_bundle()).await;
    Some((sandbox, hfs))
}

async fn desk(hfs: &Hfs, id: &str, user: &str) -> HomeClient {
    let token = hfs.token(&HOME_SCOPES).await;
    home_client(
        &hfs.base,
        &token,
        Desk::new(id, user, &format!("workstation {id}")),
    )
}

async fn all_pages(client: &HomeClient, query: &OrderQuery) -> Vec<OrderPage> {
    client.open_orders(query).try_collect().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_orders_arrive_page_by_page_with_patient_and_coverage_and_an_unchanged_refresh_is_one_request()
 {
    let Some((_sandbox, hfs)) = home().await else {
        return;
    };
    let client = desk(&hfs, "d1", "Ann").await;
    let query = OrderQuery {
        page_size: 2,
        ..OrderQuery::default()
    };
    let pages = all_pages(&client, &query).await;
    assert!(
        pages.len() >= 3,
        "5 orders at 2 a page: {} pages",
        pages.len()
    );
    let mut ids: Vec<String> = pages
        .iter()
        .flat_map(|p| &p.orders)
        .map(|o| o.id().to_owned())
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        ["sr0", "sr1", "sr2", "sr3", "sr4"],
        "only active referral orders"
    );
    for order in pages.iter().flat_map(|p| &p.orders) {
        let n = &order.id()[2..];
        let patient = order
            .patient
            .as_ref()
            .expect("the order's patient is included");
        assert_eq!(patient.id.as_deref(), Some(format!("p{n}").as_str()));
        assert_eq!(order.coverage.len(), 1, "the order's coverage is included");
        assert_eq!(
            order.coverage[0].subscriber_id.as_deref(),
            Some(format!("SUB{n}").as_str())
        );
        let mapped = map_order(order, Utc::now().date_naive()).unwrap();
        assert_eq!(
            mapped.patient.mrn.as_deref(),
            Some(format!("MRN{n}").as_str())
        );
        assert_eq!(mapped.specialty.as_ref().unwrap().code, "419772000");
        assert_eq!(
            mapped.coverage.as_ref().unwrap().plan_name.as_deref(),
            Some("Gold plan")
        );
        assert_eq!(
            mapped.content.note.as_deref(),
            Some(format!("order {n}").as_str())
        );
        assert_eq!(
            mapped.missing,
            [Missing::ReferrerPhone],
            "nothing else is retyped"
        );
    }
    let since = pages
        .iter()
        .filter_map(|p| p.last_updated.clone())
        .max()
        .unwrap();
    let before = client.requests_sent();
    let refresh = all_pages(&client, &OrderQuery::since(&since)).await;
    assert_eq!(
        client.requests_sent() - before,
        1,
        "an unchanged refresh is one request"
    );
    assert!(
        refresh.iter().all(|p| p.orders.is_empty()),
        "and returns nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desks_claiming_one_order_get_one_task_and_an_expired_lease_is_taken_over() {
    let Some((_sandbox, hfs)) = home().await else {
        return;
    };
    let ann = desk(&hfs, "d1", "Ann").await;
    let bob = desk(&hfs, "d2", "Bob").await;
    let pages = all_pages(&ann, &OrderQuery::default()).await;
    let order = pages
        .iter()
        .flat_map(|p| &p.orders)
        .find(|o| o.id() == "sr1")
        .unwrap();
    let lease = (Utc::now() + Duration::minutes(15)).to_rfc3339();

    let (a, b) = tokio::join!(
        ann.claim(&order.request, &lease),
        bob.claim(&order.request, &lease)
    );
    let (winner, loser, won, lost) = match (a, b) {
        (Ok(t), Err(e)) => (&ann, &bob, t, e),
        (Err(e), Ok(t)) => (&bob, &ann, t, e),
        other => panic!("exactly one desk must win the claim: {other:?}"),
    };
    let HomeError::ClaimConflict {
        owner, lease_end, ..
    } = &lost
    else {
        panic!("the loser is told the order is claimed: {lost:?}");
    };
    assert_eq!(owner.as_deref(), Some(winner.desk().display.as_str()));
    assert!(lease_end.is_some());
    assert!(lost.to_string().contains(&winner.desk().display), "{lost}");
    let task = ann.task_for_order("sr1").await.unwrap().unwrap();
    assert_eq!(task.id, won.id, "exactly one Task for the order");
    assert_eq!(task.status, "accepted");
    assert_eq!(
        task.focus.as_ref().unwrap().reference.as_deref(),
        Some("ServiceRequest/sr1")
    );
    assert_eq!(
        task.for_.as_ref().unwrap().reference.as_deref(),
        Some("Patient/p1")
    );

    // Claiming again from the winner returns its own claim, not a second Task.
    let again = winner.claim(&order.request, &lease).await.unwrap();
    assert_eq!(again.id, won.id);

    // The winner's workstation dies: its lease runs out, and the other desk takes over.
    let mut expired = won.clone();
    expired.status = "in-progress".to_owned();
    expired.set_lease_end(&(Utc::now() - Duration::minutes(1)).to_rfc3339());
    let expired = winner.update_task(&expired).await.unwrap();
    let taken = loser.claim(&order.request, &lease).await.unwrap();
    assert_eq!(taken.id, won.id, "the same Task changes owner");
    assert!(loser.desk().owns(&taken));

    // The old owner's stale copy is refused by If-Match and names the new owner.
    let mut stale = expired;
    stale.status = "completed".to_owned();
    let refused = winner.update_task(&stale).await.unwrap_err();
    match &refused {
        HomeError::ClaimConflict { owner, .. } => {
            assert_eq!(owner.as_deref(), Some(loser.desk().display.as_str()));
        }
        other => panic!("a stale update is a claim conflict: {other:?}"),
    }
    let now = ann.task_for_order("sr1").await.unwrap().unwrap();
    assert_eq!(now.status, "accepted", "the refused update changed nothing");
}
