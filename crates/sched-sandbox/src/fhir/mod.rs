//! The FHIR STU3 JSON API of one organisation, mounted at `/<org>/fhir`. Every route except
//! `/metadata` sits behind the bearer-token check; each handler asks the grant for the access
//! its interaction needs (mapping in docs/sandbox.md).

pub mod appointment;
pub mod body;
pub mod directory;
#[cfg(test)]
mod fuzz_tests;
pub mod metadata;
pub mod operations;
pub mod patch;
pub mod patient;
pub mod referral;
pub mod response;
pub mod search;
pub mod slot;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::auth::require_bearer;
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

/// The FHIR routes of `org`, relative to its base, in the dialect it speaks.
pub fn router(org: Arc<Organisation>) -> Router {
    crate::dialect::router(org)
}

/// The Argonaut (STU3) routes of `org`.
pub fn argonaut_router(org: Arc<Organisation>) -> Router {
    let mut protected = Router::new()
        .route("/Appointment", get(appointment::search))
        .route(
            "/Appointment/$find",
            get(operations::find_get).post(operations::find_post),
        )
        .route("/Appointment/$hold", post(operations::hold_type))
        .route("/Appointment/$book", post(operations::book_type))
        .route(
            "/Appointment/{id}",
            get(appointment::read).patch(appointment::patch),
        )
        .route("/Appointment/{id}/$hold", post(operations::hold_instance))
        .route("/Appointment/{id}/$book", post(operations::book_instance))
        .route("/Patient", get(patient::search).post(patient::create))
        .route("/Patient/$match", post(patient::match_patients))
        .route("/Patient/{id}", get(patient::read))
        .route("/Coverage", post(patient::coverage_create))
        .route(
            "/Coverage/{id}",
            get(patient::coverage_read).put(patient::coverage_update),
        )
        .route("/ReferralRequest", post(referral::create))
        .route("/ReferralRequest/{id}", get(referral::read))
        .route("/Slot", get(slot::search))
        .route(
            "/Slot/$prefetch",
            get(slot::prefetch_get).post(slot::prefetch_post),
        )
        .route("/Slot/{id}", get(slot::read))
        .route("/Subscription", post(slot::subscription_create))
        .route(
            "/Subscription/{id}",
            get(slot::subscription_read).delete(slot::subscription_delete),
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
        .route("/metadata", get(metadata::capability_statement))
        .with_state(Arc::clone(&org))
        .merge(protected)
        .method_not_allowed_fallback(response::method_not_allowed)
}
