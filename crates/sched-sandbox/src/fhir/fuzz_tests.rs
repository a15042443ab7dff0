//! Property tests of the FHIR server's request readers: the JSON body as a typed resource, the
//! `$find`/`$hold`/`$book` Parameters, the query strings of search and `$find`, and the PATCH
//! documents. Any input gives a value or a `FhirError` (a 4xx), never a panic or a hang.
#![allow(clippy::unwrap_used, reason = "tests")]

use fhir_model::{BookParams, FindParams, HoldParams, Parameters, PrefetchParams};
use fuzz_support::{bounded, config, json, json_resource, mutated, templates};
use proptest::prelude::*;
use serde_json::{Value, json};

use super::body::{JsonBody, only_params, query_pairs, single, values};
use super::patch::{fhirpath_patch, json_patch};
use super::search::{DateFilter, Paging};

/// What the operation handlers do with a body.
fn read_body(value: Value) {
    let body = JsonBody {
        value,
        media_type: "application/fhir+json".to_owned(),
    };
    if let Ok(p) = body.typed::<Parameters>("Parameters") {
        let _ = FindParams::from_parameters(&p);
        let _ = PrefetchParams::from_parameters(&p);
        let _ = fhirpath_patch(templates::appointment(), &p);
    }
    if let Ok(r) = body.resource() {
        let _ = HoldParams::from_body(&r);
        let _ = BookParams::from_body(&r);
    }
    let _ = json_patch(templates::appointment(), &body.value);
}

/// What the search and `$find` handlers do with a query string.
fn read_query(q: &str) {
    let pairs = query_pairs(Some(q));
    let _ = only_params(&pairs, &["start", "status", "birthdate", "_count"]);
    let _ = FindParams::from_query(&pairs);
    let _ = PrefetchParams::from_query(&pairs);
    if let (Ok(count), Ok(offset)) = (single(&pairs, "_count"), single(&pairs, "_offset")) {
        let _ = Paging::from_values(count, offset);
    }
    for name in ["start", "birthdate"] {
        for v in values(&pairs, name) {
            let _ = DateFilter::parse(name, v);
        }
    }
}

fn fhirpath() -> Value {
    json!({"resourceType": "Parameters", "parameter": [{"name": "operation", "part": [
        {"name": "type", "valueCode": "replace"}, {"name": "path", "valueString": "Appointment.status"},
        {"name": "value", "valueCode": "cancelled"}]}]})
}

fn query() -> impl Strategy<Value = String> {
    let name = prop::sample::select(
        &[
            "start",
            "end",
            "status",
            "birthdate",
            "_count",
            "_offset",
            "specialty",
            "visit-type",
            "practitioner",
            "patient-reference",
            "start:missing",
            "x",
        ][..],
    );
    let value = prop_oneof![
        Just("ge2030-01-07".to_owned()),
        Just("lt2030-01-07T09:00:00Z".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999".to_owned()),
        Just("http://x|c".to_owned()),
        "[ -~]{0,24}",
        ".{0,12}",
    ];
    prop_oneof![
        prop::collection::vec((name, value), 0..6).prop_map(|pairs| {
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish()
        }),
        "[ -~]{0,80}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_request_body_is_read_or_refused(value in prop_oneof![
        json(),
        json_resource(&["Parameters", "Appointment", "Patient", "Coverage", "Bundle"]),
    ]) {
        bounded(|| read_body(value))?;
    }

    #[test]
    fn operation_bodies_with_wrong_fields_are_read_or_refused(value in prop_oneof![
        mutated(templates::find_parameters()),
        mutated(templates::book_parameters()),
        mutated(templates::appointment()),
        mutated(fhirpath()),
        mutated(json!([{"op": "replace", "path": "/status", "value": "cancelled"},
            {"op": "add", "path": "/extension/-", "value": {"url": "u"}}])),
    ]) {
        bounded(|| read_body(value))?;
    }

    #[test]
    fn any_query_string_is_read_or_refused(q in query()) {
        bounded(|| read_query(&q))?;
    }
}
