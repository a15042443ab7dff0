//! Plain FHIR R4: Slot search with `_include`, Slot update with If-Match (holds), Appointment
//! create, update and patch, transaction Bundles, R4 resources. The rules are the shared ones
//! (`org/`, `r4_rules`): only the wire is R4.

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post, put};

use super::{r4_common, r4_http, r4_metadata, r4_slot};
use crate::auth::require_bearer;
use crate::fhir::response;
use crate::org::Organisation;

/// The routes of an organisation speaking plain R4 (Oracle shares them; its stricter rules
/// are decided by `Organisation::dialect` inside the handlers): the common R4 REST subset
/// (`r4_common`: Patient, Coverage, Appointment read/search, directory) plus the scheduling
/// writes and the fast Slot search.
pub fn router(org: Arc<Organisation>) -> Router {
    let scheduling = Router::new()
        .route("/", post(r4_http::transaction))
        .route("/Slot", get(r4_slot::search))
        .route(
            "/Slot/{id}",
            get(r4_slot::read)
                .put(r4_slot::update)
                .patch(r4_slot::update),
        )
        .route("/Appointment", post(r4_http::create))
        .route(
            "/Appointment/{id}",
            put(r4_http::update).patch(r4_http::update),
        )
        .with_state(Arc::clone(&org))
        .route_layer(axum::middleware::from_fn_with_state(
            org.auth.clone(),
            require_bearer,
        ));
    Router::new()
        .route("/metadata", get(r4_metadata::capability_statement))
        .with_state(Arc::clone(&org))
        .merge(r4_common::common_routes(Arc::clone(&org)))
        .merge(scheduling)
        .method_not_allowed_fallback(response::method_not_allowed)
}
