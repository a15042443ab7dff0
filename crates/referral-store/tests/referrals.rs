//! Referrals: their life cycle is enforced, concurrent edits are detected, and refused input
//! leaves the store exactly as it was.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use chrono::{Duration, NaiveDate};
use common::{Steps, new_referral, org_id, patient, smith, store_with_org, t0};
use referral_store::{
    AppointmentRef, BookingRecord, DateWindow, HoldRecord, ReferralStatus, Store, StoreError,
    WorklistQuery,
};

fn hold(id: &str) -> HoldRecord {
    HoldRecord {
        appointment: AppointmentRef {
            id: id.into(),
            version: Some("1".into()),
        },
        expires_at: t0() + Duration::minutes(10),
    }
}

fn booking(id: &str) -> BookingRecord {
    BookingRecord {
        appointment: AppointmentRef {
            id: id.into(),
            version: Some("2".into()),
        },
        start: t0() + Duration::days(7),
        end: Some(t0() + Duration::days(7) + Duration::minutes(30)),
        practitioner_display: Some("Dr. Adams".into()),
        location_display: Some("Cardiology, 3rd floor".into()),
        comment: Some("Bring previous ECGs".into()),
    }
}

fn count(store: &Store) -> usize {
    store
        .worklist(&WorklistQuery {
            limit: 500,
            ..Default::default()
        })
        .unwrap()
        .referrals
        .len()
}

#[test]
fn a_new_referral_starts_as_a_draft_at_version_one_and_reads_back_as_entered() {
    let (store, _) = store_with_org();
    let created = store.create_referral(&smith()).unwrap();

    assert_eq!(
        created.status,
        ReferralStatus::Draft,
        "nothing has been sent yet"
    );
    assert_eq!(created.version, 1);
    assert_eq!(created.patient, smith().patient);
    assert_eq!(created.requested_window, smith().requested_window);
    assert_eq!(created.specialty, smith().specialty);
    assert_eq!((created.created_at, created.updated_at), (t0(), t0()));
    assert_eq!(
        store.referral(created.id).unwrap(),
        created,
        "what create returns is what is stored"
    );
}

#[test]
fn the_booking_path_records_hold_then_booking_and_bumps_the_version_each_time() {
    let (store, clock) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();
    let r = store
        .set_status(r.id, r.version, ReferralStatus::Searching, None)
        .unwrap();
    clock.advance(Duration::seconds(30));
    let r = store.record_hold(r.id, r.version, &hold("appt-1")).unwrap();
    assert_eq!(r.status, ReferralStatus::Held);
    assert_eq!(
        r.hold_expires_at,
        Some(t0() + Duration::minutes(10)),
        "the countdown needs it"
    );
    assert_eq!(r.updated_at, t0() + Duration::seconds(30));

    let r = store
        .record_booking(r.id, r.version, &booking("appt-1b"))
        .unwrap();
    assert_eq!(r.status, ReferralStatus::Booked);
    assert_eq!(r.version, 4, "create, searching, held, booked");
    assert_eq!(
        r.appointment.as_ref().unwrap().id,
        "appt-1b",
        "re-keyed to the id $book returned"
    );
    assert_eq!(
        r.hold_expires_at, None,
        "a booking is no longer a hold that expires"
    );
    assert_eq!(r.booking_comment.as_deref(), Some("Bring previous ECGs"));
}

#[test]
fn a_reschedule_keeps_the_replaced_appointment_as_previous() {
    let (store, _) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();
    let r = store
        .set_status(r.id, r.version, ReferralStatus::Searching, None)
        .unwrap();
    let r = store
        .record_booking(r.id, r.version, &booking("old"))
        .unwrap();
    let r = store
        .record_reschedule(r.id, r.version, &booking("new"))
        .unwrap();

    assert_eq!(r.status, ReferralStatus::Rescheduled);
    assert_eq!(r.appointment.unwrap().id, "new");
    assert_eq!(
        r.previous_appointment_id.as_deref(),
        Some("old"),
        "so the cancel can be verified"
    );
}

#[test]
fn releasing_a_hold_to_search_again_forgets_the_held_appointment() {
    let (store, _) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();
    let r = store
        .set_status(r.id, r.version, ReferralStatus::Searching, None)
        .unwrap();
    let r = store.record_hold(r.id, r.version, &hold("appt-1")).unwrap();
    let r = store
        .set_status(
            r.id,
            r.version,
            ReferralStatus::Searching,
            Some("hold expired"),
        )
        .unwrap();

    assert_eq!(r.appointment, None, "the slot is no longer ours");
    assert_eq!(r.hold_expires_at, None);
    assert_eq!(r.status_note.as_deref(), Some("hold expired"));
}

#[test]
fn an_illegal_transition_is_a_typed_error_and_changes_nothing() {
    let (store, _) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();

    let err = store
        .record_booking(r.id, r.version, &booking("a"))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::IllegalTransition {
                from: ReferralStatus::Draft,
                to: ReferralStatus::Booked
            }
        ),
        "a draft was never searched or held: {err:?}"
    );
    assert!(err.is_conflict());
    assert_eq!(
        store.referral(r.id).unwrap(),
        r,
        "row, version and times untouched"
    );

    let cancelled = store
        .set_status(r.id, r.version, ReferralStatus::Cancelled, None)
        .unwrap();
    let err = store
        .set_status(r.id, cancelled.version, ReferralStatus::Searching, None)
        .unwrap_err();
    assert!(
        matches!(err, StoreError::IllegalTransition { .. }),
        "cancelled is final: {err:?}"
    );
    let err = store
        .set_target_patient_id(r.id, cancelled.version, "p1")
        .unwrap_err();
    assert!(
        err.is_invalid_input(),
        "a cancelled referral no longer changes: {err:?}"
    );
    assert_eq!(store.referral(r.id).unwrap(), cancelled);
}

#[test]
fn the_transition_table_matches_the_documented_life_cycle() {
    use ReferralStatus::*;
    let allowed = [
        (Draft, Searching),
        (Draft, Cancelled),
        (Searching, Draft),
        (Searching, Held),
        (Searching, Booked),
        (Searching, Failed),
        (Searching, NeedsAttention),
        (Searching, Cancelled),
        (Held, Searching),
        (Held, Booked),
        (Held, Failed),
        (Held, NeedsAttention),
        (Held, Cancelled),
        (Held, CancelledByOrganisation),
        (Booked, Cancelled),
        (Booked, CancelledByOrganisation),
        (Booked, Rescheduled),
        (Booked, NeedsAttention),
        (Rescheduled, Cancelled),
        (Rescheduled, Rescheduled),
        (Rescheduled, NeedsAttention),
        (Rescheduled, CancelledByOrganisation),
        (Failed, Searching),
        (Failed, Cancelled),
        (NeedsAttention, Searching),
        (NeedsAttention, Held),
        (NeedsAttention, Booked),
        (NeedsAttention, Cancelled),
        (NeedsAttention, Rescheduled),
        (NeedsAttention, Failed),
        (NeedsAttention, NeedsAttention),
        (NeedsAttention, CancelledByOrganisation),
    ];
    for from in ReferralStatus::ALL {
        for to in ReferralStatus::ALL {
            let expected = allowed.contains(&(*from, *to));
            assert_eq!(from.can_become(*to), expected, "{from} -> {to}");
            assert_eq!(from.check_transition(*to).is_ok(), expected);
        }
    }
    assert!(Cancelled.is_final() && CancelledByOrganisation.is_final() && !Failed.is_final());
}

#[test]
fn a_stale_version_is_refused_so_two_editors_cannot_overwrite_each_other() {
    let (store, _) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();
    let newer = store
        .set_status(r.id, r.version, ReferralStatus::Searching, None)
        .unwrap();

    let err = store
        .set_status(r.id, r.version, ReferralStatus::Cancelled, None)
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::VersionConflict {
                expected: 1,
                actual: 2,
                ..
            }
        ),
        "the caller read version 1 but 2 is stored: {err:?}"
    );
    assert_eq!(store.referral(r.id).unwrap(), newer);
}

#[test]
fn an_unknown_organisation_is_named_and_nothing_is_written() {
    let (store, _) = store_with_org();
    let err = store
        .create_referral(&new_referral("south", smith().patient))
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::UnknownOrganisation(o) if *o == org_id("south")),
        "{err:?}"
    );
    assert_eq!(count(&store), 0);
}

#[test]
fn blank_names_and_reversed_windows_are_refused_before_anything_is_written() {
    let (store, _) = store_with_org();
    let mut blank_display = smith();
    blank_display.patient.display_name = "  ".into();
    let mut blank_family = smith();
    blank_family.patient.family = Some(String::new());
    let mut nobody = smith();
    nobody.created_by = String::new();
    let mut reversed = smith();
    reversed.requested_window = Some(DateWindow {
        start: NaiveDate::from_ymd_opt(2026, 4, 2).unwrap(),
        end: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
    });
    let cases = [
        (blank_display, "patient.display_name"),
        (blank_family, "patient.family"),
        (nobody, "created_by"),
        (reversed, "requested_window"),
    ];
    for (new, field) in cases {
        match store.create_referral(&new) {
            Err(StoreError::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: expected InvalidInput, got {other:?}"),
        }
    }
    let batch = [smith(), {
        let mut b = smith();
        b.patient.display_name = String::new();
        b
    }];
    assert!(
        store
            .create_referrals(&batch)
            .unwrap_err()
            .is_invalid_input()
    );
    assert_eq!(
        count(&store),
        0,
        "the valid half of a refused batch is not written either"
    );
}

#[test]
fn held_booked_and_rescheduled_need_the_appointment() {
    let (store, _) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();
    let r = store
        .set_status(r.id, r.version, ReferralStatus::Searching, None)
        .unwrap();
    for to in [
        ReferralStatus::Held,
        ReferralStatus::Booked,
        ReferralStatus::Rescheduled,
    ] {
        assert!(
            store
                .set_status(r.id, r.version, to, None)
                .unwrap_err()
                .is_invalid_input()
        );
    }
    let mut no_id = booking("x");
    no_id.appointment.id = " ".into();
    assert!(
        store
            .record_booking(r.id, r.version, &no_id)
            .unwrap_err()
            .is_invalid_input()
    );
    let mut backwards = booking("x");
    backwards.end = Some(backwards.start - Duration::minutes(1));
    assert!(
        store
            .record_booking(r.id, r.version, &backwards)
            .unwrap_err()
            .is_invalid_input()
    );
    assert_eq!(store.referral(r.id).unwrap(), r);
}

#[test]
fn the_target_patient_id_is_remembered_without_changing_status() {
    let (store, _) = store_with_org();
    let r = store.create_referral(&smith()).unwrap();
    let r = store
        .set_target_patient_id(r.id, r.version, " pat-77 ")
        .unwrap();
    assert_eq!(r.patient.target_patient_id.as_deref(), Some("pat-77"));
    assert_eq!((r.status, r.version), (ReferralStatus::Draft, 2));
}

#[test]
fn an_unknown_referral_is_not_found() {
    let (store, _) = store_with_org();
    let ghost = referral_store::ReferralId::random();
    let err = store.referral(ghost).unwrap_err();
    assert!(matches!(err, StoreError::UnknownReferral(id) if id == ghost) && err.is_not_found());
    let err = store
        .set_status(ghost, 1, ReferralStatus::Searching, None)
        .unwrap_err();
    assert!(err.is_not_found());
}

#[test]
fn a_batch_import_writes_every_referral() {
    let (store, _) = store_with_org();
    let batch: Vec<_> = (0..3)
        .map(|i| {
            new_referral(
                "north",
                patient(&format!("P {i}"), "P", &i.to_string(), &format!("M{i}")),
            )
        })
        .collect();
    let ids = store.create_referrals(&batch).unwrap();
    assert_eq!(ids.len(), 3);
    assert_eq!(store.referral(ids[2]).unwrap().patient.display_name, "P 2");
}

#[test]
fn a_batch_that_fails_half_way_inside_the_transaction_leaves_nothing_behind() {
    let (store, _) = store_with_org();
    // Validation passes for all three; the unknown organisation is only found inside the
    // transaction, after the first referral was already inserted.
    let batch = [smith(), new_referral("south", smith().patient), smith()];
    let err = store.create_referrals(&batch).unwrap_err();
    assert!(matches!(err, StoreError::UnknownOrganisation(_)), "{err:?}");
    assert_eq!(
        count(&store),
        0,
        "the first insert was rolled back with the rest"
    );
}

#[test]
fn clones_of_one_store_can_be_used_from_many_threads() {
    let (store, _) = store_with_org();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            std::thread::spawn(move || {
                for _ in 0..25 {
                    let r = store.create_referral(&smith()).unwrap();
                    store
                        .set_status(r.id, r.version, ReferralStatus::Searching, None)
                        .unwrap();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let all = store
        .worklist(&WorklistQuery {
            limit: 500,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        all.referrals.len(),
        100,
        "every clone wrote to the same database"
    );
    assert!(
        all.referrals
            .iter()
            .all(|r| r.status == ReferralStatus::Searching && r.version == 2)
    );
}
