//! Patient and Coverage interactions:
//! - `GET [base]/Patient?identifier&family&given&name&birthdate&gender&_id` (US Core search)
//! - `POST [base]/Patient` without If-None-Exist: 201 for a new patient, 200 with the existing
//!   one when identifier, or name + birth date + gender, match
//! - `POST [base]/Patient/$match` (Parameters resource, count, onlyCertainMatches)
//! - `GET [base]/Patient/[id]`, `GET [base]/Coverage/[id]`
//! - `POST [base]/Coverage`, `PUT [base]/Coverage/[id]` (updateCreate; a change of type → 422;
//!   a stale `If-Match` → 412)

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use fhir_model::{
    Bundle, BundleEntry, BundleSearch, Coverage, Extension, Parameters, Patient, Resource,
    parse_date_range, urls,
};
use http::StatusCode;
use serde_json::json;

use super::appointment::page;
use super::body::{JsonBody, only_params, query_pairs, single, values};
use super::response::{fhir_json, with_etag, with_location};
use super::search::{DateFilter, Paging, string_matches};
use crate::auth::{Access, Grant};
use crate::error::FhirError;
use crate::org::Organisation;
use crate::org::patients::grade;

fn identifier_matches(p: &Patient, v: &str) -> bool {
    let (system, value) = match v.split_once('|') {
        Some((s, v)) => (Some(s), v),
        None => (None, v),
    };
    p.identifier.iter().any(|i| {
        i.value.as_deref() == Some(value)
            && system.is_none_or(|s| s.is_empty() || i.system.as_deref() == Some(s))
    })
}

fn patient_matches(p: &Patient, pairs: &[(String, String)], dates: &[DateFilter]) -> bool {
    let all = |name: &str, test: &dyn Fn(&str) -> bool| {
        values(pairs, name).all(|v| v.split(',').any(test))
    };
    let names = |f: &dyn Fn(&fhir_model::HumanName) -> Vec<String>| {
        p.name.iter().flat_map(f).collect::<Vec<_>>()
    };
    let family = names(&|n| n.family.iter().cloned().collect());
    let given = names(&|n| n.given.clone());
    let born = p
        .birth_date
        .as_deref()
        .and_then(|b| parse_date_range(b).ok());
    all("_id", &|v| p.id.as_deref() == Some(v))
        && all("identifier", &|v| identifier_matches(p, v))
        && all("family", &|v| family.iter().any(|f| string_matches(f, v)))
        && all("given", &|v| given.iter().any(|g| string_matches(g, v)))
        && all("name", &|v| {
            family.iter().chain(&given).any(|n| string_matches(n, v))
        })
        && all("gender", &|v| p.gender.as_deref() == Some(v))
        && dates
            .iter()
            .all(|d| born.as_ref().is_some_and(|b| d.matches(b)))
}

pub async fn search(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    RawQuery(q): RawQuery,
) -> Result<Response, FhirError> {
    grant.require("Patient", Access::Search)?;
    let pairs = query_pairs(q.as_deref());
    only_params(
        &pairs,
        &[
            "_id",
            "identifier",
            "family",
            "given",
            "name",
            "birthdate",
            "gender",
            "_count",
            "_offset",
        ],
    )?;
    let dates = values(&pairs, "birthdate")
        .map(|v| DateFilter::parse("birthdate", v))
        .collect::<Result<Vec<_>, _>>()?;
    let paging = Paging::from_values(single(&pairs, "_count")?, single(&pairs, "_offset")?)?;
    let hits: Vec<Patient> = org
        .patients()?
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| patient_matches(p, &pairs, &dates))
        .collect();
    let total = hits.len();
    let bundle = page(
        &org,
        "Patient",
        &pairs,
        paging,
        total,
        hits.into_iter()
            .map(|p| (p.id.clone().unwrap_or_default(), p.into())),
    );
    Ok(fhir_json(StatusCode::OK, &bundle))
}

pub async fn create(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    headers: http::HeaderMap,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require("Patient", Access::Create)?;
    if headers.contains_key("if-none-exist") {
        return Err(FhirError::bad_request(
            "If-None-Exist is not supported: the server de-duplicates registrations itself",
        ));
    }
    let (p, version, created) = org.create_patient(body.typed::<Patient>("Patient")?)?;
    let id = p.id.clone().unwrap_or_default();
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let r = with_location(
        fhir_json(status, &p),
        &format!("{}/_history/{version}", org.full_url("Patient", &id)),
    );
    Ok(with_etag(r, version))
}

pub async fn read(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    grant.require("Patient", Access::Read)?;
    super::directory::read_stored(&org, "Patient", &id)
}

pub async fn match_patients(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require("Patient", Access::Search)?;
    let params: Parameters = body.typed("Parameters")?;
    let mut probe: Option<Patient> = None;
    let (mut count, mut only_certain) = (10usize, false);
    for p in &params.parameter {
        match (p.name.as_str(), &p.resource) {
            ("resource", Some(Resource::Patient(pat))) => probe = Some(pat.clone()),
            ("resource", _) => return Err(FhirError::bad_request("resource must be a Patient")),
            ("count", _) => {
                count = p
                    .value_integer
                    .and_then(|n| usize::try_from(n).ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        FhirError::bad_request("count must be a positive valueInteger")
                    })?
            }
            ("onlyCertainMatches", _) => {
                only_certain = p.value_boolean.ok_or_else(|| {
                    FhirError::bad_request("onlyCertainMatches must be a valueBoolean")
                })?
            }
            (other, _) => {
                return Err(FhirError::new(
                    StatusCode::BAD_REQUEST,
                    "not-supported",
                    format!("unknown parameter '{other}'"),
                ));
            }
        }
    }
    let probe = probe
        .ok_or_else(|| FhirError::bad_request("the resource parameter (a Patient) is required"))?;
    let mut graded: Vec<_> = org
        .patients()?
        .into_iter()
        .filter_map(|(p, _)| grade(&probe, &p).map(|g| (g, p)))
        .filter(|(g, _)| !only_certain || *g == crate::org::patients::Grade::Certain)
        .collect();
    graded.sort_by_key(|(g, _)| *g);
    graded.truncate(count);
    let mut bundle = Bundle::searchset(graded.len() as u64);
    for (g, p) in graded {
        let ext = Extension {
            url: urls::EXT_MATCH_GRADE.to_owned(),
            extension: Vec::new(),
            value: json!({"valueCode": g.code()})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        };
        let mut search = BundleSearch {
            mode: Some("match".to_owned()),
            score: Some(g.score()),
            ..BundleSearch::default()
        };
        search.extra.insert("extension".to_owned(), json!([ext]));
        let id = p.id.clone().unwrap_or_default();
        bundle.entry.push(BundleEntry {
            full_url: Some(org.full_url("Patient", &id)),
            resource: Some(p.into()),
            search: Some(search),
            ..BundleEntry::default()
        });
    }
    Ok(fhir_json(StatusCode::OK, &bundle))
}

pub async fn coverage_read(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    grant.require("Coverage", Access::Read)?;
    super::directory::read_stored(&org, "Coverage", &id)
}

pub async fn coverage_create(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require("Coverage", Access::Create)?;
    if let Some(reason) = org.faults.coverage_refusal() {
        return Err(FhirError::unprocessable(reason));
    }
    let (c, version) = org.create_coverage(body.typed::<Coverage>("Coverage")?)?;
    let id = c.id.clone().unwrap_or_default();
    Ok(with_etag(
        with_location(
            fhir_json(StatusCode::CREATED, &c),
            &format!("{}/_history/{version}", org.full_url("Coverage", &id)),
        ),
        version,
    ))
}

pub async fn coverage_update(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
    headers: http::HeaderMap,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require_any(&[("Coverage", Access::Update)])?;
    if let Some(reason) = org.faults.coverage_refusal() {
        return Err(FhirError::unprocessable(reason));
    }
    let if_match = headers
        .get(http::header::IF_MATCH)
        .map(|v| v.to_str().unwrap_or("?").to_owned());
    let (c, version, created) = org.update_coverage(
        &id,
        body.typed::<Coverage>("Coverage")?,
        if_match.as_deref(),
    )?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(with_etag(
        with_location(
            fhir_json(status, &c),
            &format!("{}/_history/{version}", org.full_url("Coverage", &id)),
        ),
        version,
    ))
}
