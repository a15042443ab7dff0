//! The FHIR R4 REST subset every R4 dialect serves (Patient search, read, create and `$match`;
//! Coverage create, read and update; Appointment read and search; directory reads and searches,
//! Schedule included), and the base of their R4 CapabilityStatement.
//!
//! The routes are the Argonaut handlers behind a version edge: an R4 request body is read with
//! `fhir_model::r4` and handed to the handler as STU3, and the handler's STU3 answer is sent back
//! as R4. The scheduling rules stay in one place; only the wire is R4. `/metadata` is left to the
//! dialect router, which extends [`r4_metadata_base`] with its own operations.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use fhir_model::{CapabilityResource, Resource, r4};
use http::{HeaderValue, Method, StatusCode, header};

use crate::auth::require_bearer;
use crate::error::FhirError;
use crate::fhir::body::MAX_BODY;
use crate::fhir::{appointment, directory, metadata, patient, response};
use crate::org::Organisation;

/// Directory types with generic read and search on every R4 dialect.
const DIRECTORY: [&str; 6] = [
    "Practitioner",
    "PractitionerRole",
    "Location",
    "Organization",
    "HealthcareService",
    "Schedule",
];

/// Resource types (and their interactions) the common routes serve, for the statement.
const SERVED: [(&str, &[&str]); 9] = [
    ("Appointment", &["read", "search-type"]),
    ("Patient", &["read", "search-type", "create"]),
    ("Coverage", &["read", "create", "update"]),
    ("Practitioner", &["read", "search-type"]),
    ("PractitionerRole", &["read", "search-type"]),
    ("Location", &["read", "search-type"]),
    ("Organization", &["read", "search-type"]),
    ("HealthcareService", &["read", "search-type"]),
    ("Schedule", &["read", "search-type"]),
];

/// The R4 REST subset of `org`, relative to its base, behind the bearer check and the version
/// edge. Dialect routers merge their own routes (and `/metadata`) into it.
pub fn common_routes(org: Arc<Organisation>) -> Router {
    let mut routes = Router::new()
        .route("/Appointment", get(appointment::search))
        .route("/Appointment/{id}", get(appointment::read))
        .route("/Patient", get(patient::search).post(patient::create))
        .route("/Patient/$match", post(patient::match_patients))
        .route("/Patient/{id}", get(patient::read))
        .route("/Coverage", post(patient::coverage_create))
        .route(
            "/Coverage/{id}",
            get(patient::coverage_read).put(patient::coverage_update),
        )
        .with_state(Arc::clone(&org));
    for ty in DIRECTORY {
        let typed = Router::new()
            .route(&format!("/{ty}"), get(directory::search))
            .route(&format!("/{ty}/{{id}}"), get(directory::read))
            .with_state((Arc::clone(&org), ty));
        routes = routes.merge(typed);
    }
    routes
        .route_layer(axum::middleware::from_fn(r4_edge))
        .route_layer(axum::middleware::from_fn_with_state(
            org.auth.clone(),
            require_bearer,
        ))
        .method_not_allowed_fallback(response::method_not_allowed)
}

/// The organisation's R4 CapabilityStatement for what [`common_routes`] serves: FHIR 4.0.1, the
/// SMART security block, the resources above and `Patient/$match`. A dialect adds its own
/// resources (Slot, ...), operations and patch formats before serving it.
pub fn r4_metadata_base(org: &Organisation) -> r4::CapabilityStatement {
    let mut statement = r4::CapabilityStatement::from_stu3(&metadata::statement(org));
    statement.implementation_guide.clear();
    statement.patch_format.clear();
    for rest in &mut statement.rest {
        rest.resource.retain_mut(keep_served);
        rest.operation.retain(|o| o.name == "match");
    }
    statement
}

/// Keeps a resource entry the common routes serve, limited to their interactions and without
/// the Argonaut (STU3) profiles.
fn keep_served(resource: &mut CapabilityResource) -> bool {
    let Some((_, interactions)) = SERVED.iter().find(|(ty, _)| *ty == resource.type_) else {
        return false;
    };
    resource
        .interaction
        .retain(|i| interactions.contains(&i.code.as_str()));
    resource.extra.remove("profile");
    true
}

/// The version edge: R4 request bodies in as STU3, STU3 answers out as R4.
async fn r4_edge(req: Request, next: Next) -> Response {
    let req = match request_to_stu3(req).await {
        Ok(req) => req,
        Err(e) => return e.into_response(),
    };
    response_to_r4(next.run(req).await).await
}

/// Converts a POST/PUT body from R4 to STU3. A body that is not JSON goes on unchanged (the
/// handler says what is wrong with it); JSON that is not valid R4 is refused here.
async fn request_to_stu3(req: Request) -> Result<Request, FhirError> {
    if !matches!(*req.method(), Method::POST | Method::PUT) {
        return Ok(req);
    }
    let (mut parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        FhirError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-costly",
            "the request body exceeds 1 MiB",
        )
    })?;
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Ok(Request::from_parts(parts, Body::from(bytes)));
    };
    let stu3 = r4::Resource::from_json(value)
        .and_then(|r| r.to_stu3())
        .map_err(|e| FhirError::new(StatusCode::BAD_REQUEST, "structure", e.to_string()))?;
    let converted = serde_json::to_vec(&stu3).map_err(|_| FhirError::internal())?;
    set_length(&mut parts.headers, converted.len());
    Ok(Request::from_parts(parts, Body::from(converted)))
}

/// Converts a FHIR JSON answer from STU3 to R4; other answers pass unchanged.
async fn response_to_r4(resp: Response) -> Response {
    let is_fhir = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/fhir+json"));
    if !is_fhir {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return FhirError::internal().into_response();
    };
    let converted = stu3_bytes_to_r4(&bytes);
    match converted {
        Some(r4) => {
            set_length(&mut parts.headers, r4.len());
            Response::from_parts(parts, Body::from(r4))
        }
        None => {
            tracing::error!("an answer could not be converted to R4");
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}

/// STU3 resource JSON → R4 resource JSON (`None` when the bytes are not an STU3 resource).
pub fn stu3_bytes_to_r4(bytes: &Bytes) -> Option<Vec<u8>> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let stu3 = Resource::from_json_value(value).ok()?;
    serde_json::to_vec(&r4::Resource::from_stu3(&stu3)).ok()
}

fn set_length(headers: &mut http::HeaderMap, len: usize) {
    headers.remove(header::CONTENT_LENGTH);
    if let Ok(v) = HeaderValue::from_str(&len.to_string()) {
        headers.insert(header::CONTENT_LENGTH, v);
    }
}
