//! Booking through referral-core at an organisation speaking IHE ITI Scheduling (R4) and one
//! speaking Epic's STU3 variant: the workflows are the same as for Argonaut (new patient with
//! coverage, hold or direct book, read back, reschedule, cancel); what reached each
//! organisation is in its own parameter names and types.
#![allow(clippy::unwrap_used, reason = "tests")]

use refdesk_tests::desk::{Desk, book_option, referral_with_options, remote_status};
use referral_core::{BookInput, RescheduleState};
use referral_model::ReferralStatus;
use sched_sandbox::SandboxDialect;
use serde_json::Value;

/// The bodies `org` received for `operation`.
fn received(desk: &Desk, org: &str, operation: &str) -> Vec<Value> {
    let org = desk.sandbox.organisation(org).unwrap();
    org.received.of(operation).unwrap()
}

fn has_param(body: &Value, name: &str, value_key: &str) -> bool {
    body["parameter"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|p| p["name"] == name && p.get(value_key).is_some())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_core_books_reschedules_and_cancels_at_ihe_and_epic_organisations() {
    let desk = Desk::start(|c| {
        for org in &mut c.organisations {
            match org.name.as_str() {
                "derm" => org.dialect = SandboxDialect::IheIti,
                "primary" => org.dialect = SandboxDialect::Epic,
                _ => {}
            }
        }
    })
    .await;
    let app = &desk.app;

    // IHE: new patient with coverage, hold, book, read back.
    let (r, options) = referral_with_options(app, "Adeyemi", "H-7007", &["derm"]).await;
    let find = received(&desk, "derm", "find").pop().unwrap();
    assert!(has_param(&find, "start", "valueDateTime"), "{find}");
    assert!(
        has_param(&find, "referral-identifier", "valueIdentifier"),
        "{find}"
    );
    app.hold(r.id, &options[0].option_id).await.unwrap();
    assert!(has_param(
        &received(&desk, "derm", "hold")[0],
        "appointment-reference",
        "valueReference"
    ));
    let booked = app.book(r.id, BookInput::default()).await.unwrap();
    assert_eq!(booked.status, ReferralStatus::Booked);
    let old = booked.appointment.clone().unwrap().id;
    assert_eq!(remote_status(app, "derm", &old).await, "booked");

    // IHE reschedule (hold new → cancel old through $book → book new), then cancel.
    let again = app
        .find_slots(r.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    let target = again
        .options
        .iter()
        .find(|o| Some(o.start) != booked.booked_start)
        .unwrap();
    let out = app.reschedule(r.id, &target.option_id, None).await.unwrap();
    assert_eq!(out.state, RescheduleState::NewBooked, "{}", out.message);
    assert_eq!(remote_status(app, "derm", &old).await, "cancelled");
    let new = out.referral.appointment.clone().unwrap().id;
    let cancelled = app.cancel(r.id, "patient-cancel", None).await.unwrap();
    assert_eq!(cancelled.status, ReferralStatus::Cancelled);
    assert_eq!(remote_status(app, "derm", &new).await, "cancelled");
    let cancels = received(&desk, "derm", "book");
    assert!(
        cancels
            .iter()
            .any(|b| has_param(b, "appointment-resource", "resource"))
    );

    // Epic: no hold, the core books directly with Epic's names; then cancel.
    let (r, options) = referral_with_options(app, "Adeyemi", "H-7008", &["primary"]).await;
    let find = received(&desk, "primary", "find").pop().unwrap();
    assert!(has_param(&find, "startTime", "valueDateTime"), "{find}");
    let booked = book_option(app, r.id, &options[0]).await;
    assert_eq!(booked.status, ReferralStatus::Booked);
    let book = received(&desk, "primary", "book").pop().unwrap();
    assert!(has_param(&book, "appointment", "valueIdentifier"), "{book}");
    assert!(has_param(&book, "patient", "valueIdentifier"), "{book}");
    assert!(received(&desk, "primary", "hold").is_empty());
    let id = booked.appointment.clone().unwrap().id;
    assert_eq!(remote_status(app, "primary", &id).await, "booked");
    app.cancel(r.id, "patient-cancel", None).await.unwrap();
    assert_eq!(remote_status(app, "primary", &id).await, "cancelled");
    desk.sandbox.shutdown().await;
}
