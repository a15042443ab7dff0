//! The queue's refresh and re-read against both homes, the sandbox home organisation and
//! helios-hfs: `HomeClient::changes` asks for changed orders (any status) and changed claims
//! in one request, an unchanged refresh returns nothing, a claim made elsewhere, a released
//! claim taken over and an order revoked at home all arrive in the next refresh, and
//! `read_order` answers `None` once the home deleted the order. Two desks racing for many
//! orders at once end with one live claim per order. hfs parts skip with a notice when
//! `../shared/tools` is absent (fail under `CI`).
#![allow(clippy::unwrap_used, reason = "tests")]

use chrono::{Duration, Utc};
use futures::future::join_all;
use refdesk_tests::hfs::Hfs;
use refdesk_tests::home::{client_token, home_client};
use sched_client::home::{Desk, HomeClient};
use sched_sandbox::{OrgConfig, OrgKind, Sandbox, SandboxConfig};
use serde_json::{Value, json};

const HOME_SCOPES: [&str; 4] = [
    "system/ServiceRequest.rs",
    "system/Task.cruds",
    "system/Patient.rs",
    "system/Coverage.rs",
];
/// What a clinician's system at home may do to orders (revoke, delete) in these tests.
const CLINIC_SCOPES: [&str; 2] = ["system/ServiceRequest.cruds", "system/Patient.rs"];
const LONG_AGO: &str = "2000-01-01T00:00:00Z";

/// One home under test: its FHIR base, tokens, and the orders it holds.
struct Home {
    base: String,
    desk_token: String,
    clinic_token: String,
    /// Referral orders of any status (what a refresh from long ago returns).
    orders: usize,
    /// Whether the home includes coverages (`ServiceRequest:insurance`): hfs does not, and a
    /// refresh with changed orders then reads them with one more request.
    includes_coverage: bool,
    order_ids: Vec<String>,
    _keep: Vec<Box<dyn std::any::Any>>,
}

impl Home {
    fn desk(&self, id: &str) -> HomeClient {
        let desk = Desk::new(id, "clerk", &format!("workstation {id}"));
        home_client(&self.base, &self.desk_token, desk)
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> (u16, Value) {
        let r = req.bearer_auth(&self.clinic_token).send().await.unwrap();
        let status = r.status().as_u16();
        let body = r.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base.trim_end_matches('/'))
    }

    /// A clinician changes the order's status at home.
    async fn set_status(&self, id: &str, status: &str) {
        let http = reqwest::Client::new();
        let (_, mut order) = self
            .send(http.get(self.url(&format!("ServiceRequest/{id}"))))
            .await;
        order["status"] = json!(status);
        let put = http
            .put(self.url(&format!("ServiceRequest/{id}")))
            .header("content-type", "application/fhir+json")
            .body(order.to_string());
        let (code, body) = self.send(put).await;
        assert_eq!(code, 200, "{body}");
    }

    async fn delete(&self, id: &str) {
        let http = reqwest::Client::new();
        let req = http.delete(self.url(&format!("ServiceRequest/{id}")));
        let (code, body) = self.send(req).await;
        assert!(code == 200 || code == 204, "{code} {body}");
    }
}

/// The sandbox home organisation with its 3 scenario and 5 generated orders; `batch` = whether
/// it offers batch Bundles.
async fn sandbox_home(batch: bool) -> Home {
    let mut org = OrgConfig::new("home", "Mercy General Hospital", OrgKind::Home);
    org.seed.orders = 5;
    org.faults.batch_not_supported = !batch;
    let config = SandboxConfig {
        organisations: vec![org],
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    Home {
        base: sandbox.base_url("home").unwrap(),
        desk_token: client_token(&sandbox, "home", "desk", &HOME_SCOPES).await,
        clinic_token: client_token(&sandbox, "home", "clinic", &CLINIC_SCOPES).await,
        orders: 8,
        includes_coverage: true,
        order_ids: (1..=8).map(|n| format!("sr-{n}")).collect(),
        _keep: vec![Box::new(sandbox)],
    }
}

fn put(resource: Value) -> Value {
    let url = format!(
        "{}/{}",
        resource["resourceType"].as_str().unwrap(),
        resource["id"].as_str().unwrap()
    );
    json!({"resource": resource, "request": {"method": "PUT", "url": url}})
}

/// `n` referral orders at hfs, each with its patient and coverage, in one transaction.
fn hfs_seed(n: usize) -> Value {
    let mut entries = Vec::new();
    for i in 0..n {
        entries.push(put(
            json!({"resourceType": "Patient", "id": format!("p{i}"),
            "name": [{"family": format!("Lee{i}"), "given": ["Sam"]}],
            "gender": "female", "birthDate": "1980-02-03"}),
        ));
        entries.push(put(
            json!({"resourceType": "Coverage", "id": format!("c{i}"),
            "status": "active", "beneficiary": {"reference": format!("Patient/p{i}")},
            "subscriberId": format!("SUB{i}"), "payor": [{"display": "Acme Health"}]}),
        ));
        entries.push(put(
            json!({"resourceType": "ServiceRequest", "id": format!("sr{i}"),
            "status": "active", "intent": "order",
            "category": [{"coding": [{"system": "http://snomed.info/sct", "code": "3457005"}]}],
            "subject": {"reference": format!("Patient/p{i}")},
            "insurance": [{"reference": format!("Coverage/c{i}")}]}),
        ));
    }
    json!({"resourceType": "Bundle", "type": "transaction", "entry": entries})
}

/// helios-hfs as the home with 8 orders, or `None` (skipped) without the shared tools.
async fn hfs_home() -> Option<Home> {
    let mut org = OrgConfig::new("home", "Home Hospital", OrgKind::Specialty);
    org.seed.horizon_weeks = 1;
    let config = SandboxConfig {
        organisations: vec![org],
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    let hfs = Hfs::start(&sandbox, "home").await?;
    hfs.seed(&hfs_seed(8)).await;
    Some(Home {
        base: hfs.base.clone(),
        desk_token: hfs.token(&HOME_SCOPES).await,
        clinic_token: hfs.token(&CLINIC_SCOPES).await,
        orders: 8,
        includes_coverage: false,
        order_ids: (0..8).map(|n| format!("sr{n}")).collect(),
        _keep: vec![Box::new(hfs), Box::new(sandbox)],
    })
}

fn lease() -> String {
    (Utc::now() + Duration::minutes(15)).to_rfc3339()
}

/// The whole refresh story against one home; `batch` = whether it lists `batch`.
async fn refresh_story(home: &Home, batch: bool) {
    let ann = home.desk("d1");
    let bob = home.desk("d2");
    let (offered, read) = ann.offers_batch().await.unwrap();
    assert_eq!(offered, batch, "what the CapabilityStatement lists");
    assert!(read, "the statement is read once");
    let per_refresh = if batch { 1 } else { 2 };
    let coverage = u32::from(!home.includes_coverage);

    let all = ann.changes(LONG_AGO).await.unwrap();
    assert_eq!(all.orders.len(), home.orders);
    assert_eq!(all.requests, per_refresh + coverage, "one refresh request");
    assert!(
        all.orders
            .iter()
            .all(|o| o.patient.is_some() && o.coverage.len() == 1)
    );
    let since = all.last_updated.clone().unwrap();

    let unchanged = ann.changes(&since).await.unwrap();
    assert_eq!(
        unchanged.requests, per_refresh,
        "an unchanged refresh is one request"
    );
    assert!(unchanged.orders.is_empty() && unchanged.tasks.is_empty());
    assert!(unchanged.last_updated.is_none(), "and returns nothing new");

    // Ann claims an order: Bob's next refresh sees the claim, and no order.
    let order = &all
        .orders
        .iter()
        .find(|o| o.id() == home.order_ids[1])
        .unwrap()
        .request;
    let mut claimed = ann.claim(order, &lease()).await.unwrap();
    let seen = bob.changes(&since).await.unwrap();
    assert_eq!(
        seen.requests,
        u32::from(true) + per_refresh,
        "Bob's first call reads the statement"
    );
    assert!(seen.orders.is_empty());
    assert_eq!(seen.tasks.len(), 1);
    assert_eq!(seen.tasks[0].id, claimed.id);
    assert_eq!(
        seen.tasks[0].owner_display(),
        Some(ann.desk().display.as_str())
    );
    let since = seen.last_updated.unwrap();

    // Ann releases it (back in the queue: ready, no owner, no lease); Bob takes it over.
    claimed.status = "ready".to_owned();
    claimed.owner = None;
    claimed.restriction = None;
    let released = ann.update_task(&claimed).await.unwrap();
    let taken = bob.claim(order, &lease()).await.unwrap();
    assert_eq!(taken.id, released.id, "the same Task, taken over");
    assert!(bob.desk().owns(&taken) && taken.status == "accepted");

    // A clinician revokes another order at home: the refresh shows it closed.
    home.set_status(&home.order_ids[2], "revoked").await;
    let next = ann.changes(&since).await.unwrap();
    assert_eq!(next.requests, per_refresh + coverage);
    let ids: Vec<&str> = next.orders.iter().map(|o| o.id()).collect();
    assert_eq!(ids, [home.order_ids[2].as_str()], "only the revoked order");
    assert_eq!(next.orders[0].request.status, "revoked");
    assert_eq!(next.tasks.len(), 1, "the takeover");
    assert!(bob.desk().owns(&next.tasks[0]));

    // Read again, then deleted at home: the order is gone.
    let id = &home.order_ids[3];
    let again = ann.read_order(id).await.unwrap().unwrap();
    assert!(again.patient.is_some() && again.coverage.len() == 1);
    home.delete(id).await;
    assert!(
        ann.read_order(id).await.unwrap().is_none(),
        "a deleted order reads as None"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_home_refreshes_in_one_batch_request() {
    let home = sandbox_home(true).await;
    Box::pin(refresh_story(&home, true)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_home_without_batch_is_refreshed_with_two_searches() {
    let home = sandbox_home(false).await;
    Box::pin(refresh_story(&home, false)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hfs_refreshes_in_one_batch_request() {
    let Some(home) = hfs_home().await else {
        return;
    };
    Box::pin(refresh_story(&home, true)).await;
}

/// Two desks claim every order at the same moment: each order ends with exactly one live
/// claim, and exactly one desk was told it holds it.
async fn race_story(home: &Home) {
    let ann = home.desk("d1");
    let bob = home.desk("d2");
    let all = ann.changes(LONG_AGO).await.unwrap();
    let lease = lease();
    let claims = all.orders.iter().enumerate().map(|(i, o)| {
        let (ann, bob, lease) = (&ann, &bob, &lease);
        // Bob starts 0-14 ms after Ann: some creates overlap, some land just after.
        let stagger = std::time::Duration::from_millis(2 * u64::try_from(i % 8).unwrap());
        async move {
            let late = async {
                tokio::time::sleep(stagger).await;
                bob.claim(&o.request, lease).await
            };
            let (a, b) = tokio::join!(ann.claim(&o.request, lease), late);
            (o.id().to_owned(), a, b)
        }
    });
    let results = join_all(claims).await;
    for (id, a, b) in results {
        let won = match (&a, &b) {
            (Ok(t), Err(e)) | (Err(e), Ok(t)) if e.is_claim_conflict() => t.clone(),
            other => panic!("{id}: exactly one desk must hold the order: {other:?}"),
        };
        let stands = ann.task_for_order(&id).await.unwrap().unwrap();
        assert_eq!(
            stands.id, won.id,
            "{id}: the claim every desk reads is the winner's"
        );
        let (holder, other) = if ann.desk().owns(&won) {
            (&ann, &bob)
        } else {
            (&bob, &ann)
        };
        assert_eq!(holder.ensure_holding(&id).await.unwrap().id, won.id);
        assert!(
            other
                .ensure_holding(&id)
                .await
                .unwrap_err()
                .is_claim_conflict()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desks_racing_for_every_sandbox_order_get_one_claim_each() {
    race_story(&sandbox_home(true).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desks_racing_for_every_hfs_order_get_one_claim_each() {
    let Some(home) = hfs_home().await else {
        return;
    };
    race_story(&home).await;
}
