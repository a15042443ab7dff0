//! The organisation's FHIR API in the dialect it speaks. Every dialect serves the same
//! scheduling rules (`org/`): only the wire differs (parameter names and types, R4 or STU3
//! resources, how holds, bookings and cancels are asked for).

pub mod epic;
pub mod ihe;
pub mod oracle;
pub mod params;
pub mod plain_r4;
pub mod r4_common;

use std::sync::Arc;

use axum::Router;

use crate::config::SandboxDialect;
use crate::org::Organisation;

/// The FHIR routes of `org`, relative to its base.
pub fn router(org: Arc<Organisation>) -> Router {
    if org.kind == crate::config::OrgKind::Home {
        return crate::home::router(org);
    }
    match org.dialect {
        SandboxDialect::Argonaut => crate::fhir::argonaut_router(org),
        SandboxDialect::IheIti => ihe::router(org),
        SandboxDialect::PlainR4 => plain_r4::router(org),
        SandboxDialect::Epic => epic::router(org),
        SandboxDialect::Oracle => oracle::router(org),
    }
}
