//! Plain-R4 and Oracle Slot interactions:
//! - `GET [base]/Slot?schedule=…&schedule.actor=…&service-type=…&status=…&start=ge…&start=lt…&_include=Slot:schedule&_count=…`
//!   (hl7.org/fhir/R4/slot.html; Oracle requires `service-type` and each parameter but `start` once)
//! - `GET [base]/Slot/{id}` with `ETag`
//! - `PATCH [base]/Slot/{id}` (JSON Patch) and `PUT [base]/Slot/{id}` with `If-Match`
//!
//! What arrived is kept for tests (the `received` hook): searches as `find`, Slot updates as
//! `hold`.
//!
//! The search answers from one indexed query and writes the page without counting every
//! match (R4 `Bundle.total` is optional; the `next` link says whether more exist). Measured
//! (benches/slot_http.rs): counting every match and parsing then re-serialising each stored
//! slot cost more than the rest of the request, so the page is written as text and a stored
//! slot whose JSON needs no R4 change other than its status is copied, not parsed.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::r4_http::{apply_one, edit_of, if_match};
use super::r4_json;
use crate::auth::{Access, Grant};
use crate::config::SandboxDialect;
use crate::error::FhirError;
use crate::fhir::body::{JsonBody, only_params, query_pairs, single, values};
use crate::fhir::response::{fhir_json, with_etag};
use crate::fhir::search::{DateFilter, Paging, Prefix};
use crate::org::Organisation;
use crate::org::directory::{ScheduleInfo, local_text};
use crate::store::{R4SlotQuery, SlotRow, get_resource, r4_slot, r4_slots};

const PARAMS: [&str; 9] = [
    "_id",
    "schedule",
    "schedule.actor",
    "service-type",
    "status",
    "start",
    "_count",
    "_offset",
    "_include",
];
const STATUSES: [&str; 5] = [
    "free",
    "busy",
    "busy-tentative",
    "busy-unavailable",
    "entered-in-error",
];

fn list<'a>(pairs: &'a [(String, String)], name: &'a str) -> Vec<&'a str> {
    values(pairs, name)
        .flat_map(|v| v.split(','))
        .filter(|v| !v.is_empty())
        .collect()
}

fn actor_matches(s: &ScheduleInfo, wanted: &str) -> bool {
    let wanted = local_text(wanted).unwrap_or_else(|| wanted.to_owned());
    [&s.practitioner, &s.service, &s.location, &s.organization]
        .into_iter()
        .flatten()
        .any(|a| *a == wanted)
}

fn type_matches(s: &ScheduleInfo, token: &str) -> bool {
    let (system, code) = match token.split_once('|') {
        Some((sys, code)) => ((!sys.is_empty()).then_some(sys), code),
        None => (None, token),
    };
    s.service_type.iter().any(|c| c.has_code(system, code))
}

/// The schedules the actor/type/schedule parameters leave (None: no such parameter).
fn schedules(org: &Organisation, pairs: &[(String, String)]) -> Option<Vec<String>> {
    let ids = list(pairs, "schedule");
    let actors = list(pairs, "schedule.actor");
    let types = list(pairs, "service-type");
    if ids.is_empty() && actors.is_empty() && types.is_empty() {
        return None;
    }
    let wanted_ids: Vec<&str> = ids
        .iter()
        .map(|v| v.rsplit('/').next().unwrap_or(v))
        .collect();
    Some(
        org.directory
            .schedules
            .iter()
            .filter(|s| wanted_ids.is_empty() || wanted_ids.contains(&s.id.as_str()))
            .filter(|s| actors.is_empty() || actors.iter().any(|a| actor_matches(s, a)))
            .filter(|s| types.is_empty() || types.iter().any(|t| type_matches(s, t)))
            .map(|s| s.id.clone())
            .collect(),
    )
}

fn window(query: &mut R4SlotQuery, pairs: &[(String, String)]) -> Result<(), FhirError> {
    for v in values(pairs, "start") {
        let d = DateFilter::parse("start", v)?;
        match d.prefix {
            Prefix::Ge => query.from = Some(d.range.start.timestamp()),
            Prefix::Gt => query.from = Some(d.range.end.timestamp()),
            Prefix::Lt => query.to = Some(d.range.start.timestamp()),
            Prefix::Le => query.to = Some(d.range.end.timestamp()),
            Prefix::Eq => {
                query.from = Some(d.range.start.timestamp());
                query.to = Some(d.range.end.timestamp());
            }
            Prefix::Ne => return Err(FhirError::bad_request("start does not support ne")),
        }
    }
    Ok(())
}

fn oracle_rules(pairs: &[(String, String)]) -> Result<(), FhirError> {
    if values(pairs, "service-type").next().is_none() {
        return Err(FhirError::bad_request("service-type is required"));
    }
    // `start` comes twice (ge and lt), as Oracle's own examples send it.
    for (i, (k, _)) in pairs.iter().enumerate() {
        if k != "start" && pairs[..i].iter().any(|(p, _)| p == k) {
            return Err(FhirError::bad_request(format!(
                "{k} may appear only once; give several values separated by commas"
            )));
        }
    }
    Ok(())
}

fn query_of(
    org: &Organisation,
    pairs: &[(String, String)],
) -> Result<(R4SlotQuery, bool), FhirError> {
    only_params(pairs, &PARAMS)?;
    if org.dialect == SandboxDialect::Oracle {
        oracle_rules(pairs)?;
    }
    let include = match single(pairs, "_include")? {
        None => false,
        Some("Slot:schedule") => true,
        Some(other) => {
            return Err(FhirError::bad_request(format!(
                "_include={other} is not supported; use Slot:schedule"
            )));
        }
    };
    let paging = Paging::from_values(single(pairs, "_count")?, single(pairs, "_offset")?)?;
    let statuses: Vec<String> = list(pairs, "status")
        .into_iter()
        .map(str::to_owned)
        .collect();
    if let Some(bad) = statuses.iter().find(|s| !STATUSES.contains(&s.as_str())) {
        return Err(FhirError::bad_request(format!(
            "'{bad}' is not a Slot status"
        )));
    }
    let ids: Vec<String> = list(pairs, "_id").into_iter().map(str::to_owned).collect();
    let mut query = R4SlotQuery {
        schedules: schedules(org, pairs),
        ids: (!ids.is_empty()).then_some(ids),
        statuses: (!statuses.is_empty()).then_some(statuses),
        offset: paging.offset,
        count: paging.count,
        ..R4SlotQuery::default()
    };
    window(&mut query, pairs)?;
    Ok((query, include))
}

fn link(org: &Organisation, pairs: &[(String, String)], relation: &str, offset: u32) -> Value {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.extend_pairs(
        pairs
            .iter()
            .filter(|(k, _)| k != "_offset")
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    q.append_pair("_offset", &offset.to_string());
    json!({ "relation": relation, "url": format!("{}/Slot?{}", org.base, q.finish()) })
}

pub async fn search(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    RawQuery(q): RawQuery,
) -> Result<Response, FhirError> {
    grant.require("Slot", Access::Search)?;
    let pairs = query_pairs(q.as_deref());
    org.received.record("find", json!({ "query": pairs }));
    let (query, include) = query_of(&org, &pairs)?;
    org.expire_holds()?;
    let (mut rows, schedules) = org.store.read(|c| {
        let rows = r4_slots(c, &org.name, &query)?;
        let mut schedules = Vec::new();
        if include {
            let ids: BTreeSet<&str> = rows
                .iter()
                .take(query.count as usize)
                .map(|r| r.schedule.as_str())
                .collect();
            for id in ids {
                schedules.extend(get_resource(c, &org.name, "Schedule", id)?);
            }
        }
        Ok((rows, schedules))
    })?;
    let more = rows.len() > query.count as usize;
    rows.truncate(query.count as usize);
    let mut links = vec![link(&org, &pairs, "self", query.offset)];
    if more {
        links.push(link(&org, &pairs, "next", query.offset + query.count));
    }
    let mut body = String::with_capacity(1024 * (rows.len() + 2));
    body.push_str(r#"{"resourceType":"Bundle","type":"searchset","link":"#);
    body.push_str(&Value::Array(links).to_string());
    body.push_str(r#","entry":["#);
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        let resource = match r4_json::slot_text(row) {
            Some(text) => text,
            None => r4_json::slot(row)?.to_string(),
        };
        entry_text(
            &mut body,
            &org.full_url("Slot", &row.id),
            &resource,
            "match",
        );
    }
    for (i, sched) in schedules.iter().enumerate() {
        if i > 0 || !rows.is_empty() {
            body.push(',');
        }
        let resource = r4_json::schedule(&sched.json)?.to_string();
        entry_text(
            &mut body,
            &org.full_url("Schedule", &sched.id),
            &resource,
            "include",
        );
    }
    body.push_str("]}");
    Ok(json_text(body))
}

/// One searchset entry written straight into the page.
fn entry_text(out: &mut String, full_url: &str, resource: &str, mode: &str) {
    out.push_str(r#"{"fullUrl":"#);
    out.push_str(&Value::String(full_url.to_owned()).to_string());
    out.push_str(r#","resource":"#);
    out.push_str(resource);
    out.push_str(r#","search":{"mode":""#);
    out.push_str(mode);
    out.push_str(r#""}}"#);
}

/// A 200 with JSON text already written.
fn json_text(body: String) -> Response {
    let mut r = Response::new(axum::body::Body::from(body));
    r.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static(crate::fhir::response::FHIR_JSON),
    );
    r
}

/// A slot answer with its ETag.
pub fn slot_response(row: &SlotRow) -> Result<Response, FhirError> {
    Ok(with_etag(
        fhir_json(StatusCode::OK, &r4_json::slot(row)?),
        row.version,
    ))
}

pub async fn read(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    grant.require("Slot", Access::Read)?;
    org.expire_holds()?;
    let row = org
        .store
        .read(|c| r4_slot(c, &org.name, &id))?
        .ok_or_else(|| FhirError::not_found(format!("Slot/{id} not found")))?;
    slot_response(&row)
}

/// `PUT` and `PATCH Slot/{id}`: hold (`busy-tentative`) or release (`free`).
pub async fn update(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
    method: http::Method,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require("Slot", Access::Update)?;
    org.received.record(
        "hold",
        json!({ "method": method.as_str(), "ifMatch": if_match(&headers), "body": body.value }),
    );
    let edit = edit_of(&method, &body, "Slot")?;
    let change = super::r4_rules::Change::Slot {
        id,
        if_match: if_match(&headers),
        edit,
    };
    apply_one(&org, change)
}
