//! Request bodies and queries: JSON at most 1 MiB with a JSON media type, parsed into the
//! expected resource type, and query strings as ordered pairs. Every failure is a 4xx with an
//! OperationOutcome, never a panic.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use fhir_model::Resource;
use http::{StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::FhirError;

/// The largest request body accepted.
pub const MAX_BODY: usize = 1024 * 1024;

/// A JSON request body (any JSON media type; none given is read as JSON). An empty body is
/// `Null`, refused by [`JsonBody::resource`] and [`JsonBody::typed`].
#[derive(Debug)]
pub struct JsonBody {
    pub value: Value,
    /// The media type sent, without parameters (e.g. `application/json-patch+json`).
    pub media_type: String,
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = FhirError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, FhirError> {
        let media_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_else(|| "application/fhir+json".to_owned());
        if !media_type.ends_with("json") {
            return Err(FhirError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "not-supported",
                format!("{media_type} is not supported; send application/fhir+json"),
            ));
        }
        let bytes: Bytes = axum::body::to_bytes(req.into_body(), MAX_BODY)
            .await
            .map_err(|_| {
                FhirError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too-costly",
                    "the request body exceeds 1 MiB",
                )
            })?;
        if bytes.is_empty() {
            return Ok(Self {
                value: Value::Null,
                media_type,
            });
        }
        let value = serde_json::from_slice(&bytes).map_err(|e| {
            FhirError::new(
                StatusCode::BAD_REQUEST,
                "structure",
                format!("malformed JSON: {e}"),
            )
        })?;
        Ok(Self { value, media_type })
    }
}

impl JsonBody {
    /// The body as a resource of any known type.
    pub fn resource(&self) -> Result<Resource, FhirError> {
        if self.value.is_null() {
            return Err(FhirError::bad_request("a JSON body is required"));
        }
        Ok(Resource::from_json_value(self.value.clone())?)
    }

    /// The body as a resource of type `T` (`resourceType` must be `ty`).
    pub fn typed<T: DeserializeOwned>(&self, ty: &str) -> Result<T, FhirError> {
        let found = self
            .value
            .get("resourceType")
            .and_then(Value::as_str)
            .unwrap_or("(none)");
        if found != ty {
            return Err(FhirError::new(
                StatusCode::BAD_REQUEST,
                "structure",
                format!("expected resourceType {ty}, found {found}"),
            ));
        }
        serde_json::from_value(self.value.clone()).map_err(|e| {
            FhirError::new(
                StatusCode::BAD_REQUEST,
                "structure",
                format!("invalid {ty}: {e}"),
            )
        })
    }
}

/// Query pairs in order (repeated names kept).
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.map(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect()
    })
    .unwrap_or_default()
}

/// Refuses query parameters outside `allowed` (plus `_format`, `_pretty`).
pub fn only_params(pairs: &[(String, String)], allowed: &[&str]) -> Result<(), FhirError> {
    for (k, _) in pairs {
        let name = k.split(':').next().unwrap_or(k);
        if !allowed.contains(&name) && !matches!(name, "_format" | "_pretty") {
            return Err(FhirError::new(
                StatusCode::BAD_REQUEST,
                "not-supported",
                format!("unknown search parameter '{k}'"),
            ));
        }
    }
    Ok(())
}

/// Every value of `name`.
pub fn values<'a>(
    pairs: &'a [(String, String)],
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    pairs
        .iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The single value of `name` (a repeat is refused).
pub fn single<'a>(pairs: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, FhirError> {
    let mut it = pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str());
    let first = it.next();
    if it.next().is_some() {
        return Err(FhirError::bad_request(format!(
            "{name} may appear only once"
        )));
    }
    Ok(first)
}
