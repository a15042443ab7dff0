//! The home organisation's FHIR R4 handlers: read, search (with `_include` and `next` paging),
//! create (conditional with `If-None-Exist`) and update (`If-Match`) of Patient, Coverage,
//! ServiceRequest and Task. Each asks the bearer grant for the access its interaction needs.

use std::collections::HashSet;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::resource::{relative, validate};
use super::search::{self, Search};
use super::store::{self, Row};
use super::write::{self, Created};
use crate::auth::{Access, Grant};
use crate::error::FhirError;
use crate::fhir::response::{fhir_json, with_etag, with_location};
use crate::org::Organisation;

/// Handler state: the organisation and the resource type of the route.
pub type Typed = State<(Arc<Organisation>, &'static str)>;

/// `GET /{type}/{id}`.
pub async fn read(
    State((org, ty)): Typed,
    grant: Grant,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    let row = read_row(&org, &grant, ty, &id)?;
    Ok(resource_response(StatusCode::OK, &org, ty, row))
}

/// The stored `ty/id` the grant may read: 404 when unknown, 410 when deleted.
pub fn read_row(org: &Organisation, grant: &Grant, ty: &str, id: &str) -> Result<Row, FhirError> {
    grant.require(ty, Access::Read)?;
    let (row, deleted) = org.store.read(|c| {
        Ok((
            store::get(c, &org.name, ty, id)?,
            store::is_deleted(c, &org.name, ty, id)?,
        ))
    })?;
    match row {
        Some(row) => Ok(row),
        None if deleted => Err(FhirError::new(
            StatusCode::GONE,
            "deleted",
            format!("{ty}/{id} was deleted"),
        )),
        None => Err(FhirError::not_found(format!("{ty}/{id} does not exist"))),
    }
}

/// `GET /{type}?…`: a searchset Bundle, matches in row order, `next` when more remain.
pub async fn search(
    State((org, ty)): Typed,
    grant: Grant,
    RawQuery(query): RawQuery,
) -> Result<Response, FhirError> {
    let bundle = search_bundle(&org, &grant, ty, query.as_deref().unwrap_or_default())?;
    Ok(fhir_json(StatusCode::OK, &bundle))
}

/// The searchset Bundle of a search on `ty` the grant may make.
pub fn search_bundle(
    org: &Organisation,
    grant: &Grant,
    ty: &str,
    query: &str,
) -> Result<Value, FhirError> {
    grant.require(ty, Access::Search)?;
    let s = search::parse(ty, query)?;
    org.store.read(|c| {
        let (total, rows) = store::search(
            c,
            &org.name,
            &s.filter,
            (s.after, s.by_updated),
            s.count + 1,
        )?;
        Ok(bundle(c, org, ty, &s, total, rows))
    })?
}

/// `DELETE /{type}/{id}`: 204; the resource then reads as 410 Gone.
pub async fn delete(
    State((org, ty)): Typed,
    grant: Grant,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    grant.require(ty, Access::Delete)?;
    write::delete(&org.store, &org.name, (ty, &id), org.now())?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /{type}`, conditional when `If-None-Exist` is sent.
pub async fn create(
    State((org, ty)): Typed,
    grant: Grant,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FhirError> {
    grant.require(ty, Access::Create)?;
    let r = parse_body(ty, &body)?;
    let condition = match headers.get("if-none-exist") {
        Some(v) => {
            let text = v
                .to_str()
                .map_err(|_| FhirError::bad_request("If-None-Exist is not text"))?;
            let text = text.rsplit_once('?').map_or(text, |(_, q)| q);
            Some(search::parse(ty, text)?)
        }
        None => None,
    };
    match write::create(&org.store, &org.name, r, condition, org.now())? {
        Created::New(row) => Ok(resource_response(StatusCode::CREATED, &org, ty, row)),
        Created::Existing(row) => Ok(resource_response(StatusCode::OK, &org, ty, row)),
    }
}

/// `PUT /{type}/{id}`, version-checked when `If-Match` is sent.
pub async fn update(
    State((org, ty)): Typed,
    grant: Grant,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FhirError> {
    grant.require(ty, Access::Update)?;
    let r = parse_body(ty, &body)?;
    if r["id"].as_str() != Some(id.as_str()) {
        return Err(FhirError::bad_request(format!(
            "the body's id must be '{id}', the id in the URL"
        )));
    }
    let if_match = match headers.get(http::header::IF_MATCH) {
        Some(v) => Some(write::parse_if_match(v.to_str().unwrap_or_default())?),
        None => None,
    };
    let row = write::update(&org.store, &org.name, (ty, &id), r, if_match, org.now())?;
    Ok(resource_response(StatusCode::OK, &org, ty, row))
}

fn parse_body(ty: &str, body: &[u8]) -> Result<Value, FhirError> {
    let r: Value =
        serde_json::from_slice(body).map_err(|_| FhirError::bad_request("the body is not JSON"))?;
    validate(ty, &r)?;
    Ok(r)
}

fn resource_response(status: StatusCode, org: &Organisation, ty: &str, row: Row) -> Response {
    let id = row.json["id"].as_str().unwrap_or_default().to_owned();
    let r = with_etag(fhir_json(status, &row.json), row.version);
    let url = format!("{}/_history/{}", org.full_url(ty, &id), row.version);
    with_location(r, &url).into_response()
}

fn bundle(
    c: &rusqlite::Connection,
    org: &Organisation,
    ty: &str,
    s: &Search,
    total: i64,
    mut rows: Vec<Row>,
) -> Result<Value, FhirError> {
    let more = rows.len() > s.count;
    rows.truncate(s.count);
    let mut links = vec![json!({"relation": "self", "url": page_url(org, ty, s, s.after)})];
    if let (true, Some(last)) = (more, rows.last()) {
        let cursor = if s.by_updated { last.updated } else { last.seq };
        links.push(json!({"relation": "next", "url": page_url(org, ty, s, cursor)}));
    }
    let mut entries: Vec<Value> = Vec::with_capacity(rows.len());
    let mut seen = HashSet::new();
    let mut included = Vec::new();
    for row in &rows {
        for element in &s.includes {
            included.extend(references(&row.json[*element]));
        }
        entries.push(entry(org, &row.json, "match"));
    }
    for local in included {
        if !seen.insert(local.clone()) {
            continue;
        }
        let Some((rty, rid)) = local.split_once('/') else {
            continue;
        };
        if let Some(row) = store::get(c, &org.name, rty, rid)? {
            entries.push(entry(org, &row.json, "include"));
        }
    }
    Ok(json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": entries,
    }))
}

/// The local `Type/id` references in an element (one Reference or an array of them).
fn references(element: &Value) -> Vec<String> {
    match element {
        Value::Array(items) => items.iter().flat_map(references).collect(),
        other => other["reference"]
            .as_str()
            .and_then(relative)
            .into_iter()
            .collect(),
    }
}

fn entry(org: &Organisation, r: &Value, mode: &str) -> Value {
    let ty = r["resourceType"].as_str().unwrap_or_default();
    let id = r["id"].as_str().unwrap_or_default();
    json!({"fullUrl": org.full_url(ty, id), "resource": r, "search": {"mode": mode}})
}

fn page_url(org: &Organisation, ty: &str, s: &Search, after: i64) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &s.echo {
        q.append_pair(k, v);
    }
    if after > 0 {
        q.append_pair("_after", &after.to_string());
    }
    format!("{}/{ty}?{}", org.base, q.finish())
}
