//! IHE ITI Scheduling (R4): ITI-115 `$find` (POST), ITI-116 `$hold`, ITI-117 `$book`, ITI-118 search, R4 resources.
//!
//! Not built yet: serves the Argonaut routes, so the organisation still answers.

use std::sync::Arc;

use axum::Router;

use crate::org::Organisation;

/// The routes of an organisation speaking this dialect.
pub fn router(org: Arc<Organisation>) -> Router {
    crate::fhir::argonaut_router(org)
}
