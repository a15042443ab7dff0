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

#[tokio::test]
async fn fhir_json_requests_from_the_desks_client_are_captured_apart_from_responses() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("bodies");
    let config = SandboxConfig {
        capture_dir: Some(capture.clone()),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    let base = sandbox.base_url("derm").unwrap();
    let body = serde_json::json!({"resourceType": "Patient", "name": [{"family": "Okafor"}]});
    let send = |agent: &'static str| {
        reqwest::Client::builder()
            .user_agent(agent)
            .build()
            .unwrap()
            .post(format!("{base}/Patient"))
            .header("content-type", "application/fhir+json")
            .body(body.to_string())
            .send()
    };
    // Both are refused (no token): what the desk sent is captured all the same.
    assert_eq!(
        send("referral-desk-sched-client/0.1")
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(send("some-other-tool/1.0").await.unwrap().status(), 401);

    let mut names: Vec<String> = std::fs::read_dir(&capture)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let requests: Vec<_> = names.iter().filter(|n| n.starts_with("req-")).collect();
    assert_eq!(requests.len(), 1, "only the desk's request: {names:?}");
    let sent: Value =
        serde_json::from_slice(&std::fs::read(capture.join(requests[0])).unwrap()).unwrap();
    assert_eq!(sent, body);
    assert_eq!(
        names.len(),
        3,
        "one request and two OperationOutcome responses"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn bodies_of_an_r4_organisation_are_captured_under_the_r4_prefix() {
    use sched_sandbox::{OrgConfig, OrgKind, SandboxDialect};
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("bodies");
    let org = |name: &str, dialect| {
        let mut o = OrgConfig::new(name, name, OrgKind::Specialty);
        o.seed.horizon_weeks = 1;
        o.dialect = dialect;
        o
    };
    let config = SandboxConfig {
        capture_dir: Some(capture.clone()),
        organisations: vec![
            org("stu", SandboxDialect::Argonaut),
            org("rfour", SandboxDialect::PlainR4),
        ],
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    let desk = reqwest::Client::builder()
        .user_agent("referral-desk-sched-client/0.1")
        .build()
        .unwrap();
    for name in ["stu", "rfour"] {
        let base = sandbox.base_url(name).unwrap();
        desk.get(format!("{base}/metadata")).send().await.unwrap();
        desk.post(format!("{base}/Patient"))
            .header("content-type", "application/fhir+json")
            .body(r#"{"resourceType": "Patient"}"#)
            .send()
            .await
            .unwrap();
    }
    let mut names: Vec<String> = std::fs::read_dir(&capture)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let count = |pred: &dyn Fn(&str) -> bool| names.iter().filter(|n| pred(n)).count();
    assert_eq!(count(&|n| n.starts_with("r4-req-")), 1, "{names:?}");
    assert_eq!(count(&|n| n.starts_with("req-")), 1, "{names:?}");
    assert_eq!(
        count(&|n| n.starts_with("r4-") && !n.starts_with("r4-req-")),
        2,
        "metadata and the 401 outcome of the R4 organisation: {names:?}"
    );
    assert_eq!(names.len(), 6, "{names:?}");
    sandbox.shutdown().await;
}
