//! The sandbox home organisation over HTTP: the referral queue's searches (both includes,
//! `next` paging, `_lastUpdated`), one claim Task per order under concurrent conditional
//! creates, one winner among concurrent `If-Match` updates, bad input as a 400
//! OperationOutcome, the R4 CapabilityStatement and the scopes, and search speed over 10,000
//! orders.
#![allow(clippy::unwrap_used, reason = "tests")]

#[allow(
    dead_code,
    reason = "shared with the FHIR tests; only part is used here"
)]
#[path = "fhir/support.rs"]
mod support;

use std::collections::HashSet;
use std::time::Instant;

use futures::future::join_all;
use sched_sandbox::{OrgConfig, OrgKind, SandboxConfig};
use serde_json::{Value, json};
use support::{Env, Reply};

const HOME: &str = "home";
const QUEUE_SCOPES: &str =
    "system/ServiceRequest.rs system/Task.cruds system/Patient.rs system/Coverage.rs";
const OPEN_ORDERS: &str = "ServiceRequest?status=active&intent=order&category=http://snomed.info/sct|3457005&_include=ServiceRequest:patient&_include=ServiceRequest:insurance";
const CLAIM: &str = "https://referral-desk.example/claim";

async fn home(orders: u32) -> Env {
    let mut org = OrgConfig::new(HOME, "Mercy General Hospital", OrgKind::Home);
    org.seed.orders = orders;
    let mut env = Env::start(SandboxConfig {
        organisations: vec![org],
        ..SandboxConfig::default()
    })
    .await;
    let token = env.fetch_token(HOME, QUEUE_SCOPES).await;
    env.set_token(HOME, token);
    env
}

fn resources<'a>(reply: &'a Reply, mode: &str) -> Vec<&'a Value> {
    reply.body["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["search"]["mode"] == mode)
        .map(|e| &e["resource"])
        .collect()
}

fn next_link(reply: &Reply) -> Option<String> {
    reply.body["link"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["relation"] == "next")
        .map(|l| l["url"].as_str().unwrap().to_owned())
}

/// Follows `next` links from `first`; answers every page.
async fn all_pages(env: &Env, first: &str) -> Vec<Reply> {
    let mut pages = vec![env.get(HOME, first).await];
    while let Some(next) = next_link(pages.last().unwrap()) {
        let req = env.http.get(next).bearer_auth(env.token(HOME));
        pages.push(env.send(req).await);
    }
    pages
}

fn claim(order: &str) -> Value {
    json!({
        "resourceType": "Task",
        "identifier": [{"system": CLAIM, "value": order}],
        "status": "accepted", "intent": "order",
        "focus": {"reference": format!("ServiceRequest/{order}")},
        "owner": {"display": "Ann at desk-1", "identifier": {"system": "https://referral-desk.example/desk", "value": "desk-1"}},
        "restriction": {"period": {"end": "2030-01-01T00:00:00Z"}}
    })
}

async fn conditional_create(env: &Env, order: &str) -> Reply {
    let req = env
        .http
        .post(env.url(HOME, "Task"))
        .bearer_auth(env.token(HOME))
        .header("content-type", "application/fhir+json")
        .header("if-none-exist", format!("identifier={CLAIM}|{order}"))
        .body(claim(order).to_string());
    env.send(req).await
}

async fn put_if_match(env: &Env, task: &Value, version: &str) -> Reply {
    let id = task["id"].as_str().unwrap();
    let req = env
        .http
        .put(env.url(HOME, &format!("Task/{id}")))
        .bearer_auth(env.token(HOME))
        .header("content-type", "application/fhir+json")
        .header("if-match", format!("W/\"{version}\""))
        .body(task.to_string());
    env.send(req).await
}

#[tokio::test]
async fn open_orders_page_with_their_patients_and_coverages() {
    let env = home(40).await;
    let pages = all_pages(&env, &format!("{OPEN_ORDERS}&_count=10")).await;
    assert_eq!(pages.len(), 5, "43 orders in pages of 10");
    let mut orders = HashSet::new();
    for page in &pages {
        assert_eq!(page.status, 200);
        assert_eq!(page.body["total"], 43);
        let included: HashSet<String> = resources(page, "include")
            .iter()
            .map(|r| {
                format!(
                    "{}/{}",
                    r["resourceType"].as_str().unwrap(),
                    r["id"].as_str().unwrap()
                )
            })
            .collect();
        for order in resources(page, "match") {
            assert!(orders.insert(order["id"].as_str().unwrap().to_owned()));
            let patient = order["subject"]["reference"].as_str().unwrap();
            let coverage = order["insurance"][0]["reference"].as_str().unwrap();
            assert!(included.contains(patient) && included.contains(coverage));
        }
    }
    assert_eq!(orders.len(), 43, "every order once");
    let first = resources(&pages[0], "match");
    let discharge = first[0];
    assert_eq!(discharge["priority"], "urgent");
    assert_eq!(discharge["performerType"]["coding"][0]["code"], "419772000");
    assert_eq!(
        first[2]["code"]["coding"][0]["code"], "113091000",
        "the MRI order"
    );
    let patient = resources(&pages[0], "include")
        .into_iter()
        .find(|r| r["resourceType"] == "Patient")
        .unwrap();
    assert!(patient["identifier"][0]["value"].is_string() && patient["birthDate"].is_string());
}

#[tokio::test]
async fn last_updated_after_the_newest_change_is_an_empty_bundle() {
    let env = home(3).await;
    let created = conditional_create(&env, "sr-1").await;
    assert_eq!(created.status, 201);
    let newest = created.body["meta"]["lastUpdated"]
        .as_str()
        .unwrap()
        .to_owned();
    let since = |ty: &str, t: &str| format!("{ty}?_lastUpdated=gt{}", t.replace('+', "%2B"));
    for ty in ["ServiceRequest", "Task"] {
        let empty = env.get(HOME, &since(ty, &newest)).await;
        assert_eq!((empty.status, empty.body["total"].clone()), (200, json!(0)));
        assert!(empty.body["entry"].as_array().unwrap().is_empty());
    }
    let mut order = env.get(HOME, "ServiceRequest/sr-2").await.body;
    order["status"] = json!("on-hold");
    let clinician = env.fetch_token(HOME, "system/ServiceRequest.cruds").await;
    let req = env
        .http
        .put(env.url(HOME, "ServiceRequest/sr-2"))
        .bearer_auth(clinician)
        .body(order.to_string());
    assert_eq!(env.send(req).await.status, 200, "the order changes at home");
    let changed = env.get(HOME, &since("ServiceRequest", &newest)).await;
    let ids: Vec<&Value> = resources(&changed, "match")
        .iter()
        .map(|r| &r["id"])
        .collect();
    assert_eq!(ids, vec!["sr-2"], "only the order changed since");
}

#[tokio::test]
async fn twenty_concurrent_claims_of_one_order_make_one_task() {
    let env = home(3).await;
    let replies = join_all((0..20).map(|_| conditional_create(&env, "sr-3"))).await;
    let created = replies.iter().filter(|r| r.status == 201).count();
    let matched = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!((created, matched), (1, 19));
    let ids: HashSet<&str> = replies
        .iter()
        .map(|r| r.body["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "every answer is the one Task");
    let found = env
        .get(HOME, &format!("Task?identifier={CLAIM}|sr-3"))
        .await;
    assert_eq!(found.body["total"], 1);
    let by_focus = env
        .get(HOME, "Task?focus=ServiceRequest/sr-3&status=accepted")
        .await;
    assert_eq!(by_focus.body["total"], 1);
    let by_owner = env.get(HOME, "Task?owner:identifier=desk-1").await;
    assert_eq!(by_owner.body["total"], 1);
}

#[tokio::test]
async fn of_two_concurrent_versioned_updates_one_wins() {
    let env = home(3).await;
    let created = conditional_create(&env, "sr-1").await;
    assert_eq!(created.header("etag"), Some("W/\"1\""));
    let mut mine = created.body.clone();
    mine["status"] = json!("in-progress");
    let mut theirs = created.body.clone();
    theirs["owner"]["display"] = json!("Bob at desk-2");
    let (a, b) = futures::join!(
        put_if_match(&env, &mine, "1"),
        put_if_match(&env, &theirs, "1")
    );
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412]);
    let (won, lost) = if a.status == 200 { (&a, &b) } else { (&b, &a) };
    assert_eq!(won.header("etag"), Some("W/\"2\""));
    assert_eq!(lost.body["resourceType"], "OperationOutcome");
    let now = env
        .get(
            HOME,
            &format!("Task/{}", created.body["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(now.body["meta"]["versionId"], "2");
    assert_eq!(now.body["status"], won.body["status"]);
}

#[tokio::test]
async fn bad_input_is_a_400_operation_outcome() {
    let env = home(3).await;
    let mut replies = Vec::new();
    for query in [
        "ServiceRequest?_lastUpdated=yesterday",
        "ServiceRequest?_lastUpdated=gt2026-01-01",
        "ServiceRequest?_count=many",
        "ServiceRequest?colour=blue",
        "ServiceRequest?_include=ServiceRequest:performer",
        "Task?owner=desk-1",
    ] {
        replies.push((query.to_owned(), env.get(HOME, query).await));
    }
    let mut no_focus = claim("sr-1");
    no_focus.as_object_mut().unwrap().remove("focus");
    replies.push((
        "Task without focus".to_owned(),
        env.post(HOME, "Task", &no_focus).await,
    ));
    let mut bad_status = claim("sr-1");
    bad_status["status"] = json!("working");
    replies.push((
        "Task status".to_owned(),
        env.post(HOME, "Task", &bad_status).await,
    ));
    let task = conditional_create(&env, "sr-1").await.body;
    replies.push((
        "If-Match".to_owned(),
        put_if_match(&env, &task, "banana").await,
    ));
    for (what, reply) in replies {
        assert_eq!(reply.status, 400, "{what}");
        assert_eq!(reply.body["resourceType"], "OperationOutcome", "{what}");
    }
    let count = env.get(HOME, "Task?_count=10").await;
    assert_eq!(count.body["total"], 1, "nothing bad was stored");
}

#[tokio::test]
async fn the_capability_statement_and_scopes_are_those_of_an_r4_home_ehr() {
    let env = home(3).await;
    let meta = env.send(env.http.get(env.url(HOME, "metadata"))).await;
    assert_eq!(meta.body["fhirVersion"], "4.0.1");
    let rest = &meta.body["rest"][0];
    assert!(rest["security"].is_object(), "SMART security block");
    let sr = rest["resource"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "ServiceRequest")
        .unwrap();
    assert_eq!(sr["conditionalCreate"], true);
    assert!(
        sr["searchInclude"]
            .as_array()
            .unwrap()
            .contains(&json!("ServiceRequest:insurance"))
    );
    let read_only = env.fetch_token(HOME, "system/ServiceRequest.rs").await;
    let refused = env
        .send(
            env.http
                .post(env.url(HOME, "Task"))
                .bearer_auth(&read_only)
                .body(claim("sr-1").to_string()),
        )
        .await;
    assert_eq!(refused.status, 403);
    let unauthenticated = env.send(env.http.get(env.url(HOME, "Task"))).await;
    assert_eq!(unauthenticated.status, 401);
}

#[tokio::test]
#[allow(
    clippy::print_stdout,
    reason = "the measured times are the point of this test"
)]
async fn ten_thousand_orders_stay_fast_to_search() {
    let env = home(10_000).await;
    let started = Instant::now();
    let pages = all_pages(&env, &format!("{OPEN_ORDERS}&_count=1000")).await;
    let paging = started.elapsed();
    let matches: usize = pages.iter().map(|p| resources(p, "match").len()).sum();
    assert_eq!(matches, 10_003);
    let started = Instant::now();
    let one = env
        .get(
            HOME,
            "ServiceRequest?identifier=ORD009999&_include=ServiceRequest:patient",
        )
        .await;
    let lookup = started.elapsed();
    assert_eq!(one.body["total"], 1);
    println!("10,003 orders paged in {paging:?}; one by identifier in {lookup:?}");
    assert!(paging.as_secs() < 20, "paging took {paging:?}");
    assert!(lookup.as_millis() < 500, "lookup took {lookup:?}");
}

#[tokio::test]
async fn a_restart_with_a_database_file_keeps_claims_and_does_not_reseed() {
    let dir = tempfile::tempdir().unwrap();
    let config = || {
        let mut org = OrgConfig::new(HOME, "Mercy General Hospital", OrgKind::Home);
        org.seed.orders = 5;
        SandboxConfig {
            db: Some(dir.path().join("home.db")),
            organisations: vec![org],
            ..SandboxConfig::default()
        }
    };
    let mut first = Env::start(config()).await;
    first.login().await;
    let task = conditional_create(&first, "sr-2").await;
    assert_eq!(task.status, 201);
    first.sandbox.shutdown().await;
    let mut again = Env::start(config()).await;
    again.login().await;
    let orders = again.get(HOME, "ServiceRequest?_count=0").await;
    assert_eq!(orders.body["total"], 8, "the seed once");
    let claimed = conditional_create(&again, "sr-2").await;
    assert_eq!(
        (claimed.status, &claimed.body["id"]),
        (200, &task.body["id"])
    );
}

#[tokio::test]
async fn sorted_by_last_update_the_changed_order_comes_last() {
    let env = home(4).await;
    let clinician = env.fetch_token(HOME, "system/ServiceRequest.cruds").await;
    let mut order = env.get(HOME, "ServiceRequest/sr-1").await.body;
    order["priority"] = json!("asap");
    let req = env
        .http
        .put(env.url(HOME, "ServiceRequest/sr-1"))
        .bearer_auth(clinician)
        .body(order.to_string());
    assert_eq!(env.send(req).await.status, 200);
    let pages = all_pages(&env, "ServiceRequest?_sort=_lastUpdated&_count=2").await;
    let ids: Vec<String> = pages
        .iter()
        .flat_map(|p| resources(p, "match"))
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 7, "every order once: {ids:?}");
    assert_eq!(ids.last().map(String::as_str), Some("sr-1"));
    let refused = env.get(HOME, "ServiceRequest?_sort=-_lastUpdated").await;
    assert_eq!(refused.status, 400);
}
