//! A status change and its audit event are one transaction: both are written or neither is.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{new_org, smith, status_event, store_with_org};
use referral_store::{EventKind, ReferralStatus, Store, StoreError, Transition};

#[test]
fn a_status_change_writes_its_event_in_the_same_step() {
    let (store, _) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();
    let step = Transition::to(ReferralStatus::Searching, Some("looking"));
    let moved = store
        .transition(r.id, r.version, &step, &status_event("search"))
        .unwrap();
    assert_eq!(moved.status, ReferralStatus::Searching);
    let events = store.events_for_referral(r.id).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, EventKind::StatusChange);
    assert_eq!(
        events[0].referral_id,
        Some(r.id),
        "the event is tied to the referral"
    );
}

#[test]
fn when_the_event_cannot_be_written_the_status_does_not_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("worklist.sqlite3");
    let store = Store::open(&path).unwrap();
    store.add_organisation(&new_org("north")).unwrap();
    let r = store.create_referral(&smith()).unwrap();
    // Another connection makes every event insert fail, as a full disk or a crash would at
    // that point: the status update before it in the transaction must be undone.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refuse_events BEFORE INSERT ON referral_events \
             BEGIN SELECT RAISE(ABORT, 'event refused'); END;",
        )
        .unwrap();

    let step = Transition::to(ReferralStatus::Searching, None);
    let err = store
        .transition(r.id, r.version, &step, &status_event("search"))
        .unwrap_err();

    assert!(matches!(err, StoreError::Sqlite(_)), "{err:?}");
    let after = store.referral(r.id).unwrap();
    assert_eq!(after.status, ReferralStatus::Draft, "status rolled back");
    assert_eq!(after.version, r.version, "nothing was written");
    assert!(store.events_for_referral(r.id).unwrap().is_empty());
}

#[test]
fn an_event_naming_an_unknown_organisation_undoes_the_status_change() {
    let (store, _) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();
    let mut event = status_event("search");
    event.organisation_id = Some(common::org_id("nowhere"));
    let step = Transition::to(ReferralStatus::Searching, None);
    let err = store
        .transition(r.id, r.version, &step, &event)
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(store.referral(r.id).unwrap().status, ReferralStatus::Draft);
}

#[test]
fn a_forbidden_transition_changes_nothing_and_writes_no_event() {
    let (store, _) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();
    let cancel = Transition::to(ReferralStatus::Cancelled, Some("withdrawn"));
    let cancelled = store
        .transition(r.id, r.version, &cancel, &status_event("cancel"))
        .unwrap();
    let reopen = Transition::to(ReferralStatus::Searching, None);
    let err = store
        .transition(r.id, cancelled.version, &reopen, &status_event("reopen"))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::IllegalTransition {
                from: ReferralStatus::Cancelled,
                to: ReferralStatus::Searching
            }
        ),
        "{err:?}"
    );
    assert_eq!(store.referral(r.id).unwrap(), cancelled, "unchanged");
    assert_eq!(
        store.events_for_referral(r.id).unwrap().len(),
        1,
        "only the cancel"
    );
}
