//! Every JSON example and conformance resource the IG publishes parses with `fhir-model` and
//! serialises back without losing a field. Reads `../shared/argonaut-examples` in place; skips
//! with a notice when that folder is absent (a newcomer's clone), fails then under `CI`.
#![allow(clippy::unwrap_used, reason = "tests")]

#[path = "../../../tests/support/peer.rs"]
mod peer;

use std::path::PathBuf;

use fhir_model::Resource;
use serde_json::Value;

fn examples_dir() -> Option<PathBuf> {
    let root = std::env::var_os("REFDESK_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let dir = root.join("argonaut-examples");
    peer::or_skip(
        dir.is_dir().then_some(dir),
        "../shared/argonaut-examples",
        "clone the shared folder next to the repository as ../shared, or set REFDESK_SHARED",
    )
}

fn json_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        // The publisher's OpenAPI sketches are not FHIR resources.
        .filter(|p| !p.to_string_lossy().ends_with(".openapi.json"))
        .collect();
    files.sort();
    files
}

/// FHIR JSON equality: numbers compare by value (1.0 == 1), object key order is irrelevant.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        _ => a == b,
    }
}

fn roundtrip_all(sub: &str) -> usize {
    let Some(dir) = examples_dir() else {
        return 0;
    };
    let files = json_files(&dir.join(sub));
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let text = text.trim_start_matches('\u{feff}');
        let original: Value = serde_json::from_str(text).unwrap();
        let parsed: Resource = serde_json::from_value(original.clone())
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
        let back = serde_json::to_value(&parsed).unwrap();
        assert!(
            same(&original, &back),
            "{} lost or changed fields on round trip",
            path.display()
        );
    }
    files.len()
}

#[test]
fn every_ig_example_round_trips_without_losing_fields() {
    let n = roundtrip_all("examples");
    if n > 0 {
        assert_eq!(n, 23, "the IG publishes 23 JSON examples");
    }
}

#[test]
fn every_conformance_resource_round_trips() {
    let n = roundtrip_all("conformance");
    if n > 0 {
        assert!(
            n >= 30,
            "expected the IG's conformance JSON files, found {n}"
        );
    }
}

#[test]
fn the_example_avail_bundle_exposes_its_appointments_and_outcome() {
    let Some(dir) = examples_dir() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("examples/Bundle-hal-dr-y-appts.json")).unwrap();
    let Resource::Bundle(bundle) = serde_json::from_str(&text).unwrap() else {
        panic!("not a Bundle")
    };
    assert_eq!(bundle.type_, "searchset");
    let appts: Vec<_> = bundle.resources(Resource::as_appointment).collect();
    assert_eq!(appts.len(), 3);
    assert!(
        appts
            .iter()
            .all(|a| a.status == "proposed" && a.start.is_some())
    );
    assert_eq!(bundle.outcomes().count(), 1);
}
