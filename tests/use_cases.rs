//! The IG's provider use cases end to end through referral-core against sandbox organisations on
//! 127.0.0.1: every step recorded, the booking read back from the organisation.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::sync::Mutex;

use refdesk_tests::desk::{
    Desk, book_option, new_patient, referral_input, referral_with_options, remote_status,
};
use referral_core::{BookInput, FindProgress, RescheduleState};
use referral_model::{EventKind, ReferralStatus};

fn kinds(events: &[referral_model::Event]) -> Vec<EventKind> {
    events.iter().map(|e| e.kind).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn use_case_1_new_patient_across_two_organisations_is_registered_held_booked_and_read_back() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let r = app
        .create_referral(referral_input(
            new_patient("Okafor", "H-1001"),
            &["derm", "primary"],
        ))
        .await
        .unwrap();
    assert_eq!(r.status, ReferralStatus::Draft);

    let seen = Mutex::new(Vec::new());
    let found = app
        .find_slots(r.id, vec![], None, &|_, p| {
            let tag = match p {
                FindProgress::Asked {
                    organisation_id, ..
                } => format!("asked {organisation_id}"),
                FindProgress::Answered {
                    organisation_id, ..
                } => format!("answered {organisation_id}"),
                FindProgress::Failed {
                    organisation_id, ..
                } => format!("failed {organisation_id}"),
            };
            seen.lock().unwrap().push(tag);
        })
        .await
        .unwrap();
    let seen = seen.into_inner().unwrap();
    for org in ["derm", "primary"] {
        assert!(
            seen.contains(&format!("asked {org}")) && seen.contains(&format!("answered {org}")),
            "progress for {org}: {seen:?}"
        );
    }
    assert!(
        found.options.windows(2).all(|w| w[0].start <= w[1].start),
        "merged options are earliest first"
    );
    let orgs: std::collections::BTreeSet<_> = found
        .options
        .iter()
        .map(|o| o.organisation_id.to_string())
        .collect();
    assert_eq!(orgs.len(), 2, "both organisations offered times");

    // Choose an option at the second organisation: the referral moves to it before holding.
    let choice = found
        .options
        .iter()
        .find(|o| o.organisation_id.as_str() == "primary")
        .unwrap();
    let held = app.hold(r.id, &choice.option_id).await.unwrap();
    assert_eq!(held.referral.status, ReferralStatus::Held);
    assert_eq!(held.referral.organisation_id.as_str(), "primary");
    assert!(
        held.expires_at > app.now(),
        "the countdown runs to a future instant"
    );
    let held_id = held.referral.appointment.clone().unwrap().id;
    assert_eq!(remote_status(app, "primary", &held_id).await, "pending");

    let booked = app
        .book(
            r.id,
            BookInput {
                comment: Some("wheelchair access".into()),
                ..BookInput::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(booked.status, ReferralStatus::Booked);
    assert_eq!(
        booked.booking_comment.as_deref(),
        Some("Reason: rash for three weeks\nPriority: Routine\nwheelchair access"),
        "the composed comment: the referral's reason and priority, then the user's words"
    );
    let appt_id = booked.appointment.clone().unwrap().id;
    assert_eq!(remote_status(app, "primary", &appt_id).await, "booked");
    let patient_id = booked.patient.target_patient_id.clone().unwrap();
    let (_, remote) = app.remote(&booked.organisation_id).await.unwrap();
    let remote_appt = remote.read_appointment(appt_id).await.unwrap();
    assert!(
        referral_core::appt::patient_ids(&remote_appt).contains(&patient_id),
        "the booked appointment names the registered patient"
    );

    let trail = kinds(&app.events(r.id).await.unwrap());
    for k in [
        EventKind::Find,
        EventKind::Hold,
        EventKind::CreatePatient,
        EventKind::CreateCoverage,
        EventKind::Book,
        EventKind::ReadBack,
    ] {
        assert!(trail.contains(&k), "{k:?} recorded: {trail:?}");
    }
    assert!(
        app.store().journal().unresolved().unwrap().is_empty(),
        "every journaled call was resolved"
    );
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn use_case_2_existing_patient_is_matched_not_registered_again_and_booked_without_a_hold() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let existing = app
        .register_patient("derm", &new_patient("Lindgren", "H-2002"), None, None)
        .await
        .unwrap();

    let (r, options) = referral_with_options(app, "Lindgren", "H-2002", &["derm"]).await;
    let booked = book_option(app, r.id, &options[0]).await;
    assert_eq!(booked.status, ReferralStatus::Booked);
    assert_eq!(
        booked.patient.target_patient_id.as_deref(),
        Some(existing.patient_id.as_str()),
        "the existing record is reused"
    );
    let trail = kinds(&app.events(r.id).await.unwrap());
    assert!(
        trail.contains(&EventKind::MatchPatient) || !trail.contains(&EventKind::CreatePatient),
        "{trail:?}"
    );
    assert!(
        !trail.contains(&EventKind::CreatePatient),
        "no second registration: {trail:?}"
    );
    assert!(
        !trail.contains(&EventKind::Hold),
        "booked directly: {trail:?}"
    );
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn use_case_3_follow_up_within_one_system_and_both_appointments_are_listed_for_the_patient() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let (first, options) = referral_with_options(app, "Moreau", "H-3003", &["derm"]).await;
    app.hold(first.id, &options[0].option_id).await.unwrap();
    let first = app.book(first.id, BookInput::default()).await.unwrap();
    let pid = first.patient.target_patient_id.clone().unwrap();

    let mut input = referral_input(new_patient("Moreau", "H-3003"), &["derm"]);
    input.patient_links.insert("derm".into(), pid.clone());
    let follow = app.create_referral(input).await.unwrap();
    let found = app
        .find_slots(follow.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    let other = found
        .options
        .iter()
        .find(|o| Some(o.start) != first.booked_start)
        .unwrap();
    app.hold(follow.id, &other.option_id).await.unwrap();
    let follow = app.book(follow.id, BookInput::default()).await.unwrap();
    assert_eq!(
        follow.patient.target_patient_id.as_deref(),
        Some(pid.as_str())
    );

    let listing = app
        .appointments(referral_core::Subject::Patient("H-3003".into()), None, None)
        .await
        .unwrap();
    let ours: Vec<_> = listing
        .rows
        .iter()
        .filter(|r| r.referral_id.is_some())
        .collect();
    assert_eq!(
        ours.len(),
        2,
        "both bookings are listed and linked to their referrals: {:?}",
        listing.rows.len()
    );
    assert!(listing.errors.is_empty());

    // The provider's view: the practitioner of the follow-up sees it among their appointments.
    let (_, remote) = app.remote(&follow.organisation_id).await.unwrap();
    let booked = remote
        .read_appointment(follow.appointment.clone().unwrap().id)
        .await
        .unwrap();
    let practitioner = booked
        .actors_of_type("Practitioner")
        .next()
        .unwrap()
        .reference
        .clone()
        .unwrap();
    let theirs = app
        .appointments(
            referral_core::Subject::Practitioner(practitioner),
            None,
            None,
        )
        .await
        .unwrap();
    assert!(
        theirs.rows.iter().any(|r| r.referral_id == Some(follow.id)),
        "the provider's list includes our booking"
    );
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_with_an_ig_reason_cancels_at_the_organisation_and_a_remote_cancellation_is_reconciled()
 {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let (r, options) = referral_with_options(app, "Nakamura", "H-4004", &["derm"]).await;
    app.hold(r.id, &options[0].option_id).await.unwrap();
    let booked = app.book(r.id, BookInput::default()).await.unwrap();
    let appt = booked.appointment.clone().unwrap().id;

    let bad = app.cancel(r.id, "because", None).await.unwrap_err();
    assert!(
        bad.is_invalid_input(),
        "an unknown reason code is refused before anything is sent"
    );
    let cancelled = app
        .cancel(r.id, "patient-cancel", Some("moved away"))
        .await
        .unwrap();
    assert_eq!(cancelled.status, ReferralStatus::Cancelled);
    assert_eq!(remote_status(app, "derm", &appt).await, "cancelled");

    // A second booking cancelled by the organisation itself shows up on reconciliation.
    let (r2, options) = referral_with_options(app, "Nakamura", "H-4004", &["derm"]).await;
    let b2 = book_option(app, r2.id, &options[1]).await;
    let (_, remote) = app.remote(&b2.organisation_id).await.unwrap();
    remote
        .cancel(
            b2.appointment.clone().unwrap().id,
            Some("staff-cancel".into()),
            None,
        )
        .await
        .unwrap();
    let changed = app.reconcile_worklist().await.unwrap();
    assert_eq!(
        changed.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![r2.id]
    );
    assert_eq!(
        app.referral(r2.id).await.unwrap().status,
        ReferralStatus::CancelledByOrganisation
    );
    assert!(kinds(&app.events(r2.id).await.unwrap()).contains(&EventKind::StatusChange));
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reschedule_books_the_new_time_with_cancelled_appt_id_and_cancels_the_old() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let (r, options) = referral_with_options(app, "Silva", "H-5005", &["derm"]).await;
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
    assert_eq!(out.referral.status, ReferralStatus::Rescheduled);
    assert_eq!(
        out.referral.previous_appointment_id.as_deref(),
        Some(old.as_str())
    );
    let new = out.referral.appointment.clone().unwrap().id;
    assert_ne!(new, old);
    assert_eq!(remote_status(app, "derm", &old).await, "cancelled");
    assert_eq!(remote_status(app, "derm", &new).await, "booked");
    assert!(app.store().journal().unresolved().unwrap().is_empty());
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_releases_holds_this_session_took() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let (r, options) = referral_with_options(app, "Ito", "H-6006", &["derm"]).await;
    let held = app.hold(r.id, &options[0].option_id).await.unwrap();
    let id = held.referral.appointment.clone().unwrap().id;
    assert_eq!(app.shutdown().await.unwrap(), 1);
    assert_eq!(remote_status(app, "derm", &id).await, "cancelled");
    assert_eq!(
        app.referral(r.id).await.unwrap().status,
        ReferralStatus::Searching
    );
    desk.sandbox.shutdown().await;
}
