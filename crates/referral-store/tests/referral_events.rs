//! The audit trail: events are appended in order, stamped by the clock, and can never be
//! rewritten, not even with SQL on the file.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use chrono::Duration;
use common::{org_id, smith, store_with_org, t0};
use referral_store::{EventKind, EventOutcome, NewEvent, ReferralId, Store, StoreError};
use serde_json::json;

fn hold_event(referral: ReferralId, outcome: EventOutcome) -> NewEvent {
    NewEvent {
        referral_id: Some(referral),
        kind: EventKind::Hold,
        organisation_id: Some(org_id("north")),
        request: "$hold Appointment/appt-1".into(),
        outcome,
        detail: Some(json!({"http": 409, "outcome": "slot taken"})),
    }
}

#[test]
fn events_come_back_in_the_order_they_happened_with_clock_times() {
    let (store, clock) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();
    let first = store
        .append_event(&hold_event(r.id, EventOutcome::Refused))
        .unwrap();
    clock.advance(Duration::seconds(5));
    let second = store
        .append_event(&hold_event(r.id, EventOutcome::Succeeded))
        .unwrap();

    let trail = store.events_for_referral(r.id).unwrap();
    assert_eq!(
        trail,
        vec![first.clone(), second.clone()],
        "oldest first, exactly as appended"
    );
    assert!(
        first.id < second.id,
        "ids order the trail even when clocks tie"
    );
    assert_eq!(second.at, t0() + Duration::seconds(5));
    assert_eq!(
        first.detail,
        Some(json!({"http": 409, "outcome": "slot taken"}))
    );
    assert_eq!(
        store.recent_events(1).unwrap(),
        vec![second],
        "newest first for the activity view"
    );
}

#[test]
fn events_for_an_organisation_without_a_referral_are_allowed() {
    let (store, _) = store_with_org();
    let event = NewEvent {
        referral_id: None,
        kind: EventKind::Capability,
        organisation_id: Some(org_id("north")),
        request: "GET /metadata".into(),
        outcome: EventOutcome::Succeeded,
        detail: None,
    };
    let stored = store.append_event(&event).unwrap();
    assert_eq!(stored.kind, EventKind::Capability);
    assert_eq!(stored.referral_id, None);
}

#[test]
fn events_pointing_at_unknown_things_or_saying_nothing_are_refused() {
    let (store, _) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();

    let err = store
        .append_event(&hold_event(ReferralId::random(), EventOutcome::Failed))
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownReferral(_)), "{err:?}");
    let mut wrong_org = hold_event(r.id, EventOutcome::Failed);
    wrong_org.organisation_id = Some(org_id("south"));
    assert!(matches!(
        store.append_event(&wrong_org).unwrap_err(),
        StoreError::UnknownOrganisation(_)
    ));
    let mut empty = hold_event(r.id, EventOutcome::Failed);
    empty.request = " ".into();
    assert!(store.append_event(&empty).unwrap_err().is_invalid_input());

    assert!(
        store.events_for_referral(r.id).unwrap().is_empty(),
        "no half-written events"
    );
}

#[test]
fn the_database_itself_refuses_to_update_or_delete_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("worklist.sqlite3");
    let store = Store::open(&path).unwrap();
    store.add_organisation(&common::new_org("north")).unwrap();
    let r = store.create_referral(&smith()).unwrap();
    store
        .append_event(&hold_event(r.id, EventOutcome::Refused))
        .unwrap();
    drop(store);

    // Another program (or a bug going around the API) writes SQL directly to the file.
    let raw = rusqlite::Connection::open(&path).unwrap();
    let update = raw.execute("UPDATE referral_events SET outcome = 'succeeded'", []);
    let delete = raw.execute("DELETE FROM referral_events", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    drop(raw);

    let trail = Store::open(&path)
        .unwrap()
        .events_for_referral(r.id)
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(
        trail[0].outcome,
        EventOutcome::Refused,
        "history still says what happened"
    );
}
