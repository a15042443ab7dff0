//! `refdesk` against organisations speaking IHE ITI Scheduling (R4) and Epic's STU3 variant,
//! started in this test process beside an Argonaut one: one `find` across the three dialects,
//! hold and book at the IHE one, reschedule and cancel there, book directly at the Epic one.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::path::Path;

use common::{json, new_referral};
use sched_sandbox::{
    ClientRegistration, OrgConfig, OrgKind, Sandbox, SandboxConfig, SandboxDialect,
};

const CLIENT_ID: &str = "refdesk-dialects";
const SCOPES: &str = "system/*.cruds";

fn org(name: &str, dialect: SandboxDialect, jwks: &serde_json::Value) -> OrgConfig {
    let mut org = OrgConfig::new(name, name, OrgKind::Specialty);
    org.dialect = dialect;
    org.seed.horizon_weeks = 3;
    org.clients.push(ClientRegistration {
        client_id: CLIENT_ID.to_owned(),
        jwks: Some(jwks.clone()),
        jwks_url: None,
        scopes: vec![SCOPES.to_owned()],
    });
    org
}

fn status(d: &Path, referral: &str) -> String {
    let shown = json(d, &["referrals", "show", referral]);
    shown["summary"]["status"].as_str().unwrap().to_owned()
}

#[test]
fn refdesk_books_at_an_ihe_and_an_epic_organisation() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let shown = json(d, &["keys", "show-jwks"]);
    let jwks: serde_json::Value =
        serde_json::from_str(shown["jwksJson"].as_str().unwrap()).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let config = SandboxConfig {
        organisations: vec![
            org("ihe", SandboxDialect::IheIti, &jwks),
            org("epic", SandboxDialect::Epic, &jwks),
            org("argo", SandboxDialect::Argonaut, &jwks),
        ],
        ..SandboxConfig::default()
    };
    let sandbox = rt.block_on(Sandbox::start(config)).unwrap();
    for name in ["ihe", "epic", "argo"] {
        let base = sandbox.base_url(name).unwrap();
        let args = ["org", "add", "--id", name, "--name", name, "--base", &base];
        let mut args = args.to_vec();
        args.extend(["--client-id", CLIENT_ID, "--scopes", SCOPES]);
        json(d, &args);
    }

    // One find across three dialects: one merged list with options from each.
    let (referral, options) = new_referral(d, "Dialect", "D-1", &["ihe", "epic", "argo"]);
    for name in ["ihe", "epic", "argo"] {
        assert!(
            options.iter().any(|o| o.starts_with(name)),
            "{name}: {options:?}"
        );
    }
    let ihe_option = options.iter().find(|o| o.starts_with("ihe")).unwrap();
    json(
        d,
        &["hold", "--referral", &referral, "--option", ihe_option],
    );
    assert_eq!(status(d, &referral), "held");
    json(d, &["book", "--referral", &referral]);
    assert_eq!(status(d, &referral), "booked");
    let holds = sandbox
        .organisation("ihe")
        .unwrap()
        .received
        .of("hold")
        .unwrap();
    assert_eq!(holds[0]["parameter"][0]["name"], "appointment-reference");

    let again = json(d, &["find", "--referral", &referral]);
    let other = again["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["optionId"].as_str())
        .find(|o| o.starts_with("ihe") && o != ihe_option)
        .unwrap()
        .to_owned();
    let moved = json(
        d,
        &["reschedule", "--referral", &referral, "--option", &other],
    );
    assert_eq!(moved["state"], "new_booked", "{moved}");
    let cancelled = json(
        d,
        &[
            "cancel",
            "--referral",
            &referral,
            "--reason",
            "patient-cancel",
        ],
    );
    assert_eq!(cancelled["status"], "cancelled");

    // Epic: no hold offered, so `book --option` books directly.
    let (referral, options) = new_referral(d, "Dialect", "D-2", &["epic"]);
    json(
        d,
        &["book", "--referral", &referral, "--option", &options[0]],
    );
    assert_eq!(status(d, &referral), "booked");
    let books = sandbox
        .organisation("epic")
        .unwrap()
        .received
        .of("book")
        .unwrap();
    let names: Vec<_> = books[0]["parameter"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(
        names.contains(&"appointment") && names.contains(&"patient"),
        "{names:?}"
    );
    rt.block_on(sandbox.shutdown());
}
