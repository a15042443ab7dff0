//! Key rotation keeps every organisation working. The desk's JWKS (`get_jwks`) is served at a
//! URL on 127.0.0.1 and the sandbox organisations register the desk by that `jwks_url`: tokens
//! work before the rotation, after adding a key and moving organisations to it, and once the
//! old key is retired an assertion signed with it is refused (`invalid_client`).
#![allow(clippy::unwrap_used, reason = "tests")]

use std::time::SystemTime;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use refdesk_tests::desk::open_app;
use referral_api::handlers::get_jwks;
use referral_api::organisation::GetJwksRequest;
use referral_core::sandbox::{SANDBOX_CLIENT_ID, SANDBOX_SCOPES};
use referral_core::{App, OrganisationInput};
use referral_model::OrganisationId;
use sched_sandbox::{ClientRegistration, RunningSandbox, Sandbox, SandboxConfig};
use smart_auth::{CLIENT_ASSERTION_TYPE, SigningAlg, SigningKey, client_assertion};

/// Serves `get_jwks`'s document at `http://127.0.0.1:<port>/jwks.json`. `no-cache` tells the
/// authorization server to read it afresh each time, so a retired key is gone at once.
async fn serve_jwks(app: App) -> String {
    async fn jwks(State(app): State<App>) -> impl IntoResponse {
        let doc = get_jwks(&app, GetJwksRequest {}).await.unwrap();
        (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            doc.jwks_json,
        )
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = Router::new().route("/jwks.json", get(jwks)).with_state(app);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}/jwks.json")
}

async fn start(app: &App, jwks_url: &str) -> RunningSandbox {
    let mut config = SandboxConfig::default();
    for org in &mut config.organisations {
        org.clients.push(ClientRegistration {
            client_id: SANDBOX_CLIENT_ID.to_owned(),
            jwks: None,
            jwks_url: Some(jwks_url.to_owned()),
            scopes: SANDBOX_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
        });
    }
    let sandbox = Sandbox::start(config).await.unwrap();
    for name in sandbox.organisations().to_vec() {
        app.add_organisation(OrganisationInput {
            id: name.clone(),
            display_name: sandbox.organisation(&name).unwrap().display.clone(),
            fhir_base_url: sandbox.base_url(&name).unwrap(),
            client_id: SANDBOX_CLIENT_ID.to_owned(),
            scopes: SANDBOX_SCOPES.join(" "),
            enabled: true,
        })
        .await
        .unwrap();
    }
    sandbox
}

/// Every organisation issues a token to the desk (a fresh one: `check` forces it).
async fn all_tokens_work(app: &App, sandbox: &RunningSandbox, when: &str) {
    for name in sandbox.organisations() {
        let report = app.check_organisation(name).await.unwrap();
        assert!(report.token.ok, "{when}: {name}: {}", report.token.detail);
    }
}

/// The token endpoint's answer to an assertion signed with `key`: (status, OAuth error).
async fn token_with(sandbox: &RunningSandbox, org: &str, key: &SigningKey) -> (u16, String) {
    let endpoint = url::Url::parse(&sandbox.token_url(org).unwrap()).unwrap();
    let assertion =
        client_assertion(key, SANDBOX_CLIENT_ID, &endpoint, None, SystemTime::now()).unwrap();
    let scope = SANDBOX_SCOPES.join(" ");
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", scope.as_str()),
        ("client_assertion_type", CLIENT_ASSERTION_TYPE),
        ("client_assertion", assertion.as_str()),
    ];
    let response = reqwest::Client::new()
        .post(endpoint)
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap();
    (status, body["error"].as_str().unwrap_or("").to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rotation_keeps_every_organisation_working_and_the_retired_kid_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path(), None);
    let key_a = app.key().unwrap();
    let url = serve_jwks(app.clone()).await;
    let sandbox = start(&app, &url).await;
    let orgs = sandbox.organisations().to_vec();
    assert!(
        orgs.len() >= 2,
        "rotation is shown across several organisations"
    );
    all_tokens_work(&app, &sandbox, "before the rotation").await;

    // Key B (RS384) joins the JWKS; every organisation keeps signing with A until moved.
    let b = app.add_key(SigningAlg::Rs384).await.unwrap();
    let listing = app.list_keys().await.unwrap();
    let a_row = listing.iter().find(|k| k.info.kid == key_a.kid()).unwrap();
    assert_eq!(a_row.organisations.len(), orgs.len(), "{listing:?}");
    assert!(listing.iter().any(|k| k.info.kid == b.kid && k.active));
    all_tokens_work(&app, &sandbox, "after adding key B").await;

    // One organisation moves to B: it works, the others are undisturbed.
    let first = OrganisationId::new(orgs[0].clone()).unwrap();
    app.set_organisation_key(&first, &b.kid).await.unwrap();
    all_tokens_work(&app, &sandbox, "one organisation on B").await;

    // A is refused retirement while organisations still use it, naming them.
    let err = app.retire_key(key_a.kid()).await.unwrap_err();
    assert!(err.is_key_in_use(), "{err}");
    let display = sandbox.organisation(&orgs[1]).unwrap().display.clone();
    assert!(err.to_string().contains(&display), "{err}");

    for name in &orgs[1..] {
        let id = OrganisationId::new(name.clone()).unwrap();
        app.set_organisation_key(&id, &b.kid).await.unwrap();
    }
    assert_eq!(
        token_with(&sandbox, &orgs[1], &key_a).await.0,
        200,
        "A still registered"
    );
    app.retire_key(key_a.kid()).await.unwrap();

    let jwks = get_jwks(&app, GetJwksRequest {}).await.unwrap();
    assert!(!jwks.jwks_json.contains(key_a.kid()), "A left the JWKS");
    assert_eq!(jwks.key_id, b.kid);
    for name in &orgs {
        assert_eq!(
            token_with(&sandbox, name, &key_a).await,
            (401, "invalid_client".to_owned()),
            "{name}: an assertion signed with the retired key"
        );
    }
    all_tokens_work(&app, &sandbox, "after retiring A").await;
    assert!(app.keyset().key(key_a.kid()).unwrap_err().is_key_retired());
}
