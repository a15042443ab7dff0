//! The helios-hfs harness itself: a sandbox organisation issues JWT access tokens for hfs, hfs
//! accepts them (seeding through a transaction Bundle), a desk that knows only hfs's base finds
//! the sandbox's token endpoint through hfs's `.well-known/smart-configuration`, reads free Slots
//! with their Schedules, and a read-only token is refused a create. Skips with a notice when
//! `../shared/tools` is absent (fails under `CI`).
#![allow(clippy::unwrap_used, reason = "tests")]

use std::sync::Arc;

use refdesk_tests::hfs::Hfs;
use refdesk_tests::hfs_seed::{SeedPlan, practitioner_id, schedule_bundle, schedule_id};
use sched_sandbox::{
    ClientRegistration, OrgConfig, OrgKind, RunningSandbox, Sandbox, SandboxConfig,
};
use serde_json::{Value, json};
use smart_auth::{AuthClient, Registration, SigningAlg, SigningKey};
use url::Url;

const ORG: &str = "harbour";
const DESK: &str = "desk";

/// A sandbox with one small organisation whose token endpoint will serve hfs.
async fn sandbox() -> RunningSandbox {
    let mut org = OrgConfig::new(ORG, "Harbour Dermatology", OrgKind::Specialty);
    org.seed.horizon_weeks = 1;
    let config = SandboxConfig {
        organisations: vec![org],
        ..SandboxConfig::default()
    };
    Sandbox::start(config).await.unwrap()
}

/// Registers the desk client with `scopes` and returns its key.
fn register_desk(sandbox: &RunningSandbox, scopes: &[&str]) -> Arc<SigningKey> {
    let key = Arc::new(SigningKey::generate(SigningAlg::Es384).unwrap());
    let registration = ClientRegistration {
        client_id: DESK.to_owned(),
        jwks: Some(serde_json::to_value(key.jwks()).unwrap()),
        jwks_url: None,
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
    };
    sandbox.register_client(ORG, registration).unwrap();
    key
}

/// What a desk does knowing only hfs's base: discovery, then a token for `scopes`.
async fn desk_token(hfs: &Hfs, key: &Arc<SigningKey>, scopes: &[&str]) -> String {
    let client = AuthClient::new().unwrap();
    let config = client
        .discover(&Url::parse(&hfs.base).unwrap())
        .await
        .unwrap();
    assert_eq!(
        config.token_endpoint.as_str(),
        hfs.token_endpoint,
        "hfs advertises the sandbox organisation's token endpoint"
    );
    let reg = Registration::new(
        config.token_endpoint,
        DESK,
        scopes.iter().copied(),
        Arc::clone(key),
    )
    .unwrap();
    client
        .request_token(&reg)
        .await
        .unwrap()
        .secret()
        .to_owned()
}

fn entries_of<'a>(bundle: &'a Value, resource_type: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter(|e| e["resource"]["resourceType"] == resource_type)
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_desk_finds_the_token_endpoint_through_hfs_and_reads_seeded_free_slots() {
    let sandbox = sandbox().await;
    let key = register_desk(&sandbox, &["system/*.rs", "system/Appointment.cu"]);
    let Some(hfs) = Hfs::start(&sandbox, ORG).await else {
        return;
    };
    let plan = SeedPlan::days(3);
    let seeded = hfs.seed(&schedule_bundle(&plan)).await;
    assert_eq!(seeded["type"], "transaction-response", "{seeded}");

    let token = desk_token(&hfs, &key, &["system/Slot.rs", "system/Schedule.rs"]).await;
    let actor = format!("Practitioner/{}", practitioner_id(1));
    let response = hfs
        .http
        .get(format!("{}/Slot", hfs.base))
        .query(&[
            ("schedule.actor", actor.as_str()),
            ("status", "free"),
            ("_include", "Slot:schedule"),
            ("_count", "100"),
        ])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{}", hfs.log());
    let bundle: Value = response.json().await.unwrap();
    let slots = entries_of(&bundle, "Slot");
    assert_eq!(
        slots.len(),
        (plan.days * plan.slots_per_day) as usize,
        "practitioner 1's slots only"
    );
    assert!(slots.iter().all(|s| s["resource"]["status"] == "free"));
    let schedules = entries_of(&bundle, "Schedule");
    assert_eq!(
        schedules.len(),
        1,
        "the slots' schedule is included: {bundle}"
    );
    assert_eq!(schedules[0]["resource"]["id"], schedule_id(1));
}

#[tokio::test]
async fn hfs_refuses_a_create_with_a_read_only_token_and_a_token_of_the_wrong_audience() {
    let sandbox = sandbox().await;
    let key = register_desk(&sandbox, &["system/*.rs", "system/Appointment.cu"]);
    let Some(hfs) = Hfs::start(&sandbox, ORG).await else {
        return;
    };
    let appointment = json!({"resourceType": "Appointment", "status": "proposed",
        "participant": [{"actor": {"reference": format!("Practitioner/{}", practitioner_id(1))},
                         "status": "needs-action"}]});
    let create = |token: String| {
        hfs.http
            .post(format!("{}/Appointment", hfs.base))
            .bearer_auth(token)
            .header("Content-Type", "application/fhir+json")
            .json(&appointment)
            .send()
    };
    let read_only = desk_token(&hfs, &key, &["system/*.rs"]).await;
    assert_eq!(
        create(read_only).await.unwrap().status(),
        403,
        "{}",
        hfs.log()
    );
    let writer = desk_token(&hfs, &key, &["system/Appointment.cu"]).await;
    assert_eq!(create(writer).await.unwrap().status(), 201, "{}", hfs.log());

    sandbox
        .set_resource_server(ORG, Some("http://127.0.0.1:9".to_owned()))
        .unwrap();
    let elsewhere = desk_token(&hfs, &key, &["system/Appointment.cu"]).await;
    assert_eq!(
        create(elsewhere).await.unwrap().status(),
        401,
        "a token for another server"
    );
}

#[tokio::test]
async fn a_desk_organisation_at_hfs_checks_out_as_plain_r4_unless_overridden() {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let app = refdesk_tests::desk::open_app(dir.path(), None);
    let Some(hfs) = Hfs::start(&sandbox, ORG).await else {
        return;
    };
    hfs.add_to_desk(&sandbox, ORG, &app, "harbour-hfs").await;

    let report = app.check_organisation("harbour-hfs").await.unwrap();
    assert!(
        report.discovery.ok && report.discovery.detail.contains(&hfs.token_endpoint),
        "the token endpoint comes from hfs's discovery document: {report:?}"
    );
    assert!(report.token.ok, "the sandbox issued a token: {report:?}");
    assert!(report.metadata.ok, "{report:?}");
    assert_eq!(
        report.capabilities.dialect.as_deref(),
        Some("plain-r4"),
        "{report:?}"
    );

    app.set_organisation_dialect("harbour-hfs", Some("oracle"))
        .await
        .unwrap();
    let forced = app.check_organisation("harbour-hfs").await.unwrap();
    assert_eq!(forced.capabilities.dialect.as_deref(), Some("oracle"));
    assert_eq!(
        forced.capabilities.dialect_reason.as_deref(),
        Some("set in the organisation's settings")
    );
}
