//! Appointment read, search and PATCH.
//! - `GET [base]/Appointment/[id]` (argo-appt), ETag `W/"version"`
//! - `GET [base]/Appointment?_id&patient&status&date&practitioner&_count&_offset`
//! - `PATCH [base]/Appointment/[id]` JSON Patch or FHIRPath Patch, `If-Match` honoured

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use fhir_model::{Appointment, Bundle, BundleEntry, BundleLink, Parameters, parse_date_range};
use http::{HeaderMap, StatusCode, header};

use super::body::{JsonBody, only_params, query_pairs, single, values};
use super::patch::{fhirpath_patch, json_patch};
use super::response::{fhir_json, with_etag};
use super::search::{DateFilter, Paging};
use crate::auth::{Access, Grant};
use crate::error::FhirError;
use crate::org::Organisation;
use crate::org::find::mode;
use crate::store::list_appointments;

pub async fn read(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    grant.require("Appointment", Access::Read)?;
    let (a, version) = org.read_appointment(&id)?;
    let r = fhir_json(StatusCode::OK, &a);
    Ok(match version {
        Some(v) => with_etag(r, v),
        None => r,
    })
}

/// `patient=Patient/1` or `patient=1` → `Patient/1`.
fn reference(ty: &str, v: &str) -> String {
    crate::org::directory::local_text(v).unwrap_or_else(|| format!("{ty}/{v}"))
}

fn has_actor(a: &Appointment, wanted: &str) -> bool {
    a.participant
        .iter()
        .filter_map(|p| p.actor.as_ref())
        .filter_map(crate::org::directory::local_ref)
        .any(|r| r == wanted)
}

/// Filters stored appointments by the search parameters (AND across names, OR within a
/// comma-separated value).
fn matches(a: &Appointment, pairs: &[(String, String)], dates: &[DateFilter]) -> bool {
    let any = |name: &str, test: &dyn Fn(&str) -> bool| {
        values(pairs, name).all(|v| v.split(',').any(test))
    };
    let start = a.start.as_deref().and_then(|s| parse_date_range(s).ok());
    any("_id", &|v| a.id.as_deref() == Some(v))
        && any("status", &|v| a.status == v)
        && any("patient", &|v| has_actor(a, &reference("Patient", v)))
        && any("practitioner", &|v| {
            has_actor(a, &reference("Practitioner", v))
        })
        && dates
            .iter()
            .all(|d| start.as_ref().is_some_and(|s| d.matches(s)))
}

pub async fn search(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    RawQuery(q): RawQuery,
) -> Result<Response, FhirError> {
    grant.require("Appointment", Access::Search)?;
    let pairs = query_pairs(q.as_deref());
    only_params(
        &pairs,
        &[
            "_id",
            "patient",
            "status",
            "date",
            "practitioner",
            "_count",
            "_offset",
        ],
    )?;
    let dates = values(&pairs, "date")
        .map(|v| DateFilter::parse("date", v))
        .collect::<Result<Vec<_>, _>>()?;
    for s in values(&pairs, "status").flat_map(|v| v.split(',')) {
        if !fhir_model::appointment_status::ALL.contains(&s) {
            return Err(FhirError::bad_request(format!(
                "status '{s}' is not an Appointment status"
            )));
        }
    }
    let paging = Paging::from_values(single(&pairs, "_count")?, single(&pairs, "_offset")?)?;
    org.expire_holds()?;
    let all = org.store.read(|c| list_appointments(c, &org.name))?;
    let hits: Vec<_> = all
        .into_iter()
        .filter(|s| matches(&s.resource, &pairs, &dates))
        .collect();
    let bundle = page(
        &org,
        "Appointment",
        &pairs,
        paging,
        hits.len(),
        hits.into_iter()
            .map(|s| (s.id().to_owned(), s.resource.into())),
    );
    Ok(fhir_json(StatusCode::OK, &bundle))
}

/// A searchset with `self` and `next` links, no entries yet.
pub fn page_links(
    org: &Organisation,
    ty: &str,
    pairs: &[(String, String)],
    paging: Paging,
    total: usize,
) -> Bundle {
    let mut bundle = Bundle::searchset(total as u64);
    let kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "_offset")
        .cloned()
        .collect();
    let url = |offset: u32| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.extend_pairs(kept.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        q.append_pair("_offset", &offset.to_string());
        format!("{}/{ty}?{}", org.base, q.finish())
    };
    bundle.link.push(BundleLink {
        relation: "self".to_owned(),
        url: url(paging.offset),
    });
    if (paging.offset as usize) + (paging.count as usize) < total {
        bundle.link.push(BundleLink {
            relation: "next".to_owned(),
            url: url(paging.offset + paging.count),
        });
    }
    bundle
}

/// A search entry (search.mode match).
pub fn entry(org: &Organisation, ty: &str, id: &str, r: fhir_model::Resource) -> BundleEntry {
    BundleEntry {
        full_url: Some(org.full_url(ty, id)),
        resource: Some(r),
        search: Some(mode("match")),
        ..BundleEntry::default()
    }
}

/// A searchset page of `items` (all hits; this skips and takes).
pub fn page(
    org: &Organisation,
    ty: &str,
    pairs: &[(String, String)],
    paging: Paging,
    total: usize,
    items: impl Iterator<Item = (String, fhir_model::Resource)>,
) -> Bundle {
    let mut bundle = page_links(org, ty, pairs, paging, total);
    bundle.entry = items
        .skip(paging.offset as usize)
        .take(paging.count as usize)
        .map(|(id, r)| entry(org, ty, &id, r))
        .collect();
    bundle
}

pub async fn patch(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require("Appointment", Access::Update)?;
    let if_match = headers
        .get(header::IF_MATCH)
        .map(|v| v.to_str().unwrap_or("?").to_owned());
    let stored = match body.media_type.as_str() {
        "application/json-patch+json" => {
            org.patch_appointment(&id, if_match.as_deref(), |doc| json_patch(doc, &body.value))?
        }
        "application/fhir+json" | "application/json" => {
            let params: Parameters = body.typed("Parameters")?;
            org.patch_appointment(&id, if_match.as_deref(), |doc| fhirpath_patch(doc, &params))?
        }
        other => {
            return Err(FhirError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "not-supported",
                format!(
                    "{other} is not a supported patch format; use application/json-patch+json or FHIRPath Patch as application/fhir+json"
                ),
            ));
        }
    };
    Ok(with_etag(
        fhir_json(StatusCode::OK, &stored.resource),
        stored.version,
    ))
}
