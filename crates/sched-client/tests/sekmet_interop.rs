//! Interop with an independent server: sekmet-fhir 0.1.1 (PyPI), an R4 FHIR server with a SMART
//! Backend Services token endpoint, started on 127.0.0.1 with the app's JWKS (from smart-auth)
//! registered. The client gets a token through smart-auth's discovery and token request, searches
//! Patient and Appointment there, and detects from the CapabilityStatement that there is no
//! `$find` but Slot search: the server is spoken to as plain R4.
//!
//! Needs the venv: `python3 -m venv .venv && .venv/bin/pip install sekmet-fhir==0.1.1` at the
//! workspace root, or `REFDESK_PYTHON` pointing at an interpreter that has it. Skips with a
//! notice when neither is there; fails then under `CI`.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;
#[path = "../../../tests/support/peer.rs"]
mod peer;

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use fhir_model::{FindParams, HumanName, Identifier, Patient, Token};
use futures::TryStreamExt;
use sched_client::{AppointmentQuery, ClientError, Dialect, Interaction, OrgClient, PatientQuery};
use serde_json::json;
use smart_auth::{AuthClient, BackendTokens, SigningAlg, SigningKey};

const MRN: &str = "urn:oid:1.2.3.4.5.1";

fn python() -> Option<PathBuf> {
    let candidate = std::env::var_os("REFDESK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python")
        });
    let has_sekmet = std::process::Command::new(&candidate)
        .args(["-c", "import sekmet"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    peer::or_skip(
        has_sekmet.then_some(candidate),
        "a Python with sekmet-fhir",
        "scripts/setup.sh creates .venv with it; or set REFDESK_PYTHON",
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The settings file: loopback only, SMART required, our client registered with its JWKS.
fn settings(dir: &std::path::Path, port: u16, jwks: &serde_json::Value) -> PathBuf {
    let config = json!({
        "base_url": format!("http://127.0.0.1:{port}/fhir"),
        "host": "127.0.0.1",
        "port": port,
        "data_dir": dir.join("data"),
        "db_path": dir.join("sekmet.db"),
        "own_private_key_path": dir.join("own.pem"),
        "log_inbound": false,
        "simulator": {"enabled": false},
        "server_auth": {
            "types": ["smart"],
            "token_lifetime": 300,
            "smart_clients": [{"client_id": common::CLIENT_ID, "jwks": jwks, "scopes": "system/*.*"}]
        }
    });
    let path = dir.join("settings.yaml");
    // JSON is YAML.
    std::fs::write(&path, config.to_string()).unwrap();
    path
}

#[tokio::test]
async fn sekmet_fhir_tokens_searches_and_no_find() {
    let Some(python) = python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let key = Arc::new(SigningKey::generate(SigningAlg::Es384).unwrap());
    let port = free_port();
    let config = settings(dir.path(), port, &serde_json::to_value(key.jwks()).unwrap());
    let mut server = tokio::process::Command::new(&python)
        .args(["-m", "sekmet.cli", "serve", "--config"])
        .arg(&config)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}/fhir");
    let http = reqwest::Client::new();
    let mut up = false;
    for _ in 0..150 {
        if http
            .get(format!("{base}/metadata"))
            .send()
            .await
            .is_ok_and(|r| r.status().as_u16() == 401 || r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(up, "sekmet did not start on {base}");

    // SMART Backend Services through smart-auth: discovery, signed assertion, token.
    let (tokens, config) = BackendTokens::discover(
        AuthClient::new().unwrap(),
        &url::Url::parse(&base).unwrap(),
        common::CLIENT_ID,
        ["system/*.cruds"],
        key,
    )
    .await
    .unwrap();
    assert!(config.token_endpoint.as_str().ends_with("/auth/token"));
    let auth = common::CountingAuthorizer::new(common::SmartTokens(tokens));
    let client = OrgClient::builder(base.clone())
        .name("sekmet")
        .authorizer(auth.clone())
        .build()
        .unwrap();

    let caps = client.capabilities().await.unwrap();
    assert_eq!(caps.fhir_version.as_deref(), Some("4.0.1"));
    assert!(
        !caps.offers(Interaction::FindAppointments) && !caps.offers(Interaction::HoldAppointment)
    );
    assert!(
        caps.offers(Interaction::SearchAppointments) && caps.offers(Interaction::CreatePatient)
    );

    // A patient registered through the client, an appointment for them created directly.
    let patient = Patient {
        identifier: vec![Identifier::new(MRN, "SEK-1")],
        name: vec![HumanName::new("Lindqvist", &["Maja"])],
        gender: Some("female".to_owned()),
        birth_date: Some("1990-05-06".to_owned()),
        ..Patient::default()
    };
    let created = client.create_patient(&patient).await.unwrap();
    let token = sched_client::Authorizer::bearer(&*auth, false)
        .await
        .unwrap();
    let appointment = json!({
        "resourceType": "Appointment", "status": "booked",
        "start": "2030-02-01T09:00:00Z", "end": "2030-02-01T09:30:00Z",
        "participant": [{"actor": {"reference": format!("Patient/{}", created.id)}, "status": "accepted"}]
    });
    let posted = http
        .post(format!("{base}/Appointment"))
        .bearer_auth(token)
        .header("content-type", "application/fhir+json")
        .body(appointment.to_string())
        .send()
        .await
        .unwrap();
    assert!(
        posted.status().is_success(),
        "{}",
        posted.text().await.unwrap()
    );

    let q = PatientQuery {
        identifier: Some(Token::new(MRN, "SEK-1")),
        ..PatientQuery::default()
    };
    let found = client.search_patients(&q, 10).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id.as_deref(), Some(created.id.as_str()));
    let query = AppointmentQuery {
        patient: Some(created.id.clone()),
        status: vec!["booked".to_owned()],
        ..Default::default()
    };
    let appts: Vec<_> = client
        .search_appointments(&query, 10)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(appts.len(), 1);
    assert_eq!(appts[0].start.as_deref(), Some("2030-02-01T09:00:00Z"));

    let params = FindParams {
        start: Some("2030-02-01T00:00:00Z".to_owned()),
        end: Some("2030-02-02T00:00:00Z".to_owned()),
        ..FindParams::default()
    };
    // An R4 server with Slot search and no scheduling operations is spoken to as plain R4: the
    // desk searches its free Slots (none here) instead of sending an Argonaut `$find`.
    let choice = client.dialect().await.unwrap();
    assert_eq!(choice.dialect, Dialect::PlainR4, "{}", choice.reason);
    let found = client.find_appointments(&params).await.unwrap();
    assert!(found.proposals.is_empty(), "{found:?}");
    let err = client
        .hold_appointment(&fhir_model::HoldParams {
            appt_id: Some("Appointment/slots_nowhere".to_owned()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(!matches!(err, ClientError::Ambiguous { .. }), "{err:?}");
    assert_eq!(auth.distinct_tokens(), 1, "one token for everything");

    server.kill().await.unwrap();
}
