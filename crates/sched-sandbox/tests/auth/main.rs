//! The sandbox's SMART Backend Services authorization server, over real HTTP: hostile client
//! assertions are refused with the RFC 6749 §5.2 error the spec calls for, good ones (ES384 and
//! RS384, inline JWKS or `jwks_url`) get 300-second bearer tokens, and bearer tokens are checked
//! on FHIR routes (401/403).
#![allow(clippy::unwrap_used, reason = "tests")]

mod bearer;
mod interop;
mod resource_server;
mod support;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use referral_model::Clock as _;
use serde_json::{Value, json};
use support::{AuthServer, JWT_BEARER, TestKey, jwks, registration};

const SCOPE: &str = "system/Appointment.rs";

/// A token request form as name/value pairs.
type Form<'a> = Vec<(&'a str, &'a str)>;

fn unsigned(claims: &Value, kid: &str) -> String {
    let header = json!({"alg": "none", "typ": "JWT", "kid": kid});
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

fn hs256_with_public_key(key: &TestKey, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(key.kid.clone());
    header.typ = Some("JWT".to_owned());
    let secret = EncodingKey::from_secret(&key.public_bytes);
    jsonwebtoken::encode(&header, claims, &secret).unwrap()
}

fn with(mut claims: Value, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    edit(claims.as_object_mut().unwrap());
    claims
}

/// The part of `error_description` that shows the case was refused for its own reason.
fn expected_reason(case: &str) -> &'static str {
    match case {
        "bad signature" => "signature is invalid",
        "alg none" => "'none' is not accepted",
        "HS256 signed with the public key" => "'HS256' is not accepted",
        "RS256 instead of RS384" => "'RS256' is not accepted",
        "kty does not suit alg" | "unknown kid" => "no registered EC key",
        "wrong aud" => "aud must be",
        "expired" => "has expired",
        "exp too far ahead" => "more than 5 minutes",
        "exp missing" => "lacks 'exp'",
        "replayed jti" => "already used",
        "iss differs from sub" => "iss and sub",
        "unregistered client" => "unknown client",
        "jti missing" => "lacks 'jti'",
        "jku not the registered URL" => "jku",
        _ => "malformed",
    }
}

#[tokio::test]
async fn hostile_client_assertions_are_refused_with_the_right_error() {
    let es = TestKey::es384("es-1");
    let rs = TestKey::rs384("rs-1");
    let intruder = TestKey::es384("es-1"); // same kid, different key
    let server = AuthServer::start(vec![
        registration("app", Some(jwks(&[&es, &rs])), None),
        registration("other-app", Some(jwks(&[&es])), None),
    ])
    .await;
    let now = server.clock.now().timestamp();
    let good = || server.claims("app");

    // A replay: the first use succeeds, the second must not.
    let used = es.sign(&good());
    let (status, _, body) = server.request(&used, SCOPE).await;
    assert_eq!(status, 200, "{body}");

    let client_auth_failures: Vec<(&str, String)> = vec![
        ("bad signature", intruder.sign(&good())),
        ("alg none", unsigned(&good(), "es-1")),
        (
            "HS256 signed with the public key",
            hs256_with_public_key(&es, &good()),
        ),
        (
            "RS256 instead of RS384",
            rs.sign_as(Algorithm::RS256, "rs-1", &good()),
        ),
        (
            "kty does not suit alg",
            es.sign_as(Algorithm::ES384, "rs-1", &good()),
        ),
        (
            "wrong aud",
            es.sign(&with(good(), |c| {
                c.insert("aud".into(), json!(format!("{}/org/fhir", server.origin)));
            })),
        ),
        (
            "expired",
            es.sign(&with(good(), |c| {
                c.insert("exp".into(), json!(now - 5));
            })),
        ),
        (
            "exp too far ahead",
            es.sign(&with(good(), |c| {
                c.insert("exp".into(), json!(now + 3600));
            })),
        ),
        (
            "exp missing",
            es.sign(&with(good(), |c| {
                c.remove("exp");
            })),
        ),
        ("replayed jti", used.clone()),
        (
            "unknown kid",
            es.sign_as(Algorithm::ES384, "nobody", &good()),
        ),
        (
            "iss differs from sub",
            es.sign(&with(good(), |c| {
                c.insert("sub".into(), json!("other-app"));
            })),
        ),
        ("unregistered client", es.sign(&server.claims("stranger"))),
        (
            "jti missing",
            es.sign(&with(good(), |c| {
                c.remove("jti");
            })),
        ),
        ("malformed JWT", "not-a-jwt".to_owned()),
        ("malformed JWT parts", "a.b.c".to_owned()),
        ("jku not the registered URL", {
            let mut header = Header::new(Algorithm::ES384);
            header.kid = Some("es-1".into());
            header.typ = Some("JWT".into());
            header.jku = Some("http://127.0.0.1:1/evil.json".into());
            jsonwebtoken::encode(&header, &good(), &es.encoding).unwrap()
        }),
    ];
    let mut checked = 0;
    for (case, assertion) in &client_auth_failures {
        let (status, cache, body) = server.request(assertion, SCOPE).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("invalid_client")),
            "{case}: {body}"
        );
        let description = body["error_description"].as_str().unwrap_or_default();
        assert!(
            description.contains(expected_reason(case)),
            "{case}: refused for another reason: {description}"
        );
        assert!(
            body["error_description"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            "{case}"
        );
        assert_eq!(cache, "no-store", "{case}");
        assert!(body.get("access_token").is_none(), "{case}");
        checked += 1;
    }

    let assertion = es.sign(&good());
    let other_requests: Vec<(&str, Form, u16, &str)> = vec![
        (
            "scope not granted",
            vec![
                ("grant_type", "client_credentials"),
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", &assertion),
                ("scope", "system/Appointment.rs system/Coverage.cu"),
            ],
            400,
            "invalid_scope",
        ),
        (
            "wrong client_assertion_type",
            vec![
                ("grant_type", "client_credentials"),
                (
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
                ),
                ("client_assertion", &assertion),
                ("scope", SCOPE),
            ],
            401,
            "invalid_client",
        ),
        (
            "wrong grant_type",
            vec![
                ("grant_type", "authorization_code"),
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", &assertion),
                ("scope", SCOPE),
            ],
            400,
            "unsupported_grant_type",
        ),
        (
            "grant_type missing",
            vec![
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", &assertion),
                ("scope", SCOPE),
            ],
            400,
            "invalid_request",
        ),
        (
            "repeated parameter",
            vec![
                ("grant_type", "client_credentials"),
                ("grant_type", "client_credentials"),
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", &assertion),
                ("scope", SCOPE),
            ],
            400,
            "invalid_request",
        ),
        (
            "no client assertion",
            vec![
                ("grant_type", "client_credentials"),
                ("client_assertion_type", JWT_BEARER),
                ("scope", SCOPE),
            ],
            401,
            "invalid_client",
        ),
    ];
    for (case, form, want_status, want_error) in &other_requests {
        let (status, cache, body) = server.post_form(form).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (*want_status, Some(*want_error)),
            "{case}: {body}"
        );
        assert_eq!(cache, "no-store", "{case}");
        checked += 1;
    }
    // A patient/ scope is not for backend services, even if the rest is granted.
    let (status, _, body) = server
        .request(&es.sign(&good()), "system/Appointment.rs patient/*.read")
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope")),
        "{body}"
    );

    // A JSON body is not a token request.
    let response = server
        .http
        .post(&server.token_url)
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    assert!(
        checked >= 12,
        "the table covers at least 12 hostile requests"
    );
}

#[tokio::test]
async fn es384_and_rs384_assertions_with_inline_jwks_get_bearer_tokens() {
    let es = TestKey::es384("es-1");
    let rs = TestKey::rs384("rs-1");
    let server = AuthServer::start(vec![registration("app", Some(jwks(&[&es, &rs])), None)]).await;
    for key in [&es, &rs] {
        let (status, cache, body) = server
            .request(&key.sign(&server.claims("app")), "system/Appointment.read")
            .await;
        assert_eq!(status, 200, "{:?}: {body}", key.alg);
        assert_eq!(cache, "no-store");
        assert_eq!(body["token_type"], "bearer");
        assert_eq!(body["expires_in"], 300);
        assert_eq!(body["scope"], "system/Appointment.read");
        let token = body["access_token"].as_str().unwrap();
        assert!(token.len() >= 40, "opaque random token");
        let response = server.fhir_get(Some(token)).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), "hello app");
    }
}

#[tokio::test]
async fn jwks_url_is_fetched_cached_and_refetched_for_a_new_kid() {
    let es = TestKey::es384("es-1");
    let rs = TestKey::rs384("rs-1");
    let (url, hits) = support::serve_jwks(jwks(&[&es, &rs])).await;
    let server = AuthServer::start(vec![registration("app", None, Some(url.clone()))]).await;
    for key in [&es, &rs, &es] {
        let (status, _, body) = server
            .request(&key.sign(&server.claims("app")), SCOPE)
            .await;
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(
        hits.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the JWKS is cached"
    );
    // jku equal to the registered URL is fine.
    let mut header = Header::new(Algorithm::ES384);
    header.kid = Some("es-1".into());
    header.typ = Some("JWT".into());
    header.jku = Some(url.clone());
    let with_jku = jsonwebtoken::encode(&header, &server.claims("app"), &es.encoding).unwrap();
    assert_eq!(server.request(&with_jku, SCOPE).await.0, 200);
    // An unknown kid makes the server look again (the client may have rotated keys).
    let (status, _, _) = server
        .request(&TestKey::es384("new").sign(&server.claims("app")), SCOPE)
        .await;
    assert_eq!(status, 401);
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_unreachable_jwks_url_fails_authentication_cleanly() {
    let es = TestKey::es384("es-1");
    let server = AuthServer::start(vec![registration(
        "app",
        None,
        Some("http://127.0.0.1:9/none.json".into()),
    )])
    .await;
    let (status, _, body) = server.request(&es.sign(&server.claims("app")), SCOPE).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "{body}"
    );
}
