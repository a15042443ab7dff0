//! sched-client benchmarks: `find_across` ten sandbox organisations speaking the five dialects, with 200 ms added latency
//! (against a sequential loop in the same run), 100 calls to one organisation on one token, and
//! parsing + ranking a 1,000-entry avail-bundle.
#![allow(clippy::unwrap_used, clippy::print_stdout, reason = "benchmark")]

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{Duration as Days, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use fhir_model::FindParams;
use futures::StreamExt;
use futures::future::BoxFuture;
use sched_client::{
    Authorizer, AuthorizerError, Availability, OrgClient, find_across, merge_ranked, rank,
};
use sched_sandbox::{
    Faults, OrgConfig, OrgKind, RunningSandbox, Sandbox, SandboxConfig, SandboxDialect,
};
use serde_json::json;
use smart_auth::{AuthClient, BackendTokens, SigningAlg, SigningKey};

const ORGS: usize = 10;
const LATENCY_MS: u64 = 200;
const SCOPES: &str = "system/*.cruds";

/// smart-auth's cache as an Authorizer, counting the distinct tokens it hands out (each new
/// token is one token request).
#[derive(Debug)]
struct Counting {
    tokens: BackendTokens,
    seen: Mutex<HashSet<String>>,
    calls: AtomicUsize,
}

impl Authorizer for Counting {
    fn bearer(&self, force_refresh: bool) -> BoxFuture<'_, Result<String, AuthorizerError>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::Relaxed);
            let t = self
                .tokens
                .token(force_refresh)
                .await
                .map_err(|e| AuthorizerError::Failed(Box::new(e)))?;
            self.seen.lock().unwrap().insert(t.secret().to_owned());
            Ok(t.secret().to_owned())
        })
    }
}

/// The organisations' dialects, in turn: every dialect twice among the ten, so the fan-out
/// mixes `$find` (Argonaut, IHE, Epic) with Slot searches the client turns into proposals
/// (plain R4, Oracle).
const DIALECTS: [SandboxDialect; 5] = [
    SandboxDialect::Argonaut,
    SandboxDialect::IheIti,
    SandboxDialect::PlainR4,
    SandboxDialect::Epic,
    SandboxDialect::Oracle,
];

fn params() -> FindParams {
    let at = |d| fhir_model::datetime::format_instant(&(Utc::now() + Days::days(d)));
    FindParams {
        start: Some(at(1)),
        end: Some(at(8)),
        count: Some(5),
        // Oracle needs a visit type; every specialty organisation offers new-patient visits.
        visit_type: vec![fhir_model::Token {
            system: Some(fhir_model::urls::CS_VISIT_TYPE.to_owned()),
            code: "new-patient".to_owned(),
        }],
        ..FindParams::default()
    }
}

async fn setup() -> (RunningSandbox, Vec<OrgClient>, Vec<Arc<Counting>>) {
    let organisations = (0..ORGS)
        .map(|i| {
            let mut o = OrgConfig::new(&format!("org{i}"), &format!("Org {i}"), OrgKind::Specialty);
            o.seed.seed = 100 + i as u64;
            o.seed.horizon_weeks = 2;
            o.dialect = DIALECTS[i % DIALECTS.len()];
            o
        })
        .collect();
    let sandbox = Sandbox::start(SandboxConfig {
        organisations,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let key = Arc::new(SigningKey::generate(SigningAlg::Es384).unwrap());
    let auth = AuthClient::new().unwrap();
    let mut clients = Vec::new();
    let mut counters = Vec::new();
    for i in 0..ORGS {
        let org = format!("org{i}");
        let registration = sched_sandbox::ClientRegistration {
            client_id: "bench".to_owned(),
            jwks: Some(serde_json::to_value(key.jwks()).unwrap()),
            jwks_url: None,
            scopes: vec![SCOPES.to_owned()],
        };
        sandbox.register_client(&org, registration).unwrap();
        let base = sandbox.base_url(&org).unwrap();
        let (tokens, _) = BackendTokens::discover(
            auth.clone(),
            &url::Url::parse(&base).unwrap(),
            "bench",
            [SCOPES],
            Arc::clone(&key),
        )
        .await
        .unwrap();
        let counting = Arc::new(Counting {
            tokens,
            seen: Mutex::new(HashSet::new()),
            calls: AtomicUsize::new(0),
        });
        let client = OrgClient::builder(base)
            .name(org)
            .authorizer(counting.clone())
            .build()
            .unwrap();
        client.capabilities().await.unwrap();
        clients.push(client);
        counters.push(counting);
    }
    (sandbox, clients, counters)
}

fn across(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (sandbox, clients, counters) = rt.block_on(setup());
    for i in 0..ORGS {
        let faults = Faults {
            latency_ms: LATENCY_MS,
            ..Faults::default()
        };
        sandbox.set_faults(&format!("org{i}"), faults).unwrap();
    }
    let p = params();
    let mut g = c.benchmark_group("find_across_10_orgs_200ms_latency");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    g.bench_function("concurrent_find_across", |b| {
        b.to_async(&rt).iter(|| async {
            let events: Vec<_> = find_across(&clients, &p, Duration::from_secs(5))
                .collect()
                .await;
            assert!(events.iter().all(|e| e.result.is_ok()));
            merge_ranked(&events, &p).len()
        });
    });
    g.measurement_time(Duration::from_secs(25));
    g.bench_function("sequential_loop", |b| {
        b.to_async(&rt).iter(|| async {
            let mut n = 0;
            for client in &clients {
                n += client.find_appointments(&p).await.unwrap().proposals.len();
            }
            n
        });
    });
    g.finish();
    let calls: usize = counters
        .iter()
        .map(|c| c.calls.load(Ordering::Relaxed))
        .sum();
    let tokens: usize = counters.iter().map(|c| c.seen.lock().unwrap().len()).sum();
    println!(
        "find_across bench: {calls} FHIR calls over {ORGS} organisations used {tokens} tokens"
    );
    drop(sandbox);
}

fn one_token(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (_sandbox, clients, counters) = rt.block_on(setup());
    let client = clients[0].clone();
    let p = params();
    let mut g = c.benchmark_group("one_org");
    g.sample_size(10);
    g.bench_function("100_find_calls", |b| {
        b.to_async(&rt).iter(|| async {
            for _ in 0..100 {
                client.find_appointments(&p).await.unwrap();
            }
        });
    });
    g.finish();
    let calls = counters[0].calls.load(Ordering::Relaxed);
    let tokens = counters[0].seen.lock().unwrap().len();
    println!("one_org: {calls} authorised FHIR calls, {tokens} token request(s)");
    assert_eq!(tokens, 1, "every call reused the one cached token");
}

/// A 1,000-entry avail-bundle shaped like the sandbox's (argo-appt must-support elements).
fn big_bundle() -> Vec<u8> {
    let entries: Vec<_> = (0..1000)
        .map(|i| {
            let start = Utc::now() + Days::minutes(15 * ((i * 7919) % 1000));
            let end = start + Days::minutes(15);
            let fmt = |t| fhir_model::datetime::format_instant(&t);
            json!({"fullUrl": format!("http://127.0.0.1/x/fhir/Appointment/prop-{i}"), "search": {"mode": "match"},
              "resource": {"resourceType": "Appointment", "id": format!("prop-{i}"), "status": "proposed",
                "meta": {"profile": [fhir_model::urls::PROFILE_ARGO_APPT]},
                "serviceType": [{"coding": [{"system": fhir_model::urls::CS_VISIT_TYPE, "code": "new-patient"}]}],
                "specialty": [{"coding": [{"system": "http://snomed.info/sct", "code": if i % 2 == 0 { "394582007" } else { "419772000" }}]}],
                "start": fmt(start), "end": fmt(end), "minutesDuration": 15,
                "slot": [{"reference": format!("Slot/s{i}")}],
                "participant": [
                  {"actor": {"reference": format!("Practitioner/dr-{}", i % 9), "display": "Dr Example"}, "required": "required", "status": "needs-action"},
                  {"actor": {"reference": "Location/main"}, "required": "required", "status": "needs-action"}],
                "requestedPeriod": [{"start": fmt(start), "end": fmt(end)}]}})
        })
        .collect();
    json!({"resourceType": "Bundle", "type": "searchset", "total": 1000, "entry": entries})
        .to_string()
        .into_bytes()
}

/// Nanoseconds this thread has spent on a CPU (`/proc/thread-self/schedstat`, Linux): the work
/// done, whatever else the shared machine is running.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn parse_and_rank(c: &mut Criterion) {
    let body = big_bundle();
    let mut p = params();
    p.practitioner = (0..9)
        .rev()
        .map(|i| format!("Practitioner/dr-{i}"))
        .collect();
    p.specialty = vec![fhir_model::Token::new(
        "http://snomed.info/sct",
        "394582007",
    )];
    let parsed = Availability::from_json(&body).unwrap();
    c.bench_function("rank_only_1000", |b| {
        b.iter(|| rank([(0, "org", &parsed)], &p).len());
    });
    let parse_rank = || {
        let a = Availability::from_json(&body).unwrap();
        rank([(0, "org", &a)], &p).len()
    };
    c.bench_function("parse_and_rank_1000_entry_avail_bundle", |b| {
        b.iter(parse_rank)
    });
    if thread_cpu_ns() > 0 {
        c.bench_function(
            "parse_and_rank_1000_entry_avail_bundle_thread_cpu_time",
            |b| {
                b.iter_custom(|iters| {
                    let before = thread_cpu_ns();
                    for _ in 0..iters {
                        std::hint::black_box(parse_rank());
                    }
                    Duration::from_nanos(thread_cpu_ns() - before)
                });
            },
        );
    }
}

criterion_group!(benches, parse_and_rank, one_token, across);
criterion_main!(benches);
