//! Two desks as two `refdesk` processes over two data directories work one sandbox home
//! concurrently: 200 orders, each ending with exactly one claim Task at home, completed, whose
//! output is an Appointment booked once; both worklists agree with the home. And a desk killed
//! with SIGKILL while holding claims: after its 3 s lease the other desk takes the orders over
//! and books them, and the killed desk, restarted, writes nothing on replay.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{json, json_any, refdesk};
use referral_core::sandbox::SANDBOX_SCOPES;
use sched_sandbox::home::store::{Filter, search};
use sched_sandbox::{
    ClientRegistration, OrgConfig, OrgKind, RunningSandbox, Sandbox, SandboxConfig,
};
use serde_json::Value;

const HOME: &str = "home";
const HOME_SCOPES: &str =
    "system/ServiceRequest.rs system/Task.cruds system/Patient.rs system/Coverage.rs";

async fn sandbox(orders: u32) -> RunningSandbox {
    let mut home = OrgConfig::new(HOME, "Mercy General Hospital", OrgKind::Home);
    home.seed.orders = orders;
    let mut config = SandboxConfig::default();
    config.organisations.retain(|o| o.kind != OrgKind::Home);
    config.organisations.push(home);
    Sandbox::start(config).await.unwrap()
}

/// A desk over `dir`: its own key registered as client `name` everywhere, the receiving
/// organisations and the home in its directory, a referring clinician with a phone.
fn desk(sandbox: &RunningSandbox, dir: &Path, name: &str, lease: u32) {
    let shown = json(dir, &["keys", "show-jwks"]);
    let jwks: Value = serde_json::from_str(shown["jwksJson"].as_str().unwrap()).unwrap();
    for org in sandbox.organisations().to_vec() {
        let scopes = if org == HOME {
            HOME_SCOPES.to_owned()
        } else {
            SANDBOX_SCOPES.join(" ")
        };
        let reg = ClientRegistration {
            client_id: name.to_owned(),
            jwks: Some(jwks.clone()),
            jwks_url: None,
            scopes: scopes.split_whitespace().map(str::to_owned).collect(),
        };
        sandbox.register_client(&org, reg).unwrap();
        if org == HOME {
            continue;
        }
        let display = sandbox.organisation(&org).unwrap().display.clone();
        let base = sandbox.base_url(&org).unwrap();
        let add = [
            "org",
            "add",
            "--id",
            &org,
            "--name",
            &display,
            "--base",
            &base,
            "--client-id",
            name,
            "--scopes",
            &scopes,
        ];
        json(dir, &add);
    }
    let (base, token) = (
        sandbox.base_url(HOME).unwrap(),
        sandbox.token_url(HOME).unwrap(),
    );
    let lease = lease.to_string();
    let set = [
        "home",
        "set",
        "--name",
        "Mercy General Hospital",
        "--base-url",
        &base,
        "--client-id",
        name,
        "--token-url",
        &token,
        "--lease-seconds",
        &lease,
    ];
    json(dir, &set);
    let referrer = [
        "settings", "referrer", "set", "--name", "Dr Desk", "--phone", "555-0100",
    ];
    json(dir, &referrer);
}

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["orderId"].as_str().unwrap().to_owned())
        .collect()
}

/// Books every order this desk can get until none is left unclaimed or its own; answers how
/// many it booked.
fn work(dir: &Path, reverse: bool) -> usize {
    let mut booked = 0;
    for _round in 0..8 {
        json(dir, &["queue", "sync"]);
        let mut todo = ids(&json(dir, &["queue", "list", "--view", "mine"]));
        todo.extend(ids(&json(dir, &["queue", "list", "--view", "unclaimed"])));
        if todo.is_empty() {
            return booked;
        }
        if reverse {
            todo.reverse();
        }
        for order in todo {
            let (code, out) = json_any(dir, &["queue", "book", &order]);
            if code == 0 {
                booked += 1;
            } else {
                assert_eq!(code, 1, "{order}: only a refusal is expected: {out}");
            }
        }
    }
    panic!("the queue did not empty in 8 rounds");
}

/// Every claim Task at the sandbox home, as JSON.
fn tasks(sandbox: &RunningSandbox) -> Vec<Value> {
    let org = sandbox.organisation(HOME).unwrap();
    let filter = Filter {
        ty: "Task".to_owned(),
        ids: Vec::new(),
        params: Vec::new(),
        updated: Vec::new(),
    };
    let (_, rows) = org
        .store
        .read(|c| search(c, HOME, &filter, (0, false), 100_000))
        .unwrap();
    rows.into_iter().map(|r| r.json).collect()
}

fn order_of(task: &Value) -> String {
    task["focus"]["reference"]
        .as_str()
        .unwrap()
        .trim_start_matches("ServiceRequest/")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desk_processes_book_200_orders_each_exactly_once() {
    let sandbox = sandbox(197).await;
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    desk(&sandbox, a.path(), "desk-a", 900);
    desk(&sandbox, b.path(), "desk-b", 900);
    let (pa, pb) = (a.path().to_owned(), b.path().to_owned());
    let ta = tokio::task::spawn_blocking(move || work(&pa, false));
    let tb = tokio::task::spawn_blocking(move || work(&pb, true));
    let (na, nb) = (ta.await.unwrap(), tb.await.unwrap());
    assert_eq!(na + nb, 200, "every order booked once: {na} + {nb}");
    assert!(na > 0 && nb > 0, "both desks worked: {na} + {nb}");

    let mut per_order: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for t in tasks(&sandbox) {
        if t["status"] != "cancelled" {
            per_order.entry(order_of(&t)).or_default().push(t);
        }
    }
    assert_eq!(per_order.len(), 200, "every order has a claim");
    let mut appointments = BTreeSet::new();
    for (order, claims) in &per_order {
        assert_eq!(claims.len(), 1, "{order}: exactly one Task");
        let t = &claims[0];
        assert_eq!(t["status"], "completed", "{order}: {t}");
        let reference = t["output"][0]["valueReference"]["reference"]
            .as_str()
            .unwrap();
        assert!(
            appointments.insert(reference.to_owned()),
            "{order}: booked twice"
        );
    }
    for dir in [a.path(), b.path()] {
        json(dir, &["queue", "sync"]);
        let done = json(dir, &["queue", "list", "--view", "done"]);
        assert_eq!(
            done["counts"]["done"], 200,
            "the worklist agrees with the home"
        );
        assert_eq!(done["counts"]["unclaimed"], 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_killed_holding_claims_is_taken_over_and_writes_nothing_after_restart() {
    let sandbox = sandbox(0).await;
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    desk(&sandbox, a.path(), "desk-a", 3);
    desk(&sandbox, b.path(), "desk-b", 3);
    json(a.path(), &["queue", "sync"]);
    json(a.path(), &["queue", "claim", "sr-1"]);
    json(a.path(), &["queue", "claim", "sr-2"]);
    let killed = refdesk(a.path())
        .env("REFDESK_CRASH_AT", "start:journaled")
        .args(["queue", "start", "sr-3"])
        .output()
        .unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&killed.status),
        Some(9),
        "killed with SIGKILL"
    );

    json(b.path(), &["queue", "sync"]);
    let (code, _) = json_any(b.path(), &["queue", "claim", "sr-1"]);
    assert_eq!(code, 1, "a live lease is respected");
    tokio::time::sleep(std::time::Duration::from_millis(3_500)).await;
    for order in ["sr-1", "sr-2", "sr-3"] {
        let booked = json(b.path(), &["queue", "book", order]);
        assert!(booked["appointmentId"].is_string(), "{order}: {booked}");
    }
    let before: BTreeMap<String, Value> = tasks(&sandbox)
        .into_iter()
        .map(|t| (order_of(&t), t["meta"]["versionId"].clone()))
        .collect();

    let sync = json(a.path(), &["queue", "sync"]);
    assert_eq!(
        sync["replayed"], 1,
        "the start left unresolved is settled: {sync}"
    );
    let after: BTreeMap<String, Value> = tasks(&sandbox)
        .into_iter()
        .map(|t| (order_of(&t), t["meta"]["versionId"].clone()))
        .collect();
    assert_eq!(before, after, "no write-back from the killed desk");
    let done = json(a.path(), &["queue", "list", "--view", "done"]);
    assert_eq!(
        done["counts"]["done"], 3,
        "the restarted desk sees the other desk's outcomes"
    );
    let (code, _) = json_any(a.path(), &["queue", "claim", "sr-1"]);
    assert_eq!(code, 1, "a finished order cannot be claimed again");
}
