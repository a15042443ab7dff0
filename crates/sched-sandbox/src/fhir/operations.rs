//! The Argonaut operations on Appointment:
//! - `GET|POST [base]/Appointment/$find` (appointment-find): every OperationDefinition input;
//!   on POST `_count` comes from the URL
//! - `POST [base]/Appointment/$hold`, `POST [base]/Appointment/[id]/$hold` (appointment-hold)
//! - `POST [base]/Appointment/$book`, `POST [base]/Appointment/[id]/$book` (appointment-book)
//!
//! A refused `$hold`/`$book` answers HTTP 200 with the avail-bundle whose Appointment is
//! `cancelled` plus an error OperationOutcome, as the OperationDefinitions describe; request
//! errors (unknown id, bad parameters) are 4xx with an OperationOutcome.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use fhir_model::{BookParams, BundleEntry, FindParams, HoldParams, Parameters};
use http::{HeaderValue, StatusCode, header};

use super::body::{JsonBody, query_pairs};
use super::response::fhir_json;
use crate::auth::{Access, Grant};
use crate::error::FhirError;
use crate::org::Organisation;
use crate::org::booking::OpResult;
use crate::org::find::mode;

pub async fn find_get(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    RawQuery(q): RawQuery,
) -> Result<Response, FhirError> {
    grant.require("Appointment", Access::Search)?;
    let params = FindParams::from_query(&query_pairs(q.as_deref()))?;
    // A GET carries its inputs in the URL: recorded as the Parameters they stand for.
    if let Ok(body) = serde_json::to_value(params.to_parameters()) {
        org.received.record("find", body);
    }
    Ok(fhir_json(StatusCode::OK, &org.find(&params)?))
}

pub async fn find_post(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    RawQuery(q): RawQuery,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require("Appointment", Access::Search)?;
    org.received.record("find", body.value.clone());
    let url = FindParams::from_query(&query_pairs(q.as_deref()))?;
    if url
        != (FindParams {
            count: url.count,
            ..FindParams::default()
        })
    {
        return Err(FhirError::bad_request(
            "on POST only _count belongs in the URL; send the other inputs in the Parameters body",
        ));
    }
    let mut params = FindParams::from_parameters(&body.typed::<Parameters>("Parameters")?)?;
    if url.count.is_some() && params.count.is_some() {
        return Err(FhirError::bad_request(
            "_count given both in the URL and in the body",
        ));
    }
    params.count = params.count.or(url.count);
    Ok(fhir_json(StatusCode::OK, &org.find(&params)?))
}

/// `$hold`/`$book` need to create or update appointments.
fn require_write(grant: &Grant) -> Result<(), FhirError> {
    Ok(grant.require_any(&[
        ("Appointment", Access::Create),
        ("Appointment", Access::Update),
    ])?)
}

fn no_extra_query(q: Option<&str>) -> Result<(), FhirError> {
    match query_pairs(q)
        .iter()
        .find(|(k, _)| !matches!(k.as_str(), "_format" | "_pretty"))
    {
        Some((k, _)) => Err(FhirError::bad_request(format!(
            "unknown parameter '{k}' in the URL"
        ))),
        None => Ok(()),
    }
}

async fn hold(
    org: Arc<Organisation>,
    grant: Grant,
    id: Option<String>,
    q: Option<String>,
    body: Option<JsonBody>,
) -> Result<Response, FhirError> {
    require_write(&grant)?;
    if org.faults.hold_disabled() {
        return Err(FhirError::not_found(
            "$hold is not supported by this organisation; use $book",
        ));
    }
    no_extra_query(q.as_deref())?;
    if let Some(b) = &body {
        org.received.record("hold", b.value.clone());
    }
    let params = match &body {
        Some(b) if !b.value.is_null() => HoldParams::from_body(&b.resource()?)?,
        _ if id.is_some() => HoldParams::default(),
        _ => {
            return Err(FhirError::bad_request(
                "a Parameters body with appt-id or appt-resource is required",
            ));
        }
    };
    Ok(op_response(&org, org.hold(&params, id.as_deref())?))
}

pub async fn hold_type(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    RawQuery(q): RawQuery,
    body: JsonBody,
) -> Result<Response, FhirError> {
    hold(org, grant, None, q, Some(body)).await
}

pub async fn hold_instance(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    body: JsonBody,
) -> Result<Response, FhirError> {
    hold(org, grant, Some(id), q, Some(body)).await
}

async fn book(
    org: Arc<Organisation>,
    grant: Grant,
    id: Option<String>,
    q: Option<String>,
    body: JsonBody,
) -> Result<Response, FhirError> {
    require_write(&grant)?;
    no_extra_query(q.as_deref())?;
    org.received.record("book", body.value.clone());
    let params = BookParams::from_body(&body.resource()?)?;
    Ok(op_response(&org, org.book(&params, id.as_deref())?))
}

pub async fn book_type(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    RawQuery(q): RawQuery,
    body: JsonBody,
) -> Result<Response, FhirError> {
    book(org, grant, None, q, body).await
}

pub async fn book_instance(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    body: JsonBody,
) -> Result<Response, FhirError> {
    book(org, grant, Some(id), q, body).await
}

/// The avail-bundle of a `$hold`/`$book` answer, with `Expires` for an accepted hold.
fn op_response(org: &Organisation, r: OpResult) -> Response {
    let mut bundle = org.avail_bundle(vec![r.appointment], &[]);
    bundle
        .entry
        .retain(|e| e.search.as_ref().and_then(|s| s.mode.as_deref()) == Some("match"));
    bundle.entry.push(BundleEntry {
        resource: Some(r.outcome.into()),
        search: Some(mode("outcome")),
        ..BundleEntry::default()
    });
    let mut response = fhir_json(StatusCode::OK, &bundle);
    if let Some(expires) = r.expires {
        let when = std::time::SystemTime::UNIX_EPOCH
            + std::time::Duration::from_secs(u64::try_from(expires.timestamp()).unwrap_or(0));
        if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(when)) {
            response.headers_mut().insert(header::EXPIRES, v);
        }
    }
    response
}
