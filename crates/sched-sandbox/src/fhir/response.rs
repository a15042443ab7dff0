//! FHIR JSON responses: the media type, ETag / Location headers, and FhirError as an
//! OperationOutcome.

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde::Serialize;

use crate::auth::AuthRejection;
use crate::error::FhirError;

/// The media type of every response body.
pub const FHIR_JSON: &str = "application/fhir+json; charset=utf-8";

/// A JSON response with the FHIR media type.
pub fn fhir_json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut r = Response::new(Body::from(bytes));
            *r.status_mut() = status;
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "response serialisation failed");
            FhirError::internal().into_response()
        }
    }
}

/// Adds `ETag: W/"version"`.
pub fn with_etag(mut r: Response, version: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("W/\"{version}\"")) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

/// Adds `Location` (and `Content-Location`).
pub fn with_location(mut r: Response, url: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(url) {
        r.headers_mut().insert(header::LOCATION, v.clone());
        r.headers_mut().insert(header::CONTENT_LOCATION, v);
    }
    r
}

impl IntoResponse for FhirError {
    fn into_response(self) -> Response {
        let mut r = fhir_json(self.status, &self.outcome);
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                r.headers_mut().insert(name, v);
            }
        }
        r
    }
}

impl From<AuthRejection> for FhirError {
    fn from(r: AuthRejection) -> Self {
        let status = r.status();
        let (code, text, challenge) = match &r {
            AuthRejection::MissingToken => (
                "login",
                "an access token is required".to_owned(),
                "Bearer realm=\"fhir\"".to_owned(),
            ),
            AuthRejection::InvalidToken(why) => (
                "login",
                format!("invalid access token: {why}"),
                "Bearer realm=\"fhir\", error=\"invalid_token\"".to_owned(),
            ),
            AuthRejection::InsufficientScope(need) => (
                "forbidden",
                format!("the access token does not grant this interaction; it needs {need}"),
                format!("Bearer realm=\"fhir\", error=\"insufficient_scope\", scope=\"{need}\""),
            ),
        };
        FhirError::new(status, code, text).with_header(header::WWW_AUTHENTICATE, challenge)
    }
}

/// Answers unknown paths with a 404 OperationOutcome.
pub async fn not_found(uri: http::Uri) -> FhirError {
    FhirError::not_found(format!("no FHIR interaction at {}", uri.path()))
}

/// Answers a known path with the wrong method.
pub async fn method_not_allowed(method: http::Method, uri: http::Uri) -> FhirError {
    FhirError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "not-supported",
        format!("{method} is not supported on {}", uri.path()),
    )
}
