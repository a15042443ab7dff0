//! Property tests of the R4 reader and the version conversions: any JSON, or a real document with
//! nodes replaced by the wrong type, is read as R4 or refused, and every conversion of what was
//! read (R4 → STU3, STU3 → R4 and back) gives a value or a `ModelError`, never a panic. These run
//! on every body an R4 organisation sends the desk and the desk sends the R4 sandbox.
#![allow(clippy::unwrap_used, reason = "tests")]

use fhir_model::{Resource, r4};
use fuzz_support::{bounded, config, json, json_resource, mutated, templates};
use proptest::prelude::*;
use serde_json::Value;

const TYPES: &[&str] = &[
    "Appointment",
    "Slot",
    "Schedule",
    "Patient",
    "Coverage",
    "Bundle",
    "Parameters",
    "OperationOutcome",
    "CapabilityStatement",
    "HealthcareService",
    "Basic",
];

/// Reads `value` as R4 and as STU3 and converts each every way it can go.
fn convert_everything(value: Value) {
    if let Ok(r) = r4::Resource::from_json(value.clone()) {
        let _ = r.to_json();
        if let Ok(stu3) = r.to_stu3() {
            let _ = r4::Resource::from_stu3(&stu3).to_stu3();
        }
    }
    if let Ok(stu3) = Resource::from_json_value(value) {
        let back = r4::Resource::from_stu3(&stu3);
        let _ = back.to_stu3().map(serde_json::to_value);
    }
}

fn any_template() -> impl Strategy<Value = Value> {
    prop_oneof![
        mutated(templates::appointment()),
        mutated(templates::slot()),
        mutated(templates::patient()),
        mutated(templates::coverage()),
        mutated(templates::operation_outcome()),
        mutated(templates::avail_bundle()),
        mutated(templates::capability_statement()),
        mutated(templates::book_parameters()),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_json_resource_is_read_as_r4_or_refused(value in json_resource(TYPES)) {
        bounded(|| convert_everything(value))?;
    }

    #[test]
    fn any_json_at_all_is_read_as_r4_or_refused(value in json()) {
        bounded(|| convert_everything(value))?;
    }

    #[test]
    fn documents_with_wrong_fields_convert_or_are_refused(value in any_template()) {
        bounded(|| convert_everything(value))?;
    }
}
