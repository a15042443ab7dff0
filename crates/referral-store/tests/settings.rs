//! Settings: a value set is read back, replaced on a second set, and survives reopening.
#![allow(clippy::unwrap_used, reason = "tests")]

use referral_store::Store;

#[test]
fn a_setting_is_read_back_replaced_and_kept_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("worklist.sqlite3");
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.setting("default-organisation").unwrap(),
        None,
        "unset is None, not empty"
    );

    store.set_setting("default-organisation", "north").unwrap();
    store.set_setting("default-organisation", "south").unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.setting("default-organisation").unwrap().as_deref(),
        Some("south")
    );
    assert!(
        store.set_setting(" ", "x").unwrap_err().is_invalid_input(),
        "a key must name something"
    );
}
