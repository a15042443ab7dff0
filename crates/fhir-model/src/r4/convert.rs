//! Small conversion helpers shared by the R4 resources: cross-version extensions, code-system
//! URLs that moved to terminology.hl7.org in R4, and 0..1 ⇄ 0..* element cardinalities.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{CodeableConcept, Extension, JsonMap, ModelError};

/// The cross-version extension URL carrying R4 element `path` (e.g. `Appointment.status`) in an
/// STU3 resource.
pub(crate) fn r4_element(path: &str) -> String {
    format!("http://hl7.org/fhir/4.0/StructureDefinition/extension-{path}")
}

/// An extension whose value is `value` of type `kind` (e.g. "valueCodeableConcept").
pub(crate) fn ext_value(url: &str, kind: &str, value: impl Serialize) -> Extension {
    let mut map = JsonMap::new();
    if let Ok(v) = serde_json::to_value(value) {
        map.insert(kind.to_owned(), v);
    }
    Extension {
        url: url.to_owned(),
        extension: Vec::new(),
        value: map,
    }
}

/// Removes the extensions with `url` from `exts`, returning them in order.
pub(crate) fn take_ext(exts: &mut Vec<Extension>, url: &str) -> Vec<Extension> {
    let (taken, kept) = std::mem::take(exts).into_iter().partition(|e| e.url == url);
    *exts = kept;
    taken
}

/// The typed `value[x]` of an extension, if it is of kind `kind` and parses.
pub(crate) fn ext_get<T: DeserializeOwned>(ext: &Extension, kind: &str) -> Option<T> {
    ext.value
        .get(kind)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// The extensions kept in an `extra` map (for resources without a named `extension`).
pub(crate) fn extra_exts(extra: &mut JsonMap) -> Vec<Extension> {
    extra
        .remove("extension")
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// Puts `exts` back into `extra` (dropping the key when empty).
pub(crate) fn set_extra_exts(extra: &mut JsonMap, exts: &[Extension]) {
    if exts.is_empty() {
        extra.remove("extension");
    } else if let Ok(v) = serde_json::to_value(exts) {
        extra.insert("extension".to_owned(), v);
    }
}

/// Splits an R4 0..* CodeableConcept list into STU3's single element plus the rest, the rest kept
/// in extensions with `url`.
pub(crate) fn one_of_many(
    many: &[CodeableConcept],
    url: &str,
    exts: &mut Vec<Extension>,
) -> Option<CodeableConcept> {
    for rest in many.iter().skip(1) {
        exts.push(ext_value(url, "valueCodeableConcept", rest));
    }
    many.first().cloned()
}

/// Joins STU3's single element with the extra ones kept in extensions with `url`.
pub(crate) fn many_of_one(
    one: Option<&CodeableConcept>,
    url: &str,
    exts: &mut Vec<Extension>,
) -> Vec<CodeableConcept> {
    let rest = take_ext(exts, url);
    one.cloned()
        .into_iter()
        .chain(
            rest.iter()
                .filter_map(|e| ext_get(e, "valueCodeableConcept")),
        )
        .collect()
}

/// STU3 → R4 code-system URL (`http://hl7.org/fhir/v2/0203` → `http://terminology.hl7.org/
/// CodeSystem/v2-0203`, the same for v3 and the named FHIR code systems the desk sends).
pub(crate) fn system_to_r4(system: &str) -> String {
    const TERM: &str = "http://terminology.hl7.org/CodeSystem/";
    if let Some(table) = system.strip_prefix("http://hl7.org/fhir/v2/") {
        return format!("{TERM}v2-{table}");
    }
    if let Some(name) = system.strip_prefix("http://hl7.org/fhir/v3/") {
        return format!("{TERM}v3-{name}");
    }
    match system {
        crate::urls::POLICYHOLDER_RELATIONSHIP => format!("{TERM}subscriber-relationship"),
        _ => system.to_owned(),
    }
}

/// R4 → STU3 code-system URL (the inverse of [`system_to_r4`]).
pub(crate) fn system_to_stu3(system: &str) -> String {
    let Some(tail) = system.strip_prefix("http://terminology.hl7.org/CodeSystem/") else {
        return system.to_owned();
    };
    if let Some(table) = tail.strip_prefix("v2-") {
        return format!("http://hl7.org/fhir/v2/{table}");
    }
    if let Some(name) = tail.strip_prefix("v3-") {
        return format!("http://hl7.org/fhir/v3/{name}");
    }
    match tail {
        "subscriber-relationship" => crate::urls::POLICYHOLDER_RELATIONSHIP.to_owned(),
        _ => system.to_owned(),
    }
}

/// A concept with every coding's system mapped by `map`.
pub(crate) fn map_systems(cc: &CodeableConcept, map: fn(&str) -> String) -> CodeableConcept {
    let mut out = cc.clone();
    for c in &mut out.coding {
        c.system = c.system.as_deref().map(map);
    }
    out
}

/// Replaces the resource type in a literal reference (`ReferralRequest/1` → `ServiceRequest/1`),
/// keeping any base URL; other references are returned unchanged.
pub(crate) fn retype(reference: &crate::Reference, from: &str, to: &str) -> crate::Reference {
    let mut out = reference.clone();
    if let Some(r) = &reference.reference {
        let pattern = format!("{from}/");
        if r.starts_with(&pattern) || r.contains(&format!("/{pattern}")) {
            out.reference = Some(r.replacen(&pattern, &format!("{to}/"), 1));
        }
    }
    out
}

/// A malformed-resource error for `resource_type`.
pub(crate) fn invalid(resource_type: &str, message: impl Into<String>) -> ModelError {
    ModelError::InvalidResource {
        resource_type: resource_type.to_owned(),
        message: message.into(),
    }
}

/// Parses an R4 resource of type `T` from JSON, naming the type when it fails.
pub(crate) fn parse<T: DeserializeOwned>(
    resource_type: &str,
    value: serde_json::Value,
) -> Result<T, ModelError> {
    serde_json::from_value(value).map_err(|e| invalid(resource_type, e.to_string()))
}
