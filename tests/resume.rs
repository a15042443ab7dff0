//! Issue 13, "resume anything": every referral the desk starts can be finished from its detail.
//! A referral left searching searches again with its stored inputs; one flagged needs-attention
//! (provoked for real: the organisation applies `$book` but its answer and every read-back are
//! garbled) is re-checked at the organisation and settled with a note, through the same
//! `referral_api` handlers the app and the CLI call. Bad input and wrong states are refused in
//! plain words.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::collections::BTreeMap;

use refdesk_tests::desk::{Desk, new_patient, referral_input, remote_status};
use refdesk_tests::errors::provoked;
use referral_api::ApiErrorCode;
use referral_api::handlers;
use referral_api::referral::{GetReferralRequest, ReferralStatus as Status};
use referral_api::resume::{
    RecheckFinding, RecheckReferralRequest, ResumeReferralRequest, SettleOutcome,
    SettleReferralRequest,
};
use referral_core::{App, BookInput, CoreError};
use referral_model::{ReferralId, ReferralStatus};
use sched_sandbox::Faults;

/// A referral at `derm` for a patient registered there, holding its earliest time.
async fn held_referral(desk: &Desk, family: &str) -> ReferralId {
    let app = &desk.app;
    let patient = new_patient(family, &format!("R-{family}"));
    let registered = app
        .register_patient("derm", &patient, None, None)
        .await
        .unwrap();
    let mut input = referral_input(patient, &["derm"]);
    input.patient_links = BTreeMap::from([("derm".to_owned(), registered.patient_id)]);
    let r = app.create_referral(input).await.unwrap();
    let found = app
        .find_slots(r.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    app.hold(r.id, &found.options[0].option_id).await.unwrap();
    r.id
}

/// Books the held time while `faults` garble or refuse every answer: needs attention.
async fn book_blindly(desk: &Desk, id: ReferralId, faults: Faults) {
    desk.sandbox.set_faults("derm", faults).unwrap();
    let input = BookInput {
        comment: Some("Sent with the lost booking".to_owned()),
        ..BookInput::default()
    };
    let err = desk.app.book(id, input).await.unwrap_err();
    assert!(
        matches!(err, CoreError::NeedsAttention { .. }),
        "the booking cannot be told: {err:?}"
    );
    desk.sandbox.set_faults("derm", Faults::default()).unwrap();
    let r = desk.app.referral(id).await.unwrap();
    assert_eq!(r.status, ReferralStatus::NeedsAttention);
}

fn settle(id: ReferralId, outcome: SettleOutcome, note: &str) -> SettleReferralRequest {
    SettleReferralRequest {
        referral_id: id.to_string(),
        outcome,
        note: note.to_owned(),
    }
}

async fn recheck(app: &App, id: ReferralId) -> referral_api::resume::RecheckResult {
    let req = RecheckReferralRequest {
        referral_id: id.to_string(),
    };
    handlers::recheck_referral(app, req).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_whose_answer_was_lost_is_found_at_the_organisation_and_settled_as_booked() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let id = held_referral(&desk, "Quispe").await;
    let garbled = Faults {
        malformed_rate: 1.0,
        ..Faults::default()
    };
    book_blindly(&desk, id, garbled.clone()).await;

    // While the organisation still garbles its answers, the check says it cannot tell, and
    // "booked as found" cannot be settled on nothing.
    desk.sandbox.set_faults("derm", garbled).unwrap();
    let unknown = recheck(app, id).await;
    assert_eq!(unknown.finding, RecheckFinding::Unknown);
    assert_eq!(unknown.suggested, None);
    let e = handlers::settle_referral(app, settle(id, SettleOutcome::BookedAsFound, "phoned"))
        .await
        .unwrap_err();
    assert_ne!(provoked(e).code, ApiErrorCode::InvalidInput);
    desk.sandbox.set_faults("derm", Faults::default()).unwrap();

    let empty = handlers::settle_referral(app, settle(id, SettleOutcome::BookedAsFound, "  "))
        .await
        .unwrap_err();
    let empty = provoked(empty);
    assert_eq!(empty.code, ApiErrorCode::InvalidInput);
    assert_eq!(empty.field.as_deref(), Some("note"));

    let found = recheck(app, id).await;
    assert_eq!(found.finding, RecheckFinding::Booked, "{}", found.message);
    assert_eq!(found.suggested, Some(SettleOutcome::BookedAsFound));
    let appointment = found.appointment.unwrap();
    assert_eq!(
        remote_status(app, "derm", &appointment.appointment_id).await,
        "booked"
    );
    refdesk_tests::errors::assert_plain(&found.message);

    // "Not booked" contradicts the organisation: refused, saying what it has.
    let contradicted =
        handlers::settle_referral(app, settle(id, SettleOutcome::NotBooked, "not booked"))
            .await
            .unwrap_err();
    assert_eq!(provoked(contradicted).code, ApiErrorCode::WrongState);

    let note = "Read back at Derm: booked as found.";
    let settled = handlers::settle_referral(app, settle(id, SettleOutcome::BookedAsFound, note))
        .await
        .unwrap();
    assert_eq!(settled.status, Status::Booked);
    let detail = handlers::get_referral(app, GetReferralRequest { id: id.to_string() })
        .await
        .unwrap();
    assert_eq!(
        detail.appointment_id.as_deref(),
        Some(appointment.appointment_id.as_str())
    );
    // The composed comment (reason, priority, then the user's words) the organisation received.
    let kept = detail.booking_comment.as_deref().unwrap_or_default();
    assert!(
        kept.starts_with("Reason: ") && kept.ends_with("\nSent with the lost booking"),
        "the comment the organisation received is kept: {kept:?}"
    );
    let settle_event = detail
        .events
        .iter()
        .find(|e| e.action == "settled: booked as found")
        .unwrap();
    assert_eq!(settle_event.detail, note);
    assert!(
        settle_event.user.is_some(),
        "the timeline names who settled it"
    );
    assert!(
        detail
            .events
            .iter()
            .any(|e| e.action == "re-check at the organisation"),
        "the re-check is in the timeline"
    );
    assert!(app.store().journal().unresolved().unwrap().is_empty());

    let again = handlers::settle_referral(app, settle(id, SettleOutcome::Cancelled, "again"))
        .await
        .unwrap_err();
    assert_eq!(provoked(again).code, ApiErrorCode::WrongState);
    let rechecked = handlers::recheck_referral(
        app,
        RecheckReferralRequest {
            referral_id: id.to_string(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(provoked(rechecked).code, ApiErrorCode::WrongState);
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_that_never_happened_is_settled_as_not_booked_and_searches_again() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let id = held_referral(&desk, "Novak").await;
    let held_at = app.referral(id).await.unwrap().appointment.unwrap().id;
    let down = Faults {
        failure_rate: 1.0,
        failure_status: 503,
        ..Faults::default()
    };
    book_blindly(&desk, id, down).await;

    let found = recheck(app, id).await;
    assert_eq!(found.finding, RecheckFinding::Held, "{}", found.message);
    assert_eq!(found.suggested, Some(SettleOutcome::NotBooked));

    let settled = handlers::settle_referral(
        app,
        settle(
            id,
            SettleOutcome::NotBooked,
            "Derm says nothing was booked.",
        ),
    )
    .await
    .unwrap();
    assert_eq!(settled.status, Status::Searching);
    assert_eq!(
        remote_status(app, "derm", &held_at).await,
        "cancelled",
        "the time still held there was released"
    );

    // Searching again from the detail uses the referral's own organisations and window.
    let progress = std::sync::Mutex::new(Vec::new());
    let found = handlers::resume_referral(
        app,
        ResumeReferralRequest {
            referral_id: id.to_string(),
            window: None,
        },
        |p| progress.lock().unwrap().push(p.organisation_id),
    )
    .await
    .unwrap();
    assert!(!found.options.is_empty());
    assert!(found.options.iter().all(|o| o.organisation_id == "derm"));
    assert!(progress.into_inner().unwrap().contains(&"derm".to_owned()));
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resuming_a_search_is_refused_where_it_does_not_fit_and_a_cancelled_settlement_closes_it() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let id = held_referral(&desk, "Ekwueme").await;
    let held = handlers::resume_referral(
        app,
        ResumeReferralRequest {
            referral_id: id.to_string(),
            window: None,
        },
        |_| {},
    )
    .await
    .unwrap_err();
    let held = provoked(held);
    assert_eq!(held.code, ApiErrorCode::WrongState);
    assert!(
        held.message.contains("book it or release it"),
        "{}",
        held.message
    );

    let not_flagged = handlers::settle_referral(app, settle(id, SettleOutcome::Cancelled, "x"))
        .await
        .unwrap_err();
    assert_eq!(provoked(not_flagged).code, ApiErrorCode::WrongState);

    let down = Faults {
        failure_rate: 1.0,
        failure_status: 503,
        ..Faults::default()
    };
    book_blindly(&desk, id, down).await;
    let long = "x".repeat(1001);
    let e = handlers::settle_referral(app, settle(id, SettleOutcome::Cancelled, &long))
        .await
        .unwrap_err();
    assert_eq!(provoked(e).field.as_deref(), Some("note"));
    let closed = handlers::settle_referral(
        app,
        settle(id, SettleOutcome::Cancelled, "Patient no longer wants it."),
    )
    .await
    .unwrap();
    assert_eq!(closed.status, Status::Cancelled);
    let flagged = handlers::resume_referral(
        app,
        ResumeReferralRequest {
            referral_id: id.to_string(),
            window: None,
        },
        |_| {},
    )
    .await
    .unwrap_err();
    assert_eq!(provoked(flagged).code, ApiErrorCode::WrongState);
    desk.sandbox.shutdown().await;
}
