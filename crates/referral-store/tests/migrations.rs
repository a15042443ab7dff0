//! Schema upgrades: files written by an older version are upgraded in place without losing rows,
//! files from a newer version and non-database files are refused with typed errors.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{new_org, org_id, smith, status_event};
use referral_store::schema::{LATEST_VERSION, migrations};
use referral_store::{
    Intent, MatchMode, Operation, ReferralStatus, Store, StoreError, TextFilter, Transition,
    WorklistQuery,
};
use rusqlite::Connection;
use serde_json::json;

fn user_version(path: &std::path::Path) -> i64 {
    let raw = Connection::open(path).unwrap();
    raw.query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap()
}

#[test]
fn the_migration_list_is_valid() {
    migrations().validate().unwrap();
}

#[test]
fn a_new_file_is_at_the_latest_version_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("worklist.sqlite3");
    drop(Store::open(&path).unwrap());
    assert_eq!(user_version(&path), LATEST_VERSION as i64);
    let raw = Connection::open(&path).unwrap();
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(
        mode, "wal",
        "readers never block the writer and a killed writer loses nothing"
    );
}

#[test]
fn a_file_from_an_older_version_is_upgraded_and_keeps_its_referrals() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("worklist.sqlite3");
    // An installation that only had organisations and referrals (schema version 2), with a
    // referral written by that version.
    let mut raw = Connection::open(&path).unwrap();
    migrations().to_version(&mut raw, 2).unwrap();
    raw.execute(
        "INSERT INTO organisations (id, display_name, fhir_base_url, client_id, key_ref, scopes, \
         enabled, is_sandbox, created_at, updated_at) VALUES ('north', 'North', \
         'https://north.example.org/fhir', 'c', 'k', '', 1, 0, \
         '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z')",
        [],
    )
    .unwrap();
    raw.execute(
        "INSERT INTO referrals (id, version, status, organisation_id, patient_display, priority, \
         created_at, updated_at, created_by, display_key) VALUES \
         ('6f1c2a56-0b7e-4c1e-9c55-3a1f7d8e9b01', 3, 'booked', 'north', 'Old Patient', 'urgent', \
         '2025-01-01T00:00:00.000000Z', '2025-01-02T00:00:00.000000Z', 'admin', 'old patient')",
        [],
    )
    .unwrap();
    drop(raw);
    assert_eq!(user_version(&path), 2);

    let store = Store::open(&path).unwrap();
    assert_eq!(
        user_version(&path),
        LATEST_VERSION as i64,
        "upgraded on open"
    );
    let page = store.worklist(&WorklistQuery::default()).unwrap();
    assert_eq!(
        page.referrals.len(),
        1,
        "the old referral is still on the worklist"
    );
    let old = &page.referrals[0];
    assert_eq!((old.status, old.version), (ReferralStatus::Booked, 3));
    let intent = Intent {
        referral_id: Some(old.id),
        organisation_id: org_id("north"),
        operation: Operation::Cancel,
        request: json!({}),
    };
    store.journal().begin(&intent).unwrap();
    assert_eq!(
        store.journal().unresolved().unwrap().len(),
        1,
        "tables added later work on it"
    );
    let contains = WorklistQuery {
        patient_name: Some(TextFilter {
            text: "D PAT".into(),
            mode: MatchMode::Contains,
        }),
        ..Default::default()
    };
    let found = store.worklist(&contains).unwrap().referrals;
    assert_eq!(
        found.len(),
        1,
        "the search index added in version 6 covers rows written before it"
    );
    let step = Transition::to(ReferralStatus::CancelledByOrganisation, Some("by North"));
    let ended = store
        .transition(old.id, old.version, &step, &status_event("sync"))
        .unwrap();
    assert_eq!(
        ended.status,
        ReferralStatus::CancelledByOrganisation,
        "version 9 widened the status list of a table written by version 2"
    );
}

#[test]
fn a_file_from_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("worklist.sqlite3");
    let store = Store::open(&path).unwrap();
    store.add_organisation(&new_org("north")).unwrap();
    store.create_referral(&smith()).unwrap();
    drop(store);
    let newer = LATEST_VERSION as i64 + 1;
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();

    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::SchemaTooNew), "{err:?}");
    assert_eq!(
        user_version(&path),
        newer,
        "an older program must not downgrade the file"
    );
}

#[test]
fn a_file_that_is_not_a_database_gives_an_open_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(
        &path,
        "this is not SQLite, just a text file that is long enough to matter",
    )
    .unwrap();
    match Store::open(&path) {
        Err(StoreError::Open { path: p, .. }) => assert_eq!(p, path),
        other => panic!("expected an Open error, got {other:?}"),
    }
    let unchanged = std::fs::read_to_string(&path).unwrap();
    assert!(
        unchanged.starts_with("this is not SQLite"),
        "the file was not overwritten"
    );
}

#[test]
fn version_11_adds_the_dialect_override_detect_for_existing_organisations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("worklist.sqlite3");
    let mut raw = Connection::open(&path).unwrap();
    migrations().to_version(&mut raw, 10).unwrap();
    raw.execute(
        "INSERT INTO organisations (id, display_name, fhir_base_url, client_id, key_ref, scopes, \
         enabled, is_sandbox, created_at, updated_at) VALUES ('north', 'North', \
         'https://north.example.org/fhir', 'c', 'k', '', 1, 0, \
         '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z')",
        [],
    )
    .unwrap();
    drop(raw);

    let store = Store::open(&path).unwrap();
    const { assert!(LATEST_VERSION >= 11) };
    let north = store.organisation(&org_id("north")).unwrap();
    assert_eq!(
        north.dialect, None,
        "an organisation from before is detected, as it was"
    );

    let set = |dialect: Option<&str>| referral_store::OrganisationUpdate {
        dialect: Some(dialect.map(str::to_owned)),
        ..Default::default()
    };
    let epic = store
        .update_organisation(&org_id("north"), &set(Some(" Epic ")))
        .unwrap();
    assert_eq!(
        epic.dialect.as_deref(),
        Some("epic"),
        "kept trimmed, lowercase"
    );
    let renamed = store
        .update_organisation(
            &org_id("north"),
            &referral_store::OrganisationUpdate {
                display_name: Some("North Clinic".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        renamed.dialect.as_deref(),
        Some("epic"),
        "other edits leave it alone"
    );
    let bad = store.update_organisation(&org_id("north"), &set(Some("R4; DROP")));
    assert!(bad.unwrap_err().is_invalid_input());
    let cleared = store
        .update_organisation(&org_id("north"), &set(None))
        .unwrap();
    assert_eq!(cleared.dialect, None, "back to detection");
    store.add_organisation(&new_org("south")).unwrap();
    assert_eq!(store.organisation(&org_id("south")).unwrap().dialect, None);
}
