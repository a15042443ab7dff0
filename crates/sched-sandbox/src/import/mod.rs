//! Import of STU3 transaction Bundles (JSON or XML) as seed data of one organisation, repairing
//! the known defects of the 2017 connectathon data and shifting its dates to the current weeks
//! (see `normalise`). Configured per organisation as `seed.import = ["bundle.xml", ...]`.

mod cardinality;
mod error;
mod normalise;
mod xml;

use std::path::Path;

use chrono::{DateTime, FixedOffset, Utc};
use fhir_model::Resource;
use serde_json::Value;

pub use error::ImportError;

use crate::seed::SeedData;

/// Reads a bundle file (XML when it starts with `<`, else JSON) and returns its seed data.
/// `zone` is the organisation's UTC offset, applied to times written without one; `now` picks
/// the week the data is moved to.
pub fn load_file(
    path: &Path,
    now: DateTime<Utc>,
    zone: FixedOffset,
) -> Result<SeedData, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Read {
        path: path.to_owned(),
        source,
    })?;
    load_text(&text, now, zone)
}

/// Like [`load_file`], from the bundle's text.
pub fn load_text(
    text: &str,
    now: DateTime<Utc>,
    zone: FixedOffset,
) -> Result<SeedData, ImportError> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let bundle = if text.starts_with('<') {
        xml::xml_to_json(text)?
    } else {
        serde_json::from_str(text).map_err(|e| ImportError::Json(e.to_string()))?
    };
    load_bundle(bundle, now, zone)
}

/// Loads a bundle already parsed as JSON.
pub fn load_bundle(
    bundle: Value,
    now: DateTime<Utc>,
    zone: FixedOffset,
) -> Result<SeedData, ImportError> {
    let mut resources = entry_resources(bundle)?;
    for resource in &mut resources {
        normalise::repair(resource, zone);
    }
    if let Some(earliest) = normalise::earliest_date(&resources) {
        let days = normalise::shift_days(earliest, now, zone);
        for resource in &mut resources {
            normalise::shift(resource, days);
        }
    }
    let mut seed = SeedData::default();
    for (index, value) in resources.into_iter().enumerate() {
        let resource = Resource::from_json_value(value).map_err(|e| ImportError::Entry {
            index,
            message: e.to_string(),
        })?;
        add(&mut seed, index, resource)?;
    }
    Ok(seed)
}

/// The entry resources, each with the id its `request.url` (`Type/id`, as PUT entries carry)
/// gives when the resource itself has none.
fn entry_resources(bundle: Value) -> Result<Vec<Value>, ImportError> {
    let Value::Object(mut bundle) = bundle else {
        return Err(ImportError::NotABundle("a non-object".to_owned()));
    };
    match bundle.get("resourceType").and_then(Value::as_str) {
        Some("Bundle") => {}
        other => {
            return Err(ImportError::NotABundle(
                other.unwrap_or("no resourceType").to_owned(),
            ));
        }
    }
    let entries = match bundle.remove("entry") {
        Some(Value::Array(entries)) => entries,
        None => Vec::new(),
        Some(_) => {
            return Err(ImportError::NotABundle(
                "a Bundle whose entry is not a list".into(),
            ));
        }
    };
    entries
        .into_iter()
        .enumerate()
        .map(|(index, entry)| entry_resource(index, entry))
        .collect()
}

fn entry_resource(index: usize, mut entry: Value) -> Result<Value, ImportError> {
    let fail = |message: &str| ImportError::Entry {
        index,
        message: message.to_owned(),
    };
    let url_id = entry
        .pointer("/request/url")
        .and_then(Value::as_str)
        .and_then(|url| url.split_once('/'))
        .map(|(ty, id)| (ty.to_owned(), id.to_owned()));
    let mut resource = match entry.get_mut("resource").map(Value::take) {
        Some(r @ Value::Object(_)) => r,
        _ => return Err(fail("the entry has no resource")),
    };
    let ty = resource["resourceType"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if let Some((url_ty, url_id)) = url_id {
        if url_ty != ty {
            return Err(fail("request.url names another resource type"));
        }
        match resource.get("id").and_then(Value::as_str) {
            None => resource["id"] = Value::String(url_id),
            Some(id) if id != url_id => return Err(fail("resource id and request.url disagree")),
            Some(_) => {}
        }
    }
    if resource
        .get("id")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(fail(
            "the resource has no id (seed resources keep their ids)",
        ));
    }
    Ok(resource)
}

fn add(seed: &mut SeedData, index: usize, resource: Resource) -> Result<(), ImportError> {
    match resource {
        Resource::Organization(r) => seed.organizations.push(r),
        Resource::Location(r) => seed.locations.push(r),
        Resource::Practitioner(r) => seed.practitioners.push(r),
        Resource::PractitionerRole(r) => seed.roles.push(r),
        Resource::HealthcareService(r) => seed.services.push(r),
        Resource::Schedule(r) => seed.schedules.push(r),
        Resource::Slot(r) => seed.slots.push(r),
        Resource::Patient(r) => seed.patients.push(r),
        Resource::Coverage(r) => seed.coverages.push(r),
        other => {
            return Err(ImportError::Unsupported {
                index,
                resource_type: other.resource_type().to_owned(),
            });
        }
    }
    Ok(())
}
