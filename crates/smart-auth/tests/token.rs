//! Assertions and the token cache against a real local token endpoint that verifies signatures.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Peer, PeerConfig, peek_claims};
use smart_auth::{
    AuthClient, AuthError, BackendTokens, CLIENT_ASSERTION_TYPE, ManualClock, Registration,
    SigningAlg, SigningKey, TokenProvider,
};
use url::Url;

const SCOPES: [&str; 2] = ["system/Slot.rs", "system/Appointment.cu"];

struct Setup {
    peer: Peer,
    clock: Arc<ManualClock>,
    tokens: BackendTokens,
}

async fn setup(alg: SigningAlg, config: PeerConfig) -> Setup {
    let key = Arc::new(SigningKey::generate(alg).unwrap());
    let clock = Arc::new(ManualClock::starting_now());
    let peer = Peer::start_with_clock(config.clone(), key.jwks(), clock.clone()).await;
    let client = AuthClient::builder().clock(clock.clone()).build().unwrap();
    let (tokens, _) =
        BackendTokens::discover(client, &peer.fhir_base, config.client_id, SCOPES, key)
            .await
            .unwrap();
    Setup {
        peer,
        clock,
        tokens,
    }
}

#[tokio::test]
async fn assertion_headers_and_claims_are_exactly_as_the_spec_says() {
    for alg in [SigningAlg::Es384, SigningAlg::Rs384] {
        let s = setup(alg, PeerConfig::default()).await;
        let token = s.tokens.bearer(false).await.unwrap();
        assert_eq!(token, "access-token-1");
        assert!(s.peer.refusals().is_empty(), "{:?}", s.peer.refusals());

        let form = s.peer.last_form();
        assert_eq!(form["grant_type"], "client_credentials");
        assert_eq!(form["client_assertion_type"], CLIENT_ASSERTION_TYPE);
        assert_eq!(
            form["scope"], "system/Appointment.cu system/Slot.rs",
            "sorted scope set"
        );

        let jwt = s.peer.last_assertion().unwrap();
        let header = jsonwebtoken::decode_header(&jwt).unwrap();
        assert_eq!(format!("{:?}", header.alg), alg.as_str());
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        assert_eq!(
            header.kid.as_deref(),
            Some(s.tokens.registration().key().kid())
        );
        assert_eq!(header.jku, None, "no jku unless configured");

        let claims = peek_claims(&jwt);
        assert_eq!(claims["iss"], "referral-desk-test");
        assert_eq!(claims["sub"], claims["iss"]);
        assert_eq!(claims["aud"], s.peer.token_url().as_str());
        let (iat, exp) = (
            claims["iat"].as_u64().unwrap(),
            claims["exp"].as_u64().unwrap(),
        );
        assert_eq!(exp - iat, 240, "exp is now + 4 minutes (spec: at most 5)");
        let jti = claims["jti"].as_str().unwrap();
        assert_eq!(uuid::Uuid::parse_str(jti).unwrap().get_version_num(), 4);
    }
}

#[tokio::test]
async fn every_assertion_has_a_fresh_jti_and_jku_when_configured() {
    let key = Arc::new(SigningKey::generate(SigningAlg::Es384).unwrap());
    let token_url = Url::parse("https://auth.example.org/token").unwrap();
    let reg = Registration::new(token_url.clone(), "app", ["system/*.rs"], key.clone())
        .unwrap()
        .with_jku("https://app.example.org/.well-known/jwks.json")
        .unwrap();
    let now = std::time::SystemTime::now();
    let one = smart_auth::client_assertion(reg.key(), "app", &token_url, reg.jku(), now).unwrap();
    let two = smart_auth::client_assertion(reg.key(), "app", &token_url, reg.jku(), now).unwrap();
    assert_ne!(peek_claims(&one)["jti"], peek_claims(&two)["jti"]);
    let header = jsonwebtoken::decode_header(&one).unwrap();
    assert_eq!(
        header.jku.as_deref(),
        Some("https://app.example.org/.well-known/jwks.json")
    );
    assert!(
        reg.clone()
            .with_jku("http://app.example.org/jwks")
            .unwrap_err()
            .is_insecure_url()
    );
}

#[tokio::test]
async fn one_hundred_calls_cause_exactly_one_token_request() {
    let s = setup(SigningAlg::Es384, PeerConfig::default()).await;
    for _ in 0..100 {
        assert_eq!(s.tokens.bearer(false).await.unwrap(), "access-token-1");
    }
    assert_eq!(s.peer.token_requests(), 1);
}

#[tokio::test]
async fn fifty_concurrent_callers_share_one_in_flight_request() {
    let config = PeerConfig {
        token_delay: Duration::from_millis(200),
        ..PeerConfig::default()
    };
    let s = setup(SigningAlg::Es384, config).await;
    let provider: Arc<dyn TokenProvider> = Arc::new(s.tokens.clone());
    let callers: Vec<_> = (0..50)
        .map(|_| {
            let p = Arc::clone(&provider);
            tokio::spawn(async move { p.bearer(false).await })
        })
        .collect();
    for caller in callers {
        assert_eq!(caller.await.unwrap().unwrap(), "access-token-1");
    }
    assert_eq!(s.peer.token_requests(), 1);
}

#[tokio::test]
async fn a_token_is_reused_until_thirty_seconds_before_expiry() {
    let s = setup(SigningAlg::Es384, PeerConfig::default()).await; // expires_in 300
    assert_eq!(s.tokens.bearer(false).await.unwrap(), "access-token-1");
    s.clock.advance(chrono::Duration::seconds(269));
    assert_eq!(
        s.tokens.bearer(false).await.unwrap(),
        "access-token-1",
        "31 s left: reuse"
    );
    s.clock.advance(chrono::Duration::seconds(1));
    assert_eq!(
        s.tokens.bearer(false).await.unwrap(),
        "access-token-2",
        "30 s left: renew"
    );
    assert_eq!(s.peer.token_requests(), 2);
    assert!(s.peer.refusals().is_empty(), "{:?}", s.peer.refusals());
}

#[tokio::test]
async fn the_injected_desk_clock_moving_past_expiry_forces_a_new_token() {
    // The clock the core injects is referral-model's; smart-auth reads no other.
    let s = setup(SigningAlg::Es384, PeerConfig::default()).await; // expires_in 300
    let desk_clock: &referral_model::ManualClock = &s.clock;
    assert_eq!(s.tokens.bearer(false).await.unwrap(), "access-token-1");
    desk_clock.advance(chrono::Duration::seconds(301));
    assert_eq!(s.tokens.bearer(false).await.unwrap(), "access-token-2");
    assert_eq!(s.peer.token_requests(), 2);
}

#[tokio::test]
async fn invalidate_drops_the_token_and_the_next_call_authenticates_once() {
    let s = setup(SigningAlg::Rs384, PeerConfig::default()).await;
    assert_eq!(s.tokens.bearer(false).await.unwrap(), "access-token-1");
    s.tokens.invalidate();
    assert_eq!(s.tokens.bearer(false).await.unwrap(), "access-token-2");
    assert_eq!(s.tokens.bearer(false).await.unwrap(), "access-token-2");
    assert_eq!(s.peer.token_requests(), 2);
}

#[tokio::test]
async fn a_burst_of_forced_refreshes_after_401s_causes_one_new_request() {
    let config = PeerConfig {
        token_delay: Duration::from_millis(100),
        ..PeerConfig::default()
    };
    let s = setup(SigningAlg::Es384, config).await;
    assert_eq!(s.tokens.bearer(false).await.unwrap(), "access-token-1");
    // Ten requests got 401 with token 1 at the same moment; each asks for a fresh token.
    let callers: Vec<_> = (0..10)
        .map(|_| {
            let t = s.tokens.clone();
            tokio::spawn(async move { t.bearer(true).await })
        })
        .collect();
    for caller in callers {
        assert_eq!(caller.await.unwrap().unwrap(), "access-token-2");
    }
    assert_eq!(s.peer.token_requests(), 2);
    // A later forced refresh (the new token was refused too) does go to the server.
    assert_eq!(s.tokens.bearer(true).await.unwrap(), "access-token-3");
}

#[tokio::test]
async fn cache_entries_are_per_scope_set_and_client() {
    let s = setup(SigningAlg::Es384, PeerConfig::default()).await;
    let client = AuthClient::new().unwrap();
    let reg = s.tokens.registration();
    let key = Arc::new(reg.key().clone());
    let endpoint = reg.token_endpoint().clone();
    let same = Registration::new(
        endpoint.clone(),
        "referral-desk-test",
        ["system/Appointment.cu system/Slot.rs"],
        key.clone(),
    )
    .unwrap();
    let other = Registration::new(endpoint, "referral-desk-test", ["system/Slot.rs"], key).unwrap();
    let a = client.token(&same, false).await.unwrap();
    let b = client.token(&same, false).await.unwrap();
    let c = client.token(&other, false).await.unwrap();
    assert_eq!(
        a.secret(),
        b.secret(),
        "same scope set in another order and spelling"
    );
    assert_ne!(a.secret(), c.secret(), "different scope set");
    assert_eq!(c.scope.as_deref(), Some("system/Slot.rs"));
}

#[tokio::test]
async fn oauth_errors_surface_with_error_and_description() {
    let config = PeerConfig {
        reject: Some((401, "invalid_client", "no JWKS registered for this client")),
        ..PeerConfig::default()
    };
    let s = setup(SigningAlg::Es384, config).await;
    let err = s.tokens.bearer(false).await.unwrap_err();
    let AuthError::TokenRejected {
        status,
        error,
        description,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!((*status, error.as_str()), (401, "invalid_client"));
    assert_eq!(
        description.as_deref(),
        Some("no JWKS registered for this client")
    );
    assert!(err.is_invalid_client() && !err.is_retryable());
    assert!(err.to_string().contains("no JWKS registered"), "{err}");
}

#[tokio::test]
async fn callers_waiting_on_a_refused_request_share_its_error_and_later_calls_retry() {
    let config = PeerConfig {
        token_delay: Duration::from_millis(200),
        reject: Some((400, "invalid_scope", "system/Slot.rs is not granted")),
        ..PeerConfig::default()
    };
    let s = setup(SigningAlg::Es384, config).await;
    let callers: Vec<_> = (0..20)
        .map(|_| {
            let t = s.tokens.clone();
            tokio::spawn(async move { t.bearer(false).await })
        })
        .collect();
    for caller in callers {
        let err = caller.await.unwrap().unwrap_err();
        assert!(err.is_invalid_scope(), "{err:?}");
    }
    assert_eq!(
        s.peer.token_requests(),
        1,
        "one refused request, not one per waiting caller"
    );
    assert!(s.tokens.bearer(false).await.unwrap_err().is_invalid_scope());
    assert_eq!(s.peer.token_requests(), 2, "a later call asks again");
}

#[tokio::test]
async fn a_key_the_server_does_not_know_is_refused_as_invalid_client() {
    let s = setup(SigningAlg::Es384, PeerConfig::default()).await;
    let stranger = Arc::new(SigningKey::generate(SigningAlg::Es384).unwrap());
    let reg = s.tokens.registration();
    let reg = Registration::new(
        reg.token_endpoint().clone(),
        reg.client_id(),
        ["system/*.rs"],
        stranger,
    )
    .unwrap();
    let err = AuthClient::new()
        .unwrap()
        .token(&reg, false)
        .await
        .unwrap_err();
    assert!(err.is_invalid_client(), "{err:?}");
    assert!(
        s.peer.refusals()[0].contains("unknown kid"),
        "{:?}",
        s.peer.refusals()
    );
}

#[tokio::test]
async fn https_is_required_for_non_loopback_token_endpoints() {
    let key = Arc::new(SigningKey::generate(SigningAlg::Es384).unwrap());
    for bad in ["http://auth.example.org/token", "http://192.168.1.10/token"] {
        let err = Registration::new(
            Url::parse(bad).unwrap(),
            "app",
            ["system/*.rs"],
            key.clone(),
        )
        .unwrap_err();
        assert!(err.is_insecure_url(), "{bad}: {err:?}");
    }
    for good in [
        "https://auth.example.org/token",
        "http://127.0.0.1:9/token",
        "http://[::1]:9/t",
        "http://localhost/t",
    ] {
        assert!(
            Registration::new(Url::parse(good).unwrap(), "app", ["s"], key.clone()).is_ok(),
            "{good}"
        );
    }
}
