//! The home referral queue against the sandbox home organisation (`kind = "home"`): its seeded
//! orders arrive page by page with patients and coverages and map to referral input, an
//! unchanged refresh is one request, and two desks claiming one order get one Task.
#![allow(clippy::unwrap_used, reason = "tests")]

use chrono::{Duration, Utc};
use futures::TryStreamExt;
use refdesk_tests::home::{client_token, home_client};
use referral_core::home::mapping::map_order;
use sched_client::home::{Desk, HomeClient, HomeError, OrderPage, OrderQuery};
use sched_sandbox::{OrgConfig, OrgKind, RunningSandbox, Sandbox, SandboxConfig};

const ORG: &str = "home";
const CLIENT: &str = "desk";
const HOME_SCOPES: [&str; 4] = [
    "system/ServiceRequest.rs",
    "system/Task.cruds",
    "system/Patient.rs",
    "system/Coverage.rs",
];
/// Three scenario orders plus the generated ones.
const ORDERS: usize = 3 + 12;

/// The home with its orders, and a token for client `desk` there.
async fn sandbox() -> (RunningSandbox, String) {
    let mut home = OrgConfig::new(ORG, "Mercy General Hospital", OrgKind::Home);
    home.seed.orders = 12;
    let config = SandboxConfig {
        organisations: vec![home],
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    let token = client_token(&sandbox, ORG, CLIENT, &HOME_SCOPES).await;
    (sandbox, token)
}

fn desk(sandbox: &RunningSandbox, token: &str, id: &str) -> HomeClient {
    let desk = Desk::new(id, "clerk", &format!("workstation {id}"));
    home_client(&sandbox.base_url(ORG).unwrap(), token, desk)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_home_queue_is_read_mapped_refreshed_and_claimed_once() {
    let (sandbox, token) = sandbox().await;
    let ann = desk(&sandbox, &token, "d1");
    let bob = desk(&sandbox, &token, "d2");
    let query = OrderQuery {
        page_size: 4,
        ..OrderQuery::default()
    };
    let pages: Vec<OrderPage> = ann.open_orders(&query).try_collect().await.unwrap();
    assert_eq!(pages.len(), 4, "15 orders at 4 a page");
    let orders: Vec<_> = pages.iter().flat_map(|p| &p.orders).collect();
    assert_eq!(orders.len(), ORDERS);
    for order in &orders {
        assert!(order.patient.is_some(), "{} has its patient", order.id());
        assert_eq!(order.coverage.len(), 1, "{} has its coverage", order.id());
        let mapped = map_order(order, Utc::now().date_naive()).unwrap();
        assert!(mapped.patient.mrn.is_some() && mapped.patient.birth_date.is_some());
        assert!(mapped.window.is_some() && mapped.content.note.is_some());
    }

    let since = pages
        .iter()
        .filter_map(|p| p.last_updated.clone())
        .max()
        .unwrap();
    let before = ann.requests_sent();
    let refresh: Vec<OrderPage> = ann
        .open_orders(&OrderQuery::since(&since))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        ann.requests_sent() - before,
        1,
        "an unchanged refresh is one request"
    );
    assert!(refresh.iter().all(|p| p.orders.is_empty()));

    let order = orders.iter().find(|o| o.id() == "sr-1").unwrap();
    let lease = (Utc::now() + Duration::minutes(15)).to_rfc3339();
    let (a, b) = tokio::join!(
        ann.claim(&order.request, &lease),
        bob.claim(&order.request, &lease)
    );
    let (won, lost) = match (a, b) {
        (Ok(t), Err(e)) | (Err(e), Ok(t)) => (t, e),
        other => panic!("exactly one desk must win the claim: {other:?}"),
    };
    assert!(matches!(lost, HomeError::ClaimConflict { .. }), "{lost:?}");
    assert_eq!(
        ann.task_for_order("sr-1").await.unwrap().unwrap().id,
        won.id
    );
}
