//! The home referral queue worked by desks (referral-core `App`s over their own data
//! directories) against the sandbox home organisation: one claim per order across desks with a
//! plain "being worked by" message, release and takeover, a bad or deleted order reported on
//! that order alone, a write-back journaled in the outbox and replayed once after a crash, and
//! the booked outcome written back to the order's Task.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::sync::Arc;

use refdesk_tests::home::{HomeAdmin, desk, reopen, start_with_home};
use referral_core::{BookInput, CoreError, CrashHook, CrashPoint};
use referral_model::{ItemView, OrderFill, QueueItem, QueueView};
use serde_json::json;

fn item<'a>(items: &'a [QueueItem], order: &str) -> &'a QueueItem {
    items.iter().find(|i| i.order_id == order).unwrap()
}

fn crash_at(op: &'static str, point: CrashPoint) -> CrashHook {
    Arc::new(move |at: &str, p: CrashPoint| {
        if at == op && p == point {
            panic!("simulated crash at {op}:{p:?}");
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desks_get_one_claim_the_other_is_told_who_and_a_release_frees_the_order() {
    let sandbox = start_with_home(5).await;
    let (ann, _a) = desk(&sandbox, "desk-a", 900).await;
    let (bob, _b) = desk(&sandbox, "desk-b", 900).await;

    let first = ann.refresh_queue().await.unwrap();
    assert_eq!(first.items, 8, "three scenario orders and five generated");
    assert_eq!(first.problems, 0);
    let again = ann.refresh_queue().await.unwrap();
    assert_eq!(again.requests, 1, "an unchanged refresh is one request");

    let mine = ann.claim_order("sr-1").await.unwrap();
    assert_eq!(mine.view, ItemView::Mine);
    bob.refresh_queue().await.unwrap();
    let seen = bob.queue(QueueView::Others).await.unwrap();
    assert_eq!(seen.len(), 1, "bob sees ann's claim: {seen:?}");
    let owner = seen[0].owner.clone().unwrap();
    assert!(owner.contains(" at "), "{owner}");

    let refused = bob.claim_order("sr-1").await.unwrap_err();
    match &refused {
        CoreError::OrderClaimed { owner: who, until } => {
            assert_eq!(who, &owner);
            assert!(until.is_some());
        }
        other => panic!("expected a claim conflict, got {other:?}"),
    }
    assert!(
        refused
            .to_string()
            .starts_with("This order is being worked by ")
    );

    let released = ann.release_order("sr-1").await.unwrap();
    assert_eq!(released.view, ItemView::Unclaimed);
    let taken = bob.claim_order("sr-1").await.unwrap();
    assert_eq!(taken.view, ItemView::Mine, "a released order is free again");
    let admin = HomeAdmin::new(&sandbox).await;
    let task = admin.client.task_for_order("sr-1").await.unwrap().unwrap();
    assert_eq!(task.status, "accepted");
    let bob_desk = bob.desk().await.unwrap();
    assert_eq!(
        task.owner_id(sched_client::home::DESK_SYSTEM),
        Some(bob_desk.id.as_str()),
        "one Task, now bob's"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_order_and_a_deleted_order_are_reported_on_that_order_while_the_rest_import() {
    let sandbox = start_with_home(2).await;
    let admin = HomeAdmin::new(&sandbox).await;
    let bad = admin
        .add_order(json!({
            "resourceType": "ServiceRequest",
            "status": "active",
            "intent": "order",
            "category": [{"coding": [{"system": "http://snomed.info/sct", "code": "3457005"}]}],
            "subject": {"reference": "Patient/nobody"},
            "code": {"text": "Cardiology referral"}
        }))
        .await;
    let (ann, _a) = desk(&sandbox, "desk-a", 900).await;
    let refresh = ann.refresh_queue().await.unwrap();
    assert_eq!(refresh.items, 6, "five seeded orders and the bad one");
    assert_eq!(refresh.problems, 1);
    let problems = ann.queue(QueueView::Problems).await.unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].order_id, bad);
    assert_eq!(
        problems[0].problem.as_deref(),
        Some("The home did not send the order's patient.")
    );
    assert_eq!(ann.queue(QueueView::Unclaimed).await.unwrap().len(), 5);

    admin.delete_order("sr-2").await;
    let gone = ann.claim_order("sr-2").await.unwrap_err();
    assert!(matches!(gone, CoreError::OrderWithdrawn), "{gone:?}");
    let listed = ann.queue(QueueView::All).await.unwrap();
    let withdrawn = item(&listed, "sr-2");
    assert_eq!(withdrawn.view, ItemView::Problem);
    assert_eq!(
        withdrawn.problem.as_deref(),
        Some("This order was withdrawn at home.")
    );
    assert!(
        admin.client.task_for_order("sr-2").await.unwrap().is_none(),
        "no claim for a deleted order"
    );
    ann.claim_order("sr-3").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_journaled_but_never_sent_is_replayed_once_after_the_restart() {
    let sandbox = start_with_home(0).await;
    let (ann, dir) = desk(&sandbox, "desk-a", 900).await;
    ann.refresh_queue().await.unwrap();
    drop(ann);

    let crashing = reopen(&dir, Some(crash_at("claim", CrashPoint::Journaled)));
    let run = tokio::spawn(async move { crashing.claim_order("sr-1").await });
    assert!(run.await.unwrap_err().is_panic());
    let admin = HomeAdmin::new(&sandbox).await;
    assert!(
        admin.client.task_for_order("sr-1").await.unwrap().is_none(),
        "the crash came before the request"
    );

    let restarted = reopen(&dir, None);
    let report = restarted.start_up().await;
    assert_eq!(
        report.home_outbox.unwrap(),
        1,
        "the unresolved claim is replayed"
    );
    let task = admin.client.task_for_order("sr-1").await.unwrap().unwrap();
    assert_eq!(task.status, "accepted");
    assert_eq!(restarted.replay_outbox().await.unwrap(), 0, "resolved once");
    restarted.refresh_queue().await.unwrap();
    let listed = restarted.queue(QueueView::Mine).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].order_id, "sr-1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outcome_written_but_not_recorded_is_not_written_again_on_replay() {
    let sandbox = start_with_home(0).await;
    let (ann, dir) = desk(&sandbox, "desk-a", 900).await;
    refdesk_tests::home::give_referrer(&ann).await;
    ann.refresh_queue().await.unwrap();
    let started = ann.start_order("sr-1", OrderFill::default()).await.unwrap();
    let again = ann.start_order("sr-1", OrderFill::default()).await.unwrap();
    assert_eq!(
        again.referral_id, started.referral_id,
        "starting twice: one referral"
    );
    drop(ann);

    let crashing = reopen(&dir, Some(crash_at("outcome", CrashPoint::Sent)));
    let id = started.referral_id;
    let run = tokio::spawn(async move {
        let found = crashing
            .find_slots(id, vec![], None, &|_, _| {})
            .await
            .unwrap();
        let option = found.options.first().unwrap().option_id.clone();
        let input = BookInput {
            option_id: Some(option),
            ..BookInput::default()
        };
        crashing.book(id, input).await
    });
    assert!(
        run.await.unwrap_err().is_panic(),
        "crashed after the write went out"
    );
    let admin = HomeAdmin::new(&sandbox).await;
    let task = admin.client.task_for_order("sr-1").await.unwrap().unwrap();
    assert_eq!(task.status, "completed", "the write reached the home");
    let version = task.version_id().unwrap().to_owned();

    let restarted = reopen(&dir, None);
    assert_eq!(restarted.replay_outbox().await.unwrap(), 1);
    let after = admin.client.task_for_order("sr-1").await.unwrap().unwrap();
    assert_eq!(
        after.version_id(),
        Some(version.as_str()),
        "already applied: not written twice"
    );
    let output = &after.output[0];
    let reference = output
        .value_reference
        .as_ref()
        .unwrap()
        .reference
        .clone()
        .unwrap();
    assert!(
        reference.starts_with("http://127.0.0.1:"),
        "absolute: {reference}"
    );
    assert!(reference.contains("/Appointment/"), "{reference}");
    let business = after
        .business_status
        .as_ref()
        .unwrap()
        .text
        .clone()
        .unwrap();
    assert!(business.starts_with("booked "), "{business}");
    restarted.refresh_queue().await.unwrap();
    let done = restarted.queue(QueueView::Done).await.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].outcome.as_deref(), Some(business.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ended_lease_is_taken_over_and_the_dead_desk_does_not_write_on_restart() {
    let sandbox = start_with_home(0).await;
    let (ann, ann_dir) = desk(&sandbox, "desk-a", 3).await;
    let (bob, _b) = desk(&sandbox, "desk-b", 3).await;
    for app in [&ann, &bob] {
        refdesk_tests::home::give_referrer(app).await;
        app.refresh_queue().await.unwrap();
    }
    ann.claim_order("sr-2").await.unwrap();
    drop(ann);
    let dying = reopen(&ann_dir, Some(crash_at("start", CrashPoint::Journaled)));
    let run = tokio::spawn(async move { dying.start_order("sr-2", OrderFill::default()).await });
    assert!(run.await.unwrap_err().is_panic());

    let early = bob.claim_order("sr-2").await.unwrap_err();
    assert!(matches!(early, CoreError::OrderClaimed { .. }), "{early:?}");
    tokio::time::sleep(std::time::Duration::from_millis(3_500)).await;
    let taken = bob.start_order("sr-2", OrderFill::default()).await.unwrap();
    assert_eq!(taken.item.view, ItemView::Mine);
    let admin = HomeAdmin::new(&sandbox).await;
    let task = admin.client.task_for_order("sr-2").await.unwrap().unwrap();
    assert_eq!(task.status, "in-progress");
    let version = task.version_id().unwrap().to_owned();

    let restarted = reopen(&ann_dir, None);
    assert_eq!(restarted.replay_outbox().await.unwrap(), 1);
    let after = admin.client.task_for_order("sr-2").await.unwrap().unwrap();
    assert_eq!(
        after.version_id(),
        Some(version.as_str()),
        "no write by the dead desk"
    );
    let listed = restarted.queue(QueueView::All).await.unwrap();
    let problem = item(&listed, "sr-2").problem.clone().unwrap();
    assert!(
        problem.starts_with("This order was taken over by "),
        "{problem}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisations_own_cancellation_found_by_sync_reaches_the_order_at_home() {
    let sandbox = start_with_home(0).await;
    let (ann, _a) = desk(&sandbox, "desk-a", 900).await;
    ann.refresh_queue().await.unwrap();
    let fill = OrderFill {
        referrer_phone: Some("555-0100".to_owned()),
        ..OrderFill::default()
    };
    let started = ann.start_order("sr-1", fill).await.unwrap();
    let id = started.referral_id;
    let found = ann.find_slots(id, vec![], None, &|_, _| {}).await.unwrap();
    let input = BookInput {
        option_id: Some(found.options.first().unwrap().option_id.clone()),
        ..BookInput::default()
    };
    let booked = ann.book(id, input).await.unwrap();
    let appointment = booked.appointment.unwrap().id;
    let url = format!(
        "http://{}/admin/{}/appointments/{appointment}/cancel",
        sandbox.addr(),
        booked.organisation_id
    );
    let res = reqwest::Client::new().post(url).send().await.unwrap();
    assert!(res.status().is_success(), "{}", res.status());

    ann.sync_with_organisations().await.unwrap();
    let admin = HomeAdmin::new(&sandbox).await;
    let task = admin.client.task_for_order("sr-1").await.unwrap().unwrap();
    assert_eq!(task.status, "failed", "the cancellation is written back");
    let business = task.business_status.unwrap().text.unwrap();
    assert!(business.starts_with("cancelled at "), "{business}");
    assert!(task.status_reason.unwrap().text.is_some());
}

/// The gap between `$book` and the outcome reaching the home: a desk killed there leaves a claim
/// that says "booking at …". When its lease ends the other desk is told to check instead of
/// booking again, and the killed desk, restarted, settles its booking and completes the Task.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_killed_while_booking_is_not_booked_over_and_finishes_after_restart() {
    let sandbox = start_with_home(0).await;
    let (ann, ann_dir) = desk(&sandbox, "desk-a", 3).await;
    let (bob, _b) = desk(&sandbox, "desk-b", 3).await;
    let fill = OrderFill {
        referrer_phone: Some("555-0100".to_owned()),
        ..OrderFill::default()
    };
    ann.refresh_queue().await.unwrap();
    let started = ann.start_order("sr-1", fill.clone()).await.unwrap();
    let id = started.referral_id;
    drop(ann);

    let dying = reopen(&ann_dir, Some(crash_at("book", CrashPoint::Sent)));
    let run = tokio::spawn(async move {
        let found = dying
            .find_slots(id, vec![], None, &|_, _| {})
            .await
            .unwrap();
        let input = BookInput {
            option_id: Some(found.options.first().unwrap().option_id.clone()),
            ..BookInput::default()
        };
        dying.book(id, input).await
    });
    assert!(run.await.unwrap_err().is_panic(), "killed after $book");
    let admin = HomeAdmin::new(&sandbox).await;
    let task = admin.client.task_for_order("sr-1").await.unwrap().unwrap();
    let noted = task.business_status.as_ref().unwrap().text.clone().unwrap();
    assert!(noted.starts_with("booking at "), "{noted}");

    tokio::time::sleep(std::time::Duration::from_millis(3_500)).await;
    bob.refresh_queue().await.unwrap();
    let refused = bob.start_order("sr-1", fill).await.unwrap_err();
    let sentence = referral_core::describe::error_sentence(&refused);
    assert!(
        sentence.contains("stopped while booking this order"),
        "{sentence}"
    );

    let restarted = reopen(&ann_dir, None);
    let report = restarted.start_up().await;
    report.recovery.unwrap();
    let done = admin.client.task_for_order("sr-1").await.unwrap().unwrap();
    assert_eq!(
        done.status, "completed",
        "the killed desk finished its booking"
    );
    assert!(
        done.business_status
            .as_ref()
            .and_then(|b| b.text.as_deref())
            .is_some_and(|t| t.starts_with("booked ")),
        "{done:?}"
    );
    bob.refresh_queue().await.unwrap();
    let listed = bob.queue(QueueView::Done).await.unwrap();
    assert_eq!(listed.len(), 1, "the other desk sees it done");
}
