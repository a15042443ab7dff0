//! Worklist filters on 100,000 referrals in a file database; the target is ≤ 20 ms per query.
//!
//! Run with `cargo bench -p referral-store --bench worklist`. The file is encrypted with SQLCipher
//! as the app's worklist is; `REFDESK_BENCH_PLAIN=1` measures a plaintext file for comparison.
//! The fixture is generated once, in
//! one transaction (12–15 s of CPU), with a deterministic spread of organisations, statuses,
//! windows, booked dates, names and MRNs, so every run measures the same data.
#![allow(clippy::unwrap_used, reason = "benchmark fixture")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use referral_store::{
    DateFilter, DateWindow, ManualClock, MatchMode, NewOrganisation, NewReferral, OrganisationId,
    PatientSummary, Priority, ReferralStatus, Store, TextFilter, WorklistOrder, WorklistQuery,
};

const REFERRALS: u64 = 100_000;
const ORGANISATIONS: u64 = 20;
const FAMILIES: &[&str] = &[
    "Smith",
    "Jones",
    "Okafor",
    "Nguyen",
    "García",
    "Müller",
    "Kowalski",
    "Ängström",
    "Silva",
    "Haddad",
    "Tanaka",
    "Kim",
    "Brown",
    "Wilson",
    "Taylor",
    "Davies",
    "Evans",
    "Thomas",
    "Johnson",
    "Roberts",
    "Walker",
    "Wright",
    "Robinson",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Lewis",
    "Martin",
    "Jackson",
    "Clarke",
    "Clark",
    "Turner",
    "Hill",
    "Scott",
    "Cooper",
    "Morris",
    "Ward",
    "Moore",
    "King",
    "Watson",
    "Baker",
    "Harrison",
    "Morgan",
    "Patel",
    "Young",
];
const GIVEN: &[&str] = &[
    "Anna", "Ben", "Chidi", "Dana", "Emil", "Fatima", "George", "Hana", "Ivan", "Julia", "Kofi",
    "Lena", "Marco", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara",
];

/// splitmix64: a deterministic scramble whose outputs for different salts are independent, so
/// organisation, name and dates are not correlated with each other or with the row number.
fn mix(i: u64, salt: u64) -> u64 {
    let mut z = i.wrapping_add(salt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn org(i: u64) -> OrganisationId {
    OrganisationId::new(format!("org-{i:02}")).unwrap()
}

fn referral(i: u64) -> NewReferral {
    let family = FAMILIES[(mix(i, 1) % FAMILIES.len() as u64) as usize];
    let given = GIVEN[(mix(i, 2) % GIVEN.len() as u64) as usize];
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(mix(i, 3) % 365);
    NewReferral {
        patient: PatientSummary {
            display_name: format!("{given} {family}"),
            family: Some(family.into()),
            given: Some(given.into()),
            birth_date: None,
            gender: None,
            home_mrn: Some(format!("MRN-{:07}", mix(i, 4) % 10_000_000)),
            target_patient_id: None,
        },
        organisation_id: org(mix(i, 5) % ORGANISATIONS),
        specialty: None,
        visit_type: None,
        reason: Some("Follow-up".into()),
        priority: Priority::Routine,
        requested_window: Some(DateWindow {
            start,
            end: start + chrono::Days::new(14),
        }),
        created_by: "bench".into(),
        content: Default::default(),
    }
}

/// The benchmark's worklist key (any 32 bytes: the data is generated).
const KEY: [u8; 32] = [0x5a; 32];

/// Whether the file is encrypted, as the app's is (the default).
fn encrypted() -> bool {
    std::env::var_os("REFDESK_BENCH_PLAIN").is_none()
}

fn open(path: &std::path::Path, clock: Arc<ManualClock>) -> Store {
    if encrypted() {
        let key = referral_store::WorklistKey::from_bytes(&KEY).unwrap();
        Store::open_encrypted(path, clock, &key).unwrap()
    } else {
        Store::open_with_clock(path, clock).unwrap()
    }
}

/// A raw connection on the fixture file, keyed when it is encrypted.
fn raw_connection(path: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    if encrypted() {
        let hex: String = KEY.iter().map(|b| format!("{b:02X}")).collect();
        conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))
            .unwrap();
    }
    conn
}

/// Builds the 100,000-referral file and returns an open store on it.
fn fixture(dir: &std::path::Path) -> Store {
    let started = Instant::now();
    let path = dir.join("worklist.sqlite3");
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    ));
    let store = open(&path, clock.clone());
    for i in 0..ORGANISATIONS {
        store
            .add_organisation(&NewOrganisation {
                id: org(i),
                display_name: format!("Organisation {i}"),
                fhir_base_url: format!("https://org{i}.example.org/fhir"),
                client_id: "bench".into(),
                key_ref: "bench-key".into(),
                scopes: vec![],
                token_endpoint: None,
                enabled: true,
                is_sandbox: false,
            })
            .unwrap();
    }
    let batch: Vec<_> = (0..REFERRALS).map(referral).collect();
    store.create_referrals(&batch).unwrap();
    eprintln!("fixture: inserted after {:?}", started.elapsed());
    spread_states(&path);
    eprintln!("fixture: states spread after {:?}", started.elapsed());
    drop(store);
    // Reopen, as the app does at start: this is when statistics are refreshed.
    let store = open(&path, clock);
    eprintln!(
        "fixture: {REFERRALS} referrals in {:?} (encrypted: {})",
        started.elapsed(),
        encrypted()
    );
    store
}

/// Gives the rows a realistic mix of statuses, booked dates and update times, in one
/// transaction of plain SQL (going through the API would mean 100,000 fsynced transactions).
fn spread_states(path: &std::path::Path) {
    let mut raw = raw_connection(path);
    let tx = raw.transaction().unwrap();
    tx.execute_batch(
        "UPDATE referrals SET
           status = CASE rowid % 20
             WHEN 0 THEN 'draft' WHEN 1 THEN 'draft' WHEN 2 THEN 'draft'
             WHEN 3 THEN 'searching' WHEN 4 THEN 'searching' WHEN 5 THEN 'held'
             WHEN 14 THEN 'cancelled' WHEN 15 THEN 'cancelled' WHEN 16 THEN 'rescheduled'
             WHEN 17 THEN 'failed' WHEN 18 THEN 'needs-attention' ELSE 'booked' END,
           updated_at = strftime('%Y-%m-%dT%H:%M:%S.000000Z', '2026-01-01',
                                 '+' || ((rowid * 7919) % 31536000) || ' seconds');
         UPDATE referrals SET
           appointment_id = 'appt-' || rowid,
           booked_start = strftime('%Y-%m-%dT%H:%M:%S.000000Z', requested_start,
                                   '+' || ((rowid * 104729) % 1209600) || ' seconds')
         WHERE status IN ('booked', 'rescheduled');",
    )
    .unwrap();
    tx.commit().unwrap();
}

fn text(t: &str, mode: MatchMode) -> Option<TextFilter> {
    Some(TextFilter {
        text: t.into(),
        mode,
    })
}

fn queries() -> Vec<(&'static str, WorklistQuery)> {
    let week = |d: u32| NaiveDate::from_ymd_opt(2026, 6, d).unwrap();
    let booked_week = DateFilter::Booked {
        from: Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap(),
        to: Utc.with_ymd_and_hms(2026, 6, 8, 0, 0, 0).unwrap(),
    };
    let q = WorklistQuery::default;
    vec![
        ("unfiltered", q()),
        (
            "status_attention_or_held",
            WorklistQuery {
                statuses: vec![ReferralStatus::NeedsAttention, ReferralStatus::Held],
                ..q()
            },
        ),
        (
            "organisation",
            WorklistQuery {
                organisation: Some(org(7)),
                ..q()
            },
        ),
        (
            "booked_by_booked_start",
            WorklistQuery {
                statuses: vec![ReferralStatus::Booked],
                order: WorklistOrder::BookedStartAsc,
                ..q()
            },
        ),
        (
            "name_order_page_20",
            WorklistQuery {
                order: WorklistOrder::PatientName,
                offset: 20 * 50,
                ..q()
            },
        ),
        (
            "requested_week",
            WorklistQuery {
                date: Some(DateFilter::Requested {
                    from: week(1),
                    to: week(7),
                }),
                ..q()
            },
        ),
        (
            "booked_week",
            WorklistQuery {
                date: Some(booked_week),
                ..q()
            },
        ),
        (
            "name_prefix",
            WorklistQuery {
                patient_name: text("ängs", MatchMode::Prefix),
                ..q()
            },
        ),
        (
            "name_contains",
            WorklistQuery {
                patient_name: text("ilso", MatchMode::Contains),
                ..q()
            },
        ),
        (
            "mrn_prefix",
            WorklistQuery {
                mrn: text("mrn-00123", MatchMode::Prefix),
                ..q()
            },
        ),
        (
            "mrn_contains",
            WorklistQuery {
                mrn: text("4242", MatchMode::Contains),
                ..q()
            },
        ),
        (
            "search_name_or_mrn_status",
            WorklistQuery {
                statuses: vec![ReferralStatus::Booked],
                search: text("ilso", MatchMode::Contains),
                ..q()
            },
        ),
        (
            "combined",
            WorklistQuery {
                statuses: vec![ReferralStatus::Booked, ReferralStatus::Rescheduled],
                organisation: Some(org(3)),
                date: Some(booked_week),
                patient_name: text("s", MatchMode::Prefix),
                ..q()
            },
        ),
    ]
}

fn worklist(c: &mut Criterion) {
    // REFERRAL_STORE_BENCH_DIR keeps the fixture file for looking at query plans afterwards.
    let dir = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("REFERRAL_STORE_BENCH_DIR").map(std::path::PathBuf::from);
    let store = fixture(keep.as_deref().unwrap_or(dir.path()));
    let mut group = c.benchmark_group("worklist_100k");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(3));
    for (name, query) in queries() {
        let found = store.worklist(&query).unwrap().referrals.len();
        assert!(
            found > 0,
            "{name} must select something, or it measures nothing"
        );
        group.bench_function(name, |b| b.iter(|| store.worklist(&query).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, worklist);
criterion_main!(benches);
