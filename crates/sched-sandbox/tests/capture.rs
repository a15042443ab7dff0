//! The capture layer writes exactly the FHIR JSON bodies a client received, one numbered file
//! each, and leaves other responses (discovery, token endpoint) alone.
#![allow(clippy::unwrap_used, reason = "tests")]

use sched_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

fn captured(dir: &std::path::Path) -> Vec<Value> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
        .collect()
}

#[tokio::test]
async fn fhir_json_responses_are_captured_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("bodies");
    let config = SandboxConfig {
        capture_dir: Some(capture.clone()),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    let base = sandbox.base_url("derm").unwrap();
    let http = reqwest::Client::new();

    let metadata: Value = http
        .get(format!("{base}/metadata"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let refused = http
        .get(format!("{base}/Appointment"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let outcome: Value = refused.json().await.unwrap();
    let discovery = http
        .get(format!("{base}/.well-known/smart-configuration"))
        .send()
        .await
        .unwrap();
    assert_eq!(discovery.status(), 200, "plain JSON, not captured");
    let token = http
        .post(sandbox.token_url("derm").unwrap())
        .form(&[("grant_type", "password")])
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 400, "an OAuth error, not captured");

    let files = captured(&capture);
    assert_eq!(
        files,
        vec![metadata, outcome],
        "the two FHIR bodies, in order, byte-for-byte JSON"
    );
    sandbox.shutdown().await;
}
