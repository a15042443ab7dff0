//! Proptest strategies for feeding hostile input to the parsers at the trust boundary: arbitrary
//! bytes, arbitrary (structurally valid) JSON, and a well-formed resource with some of its
//! nodes replaced by values of the wrong type or removed. Dev-only: no production crate
//! depends on it.
//!
//! The case count is [`config`]'s: `PROPTEST_CASES` when set, otherwise 10,000 per property,
//! which is what `scripts/test.sh` runs; `scripts/fuzz.sh` runs the same properties longer.

pub mod templates;

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Number, Value};

/// Cases per property when `PROPTEST_CASES` is not set.
pub const DEFAULT_CASES: u32 = 10_000;

/// The slowest a single parse may be before the case counts as a hang. Generous: a debug build
/// on a loaded two-core machine, and the inputs are at most a few kilobytes.
pub const MAX_PARSE_TIME: Duration = Duration::from_secs(2);

/// The runner configuration every fuzz property uses: `PROPTEST_CASES` or 10,000 cases, no
/// regression files written beside the sources (a failure found becomes a named unit test).
pub fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_CASES);
    Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    }
}

/// Runs `parse` and fails the case when it took longer than [`MAX_PARSE_TIME`] (a hang).
/// A panic inside `parse` fails the case by itself.
pub fn bounded<T>(parse: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    let started = Instant::now();
    let out = parse();
    let took = started.elapsed();
    if took > MAX_PARSE_TIME {
        return Err(TestCaseError::fail(format!("parse took {took:?}")));
    }
    Ok(out)
}

/// Names a FHIR/OAuth document uses, so random objects often hit real fields.
const KEYS: &[&str] = &[
    "resourceType",
    "id",
    "type",
    "total",
    "entry",
    "resource",
    "fullUrl",
    "link",
    "relation",
    "url",
    "start",
    "end",
    "status",
    "participant",
    "actor",
    "reference",
    "display",
    "required",
    "specialty",
    "serviceType",
    "appointmentType",
    "coding",
    "system",
    "code",
    "text",
    "slot",
    "minutesDuration",
    "comment",
    "parameter",
    "name",
    "part",
    "valueString",
    "valueDate",
    "valueDateTime",
    "valueInstant",
    "valueInteger",
    "valuePositiveInt",
    "valueBoolean",
    "valueReference",
    "valueCode",
    "valueUri",
    "valueCoding",
    "valueCodeableConcept",
    "valueIdentifier",
    "valuePeriod",
    "issue",
    "severity",
    "details",
    "diagnostics",
    "expression",
    "location",
    "rest",
    "mode",
    "operation",
    "definition",
    "security",
    "extension",
    "valueUrl",
    "interaction",
    "searchParam",
    "fhirVersion",
    "format",
    "patchFormat",
    "kind",
    "meta",
    "versionId",
    "lastUpdated",
    "identifier",
    "value",
    "birthDate",
    "gender",
    "family",
    "given",
    "telecom",
    "address",
    "beneficiary",
    "subscriber",
    "payor",
    "period",
    "schedule",
    "freeBusyType",
    "contained",
    "keys",
    "kty",
    "kid",
    "crv",
    "x",
    "y",
    "n",
    "e",
    "alg",
    "use",
    "key_ops",
    "access_token",
    "token_type",
    "expires_in",
    "scope",
    "error",
    "error_description",
    "token_endpoint",
    "grant_types_supported",
    "scopes_supported",
    "token_endpoint_auth_methods_supported",
    "token_endpoint_auth_signing_alg_values_supported",
    "capabilities",
    "jku",
    "typ",
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "jti",
    "",
];

/// Texts that are meaningful somewhere, so random values often reach deeper branches.
const TEXTS: &[&str] = &[
    "Bundle",
    "Appointment",
    "Slot",
    "Patient",
    "Coverage",
    "Parameters",
    "OperationOutcome",
    "CapabilityStatement",
    "Schedule",
    "Practitioner",
    "Basic",
    "searchset",
    "collection",
    "proposed",
    "pending",
    "booked",
    "cancelled",
    "free",
    "busy",
    "error",
    "fatal",
    "warning",
    "information",
    "processing",
    "not-found",
    "appt-id",
    "appt-resource",
    "patient-reference",
    "start",
    "end",
    "provider",
    "location",
    "specialty",
    "visit-type",
    "practitioner",
    "_count",
    "2030-01-07T09:00:00-05:00",
    "2030-01-07T09:00:00Z",
    "2030-01-07",
    "2030-01",
    "2030",
    "9999-12-31T23:59:59+14:00",
    "0000-01-01T00:00:00Z",
    "2030-02-30T25:61:61Z",
    "2030-01-07T09:00:00.123456789012-05:00",
    "-2030-01-07",
    "Practitioner/1",
    "Patient/p1",
    "Appointment/a/_history/2",
    "#contained",
    "http://hl7.org/fhir/StructureDefinition/x",
    "bearer",
    "Bearer",
    "client_credentials",
    "private_key_jwt",
    "ES384",
    "RS384",
    "HS256",
    "none",
    "EC",
    "RSA",
    "P-384",
    "P-256",
    "sig",
    "enc",
    "JWT",
    "system/*.read",
    "system/Appointment.cruds",
    "http://127.0.0.1:1/token",
    "/token",
    "relative",
    "3600",
    "-1",
    "1e400",
    "",
    " ",
    "\u{0}",
    "é",
    "\u{feff}",
    "💥",
];

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1.0e300f64..1.0e300).prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(Value::from(0)),
        Just(Value::from(-1)),
        Just(Value::from(u64::MAX)),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(TEXTS).prop_map(str::to_owned),
        1 => any::<String>().prop_map(|s| s.chars().take(40).collect()),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => "[a-zA-Z_]{0,12}",
    ]
}

/// A JSON scalar: null, a boolean, a number (large, negative, fractional) or a text.
pub fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ]
}

/// Arbitrary JSON nested a few levels deep, objects keyed mostly by real field names.
pub fn json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Arbitrary JSON whose top level is an object with a `resourceType` from the list, so typed
/// parsers get past their first check.
pub fn json_resource(types: &'static [&'static str]) -> impl Strategy<Value = Value> {
    (
        prop::sample::select(types),
        prop::collection::vec((key(), json()), 0..8),
    )
        .prop_map(|(ty, fields)| {
            let mut map: Map<String, Value> = fields.into_iter().collect();
            map.insert("resourceType".to_owned(), Value::from(ty));
            Value::Object(map)
        })
}

/// One edit of a template: the pre-order index of the node (modulo the node count) and what
/// it becomes (`None` removes it from its parent).
type Edit = (usize, Option<Value>);

/// `template` with one to four of its nodes replaced by arbitrary JSON of any type, or removed.
pub fn mutated(template: Value) -> impl Strategy<Value = Value> {
    let edit = (any::<usize>(), prop::option::weighted(0.8, json()));
    prop::collection::vec(edit, 1..5).prop_map(move |edits| {
        let mut doc = template.clone();
        for edit in edits {
            apply(&mut doc, edit);
        }
        doc
    })
}

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(m) => m.values().map(count).sum(),
        _ => 0,
    }
}

fn apply(doc: &mut Value, (index, replacement): Edit) {
    let mut target = index % count(doc);
    if target == 0 {
        *doc = replacement.unwrap_or(Value::Null);
        return;
    }
    target -= 1;
    edit_child(doc, target, replacement);
}

/// Finds the `target`-th descendant (pre-order, not counting `parent`) and edits it in place.
fn edit_child(parent: &mut Value, mut target: usize, replacement: Option<Value>) -> bool {
    let children: Vec<&mut Value> = match parent {
        Value::Array(a) => a.iter_mut().collect(),
        Value::Object(m) => m.values_mut().collect(),
        _ => return false,
    };
    let mut remove = None;
    for (i, child) in children.into_iter().enumerate() {
        if target == 0 {
            match replacement {
                Some(v) => *child = v,
                None => remove = Some(i),
            }
            break;
        }
        let size = count(child);
        if target < size {
            return edit_child(child, target - 1, replacement);
        }
        target -= size;
    }
    match (remove, parent) {
        (Some(i), Value::Array(a)) => {
            a.remove(i);
        }
        (Some(i), Value::Object(m)) => {
            if let Some(k) = m.keys().nth(i).cloned() {
                m.shift_remove(&k);
            }
        }
        _ => {}
    }
    true
}

/// Arbitrary bytes, JSON text cut short or with a byte flipped, and deeply nested brackets: what a
/// broken or hostile server may send instead of a document.
pub fn bytes(template: Value) -> impl Strategy<Value = Vec<u8>> {
    let text = template.to_string().into_bytes();
    let len = text.len().max(1);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        (0..len).prop_map({
            let text = text.clone();
            move |cut| text[..cut].to_vec()
        }),
        (0..len, any::<u8>()).prop_map(move |(at, b)| {
            let mut t = text.clone();
            if let Some(slot) = t.get_mut(at) {
                *slot = b;
            }
            t
        }),
        (1usize..4096).prop_map(|depth| {
            let mut t = vec![b'['; depth];
            t.extend(std::iter::repeat_n(b']', depth));
            t
        }),
        json().prop_map(|v| v.to_string().into_bytes()),
    ]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn mutations_change_the_template_and_keep_it_json() {
        let template = serde_json::json!({"a": [1, {"b": "c"}], "d": true});
        let mut runner = TestRunner::deterministic();
        let strategy = mutated(template.clone());
        let changed = (0..200)
            .filter(|_| strategy.new_tree(&mut runner).unwrap().current() != template)
            .count();
        assert!(
            changed > 150,
            "only {changed} of 200 mutations changed anything"
        );
    }

    #[test]
    fn the_case_count_defaults_to_ten_thousand() {
        if std::env::var_os("PROPTEST_CASES").is_none() {
            assert_eq!(config().cases, 10_000);
        }
    }
}
