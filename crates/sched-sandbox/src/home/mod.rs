//! The sandbox home organisation (`kind = "home"`): the home EHR's FHIR R4 server that the
//! referral queue works from. It serves Patient, Coverage, ServiceRequest (the referral
//! orders) and Task (one claim per order) with read, search, conditional create and
//! version-checked update, behind the same bearer check as every organisation. Documented in
//! `docs/sandbox-home.md`.

pub mod api;
pub mod batch;
pub mod resource;
pub mod search;
pub mod seed;
pub mod store;
pub mod write;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use http::StatusCode;
use serde_json::{Value, json};

use crate::auth::require_bearer;
use crate::config::OrgConfig;
use crate::error::StoreError;
use crate::fhir::response::{self, fhir_json};
use crate::org::Organisation;
use resource::{is_stu3, types};

/// Creates the home tables and, when the organisation has no resources yet, inserts the seed
/// (inside the caller's transaction, so a restart with a database file neither loses nor
/// repeats it).
pub fn prepare(
    c: &rusqlite::Connection,
    config: &OrgConfig,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    store::migrate(c)?;
    if store::is_empty(c, &config.name)? {
        seed::insert(c, config, now)?;
    }
    Ok(())
}

/// The FHIR routes of the home organisation, relative to its base.
pub fn router(org: Arc<Organisation>) -> Router {
    let mut protected = Router::new();
    for ty in types(org.fhir_version.as_deref()) {
        let typed = Router::new()
            .route(&format!("/{ty}"), get(api::search).post(api::create))
            .route(
                &format!("/{ty}/{{id}}"),
                get(api::read).put(api::update).delete(api::delete),
            )
            .with_state((Arc::clone(&org), ty));
        protected = protected.merge(typed);
    }
    let batch = Router::new()
        .route("/", post(batch::batch))
        .with_state(Arc::clone(&org));
    let protected = protected
        .merge(batch)
        .route_layer(axum::middleware::from_fn_with_state(
            org.auth.clone(),
            require_bearer,
        ));
    Router::new()
        .route("/metadata", get(metadata))
        .with_state(org)
        .merge(protected)
        .method_not_allowed_fallback(response::method_not_allowed)
}

/// `GET /metadata`: an R4 CapabilityStatement with the SMART security block of every
/// organisation and the home resources, their search parameters and includes.
async fn metadata(State(org): State<Arc<Organisation>>) -> Response {
    let base = crate::dialect::r4_common::r4_metadata_base(&org);
    let mut statement = serde_json::to_value(base).unwrap_or_else(|_| json!({}));
    statement["id"] = json!(format!("{}-home-server", org.name));
    statement["name"] = json!(format!("{} home EHR sandbox", org.display));
    if is_stu3(org.fhir_version.as_deref()) {
        statement["fhirVersion"] = json!("3.0.2");
        statement["acceptUnknown"] = json!("extensions");
    }
    if let Some(rest) = statement["rest"].get_mut(0) {
        let stu3 = is_stu3(org.fhir_version.as_deref());
        let served = types(org.fhir_version.as_deref());
        rest["resource"] = Value::Array(served.iter().map(|ty| resource_entry(ty, stu3)).collect());
        // System level: reads and searches in one `batch` Bundle (no transaction).
        if !org.faults.batch_disabled() {
            rest["interaction"] = json!([{"code": "batch"}]);
        }
        if let Some(rest) = rest.as_object_mut() {
            rest.remove("operation");
        }
    }
    fhir_json(StatusCode::OK, &statement)
}

fn resource_entry(ty: &str, stu3: bool) -> Value {
    let token = |n: &str| json!({"name": n, "type": "token"});
    let reference = |n: &str| json!({"name": n, "type": "reference"});
    let mut params = vec![
        token("_id"),
        json!({"name": "_lastUpdated", "type": "date"}),
        token("identifier"),
    ];
    // `special` is R4's search parameter type; STU3 has none for `_sort` (a result parameter).
    if !stu3 {
        params.push(json!({"name": "_sort", "type": "special",
                           "documentation": "_lastUpdated (ascending) only"}));
    }
    let mut includes = Vec::new();
    match ty {
        "ServiceRequest" => {
            params.extend([token("status"), token("intent"), token("category")]);
            params.extend([reference("patient"), reference("subject")]);
            includes = vec!["ServiceRequest:patient", "ServiceRequest:insurance"];
        }
        "ReferralRequest" => {
            params.extend([token("status"), token("intent")]);
            params.extend([reference("patient"), reference("subject")]);
            includes = vec!["ReferralRequest:patient"];
        }
        "Task" => {
            params.extend([token("status"), reference("focus"), reference("owner")]);
            params.push(reference("patient"));
            includes = vec!["Task:focus"];
        }
        "Coverage" => {
            params.extend([
                token("status"),
                reference("patient"),
                reference("beneficiary"),
            ]);
        }
        _ => {}
    }
    let interactions =
        ["read", "search-type", "create", "update", "delete"].map(|c| json!({"code": c}));
    json!({
        "type": ty,
        "interaction": interactions,
        "versioning": "versioned",
        "updateCreate": false,
        "conditionalCreate": true,
        "conditionalUpdate": false,
        "conditionalDelete": "not-supported",
        "searchInclude": includes,
        "searchParam": params,
    })
}
