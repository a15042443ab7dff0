//! R4 CapabilityStatement. Operations name their OperationDefinition by canonical URL (a
//! Reference in STU3), resource profiles likewise, and STU3's `acceptUnknown` is gone.

use serde::{Deserialize, Serialize};

use crate::datatypes::is_empty;
use crate::{
    CapabilityResource, CapabilitySecurity, CapabilityStatementType, JsonMap, Meta, ModelError,
    Reference,
};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CapabilityStatement {
    #[serde(rename = "resourceType")]
    pub resource_type: CapabilityStatementType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(rename = "fhirVersion", skip_serializing_if = "Option::is_none")]
    pub fhir_version: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub format: Vec<String>,
    #[serde(rename = "patchFormat", default, skip_serializing_if = "is_empty")]
    pub patch_format: Vec<String>,
    #[serde(
        rename = "implementationGuide",
        default,
        skip_serializing_if = "is_empty"
    )]
    pub implementation_guide: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub rest: Vec<CapabilityRest>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CapabilityRest {
    pub mode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security: Option<CapabilitySecurity>,
    /// Resource entries have the same shape in both versions (their per-resource `operation`s are
    /// kept as JSON; a `profile` is a canonical here and a Reference in STU3).
    #[serde(default, skip_serializing_if = "is_empty")]
    pub resource: Vec<CapabilityResource>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub operation: Vec<CapabilityOperation>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CapabilityOperation {
    pub name: String,
    /// The OperationDefinition's canonical URL.
    pub definition: String,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A resource entry with its `profile` turned from a Reference into a canonical (or back).
fn map_profile(r: &CapabilityResource, to_r4: bool) -> CapabilityResource {
    let mut out = r.clone();
    if let Some(profile) = out.extra.get_mut("profile") {
        let replacement = if to_r4 {
            profile
                .get("reference")
                .and_then(serde_json::Value::as_str)
                .map(|s| serde_json::Value::String(s.to_owned()))
        } else {
            profile
                .as_str()
                .map(|s| serde_json::json!({ "reference": s }))
        };
        if let Some(v) = replacement {
            *profile = v;
        }
    }
    out
}

impl CapabilityStatement {
    /// The R4 form of an STU3 statement: it now describes an R4 server, so `fhirVersion` becomes
    /// 4.0.1 and `acceptUnknown` (removed in R4) is dropped.
    pub fn from_stu3(c: &crate::CapabilityStatement) -> Self {
        let mut extra = c.extra.clone();
        extra.remove("acceptUnknown");
        let publisher = extra
            .remove("publisher")
            .and_then(|v| v.as_str().map(str::to_owned));
        let rest = c
            .rest
            .iter()
            .map(|r| CapabilityRest {
                mode: r.mode.clone(),
                security: r.security.clone(),
                resource: r.resource.iter().map(|x| map_profile(x, true)).collect(),
                operation: r
                    .operation
                    .iter()
                    .map(|o| CapabilityOperation {
                        name: o.name.clone(),
                        definition: o.definition.reference.clone().unwrap_or_default(),
                        extra: o.extra.clone(),
                    })
                    .collect(),
                extra: r.extra.clone(),
            })
            .collect();
        Self {
            resource_type: CapabilityStatementType,
            id: c.id.clone(),
            meta: c.meta.clone(),
            status: c.status.clone(),
            date: c.date.clone(),
            publisher,
            kind: c.kind.clone(),
            fhir_version: Some(super::FHIR_VERSION.to_owned()),
            format: c.format.clone(),
            patch_format: c.patch_format.clone(),
            implementation_guide: c.implementation_guide.clone(),
            rest,
            extra,
        }
    }

    /// The STU3 form. `fhirVersion` is kept as the server declared it, so dialect detection on
    /// the STU3 form still sees an R4 server.
    pub fn to_stu3(&self) -> Result<crate::CapabilityStatement, ModelError> {
        let mut extra = self.extra.clone();
        if let Some(p) = &self.publisher {
            extra.insert("publisher".to_owned(), p.clone().into());
        }
        let rest = self
            .rest
            .iter()
            .map(|r| crate::CapabilityRest {
                mode: r.mode.clone(),
                security: r.security.clone(),
                resource: r.resource.iter().map(|x| map_profile(x, false)).collect(),
                operation: r
                    .operation
                    .iter()
                    .map(|o| crate::CapabilityOperation {
                        name: o.name.clone(),
                        definition: Reference::to(&o.definition),
                        extra: o.extra.clone(),
                    })
                    .collect(),
                extra: r.extra.clone(),
            })
            .collect();
        Ok(crate::CapabilityStatement {
            resource_type: CapabilityStatementType,
            id: self.id.clone(),
            meta: self.meta.clone(),
            status: self.status.clone(),
            date: self.date.clone(),
            kind: self.kind.clone(),
            fhir_version: self.fhir_version.clone(),
            format: self.format.clone(),
            patch_format: self.patch_format.clone(),
            implementation_guide: self.implementation_guide.clone(),
            rest,
            extra,
        })
    }
}
