//! Plain-R4 and Oracle Appointment writes and transactions:
//! - `POST [base]/Appointment` (status booked, with `slot` references): 201 + Location
//! - `PUT`/`PATCH [base]/Appointment/{id}` (JSON Patch) with `If-Match`: cancel, freeing slots
//! - `GET [base]/Appointment/{id}`, `GET [base]/Appointment?_id&patient&status`
//! - `POST [base]` transaction Bundle: `PUT`/`PATCH Slot`, `POST Appointment`,
//!   `PUT`/`PATCH Appointment` entries, all or nothing (hl7.org/fhir/R4/http.html#transaction)

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use fhir_model::Reference;
use http::{HeaderMap, Method, StatusCode, header};
use serde_json::{Value, json};

use super::r4_json;
use super::r4_rules::{Change, Done, Edit};
use crate::auth::{Access, Grant};
use crate::error::FhirError;
use crate::fhir::body::{JsonBody, only_params, query_pairs, values};
use crate::fhir::response::{fhir_json, with_etag, with_location};
use crate::org::Organisation;
use crate::store::{get_appointment, list_appointments};

/// The `If-Match` header, if sent.
pub fn if_match(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::IF_MATCH)
        .map(|v| v.to_str().unwrap_or("?").to_owned())
}

/// The edit a PUT (whole `ty` resource) or PATCH (JSON Patch) body asks for.
pub fn edit_of(method: &Method, body: &JsonBody, ty: &str) -> Result<Edit, FhirError> {
    if *method == Method::PATCH {
        if body.media_type != "application/json-patch+json" {
            return Err(FhirError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "not-supported",
                "send the PATCH as application/json-patch+json",
            ));
        }
        return Ok(Edit::Patch(body.value.clone()));
    }
    if body.value.get("resourceType").and_then(Value::as_str) != Some(ty) {
        return Err(FhirError::bad_request(format!(
            "expected resourceType {ty}"
        )));
    }
    Ok(Edit::Put(body.value.clone()))
}

fn respond(org: &Organisation, done: Done) -> Response {
    let r = with_etag(fhir_json(done.status, &done.resource), done.version);
    match &done.location {
        Some(l) => with_location(r, &format!("{}/{l}", org.base)),
        None => r,
    }
}

/// Runs one change on its own.
pub fn apply_one(org: &Organisation, change: Change) -> Result<Response, FhirError> {
    let done = org
        .r4_apply(std::slice::from_ref(&change))
        .map_err(|f| f.error)?;
    let first = done.into_iter().next().ok_or_else(FhirError::internal)?;
    Ok(respond(org, first))
}

pub async fn create(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require("Appointment", Access::Create)?;
    org.received.record("book", body.value.clone());
    apply_one(&org, Change::Book(body.value))
}

pub async fn update(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require("Appointment", Access::Update)?;
    let edit = edit_of(&method, &body, "Appointment")?;
    apply_one(
        &org,
        Change::Update {
            id,
            if_match: if_match(&headers),
            edit,
        },
    )
}

pub async fn read(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    grant.require("Appointment", Access::Read)?;
    org.expire_holds()?;
    let s = org
        .store
        .read(|c| get_appointment(c, &org.name, &id))?
        .ok_or_else(|| FhirError::not_found(format!("Appointment/{id} not found")))?;
    Ok(with_etag(
        fhir_json(
            StatusCode::OK,
            &r4_json::appointment(&s.resource, s.version)?,
        ),
        s.version,
    ))
}

pub async fn search(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    RawQuery(q): RawQuery,
) -> Result<Response, FhirError> {
    grant.require("Appointment", Access::Search)?;
    let pairs = query_pairs(q.as_deref());
    only_params(&pairs, &["_id", "patient", "status"])?;
    let ids: Vec<&str> = values(&pairs, "_id").flat_map(|v| v.split(',')).collect();
    let statuses: Vec<&str> = values(&pairs, "status")
        .flat_map(|v| v.split(','))
        .collect();
    let patients: Vec<String> = values(&pairs, "patient")
        .flat_map(|v| v.split(','))
        .map(|p| format!("Patient/{}", p.rsplit('/').next().unwrap_or(p)))
        .collect();
    org.expire_holds()?;
    let all = org.store.read(|c| list_appointments(c, &org.name))?;
    let mut entries = Vec::new();
    for s in all {
        let a = &s.resource;
        let has_patient = a.participant.iter().any(|p| {
            p.actor
                .as_ref()
                .and_then(Reference::local)
                .is_some_and(|(t, id)| patients.contains(&format!("{t}/{id}")))
        });
        if (ids.is_empty() || ids.contains(&s.id()))
            && (statuses.is_empty() || statuses.contains(&a.status.as_str()))
            && (patients.is_empty() || has_patient)
        {
            entries.push(json!({
                "fullUrl": org.full_url("Appointment", s.id()),
                "resource": r4_json::appointment(a, s.version)?,
                "search": {"mode": "match"},
            }));
        }
    }
    let bundle = json!({"resourceType": "Bundle", "type": "searchset", "total": entries.len(), "entry": entries});
    Ok(fhir_json(StatusCode::OK, &bundle))
}

/// One transaction entry as a change.
fn change_of(entry: &Value) -> Result<Change, FhirError> {
    let request = entry
        .get("request")
        .ok_or_else(|| FhirError::bad_request("every entry needs a request"))?;
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let url = request
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let if_match = request
        .get("ifMatch")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let resource = entry.get("resource").cloned().unwrap_or(Value::Null);
    let path = url.split('?').next().unwrap_or_default().trim_matches('/');
    let (ty, id) = match path.split_once('/') {
        Some((t, i)) => (t, Some(i.to_owned())),
        None => (path, None),
    };
    let edit = || match method {
        "PATCH" => {
            let patch = resource
                .get("data")
                .and_then(Value::as_str)
                .and_then(base64_json)
                .unwrap_or_else(|| resource.clone());
            Ok(Edit::Patch(patch))
        }
        "PUT" if resource.get("resourceType").and_then(Value::as_str) == Some(ty) => {
            Ok(Edit::Put(resource.clone()))
        }
        _ => Err(FhirError::bad_request(format!(
            "{method} {url} needs a {ty} resource"
        ))),
    };
    match (method, ty, id) {
        ("POST", "Appointment", None) => Ok(Change::Book(resource.clone())),
        ("PUT" | "PATCH", "Slot", Some(id)) => Ok(Change::Slot {
            id,
            if_match,
            edit: edit()?,
        }),
        ("PUT" | "PATCH", "Appointment", Some(id)) => Ok(Change::Update {
            id,
            if_match,
            edit: edit()?,
        }),
        _ => Err(FhirError::new(
            StatusCode::BAD_REQUEST,
            "not-supported",
            format!("{method} {url} is not supported in a transaction here"),
        )),
    }
}

/// A JSON Patch sent as a Binary (base64 `data`), as R4 transactions carry patches.
fn base64_json(data: &str) -> Option<Value> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn entry_label(entry: &Value) -> String {
    let r = entry.get("request");
    let m = r
        .and_then(|r| r.get("method"))
        .and_then(Value::as_str)
        .unwrap_or("?");
    let u = r
        .and_then(|r| r.get("url"))
        .and_then(Value::as_str)
        .unwrap_or("?");
    format!("{m} {u}")
}

fn named(i: usize, entry: &Value, e: FhirError) -> FhirError {
    let code = e
        .outcome
        .issue
        .first()
        .map_or("invalid", |x| x.code.as_str())
        .to_owned();
    let mut named = FhirError::new(
        e.status,
        &code,
        format!(
            "entry {} ({}): {}",
            i + 1,
            entry_label(entry),
            e.outcome.text()
        ),
    );
    if let Some(issue) = named.outcome.issue.first_mut() {
        issue.expression.push(format!("Bundle.entry[{i}]"));
    }
    named
}

/// `POST [base]` with a transaction Bundle.
pub async fn transaction(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    body: JsonBody,
) -> Result<Response, FhirError> {
    let b = &body.value;
    org.received.record("book", b.clone());
    if b.get("resourceType").and_then(Value::as_str) != Some("Bundle")
        || b.get("type").and_then(Value::as_str) != Some("transaction")
    {
        return Err(FhirError::bad_request(
            "POST [base] takes a transaction Bundle",
        ));
    }
    let entries = b
        .get("entry")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut changes = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let change = change_of(e).map_err(|x| named(i, e, x))?;
        let (ty, access) = match &change {
            Change::Slot { .. } => ("Slot", Access::Update),
            Change::Book(_) => ("Appointment", Access::Create),
            Change::Update { .. } => ("Appointment", Access::Update),
        };
        grant.require(ty, access)?;
        changes.push(change);
    }
    let done = org
        .r4_apply(&changes)
        .map_err(|f| named(f.entry, &entries[f.entry], f.error))?;
    let out: Vec<Value> = done
        .into_iter()
        .map(|d| {
            let status = format!(
                "{} {}",
                d.status.as_u16(),
                d.status.canonical_reason().unwrap_or("")
            );
            let mut response = json!({"status": status, "etag": format!("W/\"{}\"", d.version)});
            if let Some(l) = &d.location {
                response["location"] = Value::String(l.clone());
            }
            json!({"resource": d.resource, "response": response})
        })
        .collect();
    let bundle = json!({"resourceType": "Bundle", "type": "transaction-response", "entry": out});
    Ok(fhir_json(StatusCode::OK, &bundle))
}
