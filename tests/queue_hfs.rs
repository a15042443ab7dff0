//! The home referral queue with helios-hfs, an independent FHIR R4 server, as the home EHR
//! (tokens from a sandbox authorization server, as a real EHR's would come from its own): orders
//! seeded there are imported, one is started without retyping, booked at a sandbox
//! organisation, and hfs then shows a completed Task whose output references the Appointment,
//! while the Appointment at the receiving organisation carries the order's reason and priority.
//! Skips with a notice when `../shared/tools` is absent (fails under `CI`).
#![allow(clippy::unwrap_used, reason = "tests")]

use refdesk_tests::desk::Desk;
use refdesk_tests::hfs::{HARNESS_SCOPES, Hfs};
use refdesk_tests::hfs_home::{orders_bundle, priority, reason_text};
use referral_core::home::desk::HOME_SCOPES;
use referral_model::{HomeInput, OrderFill, OrganisationId, QueueView, ReferralStatus};
use sched_client::home::CLAIM_SYSTEM;
use sched_sandbox::{ClientRegistration, OrgConfig, OrgKind, Sandbox, SandboxConfig};
use serde_json::Value;

/// The sandbox organisation whose authorization server issues tokens for hfs.
const EHR: &str = "ehr";
const CLIENT: &str = "desk-at-home";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_at_hfs_is_booked_from_the_queue_and_its_task_completed_there() {
    let desk = Desk::start(|_| {}).await;
    let mut ehr_org = OrgConfig::new(EHR, "Mercy EHR", OrgKind::Specialty);
    ehr_org.seed.horizon_weeks = 1;
    let ehr = Sandbox::start(SandboxConfig {
        organisations: vec![ehr_org],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let Some(hfs) = Hfs::start(&ehr, EHR).await else {
        return;
    };
    hfs.seed(&orders_bundle(3)).await;
    let app = &desk.app;
    ehr.register_client(
        EHR,
        ClientRegistration {
            client_id: CLIENT.to_owned(),
            jwks: Some(serde_json::to_value(app.key().unwrap().jwks()).unwrap()),
            jwks_url: None,
            scopes: HOME_SCOPES.split_whitespace().map(str::to_owned).collect(),
        },
    )
    .unwrap();
    app.set_home(HomeInput {
        name: "Mercy General (helios-hfs)".to_owned(),
        base_url: hfs.base.clone(),
        client_id: CLIENT.to_owned(),
        token_url: Some(ehr.token_url(EHR).unwrap()),
        lease_seconds: None,
    })
    .await
    .unwrap();
    refdesk_tests::home::give_referrer(app).await;

    let refresh = app.refresh_queue().await.unwrap();
    assert_eq!((refresh.items, refresh.problems), (3, 0), "{refresh:?}");
    let unclaimed = app.queue(QueueView::Unclaimed).await.unwrap();
    assert_eq!(unclaimed.len(), 3);

    // The discharge follow-up (urgent, family practice): nothing typed but the desk's defaults.
    let started = app.start_order("sr0", OrderFill::default()).await.unwrap();
    let found = app
        .find_slots(started.referral_id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    let option = found.options.first().expect("a time for the order").clone();
    let booked = refdesk_tests::desk::book_option(app, started.referral_id, &option).await;
    assert_eq!(booked.status, ReferralStatus::Booked);
    let appointment_id = booked.appointment.clone().unwrap().id;

    // hfs, read with a token of its own: one claim Task for the order, completed, its output
    // the Appointment at the receiving organisation by absolute reference.
    let token = hfs.token(&HARNESS_SCOPES).await;
    let tasks: Value = reqwest::Client::new()
        .get(format!("{}/Task", hfs.base))
        .query(&[("identifier", format!("{CLAIM_SYSTEM}|sr0"))])
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entries = tasks["entry"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "one Task for the order: {tasks}");
    let task = &entries[0]["resource"];
    assert_eq!(task["status"], "completed", "{task}");
    assert_eq!(task["focus"]["reference"], "ServiceRequest/sr0");
    let output = task["output"][0]["valueReference"]["reference"]
        .as_str()
        .unwrap();
    let org_base = desk
        .sandbox
        .base_url(option.organisation_id.as_str())
        .unwrap();
    assert_eq!(
        output,
        format!("{org_base}/Appointment/{appointment_id}"),
        "{task}"
    );
    assert!(
        task["businessStatus"]["text"]
            .as_str()
            .unwrap()
            .starts_with("booked "),
        "{task}"
    );

    // The receiving organisation's Appointment carries the order's reason and priority.
    let org = OrganisationId::new(option.organisation_id.as_str().to_owned()).unwrap();
    let (_, remote) = app.remote(&org).await.unwrap();
    let appointment = remote.read_appointment(appointment_id).await.unwrap();
    let reasons: Vec<&str> = appointment
        .reason
        .iter()
        .filter_map(|r| r.text.as_deref())
        .collect();
    assert!(
        reasons.iter().any(|r| r.starts_with(reason_text(0))),
        "the order's reason reached the organisation: {reasons:?}"
    );
    assert_eq!(priority(0), "urgent");
    assert_eq!(
        appointment.priority,
        Some(3),
        "urgent is 3 on STU3's unsignedInt scale"
    );
    let done = app.queue(QueueView::Done).await.unwrap();
    assert_eq!(done.len(), 1, "the worklist shows the order done");
}
