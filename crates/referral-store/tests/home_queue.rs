//! Migration 12: the home organisation beside the receiving ones, the desk's copy of the home
//! queue, and the home outbox whose rows are written once and resolved once.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{clock, new_org, new_referral, org_id, patient};
use referral_store::{
    OrderImport, OutboxOperation, OutboxResolution, OutboxWrite, QueueClaim, QueueState, Store,
    StoreError,
};
use serde_json::json;

fn order(id: &str, version: &str) -> OrderImport {
    OrderImport {
        order_id: id.into(),
        order_version: Some(version.into()),
        last_updated: Some(format!("2026-03-02T09:00:0{version}Z")),
        state: QueueState::Open,
        order_json: Some(json!({"request": {"id": id}})),
        summary: json!({"patientName": "Lee, Ann"}),
        problem: None,
    }
}

#[test]
fn the_home_is_one_row_kept_out_of_the_receiving_directory_and_replaced_when_set_again() {
    let store = Store::in_memory_with_clock(clock()).unwrap();
    store.add_organisation(&new_org("north")).unwrap();
    assert!(store.home_organisation().unwrap().is_none());

    let home = store.save_home_organisation(&new_org("home")).unwrap();
    assert_eq!(home.id, org_id("home"));
    let listed: Vec<_> = store
        .organisations()
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(
        listed,
        [org_id("north")],
        "search and sync never see the home"
    );

    let mut moved = new_org("home");
    moved.display_name = "General Hospital".into();
    store.save_home_organisation(&moved).unwrap();
    let mut other = new_org("home2");
    other.display_name = "Second home".into();
    store.save_home_organisation(&other).unwrap();
    let now = store.home_organisation().unwrap().unwrap();
    assert_eq!(
        now.id,
        org_id("home2"),
        "at most one home: the new one replaces the old"
    );
    assert!(store.organisation(&org_id("home")).is_err());

    let clash = store.save_home_organisation(&new_org("north")).unwrap_err();
    assert!(
        matches!(clash, StoreError::DuplicateOrganisation(_)),
        "a receiving organisation is never turned into the home: {clash}"
    );
}

#[test]
fn a_refresh_page_adds_and_updates_orders_keeping_the_claim_and_counting_only_changes() {
    let store = Store::in_memory_with_clock(clock()).unwrap();
    let saved = store
        .save_queue_orders(&[order("sr-1", "1"), order("sr-2", "1")])
        .unwrap();
    assert_eq!(saved.changed, 2);

    let claim = QueueClaim {
        task_id: Some("t-1".into()),
        task_version: Some("1".into()),
        task_status: Some("accepted".into()),
        owner_desk: Some("desk-a".into()),
        owner_display: Some("ann at ws-1".into()),
        lease_end: Some(common::t0()),
        business_status: None,
    };
    assert!(store.record_queue_claim("sr-1", &claim).unwrap());
    assert!(
        !store.record_queue_claim("sr-unknown", &claim).unwrap(),
        "a Task for an order never imported is ignored"
    );

    let again = store
        .save_queue_orders(&[order("sr-1", "1"), order("sr-2", "2")])
        .unwrap();
    assert_eq!(again.changed, 1, "an unchanged version is left alone");
    let one = store.queue_order("sr-1").unwrap().unwrap();
    assert_eq!(one.claim, claim, "a refresh keeps the claim");

    let mut bad = order("sr-3", "1");
    bad.problem = Some("The order names no patient.".into());
    bad.last_updated = Some("2026-03-02T09:00:09Z".into());
    store.save_queue_orders(&[bad]).unwrap();
    let gone = store
        .set_queue_state("sr-2", QueueState::Gone, Some("withdrawn"))
        .unwrap();
    assert_eq!(gone.order.state, QueueState::Gone);
    let open: Vec<_> = store
        .queue_orders(false)
        .unwrap()
        .into_iter()
        .map(|o| o.order.order_id)
        .collect();
    assert_eq!(
        open,
        ["sr-3", "sr-1"],
        "newest first, gone orders only with the finished"
    );
    assert_eq!(store.queue_orders(true).unwrap().len(), 3);
}

#[test]
fn one_referral_per_order_and_the_order_is_found_from_its_referral() {
    let store = Store::in_memory_with_clock(clock()).unwrap();
    store.add_organisation(&new_org("north")).unwrap();
    store
        .save_queue_orders(&[order("sr-1", "1"), order("sr-2", "1")])
        .unwrap();
    let r = store
        .create_referral(&new_referral(
            "north",
            patient("Lee, Ann", "Lee", "Ann", "M1"),
        ))
        .unwrap();
    store.link_queue_referral("sr-1", r.id).unwrap();
    store.link_queue_referral("sr-1", r.id).unwrap();
    assert_eq!(
        store
            .queue_order_for_referral(r.id)
            .unwrap()
            .unwrap()
            .order
            .order_id,
        "sr-1"
    );
    assert!(
        store.link_queue_referral("sr-2", r.id).is_err(),
        "a referral belongs to one order"
    );
}

#[test]
fn outbox_rows_are_resolved_once_and_never_deleted() {
    let store = Store::in_memory_with_clock(clock()).unwrap();
    let entry = store
        .outbox_begin(&OutboxWrite {
            order_id: "sr-1".into(),
            operation: OutboxOperation::Outcome,
            base_version: Some("3".into()),
            body: json!({"resourceType": "Task", "status": "completed"}),
        })
        .unwrap();
    assert_eq!(
        store.outbox_unresolved().unwrap(),
        std::slice::from_ref(&entry)
    );
    let done = store
        .outbox_resolve(entry.id, OutboxResolution::Applied, Some("version 4"))
        .unwrap();
    assert_eq!(done.resolution, Some(OutboxResolution::Applied));
    assert!(store.outbox_unresolved().unwrap().is_empty());
    assert!(matches!(
        store.outbox_resolve(entry.id, OutboxResolution::Refused, None),
        Err(StoreError::OutboxAlreadyResolved(_))
    ));
    assert_eq!(store.outbox_for_order("sr-1").unwrap().len(), 1);
}
