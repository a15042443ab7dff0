//! The sandbox home's refresh support over HTTP: a `batch` Bundle of searches and reads answered
//! in one round trip (each entry scope-checked on its own), claim Tasks found by the
//! system-only identifier token with `_lastUpdated`, orders of any status, `DELETE` followed by
//! 410 Gone, and the CapabilityStatement listing `batch` and `delete`.
#![allow(clippy::unwrap_used, reason = "tests")]

#[allow(
    dead_code,
    reason = "shared with the FHIR tests; only part is used here"
)]
#[path = "fhir/support.rs"]
mod support;

use sched_sandbox::{OrgConfig, OrgKind, SandboxConfig};
use serde_json::{Value, json};
use support::{Env, Reply};

const HOME: &str = "home";
const QUEUE_SCOPES: &str =
    "system/ServiceRequest.rs system/Task.cruds system/Patient.rs system/Coverage.rs";
const CLAIM: &str = "https://referral-desk.example/claim";

async fn home() -> Env {
    let mut org = OrgConfig::new(HOME, "Mercy General Hospital", OrgKind::Home);
    org.seed.orders = 3;
    let mut env = Env::start(SandboxConfig {
        organisations: vec![org],
        ..SandboxConfig::default()
    })
    .await;
    let token = env.fetch_token(HOME, QUEUE_SCOPES).await;
    env.set_token(HOME, token);
    env
}

/// `POST [base]` (no trailing slash) with a batch of GETs.
async fn batch(env: &Env, token: &str, urls: &[&str]) -> Reply {
    let entries: Vec<Value> = urls
        .iter()
        .map(|u| json!({"request": {"method": "GET", "url": u}}))
        .collect();
    let body = json!({"resourceType": "Bundle", "type": "batch", "entry": entries});
    let req = env
        .http
        .post(env.sandbox.base_url(HOME).unwrap())
        .bearer_auth(token)
        .header("content-type", "application/fhir+json")
        .body(body.to_string());
    env.send(req).await
}

fn claim(order: &str) -> Value {
    json!({"resourceType": "Task", "status": "accepted", "intent": "order",
        "identifier": [{"system": CLAIM, "value": order}],
        "focus": {"reference": format!("ServiceRequest/{order}")}})
}

#[tokio::test]
async fn a_batch_answers_the_order_and_claim_searches_and_a_read_in_one_request() {
    let env = home().await;
    let token = env.token(HOME).to_owned();
    let created = env.post(HOME, "Task", &claim("sr-2")).await;
    assert_eq!(created.status, 201);
    let since = created.body["meta"]["lastUpdated"]
        .as_str()
        .unwrap()
        .to_owned();

    let orders = "ServiceRequest?intent=order&category=http://snomed.info/sct%7C3457005&_include=ServiceRequest:patient&_include=ServiceRequest:insurance&_lastUpdated=gt2000-01-01T00:00:00Z";
    let claims = format!("Task?identifier={CLAIM}%7C&_lastUpdated=gt2000-01-01T00:00:00Z");
    let r = batch(
        &env,
        &token,
        &[orders, &claims, "Patient/pat-1", "Patient/nobody"],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["type"], "batch-response");
    let entries = r.body["entry"].as_array().unwrap();
    assert_eq!(entries.len(), 4, "one answer per request, in order");
    let searchset = &entries[0]["resource"];
    assert_eq!(entries[0]["response"]["status"], "200 OK");
    let modes: Vec<&str> = searchset["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["search"]["mode"].as_str().unwrap())
        .collect();
    assert_eq!(modes.iter().filter(|m| **m == "match").count(), 6);
    assert!(
        modes.contains(&"include"),
        "patients and coverages included"
    );
    let tasks = entries[1]["resource"]["entry"].as_array().unwrap();
    assert_eq!(tasks.len(), 1, "the claim found by its system alone");
    assert_eq!(entries[2]["resource"]["id"], "pat-1");
    assert_eq!(entries[2]["response"]["etag"], "W/\"1\"");
    assert!(
        entries[3]["response"]["status"]
            .as_str()
            .unwrap()
            .starts_with("404")
    );
    assert_eq!(
        entries[3]["response"]["outcome"]["resourceType"],
        "OperationOutcome"
    );

    // Nothing changed after the claim (the newest change): both searches come back empty.
    let since = since.replace('+', "%2B");
    let orders = format!("ServiceRequest?intent=order&_lastUpdated=gt{since}");
    let claims = format!("Task?identifier={CLAIM}%7C&_lastUpdated=gt{since}");
    let r = batch(&env, &token, &[&orders, &claims]).await;
    for entry in r.body["entry"].as_array().unwrap() {
        assert_eq!(entry["resource"]["total"], 0, "{entry}");
    }
}

#[tokio::test]
async fn batch_entries_are_checked_one_by_one_and_transactions_are_refused() {
    let env = home().await;
    let narrow = env.fetch_token(HOME, "system/Task.rs").await;
    let r = batch(
        &env,
        &narrow,
        &["Task?status=accepted", "ServiceRequest?intent=order"],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["entry"][0]["response"]["status"], "200 OK");
    let refused = r.body["entry"][1]["response"]["status"].as_str().unwrap();
    assert!(refused.starts_with("403"), "{refused}");

    let tx = json!({"resourceType": "Bundle", "type": "transaction", "entry": []});
    let req = env
        .http
        .post(env.sandbox.base_url(HOME).unwrap())
        .bearer_auth(env.token(HOME))
        .header("content-type", "application/fhir+json")
        .body(tx.to_string());
    assert_eq!(env.send(req).await.status, 400);
    let bad = batch(&env, env.token(HOME), &["Appointment?status=booked"]).await;
    assert!(
        bad.body["entry"][0]["response"]["status"]
            .as_str()
            .unwrap()
            .starts_with("404")
    );
}

#[tokio::test]
async fn orders_of_every_status_are_searchable_and_a_deleted_order_is_gone() {
    let mut env = home().await;
    let clinic = env
        .fetch_token(HOME, "system/ServiceRequest.cruds system/Patient.rs")
        .await;
    env.set_token(HOME, clinic);
    let mut order = env.get(HOME, "ServiceRequest/sr-3").await.body;
    order["status"] = json!("revoked");
    assert_eq!(
        env.put(HOME, "ServiceRequest/sr-3", &order).await.status,
        200
    );
    let any = env.get(HOME, "ServiceRequest?intent=order").await;
    assert_eq!(
        any.body["total"], 6,
        "no status filter: the revoked order too"
    );
    let active = env.get(HOME, "ServiceRequest?status=active").await;
    assert_eq!(active.body["total"], 5);

    let req = env
        .http
        .delete(env.url(HOME, "ServiceRequest/sr-3"))
        .bearer_auth(env.token(HOME));
    assert_eq!(env.send(req).await.status, 204);
    let gone = env.get(HOME, "ServiceRequest/sr-3").await;
    assert_eq!(gone.status, 410, "{}", gone.body);
    assert_eq!(gone.body["resourceType"], "OperationOutcome");
    assert_eq!(
        env.get(HOME, "ServiceRequest?_id=sr-3").await.body["total"],
        0
    );
    assert_eq!(env.get(HOME, "ServiceRequest/sr-99").await.status, 404);
    let again = env
        .http
        .delete(env.url(HOME, "ServiceRequest/sr-3"))
        .bearer_auth(env.token(HOME));
    assert_eq!(env.send(again).await.status, 204, "deleting twice is fine");

    // A write after the deletion is still stamped after it.
    let patient_only = env.fetch_token(HOME, QUEUE_SCOPES).await;
    env.set_token(HOME, patient_only);
    let after = env.post(HOME, "Task", &claim("sr-1")).await;
    assert_eq!(after.status, 201);
    let delete_needs_scope = env
        .http
        .delete(env.url(HOME, "ServiceRequest/sr-2"))
        .bearer_auth(env.token(HOME));
    assert_eq!(env.send(delete_needs_scope).await.status, 403);
}

#[tokio::test]
async fn the_capability_statement_lists_batch_and_delete() {
    let env = home().await;
    let statement = env.get(HOME, "metadata").await.body;
    let rest = &statement["rest"][0];
    assert_eq!(rest["interaction"][0]["code"], "batch");
    let sr = rest["resource"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "ServiceRequest")
        .unwrap();
    let codes: Vec<&str> = sr["interaction"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"delete"), "{codes:?}");
}
