//! `POST [org]/auth/token`: the `client_credentials` grant with a `private_key_jwt` client
//! assertion (SMART Backend Services; RFC 6749 §4.4, RFC 7523 §3, errors per RFC 6749 §5.2).

use std::collections::HashMap;

use axum::Json;
use axum::body::{Body, to_bytes};
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::error::no_store;
use super::issuer::AccessClaims;
use super::{
    AuthState, ClientRegistration, Grant, MAX_ASSERTION_LIFETIME, ScopeSet, TokenError,
    TokenErrorCode, assertion, jwks,
};

/// `client_assertion_type` of a JWT bearer client assertion (RFC 7523 §2.2).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Largest token request body read.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The token endpoint handler.
pub(crate) async fn token_endpoint(
    State(state): State<AuthState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match issue(&state, &headers, body).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn issue(state: &AuthState, headers: &HeaderMap, body: Body) -> Result<Response, TokenError> {
    let form = read_form(headers, body).await?;
    let field = |name: &str| form.get(name).map(String::as_str);
    match field("grant_type") {
        None => return Err(TokenError::invalid_request("grant_type is required")),
        Some("client_credentials") => {}
        Some(other) => {
            return Err(TokenError::new(
                TokenErrorCode::UnsupportedGrantType,
                format!("grant_type '{other}' is not supported; use client_credentials"),
            ));
        }
    }
    if field("client_assertion_type") != Some(JWT_BEARER) {
        return Err(TokenError::invalid_client(format!(
            "client authentication must use client_assertion_type={JWT_BEARER}"
        )));
    }
    let jwt = field("client_assertion")
        .ok_or_else(|| TokenError::invalid_client("client_assertion is required"))?;
    let client = authenticate(state, jwt).await?;
    let requested = match field("scope") {
        None | Some("") => return Err(TokenError::invalid_request("scope is required")),
        Some(text) => {
            ScopeSet::parse(text).map_err(|e| TokenError::invalid_scope(e.to_string()))?
        }
    };
    let granted = ScopeSet::from_list(client.scopes.iter().map(String::as_str))
        .map_err(|e| TokenError::invalid_scope(format!("registration: {e}")))?;
    let missing: Vec<&str> = granted
        .uncovered(&requested)
        .iter()
        .map(|s| s.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(TokenError::invalid_scope(format!(
            "not granted to this client: {}",
            missing.join(" ")
        )));
    }
    grant_token(state, client.client_id, requested)
}

/// Reads an `application/x-www-form-urlencoded` body; repeated parameters are refused
/// (RFC 6749 §3.2: parameters MUST NOT be included more than once).
async fn read_form(headers: &HeaderMap, body: Body) -> Result<HashMap<String, String>, TokenError> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return Err(TokenError::invalid_request(
            "the token request must be application/x-www-form-urlencoded",
        ));
    }
    let bytes = to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| TokenError::invalid_request("the token request body is too large"))?;
    form_fields(&bytes)
}

/// The fields of a form body; a repeated field is refused.
pub(crate) fn form_fields(bytes: &[u8]) -> Result<HashMap<String, String>, TokenError> {
    let mut form = HashMap::new();
    for (name, value) in url::form_urlencoded::parse(bytes) {
        if form.insert(name.to_string(), value.into_owned()).is_some() {
            return Err(TokenError::invalid_request(format!(
                "parameter '{name}' is repeated"
            )));
        }
    }
    Ok(form)
}

/// Verifies the client assertion and returns the registration of the client it proves.
async fn authenticate(state: &AuthState, jwt: &str) -> Result<ClientRegistration, TokenError> {
    let assertion = assertion::parse(jwt)?;
    let client_id = assertion.client_id()?;
    let client = state
        .client(client_id)
        .ok_or_else(|| TokenError::invalid_client(format!("unknown client '{client_id}'")))?;
    if let Some(jku) = &assertion.jku
        && client.jwks_url.as_deref() != Some(jku.as_str())
    {
        return Err(TokenError::invalid_client(
            "jku is not the registered JWKS URL",
        ));
    }
    let resolver = &state.inner.jwks;
    let mut keys = resolver.keys(&client, false).await?;
    if client.jwks_url.is_some() && jwks::select_key(&keys, &assertion.kid, assertion.alg).is_err()
    {
        // The client may have rotated its keys since we cached them.
        keys = resolver.keys(&client, true).await?;
    }
    let key = jwks::select_key(&keys, &assertion.kid, assertion.alg)?;
    jwks::verify(
        key,
        assertion.alg,
        assertion.signing_input.as_bytes(),
        &assertion.signature,
    )?;
    let now = state.now();
    let checked = assertion.check_claims(state.token_endpoint(), now)?;
    remember_jti(state, &client.client_id, &checked.jti, checked.exp, now)?;
    Ok(client)
}

/// Refuses a `jti` already used by this client within the assertion lifetime, else records it
/// until no assertion carrying it could still be valid.
fn remember_jti(
    state: &AuthState,
    client_id: &str,
    jti: &str,
    exp: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), TokenError> {
    let mut seen = state
        .inner
        .seen_jti
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    seen.retain(|_, forget_at| *forget_at > now);
    let key = (client_id.to_owned(), jti.to_owned());
    if seen.contains_key(&key) {
        return Err(TokenError::invalid_client(
            "the assertion's jti was already used",
        ));
    }
    // Kept for at least the longest lifetime an assertion may have, whatever its own exp.
    seen.insert(key, exp.max(now + MAX_ASSERTION_LIFETIME));
    Ok(())
}

fn grant_token(
    state: &AuthState,
    client_id: String,
    scopes: ScopeSet,
) -> Result<Response, TokenError> {
    let now = state.now();
    let ttl = state.token_ttl();
    let scope_text = scopes.to_string();
    let token = match state.resource_server() {
        None => random_token(),
        Some(audience) => {
            let claims = AccessClaims {
                issuer: state.issuer(),
                audience: &audience,
                client_id: &client_id,
                scope: &scope_text,
                issued_at: now,
                expires_at: now + ttl,
            };
            state
                .inner
                .signer
                .as_ref()
                .and_then(|s| s.sign(&claims))
                .ok_or_else(|| {
                    TokenError::new(
                        TokenErrorCode::ServerError,
                        "the access token could not be signed",
                    )
                })?
        }
    };
    {
        let mut tokens = state.inner.tokens.lock().unwrap_or_else(|p| p.into_inner());
        tokens.retain(|_, g| g.expires_at > now);
        tokens.insert(
            token.clone(),
            Grant {
                client_id,
                scopes,
                expires_at: now + ttl,
            },
        );
    }
    let body = json!({
        "access_token": token,
        "token_type": "bearer",
        "expires_in": ttl.num_seconds(),
        "scope": scope_text,
    });
    let mut response = Json(body).into_response();
    no_store(&mut response);
    Ok(response)
}

/// 32 random bytes, base64url: opaque to clients, unguessable.
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    if aws_lc_rs::rand::fill(&mut bytes).is_err() {
        // aws-lc's RNG does not fail in practice; fall back to a v4 UUID pair rather than panic.
        let a = uuid::Uuid::new_v4();
        let b = uuid::Uuid::new_v4();
        bytes[..16].copy_from_slice(a.as_bytes());
        bytes[16..].copy_from_slice(b.as_bytes());
    }
    URL_SAFE_NO_PAD.encode(bytes)
}
