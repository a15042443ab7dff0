//! A plain-R4 organisation through referral-core, exactly as the App uses any organisation:
//! new patient registered (R4 Patient and Coverage), find across it and an Argonaut one, hold,
//! book, read back, cancel (the slot is free again), reschedule, and a released hold leaving
//! nothing busy-tentative; and an Oracle organisation the same way (refused locally, in plain
//! words, without a visit type).
#![allow(clippy::unwrap_used, reason = "tests")]

use refdesk_tests::desk::{Desk, referral_with_options, remote_status};
use referral_core::remote::RemoteErrorKind;
use referral_core::{BookInput, RescheduleState};
use referral_model::ReferralStatus;
use sched_sandbox::config::SandboxDialect;

async fn plain_r4_desk() -> Desk {
    Desk::start(|c| {
        for org in &mut c.organisations {
            if org.name == "derm" {
                org.dialect = SandboxDialect::PlainR4;
            }
        }
    })
    .await
}

/// The free/busy state of a slot at the organisation (straight from its store).
fn slot_state(desk: &Desk, slot: &str) -> String {
    let org = desk.sandbox.organisation("derm").unwrap();
    org.store
        .read(|c| sched_sandbox::store::r4_slot(c, "derm", slot))
        .unwrap()
        .unwrap()
        .state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_r4_hold_book_read_back_cancel_frees_the_slot() {
    let desk = plain_r4_desk().await;
    let app = &desk.app;
    let (r, options) = referral_with_options(app, "Okafor", "H-7001", &["derm", "primary"]).await;
    let mine: Vec<_> = options
        .iter()
        .filter(|o| o.organisation_id.as_str() == "derm")
        .collect();
    assert!(
        !mine.is_empty(),
        "the plain-R4 organisation's times are merged in"
    );
    assert!(
        options
            .iter()
            .any(|o| o.organisation_id.as_str() == "primary")
    );
    let held = app.hold(r.id, &mine[0].option_id).await.unwrap();
    let hold_id = held.referral.appointment.clone().unwrap().id;
    let slot = hold_id.trim_start_matches("slots_").to_owned();
    assert_eq!(slot_state(&desk, &slot), "busy-tentative");
    // Staying in step reads the hold from its slots (its id is not an Appointment id there).
    let report = app.sync_with_organisations().await.unwrap();
    let derm = report
        .organisations
        .iter()
        .find(|o| o.organisation_id.as_str() == "derm")
        .unwrap();
    assert!(derm.reached, "the plain-R4 organisation was read back");
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    let booked = app.book(r.id, BookInput::default()).await.unwrap();
    assert_eq!(booked.status, ReferralStatus::Booked);
    let appt = booked.appointment.clone().unwrap().id;
    assert_eq!(remote_status(app, "derm", &appt).await, "booked");
    assert_eq!(slot_state(&desk, &slot), "busy");
    let cancelled = app
        .cancel(r.id, "patient-cancel", Some("moved away"))
        .await
        .unwrap();
    assert_eq!(cancelled.status, ReferralStatus::Cancelled);
    assert_eq!(remote_status(app, "derm", &appt).await, "cancelled");
    assert_eq!(slot_state(&desk, &slot), "free", "cancel frees the slot");
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_r4_reschedule_and_released_holds() {
    let desk = plain_r4_desk().await;
    let app = &desk.app;
    let (r, options) = referral_with_options(app, "Silva", "H-7002", &["derm"]).await;
    app.hold(r.id, &options[0].option_id).await.unwrap();
    let booked = app.book(r.id, BookInput::default()).await.unwrap();
    let old = booked.appointment.clone().unwrap().id;
    let again = app
        .find_slots(r.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    let target = again
        .options
        .iter()
        .find(|o| Some(o.start) != booked.booked_start)
        .unwrap();
    let out = app
        .reschedule(r.id, &target.option_id, Some("moved by request".into()))
        .await
        .unwrap();
    assert_eq!(out.state, RescheduleState::NewBooked, "{}", out.message);
    let new = out.referral.appointment.clone().unwrap().id;
    assert_ne!(new, old);
    assert_eq!(remote_status(app, "derm", &old).await, "cancelled");
    assert_eq!(remote_status(app, "derm", &new).await, "booked");

    // A hold released at shutdown leaves nothing busy-tentative.
    let (r2, options) = referral_with_options(app, "Ito", "H-7003", &["derm"]).await;
    let held = app.hold(r2.id, &options[0].option_id).await.unwrap();
    let slot = held
        .referral
        .appointment
        .clone()
        .unwrap()
        .id
        .trim_start_matches("slots_")
        .to_owned();
    assert_eq!(slot_state(&desk, &slot), "busy-tentative");
    assert_eq!(app.shutdown().await.unwrap(), 1);
    assert_eq!(slot_state(&desk, &slot), "free");
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oracle_through_the_core_holds_books_one_slot_and_cancel_frees_it() {
    let desk = Desk::start(|c| {
        for org in &mut c.organisations {
            if org.name == "derm" {
                org.dialect = SandboxDialect::Oracle;
            }
        }
    })
    .await;
    let app = &desk.app;
    let coding = desk
        .sandbox
        .organisation("derm")
        .unwrap()
        .directory
        .schedules[0]
        .service_type[0]
        .coding[0]
        .clone();
    // Without a visit type nothing is sent, and the desk says what to do in plain words.
    let untyped = app
        .create_referral(refdesk_tests::desk::referral_input(
            refdesk_tests::desk::new_patient("Abara", "H-7003"),
            &["derm"],
        ))
        .await
        .unwrap();
    let refused = app
        .find_slots(untyped.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    let (_, name, error) = &refused.failures[0];
    assert_eq!(error.kind, RemoteErrorKind::VisitTypeRequired);
    let sentence = referral_core::describe::remote_sentence(name, error);
    assert!(sentence.contains("Choose a visit type"), "{sentence}");
    assert!(!sentence.contains("settings"), "{sentence}");
    let mut input = refdesk_tests::desk::referral_input(
        refdesk_tests::desk::new_patient("Abara", "H-7004"),
        &["derm"],
    );
    input.visit_type = Some(referral_model::Coded {
        system: coding.system.clone().unwrap(),
        code: coding.code.clone().unwrap(),
        display: None,
    });
    let r = app.create_referral(input).await.unwrap();
    let found = app
        .find_slots(r.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    assert!(found.failures.is_empty(), "{:?}", found.failures);
    let held = app.hold(r.id, &found.options[0].option_id).await.unwrap();
    let slot = held
        .referral
        .appointment
        .clone()
        .unwrap()
        .id
        .trim_start_matches("slots_")
        .to_owned();
    assert_eq!(slot_state(&desk, &slot), "busy-tentative");
    // Staying in step reads the hold from its slots (its id is not an Appointment id there).
    let report = app.sync_with_organisations().await.unwrap();
    let derm = report
        .organisations
        .iter()
        .find(|o| o.organisation_id.as_str() == "derm")
        .unwrap();
    assert!(derm.reached, "the plain-R4 organisation was read back");
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    let booked = app.book(r.id, BookInput::default()).await.unwrap();
    assert_eq!(booked.status, ReferralStatus::Booked);
    let appt = booked.appointment.clone().unwrap().id;
    assert_eq!(remote_status(app, "derm", &appt).await, "booked");
    app.cancel(r.id, "patient-cancel", Some("moved away"))
        .await
        .unwrap();
    assert_eq!(remote_status(app, "derm", &appt).await, "cancelled");
    assert_eq!(slot_state(&desk, &slot), "free");
    let received = desk
        .sandbox
        .organisation("derm")
        .unwrap()
        .received
        .of("book")
        .unwrap();
    assert_eq!(
        received.last().unwrap()["resourceType"],
        "Appointment",
        "POST Appointment, one slot"
    );
    desk.sandbox.shutdown().await;
}
