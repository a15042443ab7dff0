//! Importing the IG's 2017 connectathon seed bundles (read in place from `../shared`, never
//! copied): every resource loads, the known defects are repaired, the two-week pattern moves to
//! the current weeks, and a sandbox seeded with them answers `$find` on the shifted dates.
#![allow(clippy::unwrap_used, reason = "tests")]

#[path = "../../../../tests/support/peer.rs"]
mod peer;
mod sandbox;

use std::path::PathBuf;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};
use fhir_model::urls::{NPI, SNOMED};
use sched_sandbox::import::{ImportError, load_file, load_text};
use sched_sandbox::seed::SeedData;

pub const BUNDLES: [&str; 6] = [
    "org_bundle.xml",
    "loc_bundle.xml",
    "pract_bundle.xml",
    "prole_bundle.xml",
    "sched_bundle.xml",
    "slot_bundle.xml",
];

/// The connectathon folder, or `None` (with a notice; a failure under `CI`) when `../shared` is
/// absent.
pub fn connectathon_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("REFDESK_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let dir = shared.join("argonaut-examples/connectathon_test_data");
    peer::or_skip(
        dir.is_dir().then_some(dir),
        "../shared/argonaut-examples/connectathon_test_data",
        "clone the shared folder next to the repository as ../shared, or set REFDESK_SHARED",
    )
}

pub fn pacific() -> FixedOffset {
    FixedOffset::west_opt(7 * 3600).unwrap()
}

pub fn load_all(dir: &std::path::Path, now: DateTime<Utc>) -> SeedData {
    let mut seed = SeedData::default();
    for name in BUNDLES {
        seed.extend(load_file(&dir.join(name), now, pacific()).unwrap());
    }
    seed
}

#[test]
fn connectathon_bundles_load_repaired_and_shifted_to_the_current_weeks() {
    let Some(dir) = connectathon_dir() else {
        return;
    };
    // A Wednesday: the pattern's first Monday becomes this week's Monday, 2026-11-16.
    let now = Utc.with_ymd_and_hms(2026, 11, 18, 15, 0, 0).unwrap();
    let seed = load_all(&dir, now);
    assert_eq!(seed.practitioners.len(), 9);
    assert_eq!(seed.organizations.len(), 9);
    assert_eq!(seed.locations.len(), 9);
    assert_eq!(seed.roles.len(), 9);
    assert_eq!(seed.schedules.len(), 9);
    assert_eq!(seed.slots.len(), 3240);
    assert_eq!(
        seed.slots.iter().filter(|s| s.status == "free").count(),
        1852
    );
    assert_eq!(
        seed.slots
            .iter()
            .filter(|s| s.status == "busy-unavailable")
            .count(),
        1388
    );

    let schedule_ids: Vec<String> = seed
        .schedules
        .iter()
        .map(|s| format!("Schedule/{}", s.id.as_deref().unwrap()))
        .collect();
    let mut days = std::collections::BTreeSet::new();
    for slot in &seed.slots {
        let start = DateTime::parse_from_rfc3339(&slot.start).expect("start has a zone now");
        let end = DateTime::parse_from_rfc3339(&slot.end).unwrap();
        assert_eq!(end - start, Duration::minutes(15));
        assert_eq!(start.offset(), &pacific());
        assert!(
            schedule_ids.contains(slot.schedule.reference.as_ref().unwrap()),
            "{:?}",
            slot.schedule
        );
        assert!(
            slot.specialty
                .iter()
                .all(|c| c.coding.iter().all(|c| c.system.as_deref() == Some(SNOMED)))
        );
        days.insert(start.date_naive());
    }
    let first = *days.first().unwrap();
    let last = *days.last().unwrap();
    assert_eq!(first, NaiveDate::from_ymd_opt(2026, 11, 16).unwrap());
    assert_eq!(first.weekday(), Weekday::Mon, "2017-08-28 was a Monday too");
    assert_eq!(
        last,
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        "two working weeks"
    );
    assert!(
        days.iter().all(|d| d.weekday().num_days_from_monday() < 5),
        "no weekend slots"
    );
    // A known slot of the original data: Dr Boyce (arg-s-1) at 08:00 on the first Monday.
    let slot = seed
        .slots
        .iter()
        .find(|s| s.id.as_deref() == Some("2017-08-28T080000-arg-s-1"))
        .unwrap();
    assert_eq!(slot.start, "2026-11-16T08:00:00-07:00");
    assert_eq!(slot.schedule.reference.as_deref(), Some("Schedule/arg-s-1"));

    let horizon = seed.schedules[0].planning_horizon.as_ref().unwrap();
    assert_eq!(horizon.start.as_deref(), Some("2026-11-16"));
    assert_eq!(horizon.end.as_deref(), Some("2026-11-27"));
    for p in &seed.practitioners {
        assert!(
            p.identifier
                .iter()
                .all(|i| i.system.as_deref() == Some(NPI)),
            "{:?}",
            p.identifier
        );
    }
    let derm_role = seed
        .roles
        .iter()
        .find(|r| r.id.as_deref() == Some("arg-s-1"))
        .unwrap();
    assert!(derm_role.specialty[0].has_code(Some(SNOMED), "394582007"));
    assert_eq!(seed.practitioners[0].name[0].given, ["Philip"]);
    let cities: Vec<&str> = seed
        .locations
        .iter()
        .filter_map(|l| l.address.as_ref()?.city.as_deref())
        .collect();
    assert_eq!(cities.len(), 9);
    assert!(
        cities
            .iter()
            .all(|c| ["San Jose", "San Francisco", "Sacramento"].contains(c)),
        "{cities:?}"
    );
}

#[test]
fn on_a_weekend_the_pattern_moves_to_next_week() {
    let Some(dir) = connectathon_dir() else {
        return;
    };
    let sunday = Utc.with_ymd_and_hms(2026, 11, 22, 20, 0, 0).unwrap();
    let slots = load_file(&dir.join("slot_bundle.xml"), sunday, pacific())
        .unwrap()
        .slots;
    let first = slots.iter().map(|s| s.start.clone()).min().unwrap();
    assert!(first.starts_with("2026-11-23T"), "{first}");
}

#[test]
fn json_bundles_load_the_same_way() {
    let json = r#"{"resourceType": "Bundle", "type": "transaction", "entry": [
        {"resource": {"resourceType": "Schedule", "actor": [{"reference": "Practitioner/p"}],
                      "planningHorizon": {"start": "2017-08-28", "end": "2017-09-08"}},
         "request": {"method": "PUT", "url": "Schedule/p"}},
        {"resource": {"resourceType": "Slot", "id": "s1", "schedule": {"reference": "Schedule/p"},
                      "status": "free", "start": "2017-08-29T10:00:00", "end": "2017-08-29T10:15:00"},
         "request": {"method": "PUT", "url": "Slot/s1"}}]}"#;
    let now = Utc.with_ymd_and_hms(2026, 11, 18, 15, 0, 0).unwrap();
    let seed = load_text(json, now, pacific()).unwrap();
    assert_eq!(
        seed.schedules[0].id.as_deref(),
        Some("p"),
        "id taken from request.url"
    );
    assert_eq!(
        seed.slots[0].start, "2026-11-17T10:00:00-07:00",
        "a Tuesday stays a Tuesday"
    );
}

#[test]
fn bad_bundles_are_refused_with_a_clear_error() {
    let now = Utc::now();
    let cases: [(&str, &str); 6] = [
        ("{", "malformed JSON"),
        (
            "<Bundle><type value=\"transaction\"></Bundle>",
            "malformed XML",
        ),
        (r#"{"resourceType": "Patient"}"#, "expected a Bundle"),
        (
            r#"{"resourceType": "Bundle", "entry": [{"request": {"url": "Slot/x"}}]}"#,
            "no resource",
        ),
        (
            r#"{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Slot", "id": "a"},
            "request": {"url": "Slot/b"}}]}"#,
            "disagree",
        ),
        (
            r#"{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Observation", "id": "o"}}]}"#,
            "cannot be imported",
        ),
    ];
    for (text, expected) in cases {
        let err = load_text(text, now, pacific()).unwrap_err();
        assert!(err.to_string().contains(expected), "{text}: {err}");
    }
    let missing = load_file(
        std::path::Path::new("/nonexistent/bundle.xml"),
        now,
        pacific(),
    )
    .unwrap_err();
    assert!(matches!(missing, ImportError::Read { .. }) && missing.is_io());
}
