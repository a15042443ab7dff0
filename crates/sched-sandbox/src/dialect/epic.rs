//! Epic's STU3 variant: `POST Appointment/$find` with `startTime`/`endTime` (valueDateTime),
//! `service-type`/`specialty`/`indications` (valueCodeableConcept), `location-reference`
//! (valueReference), `patient` (valueIdentifier or a Patient resource); `POST
//! Appointment/$book` with `appointment` and `patient` (valueIdentifier holding the FHIR id) and
//! `appointmentNote`; no `$hold`; cancel by PATCH as Argonaut. Every other route is the
//! Argonaut one; the statement names Epic as its software.

use std::sync::Arc;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use fhir_model::{BookParams, FindParams, Patient};
use http::StatusCode;
use serde_json::{Value, json};

use super::params::{
    concept_token, identifier_value, name, op_response, parameters, reference, text, unknown,
};
use crate::auth::{Access, Grant, require_bearer};
use crate::error::FhirError;
use crate::fhir::body::{JsonBody, only_params, query_pairs, single};
use crate::fhir::response::{fhir_json, method_not_allowed};
use crate::org::Organisation;

/// The routes of an organisation speaking this dialect.
pub fn router(org: Arc<Organisation>) -> Router {
    let protected = Router::new()
        .route("/Appointment/$find", post(find))
        .route("/Appointment/$book", post(book))
        .route("/Appointment/$hold", post(no_hold))
        .route("/Appointment/{id}/$hold", post(no_hold))
        .route("/Appointment/{id}/$book", post(no_instance_book))
        .route_layer(axum::middleware::from_fn_with_state(
            org.auth.clone(),
            require_bearer,
        ));
    Router::new()
        .route("/metadata", get(metadata))
        .merge(protected)
        .with_state(Arc::clone(&org))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback_service(crate::fhir::argonaut_router(org))
}

async fn metadata(State(org): State<Arc<Organisation>>) -> Response {
    fhir_json(StatusCode::OK, &statement(&org))
}

/// The Argonaut statement without `$hold`, naming Epic as publisher and software.
pub fn statement(org: &Organisation) -> Value {
    let mut s = serde_json::to_value(crate::fhir::metadata::statement(org)).unwrap_or(Value::Null);
    s["publisher"] = json!("Epic Systems Corporation");
    s["software"] = json!({ "name": "Epic", "version": "November 2026 (sandbox)" });
    if let Some(ops) = s
        .pointer_mut("/rest/0/operation")
        .and_then(Value::as_array_mut)
    {
        ops.retain(|o| o.get("name").and_then(Value::as_str) != Some("hold"));
    }
    s
}

async fn no_hold() -> FhirError {
    FhirError::not_found("this organisation does not hold appointments; book directly")
}

async fn no_instance_book() -> FhirError {
    FhirError::not_found("$book is type-level here: POST Appointment/$book")
}

fn require(grant: &Grant, access: Access) -> Result<(), FhirError> {
    Ok(grant.require("Appointment", access)?)
}

/// Epic `$find` inputs as the desk's common `$find` parameters.
fn find_params(body: &JsonBody, count: Option<u32>) -> Result<FindParams, FhirError> {
    let mut p = FindParams {
        count,
        ..FindParams::default()
    };
    for param in parameters(body)? {
        match name(&param) {
            "startTime" => p.start = Some(text(&param, &["valueDateTime"])?),
            "endTime" => p.end = Some(text(&param, &["valueDateTime"])?),
            "service-type" => p.visit_type.push(concept_token(&param)?),
            "specialty" => p.specialty.push(concept_token(&param)?),
            "indications" => p.reason.push(concept_token(&param)?),
            "location-reference" => p.location_reference.push(reference(&param)?),
            "patient" if param.get("resource").is_some() => {
                let patient: Patient = serde_json::from_value(param["resource"].clone())
                    .map_err(|e| FhirError::bad_request(format!("invalid patient: {e}")))?;
                p.patient_resource.push(patient);
            }
            "patient" => p
                .patient_reference
                .push(format!("Patient/{}", identifier_value(&param)?)),
            "start" | "end" => {
                return Err(unknown(
                    &param,
                    "; this server names them startTime and endTime",
                ));
            }
            _ => return Err(unknown(&param, "")),
        }
    }
    if p.start.is_none() || p.end.is_none() {
        return Err(FhirError::bad_request("startTime and endTime are required"));
    }
    Ok(p)
}

async fn find(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    RawQuery(q): RawQuery,
    body: JsonBody,
) -> Result<Response, FhirError> {
    require(&grant, Access::Search)?;
    org.received.record("find", body.value.clone());
    let pairs = query_pairs(q.as_deref());
    only_params(&pairs, &["_count"])?;
    let count = single(&pairs, "_count")?
        .map(|c| c.parse::<u32>())
        .transpose()
        .map_err(|_| FhirError::bad_request("_count must be a whole number"))?;
    let params = find_params(&body, count)?;
    Ok(fhir_json(StatusCode::OK, &org.find(&params)?))
}

/// Epic `$book` inputs as the desk's common `$book` parameters.
fn book_params(body: &JsonBody) -> Result<BookParams, FhirError> {
    let mut b = BookParams::default();
    for param in parameters(body)? {
        match name(&param) {
            "appointment" => {
                b.appt_id = Some(format!("Appointment/{}", identifier_value(&param)?));
            }
            "patient" => b
                .patient_id
                .push(format!("Patient/{}", identifier_value(&param)?)),
            "appointmentNote" => b.comment = Some(text(&param, &["valueString"])?),
            _ => return Err(unknown(&param, "")),
        }
    }
    if b.appt_id.is_none() {
        return Err(FhirError::bad_request(
            "the appointment parameter is required",
        ));
    }
    Ok(b)
}

async fn book(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require_any(&[
        ("Appointment", Access::Create),
        ("Appointment", Access::Update),
    ])?;
    org.received.record("book", body.value.clone());
    let params = book_params(&body)?;
    Ok(op_response(&org, org.book(&params, None)?, false, |_| {}))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn body(parameter: Value) -> JsonBody {
        JsonBody {
            value: json!({ "resourceType": "Parameters", "parameter": parameter }),
            media_type: "application/fhir+json".to_owned(),
        }
    }

    #[test]
    fn epic_names_are_required_and_argonaut_names_refused() {
        let ok = body(json!([
            { "name": "startTime", "valueDateTime": "2030-01-07T00:00:00Z" },
            { "name": "endTime", "valueDateTime": "2030-01-09T00:00:00Z" },
            { "name": "service-type", "valueCodeableConcept": { "coding": [{ "system": "s", "code": "c" }] } },
            { "name": "patient", "valueIdentifier": { "value": "p1" } },
        ]));
        let p = find_params(&ok, Some(3)).unwrap();
        assert_eq!(p.patient_reference, ["Patient/p1"]);
        assert_eq!(p.visit_type[0].code, "c");
        let argonaut = body(json!([
            { "name": "start", "valueDateTime": "2030-01-07T00:00:00Z" },
            { "name": "end", "valueDateTime": "2030-01-09T00:00:00Z" },
        ]));
        let err = find_params(&argonaut, None).unwrap_err();
        assert!(err.outcome.text().contains("startTime"), "{err}");
        let token_string = body(json!([{ "name": "service-type", "valueString": "s|c" }]));
        assert!(find_params(&token_string, None).is_err());
        let book = body(json!([{ "name": "appointment", "valueUri": "Appointment/1" }]));
        assert!(
            book_params(&book).is_err(),
            "appointment is a valueIdentifier"
        );
    }
}
