//! Discovery against a real local server: well-known (absolute and relative endpoints), the
//! CapabilityStatement fallback, servers that rule us out, and the https rule.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{Discovery, Peer, PeerConfig};
use smart_auth::{
    Advertised, AuthClient, AuthError, BackendTokens, DiscoverySource, JwkSet, SigningAlg,
    SigningKey,
};
use url::Url;

async fn peer(discovery: Discovery) -> Peer {
    let config = PeerConfig {
        discovery,
        ..PeerConfig::default()
    };
    Peer::start(config, JwkSet { keys: vec![] }).await
}

#[tokio::test]
async fn well_known_with_an_absolute_token_endpoint() {
    let peer = peer(Discovery::WellKnown("{origin}/auth/token".into())).await;
    let config = AuthClient::new()
        .unwrap()
        .discover(&peer.fhir_base)
        .await
        .unwrap();
    assert_eq!(config.source, DiscoverySource::WellKnown);
    assert_eq!(config.token_endpoint, peer.token_url());
    assert_eq!(config.supports_private_key_jwt(), Advertised::Yes);
    assert_eq!(config.supports_alg(SigningAlg::Es384), Advertised::Yes);
    assert_eq!(
        config.usable_algs(),
        vec![SigningAlg::Es384, SigningAlg::Rs384]
    );
    assert!(config.ensure_usable(SigningAlg::Rs384).is_ok());
}

#[tokio::test]
async fn relative_token_endpoints_resolve_against_the_fhir_base() {
    // "auth/token" is relative to the base directory [base]/, "/auth/token" to the origin.
    for (value, expected_path) in [
        ("auth/token", "/fhir/auth/token"),
        ("/auth/token", "/auth/token"),
    ] {
        let peer = peer(Discovery::WellKnown(value.into())).await;
        let config = AuthClient::new()
            .unwrap()
            .discover(&peer.fhir_base)
            .await
            .unwrap();
        assert_eq!(config.token_endpoint.path(), expected_path, "for {value:?}");
        assert_eq!(config.token_endpoint.origin(), peer.fhir_base.origin());
    }
}

#[tokio::test]
async fn a_trailing_slash_on_the_base_changes_nothing() {
    let peer = peer(Discovery::WellKnown("auth/token".into())).await;
    let with_slash = Url::parse(&format!("{}/", peer.fhir_base)).unwrap();
    let config = AuthClient::new()
        .unwrap()
        .discover(&with_slash)
        .await
        .unwrap();
    assert_eq!(config.token_endpoint.path(), "/fhir/auth/token");
}

#[tokio::test]
async fn falls_back_to_the_capability_statement_oauth_uris_extension() {
    let peer = peer(Discovery::CapabilityStatementOnly).await;
    let config = AuthClient::new()
        .unwrap()
        .discover(&peer.fhir_base)
        .await
        .unwrap();
    assert_eq!(config.source, DiscoverySource::CapabilityStatement);
    assert_eq!(config.token_endpoint, peer.token_url());
    // A CapabilityStatement advertises no auth methods: nothing is ruled out.
    assert_eq!(config.supports_private_key_jwt(), Advertised::Unknown);
    assert!(config.ensure_usable(SigningAlg::Es384).is_ok());
}

#[tokio::test]
async fn no_endpoint_anywhere_is_a_discovery_error_naming_both_places() {
    let peer = peer(Discovery::Nothing).await;
    let err = AuthClient::new()
        .unwrap()
        .discover(&peer.fhir_base)
        .await
        .unwrap_err();
    let AuthError::DiscoveryFailed { reason, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        reason.contains("smart-configuration") && reason.contains("404"),
        "{reason}"
    );
    assert!(
        reason.contains("metadata") && reason.contains("oauth-uris"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_server_without_private_key_jwt_or_our_algorithm_is_reported_incompatible() {
    let config = PeerConfig {
        auth_methods: vec!["client_secret_basic"],
        ..PeerConfig::default()
    };
    let peer = Peer::start(config, JwkSet { keys: vec![] }).await;
    let key = std::sync::Arc::new(SigningKey::generate(SigningAlg::Es384).unwrap());
    let client = AuthClient::new().unwrap();
    let err = BackendTokens::discover(
        client.clone(),
        &peer.fhir_base,
        "c",
        ["system/*.rs"],
        key.clone(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("private_key_jwt"), "{err}");

    let config = PeerConfig {
        signing_algs: vec!["RS384"],
        ..PeerConfig::default()
    };
    let peer = Peer::start(config, JwkSet { keys: vec![] }).await;
    let discovered = client.discover(&peer.fhir_base).await.unwrap();
    assert_eq!(discovered.usable_algs(), vec![SigningAlg::Rs384]);
    let err = discovered.ensure_usable(SigningAlg::Es384).unwrap_err();
    assert!(
        matches!(err, AuthError::IncompatibleServer { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("ES384") && err.to_string().contains("RS384"),
        "{err}"
    );
}

#[tokio::test]
async fn a_non_loopback_http_base_is_refused_before_any_request() {
    let client = AuthClient::new().unwrap();
    let base = Url::parse("http://ehr.example.org/fhir").unwrap();
    assert!(client.discover(&base).await.unwrap_err().is_insecure_url());
}

#[tokio::test]
async fn an_unreachable_server_is_a_retryable_error() {
    // Bind and drop a listener to get a port where nobody listens.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = Url::parse(&format!("http://127.0.0.1:{port}/fhir")).unwrap();
    let err = AuthClient::new()
        .unwrap()
        .discover(&base)
        .await
        .unwrap_err();
    assert!(
        matches!(err, AuthError::Unreachable { .. }) && err.is_retryable(),
        "{err:?}"
    );
}
