//! Property tests: every reader of a resource or of operation inputs returns a value or an
//! error for any input (arbitrary JSON, or a real document with nodes replaced by the wrong
//! type), never panics or hangs. These readers are what the client and the sandbox call on
//! every body that crosses the network. Case count: `fuzz_support::config()`.
#![allow(clippy::unwrap_used, reason = "tests")]

use fhir_model::{BookParams, FindParams, HoldParams, PrefetchParams, Resource, Token};
use fuzz_support::{bounded, config, json, json_resource, mutated, templates};
use proptest::prelude::*;
use serde_json::Value;

const TYPES: &[&str] = &[
    "Appointment",
    "Slot",
    "Patient",
    "Coverage",
    "Bundle",
    "Parameters",
    "OperationOutcome",
    "CapabilityStatement",
    "Schedule",
    "Practitioner",
    "Location",
    "Basic",
];

/// The resource reader, and every input reader that takes a resource, on one document.
fn read_everything(value: Value) {
    if let Ok(resource) = Resource::from_json_value(value) {
        let _ = serde_json::to_value(&resource);
        let _ = HoldParams::from_body(&resource);
        let _ = BookParams::from_body(&resource);
        if let Resource::Parameters(p) = &resource {
            let _ = FindParams::from_parameters(p).map(|f| f.to_query());
            let _ = PrefetchParams::from_parameters(p);
        }
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
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_json_resource_is_read_or_refused(value in json_resource(TYPES)) {
        bounded(|| read_everything(value))?;
    }

    #[test]
    fn any_json_at_all_is_read_or_refused(value in json()) {
        bounded(|| read_everything(value))?;
    }

    #[test]
    fn resources_with_wrong_fields_are_read_or_refused(value in any_template()) {
        bounded(|| read_everything(value))?;
    }

    #[test]
    fn operation_parameters_with_wrong_fields_are_read_or_refused(
        value in prop_oneof![
            mutated(templates::find_parameters()),
            mutated(templates::book_parameters()),
        ]
    ) {
        bounded(|| read_everything(value))?;
    }

    #[test]
    fn any_query_string_is_read_or_refused(
        pairs in prop::collection::vec(
            (prop::sample::select(&["start", "end", "specialty", "visit-type", "practitioner",
                "location-string", "location-reference", "patient-reference", "reason", "_count",
                "organization", "schedule", "status", "x"][..]),
             ".{0,40}"),
            0..8)
    ) {
        bounded(|| {
            let _ = FindParams::from_query(&pairs).map(|f| f.to_parameters());
            let _ = PrefetchParams::from_query(&pairs);
        })?;
    }

    #[test]
    fn any_date_or_token_text_is_read_or_refused(text in ".{0,60}") {
        bounded(|| {
            let _ = fhir_model::parse_instant(&text);
            let _ = fhir_model::parse_date_range(&text);
            let _ = Token::parse(&text);
        })?;
    }
}
