//! Slots and Subscriptions:
//! - `GET|POST [base]/Slot/$prefetch` (slot-prefetch): free slots in a window, actor filters
//!   AND across types and OR within one; a slot-bundle
//! - `GET [base]/Slot/[id]`, `GET [base]/Slot?schedule&start&status&_id&_count&_offset`
//! - `POST [base]/Subscription`, `GET|DELETE [base]/Subscription/[id]`

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use fhir_model::{FindParams, Meta, Parameters, PrefetchParams, urls};
use http::StatusCode;
use serde_json::Value;

use super::appointment::{entry, page_links};
use super::body::{JsonBody, only_params, query_pairs, single, values};
use super::response::{fhir_json, with_location};
use super::search::{DateFilter, Paging, Prefix};
use crate::auth::{Access, Grant};
use crate::error::{FhirError, StoreError};
use crate::org::Organisation;
use crate::org::find::window;
use crate::store::{SlotQuery, Store, get_resource, put_resource, search_slots, slot_json};

/// The most slots one `$prefetch` returns.
const PREFETCH_MAX: u32 = 2_000;

pub async fn read(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    grant.require("Slot", Access::Read)?;
    org.expire_holds()?;
    let slot = org
        .store
        .read(|c| slot_json(c, &org.name, &id))?
        .ok_or_else(|| FhirError::not_found(format!("Slot/{id} not found")))?;
    Ok(fhir_json(StatusCode::OK, &slot))
}

pub async fn search(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    RawQuery(q): RawQuery,
) -> Result<Response, FhirError> {
    grant.require("Slot", Access::Search)?;
    let pairs = query_pairs(q.as_deref());
    only_params(
        &pairs,
        &["_id", "schedule", "start", "status", "_count", "_offset"],
    )?;
    let paging = Paging::from_values(single(&pairs, "_count")?, single(&pairs, "_offset")?)?;
    let mut query = SlotQuery {
        count: paging.count,
        offset: paging.offset,
        ..SlotQuery::default()
    };
    let list = |name: &str| -> Option<Vec<String>> {
        let v: Vec<String> = values(&pairs, name)
            .flat_map(|v| v.split(','))
            .map(|v| v.rsplit('/').next().unwrap_or(v).to_owned())
            .collect();
        (!v.is_empty()).then_some(v)
    };
    query.schedules = list("schedule");
    query.ids = list("_id");
    if let Some(s) = single(&pairs, "status")? {
        if !matches!(s, "free" | "busy") {
            return Err(FhirError::bad_request("status must be free or busy"));
        }
        query.status = Some(s.to_owned());
    }
    for v in values(&pairs, "start") {
        let d = DateFilter::parse("start", v)?;
        match d.prefix {
            Prefix::Ge | Prefix::Gt => {
                query.from = Some(
                    if d.prefix == Prefix::Ge {
                        d.range.start
                    } else {
                        d.range.end
                    }
                    .timestamp(),
                )
            }
            Prefix::Le | Prefix::Lt => {
                query.to = Some(
                    if d.prefix == Prefix::Le {
                        d.range.end
                    } else {
                        d.range.start
                    }
                    .timestamp(),
                )
            }
            Prefix::Eq => {
                (query.from, query.to) = (
                    Some(d.range.start.timestamp()),
                    Some(d.range.end.timestamp()),
                )
            }
            Prefix::Ne => return Err(FhirError::bad_request("start does not support ne")),
        }
    }
    org.expire_holds()?;
    let (total, slots) = org.store.read(|c| search_slots(c, &org.name, &query))?;
    let total = usize::try_from(total).unwrap_or(0);
    let mut bundle = page_links(&org, "Slot", &pairs, paging, total);
    bundle.entry = slots
        .into_iter()
        .map(|s| entry(&org, "Slot", &s.id.clone().unwrap_or_default(), s.into()))
        .collect();
    Ok(fhir_json(StatusCode::OK, &bundle))
}

fn prefetch(org: &Organisation, p: &PrefetchParams) -> Result<Response, FhirError> {
    let mut notes = Vec::new();
    let (from, to) = window(p.start.as_deref(), p.end.as_deref(), org.now(), &mut notes)?;
    let find = FindParams {
        practitioner: p.practitioner.clone(),
        organization: p.organization.clone(),
        location_string: p.location_string.clone(),
        location_reference: p.location_reference.clone(),
        ..FindParams::default()
    };
    let schedules = org
        .schedules_for(&find)
        .iter()
        .map(|s| s.id.clone())
        .collect();
    let query = SlotQuery {
        schedules: Some(schedules),
        from: Some(from.max(org.now()).timestamp()),
        to: Some(to.timestamp()),
        status: Some("free".to_owned()),
        offset: 0,
        count: PREFETCH_MAX,
        ..SlotQuery::default()
    };
    org.expire_holds()?;
    let (total, slots) = org.store.read(|c| search_slots(c, &org.name, &query))?;
    if total > u64::from(PREFETCH_MAX) {
        notes.push(format!("{total} free slots match; the first {PREFETCH_MAX} are returned, narrow the window for the rest"));
    }
    let mut bundle = fhir_model::Bundle::searchset(slots.len() as u64);
    bundle.meta = Some(Meta::profile(urls::PROFILE_SLOT_BUNDLE));
    for mut s in slots {
        s.meta = Some(Meta::profile(urls::PROFILE_PREFETCH_SLOT));
        let id = s.id.clone().unwrap_or_default();
        bundle.entry.push(fhir_model::BundleEntry {
            full_url: Some(org.full_url("Slot", &id)),
            resource: Some(s.into()),
            search: Some(crate::org::find::mode("match")),
            ..Default::default()
        });
    }
    let summary = if notes.is_empty() {
        format!("{} free slot(s)", bundle.entry.len())
    } else {
        notes.join("; ")
    };
    bundle.entry.push(fhir_model::BundleEntry {
        resource: Some(fhir_model::OperationOutcome::information(&summary).into()),
        search: Some(crate::org::find::mode("outcome")),
        ..Default::default()
    });
    Ok(fhir_json(StatusCode::OK, &bundle))
}

pub async fn prefetch_get(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    RawQuery(q): RawQuery,
) -> Result<Response, FhirError> {
    grant.require("Slot", Access::Search)?;
    prefetch(
        &org,
        &PrefetchParams::from_query(&query_pairs(q.as_deref()))?,
    )
}

pub async fn prefetch_post(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require("Slot", Access::Search)?;
    prefetch(
        &org,
        &PrefetchParams::from_parameters(&body.typed::<Parameters>("Parameters")?)?,
    )
}

pub async fn subscription_create(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require("Subscription", Access::Create)?;
    let mut v = body.value.clone();
    let ty = v
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("(none)");
    if ty != "Subscription" {
        return Err(FhirError::new(
            StatusCode::BAD_REQUEST,
            "structure",
            format!("expected resourceType Subscription, found {ty}"),
        ));
    }
    for required in ["criteria", "channel", "reason"] {
        if v.get(required).is_none() {
            return Err(FhirError::unprocessable(format!(
                "Subscription.{required} is required"
            )));
        }
    }
    let id = org.store.write(|tx| {
        let id = format!("sub-{}", Store::next_id(tx, &org.name, "subscription")?);
        if let Some(m) = v.as_object_mut() {
            m.insert("id".to_owned(), Value::String(id.clone()));
            m.insert("status".to_owned(), Value::String("active".to_owned()));
        }
        put_resource(tx, &org.name, "Subscription", &id, 1, &v.to_string())?;
        Ok::<String, StoreError>(id)
    })?;
    Ok(with_location(
        fhir_json(StatusCode::CREATED, &v),
        &format!("{}/_history/1", org.full_url("Subscription", &id)),
    ))
}

pub async fn subscription_read(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    grant.require("Subscription", Access::Read)?;
    super::directory::read_stored(&org, "Subscription", &id)
}

pub async fn subscription_delete(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    grant.require("Subscription", Access::Delete)?;
    let removed = org.store.write(|tx| {
        let found = get_resource(tx, &org.name, "Subscription", &id)?.is_some();
        tx.execute(
            "DELETE FROM resource WHERE org = ?1 AND type = 'Subscription' AND id = ?2",
            rusqlite::params![org.name, id],
        )
        .map_err(StoreError::from)?;
        Ok::<bool, StoreError>(found)
    })?;
    if !removed {
        return Err(FhirError::not_found(format!("Subscription/{id} not found")));
    }
    Ok(fhir_json(
        StatusCode::OK,
        &fhir_model::OperationOutcome::information(&format!("Subscription/{id} deleted")),
    ))
}
