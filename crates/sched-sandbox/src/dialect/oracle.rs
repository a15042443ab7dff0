//! Oracle Health Millennium R4: Slot search requiring service-type (each parameter once), Slot
//! PATCH holds with If-Match required, POST Appointment with exactly one slot and one accepted
//! patient, PATCH cancel with If-Match; 409 for a stale version, 412 without If-Match. The
//! routes are plain R4's: the handlers apply Oracle's rules when the organisation speaks it.

use std::sync::Arc;

use axum::Router;

use crate::org::Organisation;

/// The routes of an organisation speaking this dialect.
pub fn router(org: Arc<Organisation>) -> Router {
    super::plain_r4::router(org)
}
