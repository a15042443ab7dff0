//! FHIR R4 (4.0.1) types for the scheduling subset, beside the STU3 ones, and the conversions
//! between the two versions.
//!
//! The desk speaks STU3 internally; organisations that run R4 are spoken to through these types at
//! the wire. Each resource names the elements whose shape differs between the versions and keeps
//! every other element in `extra`, exactly as the STU3 types do, so nothing is lost either way.
//! Data types whose shape is the same in both versions (CodeableConcept, Reference, Identifier,
//! Period, Meta, ...) are the STU3 ones. R4 elements STU3 cannot hold travel in STU3 as the FHIR
//! cross-version extensions (`http://hl7.org/fhir/4.0/StructureDefinition/extension-<Resource>.
//! <element>`), so R4 → STU3 → R4 gives the original.

mod appointment;
mod bundle;
mod capability;
mod convert;
mod coverage;
mod parameters;
mod patient;
mod referral_request;
mod resource;
mod schedule;
mod service_request;
mod task;

pub use appointment::*;
pub use bundle::*;
pub use capability::*;
pub use coverage::*;
pub use parameters::*;
pub use patient::*;
pub use referral_request::*;
pub use resource::Resource;
pub use schedule::*;
pub use service_request::*;
pub use task::*;

/// OperationOutcome has the same shape in STU3 and R4 for every element the desk reads.
pub use crate::OperationOutcome;

/// The `fhirVersion` an R4 server declares.
pub const FHIR_VERSION: &str = "4.0.1";
