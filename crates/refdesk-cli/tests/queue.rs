//! `refdesk home …` and `refdesk queue …` against `refdesk sandbox serve` (whose first-run set
//! includes the sandbox home): the queue is synced with one request when nothing changed, a
//! second desk (another data directory, another process) is told who works a claimed order,
//! a released order is claimed by the other desk, and `queue book` books an order and writes
//! the outcome back so both desks list it as done.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::path::Path;

use common::{Serve, json, json_any, refdesk, run, stderr};
use serde_json::Value;

/// A second desk over `dir`: the same app key (copied), the serve's receiving organisations
/// and its home, but its own worklist and so its own desk id.
fn second_desk(serve: &Serve, dir: &Path) {
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    for entry in std::fs::read_dir(serve.dir.join("keys")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join("keys").join(entry.file_name())).unwrap();
    }
    let orgs = json(&serve.dir, &["org", "list"]);
    for o in orgs["organisations"].as_array().unwrap() {
        let id = o["id"].as_str().unwrap().trim_start_matches("sandbox-");
        let add = [
            "org",
            "add",
            "--id",
            id,
            "--name",
            o["name"].as_str().unwrap(),
            "--base",
            o["fhirBase"].as_str().unwrap(),
            "--client-id",
            o["clientId"].as_str().unwrap(),
            "--scopes",
            o["scopes"].as_str().unwrap(),
        ];
        json(dir, &add);
    }
    let home = json(&serve.dir, &["home", "show"]);
    let h = &home["home"];
    json(
        dir,
        &[
            "home",
            "set",
            "--name",
            h["name"].as_str().unwrap(),
            "--base-url",
            h["baseUrl"].as_str().unwrap(),
            "--client-id",
            h["clientId"].as_str().unwrap(),
        ],
    );
}

fn item<'a>(list: &'a Value, order: &str) -> &'a Value {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["orderId"] == order)
        .unwrap()
}

#[test]
fn two_desks_work_the_sandbox_queue_from_the_command_line() {
    let serve = Serve::start(&[]);
    let a = serve.dir.as_path();
    let home = json(a, &["home", "show"]);
    assert_eq!(
        home["configured"], true,
        "the first run sets the sandbox home"
    );

    let first = json(a, &["queue", "sync"]);
    let orders = first["items"].as_u64().unwrap();
    assert!(orders >= 3, "the scenario orders at least: {first}");
    let again = json(a, &["queue", "sync"]);
    // Each `refdesk` is a new process, whose client reads the home's CapabilityStatement once
    // (does it offer `batch`?) before the one refresh request.
    assert_eq!(
        again["requests"], 2,
        "metadata once, then one refresh request"
    );
    assert_eq!(again["changed"], 0);
    let text = run(a, &["queue", "sync"]);
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("0 changed"),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );

    let claimed = json(a, &["queue", "claim", "sr-1"]);
    assert_eq!(claimed["view"], "mine");

    let tmp = tempfile::tempdir().unwrap();
    let b = tmp.path();
    second_desk(&serve, b);
    json(b, &["queue", "sync"]);
    let others = json(b, &["queue", "list", "--view", "others"]);
    assert_eq!(item(&others, "sr-1")["view"], "others");
    let refused = refdesk(b)
        .args(["queue", "claim", "sr-1"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("This order is being worked by "),
        "{}",
        stderr(&refused)
    );
    let (code, err) = json_any(b, &["queue", "claim", "sr-1"]);
    assert_eq!(code, 1);
    assert!(err.is_null() || err["code"] == "order_claimed", "{err}");

    assert_eq!(json(a, &["queue", "release", "sr-1"])["view"], "unclaimed");
    assert_eq!(json(b, &["queue", "claim", "sr-1"])["view"], "mine");

    let booked = json(
        b,
        &["queue", "book", "sr-1", "--referrer-phone", "555-0100"],
    );
    assert!(booked["appointmentId"].is_string(), "{booked}");
    let done = json(b, &["queue", "list", "--view", "done"]);
    let outcome = item(&done, "sr-1")["outcome"].as_str().unwrap().to_owned();
    assert!(outcome.starts_with("booked "), "{outcome}");
    json(a, &["queue", "sync"]);
    let seen = json(a, &["queue", "list", "--view", "done"]);
    assert_eq!(item(&seen, "sr-1")["outcome"], outcome, "both desks agree");

    let started = run(
        b,
        &["queue", "start", "sr-2", "--referrer-phone", "555-0100"],
    );
    assert!(started.status.success(), "{}", stderr(&started));
    let referral = String::from_utf8_lossy(&started.stdout).trim().to_owned();
    let again = run(b, &["queue", "start", "sr-2"]);
    assert_eq!(
        String::from_utf8_lossy(&again.stdout).trim(),
        referral,
        "starting twice gives the same referral"
    );
}
