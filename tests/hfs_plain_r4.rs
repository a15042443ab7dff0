//! The whole plain-R4 workflow against helios-hfs, an independent R4 server (tokens from a
//! sandbox organisation's authorization server): a referral found, held, booked, read back,
//! retrieved, cancelled (the Slot reads free), rescheduled, a released hold leaving nothing
//! busy-tentative, and 20 concurrent bookings of one slot of which exactly one succeeds. Skips
//! with a notice when `../shared/tools` is absent (fails under `CI`).
#![allow(clippy::unwrap_used, reason = "tests")]

use std::sync::Arc;

use fhir_model::BookParams;
use refdesk_tests::desk::{new_patient, referral_input};
use refdesk_tests::hfs::Hfs;
use refdesk_tests::hfs_seed::{SeedPlan, schedule_bundle};
use referral_core::{App, BookInput, RescheduleState};
use referral_model::{OrganisationId, ReferralStatus};
use sched_sandbox::{
    ClientRegistration, OrgConfig, OrgKind, RunningSandbox, Sandbox, SandboxConfig,
};
use serde_json::Value;

const ORG: &str = "harbour";
const DESK: &str = "desk";
const HFS_ORG: &str = "harbour-hfs";
const SCOPES: [&str; 7] = [
    "system/Slot.cruds",
    "system/Schedule.rs",
    "system/Appointment.cruds",
    "system/Patient.cruds",
    "system/Coverage.cruds",
    "system/Practitioner.rs",
    "system/Location.rs",
];

struct World {
    app: App,
    hfs: Hfs,
    _sandbox: RunningSandbox,
    _dir: tempfile::TempDir,
}

async fn world() -> Option<World> {
    let mut org = OrgConfig::new(ORG, "Harbour Dermatology", OrgKind::Specialty);
    org.seed.horizon_weeks = 1;
    let sandbox = Sandbox::start(SandboxConfig {
        organisations: vec![org],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = refdesk_tests::desk::open_app(dir.path(), None);
    let registration = ClientRegistration {
        client_id: DESK.to_owned(),
        jwks: Some(serde_json::to_value(app.key().unwrap().jwks()).unwrap()),
        jwks_url: None,
        scopes: SCOPES.iter().map(|s| (*s).to_owned()).collect(),
    };
    sandbox.register_client(ORG, registration).unwrap();
    let hfs = Hfs::start(&sandbox, ORG).await?;
    let seeded = hfs.seed(&schedule_bundle(&SeedPlan::days(3))).await;
    assert_eq!(seeded["type"], "transaction-response");
    app.add_organisation(referral_core::OrganisationInput {
        id: HFS_ORG.to_owned(),
        display_name: "Harbour Dermatology (hfs)".to_owned(),
        fhir_base_url: hfs.base.clone(),
        client_id: DESK.to_owned(),
        scopes: SCOPES.join(" "),
        enabled: true,
    })
    .await
    .unwrap();
    Some(World {
        app,
        hfs,
        _sandbox: sandbox,
        _dir: dir,
    })
}

/// A search at hfs with the harness's own token.
async fn search(w: &World, query: &str) -> Value {
    let token = w.hfs.token(&["system/*.rs"]).await;
    let r = w
        .hfs
        .http
        .get(format!("{}/{query}", w.hfs.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", w.hfs.log());
    r.json().await.unwrap()
}

async fn slot_status(w: &World, slot: &str) -> String {
    search(w, &format!("Slot/{slot}")).await["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn count(w: &World, query: &str) -> usize {
    search(w, query).await["entry"].as_array().map_or(0, |e| {
        e.iter()
            .filter(|x| x["search"]["mode"] != "include")
            .count()
    })
}

async fn remote_status(w: &World, id: &str) -> String {
    let (_, remote) = w
        .app
        .remote(&OrganisationId::new(HFS_ORG.to_owned()).unwrap())
        .await
        .unwrap();
    remote.read_appointment(id.to_owned()).await.unwrap().status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plain_r4_workflow_runs_against_hfs() {
    let Some(w) = world().await else { return };
    let app = &w.app;
    let r = app
        .create_referral(referral_input(new_patient("Okafor", "H-9001"), &[HFS_ORG]))
        .await
        .unwrap();
    let found = app
        .find_slots(r.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    assert!(found.failures.is_empty(), "{:?}", found.failures);
    assert!(
        !found.options.is_empty(),
        "hfs's seeded slots become options"
    );
    let held = app.hold(r.id, &found.options[0].option_id).await.unwrap();
    let hold_id = held.referral.appointment.clone().unwrap().id;
    let slot = hold_id.trim_start_matches("slots_").to_owned();
    assert_eq!(slot_status(&w, &slot).await, "busy-tentative");
    let booked = app.book(r.id, BookInput::default()).await.unwrap();
    assert_eq!(booked.status, ReferralStatus::Booked);
    let appt = booked.appointment.clone().unwrap().id;
    assert_eq!(remote_status(&w, &appt).await, "booked", "read back");
    assert_eq!(slot_status(&w, &slot).await, "busy");
    let retrieved = app.referral(r.id).await.unwrap();
    assert_eq!(retrieved.appointment.unwrap().id, appt, "retrieve");

    let again = app
        .find_slots(r.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    let target = again
        .options
        .iter()
        .find(|o| Some(o.start) != booked.booked_start)
        .unwrap();
    let moved = app
        .reschedule(r.id, &target.option_id, Some("moved by request".into()))
        .await
        .unwrap();
    assert_eq!(moved.state, RescheduleState::NewBooked, "{}", moved.message);
    let new = moved.referral.appointment.clone().unwrap().id;
    assert_eq!(remote_status(&w, &appt).await, "cancelled");
    assert_eq!(
        slot_status(&w, &slot).await,
        "free",
        "the old slot is free again"
    );
    assert_eq!(remote_status(&w, &new).await, "booked");

    let cancelled = app
        .cancel(r.id, "patient-cancel", Some("moved away"))
        .await
        .unwrap();
    assert_eq!(cancelled.status, ReferralStatus::Cancelled);
    assert_eq!(remote_status(&w, &new).await, "cancelled");

    // A hold released at shutdown leaves nothing busy-tentative.
    let r2 = app
        .create_referral(referral_input(new_patient("Ito", "H-9002"), &[HFS_ORG]))
        .await
        .unwrap();
    let found = app
        .find_slots(r2.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    app.hold(r2.id, &found.options[0].option_id).await.unwrap();
    assert_eq!(count(&w, "Slot?status=busy-tentative").await, 1);
    assert_eq!(app.shutdown().await.unwrap(), 1);
    assert_eq!(
        count(&w, "Slot?status=busy-tentative").await,
        0,
        "nothing left busy-tentative"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_twenty_concurrent_books_of_one_slot_exactly_one_appointment_exists() {
    let Some(w) = world().await else { return };
    let (_, remote) = w
        .app
        .remote(&OrganisationId::new(HFS_ORG.to_owned()).unwrap())
        .await
        .unwrap();
    let patient = remote
        .create_patient(fhir_model::Patient {
            identifier: vec![fhir_model::Identifier::new(
                "urn:oid:2.16.840.1.113883.19.5",
                "H-9100",
            )],
            name: vec![fhir_model::HumanName::new("Race", &["Alex"])],
            gender: Some("female".to_owned()),
            birth_date: Some("1980-01-01".to_owned()),
            ..fhir_model::Patient::default()
        })
        .await
        .unwrap();
    let patient_id = format!("Patient/{}", patient.patient.id.clone().unwrap());
    let now = chrono::Utc::now();
    let params = fhir_model::FindParams {
        start: Some(now.to_rfc3339()),
        end: Some((now + chrono::Duration::days(7)).to_rfc3339()),
        ..fhir_model::FindParams::default()
    };
    let option = remote.find(params).await.unwrap()[0].id.clone().unwrap();
    let remote = Arc::clone(&remote);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (remote, option, patient_id) =
            (Arc::clone(&remote), option.clone(), patient_id.clone());
        tasks.push(tokio::spawn(async move {
            let params = BookParams {
                appt_id: Some(option),
                patient_id: vec![patient_id],
                ..BookParams::default()
            };
            remote.book(params).await.is_ok()
        }));
    }
    let mut won = 0;
    for t in tasks {
        won += usize::from(t.await.unwrap());
    }
    assert_eq!(won, 1, "one booking wins");
    let slot = option.trim_start_matches("slots_");
    assert_eq!(
        count(&w, &format!("Appointment?slot=Slot/{slot}")).await,
        1,
        "exactly one Appointment exists"
    );
    assert_eq!(slot_status(&w, slot).await, "busy");
}
