//! The two PATCH formats the server declares: JSON Patch (RFC 6902, `application/json-patch+json`)
//! and FHIRPath Patch (a Parameters resource, `application/fhir+json`) restricted to what the
//! scheduling workflow needs: replace `status` or `comment`, add the status-reason extension.

use fhir_model::{Parameter, Parameters};
use serde_json::{Map, Value, json};

use crate::error::FhirError;

/// Applies a JSON Patch document to `doc`.
pub fn json_patch(doc: Value, patch: &Value) -> Result<Value, FhirError> {
    let ops: json_patch::Patch = serde_json::from_value(patch.clone())
        .map_err(|e| FhirError::bad_request(format!("not a JSON Patch document: {e}")))?;
    let mut doc = doc;
    json_patch::patch(&mut doc, &ops)
        .map_err(|e| FhirError::unprocessable(format!("the JSON Patch cannot be applied: {e}")))?;
    Ok(doc)
}

fn part<'a>(op: &'a Parameter, name: &str) -> Option<&'a Parameter> {
    op.part.iter().find(|p| p.name == name)
}

fn text_value(p: &Parameter) -> Option<Value> {
    p.value_code
        .as_ref()
        .or(p.value_string.as_ref())
        .map(|s| Value::String(s.clone()))
}

/// The `value` of an operation: a primitive, a valueCodeableConcept / valueExtension, or a
/// complex value given as parts (`url` + `value[x]` for an extension).
fn op_value(op: &Parameter) -> Option<Value> {
    let v = part(op, "value")?;
    if let Some(t) = text_value(v) {
        return Some(t);
    }
    if let Some(x) = v
        .extra
        .iter()
        .find(|(k, _)| k.starts_with("value"))
        .map(|(_, x)| x.clone())
    {
        return Some(x);
    }
    let mut m = Map::new();
    for p in &v.part {
        let x = p
            .value_uri
            .clone()
            .map(Value::String)
            .or_else(|| text_value(p))
            .or_else(|| {
                p.extra
                    .iter()
                    .find(|(k, _)| k.starts_with("value"))
                    .map(|(_, x)| x.clone())
            });
        let key = if p.name == "value" {
            p.extra
                .keys()
                .find(|k| k.starts_with("value"))
                .cloned()
                .unwrap_or_else(|| "valueString".to_owned())
        } else {
            p.name.clone()
        };
        if let Some(x) = x {
            m.insert(key, x);
        }
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

/// Applies a FHIRPath Patch Parameters resource to an Appointment's JSON.
pub fn fhirpath_patch(mut doc: Value, params: &Parameters) -> Result<Value, FhirError> {
    let unsupported = |why: &str| {
        FhirError::unprocessable(format!(
            "FHIRPath Patch: {why}; supported: replace Appointment.status | Appointment.comment, add Appointment.extension"
        ))
    };
    if params.parameter.is_empty() {
        return Err(FhirError::bad_request("FHIRPath Patch without operations"));
    }
    for op in &params.parameter {
        if op.name != "operation" {
            return Err(FhirError::bad_request(format!(
                "FHIRPath Patch parameter '{}' is not 'operation'",
                op.name
            )));
        }
        let ty = part(op, "type")
            .and_then(|p| p.value_code.as_deref())
            .ok_or_else(|| FhirError::bad_request("operation.type (valueCode) is required"))?;
        let path = part(op, "path")
            .and_then(|p| p.value_string.as_deref())
            .ok_or_else(|| FhirError::bad_request("operation.path (valueString) is required"))?;
        let value =
            op_value(op).ok_or_else(|| FhirError::bad_request("operation.value is required"))?;
        let obj = doc.as_object_mut().ok_or_else(FhirError::internal)?;
        match (
            ty,
            path,
            part(op, "name").and_then(|p| p.value_string.as_deref()),
        ) {
            ("replace", "Appointment.status" | "Appointment.comment", _) => {
                let key = path.trim_start_matches("Appointment.");
                obj.insert(key.to_owned(), value);
            }
            ("add", "Appointment", Some("extension")) => {
                let list = obj.entry("extension").or_insert_with(|| json!([]));
                list.as_array_mut()
                    .ok_or_else(|| unsupported("extension is not a list"))?
                    .push(value);
            }
            _ => return Err(unsupported(&format!("'{ty}' at '{path}' is not supported"))),
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn fhirpath_replace_status_and_add_extension_with_parts() {
        let body = json!({"resourceType": "Parameters", "parameter": [
            {"name": "operation", "part": [
                {"name": "type", "valueCode": "replace"},
                {"name": "path", "valueString": "Appointment.status"},
                {"name": "value", "valueCode": "cancelled"}]},
            {"name": "operation", "part": [
                {"name": "type", "valueCode": "add"},
                {"name": "path", "valueString": "Appointment"},
                {"name": "name", "valueString": "extension"},
                {"name": "value", "part": [
                    {"name": "url", "valueUri": "http://x/status-reason"},
                    {"name": "value", "valueCodeableConcept": {"text": "patient-cancel"}}]}]}]});
        let params: Parameters = serde_json::from_value(body).unwrap();
        let out = fhirpath_patch(json!({"status": "booked"}), &params).unwrap();
        assert_eq!(out["status"], "cancelled");
        assert_eq!(out["extension"][0]["url"], "http://x/status-reason");
        assert_eq!(
            out["extension"][0]["valueCodeableConcept"]["text"],
            "patient-cancel"
        );
    }

    #[test]
    fn json_patch_errors_are_client_errors() {
        let bad = json_patch(
            json!({"status": "booked"}),
            &json!([{"op": "remove", "path": "/nope"}]),
        )
        .unwrap_err();
        assert_eq!(bad.status, 422);
        let not_patch = json_patch(json!({}), &json!({"op": "x"})).unwrap_err();
        assert_eq!(not_patch.status, 400);
    }
}
