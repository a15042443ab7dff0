//! A small SMART authorization server on 127.0.0.1:0 for tests and benches: discovery documents
//! and a token endpoint that really verifies client assertions against the registered JWKS.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the peer"
)]
#![allow(clippy::unwrap_used, reason = "test peer")]

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Form, OriginalUri, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use smart_auth::{AssertionClaims, CLIENT_ASSERTION_TYPE, Clock, JwkSet, SystemClock};
use url::Url;

/// How the peer advertises its token endpoint.
#[derive(Debug, Clone)]
pub enum Discovery {
    /// `.well-known/smart-configuration` with this `token_endpoint` value; `{origin}` is replaced
    /// by `http://127.0.0.1:port`.
    WellKnown(String),
    /// No `.well-known` (404); the CapabilityStatement carries the oauth-uris extension.
    CapabilityStatementOnly,
    /// Neither.
    Nothing,
}

#[derive(Debug, Clone)]
pub struct PeerConfig {
    pub client_id: String,
    pub discovery: Discovery,
    pub signing_algs: Vec<&'static str>,
    pub auth_methods: Vec<&'static str>,
    pub expires_in: u64,
    /// Added latency on the token endpoint, so concurrent callers really overlap.
    pub token_delay: Duration,
    /// When set, every token request is refused with (status, error, error_description).
    pub reject: Option<(u16, &'static str, &'static str)>,
}

impl Default for PeerConfig {
    fn default() -> Self {
        Self {
            client_id: "referral-desk-test".to_owned(),
            discovery: Discovery::WellKnown("{origin}/auth/token".to_owned()),
            signing_algs: vec!["ES384", "RS384"],
            auth_methods: vec!["private_key_jwt"],
            expires_in: 300,
            token_delay: Duration::ZERO,
            reject: None,
        }
    }
}

struct PeerState {
    config: PeerConfig,
    origin: String,
    jwks: JwkSet,
    clock: Arc<dyn Clock>,
    token_requests: AtomicUsize,
    seen_jti: Mutex<HashSet<String>>,
    /// Why assertions were refused; a test that expects success asserts this stays empty.
    refusals: Mutex<Vec<String>>,
    last_assertion: Mutex<Option<String>>,
    last_form: Mutex<HashMap<String, String>>,
}

/// A running peer. The server stops when the test's runtime ends.
pub struct Peer {
    pub origin: String,
    pub fhir_base: Url,
    state: Arc<PeerState>,
}

impl Peer {
    pub async fn start(config: PeerConfig, jwks: JwkSet) -> Self {
        Self::start_with_clock(config, jwks, Arc::new(SystemClock)).await
    }

    pub async fn start_with_clock(config: PeerConfig, jwks: JwkSet, clock: Arc<dyn Clock>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let origin = format!("http://{addr}");
        let state = Arc::new(PeerState {
            config,
            origin: origin.clone(),
            jwks,
            clock,
            token_requests: AtomicUsize::new(0),
            seen_jti: Mutex::new(HashSet::new()),
            refusals: Mutex::new(Vec::new()),
            last_assertion: Mutex::new(None),
            last_form: Mutex::new(HashMap::new()),
        });
        let app = Router::new()
            .route("/fhir/.well-known/smart-configuration", get(well_known))
            .route("/fhir/metadata", get(metadata))
            .route("/auth/token", post(token))
            .route("/fhir/auth/token", post(token))
            .with_state(Arc::clone(&state));
        tokio::spawn(async move { axum::serve(listener, app).await });
        let fhir_base = Url::parse(&format!("{origin}/fhir")).unwrap();
        Self {
            origin,
            fhir_base,
            state,
        }
    }

    pub fn token_url(&self) -> Url {
        Url::parse(&format!("{}/auth/token", self.origin)).unwrap()
    }

    pub fn token_requests(&self) -> usize {
        self.state.token_requests.load(Ordering::SeqCst)
    }

    pub fn refusals(&self) -> Vec<String> {
        self.state.refusals.lock().unwrap().clone()
    }

    pub fn last_assertion(&self) -> Option<String> {
        self.state.last_assertion.lock().unwrap().clone()
    }

    pub fn last_form(&self) -> HashMap<String, String> {
        self.state.last_form.lock().unwrap().clone()
    }
}

async fn well_known(State(s): State<Arc<PeerState>>) -> Response {
    let Discovery::WellKnown(endpoint) = &s.config.discovery else {
        return (StatusCode::NOT_FOUND, "no such document").into_response();
    };
    Json(json!({
        "token_endpoint": endpoint.replace("{origin}", &s.origin),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": s.config.auth_methods,
        "token_endpoint_auth_signing_alg_values_supported": s.config.signing_algs,
        "scopes_supported": ["system/*.rs", "system/Appointment.cu"],
        "capabilities": ["client-confidential-asymmetric", "permission-v2"],
    }))
    .into_response()
}

async fn metadata(State(s): State<Arc<PeerState>>) -> Response {
    let Discovery::CapabilityStatementOnly = &s.config.discovery else {
        return Json(json!({"resourceType": "CapabilityStatement", "rest": [{"mode": "server"}]}))
            .into_response();
    };
    Json(json!({
        "resourceType": "CapabilityStatement",
        "fhirVersion": "3.0.1",
        "rest": [{
            "mode": "server",
            "security": {
                "service": [{"text": "SMART-on-FHIR"}],
                "extension": [{
                    "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                    "extension": [
                        {"url": "authorize", "valueUri": format!("{}/auth/authorize", s.origin)},
                        {"url": "token", "valueUri": format!("{}/auth/token", s.origin)}
                    ]
                }]
            }
        }]
    }))
    .into_response()
}

fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap();
    (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

async fn token(
    State(s): State<Arc<PeerState>>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let n = s.token_requests.fetch_add(1, Ordering::SeqCst) + 1;
    *s.last_form.lock().unwrap() = form.clone();
    tokio::time::sleep(s.config.token_delay).await;
    if let Some((status, error, description)) = s.config.reject {
        return oauth_error(status, error, description);
    }
    let aud = format!("{}{}", s.origin, uri.path());
    match check_request(&s, &form, &aud) {
        Ok(()) => Json(json!({
            "access_token": format!("access-token-{n}"),
            "token_type": "Bearer",
            "expires_in": s.config.expires_in,
            "scope": form.get("scope"),
        }))
        .into_response(),
        Err((error, description)) => {
            s.refusals.lock().unwrap().push(description.clone());
            let status = if error == "invalid_client" { 401 } else { 400 };
            oauth_error(status, error, &description)
        }
    }
}

type Refusal = (&'static str, String);

fn check_request(s: &PeerState, form: &HashMap<String, String>, aud: &str) -> Result<(), Refusal> {
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    if field("grant_type") != "client_credentials" {
        return Err((
            "unsupported_grant_type",
            format!("grant_type {:?}", field("grant_type")),
        ));
    }
    if field("client_assertion_type") != CLIENT_ASSERTION_TYPE {
        return Err(("invalid_request", "wrong client_assertion_type".to_owned()));
    }
    if field("scope").is_empty() {
        return Err(("invalid_request", "no scope".to_owned()));
    }
    let assertion = field("client_assertion");
    *s.last_assertion.lock().unwrap() = Some(assertion.to_owned());
    let claims = verify_assertion(s, assertion, aud).map_err(|d| ("invalid_client", d))?;
    if !s.seen_jti.lock().unwrap().insert(claims.jti.clone()) {
        return Err(("invalid_client", format!("jti {} replayed", claims.jti)));
    }
    Ok(())
}

/// Verifies signature (key chosen by kid from the registered JWKS), typ, aud, iss == sub ==
/// client_id, and that exp lies in (now, now + 300 s].
pub fn verify_assertion_with(
    jwks: &JwkSet,
    client_id: &str,
    assertion: &str,
    aud: &str,
    now: u64,
) -> Result<AssertionClaims, String> {
    let header = jsonwebtoken::decode_header(assertion).map_err(|e| format!("header: {e}"))?;
    if header.typ.as_deref() != Some("JWT") {
        return Err(format!("typ {:?}", header.typ));
    }
    let kid = header.kid.clone().ok_or("no kid")?;
    let jwk = jwks
        .find(&kid)
        .ok_or_else(|| format!("unknown kid {kid}"))?;
    if jwk.alg != format!("{:?}", header.alg) {
        return Err(format!(
            "alg {:?} does not match the key's {}",
            header.alg, jwk.alg
        ));
    }
    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(serde_json::to_value(jwk).unwrap())
        .map_err(|e| format!("jwk: {e}"))?;
    let key = jsonwebtoken::DecodingKey::from_jwk(&jwk).map_err(|e| format!("key: {e}"))?;
    let mut validation = jsonwebtoken::Validation::new(header.alg);
    validation.set_audience(&[aud]);
    validation.set_issuer(&[client_id]);
    validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    // exp is checked below against the peer's (possibly manual) clock.
    validation.validate_exp = false;
    let data = jsonwebtoken::decode::<AssertionClaims>(assertion, &key, &validation)
        .map_err(|e| format!("verify: {e}"))?;
    let claims = data.claims;
    if claims.sub != claims.iss {
        return Err("sub differs from iss".to_owned());
    }
    if claims.exp <= now || claims.exp > now + 300 {
        return Err(format!(
            "exp {} outside (now, now + 300] for now = {now}",
            claims.exp
        ));
    }
    Ok(claims)
}

fn verify_assertion(s: &PeerState, assertion: &str, aud: &str) -> Result<AssertionClaims, String> {
    let now = u64::try_from(s.clock.now().timestamp()).unwrap();
    verify_assertion_with(&s.jwks, &s.config.client_id, assertion, aud, now)
}

/// Claims of a JWT without verifying it, for tests that inspect what was sent.
pub fn peek_claims(jwt: &str) -> Value {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}
