//! R4 Patient. The elements the desk uses have the same shape in both versions; what changes is
//! where the HL7 code systems live (identifier types, marital status moved to
//! terminology.hl7.org), mapped here both ways.

use serde::{Deserialize, Serialize};

use super::convert::{map_systems, system_to_r4, system_to_stu3};
use crate::datatypes::is_empty;
use crate::{
    Address, CodeableConcept, ContactPoint, Extension, HumanName, Identifier, JsonMap, Meta,
    ModelError, PatientType, Reference,
};

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

/// Identifiers with their `type` codings' systems mapped by `map`.
pub(crate) fn map_identifiers(ids: &[Identifier], map: fn(&str) -> String) -> Vec<Identifier> {
    ids.iter()
        .map(|i| Identifier {
            type_: i.type_.as_ref().map(|t| map_systems(t, map)),
            ..i.clone()
        })
        .collect()
}

impl Patient {
    /// The R4 form of an STU3 Patient.
    pub fn from_stu3(p: &crate::Patient) -> Self {
        Self {
            resource_type: PatientType,
            id: p.id.clone(),
            meta: p.meta.clone(),
            extension: p.extension.clone(),
            identifier: map_identifiers(&p.identifier, system_to_r4),
            active: p.active,
            name: p.name.clone(),
            telecom: p.telecom.clone(),
            gender: p.gender.clone(),
            birth_date: p.birth_date.clone(),
            address: p.address.clone(),
            marital_status: p
                .marital_status
                .as_ref()
                .map(|m| map_systems(m, system_to_r4)),
            managing_organization: p.managing_organization.clone(),
            extra: p.extra.clone(),
        }
    }

    /// The STU3 form (never fails today; a `Result` like every other conversion).
    pub fn to_stu3(&self) -> Result<crate::Patient, ModelError> {
        Ok(crate::Patient {
            resource_type: PatientType,
            id: self.id.clone(),
            meta: self.meta.clone(),
            extension: self.extension.clone(),
            identifier: map_identifiers(&self.identifier, system_to_stu3),
            active: self.active,
            name: self.name.clone(),
            telecom: self.telecom.clone(),
            gender: self.gender.clone(),
            birth_date: self.birth_date.clone(),
            address: self.address.clone(),
            marital_status: self
                .marital_status
                .as_ref()
                .map(|m| map_systems(m, system_to_stu3)),
            managing_organization: self.managing_organization.clone(),
            extra: self.extra.clone(),
        })
    }
}
