//! Benchmark of the home queue (issue 11): importing 10,000 open referral orders from the
//! sandbox home (paged, with their patients and coverages, into an encrypted worklist) and an
//! unchanged refresh afterwards. Targets: the import ≤ 10 s, the unchanged refresh one request.
//! A plain bench binary (`harness = false`): each round is a new desk (data directory) over the
//! same home, so every round imports everything; the unchanged refresh is timed once the home has
//! been quiet for two of the core's 5 s clock-skew margins (see `home/queue.rs`). Run with
//! `cargo bench -p refdesk-tests --bench queue_import` (`-- --orders N --rounds R` to vary).
#![allow(clippy::unwrap_used, clippy::print_stdout, reason = "benchmark")]

use std::time::{Duration, Instant};

use refdesk_tests::desk::open_app;
use referral_core::home::desk::HOME_SCOPES;
use referral_core::sandbox::SANDBOX_CLIENT_ID;
use referral_model::HomeInput;
use sched_sandbox::{ClientRegistration, OrgConfig, OrgKind, Sandbox, SandboxConfig};

/// The IG's three scenario orders come on top of the generated ones.
const SCENARIO_ORDERS: u32 = 3;

fn arg(name: &str, default: u32) -> u32 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let orders = arg("--orders", 10_000);
    let rounds = arg("--rounds", 3).max(1);
    let mut home = OrgConfig::new("home", "Mercy General Hospital", OrgKind::Home);
    home.seed.orders = orders.saturating_sub(SCENARIO_ORDERS);
    let seeding = Instant::now();
    let sandbox = Sandbox::start(SandboxConfig {
        organisations: vec![home],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    println!(
        "home seeded with {orders} orders in {:.1} s (not measured)",
        seeding.elapsed().as_secs_f64()
    );

    let mut imports = Vec::new();
    let mut refreshes = Vec::new();
    for round in 1..=rounds {
        let dir = tempfile::tempdir().unwrap();
        let app = open_app(dir.path(), None);
        sandbox
            .register_client(
                "home",
                ClientRegistration {
                    client_id: format!("{SANDBOX_CLIENT_ID}-{round}"),
                    jwks: Some(serde_json::to_value(app.key().unwrap().jwks()).unwrap()),
                    jwks_url: None,
                    scopes: HOME_SCOPES.split_whitespace().map(str::to_owned).collect(),
                },
            )
            .unwrap();
        app.set_home(HomeInput {
            name: "Mercy General Hospital".to_owned(),
            base_url: sandbox.base_url("home").unwrap(),
            client_id: format!("{SANDBOX_CLIENT_ID}-{round}"),
            token_url: Some(sandbox.token_url("home").unwrap()),
            lease_seconds: None,
        })
        .await
        .unwrap();

        let started = Instant::now();
        let import = app.refresh_queue().await.unwrap();
        let took = started.elapsed();
        assert_eq!(import.items, orders, "every order imported: {import:?}");
        println!(
            "round {round}: import of {} orders in {:.2} s, {} requests, {} with a problem",
            import.items,
            took.as_secs_f64(),
            import.requests,
            import.problems
        );
        imports.push(took);

        // Within ten seconds (two clock-skew margins) of the newest change the orders just
        // imported are read again (unchanged, so nothing is written); once the home has been
        // quiet that long, the window is settled and an unchanged refresh is one request.
        let soon = app.refresh_queue().await.unwrap();
        assert_eq!(soon.changed, 0, "nothing changed at home: {soon:?}");
        println!(
            "round {round}: refresh right after the import: {} request(s), nothing changed",
            soon.requests
        );
        tokio::time::sleep(Duration::from_secs(11)).await;
        let settling = app.refresh_queue().await.unwrap();
        assert_eq!(settling.changed, 0, "nothing changed at home: {settling:?}");
        let started = Instant::now();
        let again = app.refresh_queue().await.unwrap();
        let took = started.elapsed();
        assert_eq!(again.changed, 0, "nothing changed at home: {again:?}");
        println!(
            "round {round}: unchanged refresh in {:.1} ms, {} request(s)",
            took.as_secs_f64() * 1e3,
            again.requests
        );
        assert_eq!(again.requests, 1, "an unchanged refresh is one request");
        refreshes.push(took);
    }
    println!(
        "median import {:.2} s (target ≤ 10 s); median unchanged refresh {:.1} ms, 1 request",
        median(imports).as_secs_f64(),
        median(refreshes).as_secs_f64() * 1e3
    );
    sandbox.shutdown().await;
}
