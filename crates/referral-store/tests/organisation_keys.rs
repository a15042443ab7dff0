//! Which key each organisation signs with: recorded per organisation, one organisation's change
//! leaves the others alone, and a file from before the table gains it empty.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{new_org, org_id};
use referral_store::Store;

#[test]
fn each_organisation_keeps_its_own_key_and_changing_one_leaves_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.sqlite3");
    let store = Store::open(&path).unwrap();
    store.add_organisation(&new_org("north")).unwrap();
    store.add_organisation(&new_org("south")).unwrap();
    assert_eq!(store.organisation_key(&org_id("north")).unwrap(), None);

    store
        .set_organisation_key(&org_id("north"), "kid-a", "ES384")
        .unwrap();
    store
        .set_organisation_key(&org_id("south"), "kid-a", "ES384")
        .unwrap();
    let before = store.organisation(&org_id("south")).unwrap().updated_at;
    store
        .set_organisation_key(&org_id("north"), "kid-b", "RS384")
        .unwrap();

    let north = store.organisation_key(&org_id("north")).unwrap().unwrap();
    assert_eq!((north.kid.as_str(), north.alg.as_str()), ("kid-b", "RS384"));
    let south = store.organisation_key(&org_id("south")).unwrap().unwrap();
    assert_eq!((south.kid.as_str(), south.alg.as_str()), ("kid-a", "ES384"));
    assert_eq!(
        store.organisation(&org_id("south")).unwrap().updated_at,
        before
    );
    drop(store);

    let reopened = Store::open(&path).unwrap();
    assert_eq!(reopened.organisation_keys().unwrap().len(), 2);
    assert!(reopened.remove_organisation(&org_id("north")).unwrap());
    assert_eq!(
        reopened.organisation_keys().unwrap().len(),
        1,
        "removed with its organisation"
    );
}

#[test]
fn an_unknown_algorithm_or_organisation_is_refused() {
    let store = Store::in_memory().unwrap();
    store.add_organisation(&new_org("north")).unwrap();
    assert!(
        store
            .set_organisation_key(&org_id("north"), "kid", "HS256")
            .is_err()
    );
    assert!(
        store
            .set_organisation_key(&org_id("north"), "", "ES384")
            .is_err()
    );
    let err = store
        .set_organisation_key(&org_id("nowhere"), "kid", "ES384")
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
}
