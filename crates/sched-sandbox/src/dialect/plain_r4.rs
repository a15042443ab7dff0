//! Plain FHIR R4: Slot search with `_include`, Slot update with If-Match, Appointment create, transaction Bundles, R4 resources.
//!
//! Not built yet: serves the Argonaut routes, so the organisation still answers.

use std::sync::Arc;

use axum::Router;

use crate::org::Organisation;

/// The routes of an organisation speaking this dialect.
pub fn router(org: Arc<Organisation>) -> Router {
    crate::fhir::argonaut_router(org)
}
