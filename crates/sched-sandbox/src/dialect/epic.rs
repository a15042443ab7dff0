//! Epic's STU3 variant: `$find` with startTime/endTime/service-type, `$book` with patient/appointment/appointmentNote, no `$hold`.
//!
//! Not built yet: serves the Argonaut routes, so the organisation still answers.

use std::sync::Arc;

use axum::Router;

use crate::org::Organisation;

/// The routes of an organisation speaking this dialect.
pub fn router(org: Arc<Organisation>) -> Router {
    crate::fhir::argonaut_router(org)
}
