//! Test support for the authorization server: keys generated per test (aws-lc-rs), assertions
//! signed with jsonwebtoken, and a real server on 127.0.0.1:0 made of the auth routes plus one
//! bearer-protected FHIR route.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::{ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use axum::Router;
use axum::http::header;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::Duration;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use referral_model::Clock as _;
use sched_sandbox::auth::{
    Access, AuthRejection, AuthSettings, AuthState, ClientRegistration, Grant, require_bearer,
    routes,
};
use sched_sandbox::clock::ManualClock;
use serde_json::{Value, json};

pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A client key pair: the private half to sign with, the public half as a JWK.
pub struct TestKey {
    pub kid: String,
    pub alg: Algorithm,
    pub encoding: EncodingKey,
    pub jwk: Value,
    /// The DER of the public key, to misuse as an HMAC secret.
    pub public_bytes: Vec<u8>,
}

impl TestKey {
    pub fn es384(kid: &str) -> Self {
        let pair = EcdsaKeyPair::generate(&ECDSA_P384_SHA384_FIXED_SIGNING).unwrap();
        let pkcs8 = pair.to_pkcs8v1().unwrap();
        let point = pair.public_key().as_ref().to_vec();
        let (x, y) = point[1..].split_at(48);
        Self {
            kid: kid.to_owned(),
            alg: Algorithm::ES384,
            encoding: EncodingKey::from_ec_der(pkcs8.as_ref()),
            jwk: json!({"kty": "EC", "crv": "P-384", "kid": kid, "use": "sig", "alg": "ES384",
                        "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y)}),
            public_bytes: point,
        }
    }

    pub fn rs384(kid: &str) -> Self {
        let pair = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
        let pkcs8 = AsDer::<aws_lc_rs::encoding::Pkcs8V1Der>::as_der(&pair).unwrap();
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            STANDARD.encode(pkcs8.as_ref())
        );
        let public = PublicKeyComponents::<Vec<u8>>::from(pair.public_key());
        Self {
            kid: kid.to_owned(),
            alg: Algorithm::RS384,
            encoding: EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap(),
            jwk: json!({"kty": "RSA", "kid": kid, "alg": "RS384",
                        "n": URL_SAFE_NO_PAD.encode(&public.n), "e": URL_SAFE_NO_PAD.encode(&public.e)}),
            public_bytes: pair.public_key().as_ref().to_vec(),
        }
    }

    /// Signs `claims` with this key, header `{alg, kid, typ: JWT}`.
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_as(self.alg, &self.kid, claims)
    }

    /// Signs with an explicit algorithm and kid (for algorithm-confusion cases).
    pub fn sign_as(&self, alg: Algorithm, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(alg);
        header.kid = Some(kid.to_owned());
        header.typ = Some("JWT".to_owned());
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap()
    }
}

pub fn jwks(keys: &[&TestKey]) -> Value {
    json!({"keys": keys.iter().map(|k| k.jwk.clone()).collect::<Vec<_>>()})
}

pub fn registration(
    client_id: &str,
    jwks: Option<Value>,
    jwks_url: Option<String>,
) -> ClientRegistration {
    ClientRegistration {
        client_id: client_id.to_owned(),
        jwks,
        jwks_url,
        scopes: vec![
            "system/Appointment.read".to_owned(),
            "system/Appointment.cu".to_owned(),
            "system/Patient.rs".to_owned(),
        ],
    }
}

/// A running authorization server with one protected route `GET /org/fhir/Appointment`
/// (needs Appointment search).
pub struct AuthServer {
    pub origin: String,
    pub token_url: String,
    pub state: AuthState,
    pub clock: ManualClock,
    pub http: reqwest::Client,
}

async fn search_appointments(grant: Grant) -> Result<String, AuthRejection> {
    grant.require("Appointment", Access::Search)?;
    Ok(format!("hello {}", grant.client_id()))
}

impl AuthServer {
    pub async fn start(clients: Vec<ClientRegistration>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let clock = ManualClock::new(chrono::Utc::now());
        let mut settings = AuthSettings::for_org(&origin, "org");
        settings.clients = clients;
        settings.clock = sched_sandbox::Clock::from(clock.clone());
        let state = AuthState::new(settings);
        let fhir = Router::new()
            .route("/Appointment", get(search_appointments))
            .route_layer(from_fn_with_state(state.clone(), require_bearer));
        let app = Router::new()
            .nest("/org/fhir", fhir)
            .nest("/org", routes(state.clone()));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            token_url: format!("{origin}/org/auth/token"),
            origin,
            state,
            clock,
            http: reqwest::Client::new(),
        }
    }

    /// Standard claims for `client_id`, valid for 4 minutes, fresh jti.
    pub fn claims(&self, client_id: &str) -> Value {
        let now = self.clock.now().timestamp();
        json!({"iss": client_id, "sub": client_id, "aud": self.token_url,
               "exp": now + 240, "jti": uuid::Uuid::new_v4().to_string()})
    }

    /// Posts a token request form; returns status, Cache-Control and the JSON body.
    pub async fn post_form(&self, form: &[(&str, &str)]) -> (u16, String, Value) {
        let response = self
            .http
            .post(&self.token_url)
            .form(form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let cache = response
            .headers()
            .get(header::CACHE_CONTROL.as_str())
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, cache, response.json().await.unwrap())
    }

    /// A well-formed client_credentials request carrying `assertion` and `scope`.
    pub async fn request(&self, assertion: &str, scope: &str) -> (u16, String, Value) {
        self.post_form(&[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", assertion),
            ("scope", scope),
        ])
        .await
    }

    /// GET the protected route with an optional bearer token.
    pub async fn fhir_get(&self, token: Option<&str>) -> reqwest::Response {
        let mut request = self
            .http
            .get(format!("{}/org/fhir/Appointment", self.origin));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        request.send().await.unwrap()
    }

    pub fn advance(&self, seconds: i64) {
        self.clock.advance(Duration::seconds(seconds));
    }
}

/// Serves a JWKS at `http://127.0.0.1:PORT/jwks.json` and counts fetches.
pub async fn serve_jwks(jwks: Value) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    let app = Router::new().route(
        "/jwks.json",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            let body = jwks.clone();
            async move { axum::Json(body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, hits)
}
