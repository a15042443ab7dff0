//! An organisation speaking plain FHIR R4 (and Oracle's variant): Slot search as a plain-R4
//! desk sends it, holds by Slot PATCH/PUT with If-Match, booking by transaction Bundle or POST
//! Appointment, cancel by PATCH freeing the slot, all on the same rules as Argonaut.

use std::sync::Arc;

use chrono::Duration;
use sched_sandbox::SandboxConfig;
use sched_sandbox::config::SandboxDialect;
use serde_json::{Value, json};

use crate::support::{Env, Reply, derm_only};

fn config(dialect: SandboxDialect, ttl: u64) -> SandboxConfig {
    let mut c = derm_only();
    c.organisations[0].dialect = dialect;
    c.organisations[0].hold_ttl_seconds = ttl;
    c
}

async fn env(dialect: SandboxDialect, ttl: u64) -> Env {
    let mut env = Env::start(config(dialect, ttl)).await;
    env.login().await;
    env
}

/// Free slots over two weeks, `_include=Slot:schedule`.
async fn free_slots(env: &Env, extra: &str) -> Reply {
    let now = env.sandbox.organisation("derm").unwrap().now();
    let q = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("status", "free")
        .append_pair("start", &format!("ge{}", now.to_rfc3339()))
        .append_pair(
            "start",
            &format!("lt{}", (now + Duration::days(14)).to_rfc3339()),
        )
        .append_pair("_include", "Slot:schedule")
        .append_pair("_count", "5")
        .finish();
    env.get("derm", &format!("Slot?{q}{extra}")).await
}

fn diagnostics(r: &Reply) -> String {
    let issue = &r.body["issue"][0];
    issue["diagnostics"]
        .as_str()
        .or(issue["details"]["text"].as_str())
        .unwrap_or_default()
        .to_owned()
}

fn slots(r: &Reply) -> Vec<Value> {
    r.body["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resource"]["resourceType"] == "Slot")
        .map(|e| e["resource"].clone())
        .collect()
}

async fn patch(env: &Env, path: &str, ops: Value, if_match: Option<&str>) -> Reply {
    let mut req = env
        .http
        .patch(env.url("derm", path))
        .bearer_auth(env.token("derm"))
        .header("content-type", "application/json-patch+json")
        .body(ops.to_string());
    if let Some(tag) = if_match {
        req = req.header("if-match", tag);
    }
    env.send(req).await
}

/// `POST [base]` (no trailing slash, as FHIR defines the transaction endpoint).
async fn post_base(env: &Env, body: &Value) -> Reply {
    let req = env
        .http
        .post(env.sandbox.base_url("derm").unwrap())
        .bearer_auth(env.token("derm"))
        .header("content-type", "application/fhir+json")
        .body(body.to_string());
    env.send(req).await
}

fn status_to(s: &str) -> Value {
    json!([{"op": "replace", "path": "/status", "value": s}])
}

fn booking(slot: &str) -> Value {
    json!({"resourceType": "Appointment", "status": "booked", "slot": [{"reference": format!("Slot/{slot}")}],
        "participant": [{"actor": {"reference": "Patient/pat-1"}, "status": "accepted"}]})
}

fn transaction(slot: &Value, tag: &str) -> Value {
    let id = slot["id"].as_str().unwrap();
    let mut busy = slot.clone();
    busy["status"] = json!("busy");
    json!({"resourceType": "Bundle", "type": "transaction", "entry": [
        {"resource": busy, "request": {"method": "PUT", "url": format!("Slot/{id}"), "ifMatch": tag}},
        {"resource": booking(id), "request": {"method": "POST", "url": "Appointment"}},
    ]})
}

#[tokio::test]
async fn metadata_is_r4_with_slot_search_updates_and_transactions() {
    let env = env(SandboxDialect::PlainR4, 300).await;
    let m = env.get("derm", "metadata").await.body;
    assert_eq!(m["fhirVersion"], "4.0.1");
    let slot = m["rest"][0]["resource"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "Slot")
        .unwrap();
    let codes: Vec<&str> = slot["interaction"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"search-type") && codes.contains(&"patch"),
        "{codes:?}"
    );
    assert_eq!(m["rest"][0]["interaction"][0]["code"], "transaction");
    assert!(
        m["rest"][0].get("operation").is_none(),
        "no $find/$hold/$book"
    );
}

#[tokio::test]
async fn slot_search_by_actor_and_window_includes_the_schedules() {
    let env = env(SandboxDialect::PlainR4, 300).await;
    let all = free_slots(&env, "").await;
    assert_eq!(all.status, 200, "{}", all.body);
    let first = &slots(&all)[0];
    let schedule = first["schedule"]["reference"].as_str().unwrap().to_owned();
    let sched = env.get("derm", &schedule).await.body;
    let actor = sched["actor"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["reference"].as_str().unwrap())
        .find(|r| r.starts_with("Practitioner/"))
        .unwrap()
        .to_owned();
    let r = free_slots(&env, &format!("&schedule.actor={actor}")).await;
    let found = slots(&r);
    assert_eq!(found.len(), 5);
    assert!(
        found
            .iter()
            .all(|s| s["status"] == "free" && s["meta"]["versionId"].is_string())
    );
    let includes: Vec<&Value> = r.body["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["search"]["mode"] == "include")
        .collect();
    assert!(
        !includes.is_empty()
            && includes
                .iter()
                .all(|e| e["resource"]["resourceType"] == "Schedule")
    );
    assert!(
        r.body["link"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["relation"] == "next")
    );
    let bad = env.get("derm", "Slot?status=maybe").await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn hold_by_patch_with_if_match_one_winner_then_release_frees() {
    let env = Arc::new(env(SandboxDialect::PlainR4, 300).await);
    let slot = slots(&free_slots(&env, "").await)[0].clone();
    let id = slot["id"].as_str().unwrap().to_owned();
    let tag = format!("W/\"{}\"", slot["meta"]["versionId"].as_str().unwrap());
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (env, id, tag) = (Arc::clone(&env), id.clone(), tag.clone());
        tasks.push(tokio::spawn(async move {
            patch(
                &env,
                &format!("Slot/{id}"),
                status_to("busy-tentative"),
                Some(&tag),
            )
            .await
            .status
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    assert_eq!(codes.iter().filter(|c| **c == 200).count(), 1, "{codes:?}");
    assert!(codes.iter().all(|c| matches!(c, 200 | 412)), "{codes:?}");
    let held = env.get("derm", &format!("Slot/{id}")).await;
    assert_eq!(held.body["status"], "busy-tentative");
    let stale = patch(&env, &format!("Slot/{id}"), status_to("free"), Some(&tag)).await;
    assert_eq!(stale.status, 412, "{}", stale.body);
    let now_tag = held.header("etag").unwrap().to_owned();
    let freed = patch(
        &env,
        &format!("Slot/{id}"),
        status_to("free"),
        Some(&now_tag),
    )
    .await;
    assert_eq!(freed.status, 200, "{}", freed.body);
    assert_eq!(freed.body["status"], "free");
}

#[tokio::test]
async fn a_lapsed_hold_frees_the_slot() {
    let env = env(SandboxDialect::PlainR4, 1).await;
    let slot = slots(&free_slots(&env, "").await)[0].clone();
    let id = slot["id"].as_str().unwrap();
    let r = patch(
        &env,
        &format!("Slot/{id}"),
        status_to("busy-tentative"),
        None,
    )
    .await;
    assert_eq!(r.body["status"], "busy-tentative");
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        env.get("derm", &format!("Slot/{id}")).await.body["status"],
        "free"
    );
}

#[tokio::test]
async fn transaction_books_atomically_and_cancel_frees_the_slot() {
    let env = env(SandboxDialect::PlainR4, 300).await;
    let slot = slots(&free_slots(&env, "").await)[0].clone();
    let id = slot["id"].as_str().unwrap();
    let held = patch(
        &env,
        &format!("Slot/{id}"),
        status_to("busy-tentative"),
        None,
    )
    .await;
    let tag = held.header("etag").unwrap().to_owned();
    let stale = post_base(&env, &transaction(&held.body, "W/\"1\"")).await;
    assert_eq!(stale.status, 412, "{}", stale.body);
    let text = diagnostics(&stale);
    assert!(text.contains("entry 1"), "{text}");
    let booked = post_base(&env, &transaction(&held.body, &tag)).await;
    assert_eq!(booked.status, 200, "{}", booked.body);
    assert_eq!(booked.body["type"], "transaction-response");
    let appt = &booked.body["entry"][1]["resource"];
    assert_eq!(appt["status"], "booked");
    assert!(
        booked.body["entry"][1]["response"]["status"]
            .as_str()
            .unwrap()
            .starts_with("201")
    );
    assert_eq!(
        env.get("derm", &format!("Slot/{id}")).await.body["status"],
        "busy"
    );
    let again = env.post("derm", "Appointment", &booking(id)).await;
    assert_eq!(again.status, 409, "{}", again.body);
    let appt_id = appt["id"].as_str().unwrap();
    let etag = format!("W/\"{}\"", appt["meta"]["versionId"].as_str().unwrap());
    let ops = json!([{"op": "replace", "path": "/status", "value": "cancelled"},
        {"op": "add", "path": "/cancelationReason", "value": {"text": "Patient asked"}}]);
    let cancelled = patch(&env, &format!("Appointment/{appt_id}"), ops, Some(&etag)).await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    assert_eq!(cancelled.body["cancelationReason"]["text"], "Patient asked");
    assert_eq!(
        env.get("derm", &format!("Slot/{id}")).await.body["status"],
        "free"
    );
}

#[tokio::test]
async fn a_failed_entry_fails_the_whole_transaction() {
    let env = env(SandboxDialect::PlainR4, 300).await;
    let found = slots(&free_slots(&env, "").await);
    let (a, b) = (
        found[0]["id"].as_str().unwrap(),
        found[1]["id"].as_str().unwrap(),
    );
    let bundle = json!({"resourceType": "Bundle", "type": "transaction", "entry": [
        {"resource": booking(a), "request": {"method": "POST", "url": "Appointment"}},
        {"resource": {"resourceType": "Appointment", "status": "booked", "slot": [{"reference": format!("Slot/{b}")}], "participant": [{"actor": {"reference": "Patient/nobody"}, "status": "accepted"}]},
         "request": {"method": "POST", "url": "Appointment"}},
    ]});
    let r = post_base(&env, &bundle).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(diagnostics(&r).contains("entry 2"), "{}", r.body);
    assert_eq!(
        env.get("derm", &format!("Slot/{a}")).await.body["status"],
        "free",
        "entry 1 rolled back"
    );
}

#[tokio::test]
async fn oracle_requires_service_type_if_match_and_one_slot() {
    let env = env(SandboxDialect::Oracle, 300).await;
    let m = env.get("derm", "metadata").await.body;
    assert!(m["software"]["name"].as_str().unwrap().contains("Oracle"));
    assert_eq!(
        free_slots(&env, "").await.status,
        400,
        "service-type is required"
    );
    let twice = free_slots(&env, "&service-type=a&service-type=b").await;
    assert_eq!(twice.status, 400, "each parameter once");
    let sched = env.get("derm", "Schedule").await.body;
    let ty = &sched["entry"][0]["resource"]["serviceType"][0]["coding"][0];
    let token = format!(
        "{}|{}",
        ty["system"].as_str().unwrap(),
        ty["code"].as_str().unwrap()
    );
    let enc: String = url::form_urlencoded::byte_serialize(token.as_bytes()).collect();
    let r = free_slots(&env, &format!("&service-type={enc}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let slot = slots(&r)[0].clone();
    let id = slot["id"].as_str().unwrap();
    let no_tag = patch(
        &env,
        &format!("Slot/{id}"),
        status_to("busy-tentative"),
        None,
    )
    .await;
    assert_eq!(no_tag.status, 412);
    let stale = patch(
        &env,
        &format!("Slot/{id}"),
        status_to("busy-tentative"),
        Some("W/\"99\""),
    )
    .await;
    assert_eq!(stale.status, 409);
    let mut two = booking(id);
    two["slot"] = json!([{"reference": format!("Slot/{id}")}, {"reference": "Slot/s2"}]);
    assert_eq!(env.post("derm", "Appointment", &two).await.status, 422);
    let one = env.post("derm", "Appointment", &booking(id)).await;
    assert_eq!(one.status, 201, "{}", one.body);
}
