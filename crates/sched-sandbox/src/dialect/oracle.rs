//! Oracle Health Millennium R4: Slot search requiring service-type, Slot PATCH holds with If-Match, POST Appointment with one slot and one patient, PATCH cancel; 409/412/423.
//!
//! Not built yet: serves the Argonaut routes, so the organisation still answers.

use std::sync::Arc;

use axum::Router;

use crate::org::Organisation;

/// The routes of an organisation speaking this dialect.
pub fn router(org: Arc<Organisation>) -> Router {
    crate::fhir::argonaut_router(org)
}
