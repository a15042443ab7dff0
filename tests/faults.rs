//! Fault cases through referral-core against sandbox organisations: the desk reports what is
//! true and never books twice.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::time::Duration;

use refdesk_tests::desk::{Desk, book_option, referral_with_options, remote_status};
use refdesk_tests::errors::{api, assert_plain};
use referral_core::remote::RemoteErrorKind;
use referral_core::{BookInput, CoreError, FindProgress, OrganisationInput};
use referral_model::ReferralStatus;
use sched_sandbox::Faults;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slot_taken_between_find_and_hold_or_book_is_a_clear_refusal() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let (a, options) = referral_with_options(app, "Adeyemi", "F-1", &["derm"]).await;
    let (b, _) = referral_with_options(app, "Brandt", "F-2", &["derm"]).await;
    let contested = options[0].option_id.clone();
    app.book(
        a.id,
        BookInput {
            option_id: Some(contested.clone()),
            ..BookInput::default()
        },
    )
    .await
    .unwrap();

    let err = app.hold(b.id, &contested).await.unwrap_err();
    assert!(
        err.needs_new_search(),
        "hold refused as slot unavailable: {err:?}"
    );
    api(&err);
    let err = app
        .book(
            b.id,
            BookInput {
                option_id: Some(contested),
                ..BookInput::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        err.needs_new_search(),
        "book refused as slot unavailable: {err:?}"
    );
    api(&err);
    let b = app.referral(b.id).await.unwrap();
    assert!(
        !matches!(b.status, ReferralStatus::Booked | ReferralStatus::Held),
        "B holds nothing: {:?}",
        b.status
    );
    assert!(app.store().journal().unresolved().unwrap().is_empty());
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hold_that_expired_before_booking_is_reported_and_nothing_is_booked() {
    let desk = Desk::start(|c| {
        c.organisations
            .iter_mut()
            .for_each(|o| o.hold_ttl_seconds = 1)
    })
    .await;
    let app = &desk.app;
    let (r, options) = referral_with_options(app, "Castillo", "F-3", &["derm"]).await;
    let held = app.hold(r.id, &options[0].option_id).await.unwrap();
    assert!(
        held.expires_at <= app.now() + chrono::Duration::seconds(2),
        "the countdown comes from the Expires header"
    );
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let err = app.book(r.id, BookInput::default()).await.unwrap_err();
    assert!(
        err.needs_new_search(),
        "expired hold → search again: {err:?}"
    );
    api(&err);
    let r = app.referral(r.id).await.unwrap();
    assert!(
        matches!(r.status, ReferralStatus::Searching | ReferralStatus::Failed),
        "{:?}",
        r.status
    );
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_without_hold_is_not_asked_to_hold_and_booking_directly_works() {
    let desk = Desk::start(|c| {
        c.organisations
            .iter_mut()
            .for_each(|o| o.faults.hold_not_supported = true)
    })
    .await;
    let app = &desk.app;
    let (r, options) = referral_with_options(app, "Dubois", "F-4", &["derm"]).await;
    let err = app.hold(r.id, &options[0].option_id).await.unwrap_err();
    assert!(matches!(err, CoreError::Unsupported { .. }), "{err:?}");
    api(&err);
    assert!(
        app.events(r.id)
            .await
            .unwrap()
            .iter()
            .all(|e| e.kind != referral_model::EventKind::Hold),
        "no $hold was sent"
    );
    let booked = book_option(app, r.id, &options[0]).await;
    assert_eq!(booked.status, ReferralStatus::Booked);
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_expiring_mid_flow_is_renewed_and_the_flow_completes() {
    let desk = Desk::start(|c| {
        c.organisations
            .iter_mut()
            .for_each(|o| o.faults.token_ttl_seconds = Some(1))
    })
    .await;
    let app = &desk.app;
    let (r, options) = referral_with_options(app, "Eriksen", "F-5", &["derm"]).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.hold(r.id, &options[0].option_id).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let booked = app.book(r.id, BookInput::default()).await.unwrap();
    assert_eq!(
        remote_status(app, "derm", &booked.appointment.unwrap().id).await,
        "booked"
    );
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_down_during_a_multi_organisation_search_does_not_hold_back_the_others() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    app.add_organisation(OrganisationInput {
        id: "down".into(),
        display_name: "Closed Clinic".into(),
        fhir_base_url: format!("http://{closed}/down/fhir"),
        client_id: "referral-desk".into(),
        scopes: "system/Appointment.*".into(),
        enabled: true,
    })
    .await
    .unwrap();
    desk.sandbox
        .set_faults(
            "primary",
            Faults {
                failure_rate: 1.0,
                failure_status: 503,
                ..Faults::default()
            },
        )
        .unwrap();
    let r = app
        .create_referral(refdesk_tests::desk::referral_input(
            refdesk_tests::desk::new_patient("Fischer", "F-6"),
            &["derm", "down", "primary"],
        ))
        .await
        .unwrap();
    let failed = std::sync::Mutex::new(Vec::new());
    let found = app
        .find_slots(r.id, vec![], None, &|_, p| {
            if let FindProgress::Failed {
                organisation_id,
                message,
                ..
            } = p
            {
                failed
                    .lock()
                    .unwrap()
                    .push((organisation_id.to_string(), message.clone()));
            }
        })
        .await
        .unwrap();
    assert!(
        found
            .options
            .iter()
            .all(|o| o.organisation_id.as_str() == "derm")
            && !found.options.is_empty()
    );
    let mut failures: Vec<_> = found
        .failures
        .iter()
        .map(|(o, _, e)| (o.to_string(), e.kind))
        .collect();
    failures.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert_eq!(
        failures[0],
        ("down".to_owned(), RemoteErrorKind::Unreachable)
    );
    assert_eq!(failures[1].0, "primary");
    let failed = failed.into_inner().unwrap();
    failed.iter().for_each(|(_, m)| assert_plain(m));
    assert!(
        failed
            .iter()
            .any(|(o, m)| o == "down" && m.starts_with("Closed Clinic could not be reached")),
        "{failed:?}"
    );
    desk.sandbox.shutdown().await;
}
