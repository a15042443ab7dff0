//! Staying in step with the organisations: one batched re-read per organisation finds what the
//! organisations did behind the desk's back (cancelled, moved, a hold that ran out) and brings
//! the worklist in step, each change with its event; the sandbox counts the requests.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use fhir_model::datetime::format_instant;
use fhir_model::{Appointment, AppointmentParticipant, Reference};
use refdesk_tests::desk::{Desk, new_patient, referral_input};
use referral_core::{App, ChangeKind};
use referral_model::{
    AppointmentRef, BookingRecord, EventKind, EventOutcome, HoldRecord, NewEvent, Referral,
    ReferralStatus,
};
use referral_store::Transition;
use sched_sandbox::store::{StoredAppointment, put_appointment};

const ORGS: [&str; 3] = ["derm", "primary", "imaging"];

fn step_event() -> NewEvent {
    NewEvent {
        referral_id: None,
        kind: EventKind::StatusChange,
        organisation_id: None,
        request: "test set-up".to_owned(),
        outcome: EventOutcome::Succeeded,
        detail: None,
    }
}

/// Puts an appointment straight into the organisation's books (as its staff would).
fn put_at_org(desk: &Desk, org: &str, id: &str, status: &str, start: DateTime<Utc>, hold: bool) {
    let o = desk.sandbox.organisation(org).unwrap();
    let stored = StoredAppointment {
        version: 1,
        hold_expires: hold.then(|| (Utc::now() - Duration::minutes(1)).timestamp()),
        resource: Appointment {
            id: Some(id.to_owned()),
            status: status.to_owned(),
            start: Some(format_instant(&start)),
            end: Some(format_instant(&(start + Duration::minutes(30)))),
            // STU3 requires a participant; the schema stage checks what the sandbox serves.
            participant: vec![AppointmentParticipant {
                actor: Some(Reference::to(&format!("Patient/{id}-patient"))),
                status: "accepted".to_owned(),
                ..AppointmentParticipant::default()
            }],
            ..Appointment::default()
        },
    };
    o.store
        .write(|tx| put_appointment(tx, &o.name, &stored))
        .unwrap();
}

/// A referral at `org` moved to searching, ready for its hold or booking step.
async fn searching(app: &App, org: &str, mrn: &str) -> Referral {
    let r = app
        .create_referral(referral_input(new_patient("Sync", mrn), &[org]))
        .await
        .unwrap();
    let step = Transition::to(ReferralStatus::Searching, None);
    app.store()
        .transition(r.id, r.version, &step, &step_event())
        .unwrap()
}

/// A booked referral whose appointment `id` exists, booked, at `org`.
async fn booked(desk: &Desk, org: &str, i: usize) -> Referral {
    let id = format!("sync-{org}-{i}");
    let start = start_of(i);
    put_at_org(desk, org, &id, "booked", start, false);
    let r = searching(&desk.app, org, &format!("S-{org}-{i}")).await;
    let record = BookingRecord {
        appointment: AppointmentRef { id, version: None },
        start,
        end: Some(start + Duration::minutes(30)),
        practitioner_display: None,
        location_display: None,
        comment: None,
    };
    desk.app
        .store()
        .transition(r.id, r.version, &Transition::Booking(record), &step_event())
        .unwrap()
}

fn start_of(i: usize) -> DateTime<Utc> {
    let base = DateTime::parse_from_rfc3339("2031-03-03T09:00:00Z").unwrap();
    base.with_timezone(&Utc) + Duration::minutes(30 * i64::try_from(i).unwrap())
}

async fn admin(
    desk: &Desk,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    let url = format!("http://{}{path}", desk.sandbox.addr());
    let mut req = reqwest::Client::new().request(method, url);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    if !status.is_success() {
        panic!("{path}: {status} {}", res.text().await.unwrap());
    }
    res.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sync_of_500_booked_referrals_at_3_organisations_stays_within_the_paging_bound() {
    let desk = Desk::start(|_| {}).await;
    let mut per_org = BTreeMap::new();
    for i in 0..500 {
        let org = ORGS[i % 3];
        booked(&desk, org, i).await;
        *per_org.entry(org).or_insert(0_usize) += 1;
    }
    for org in ORGS {
        admin(
            &desk,
            reqwest::Method::DELETE,
            &format!("/admin/{org}/requests"),
            None,
        )
        .await;
    }

    let report = desk.app.sync_with_organisations().await.unwrap();

    assert!(
        report.changes.is_empty(),
        "nothing changed at the organisations: {:?}",
        report.changes
    );
    let page = referral_core::sync::PAGE_SIZE as usize;
    let mut total = 0;
    for org in ORGS {
        let counts = admin(
            &desk,
            reqwest::Method::GET,
            &format!("/admin/{org}/requests"),
            None,
        )
        .await;
        let searches = counts["search-appointment"].as_u64().unwrap() as usize;
        assert!(
            searches <= per_org[org].div_ceil(page),
            "{org}: {searches} searches for {} referrals",
            per_org[org]
        );
        assert!(
            counts.get("read-appointment").is_none(),
            "no one-by-one reads: {counts}"
        );
        total += searches;
    }
    assert!(
        total <= 3 * 500_usize.div_ceil(page),
        "{total} requests in all"
    );
    assert_eq!(report.organisations.len(), 3);
    assert!(
        report
            .organisations
            .iter()
            .all(|o| o.reached && o.last_synced_at.is_some()),
        "each organisation records when it was last synced: {:?}",
        report.organisations
    );
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_moved_and_lapsed_at_the_organisation_are_brought_in_step_with_events() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let cancelled = booked(&desk, "derm", 1).await;
    let moved = booked(&desk, "derm", 2).await;
    let untouched = booked(&desk, "primary", 3).await;
    let held = searching(app, "imaging", "S-held").await;
    put_at_org(&desk, "imaging", "sync-held", "pending", start_of(9), true);
    let hold = HoldRecord {
        appointment: AppointmentRef {
            id: "sync-held".to_owned(),
            version: None,
        },
        expires_at: Utc::now() - Duration::minutes(1),
    };
    let held = app
        .store()
        .transition(
            held.id,
            held.version,
            &Transition::Hold(hold),
            &step_event(),
        )
        .unwrap();

    // A second party (the organisation's own staff) acts behind the desk's back.
    admin(
        &desk,
        reqwest::Method::POST,
        "/admin/derm/appointments/sync-derm-1/cancel",
        None,
    )
    .await;
    let new_start = start_of(40);
    let body = serde_json::json!({
        "start": format_instant(&new_start),
        "end": format_instant(&(new_start + Duration::minutes(30))),
    });
    admin(
        &desk,
        reqwest::Method::POST,
        "/admin/derm/appointments/sync-derm-2/move",
        Some(body),
    )
    .await;

    let report = app.sync_with_organisations().await.unwrap();

    let kinds: BTreeMap<_, _> = report
        .changes
        .iter()
        .map(|c| (c.referral.id, c.kind))
        .collect();
    assert_eq!(
        kinds.get(&cancelled.id),
        Some(&ChangeKind::CancelledByOrganisation)
    );
    assert_eq!(kinds.get(&moved.id), Some(&ChangeKind::Moved));
    assert_eq!(kinds.get(&held.id), Some(&ChangeKind::HoldExpired));
    assert_eq!(kinds.len(), 3, "the untouched booking is left alone");

    let now_cancelled = app.referral(cancelled.id).await.unwrap();
    assert_eq!(
        now_cancelled.status,
        ReferralStatus::CancelledByOrganisation
    );
    assert!(now_cancelled.status_note.unwrap().contains("cancelled by"));
    let events = app.events(cancelled.id).await.unwrap();
    assert!(
        events.iter().any(|e| e.kind == EventKind::StatusChange
            && e.request.contains("cancelled-by-organisation"))
    );

    let now_moved = app.referral(moved.id).await.unwrap();
    assert_eq!(now_moved.status, ReferralStatus::Booked);
    assert_eq!(
        now_moved.booked_start,
        Some(new_start),
        "the new time is recorded"
    );
    let events = app.events(moved.id).await.unwrap();
    assert!(
        events.iter().any(|e| e.kind == EventKind::Reconcile),
        "the move is in the timeline"
    );

    assert_eq!(
        app.referral(held.id).await.unwrap().status,
        ReferralStatus::Searching
    );
    assert_eq!(
        app.referral(untouched.id).await.unwrap().status,
        ReferralStatus::Booked
    );

    let again = app.sync_with_organisations().await.unwrap();
    assert!(
        again.changes.is_empty(),
        "a second sync finds nothing new: {:?}",
        again.changes
    );
    desk.sandbox.shutdown().await;
}
