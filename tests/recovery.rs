//! Crash safety through referral-core: the process "dies" (the crash hook panics the task) right
//! after each journal intent and right after each remote call of book and of reschedule; a new
//! app over the same files recovers, and the referral then says exactly what is true at the
//! organisation — no unresolved intent, no duplicate booking, no orphaned hold.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::collections::BTreeSet;
use std::sync::Arc;

use refdesk_tests::desk::{Desk, referral_with_options, remote_status};
use referral_core::{App, BookInput, CrashHook, CrashPoint};
use referral_model::{ReferralId, ReferralStatus};

fn crash_at(op: &'static str, point: CrashPoint) -> CrashHook {
    Arc::new(move |at: &str, p: CrashPoint| {
        if at == op && p == point {
            panic!("simulated crash at {op}:{p:?}");
        }
    })
}

/// Every appointment the desk ever touched for the referral, with its status at the organisation.
async fn remote_truth(app: &App, id: ReferralId) -> Vec<(String, String)> {
    let r = app.referral(id).await.unwrap();
    let mut ids = BTreeSet::new();
    for e in app.store().journal().for_referral(id).unwrap() {
        if let Some(a) = e
            .intent
            .request
            .get("appointment_id")
            .and_then(|v| v.as_str())
        {
            ids.insert(a.to_owned());
        }
        if let Some(a) = e
            .resolved
            .as_ref()
            .and_then(|x| x.resolution.detail.as_ref())
            .and_then(|d| d.get("appointment_id"))
            .and_then(|v| v.as_str())
        {
            ids.insert(a.to_owned());
        }
    }
    ids.extend(r.appointment.map(|a| a.id));
    // Held appointments get new ids: also look for anything pending or booked at the traced
    // practitioner and time of every option the desk tried to hold.
    let (_, remote) = app.remote(&r.organisation_id).await.unwrap();
    for e in app.store().journal().for_referral(id).unwrap() {
        let Some(trace) = e.intent.request.get("trace").filter(|t| !t.is_null()) else {
            continue;
        };
        let start: chrono::DateTime<chrono::Utc> =
            serde_json::from_value(trace["start"].clone()).unwrap();
        let query = referral_core::remote::AppointmentQuery {
            practitioner: trace["practitioner"].as_str().map(str::to_owned),
            from: Some(start),
            to: Some(start + chrono::Duration::minutes(1)),
            ..Default::default()
        };
        for a in remote.search_appointments(query).await.unwrap() {
            if referral_core::appt::start_of(&a) == Some(start)
                && matches!(a.status.as_str(), "pending" | "booked")
            {
                ids.extend(a.id);
            }
        }
    }
    let mut out = Vec::new();
    for a in ids {
        let (_, remote) = app.remote(&r.organisation_id).await.unwrap();
        if let Ok(appt) = remote.read_appointment(a.clone()).await {
            out.push((a, appt.status));
        }
    }
    out
}

/// The referral agrees with the organisation; nothing is unresolved, booked twice or held
/// without the desk knowing.
async fn assert_truthful(app: &App, id: ReferralId, label: &str) {
    assert!(
        app.store().journal().unresolved().unwrap().is_empty(),
        "{label}: every intent resolved"
    );
    let r = app.referral(id).await.unwrap();
    let truth = remote_truth(app, id).await;
    let booked: Vec<_> = truth.iter().filter(|(_, s)| s == "booked").collect();
    let pending: Vec<_> = truth.iter().filter(|(_, s)| s == "pending").collect();
    assert!(
        booked.len() <= 1,
        "{label}: no duplicate booking: {truth:?}"
    );
    let mine = r.appointment.as_ref().map(|a| a.id.clone());
    match r.status {
        ReferralStatus::Booked | ReferralStatus::Rescheduled => {
            assert_eq!(booked.len(), 1, "{label}: {truth:?}");
            assert_eq!(
                Some(&booked[0].0),
                mine.as_ref(),
                "{label}: the referral names the booked appointment"
            );
        }
        ReferralStatus::Held => {
            assert!(booked.is_empty(), "{label}: {truth:?}");
            assert_eq!(pending.len(), 1, "{label}: {truth:?}");
            assert_eq!(
                Some(&pending[0].0),
                mine.as_ref(),
                "{label}: the hold is the desk's own, not orphaned"
            );
        }
        other => {
            assert!(
                booked.is_empty(),
                "{label}: {other:?} but the organisation has a booking: {truth:?}"
            );
            assert!(pending.is_empty(), "{label}: orphaned hold: {truth:?}");
            if other == ReferralStatus::NeedsAttention {
                assert!(
                    r.status_note.is_some(),
                    "{label}: needs-attention says what happened"
                );
            }
        }
    }
}

async fn crash_in_book_flow(op: &'static str, point: CrashPoint, direct: bool) {
    let desk = Desk::start(|_| {}).await;
    let (r, options) =
        referral_with_options(&desk.app, "Crash", &format!("C-{op}"), &["derm"]).await;
    let option = options[0].option_id.clone();
    if op != "hold" && !direct {
        desk.app.hold(r.id, &option).await.unwrap();
    }
    let doomed = desk.reopen(Some(crash_at(op, point)));
    let run = tokio::spawn(async move {
        if op == "hold" {
            doomed.hold(r.id, &option).await.map(|_| ())
        } else if direct {
            let input = BookInput {
                option_id: Some(option),
                ..BookInput::default()
            };
            doomed.book(r.id, input).await.map(|_| ())
        } else {
            doomed.book(r.id, BookInput::default()).await.map(|_| ())
        }
    });
    assert!(run.await.unwrap_err().is_panic(), "{op}:{point:?} crashed");
    let restarted = desk.reopen(None);
    let report = restarted.recover().await.unwrap();
    assert_eq!(report.left, 0, "{op}:{point:?}: {report:?}");
    assert_truthful(&restarted, r.id, &format!("{op}:{point:?}")).await;
    // After recovery the desk can always finish the booking exactly once.
    let now = restarted.referral(r.id).await.unwrap();
    if now.status != ReferralStatus::Booked {
        let fresh = restarted
            .find_slots(r.id, vec![], None, &|_, _| {})
            .await
            .unwrap();
        let again = restarted
            .book(
                r.id,
                BookInput {
                    option_id: Some(fresh.options[0].option_id.clone()),
                    ..BookInput::default()
                },
            )
            .await;
        assert!(again.is_ok(), "{op}:{point:?}: rebooking works: {again:?}");
    }
    assert_truthful(&restarted, r.id, &format!("{op}:{point:?} after rebooking")).await;
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_at_every_step_of_hold_and_book_is_reconciled() {
    for op in ["hold", "create-patient", "create-coverage", "book"] {
        for point in [CrashPoint::Journaled, CrashPoint::Sent] {
            crash_in_book_flow(op, point, false).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_while_booking_without_a_hold_is_reconciled_even_though_the_booking_gets_a_new_id() {
    for point in [CrashPoint::Journaled, CrashPoint::Sent] {
        crash_in_book_flow("book", point, true).await;
    }
}

async fn crash_in_reschedule(op: &'static str, point: CrashPoint) {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let (r, options) = referral_with_options(app, "Resched", &format!("R-{op}"), &["derm"]).await;
    app.hold(r.id, &options[0].option_id).await.unwrap();
    let booked = app.book(r.id, BookInput::default()).await.unwrap();
    let old = booked.appointment.clone().unwrap().id;
    let fresh = app
        .find_slots(r.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    let target = fresh
        .options
        .iter()
        .find(|o| Some(o.start) != booked.booked_start)
        .unwrap()
        .option_id
        .clone();

    let doomed = desk.reopen(Some(crash_at(op, point)));
    let run = tokio::spawn(async move { doomed.reschedule(r.id, &target, None).await.map(|_| ()) });
    assert!(run.await.unwrap_err().is_panic(), "{op}:{point:?} crashed");
    let restarted = desk.reopen(None);
    let report = restarted.recover().await.unwrap();
    assert_eq!(report.left, 0, "{op}:{point:?}: {report:?}");
    let label = format!("reschedule {op}:{point:?}");
    assert_truthful(&restarted, r.id, &label).await;
    let after = restarted.referral(r.id).await.unwrap();
    let old_now = remote_status(&restarted, "derm", &old).await;
    match after.status {
        ReferralStatus::Booked => {
            assert_eq!(old_now, "booked", "{label}: the old appointment is kept")
        }
        ReferralStatus::Rescheduled => {
            assert_eq!(old_now, "cancelled", "{label}: the new replaced the old")
        }
        ReferralStatus::NeedsAttention => assert_eq!(
            old_now, "cancelled",
            "{label}: flagged only when the old is gone"
        ),
        other => panic!("{label}: unexpected {other:?}"),
    }
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_at_every_step_of_reschedule_is_reconciled() {
    for op in [
        "reschedule-hold",
        "reschedule-cancel-old",
        "reschedule-book",
    ] {
        for point in [CrashPoint::Journaled, CrashPoint::Sent] {
            // Boxed: the test's own future holds several referrals across its awaits.
            Box::pin(crash_in_reschedule(op, point)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_while_cancelling_is_reconciled_to_what_the_organisation_says() {
    for point in [CrashPoint::Journaled, CrashPoint::Sent] {
        let desk = Desk::start(|_| {}).await;
        let (r, options) = referral_with_options(&desk.app, "Cancelled", "X-1", &["derm"]).await;
        let option = options[0].option_id.clone();
        let booked = desk
            .app
            .book(
                r.id,
                BookInput {
                    option_id: Some(option),
                    ..BookInput::default()
                },
            )
            .await
            .unwrap();
        let appt = booked.appointment.unwrap().id;
        let doomed = desk.reopen(Some(crash_at("cancel", point)));
        let run = tokio::spawn(async move {
            doomed
                .cancel(r.id, "patient-cancel", None)
                .await
                .map(|_| ())
        });
        assert!(run.await.unwrap_err().is_panic());
        let restarted = desk.reopen(None);
        restarted.recover().await.unwrap();
        assert!(restarted.store().journal().unresolved().unwrap().is_empty());
        let remote = remote_status(&restarted, "derm", &appt).await;
        let local = restarted.referral(r.id).await.unwrap().status;
        match point {
            CrashPoint::Journaled => {
                assert_eq!(
                    (remote.as_str(), local),
                    ("booked", ReferralStatus::Booked),
                    "nothing was sent"
                )
            }
            CrashPoint::Sent => {
                assert_eq!(
                    (remote.as_str(), local),
                    ("cancelled", ReferralStatus::Cancelled),
                    "the cancel went through"
                )
            }
        }
        desk.sandbox.shutdown().await;
    }
}
