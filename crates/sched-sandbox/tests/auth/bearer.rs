//! Discovery, token lifetime and bearer checks on a protected FHIR route.

use reqwest::header::WWW_AUTHENTICATE;
use sched_sandbox::auth::{Access, ClientRegistration};
use serde_json::Value;

use crate::support::{AuthServer, TestKey, jwks, registration};

async fn token(server: &AuthServer, key: &TestKey, client: &str, scope: &str) -> Value {
    let (status, _, body) = server
        .request(&key.sign(&server.claims(client)), scope)
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn refusal(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get(WWW_AUTHENTICATE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/fhir+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["resourceType"], "OperationOutcome");
    (status, challenge, body)
}

#[tokio::test]
async fn discovery_document_is_json_whatever_the_accept_header() {
    let server = AuthServer::start(vec![]).await;
    let response = server
        .http
        .get(format!(
            "{}/org/fhir/.well-known/smart-configuration",
            server.origin
        ))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["token_endpoint"], server.token_url);
    assert_eq!(
        doc["grant_types_supported"],
        serde_json::json!(["client_credentials"])
    );
    assert_eq!(
        doc["token_endpoint_auth_methods_supported"],
        serde_json::json!(["private_key_jwt"])
    );
    let algs = doc["token_endpoint_auth_signing_alg_values_supported"]
        .as_array()
        .unwrap();
    assert!(algs.contains(&"ES384".into()) && algs.contains(&"RS384".into()));
    let caps = doc["capabilities"].as_array().unwrap();
    for cap in [
        "client-confidential-asymmetric",
        "permission-v1",
        "permission-v2",
    ] {
        assert!(caps.contains(&cap.into()), "{cap}");
    }
    assert_eq!(
        doc["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert!(
        doc["scopes_supported"]
            .as_array()
            .unwrap()
            .contains(&"system/*.rs".into())
    );
}

#[tokio::test]
async fn fhir_routes_refuse_missing_unknown_and_expired_tokens() {
    let es = TestKey::es384("es-1");
    let server = AuthServer::start(vec![registration("app", Some(jwks(&[&es])), None)]).await;

    let (status, challenge, _) = refusal(server.fhir_get(None).await).await;
    assert_eq!(status, 401);
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    assert!(
        !challenge.contains("error="),
        "no error code without credentials (RFC 6750 §3.1)"
    );

    let (status, challenge, body) = refusal(server.fhir_get(Some("made-up")).await).await;
    assert_eq!(status, 401);
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert_eq!(body["issue"][0]["code"], "login");

    let body = token(&server, &es, "app", "system/Appointment.rs").await;
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(server.fhir_get(Some(access)).await.status(), 200);
    server.advance(299);
    assert_eq!(
        server.fhir_get(Some(access)).await.status(),
        200,
        "still valid at 299 s"
    );
    server.advance(1);
    let (status, challenge, _) = refusal(server.fhir_get(Some(access)).await).await;
    assert_eq!(status, 401, "expired at 300 s");
    assert!(challenge.contains("invalid_token"));
}

#[tokio::test]
async fn a_token_without_the_needed_scope_gets_403() {
    let es = TestKey::es384("es-1");
    let server = AuthServer::start(vec![registration("app", Some(jwks(&[&es])), None)]).await;
    let body = token(
        &server,
        &es,
        "app",
        "system/Patient.rs system/Appointment.r",
    )
    .await;
    let (status, challenge, body) =
        refusal(server.fhir_get(body["access_token"].as_str()).await).await;
    assert_eq!(status, 403);
    assert!(challenge.contains("insufficient_scope"), "{challenge}");
    assert!(challenge.contains("system/Appointment.s"), "{challenge}");
    assert_eq!(body["issue"][0]["code"], "forbidden");
}

#[tokio::test]
async fn short_token_lifetime_knob_and_runtime_registration() {
    let es = TestKey::es384("es-1");
    let server = AuthServer::start(vec![]).await;
    let (status, _, _) = server
        .request(&es.sign(&server.claims("late")), "system/*.rs")
        .await;
    assert_eq!(status, 401, "not registered yet");
    server.state.register_client(ClientRegistration {
        client_id: "late".into(),
        jwks: Some(jwks(&[&es])),
        jwks_url: None,
        scopes: vec!["system/*.read".into()],
    });
    server.state.set_token_ttl(chrono::Duration::seconds(5));
    let body = token(&server, &es, "late", "system/*.rs").await;
    assert_eq!(body["expires_in"], 5);
    let access = body["access_token"].as_str().unwrap();
    let grant = server.state.grant_for(access).unwrap();
    assert!(grant.allows("Slot", Access::Read) && grant.allows("Appointment", Access::Search));
    assert!(!grant.allows("Appointment", Access::Update));
    server.advance(5);
    assert_eq!(server.fhir_get(Some(access)).await.status(), 401);
}

#[tokio::test]
async fn v1_and_v2_grants_allow_what_they_say() {
    let es = TestKey::es384("es-1");
    let mut reg = registration("app", Some(jwks(&[&es])), None);
    reg.scopes = vec!["system/Appointment.*".into(), "system/Patient.cruds".into()];
    let server = AuthServer::start(vec![reg]).await;
    let v1 = token(&server, &es, "app", "system/Appointment.write").await;
    let grant = server
        .state
        .grant_for(v1["access_token"].as_str().unwrap())
        .unwrap();
    for (access, allowed) in [
        (Access::Create, true),
        (Access::Update, true),
        (Access::Delete, true),
        (Access::Read, false),
        (Access::Search, false),
    ] {
        assert_eq!(
            grant.allows("Appointment", access),
            allowed,
            "write → {access:?}"
        );
    }
    assert!(
        grant
            .require_any(&[
                ("Appointment", Access::Create),
                ("Appointment", Access::Update)
            ])
            .is_ok()
    );
    assert!(grant.require("Patient", Access::Create).is_err());
    let v2 = token(
        &server,
        &es,
        "app",
        "system/Patient.cu system/Appointment.s",
    )
    .await;
    let grant = server
        .state
        .grant_for(v2["access_token"].as_str().unwrap())
        .unwrap();
    assert!(grant.allows("Patient", Access::Create) && grant.allows("Patient", Access::Update));
    assert!(!grant.allows("Patient", Access::Read));
    assert!(
        grant.allows("Appointment", Access::Search) && !grant.allows("Appointment", Access::Read)
    );
}
