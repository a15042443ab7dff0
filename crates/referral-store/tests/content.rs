//! Referral content (schema version 8): the coded reason, due-by day, referrer and note are kept
//! and read back; the worklist sorts by due day and lists overdue referrals in its one query; a
//! file from before version 8 is upgraded with its referrals intact and without content.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use chrono::NaiveDate;
use common::{Steps, new_org, patient, smith, store_with_org};
use referral_model::{ReferralContent, Referrer};
use referral_store::schema::{LATEST_VERSION, migrations};
use referral_store::{Coded, ReferralStatus, Store, StoreError, WorklistOrder, WorklistQuery};
use rusqlite::Connection;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn content(due_by: Option<NaiveDate>) -> ReferralContent {
    ReferralContent {
        reason_code: Some(Coded {
            system: "http://snomed.info/sct".into(),
            code: "9014002".into(),
            display: Some("Psoriasis".into()),
        }),
        due_by,
        referrer: Some(Referrer {
            name: "Dr Ama Osei".into(),
            npi: Some("1234567893".into()),
            phone: "+1 555 010 4477".into(),
        }),
        note: Some("Prior biopsy report attached.".into()),
    }
}

#[test]
fn the_content_is_stored_and_read_back_as_given() {
    let (store, _) = store_with_org();
    let mut new = smith();
    new.content = content(Some(day(3, 20)));
    let r = store.create_referral(&new).unwrap();
    assert_eq!(r.content, new.content);
    assert_eq!(store.referral(r.id).unwrap().content, new.content);
}

#[test]
fn a_blank_note_or_a_bad_call_back_number_is_refused_and_nothing_is_written() {
    let (store, _) = store_with_org();
    let mut blank = smith();
    blank.content.note = Some("   ".into());
    let e = store.create_referral(&blank).unwrap_err();
    assert!(
        matches!(e, StoreError::InvalidInput { field: "note", .. }),
        "{e:?}"
    );
    let mut phone = smith();
    phone.content = content(None);
    if let Some(r) = phone.content.referrer.as_mut() {
        r.phone = "call me".into();
    }
    let e = store.create_referral(&phone).unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::InvalidInput {
                field: "referrer_phone",
                ..
            }
        ),
        "{e:?}"
    );
    let all = store.worklist(&WorklistQuery::default()).unwrap();
    assert_eq!(all.total, 0, "a refused referral leaves no row behind");
}

#[test]
fn the_due_by_order_puts_the_earliest_first_and_undated_last() {
    let (store, _) = store_with_org();
    let mut ids = Vec::new();
    for due in [Some(day(3, 20)), None, Some(day(3, 5)), Some(day(3, 12))] {
        let mut new = smith();
        new.content.due_by = due;
        ids.push(store.create_referral(&new).unwrap().id);
    }
    let page = store
        .worklist(&WorklistQuery {
            order: WorklistOrder::DueByAsc,
            ..WorklistQuery::default()
        })
        .unwrap();
    let got: Vec<_> = page.referrals.iter().map(|r| r.id).collect();
    assert_eq!(got, vec![ids[2], ids[3], ids[0], ids[1]]);
}

#[test]
fn overdue_means_due_before_today_and_not_settled() {
    let (store, _) = store_with_org();
    let create = |due: NaiveDate, name: &str| {
        let mut new = smith();
        new.patient = patient(name, name, "A", "M-1");
        new.content.due_by = Some(due);
        store.create_referral(&new).unwrap()
    };
    let late = create(day(3, 1), "Late");
    let due_today = create(day(3, 2), "Today");
    let booked_late = create(day(2, 20), "Booked");
    let cancelled = store
        .set_status(
            booked_late.id,
            booked_late.version,
            ReferralStatus::Cancelled,
            None,
        )
        .unwrap();
    assert_eq!(cancelled.status, ReferralStatus::Cancelled);
    let page = store
        .worklist(&WorklistQuery {
            overdue_on: Some(day(3, 2)),
            ..WorklistQuery::default()
        })
        .unwrap();
    let got: Vec<_> = page.referrals.iter().map(|r| r.id).collect();
    assert_eq!(
        got,
        vec![late.id],
        "due today is not overdue; cancelled is settled"
    );
    assert_eq!(page.total, 1);
    assert!(late.is_overdue(day(3, 2)));
    assert!(!due_today.is_overdue(day(3, 2)));
    assert!(!cancelled.is_overdue(day(3, 2)));
}

#[test]
fn a_file_from_version_7_is_upgraded_and_its_referrals_have_no_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("worklist.sqlite3");
    let mut raw = Connection::open(&path).unwrap();
    migrations().to_version(&mut raw, 7).unwrap();
    drop(raw);
    // A store at version 7 would write rows without the new columns: write one through SQL.
    let conn = Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO organisations (id, display_name, fhir_base_url, client_id, key_ref, scopes, \
         enabled, is_sandbox, created_at, updated_at) VALUES ('north', 'North', \
         'https://north.example.org/fhir', 'c', 'k', '', 1, 0, \
         '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z')",
        [],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO referrals (id, version, status, organisation_id, patient_display, priority, \
         created_at, updated_at, created_by, display_key) VALUES \
         ('6f1c2a56-0b7e-4c1e-9c55-3a1f7d8e9b01', 1, 'draft', 'north', 'Old Patient', 'routine', \
         '2025-01-01T00:00:00.000000Z', '2025-01-02T00:00:00.000000Z', 'admin', 'old patient')",
        [],
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let page = store.worklist(&WorklistQuery::default()).unwrap();
    assert_eq!(page.referrals.len(), 1, "the old referral survives");
    assert_eq!(page.referrals[0].content, ReferralContent::default());
    const { assert!(LATEST_VERSION >= 8) };
    store.add_organisation(&new_org("south")).unwrap();
    let mut new = smith();
    new.content = content(Some(day(4, 1)));
    let r = store.create_referral(&new).unwrap();
    assert_eq!(
        store.referral(r.id).unwrap().content.due_by,
        Some(day(4, 1))
    );
}
