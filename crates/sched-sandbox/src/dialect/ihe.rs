//! IHE ITI Scheduling 1.0 (R4): ITI-115 `POST Appointment/$find` (no GET), ITI-116 `POST
//! Appointment/$hold` with `appointment-reference`, ITI-117 `POST Appointment/$book` with
//! `appointment-reference` or `appointment-resource` (status `cancelled` cancels), plus
//! `patient-resource` and `comment`. Inputs must carry the value types of IHE's
//! OperationDefinitions; answers are R4 (`fhirVersion` 4.0.1). An unsuccessful hold or book
//! answers a Bundle holding only the OperationOutcome. The other routes are served by the
//! common REST handlers.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use fhir_model::{Appointment, BookParams, FindParams, HoldParams, Identifier, Patient, r4, urls};
use http::StatusCode;
use serde_json::{Value, json};

use super::params::{name, op_response, parameters, reference, text, token_text, unknown, value};
use crate::auth::{Access, Grant, require_bearer};
use crate::error::FhirError;
use crate::fhir::body::JsonBody;
use crate::fhir::response::{fhir_json, method_not_allowed};
use crate::org::Organisation;

/// IHE's OperationDefinition canonicals, declared on Appointment in `/metadata`.
pub const OPDEF_BASE: &str = "https://profiles.ihe.net/ITI/Scheduling/OperationDefinition/";

/// The routes of an organisation speaking this dialect.
pub fn router(org: Arc<Organisation>) -> Router {
    let protected = Router::new()
        .route("/Appointment/$find", post(find))
        .route("/Appointment/$hold", post(hold))
        .route("/Appointment/$book", post(book))
        .route_layer(axum::middleware::from_fn_with_state(
            org.auth.clone(),
            require_bearer,
        ));
    Router::new()
        .route("/metadata", get(metadata))
        .merge(protected)
        .with_state(Arc::clone(&org))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback_service(super::r4_common::common_routes(org))
}

async fn metadata(State(org): State<Arc<Organisation>>) -> Response {
    fhir_json(StatusCode::OK, &statement(&org))
}

/// The R4 statement of the common routes plus the IHE operations on Appointment, by their
/// canonicals (cancel goes through `$book`: no Appointment patch).
pub fn statement(org: &Organisation) -> Value {
    let mut base = super::r4_common::r4_metadata_base(org);
    base.implementation_guide = vec![
        "https://profiles.ihe.net/ITI/Scheduling/ImplementationGuide/ihe.iti.scheduling".to_owned(),
    ];
    let mut s = serde_json::to_value(base).unwrap_or(Value::Null);
    let resources = s
        .pointer_mut("/rest/0/resource")
        .and_then(Value::as_array_mut);
    for r in resources.into_iter().flatten() {
        if r["type"] == "Appointment" {
            r["operation"] = ["find", "hold", "book"]
                .iter()
                .map(|n| json!({ "name": n, "definition": format!("{OPDEF_BASE}appointment-{n}") }))
                .collect();
        }
    }
    s
}

/// Rewrites an STU3 resource (a Bundle of Appointments and OperationOutcomes) as R4.
pub fn to_r4(v: &mut Value) {
    if let Ok(stu3) = fhir_model::Resource::from_json_value(v.clone())
        && let Ok(r4) = serde_json::to_value(r4::Resource::from_stu3(&stu3))
    {
        *v = r4;
    }
}

/// An R4 resource of a Parameters body read as its STU3 twin.
fn from_r4<T: serde::de::DeserializeOwned>(v: &Value, what: &str) -> Result<T, FhirError> {
    let bad = |e: String| FhirError::bad_request(format!("invalid {what}: {e}"));
    let stu3 = r4::Resource::from_json(v.clone())
        .and_then(|r| r.to_stu3())
        .map_err(|e| bad(e.to_string()))?;
    let json = serde_json::to_value(stu3).map_err(|e| bad(e.to_string()))?;
    serde_json::from_value(json).map_err(|e| bad(e.to_string()))
}

fn require_write(grant: &Grant) -> Result<(), FhirError> {
    Ok(grant.require_any(&[
        ("Appointment", Access::Create),
        ("Appointment", Access::Update),
    ])?)
}

/// ITI-115 inputs as the desk's common `$find` parameters.
fn find_params(body: &JsonBody) -> Result<FindParams, FhirError> {
    let mut p = FindParams::default();
    for param in parameters(body)? {
        let instant = ["valueDateTime", "valueInstant"];
        match name(&param) {
            "start" => p.start = Some(text(&param, &instant)?),
            "end" => p.end = Some(text(&param, &instant)?),
            "specialty" => p.specialty.push(token_text(&param)?),
            "visit-type" => p.visit_type.push(token_text(&param)?),
            "reason" => p.reason.push(token_text(&param)?),
            "practitioner" => p.practitioner.push(reference(&param)?),
            "organization" => p.organization.push(reference(&param)?),
            "location-reference" => p.location_reference.push(reference(&param)?),
            "patient-reference" => p.patient_reference.push(reference(&param)?),
            "location-string" => p.location_string.push(text(&param, &["valueString"])?),
            "patient-resource" => {
                let patient: Patient =
                    serde_json::from_value(value(&param, &["resource"])?.clone()).map_err(|e| {
                        FhirError::bad_request(format!("invalid patient-resource: {e}"))
                    })?;
                p.patient_resource.push(patient);
            }
            // Accepted and noted: this sandbox's rules take every plan.
            "insurance-reference" => {
                value(&param, &["valueReference"])?;
            }
            "referral-identifier" => {
                let id: Identifier = serde_json::from_value(
                    value(&param, &["valueIdentifier"])?.clone(),
                )
                .map_err(|e| FhirError::bad_request(format!("invalid referral-identifier: {e}")))?;
                p.referral_identifier = Some(id);
            }
            "timing" => p.timing = Some(value(&param, &["valueTiming"])?.clone()),
            "_count" => {
                let n = value(&param, &["valueInteger"])?.as_u64().unwrap_or(0);
                p.count = Some(u32::try_from(n).unwrap_or(u32::MAX));
            }
            _ => return Err(unknown(&param, "")),
        }
    }
    if p.start.is_none() || p.end.is_none() {
        return Err(FhirError::bad_request("start and end are required"));
    }
    Ok(p)
}

async fn find(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require("Appointment", Access::Search)?;
    org.received.record("find", body.value.clone());
    let params = find_params(&body)?;
    let mut json = serde_json::to_value(org.find(&params)?).map_err(|_| FhirError::internal())?;
    json["meta"] = json!({ "profile": ["https://profiles.ihe.net/ITI/Scheduling/StructureDefinition/ihe-sched-avail-bundle"] });
    to_r4(&mut json);
    Ok(fhir_json(StatusCode::OK, &json))
}

/// The single `appointment-reference`, as `Appointment/id`.
fn appointment_reference(params: &[Value]) -> Result<Option<String>, FhirError> {
    let mut found = None;
    for p in params.iter().filter(|p| name(p) == "appointment-reference") {
        if found.replace(reference(p)?).is_some() {
            return Err(FhirError::bad_request(
                "appointment-reference may appear only once",
            ));
        }
    }
    Ok(found)
}

async fn hold(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    body: JsonBody,
) -> Result<Response, FhirError> {
    require_write(&grant)?;
    org.received.record("hold", body.value.clone());
    let params = parameters(&body)?;
    if let Some(p) = params.iter().find(|p| name(p) != "appointment-reference") {
        return Err(unknown(p, ""));
    }
    let appt_id = appointment_reference(&params)?
        .ok_or_else(|| FhirError::bad_request("appointment-reference is required"))?;
    let hold = HoldParams {
        appt_id: Some(appt_id),
        appt_resource: None,
    };
    Ok(op_response(&org, org.hold(&hold, None)?, true, to_r4))
}

/// ITI-117 inputs: what to book, or the appointment to cancel (resource, status cancelled).
fn book_params(params: &[Value]) -> Result<(BookParams, Option<Appointment>), FhirError> {
    let mut b = BookParams {
        appt_id: appointment_reference(params)?,
        ..BookParams::default()
    };
    let mut cancel = None;
    for p in params {
        match name(p) {
            "appointment-reference" => {}
            "appointment-resource" => {
                let a: Appointment = from_r4(value(p, &["resource"])?, "appointment-resource")?;
                if a.status == "cancelled" {
                    cancel = Some(a);
                } else {
                    b.appt_resource = Some(a);
                }
            }
            "patient-resource" => {
                let id = value(p, &["resource"])?["id"].as_str().map(str::to_owned);
                let id = id.ok_or_else(|| {
                    FhirError::bad_request("patient-resource needs the id of a registered Patient")
                })?;
                b.patient_id.push(format!("Patient/{id}"));
            }
            "comment" => b.comment = Some(text(p, &["valueString"])?),
            _ => return Err(unknown(p, "")),
        }
    }
    if b.appt_id.is_none() && b.appt_resource.is_none() && cancel.is_none() {
        return Err(FhirError::bad_request(
            "appointment-reference or appointment-resource is required",
        ));
    }
    Ok((b, cancel))
}

async fn book(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    body: JsonBody,
) -> Result<Response, FhirError> {
    require_write(&grant)?;
    org.received.record("book", body.value.clone());
    let (params, cancel) = book_params(&parameters(&body)?)?;
    if let Some(a) = cancel {
        return cancel_through_book(&org, &a);
    }
    Ok(op_response(&org, org.book(&params, None)?, true, to_r4))
}

/// Cancels the stored appointment `a` names (the same rules as a PATCH cancel).
fn cancel_through_book(org: &Organisation, a: &Appointment) -> Result<Response, FhirError> {
    let id =
        a.id.as_deref()
            .ok_or_else(|| FhirError::bad_request("the appointment to cancel has no id"))?;
    let reason = a
        .extension
        .iter()
        .find(|e| e.url == urls::EXT_STATUS_REASON)
        .cloned();
    let stored = org.patch_appointment(id, None, |mut doc| {
        doc["status"] = json!("cancelled");
        if let Some(r) = reason {
            let ext = serde_json::to_value(r).map_err(|_| FhirError::internal())?;
            match doc.get_mut("extension").and_then(Value::as_array_mut) {
                Some(list) => list.push(ext),
                None => doc["extension"] = json!([ext]),
            }
        }
        Ok(doc)
    })?;
    let mut json = serde_json::to_value(org.avail_bundle(vec![stored.resource], &[]))
        .map_err(|_| FhirError::internal())?;
    to_r4(&mut json);
    Ok(fhir_json(StatusCode::OK, &json))
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
    fn find_inputs_must_carry_the_types_ihe_declares() {
        let window = json!([
            { "name": "start", "valueDateTime": "2030-01-07T00:00:00Z" },
            { "name": "end", "valueInstant": "2030-01-09T00:00:00Z" },
        ]);
        let with = |extra: Value| {
            let mut list = window.as_array().unwrap().clone();
            list.push(extra);
            body(Value::Array(list))
        };
        let ok = find_params(&with(
            json!({ "name": "practitioner", "valueReference": { "reference": "Practitioner/1" } }),
        ));
        assert_eq!(ok.unwrap().practitioner, ["Practitioner/1"]);
        let refused = [
            json!({ "name": "specialty", "valueCodeableConcept": { "coding": [{ "code": "x" }] } }),
            json!({ "name": "practitioner", "valueUri": "Practitioner/1" }),
            json!({ "name": "referral-identifier", "valueString": "R-1" }),
            json!({ "name": "coverage", "resource": { "resourceType": "Coverage" } }),
        ];
        for p in refused {
            let err = find_params(&with(p.clone())).unwrap_err();
            assert_eq!(err.status, StatusCode::BAD_REQUEST, "{p}");
        }
        assert!(
            find_params(&body(json!([]))).is_err(),
            "start and end are required"
        );
    }

    #[test]
    fn book_refuses_argonaut_names_and_reads_a_cancel() {
        let argonaut = [json!({ "name": "appt-id", "valueUri": "Appointment/1" })];
        assert!(book_params(&argonaut).is_err());
        let cancel = [json!({ "name": "appointment-resource", "resource": {
            "resourceType": "Appointment", "id": "a1", "status": "cancelled",
            "start": "2030-01-07T09:00:00Z", "participant": [{ "status": "accepted" }]
        }})];
        let (_, cancelled) = book_params(&cancel).unwrap();
        assert_eq!(cancelled.unwrap().id.as_deref(), Some("a1"));
    }
}
