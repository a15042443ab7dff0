//! SMART Backend Services authorization server of one sandbox organisation (SMART App Launch
//! 2.x): discovery document, `client_credentials` token endpoint with `private_key_jwt`
//! (RS384/ES384) client assertions, and bearer-token checks with v1/v2 `system/` scopes on the
//! organisation's FHIR routes.
//!
//! URL layout (relative to the organisation's prefix `/<org>`, which the server nests this at):
//! - `GET  /fhir/.well-known/smart-configuration` ([`DISCOVERY_PATH`])
//! - `POST /auth/token` ([`TOKEN_PATH`])
//! - `GET  /auth/jwks` ([`JWKS_PATH`]): the key that signs access tokens meant for an external
//!   resource server (see [`AuthSettings::resource_server`] and `issuer.rs`)
//!
//! FHIR routes are guarded by [`require_bearer`] (middleware) and read the [`Grant`] it leaves
//! in the request extensions; handlers then call [`Grant::require`] with the access the
//! interaction needs (mapping in `docs/sandbox-auth.md`).

mod assertion;
mod bearer;
mod discovery;
mod error;
#[cfg(test)]
mod fuzz_tests;
mod issuer;
mod jwks;
mod scope;
mod token;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use axum::Router;
use axum::routing::{get, post};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::Clock;

pub use bearer::{AuthRejection, Grant, require_bearer};
pub use error::{TokenError, TokenErrorCode};
pub use issuer::TOKEN_ALG;
pub use scope::{Access, Scope, ScopeError, ScopeSet};

/// Discovery path, relative to the organisation prefix (the FHIR base is `/<org>/fhir`).
pub const DISCOVERY_PATH: &str = "/fhir/.well-known/smart-configuration";
/// Token endpoint path, relative to the organisation prefix.
pub const TOKEN_PATH: &str = "/auth/token";
/// JWK Set of the token-signing key, relative to the organisation prefix.
pub const JWKS_PATH: &str = "/auth/jwks";
/// Default access-token lifetime: the SMART spec recommends 300 s and says SHOULD NOT exceed it.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::seconds(300);
/// Longest client-assertion lifetime accepted (`exp` at most this far ahead).
pub const MAX_ASSERTION_LIFETIME: Duration = Duration::seconds(300);

/// A client registered out of band with one organisation: its public keys and the scopes it
/// may ask for. Appears in the sandbox TOML under each organisation's `clients`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientRegistration {
    pub client_id: String,
    /// An inline JWK Set (`{"keys": [...]}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<serde_json::Value>,
    /// Where the client publishes its JWK Set (fetched over HTTP, cached briefly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_url: Option<String>,
    /// Scopes pre-authorised for this client (`system/Appointment.rs`, `system/*.read`, ...).
    #[serde(default)]
    pub scopes: Vec<String>,
}

impl ClientRegistration {
    /// Checks a registration read from configuration: a client_id, a key source (inline JWKS
    /// with a `keys` array, or an http(s) `jwks_url`), and scopes this server understands.
    /// The message names the client and what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let id = &self.client_id;
        if id.trim().is_empty() {
            return Err("a client needs a client_id".to_owned());
        }
        if let Some(jwks) = &self.jwks
            && !jwks.get("keys").is_some_and(serde_json::Value::is_array)
        {
            return Err(format!(
                "client '{id}': jwks must be a JWK Set with a \"keys\" array"
            ));
        }
        if let Some(url) = &self.jwks_url {
            let scheme_ok =
                url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
            if !scheme_ok {
                return Err(format!(
                    "client '{id}': jwks_url '{url}' is not an http(s) URL"
                ));
            }
        }
        if self.jwks.is_none() && self.jwks_url.is_none() {
            return Err(format!("client '{id}': give jwks or jwks_url"));
        }
        ScopeSet::from_list(self.scopes.iter().map(String::as_str))
            .map(|_| ())
            .map_err(|e| format!("client '{id}': {e}"))
    }
}

/// What an organisation's authorization server is built from.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// Absolute FHIR base, e.g. `http://127.0.0.1:8080/derm/fhir`.
    pub fhir_base: String,
    /// Absolute token endpoint URL; client assertions must carry exactly this `aud`.
    pub token_endpoint: String,
    /// The `iss` of issued JWT access tokens: `origin/org/auth`.
    pub issuer: String,
    /// Base URL of an external resource server; when set, access tokens are ES384 JWTs with
    /// this `aud` instead of opaque strings (both kinds open this organisation's own API).
    pub resource_server: Option<String>,
    pub clients: Vec<ClientRegistration>,
    pub token_ttl: Duration,
    pub clock: Clock,
}

impl AuthSettings {
    /// Settings for organisation `org` served at `origin` (`http://127.0.0.1:PORT`, no slash):
    /// FHIR base `origin/org/fhir`, token endpoint `origin/org/auth/token`, no clients yet,
    /// 300 s tokens, system clock.
    pub fn for_org(origin: &str, org: &str) -> Self {
        let origin = origin.trim_end_matches('/');
        Self {
            fhir_base: format!("{origin}/{org}/fhir"),
            token_endpoint: format!("{origin}/{org}{TOKEN_PATH}"),
            issuer: format!("{origin}/{org}/auth"),
            resource_server: None,
            clients: Vec::new(),
            token_ttl: DEFAULT_TOKEN_TTL,
            clock: Clock::system(),
        }
    }
}

/// The authorization server state of one organisation. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AuthState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    fhir_base: String,
    token_endpoint: String,
    issuer: String,
    resource_server: RwLock<Option<String>>,
    /// Signs JWT access tokens; generated at start (`None` only if key generation failed).
    signer: Option<issuer::Signer>,
    clock: Clock,
    clients: RwLock<HashMap<String, ClientRegistration>>,
    token_ttl: RwLock<Duration>,
    /// Issued access tokens (opaque random strings) → what they grant.
    tokens: Mutex<HashMap<String, Grant>>,
    /// `iss` + `jti` of accepted assertions → when the entry may be forgotten.
    seen_jti: Mutex<HashMap<(String, String), DateTime<Utc>>>,
    jwks: jwks::JwksResolver,
}

impl AuthState {
    /// Builds the state from settings.
    pub fn new(settings: AuthSettings) -> Self {
        let clients = settings
            .clients
            .into_iter()
            .map(|c| (c.client_id.clone(), c))
            .collect();
        Self {
            inner: Arc::new(Inner {
                fhir_base: settings.fhir_base,
                token_endpoint: settings.token_endpoint,
                issuer: settings.issuer,
                resource_server: RwLock::new(settings.resource_server),
                signer: issuer::Signer::generate(),
                clock: settings.clock,
                clients: RwLock::new(clients),
                token_ttl: RwLock::new(settings.token_ttl),
                tokens: Mutex::new(HashMap::new()),
                seen_jti: Mutex::new(HashMap::new()),
                jwks: jwks::JwksResolver::new(),
            }),
        }
    }

    /// Registers (or replaces) a client at runtime.
    pub fn register_client(&self, registration: ClientRegistration) {
        let mut clients = self
            .inner
            .clients
            .write()
            .unwrap_or_else(|p| p.into_inner());
        clients.insert(registration.client_id.clone(), registration);
    }

    /// The registration of `client_id`, if any.
    pub fn client(&self, client_id: &str) -> Option<ClientRegistration> {
        let clients = self.inner.clients.read().unwrap_or_else(|p| p.into_inner());
        clients.get(client_id).cloned()
    }

    /// Sets the lifetime of tokens issued from now on (fault knob: short token lifetime).
    pub fn set_token_ttl(&self, ttl: Duration) {
        *self
            .inner
            .token_ttl
            .write()
            .unwrap_or_else(|p| p.into_inner()) = ttl;
    }

    /// The lifetime of newly issued tokens.
    pub fn token_ttl(&self) -> Duration {
        *self
            .inner
            .token_ttl
            .read()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// The absolute FHIR base this server protects.
    pub fn fhir_base(&self) -> &str {
        &self.inner.fhir_base
    }

    /// The absolute token endpoint URL.
    pub fn token_endpoint(&self) -> &str {
        &self.inner.token_endpoint
    }

    /// The `iss` of JWT access tokens (`origin/org/auth`).
    pub fn issuer(&self) -> &str {
        &self.inner.issuer
    }

    /// Where the token-signing key is published (`origin/org/auth/jwks`).
    pub fn jwks_url(&self) -> String {
        format!("{}/jwks", self.inner.issuer)
    }

    /// The external resource server tokens are issued for, if any.
    pub fn resource_server(&self) -> Option<String> {
        self.inner
            .resource_server
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Names (or clears) the external resource server; tokens issued from now on follow it.
    pub fn set_resource_server(&self, base: Option<String>) {
        *self
            .inner
            .resource_server
            .write()
            .unwrap_or_else(|p| p.into_inner()) = base;
    }

    /// The key id of the token-signing key.
    pub fn signing_kid(&self) -> Option<&str> {
        self.inner.signer.as_ref().map(issuer::Signer::kid)
    }

    /// The current time by the injected clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }
}

/// The discovery and token routes of one organisation, to be nested at `/<org>`.
pub fn routes(state: AuthState) -> Router {
    Router::new()
        .route(DISCOVERY_PATH, get(discovery::smart_configuration))
        .route(TOKEN_PATH, post(token::token_endpoint))
        .route(JWKS_PATH, get(issuer::jwks))
        .with_state(state)
}
