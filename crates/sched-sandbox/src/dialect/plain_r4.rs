//! Plain FHIR R4: Slot search with `_include`, Slot update with If-Match (holds), Appointment
//! create, update and patch, transaction Bundles, R4 resources. The rules are the shared ones
//! (`org/`, `r4_rules`): only the wire is R4.

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use super::{r4_http, r4_metadata, r4_slot};
use crate::auth::require_bearer;
use crate::fhir::{directory, patient, response};
use crate::org::Organisation;

/// Directory types with generic read and search.
const DIRECTORY: [&str; 6] = [
    "Practitioner",
    "PractitionerRole",
    "Location",
    "Organization",
    "HealthcareService",
    "Schedule",
];

/// The routes of an organisation speaking plain R4 (Oracle shares them; its stricter rules
/// are decided by `Organisation::dialect` inside the handlers).
pub fn router(org: Arc<Organisation>) -> Router {
    let mut protected = Router::new()
        .route("/", post(r4_http::transaction))
        .route("/Slot", get(r4_slot::search))
        .route(
            "/Slot/{id}",
            get(r4_slot::read)
                .put(r4_slot::update)
                .patch(r4_slot::update),
        )
        .route("/Appointment", get(r4_http::search).post(r4_http::create))
        .route(
            "/Appointment/{id}",
            get(r4_http::read)
                .put(r4_http::update)
                .patch(r4_http::update),
        )
        // Patient and Coverage until the shared R4 edge (`r4_common`) serves them.
        .route("/Patient", get(patient::search).post(patient::create))
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
        protected = protected.merge(typed);
    }
    let protected = protected.route_layer(axum::middleware::from_fn_with_state(
        org.auth.clone(),
        require_bearer,
    ));
    Router::new()
        .route("/metadata", get(r4_metadata::capability_statement))
        .with_state(Arc::clone(&org))
        .merge(protected)
        .method_not_allowed_fallback(response::method_not_allowed)
}
