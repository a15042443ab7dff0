//! Token endpoint errors as RFC 6749 §5.2 defines them (`{"error", "error_description"}`).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use thiserror::Error;

/// The RFC 6749 §5.2 error codes this server answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenErrorCode {
    /// A required parameter is missing, repeated or malformed.
    InvalidRequest,
    /// Client authentication failed (unknown client, bad assertion, replay, ...): 401.
    InvalidClient,
    /// The grant itself is not acceptable.
    InvalidGrant,
    /// Only `client_credentials` is offered.
    UnsupportedGrantType,
    /// A requested scope is malformed or exceeds what the client was granted.
    InvalidScope,
    /// The server failed to issue a token it should have issued (500).
    ServerError,
}

impl TokenErrorCode {
    /// The wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::ServerError => "server_error",
        }
    }

    /// The HTTP status: 401 for failed client authentication, 500 for our own failure, 400
    /// otherwise.
    pub fn status(self) -> StatusCode {
        match self {
            Self::InvalidClient => StatusCode::UNAUTHORIZED,
            Self::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// A refused token request.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}: {description}", code.as_str())]
pub struct TokenError {
    pub code: TokenErrorCode,
    pub description: String,
}

impl TokenError {
    pub fn new(code: TokenErrorCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(TokenErrorCode::InvalidRequest, description)
    }

    pub fn invalid_client(description: impl Into<String>) -> Self {
        Self::new(TokenErrorCode::InvalidClient, description)
    }

    pub fn invalid_scope(description: impl Into<String>) -> Self {
        Self::new(TokenErrorCode::InvalidScope, description)
    }

    /// Whether the client failed to authenticate.
    pub fn is_authentication_failure(&self) -> bool {
        self.code == TokenErrorCode::InvalidClient
    }
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": self.code.as_str(),
            "error_description": self.description,
        });
        let mut response = (self.code.status(), Json(body)).into_response();
        no_store(&mut response);
        response
    }
}

/// Token responses must not be cached (RFC 6749 §5.1).
pub(crate) fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}
