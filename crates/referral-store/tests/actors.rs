//! Who did it: every event and journal entry records the OS user and workstation of the handle
//! that wrote it; the export reads the trail by time and by referral.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use chrono::Duration;
use common::{org_id, smith, store_with_org, t0};
use referral_store::{Actor, EventKind, EventOutcome, Intent, NewEvent, Operation};
use serde_json::json;

fn nurse() -> Actor {
    Actor {
        user: "nurse.jones".into(),
        workstation: "ward7-desk2".into(),
    }
}

#[test]
fn events_and_journal_entries_name_the_user_and_workstation() {
    let (store, clock) = store_with_org();
    assert_eq!(
        store.actor(),
        referral_store::os_actor(),
        "the OS user and host by default"
    );
    store.set_actor(nurse());
    let r = store.create_referral(&smith()).unwrap();
    let event = store
        .append_event(&NewEvent {
            referral_id: Some(r.id),
            kind: EventKind::Book,
            organisation_id: Some(org_id("north")),
            request: "$book Appointment/a1".into(),
            outcome: EventOutcome::Succeeded,
            detail: None,
        })
        .unwrap();
    assert_eq!(event.actor, Some(nurse()));
    let id = store
        .journal()
        .begin(&Intent {
            referral_id: Some(r.id),
            organisation_id: org_id("north"),
            operation: Operation::Book,
            request: json!({}),
        })
        .unwrap();
    assert_eq!(store.journal().entry(id).unwrap().actor, Some(nurse()));

    clock.advance(Duration::hours(1));
    let other = store.create_referral(&smith()).unwrap();
    store
        .append_event(&NewEvent {
            referral_id: Some(other.id),
            kind: EventKind::Find,
            organisation_id: Some(org_id("north")),
            request: "$find".into(),
            outcome: EventOutcome::Failed,
            detail: None,
        })
        .unwrap();
    let since = store
        .audit_trail(Some(t0() + Duration::minutes(30)), None)
        .unwrap();
    assert_eq!(since.len(), 1, "only the later event");
    assert_eq!(
        store.audit_trail(None, Some(r.id)).unwrap().len(),
        1,
        "only that referral's"
    );
    assert_eq!(store.audit_trail(None, None).unwrap().len(), 2);
}
