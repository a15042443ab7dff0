//! The journal of intents: an intent begun is on disk before `begin` returns, survives the
//! process dying, and is resolved exactly once.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use common::{new_org, org_id, smith, store_with_org, t0};
use referral_store::{
    Intent, JournalId, Operation, ReferralId, Resolution, ResolutionKind, Store, StoreError,
};
use serde_json::json;

fn book_intent(referral: Option<ReferralId>) -> Intent {
    Intent {
        referral_id: referral,
        organisation_id: org_id("north"),
        operation: Operation::Book,
        request: json!({"appointment-id": "appt-1", "patient-id": "pat-7"}),
    }
}

fn succeeded() -> Resolution {
    Resolution {
        kind: ResolutionKind::Succeeded,
        detail: Some(json!({"appointment": "appt-1b"})),
    }
}

/// A file store with organisation `north` and one referral, closed again.
fn prepared_file(dir: &Path) -> (std::path::PathBuf, ReferralId) {
    let path = dir.join("worklist.sqlite3");
    let store = Store::open(&path).unwrap();
    store.add_organisation(&new_org("north")).unwrap();
    let referral = store.create_referral(&smith()).unwrap().id;
    (path, referral)
}

#[test]
fn an_intent_is_unresolved_until_resolved_and_then_keeps_its_outcome() {
    let (store, clock) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();
    let id = store.journal().begin(&book_intent(Some(r.id))).unwrap();

    let pending = store.journal().unresolved().unwrap();
    assert_eq!(pending.len(), 1, "recovery would reconcile this call");
    assert_eq!(pending[0].id, id);
    assert_eq!(
        pending[0].intent,
        book_intent(Some(r.id)),
        "enough to read the booking back"
    );
    assert_eq!(pending[0].started_at, t0());

    clock.advance(Duration::seconds(2));
    let entry = store.journal().resolve(id, &succeeded()).unwrap();
    let resolved = entry.resolved.unwrap();
    assert_eq!(resolved.resolution, succeeded());
    assert_eq!(resolved.at, t0() + Duration::seconds(2));
    assert!(
        store.journal().unresolved().unwrap().is_empty(),
        "nothing left to reconcile"
    );
    assert_eq!(store.journal().for_referral(r.id).unwrap().len(), 1);
}

#[test]
fn each_intent_has_its_own_key_to_recognise_the_call_on_read_back() {
    let (store, _) = store_with_org();
    let a = store.journal().begin(&book_intent(None)).unwrap();
    let b = store.journal().begin(&book_intent(None)).unwrap();
    let (a, b) = (
        store.journal().entry(a).unwrap(),
        store.journal().entry(b).unwrap(),
    );
    assert_ne!(a.key, b.key);
    assert!(a.id < b.id, "ids give the order calls were made in");
}

#[test]
fn a_resolution_is_final() {
    let (store, _) = store_with_org();
    let id = store.journal().begin(&book_intent(None)).unwrap();
    store.journal().resolve(id, &succeeded()).unwrap();

    let failed = Resolution {
        kind: ResolutionKind::Failed,
        detail: None,
    };
    let err = store.journal().resolve(id, &failed).unwrap_err();
    assert!(matches!(err, StoreError::AlreadyResolved(x) if x == id) && err.is_conflict());
    let kept = store
        .journal()
        .entry(id)
        .unwrap()
        .resolved
        .unwrap()
        .resolution;
    assert_eq!(kept, succeeded(), "the first answer stands");

    let err = store
        .journal()
        .resolve(JournalId(9_999), &failed)
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownJournalEntry(_)) && err.is_not_found());
}

#[test]
fn intents_for_unknown_organisations_or_referrals_are_refused_and_not_recorded() {
    let (store, _) = store_with_org();
    let mut elsewhere = book_intent(None);
    elsewhere.organisation_id = org_id("south");
    assert!(matches!(
        store.journal().begin(&elsewhere).unwrap_err(),
        StoreError::UnknownOrganisation(_)
    ));
    let ghost = book_intent(Some(ReferralId::random()));
    assert!(matches!(
        store.journal().begin(&ghost).unwrap_err(),
        StoreError::UnknownReferral(_)
    ));
    assert!(store.journal().unresolved().unwrap().is_empty());
}

#[test]
fn an_intent_begun_by_a_handle_that_never_closed_is_unresolved_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let (path, referral) = prepared_file(dir.path());
    let store = Store::open(&path).unwrap();
    let id = store.journal().begin(&book_intent(Some(referral))).unwrap();
    // No resolve and no orderly close: the connection is leaked like a process that died, so
    // the entry exists only in the WAL that `begin` synced.
    std::mem::forget(store);

    let reopened = Store::open(&path).unwrap();
    let pending = reopened.journal().unresolved().unwrap();
    assert_eq!(pending.iter().map(|e| e.id).collect::<Vec<_>>(), vec![id]);
    reopened.journal().resolve(id, &succeeded()).unwrap();
}

#[test]
fn an_intent_begun_then_dropped_without_resolve_is_unresolved_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let (path, referral) = prepared_file(dir.path());
    let store = Store::open(&path).unwrap();
    let id = store.journal().begin(&book_intent(Some(referral))).unwrap();
    drop(store);

    let pending = Store::open(&path).unwrap().journal().unresolved().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].id, pending[0].intent.referral_id),
        (id, Some(referral))
    );
}

const CHILD_ENV: &str = "REFDESK_STORE_JOURNAL_CHILD_DB";
const CHILD_TEST: &str = "child_begins_an_intent_and_waits_to_be_killed";

#[test]
fn an_intent_survives_the_process_being_killed_with_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = prepared_file(dir.path());
    let marker = path.with_extension("begun");

    // The child is this test binary running only the helper test below.
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            CHILD_TEST,
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + StdDuration::from_secs(60);
    while !marker.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "child exited before beginning the intent"
        );
        assert!(Instant::now() < deadline, "child never began the intent");
        std::thread::sleep(StdDuration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no close, no checkpoint
    child.wait().unwrap();

    let id: i64 = std::fs::read_to_string(&marker)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let pending = Store::open(&path).unwrap().journal().unresolved().unwrap();
    assert_eq!(
        pending.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![JournalId(id)]
    );
    assert_eq!(pending[0].intent.operation, Operation::Book);
}

#[test]
#[ignore = "helper: run as a child process by an_intent_survives_the_process_being_killed_with_sigkill"]
fn child_begins_an_intent_and_waits_to_be_killed() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let path = std::path::PathBuf::from(path);
    let store = Store::open(&path).unwrap();
    let id = store.journal().begin(&book_intent(None)).unwrap();
    // Only after `begin` returned does the parent learn the id: the remote call would go now.
    std::fs::write(path.with_extension("begun"), id.0.to_string()).unwrap();
    // Bounded: if the parent died, this helper ends by itself.
    std::thread::sleep(StdDuration::from_secs(60));
}

#[test]
fn the_database_refuses_to_rewrite_a_resolved_entry_or_delete_one() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = prepared_file(dir.path());
    let store = Store::open(&path).unwrap();
    let id = store.journal().begin(&book_intent(None)).unwrap();
    store.journal().resolve(id, &succeeded()).unwrap();
    drop(store);

    let raw = rusqlite::Connection::open(&path).unwrap();
    assert!(
        raw.execute("UPDATE journal SET resolution = 'failed'", [])
            .is_err()
    );
    assert!(raw.execute("DELETE FROM journal", []).is_err());
    let resolution: String = raw
        .query_row("SELECT resolution FROM journal", [], |row| row.get(0))
        .unwrap();
    assert_eq!(resolution, "succeeded");
}
