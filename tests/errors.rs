//! Every error code the sandbox can produce, provoked for real and read as a front end reads it:
//! the right code, a sentence that says what failed (the organisation's own words only when it
//! sent some), and never "probably no longer available" unless the time was taken. Every error
//! passes `refdesk_tests::errors::api`, which refuses URLs, transport text and type names.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::time::Duration;

use refdesk_tests::desk::{Desk, book_option, new_patient, referral_input, referral_with_options};
use refdesk_tests::errors::{api, provoked};
use referral_api::handlers;
use referral_api::referral::GetReferralRequest;
use referral_api::{ApiError, ApiErrorCode};
use referral_core::{BookInput, CoreError, CoverageInfo, OrganisationInput};
use referral_model::OrganisationId;
use sched_sandbox::Faults;

const TAKEN: &str = "probably no longer available";

fn coverage(payor: &str) -> CoverageInfo {
    CoverageInfo {
        payor: payor.to_owned(),
        subscriber_id: "ACME-1".to_owned(),
        plan_name: None,
        relationship: "self".to_owned(),
    }
}

fn not_a_taken_slot(e: &ApiError) {
    assert!(!e.message.contains(TAKEN), "{:?}: {}", e.code, e.message);
}

/// Adds an organisation under `id` at `url` with `client_id`.
async fn add(desk: &Desk, id: &str, name: &str, url: String, client_id: &str) {
    desk.app
        .add_organisation(OrganisationInput {
            id: id.into(),
            display_name: name.into(),
            fhir_base_url: url,
            client_id: client_id.into(),
            scopes: "system/Appointment.* system/Patient.* system/Coverage.*".into(),
            enabled: true,
        })
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_coverage_reads_as_coverage_refused_with_the_organisations_words() {
    let desk = Desk::start(|_| {}).await;
    let blank = desk
        .app
        .register_patient(
            "derm",
            &new_patient("Okafor", "E-1"),
            Some(&coverage("  ")),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(
        api(&blank).code,
        ApiErrorCode::InvalidInput,
        "a coverage without payor is never sent"
    );
    desk.sandbox
        .set_faults(
            "derm",
            Faults {
                refuse_coverage: Some("We do not accept this insurer".into()),
                ..Faults::default()
            },
        )
        .unwrap();
    let registered = desk
        .app
        .register_patient(
            "derm",
            &new_patient("Okafor", "E-1"),
            Some(&coverage("Acme Health")),
            None,
        )
        .await
        .unwrap();
    assert!(
        !registered.patient_id.is_empty(),
        "the patient stays registered"
    );
    let e = api(&registered.coverage_refused.unwrap());
    assert_eq!(e.code, ApiErrorCode::CoverageRefused, "{}", e.message);
    assert!(
        e.message.contains("did not accept the patient's coverage"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("“We do not accept this insurer"),
        "the organisation's own diagnostics are quoted: {}",
        e.message
    );
    not_a_taken_slot(&e);
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_patient_reads_as_patient_refused() {
    let desk = Desk::start(|_| {}).await;
    let mut nameless = new_patient(" ", "E-2");
    nameless.given = vec![];
    let err = desk
        .app
        .register_patient("derm", &nameless, None, None)
        .await
        .unwrap_err();
    let e = api(&err);
    assert_eq!(e.code, ApiErrorCode::PatientRefused, "{}", e.message);
    assert!(
        e.message.contains("did not accept the patient's details"),
        "{}",
        e.message
    );
    not_a_taken_slot(&e);
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_with_a_stale_version_reads_as_version_conflict() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let (r, options) = referral_with_options(app, "Nakamura", "E-3", &["derm"]).await;
    let booked = book_option(app, r.id, &options[0]).await;
    let appointment = booked.appointment.unwrap();
    // Someone at the organisation changes the appointment: the version Referral Desk holds is
    // no longer current, so its cancel must be refused rather than overwrite the change.
    let (_, remote) = app
        .remote(&OrganisationId::new("derm".to_owned()).unwrap())
        .await
        .unwrap();
    remote
        .cancel(appointment.id.clone(), None, None)
        .await
        .unwrap();
    let err = app.cancel(r.id, "patient-cancel", None).await.unwrap_err();
    let e = api(&err);
    assert_eq!(e.code, ApiErrorCode::VersionConflict, "{}", e.message);
    assert!(e.message.contains("Refresh"), "{}", e.message);
    not_a_taken_slot(&e);
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_time_taken_by_someone_else_reads_as_slot_taken() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let (a, options) = referral_with_options(app, "Lindqvist", "E-4", &["derm"]).await;
    let (b, _) = referral_with_options(app, "Moreau", "E-5", &["derm"]).await;
    book_option(app, a.id, &options[0]).await;
    let hold = api(&app.hold(b.id, &options[0].option_id).await.unwrap_err());
    let book = app
        .book(
            b.id,
            BookInput {
                option_id: Some(options[0].option_id.clone()),
                ..BookInput::default()
            },
        )
        .await
        .unwrap_err();
    let book = api(&book);
    for e in [hold, book] {
        assert_eq!(e.code, ApiErrorCode::SlotTaken, "{}", e.message);
        assert!(e.message.contains(TAKEN), "{}", e.message);
        assert!(e.needs_new_search());
    }
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hold_that_ran_out_reads_as_hold_expired() {
    let desk = Desk::start(|c| {
        c.organisations
            .iter_mut()
            .for_each(|o| o.hold_ttl_seconds = 1)
    })
    .await;
    let app = &desk.app;
    let (r, options) = referral_with_options(app, "Haddad", "E-6", &["derm"]).await;
    app.hold(r.id, &options[0].option_id).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let e = api(&app.book(r.id, BookInput::default()).await.unwrap_err());
    assert_eq!(e.code, ApiErrorCode::HoldExpired, "{}", e.message);
    not_a_taken_slot(&e);
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_that_cannot_be_reached_reads_as_unreachable_without_transport_text() {
    let desk = Desk::start(|_| {}).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    add(
        &desk,
        "down",
        "Closed Clinic",
        format!("http://{closed}/down/fhir"),
        "referral-desk",
    )
    .await;
    let err = desk
        .app
        .register_patient("down", &new_patient("Ivanova", "E-7"), None, None)
        .await
        .unwrap_err();
    let e = api(&err);
    assert_eq!(e.code, ApiErrorCode::Unreachable, "{}", e.message);
    assert!(e.is_retryable());
    assert!(
        !e.message.contains("said"),
        "nothing to quote: {}",
        e.message
    );
    assert_eq!(ApiErrorCode::Unreachable.exit_code(), 3);
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_the_organisation_does_not_know_read_as_unauthorized_with_the_oauth_error() {
    let desk = Desk::start(|_| {}).await;
    let base = desk.sandbox.base_url("derm").unwrap();
    add(&desk, "stranger", "Stranger Clinic", base, "not-registered").await;
    let err = desk
        .app
        .register_patient("stranger", &new_patient("Kowalski", "E-8"), None, None)
        .await
        .unwrap_err();
    let e = api(&err);
    assert_eq!(e.code, ApiErrorCode::Unauthorized, "{}", e.message);
    assert_eq!(e.oauth_error.as_deref(), Some("invalid_client"), "{e:?}");
    not_a_taken_slot(&e);
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_that_do_not_exist_here_or_there_read_as_not_found() {
    let desk = Desk::start(|_| {}).await;
    let (_, remote) = desk
        .app
        .remote(&OrganisationId::new("derm".to_owned()).unwrap())
        .await
        .unwrap();
    let there = remote
        .read_appointment("no-such-appointment".into())
        .await
        .unwrap_err();
    let e = api(&CoreError::remote("North", there));
    assert_eq!(e.code, ApiErrorCode::NotFound, "{}", e.message);
    let here = handlers::get_referral(
        &desk.app,
        GetReferralRequest {
            id: referral_model::ReferralId::random().to_string(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(provoked(here).code, ApiErrorCode::NotFound);
    let unknown = desk
        .app
        .register_patient("nowhere", &new_patient("Silva", "E-9"), None, None)
        .await
        .unwrap_err();
    let e = api(&unknown);
    assert_eq!(
        e.code,
        ApiErrorCode::NotFound,
        "not invalid_input: {}",
        e.message
    );
    assert!(e.message.contains("“nowhere”"), "{}", e.message);
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_without_hold_reads_as_unsupported() {
    let desk = Desk::start(|c| {
        c.organisations
            .iter_mut()
            .for_each(|o| o.faults.hold_not_supported = true)
    })
    .await;
    let app = &desk.app;
    let (r, options) = referral_with_options(app, "Tanaka", "E-10", &["derm"]).await;
    let e = api(&app.hold(r.id, &options[0].option_id).await.unwrap_err());
    assert_eq!(e.code, ApiErrorCode::Unsupported, "{}", e.message);
    not_a_taken_slot(&e);
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_failing_with_5xx_reads_as_server_error() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let r = app
        .create_referral(referral_input(new_patient("Novak", "E-11"), &["derm"]))
        .await
        .unwrap();
    desk.sandbox
        .set_faults(
            "derm",
            Faults {
                failure_rate: 1.0,
                failure_status: 500,
                ..Faults::default()
            },
        )
        .unwrap();
    let found = app
        .find_slots(r.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    let (_, name, failure) = found.failures.first().cloned().unwrap();
    let e = api(&CoreError::remote(&name, failure));
    assert_eq!(e.code, ApiErrorCode::ServerError, "{}", e.message);
    assert!(e.is_retryable());
    not_a_taken_slot(&e);
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_whose_settings_are_unusable_reads_as_local_failure() {
    let desk = Desk::start(|_| {}).await;
    add(
        &desk,
        "plain",
        "Plain Clinic",
        "http://ehr.example/fhir".into(),
        "referral-desk",
    )
    .await;
    let err = desk
        .app
        .register_patient("plain", &new_patient("Costa", "E-12"), None, None)
        .await
        .unwrap_err();
    let e = api(&err);
    assert_eq!(e.code, ApiErrorCode::LocalFailure, "{}", e.message);
    assert!(e.message.contains("Settings"), "{}", e.message);
    desk.sandbox.shutdown().await;
}
