//! Patient (US Core Patient as the IG uses it).

use serde::{Deserialize, Serialize};

use super::resource_tag;
use crate::datatypes::is_empty;
use crate::{
    Address, CodeableConcept, ContactPoint, Extension, HumanName, Identifier, JsonMap, Meta,
    Reference,
};

resource_tag!(PatientType, "Patient");

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    #[serde(rename = "resourceType")]
    pub resource_type: PatientType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub extension: Vec<Extension>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub identifier: Vec<Identifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub name: Vec<HumanName>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub telecom: Vec<ContactPoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(rename = "birthDate", skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub address: Vec<Address>,
    #[serde(rename = "maritalStatus", skip_serializing_if = "Option::is_none")]
    pub marital_status: Option<CodeableConcept>,
    #[serde(
        rename = "managingOrganization",
        skip_serializing_if = "Option::is_none"
    )]
    pub managing_organization: Option<Reference>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Patient {
    /// The first family name, if any.
    pub fn family(&self) -> Option<&str> {
        self.name.iter().find_map(|n| n.family.as_deref())
    }

    /// The first given name, if any.
    pub fn given(&self) -> Option<&str> {
        self.name
            .iter()
            .find_map(|n| n.given.first().map(String::as_str))
    }

    /// A display name ("Given Family").
    pub fn display_name(&self) -> String {
        self.name
            .first()
            .map(HumanName::display)
            .unwrap_or_default()
    }

    /// The value of the first identifier in `system`.
    pub fn identifier_value(&self, system: &str) -> Option<&str> {
        self.identifier
            .iter()
            .find(|i| i.system.as_deref() == Some(system))
            .and_then(|i| i.value.as_deref())
    }
}
