//! CapabilityStatement: what a server says it does. Clients read it to detect operations, patch
//! formats and the SMART OAuth endpoints; the sandbox publishes one.

use serde::{Deserialize, Serialize};

use super::resource_tag;
use crate::datatypes::is_empty;
use crate::{Extension, JsonMap, Meta, Reference, urls};

resource_tag!(CapabilityStatementType, "CapabilityStatement");

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
    #[serde(default, skip_serializing_if = "is_empty")]
    pub resource: Vec<CapabilityResource>,
    /// STU3: operations are declared at rest level with a reference to the OperationDefinition.
    /// (R4 servers also declare them per resource; those stay in `CapabilityResource::extra`.)
    #[serde(default, skip_serializing_if = "is_empty")]
    pub operation: Vec<CapabilityOperation>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CapabilitySecurity {
    #[serde(default, skip_serializing_if = "is_empty")]
    pub extension: Vec<Extension>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cors: Option<bool>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CapabilityResource {
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub interaction: Vec<CapabilityInteraction>,
    #[serde(rename = "updateCreate", skip_serializing_if = "Option::is_none")]
    pub update_create: Option<bool>,
    #[serde(rename = "searchParam", default, skip_serializing_if = "is_empty")]
    pub search_param: Vec<CapabilitySearchParam>,
    /// R4 per-resource operations (`name`, `definition` canonical).
    #[serde(default, skip_serializing_if = "is_empty")]
    pub operation: Vec<serde_json::Value>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CapabilityInteraction {
    pub code: String,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CapabilitySearchParam {
    pub name: String,
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CapabilityOperation {
    pub name: String,
    pub definition: Reference,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl CapabilityStatement {
    /// The server-mode rest entry.
    pub fn server_rest(&self) -> Option<&CapabilityRest> {
        self.rest.iter().find(|r| r.mode == "server")
    }

    /// The resource entry for `ty` in server mode.
    pub fn resource(&self, ty: &str) -> Option<&CapabilityResource> {
        self.server_rest()
            .and_then(|r| r.resource.iter().find(|res| res.type_ == ty))
    }

    /// Whether the server declares interaction `code` (e.g. "patch", "create") on `ty`.
    pub fn supports_interaction(&self, ty: &str, code: &str) -> bool {
        self.resource(ty)
            .is_some_and(|r| r.interaction.iter().any(|i| i.code == code))
    }

    /// Whether the server declares operation `name` (without `$`), at rest level (STU3) or on
    /// any resource (R4 style).
    pub fn supports_operation(&self, name: &str) -> bool {
        let Some(rest) = self.server_rest() else {
            return false;
        };
        let matches = |n: &str| n.trim_start_matches('$') == name;
        rest.operation.iter().any(|o| matches(&o.name))
            || rest.resource.iter().flat_map(|r| &r.operation).any(|o| {
                o.get("name")
                    .and_then(serde_json::Value::as_str)
                    .is_some_and(matches)
            })
    }

    /// The SMART `oauth-uris` extension value named `which` ("token", "authorize", ...).
    pub fn oauth_uri(&self, which: &str) -> Option<&str> {
        let security = self.server_rest()?.security.as_ref()?;
        let ext = security
            .extension
            .iter()
            .find(|e| e.url == urls::EXT_OAUTH_URIS)?;
        ext.extension
            .iter()
            .find(|e| e.url == which)
            .and_then(Extension::value_str)
    }
}
