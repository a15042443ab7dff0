//! Desks as `refdesk` processes working a home's queue: setting one up over a data directory
//! (its own key registered at every sandbox organisation, the receiving organisations and the
//! home in its directory, a referring clinician with a phone) and working the queue until
//! nothing is left for it.
#![allow(clippy::unwrap_used, dead_code, reason = "test support")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use referral_core::sandbox::SANDBOX_SCOPES;
use sched_sandbox::{ClientRegistration, RunningSandbox};
use serde_json::Value;

use super::{json, json_any};

/// Scopes a desk asks of its home.
pub const HOME_SCOPES: &str =
    "system/ServiceRequest.rs system/Task.cruds system/Patient.rs system/Coverage.rs";

/// Where a desk's home is: its FHIR base, and the sandbox organisation whose authorization
/// server issues the desk's tokens for it (the sandbox home itself, or the organisation
/// standing in for an independent server's authorization server).
#[derive(Debug, Clone)]
pub struct HomeAt {
    pub issuer_org: String,
    pub base_url: String,
    pub token_url: String,
}

impl HomeAt {
    /// The sandbox organisation `org` as the home.
    pub fn sandbox(sandbox: &RunningSandbox, org: &str) -> Self {
        Self {
            issuer_org: org.to_owned(),
            base_url: sandbox.base_url(org).unwrap(),
            token_url: sandbox.token_url(org).unwrap(),
        }
    }
}

/// A desk over `dir` registered as client `name` with every organisation of `sandbox`: the
/// home's issuer with the home scopes, every other one as a receiving organisation.
pub fn desk(sandbox: &RunningSandbox, home: &HomeAt, dir: &Path, name: &str, lease: u32) {
    let shown = json(dir, &["keys", "show-jwks"]);
    let jwks: Value = serde_json::from_str(shown["jwksJson"].as_str().unwrap()).unwrap();
    for org in sandbox.organisations().to_vec() {
        let is_home = org == home.issuer_org;
        let scopes = if is_home {
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
        if is_home {
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
    let lease = lease.to_string();
    let set = [
        "home",
        "set",
        "--name",
        "Mercy General Hospital",
        "--base-url",
        &home.base_url,
        "--client-id",
        name,
        "--token-url",
        &home.token_url,
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
pub fn work(dir: &Path, reverse: bool) -> usize {
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

/// Both desks have synced and list every one of `orders` as done, none left to work.
pub fn assert_all_done(dirs: [&Path; 2], orders: usize) {
    for dir in dirs {
        json(dir, &["queue", "sync"]);
        let done = json(dir, &["queue", "list", "--view", "done"]);
        assert_eq!(
            done["counts"]["done"], orders,
            "the worklist agrees with the home"
        );
        assert_eq!(done["counts"]["unclaimed"], 0);
    }
}

/// Every one of `orders` orders has exactly one live claim Task among `tasks` (a withdrawn
/// duplicate is `cancelled`), completed, whose output is an Appointment no other order has.
pub fn assert_one_completed_claim_each(tasks: Vec<Value>, orders: usize) {
    let mut per_order: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for t in tasks {
        if t["status"] != "cancelled" {
            let order = t["focus"]["reference"].as_str().unwrap().to_owned();
            per_order.entry(order).or_default().push(t);
        }
    }
    assert_eq!(per_order.len(), orders, "every order has a claim");
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
}
