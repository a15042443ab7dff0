//! FHIR STU3 serde types (placeholder while the model is written).
