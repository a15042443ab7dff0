//! `POST [base]` with a `batch` Bundle: the home answers several reads and searches in one
//! round trip (the desk's queue refresh asks for changed orders and changed claims together).
//! Each entry is decided on its own, with the same scope checks as the request alone; an entry
//! that fails carries its status and OperationOutcome and the others still answer.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::StatusCode;
use serde_json::{Value, json};

use super::api::{read_row, search_bundle};
use super::resource::types;
use crate::auth::Grant;
use crate::error::FhirError;
use crate::fhir::response::fhir_json;
use crate::org::Organisation;

/// Most entries one batch may carry.
const MAX_ENTRIES: usize = 100;

/// `POST [base]`: a `batch-response` Bundle with one entry per request entry, in order.
pub async fn batch(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    body: Bytes,
) -> Result<Response, FhirError> {
    if org.faults.batch_disabled() {
        return Err(FhirError::not_found(
            "this server does not accept batch Bundles",
        ));
    }
    let bundle: Value = serde_json::from_slice(&body)
        .map_err(|_| FhirError::bad_request("the body is not JSON"))?;
    if bundle["resourceType"] != "Bundle" {
        return Err(FhirError::bad_request("the body must be a Bundle"));
    }
    if bundle["type"] != "batch" {
        return Err(FhirError::new(
            StatusCode::BAD_REQUEST,
            "not-supported",
            "only batch Bundles are accepted here (no transaction)",
        ));
    }
    let entries = bundle["entry"].as_array().cloned().unwrap_or_default();
    if entries.len() > MAX_ENTRIES {
        return Err(FhirError::bad_request(format!(
            "a batch may carry at most {MAX_ENTRIES} entries"
        )));
    }
    let answers: Vec<Value> = entries
        .iter()
        .map(|e| match answer(&org, &grant, &e["request"]) {
            Ok(entry) => entry,
            Err(e) => failed(&e),
        })
        .collect();
    Ok(fhir_json(
        StatusCode::OK,
        &json!({"resourceType": "Bundle", "type": "batch-response", "entry": answers}),
    ))
}

/// One entry's answer: a read (`Type/id`) or a search (`Type?…`), GET only.
fn answer(org: &Organisation, grant: &Grant, request: &Value) -> Result<Value, FhirError> {
    if request["method"] != "GET" {
        return Err(FhirError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "not-supported",
            "a batch entry here may only GET (read or search)",
        ));
    }
    let url = request["url"]
        .as_str()
        .ok_or_else(|| FhirError::bad_request("a batch entry needs request.url"))?;
    let url = url.strip_prefix(org.base.as_str()).unwrap_or(url);
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let unknown = || FhirError::not_found(format!("{path} is not a resource type here"));
    let ty = parts
        .first()
        .and_then(|t| {
            types(org.fhir_version.as_deref())
                .into_iter()
                .find(|known| known == t)
        })
        .ok_or_else(unknown)?;
    match parts.as_slice() {
        [_] => Ok(json!({
            "resource": search_bundle(org, grant, ty, query)?,
            "response": {"status": "200 OK"},
        })),
        [_, id] => {
            let row = read_row(org, grant, ty, id)?;
            Ok(json!({
                "fullUrl": org.full_url(ty, id),
                "resource": row.json,
                "response": {"status": "200 OK", "etag": format!("W/\"{}\"", row.version)},
            }))
        }
        _ => Err(unknown()),
    }
}

fn failed(e: &FhirError) -> Value {
    let status = format!(
        "{} {}",
        e.status.as_u16(),
        e.status.canonical_reason().unwrap_or_default()
    );
    json!({"response": {"status": status, "outcome": e.outcome}})
}
