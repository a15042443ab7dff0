//! `r4::Resource`: any R4 resource the model names, chosen by `resourceType`, every other type
//! kept as JSON, and the conversion of a whole resource between the versions.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::convert::{invalid, parse};
use super::{
    Appointment, Bundle, CapabilityStatement, Coverage, OperationOutcome, Parameters, Patient,
    Schedule, ServiceRequest, Slot, Task,
};
use crate::{JsonMap, ModelError};

/// An R4 resource of a type this model names, or any other type as JSON.
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
    OperationOutcome(OperationOutcome),
    Parameters(Parameters),
    Patient(Patient),
    Schedule(Schedule),
    ServiceRequest(ServiceRequest),
    Slot(Slot),
    Task(Task),
    /// Any other resource type (Practitioner, Location, ...), kept verbatim.
    Other(JsonMap),
}

/// Directory resources whose STU3 0..1 `category` is 0..* in R4.
const LISTED_CATEGORY: [&str; 1] = ["HealthcareService"];

macro_rules! projections {
    ($($variant:ident => $as:ident),* $(,)?) => {
        impl Resource {
            $(
                #[doc = concat!("The ", stringify!($variant), ", if this is one.")]
                pub fn $as(&self) -> Option<&$variant> {
                    match self { Self::$variant(r) => Some(r), _ => None }
                }
            )*
        }
        $(impl From<$variant> for Resource {
            fn from(r: $variant) -> Self { Self::$variant(r) }
        })*
    };
}

projections!(
    Appointment => as_appointment,
    Bundle => as_bundle,
    CapabilityStatement => as_capability_statement,
    Coverage => as_coverage,
    OperationOutcome => as_operation_outcome,
    Parameters => as_parameters,
    Patient => as_patient,
    Schedule => as_schedule,
    ServiceRequest => as_service_request,
    Slot => as_slot,
    Task => as_task,
);

impl Resource {
    /// Parses an R4 resource from JSON, reporting which type failed and why.
    pub fn from_json(value: serde_json::Value) -> Result<Self, ModelError> {
        let serde_json::Value::Object(map) = value else {
            return Err(invalid("(none)", "a resource must be a JSON object"));
        };
        let Some(ty) = map.get("resourceType").and_then(|v| v.as_str()) else {
            return Err(invalid("(none)", "resourceType is missing"));
        };
        let ty = ty.to_owned();
        let value = serde_json::Value::Object(map);
        Ok(match ty.as_str() {
            "Appointment" => Self::Appointment(parse(&ty, value)?),
            "Bundle" => Self::Bundle(parse(&ty, value)?),
            "CapabilityStatement" => Self::CapabilityStatement(parse(&ty, value)?),
            "Coverage" => Self::Coverage(parse(&ty, value)?),
            "OperationOutcome" => Self::OperationOutcome(parse(&ty, value)?),
            "Parameters" => Self::Parameters(parse(&ty, value)?),
            "Patient" => Self::Patient(parse(&ty, value)?),
            "Schedule" => Self::Schedule(parse(&ty, value)?),
            "ServiceRequest" => Self::ServiceRequest(parse(&ty, value)?),
            "Slot" => Self::Slot(parse(&ty, value)?),
            "Task" => Self::Task(parse(&ty, value)?),
            _ => match value {
                serde_json::Value::Object(map) => Self::Other(map),
                _ => return Err(invalid(&ty, "a resource must be a JSON object")),
            },
        })
    }

    /// The JSON form.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The `resourceType` name.
    pub fn resource_type(&self) -> &str {
        match self {
            Self::Appointment(_) => "Appointment",
            Self::Bundle(_) => "Bundle",
            Self::CapabilityStatement(_) => "CapabilityStatement",
            Self::Coverage(_) => "Coverage",
            Self::OperationOutcome(_) => "OperationOutcome",
            Self::Parameters(_) => "Parameters",
            Self::Patient(_) => "Patient",
            Self::Schedule(_) => "Schedule",
            Self::ServiceRequest(_) => "ServiceRequest",
            Self::Slot(_) => "Slot",
            Self::Task(_) => "Task",
            Self::Other(m) => m.get("resourceType").and_then(|v| v.as_str()).unwrap_or(""),
        }
    }

    /// The resource's `id`, if it has one.
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Appointment(r) => r.id.as_deref(),
            Self::Bundle(r) => r.id.as_deref(),
            Self::CapabilityStatement(r) => r.id.as_deref(),
            Self::Coverage(r) => r.id.as_deref(),
            Self::OperationOutcome(r) => r.id.as_deref(),
            Self::Parameters(r) => r.id.as_deref(),
            Self::Patient(r) => r.id.as_deref(),
            Self::Schedule(r) => r.id.as_deref(),
            Self::ServiceRequest(r) => r.id.as_deref(),
            Self::Slot(r) => r.id.as_deref(),
            Self::Task(r) => r.id.as_deref(),
            Self::Other(m) => m.get("id").and_then(|v| v.as_str()),
        }
    }

    /// The R4 form of an STU3 resource. Types without an R4 model travel as JSON (the directory
    /// resources the desk reads have the same shape in both versions).
    pub fn from_stu3(r: &crate::Resource) -> Self {
        use crate::Resource as S;
        match r {
            S::Appointment(x) => Self::Appointment(Appointment::from_stu3(x)),
            S::Bundle(x) => Self::Bundle(Bundle::from_stu3(x)),
            S::CapabilityStatement(x) => {
                Self::CapabilityStatement(CapabilityStatement::from_stu3(x))
            }
            S::Coverage(x) => Self::Coverage(Coverage::from_stu3(x)),
            S::OperationOutcome(x) => Self::OperationOutcome(x.clone()),
            S::Parameters(x) => Self::Parameters(Parameters::from_stu3(x)),
            S::Patient(x) => Self::Patient(Patient::from_stu3(x)),
            S::Schedule(x) => Self::Schedule(Schedule::from_stu3(x)),
            S::Slot(x) => Self::Slot(Slot::from_stu3(x)),
            other => match serde_json::to_value(other) {
                Ok(serde_json::Value::Object(mut map)) => {
                    category_cardinality(&mut map, true);
                    Self::Other(map)
                }
                _ => Self::Other(JsonMap::new()),
            },
        }
    }

    /// The STU3 form; fails when the resource (or one it carries) is malformed.
    pub fn to_stu3(&self) -> Result<crate::Resource, ModelError> {
        use crate::Resource as S;
        Ok(match self {
            Self::Appointment(x) => S::Appointment(x.to_stu3()?),
            Self::Bundle(x) => S::Bundle(x.to_stu3()?),
            Self::CapabilityStatement(x) => S::CapabilityStatement(x.to_stu3()?),
            Self::Coverage(x) => S::Coverage(x.to_stu3()?),
            Self::OperationOutcome(x) => S::OperationOutcome(x.clone()),
            Self::Parameters(x) => S::Parameters(x.to_stu3()?),
            Self::Patient(x) => S::Patient(x.to_stu3()?),
            Self::Schedule(x) => S::Schedule(x.to_stu3()?),
            Self::Slot(x) => S::Slot(x.to_stu3()?),
            // The desk never sends these to an STU3 organisation; their JSON travels as is.
            Self::ServiceRequest(_) | Self::Task(_) => {
                crate::Resource::from_json_value(self.to_json())?
            }
            Self::Other(map) => {
                let mut map = map.clone();
                category_cardinality(&mut map, false);
                crate::Resource::from_json_value(serde_json::Value::Object(map))?
            }
        })
    }
}

/// HealthcareService.category: STU3 0..1 ⇄ R4 0..* (the first category is what STU3 can hold).
fn category_cardinality(map: &mut JsonMap, to_r4: bool) {
    let ty = map.get("resourceType").and_then(|v| v.as_str());
    if !ty.is_some_and(|t| LISTED_CATEGORY.contains(&t)) {
        return;
    }
    let Some(category) = map.get_mut("category") else {
        return;
    };
    match (to_r4, category.take()) {
        (true, one @ serde_json::Value::Object(_)) => *category = serde_json::json!([one]),
        (false, serde_json::Value::Array(many)) => match many.into_iter().next() {
            Some(first) => *category = first,
            None => {
                map.remove("category");
            }
        },
        (_, unchanged) => *category = unchanged,
    }
}

impl Serialize for Resource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Appointment(r) => r.serialize(s),
            Self::Bundle(r) => r.serialize(s),
            Self::CapabilityStatement(r) => r.serialize(s),
            Self::Coverage(r) => r.serialize(s),
            Self::OperationOutcome(r) => r.serialize(s),
            Self::Parameters(r) => r.serialize(s),
            Self::Patient(r) => r.serialize(s),
            Self::Schedule(r) => r.serialize(s),
            Self::ServiceRequest(r) => r.serialize(s),
            Self::Slot(r) => r.serialize(s),
            Self::Task(r) => r.serialize(s),
            Self::Other(m) => m.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Resource {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = JsonMap::deserialize(d)?;
        Self::from_json(serde_json::Value::Object(map)).map_err(D::Error::custom)
    }
}
