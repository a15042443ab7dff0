//! `Resource`: any resource the model knows, chosen by `resourceType`, with every other type kept
//! as raw JSON so bundles from real servers are never rejected for containing something new.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{
    Appointment, Bundle, CapabilityStatement, Coverage, HealthcareService, JsonMap, Location,
    ModelError, OperationOutcome, Organization, Parameters, Patient, Practitioner,
    PractitionerRole, Schedule, Slot,
};

/// The resource types parsed into named structs; the last one ("Slot") is the match fallback.
const KNOWN_TYPES: [&str; 14] = [
    "Appointment",
    "Bundle",
    "CapabilityStatement",
    "Coverage",
    "HealthcareService",
    "Location",
    "OperationOutcome",
    "Organization",
    "Parameters",
    "Patient",
    "Practitioner",
    "PractitionerRole",
    "Schedule",
    "Slot",
];

/// A FHIR resource of a type this model names, or any other type as JSON.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "resources are moved rarely; boxing hurts every use"
)]
pub enum Resource {
    Appointment(Appointment),
    Bundle(Bundle),
    CapabilityStatement(CapabilityStatement),
    Coverage(Coverage),
    HealthcareService(HealthcareService),
    Location(Location),
    OperationOutcome(OperationOutcome),
    Organization(Organization),
    Parameters(Parameters),
    Patient(Patient),
    Practitioner(Practitioner),
    PractitionerRole(PractitionerRole),
    Schedule(Schedule),
    Slot(Slot),
    /// Any other resource type, kept verbatim (it still has its `resourceType`).
    Other(JsonMap),
}

macro_rules! projections {
    ($($variant:ident => $as:ident),* $(,)?) => {
        impl Resource {
            $(
                #[doc = concat!("The ", stringify!($variant), ", if this is one.")]
                pub fn $as(&self) -> Option<&$variant> {
                    match self { Self::$variant(r) => Some(r), _ => None }
                }
            )*

            /// The `resourceType` name.
            pub fn resource_type(&self) -> &str {
                match self {
                    $(Self::$variant(_) => stringify!($variant),)*
                    Self::CapabilityStatement(_) => "CapabilityStatement",
                    Self::Other(m) => m.get("resourceType").and_then(|v| v.as_str()).unwrap_or(""),
                }
            }
        }
    };
}

projections!(
    Appointment => as_appointment,
    Bundle => as_bundle,
    Coverage => as_coverage,
    HealthcareService => as_healthcare_service,
    Location => as_location,
    OperationOutcome => as_operation_outcome,
    Organization => as_organization,
    Parameters => as_parameters,
    Patient => as_patient,
    Practitioner => as_practitioner,
    PractitionerRole => as_practitioner_role,
    Schedule => as_schedule,
    Slot => as_slot,
);

impl Resource {
    /// Parses a resource from JSON, reporting which type failed and why.
    pub fn from_json_value(value: serde_json::Value) -> Result<Self, ModelError> {
        let serde_json::Value::Object(map) = value else {
            return Err(ModelError::InvalidResource {
                resource_type: "(none)".to_owned(),
                message: "a resource must be a JSON object".to_owned(),
            });
        };
        Self::from_map(map)
    }

    fn from_map(map: JsonMap) -> Result<Self, ModelError> {
        let ty = match map.get("resourceType") {
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => {
                return Err(ModelError::InvalidResource {
                    resource_type: "(none)".to_owned(),
                    message: "resourceType is missing".to_owned(),
                });
            }
        };
        if !KNOWN_TYPES.contains(&ty.as_str()) {
            return Ok(Self::Other(map));
        }
        let value = serde_json::Value::Object(map);
        let bad = |e: serde_json::Error| ModelError::InvalidResource {
            resource_type: ty.clone(),
            message: e.to_string(),
        };
        Ok(match ty.as_str() {
            "Appointment" => Self::Appointment(serde_json::from_value(value).map_err(bad)?),
            "Bundle" => Self::Bundle(serde_json::from_value(value).map_err(bad)?),
            "CapabilityStatement" => {
                Self::CapabilityStatement(serde_json::from_value(value).map_err(bad)?)
            }
            "Coverage" => Self::Coverage(serde_json::from_value(value).map_err(bad)?),
            "HealthcareService" => {
                Self::HealthcareService(serde_json::from_value(value).map_err(bad)?)
            }
            "Location" => Self::Location(serde_json::from_value(value).map_err(bad)?),
            "OperationOutcome" => {
                Self::OperationOutcome(serde_json::from_value(value).map_err(bad)?)
            }
            "Organization" => Self::Organization(serde_json::from_value(value).map_err(bad)?),
            "Parameters" => Self::Parameters(serde_json::from_value(value).map_err(bad)?),
            "Patient" => Self::Patient(serde_json::from_value(value).map_err(bad)?),
            "Practitioner" => Self::Practitioner(serde_json::from_value(value).map_err(bad)?),
            "PractitionerRole" => {
                Self::PractitionerRole(serde_json::from_value(value).map_err(bad)?)
            }
            "Schedule" => Self::Schedule(serde_json::from_value(value).map_err(bad)?),
            _ => Self::Slot(serde_json::from_value(value).map_err(bad)?),
        })
    }

    /// The resource's `id`, if it has one.
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Appointment(r) => r.id.as_deref(),
            Self::Bundle(r) => r.id.as_deref(),
            Self::CapabilityStatement(r) => r.id.as_deref(),
            Self::Coverage(r) => r.id.as_deref(),
            Self::HealthcareService(r) => r.id.as_deref(),
            Self::Location(r) => r.id.as_deref(),
            Self::OperationOutcome(r) => r.id.as_deref(),
            Self::Organization(r) => r.id.as_deref(),
            Self::Parameters(r) => r.id.as_deref(),
            Self::Patient(r) => r.id.as_deref(),
            Self::Practitioner(r) => r.id.as_deref(),
            Self::PractitionerRole(r) => r.id.as_deref(),
            Self::Schedule(r) => r.id.as_deref(),
            Self::Slot(r) => r.id.as_deref(),
            Self::Other(m) => m.get("id").and_then(|v| v.as_str()),
        }
    }
}

impl Serialize for Resource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Appointment(r) => r.serialize(s),
            Self::Bundle(r) => r.serialize(s),
            Self::CapabilityStatement(r) => r.serialize(s),
            Self::Coverage(r) => r.serialize(s),
            Self::HealthcareService(r) => r.serialize(s),
            Self::Location(r) => r.serialize(s),
            Self::OperationOutcome(r) => r.serialize(s),
            Self::Organization(r) => r.serialize(s),
            Self::Parameters(r) => r.serialize(s),
            Self::Patient(r) => r.serialize(s),
            Self::Practitioner(r) => r.serialize(s),
            Self::PractitionerRole(r) => r.serialize(s),
            Self::Schedule(r) => r.serialize(s),
            Self::Slot(r) => r.serialize(s),
            Self::Other(m) => m.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Resource {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = JsonMap::deserialize(d)?;
        Self::from_map(map).map_err(D::Error::custom)
    }
}

macro_rules! from_impls {
    ($($variant:ident),*) => {
        $(impl From<$variant> for Resource {
            fn from(r: $variant) -> Self { Self::$variant(r) }
        })*
    };
}
from_impls!(
    Appointment,
    Bundle,
    CapabilityStatement,
    Coverage,
    HealthcareService,
    Location,
    OperationOutcome,
    Organization,
    Parameters,
    Patient,
    Practitioner,
    PractitionerRole,
    Schedule,
    Slot
);
