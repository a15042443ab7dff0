//! Two desks as two `refdesk` processes over two data directories work one sandbox home
//! concurrently: 200 orders, each ending with exactly one claim Task at home, completed, whose
//! output is an Appointment booked once; both worklists agree with the home. And a desk killed
//! with SIGKILL while holding claims: after its 3 s lease the other desk takes the orders over
//! and books them, and the killed desk, restarted, writes nothing on replay.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::collections::BTreeMap;

use common::desks::{HomeAt, assert_all_done, assert_one_completed_claim_each, desk, work};
use common::{json, json_any, refdesk};
use sched_sandbox::home::store::{Filter, search};
use sched_sandbox::{OrgConfig, OrgKind, RunningSandbox, Sandbox, SandboxConfig};
use serde_json::Value;

const HOME: &str = "home";

async fn sandbox(orders: u32) -> RunningSandbox {
    let mut home = OrgConfig::new(HOME, "Mercy General Hospital", OrgKind::Home);
    home.seed.orders = orders;
    let mut config = SandboxConfig::default();
    config.organisations.retain(|o| o.kind != OrgKind::Home);
    config.organisations.push(home);
    Sandbox::start(config).await.unwrap()
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
    let home = HomeAt::sandbox(&sandbox, HOME);
    desk(&sandbox, &home, a.path(), "desk-a", 900);
    desk(&sandbox, &home, b.path(), "desk-b", 900);
    let (pa, pb) = (a.path().to_owned(), b.path().to_owned());
    let ta = tokio::task::spawn_blocking(move || work(&pa, false));
    let tb = tokio::task::spawn_blocking(move || work(&pb, true));
    let (na, nb) = (ta.await.unwrap(), tb.await.unwrap());
    assert_eq!(na + nb, 200, "every order booked once: {na} + {nb}");
    assert!(na > 0 && nb > 0, "both desks worked: {na} + {nb}");

    assert_one_completed_claim_each(tasks(&sandbox), 200);
    assert_all_done([a.path(), b.path()], 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_killed_holding_claims_is_taken_over_and_writes_nothing_after_restart() {
    let sandbox = sandbox(0).await;
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let home = HomeAt::sandbox(&sandbox, HOME);
    desk(&sandbox, &home, a.path(), "desk-a", 3);
    desk(&sandbox, &home, b.path(), "desk-b", 3);
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
