//! Interop: the project's own SMART client (`smart-auth`) discovers this server, signs ES384 and
//! RS384 assertions with its own key code, and its tokens open the protected route. The hostile
//! table never uses `smart-auth`, so the two sides stay independent peers.

use std::sync::Arc;

use smart_auth::{AuthClient, Registration, SigningAlg, SigningKey};

use crate::support::AuthServer;

#[tokio::test]
async fn smart_auth_client_gets_tokens_that_work() {
    let es = SigningKey::generate(SigningAlg::Es384).unwrap();
    let rs = SigningKey::generate(SigningAlg::Rs384).unwrap();
    let mut keys = serde_json::to_value(es.jwks()).unwrap();
    let rs_keys = serde_json::to_value(rs.jwks()).unwrap();
    keys["keys"]
        .as_array_mut()
        .unwrap()
        .extend(rs_keys["keys"].as_array().unwrap().clone());
    let mut registration = crate::support::registration("desk", Some(keys), None);
    registration.scopes = vec!["system/*.read".to_owned()];
    let server = AuthServer::start(vec![registration]).await;

    let client = AuthClient::new().unwrap();
    let base = url::Url::parse(&format!("{}/org/fhir", server.origin)).unwrap();
    let config = client.discover(&base).await.unwrap();
    assert_eq!(config.token_endpoint.as_str(), server.token_url);
    for key in [es, rs] {
        let reg = Registration::new(
            config.token_endpoint.clone(),
            "desk",
            ["system/Appointment.rs"],
            Arc::new(key),
        )
        .unwrap();
        let token = client.request_token(&reg).await.unwrap();
        let response = server.fhir_get(Some(token.secret())).await;
        assert_eq!(response.status(), 200);
    }
}
