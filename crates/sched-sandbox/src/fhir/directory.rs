//! Read and simple search of the directory resources a client uses for pick-lists:
//! Practitioner, PractitionerRole, Location, Organization, HealthcareService, Schedule.
//! `GET [base]/{type}/[id]`, `GET [base]/{type}?param=value` (parameters listed in /metadata).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use http::StatusCode;
use serde_json::Value;

use super::appointment::page;
use super::body::{only_params, query_pairs, single};
use super::response::{fhir_json, with_etag};
use super::search::{Paging, string_matches};
use crate::auth::{Access, Grant};
use crate::error::{FhirError, StoreError};
use crate::org::Organisation;
use crate::org::directory::local_text;
use crate::store::{get_resource, list_resources};

#[derive(Clone, Copy)]
enum Kind {
    /// Case-insensitive prefix on any string at the path.
    Str,
    /// `system|code` or `code` against codings (or identifiers) at the path.
    Token,
    /// A reference at the path, relative or absolute.
    Ref,
}

/// (resource type, parameter, kind, JSON path)
const PARAMS: &[(&str, &str, Kind, &[&str])] = &[
    ("Practitioner", "name", Kind::Str, &["name", "*"]),
    ("Practitioner", "family", Kind::Str, &["name", "family"]),
    ("Practitioner", "given", Kind::Str, &["name", "given"]),
    ("Practitioner", "identifier", Kind::Token, &["identifier"]),
    (
        "PractitionerRole",
        "practitioner",
        Kind::Ref,
        &["practitioner"],
    ),
    (
        "PractitionerRole",
        "organization",
        Kind::Ref,
        &["organization"],
    ),
    ("PractitionerRole", "location", Kind::Ref, &["location"]),
    (
        "PractitionerRole",
        "specialty",
        Kind::Token,
        &["specialty", "coding"],
    ),
    ("Location", "name", Kind::Str, &["name"]),
    ("Location", "address", Kind::Str, &["address", "*"]),
    ("Location", "address-city", Kind::Str, &["address", "city"]),
    (
        "Location",
        "address-state",
        Kind::Str,
        &["address", "state"],
    ),
    (
        "Location",
        "address-postalcode",
        Kind::Str,
        &["address", "postalCode"],
    ),
    (
        "Location",
        "organization",
        Kind::Ref,
        &["managingOrganization"],
    ),
    ("Organization", "name", Kind::Str, &["name"]),
    ("Organization", "identifier", Kind::Token, &["identifier"]),
    ("Organization", "type", Kind::Token, &["type", "coding"]),
    ("HealthcareService", "name", Kind::Str, &["name"]),
    (
        "HealthcareService",
        "type",
        Kind::Token,
        &["type", "coding"],
    ),
    (
        "HealthcareService",
        "specialty",
        Kind::Token,
        &["specialty", "coding"],
    ),
    (
        "HealthcareService",
        "organization",
        Kind::Ref,
        &["providedBy"],
    ),
    ("HealthcareService", "location", Kind::Ref, &["location"]),
    ("Schedule", "actor", Kind::Ref, &["actor"]),
];

/// Values at a path, looking through arrays; `*` takes every string below.
fn at<'a>(v: &'a Value, path: &[&str], out: &mut Vec<&'a Value>) {
    match (v, path.split_first()) {
        (Value::Array(items), _) => items.iter().for_each(|i| at(i, path, out)),
        (_, None) => out.push(v),
        (Value::Object(m), Some((&"*", _))) => m.values().for_each(|x| at(x, &[], out)),
        (Value::Object(m), Some((k, rest))) => {
            if let Some(x) = m.get(*k) {
                at(x, rest, out);
            }
        }
        _ => {}
    }
}

fn value_matches(kind: Kind, v: &Value, query: &str) -> bool {
    match kind {
        Kind::Str => v.as_str().is_some_and(|s| string_matches(s, query)),
        Kind::Token => {
            let (system, code) = query
                .split_once('|')
                .map_or((None, query), |(s, c)| (Some(s), c));
            let code_ok = v
                .get("code")
                .or_else(|| v.get("value"))
                .and_then(Value::as_str)
                == Some(code);
            code_ok && system.is_none_or(|s| v.get("system").and_then(Value::as_str) == Some(s))
        }
        Kind::Ref => {
            let wanted = local_text(query);
            let got = v
                .get("reference")
                .and_then(Value::as_str)
                .and_then(local_text);
            wanted.is_some() && got == wanted
                || got.as_deref().and_then(|g| g.split('/').nth(1)) == Some(query)
        }
    }
}

fn resource_matches(ty: &str, r: &Value, pairs: &[(String, String)]) -> bool {
    pairs.iter().all(|(name, query)| {
        if name == "_id" {
            return query
                .split(',')
                .any(|q| r.get("id").and_then(Value::as_str) == Some(q));
        }
        let Some((_, _, kind, path)) = PARAMS.iter().find(|(t, n, _, _)| *t == ty && n == name)
        else {
            return true; // paging parameters
        };
        let mut found = Vec::new();
        at(r, path, &mut found);
        query
            .split(',')
            .any(|q| found.iter().any(|v| value_matches(*kind, v, q)))
    })
}

/// One stored resource as a response with its ETag.
pub fn read_stored(org: &Organisation, ty: &str, id: &str) -> Result<Response, FhirError> {
    let r = org
        .store
        .read(|c| get_resource(c, &org.name, ty, id))?
        .ok_or_else(|| FhirError::not_found(format!("{ty}/{id} not found")))?;
    let v: Value = serde_json::from_str(&r.json).map_err(StoreError::from)?;
    Ok(with_etag(fhir_json(StatusCode::OK, &v), r.version))
}

pub async fn read(
    State((org, ty)): State<(Arc<Organisation>, &'static str)>,
    grant: Grant,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    grant.require(ty, Access::Read)?;
    read_stored(&org, ty, &id)
}

pub async fn search(
    State((org, ty)): State<(Arc<Organisation>, &'static str)>,
    grant: Grant,
    RawQuery(q): RawQuery,
) -> Result<Response, FhirError> {
    grant.require(ty, Access::Search)?;
    let pairs = query_pairs(q.as_deref());
    let mut allowed: Vec<&str> = PARAMS
        .iter()
        .filter(|(t, ..)| *t == ty)
        .map(|(_, n, ..)| *n)
        .collect();
    allowed.extend(["_id", "_count", "_offset"]);
    only_params(&pairs, &allowed)?;
    let paging = Paging::from_values(single(&pairs, "_count")?, single(&pairs, "_offset")?)?;
    let filters: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| {
            !k.starts_with("_c") && k != "_offset" && !k.starts_with("_f") && !k.starts_with("_p")
        })
        .cloned()
        .collect();
    let rows = org.store.read(|c| list_resources(c, &org.name, ty))?;
    let mut hits = Vec::new();
    for row in rows {
        let v: Value = serde_json::from_str(&row.json).map_err(StoreError::from)?;
        if resource_matches(ty, &v, &filters) {
            hits.push((row.id, fhir_model::Resource::from_json_value(v)?));
        }
    }
    let total = hits.len();
    Ok(fhir_json(
        StatusCode::OK,
        &page(&org, ty, &pairs, paging, total, hits.into_iter()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn directory_params_match_strings_tokens_and_references() {
        let role = json!({"resourceType": "PractitionerRole", "id": "r1", "practitioner": {"reference": "Practitioner/p1"},
            "specialty": [{"coding": [{"system": "http://snomed.info/sct", "code": "394582007"}]}]});
        let q = |k: &str, v: &str| vec![(k.to_owned(), v.to_owned())];
        assert!(resource_matches(
            "PractitionerRole",
            &role,
            &q("practitioner", "Practitioner/p1")
        ));
        assert!(resource_matches(
            "PractitionerRole",
            &role,
            &q("practitioner", "p1")
        ));
        assert!(!resource_matches(
            "PractitionerRole",
            &role,
            &q("practitioner", "p2")
        ));
        assert!(resource_matches(
            "PractitionerRole",
            &role,
            &q("specialty", "http://snomed.info/sct|394582007")
        ));
        assert!(!resource_matches(
            "PractitionerRole",
            &role,
            &q("specialty", "http://other|394582007")
        ));
        let loc = json!({"name": "Main clinic", "address": {"city": "Madison", "line": ["1 Oak Avenue"]}});
        assert!(resource_matches("Location", &loc, &q("address", "madi")));
        assert!(
            !resource_matches("Location", &loc, &q("address", "oak")),
            "string search matches the start"
        );
        assert!(resource_matches(
            "Location",
            &loc,
            &q("address-city", "mad")
        ));
        assert!(resource_matches("Location", &loc, &q("name", "main")));
    }
}
