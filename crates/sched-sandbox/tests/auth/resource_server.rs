//! Access tokens for an external resource server: with `resource_server` set, the token
//! endpoint answers ES384 JWTs whose claims name the issuer, the resource server (`aud`), the
//! client (`sub`), the granted scope and a unique `jti`, verifiable with the key published at
//! `/org/auth/jwks`; without it, tokens stay opaque. Both kinds open the organisation's own API.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::Value;

use crate::support::{AuthServer, TestKey, jwks, registration};

const RESOURCE_SERVER: &str = "http://127.0.0.1:9/fhir";

async fn server_with_resource_server() -> (AuthServer, TestKey) {
    let key = TestKey::es384("desk-1");
    let mut reg = registration("desk", Some(jwks(&[&key])), None);
    reg.scopes = vec![
        "system/Slot.rs".to_owned(),
        "system/Appointment.rs".to_owned(),
    ];
    let server = AuthServer::start(vec![reg]).await;
    server
        .state
        .set_resource_server(Some(RESOURCE_SERVER.to_owned()));
    (server, key)
}

async fn token(server: &AuthServer, key: &TestKey, scope: &str) -> String {
    let (status, _, body) = server
        .request(&key.sign(&server.claims("desk")), scope)
        .await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

async fn published_keys(server: &AuthServer) -> JwkSet {
    let response = server
        .http
        .get(format!("{}/org/auth/jwks", server.origin))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn validation(server: &AuthServer) -> Validation {
    let mut v = Validation::new(Algorithm::ES384);
    v.set_audience(&[RESOURCE_SERVER]);
    v.set_issuer(&[format!("{}/org/auth", server.origin)]);
    v.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
    v
}

#[tokio::test]
async fn tokens_for_a_resource_server_are_jwts_verifiable_with_the_published_key() {
    let (server, key) = server_with_resource_server().await;
    let jwt = token(&server, &key, "system/Slot.rs system/Appointment.rs").await;
    let keys = published_keys(&server).await;
    assert_eq!(keys.keys.len(), 1, "one signing key");
    let header = decode_header(&jwt).unwrap();
    assert_eq!(header.alg, Algorithm::ES384);
    let jwk = keys
        .find(header.kid.as_deref().unwrap())
        .expect("kid is in the JWKS");
    let decoding = DecodingKey::from_jwk(jwk).unwrap();
    let claims = decode::<Value>(&jwt, &decoding, &validation(&server))
        .unwrap()
        .claims;
    assert_eq!(claims["iss"], format!("{}/org/auth", server.origin));
    assert_eq!(claims["aud"], RESOURCE_SERVER);
    assert_eq!(claims["sub"], "desk");
    assert_eq!(claims["scope"], "system/Slot.rs system/Appointment.rs");
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert_eq!(exp - iat, 300, "the 300-second token lifetime");
    assert!(!claims["jti"].as_str().unwrap().is_empty());

    let again = token(&server, &key, "system/Slot.rs").await;
    let second = decode::<Value>(&again, &decoding, &validation(&server))
        .unwrap()
        .claims;
    assert_ne!(second["jti"], claims["jti"], "every token has its own jti");
    assert_eq!(
        second["scope"], "system/Slot.rs",
        "the scope asked for, not all granted"
    );
}

#[tokio::test]
async fn a_tampered_token_fails_verification_and_a_foreign_audience_is_refused() {
    let (server, key) = server_with_resource_server().await;
    let jwt = token(&server, &key, "system/Slot.rs").await;
    let keys = published_keys(&server).await;
    let decoding = DecodingKey::from_jwk(&keys.keys[0]).unwrap();
    let mut parts: Vec<String> = jwt.split('.').map(str::to_owned).collect();
    parts[1] = parts[1].replacen('e', "f", 1);
    let tampered = parts.join(".");
    assert!(decode::<Value>(&tampered, &decoding, &validation(&server)).is_err());

    let mut other = validation(&server);
    other.set_audience(&["http://127.0.0.1:10/fhir"]);
    assert!(
        decode::<Value>(&jwt, &decoding, &other).is_err(),
        "a token for one resource server is not good for another"
    );
}

#[tokio::test]
async fn the_organisations_own_api_accepts_its_jwts_and_opaque_tokens_return_when_cleared() {
    let (server, key) = server_with_resource_server().await;
    let jwt = token(&server, &key, "system/Appointment.rs").await;
    assert_eq!(jwt.split('.').count(), 3, "a compact JWS");
    assert_eq!(server.fhir_get(Some(&jwt)).await.status(), 200);

    server.state.set_resource_server(None);
    let opaque = token(&server, &key, "system/Appointment.rs").await;
    assert!(!opaque.contains('.'), "an opaque token again: {opaque}");
    assert_eq!(server.fhir_get(Some(&opaque)).await.status(), 200);
    assert_eq!(
        server.fhir_get(Some(&jwt)).await.status(),
        200,
        "tokens already issued keep working until they expire"
    );
}
