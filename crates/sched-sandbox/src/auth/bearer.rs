//! Bearer-token checks on FHIR routes: [`require_bearer`] turns `Authorization: Bearer <token>`
//! into a [`Grant`] (or a 401), and handlers ask the grant for the access they need (or 403).
//!
//! Refusals follow RFC 6750 §3: `WWW-Authenticate: Bearer ...` with `error="invalid_token"` for
//! a bad or expired token, `error="insufficient_scope"` with 403, and no error code when no
//! credentials were sent at all. The body is a FHIR OperationOutcome.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use fhir_model::OperationOutcome;
use fhir_model::urls::MIME_FHIR_JSON;

use super::{Access, AuthState, ScopeSet};

/// What an access token lets its client do; one per issued token.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub(crate) client_id: String,
    pub(crate) scopes: ScopeSet,
    pub(crate) expires_at: DateTime<Utc>,
}

impl Grant {
    /// The client the token was issued to.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The granted scopes.
    pub fn scopes(&self) -> &ScopeSet {
        &self.scopes
    }

    /// When the token stops working.
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    /// Whether the token grants `access` on `resource_type`.
    pub fn allows(&self, resource_type: &str, access: Access) -> bool {
        self.scopes.allows(resource_type, access)
    }

    /// `Ok` when the token grants `access` on `resource_type`, else a 403 refusal.
    pub fn require(&self, resource_type: &str, access: Access) -> Result<(), AuthRejection> {
        self.require_any(&[(resource_type, access)])
    }

    /// `Ok` when the token grants at least one of `needs` (e.g. `$hold` accepts Appointment
    /// create or update), else a 403 naming what would have been enough.
    pub fn require_any(&self, needs: &[(&str, Access)]) -> Result<(), AuthRejection> {
        if needs.iter().any(|(ty, a)| self.allows(ty, *a)) {
            return Ok(());
        }
        let wanted: Vec<String> = needs
            .iter()
            .map(|(ty, a)| format!("system/{ty}.{}", access_letter(*a)))
            .collect();
        Err(AuthRejection::InsufficientScope(wanted.join(" ")))
    }
}

fn access_letter(access: Access) -> &'static str {
    match access {
        Access::Create => "c",
        Access::Read => "r",
        Access::Update => "u",
        Access::Delete => "d",
        Access::Search => "s",
    }
}

/// Why a FHIR request was refused by the bearer check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthRejection {
    /// No `Authorization: Bearer` header (401, no error code).
    MissingToken,
    /// Unknown, malformed or expired token (401 `invalid_token`).
    InvalidToken(String),
    /// The token lacks the scope the interaction needs (403 `insufficient_scope`).
    InsufficientScope(String),
}

impl AuthRejection {
    /// The HTTP status of this refusal.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::InsufficientScope(_) => StatusCode::FORBIDDEN,
            _ => StatusCode::UNAUTHORIZED,
        }
    }
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        let (challenge, code, text) = match &self {
            Self::MissingToken => (
                "Bearer realm=\"fhir\"".to_owned(),
                "login",
                "an access token is required (Authorization: Bearer <token>)".to_owned(),
            ),
            Self::InvalidToken(why) => (
                format!(
                    "Bearer realm=\"fhir\", error=\"invalid_token\", error_description=\"{why}\""
                ),
                "login",
                format!("invalid access token: {why}"),
            ),
            Self::InsufficientScope(needed) => (
                format!("Bearer realm=\"fhir\", error=\"insufficient_scope\", scope=\"{needed}\""),
                "forbidden",
                format!("the access token does not grant this interaction; it needs {needed}"),
            ),
        };
        let body = serde_json::to_vec(&OperationOutcome::error(code, &text)).unwrap_or_default();
        let mut response = (self.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(MIME_FHIR_JSON),
        );
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            headers.insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }
}

impl AuthState {
    /// Checks the request's bearer token and returns what it grants.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Grant, AuthRejection> {
        let value = headers
            .get(header::AUTHORIZATION)
            .ok_or(AuthRejection::MissingToken)?;
        let text = value
            .to_str()
            .map_err(|_| AuthRejection::InvalidToken("not ASCII".to_owned()))?;
        let (scheme, token) = text.split_once(' ').ok_or(AuthRejection::MissingToken)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(AuthRejection::MissingToken);
        }
        self.grant_for(token.trim())
    }

    /// The grant behind an access token, if it is known and not expired.
    pub fn grant_for(&self, token: &str) -> Result<Grant, AuthRejection> {
        let now = self.now();
        let tokens = self.inner.tokens.lock().unwrap_or_else(|p| p.into_inner());
        let grant = tokens
            .get(token)
            .ok_or_else(|| AuthRejection::InvalidToken("unknown token".to_owned()))?;
        if grant.expires_at <= now {
            return Err(AuthRejection::InvalidToken(
                "the token has expired".to_owned(),
            ));
        }
        Ok(grant.clone())
    }
}

/// Middleware for FHIR routes: refuses requests without a valid bearer token and stores the
/// [`Grant`] in the request extensions for handlers to extract.
pub async fn require_bearer(
    State(state): State<AuthState>,
    mut request: Request,
    next: Next,
) -> Response {
    match state.authenticate(request.headers()) {
        Ok(grant) => {
            request.extensions_mut().insert(grant);
            next.run(request).await
        }
        Err(rejection) => rejection.into_response(),
    }
}

/// Extracts the grant left by [`require_bearer`]. A route not behind the middleware gets a 401
/// (fail closed) rather than running without authorization.
impl<S: Send + Sync> FromRequestParts<S> for Grant {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Grant>()
            .cloned()
            .ok_or(AuthRejection::MissingToken)
    }
}
