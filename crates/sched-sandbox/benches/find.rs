//! `$find` for one specialty (dermatology) over two weeks on the default seed, in process: the
//! scheduling rules and SQLite query without HTTP. Target: p50 ≤ 5 ms (criterion's median).

use std::hint::black_box;
use std::sync::Arc;

use chrono::{Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use fhir_model::FindParams;
use fhir_model::terminology::SPECIALTIES;
use sched_sandbox::org::Organisation;
use sched_sandbox::store::Store;
use sched_sandbox::{Clock, SandboxConfig};

fn find_one_specialty_two_weeks(c: &mut Criterion) {
    let config = SandboxConfig::default();
    let store = Arc::new(Store::open(None).expect("in-memory store"));
    let org = Organisation::open(
        &config.organisations[0],
        store,
        "http://127.0.0.1:9",
        Clock::system(),
    )
    .expect("seeded organisation");
    let now = Utc::now();
    let params = FindParams {
        start: Some(now.to_rfc3339()),
        end: Some((now + Duration::days(14)).to_rfc3339()),
        specialty: vec![SPECIALTIES.token("394582007")],
        ..FindParams::default()
    };
    let first = org.find(&params).expect("find");
    assert!(
        first.total.unwrap_or(0) > 0,
        "the default seed has dermatology availability"
    );
    c.bench_function("find_dermatology_two_weeks", |b| {
        b.iter(|| black_box(org.find(black_box(&params)).expect("find")))
    });
}

criterion_group!(benches, find_one_specialty_two_weeks);
criterion_main!(benches);
