//! The R4 face of what the store keeps in STU3: Slot, Schedule and Appointment JSON converted
//! at the wire (R4 `serviceCategory` is a list, `reasonCode`, `basedOn` and
//! `cancelationReason` replace STU3's `reason`, `incomingReferral` and the Argonaut
//! status-reason extension), and an R4 Appointment read back into the store's STU3.

use fhir_model::{Appointment, CodeableConcept, urls};
use serde_json::{Map, Value, json};

use crate::error::FhirError;
use crate::store::SlotRow;

/// R4 statuses without an STU3 twin are refused rather than guessed.
const R4_ONLY_STATUSES: [&str; 2] = ["checked-in", "waitlist"];

fn category_to_list(m: &mut Map<String, Value>) {
    if let Some(c) = m.remove("serviceCategory") {
        if c.is_object() {
            m.insert("serviceCategory".to_owned(), Value::Array(vec![c]));
        } else {
            m.insert("serviceCategory".to_owned(), c);
        }
    }
}

fn category_from_list(m: &mut Map<String, Value>) {
    if let Some(Value::Array(mut list)) = m.remove("serviceCategory")
        && !list.is_empty()
    {
        m.insert("serviceCategory".to_owned(), list.swap_remove(0));
    }
}

fn rename(m: &mut Map<String, Value>, from: &str, to: &str) {
    if let Some(v) = m.remove(from) {
        m.insert(to.to_owned(), v);
    }
}

fn parse_object(json: &str) -> Result<Map<String, Value>, FhirError> {
    match serde_json::from_str(json) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(FhirError::internal()),
    }
}

/// A stored slot as R4 JSON with its effective status and version.
pub fn slot(row: &SlotRow) -> Result<Value, FhirError> {
    let mut m = parse_object(&row.json)?;
    category_to_list(&mut m);
    m.insert("status".to_owned(), Value::String(row.state.clone()));
    m.insert(
        "meta".to_owned(),
        json!({ "versionId": row.version.to_string() }),
    );
    Ok(Value::Object(m))
}

/// The R4 text of a stored slot without parsing it, when its stored JSON (serde's compact
/// output) needs only its status changed and a `meta` added: no `serviceCategory` (0..1 in
/// STU3, a list in R4), no `meta`, exactly one `"status":` member. `None`: convert via [`slot`].
pub fn slot_text(row: &SlotRow) -> Option<String> {
    let json = row.json.as_str();
    if json.contains("\"serviceCategory\"") || json.contains("\"meta\"") {
        return None;
    }
    const KEY: &str = "\"status\":\"";
    let at = json.find(KEY)?;
    if json[at + KEY.len()..].contains(KEY) {
        return None;
    }
    let value_start = at + KEY.len();
    let value_end = value_start + json[value_start..].find('"')?;
    let body = json.strip_prefix('{')?;
    let mut out = String::with_capacity(json.len() + 48);
    out.push_str("{\"meta\":{\"versionId\":\"");
    out.push_str(&row.version.to_string());
    out.push_str("\"},");
    out.push_str(&body[..value_start - 1]);
    out.push_str(&row.state);
    out.push_str(&json[value_end..]);
    Some(out)
}

/// A stored Schedule (STU3 JSON) as R4 JSON.
pub fn schedule(json: &str) -> Result<Value, FhirError> {
    let mut m = parse_object(json)?;
    category_to_list(&mut m);
    Ok(Value::Object(m))
}

/// A stored appointment as R4 JSON at `version`.
pub fn appointment(a: &Appointment, version: i64) -> Result<Value, FhirError> {
    let Value::Object(mut m) = serde_json::to_value(a).map_err(|_| FhirError::internal())? else {
        return Err(FhirError::internal());
    };
    category_to_list(&mut m);
    rename(&mut m, "reason", "reasonCode");
    rename(&mut m, "incomingReferral", "basedOn");
    if let Some(Value::Array(exts)) = m.remove("extension") {
        let (reason, rest): (Vec<Value>, Vec<Value>) = exts
            .into_iter()
            .partition(|e| e.get("url").and_then(Value::as_str) == Some(urls::EXT_STATUS_REASON));
        if let Some(concept) = reason.first().and_then(|e| e.get("valueCodeableConcept")) {
            m.insert("cancelationReason".to_owned(), concept.clone());
        }
        if !rest.is_empty() {
            m.insert("extension".to_owned(), Value::Array(rest));
        }
    }
    m.insert(
        "meta".to_owned(),
        json!({ "versionId": version.to_string(), "lastUpdated": a.meta.as_ref().and_then(|x| x.last_updated.clone()) }),
    );
    Ok(Value::Object(m))
}

/// An R4 Appointment as the store's STU3 one; `cancelationReason` is returned apart (the
/// store keeps it as the status-reason extension).
pub fn appointment_from_r4(v: &Value) -> Result<(Appointment, Option<CodeableConcept>), FhirError> {
    let Some(mut m) = v.as_object().cloned() else {
        return Err(FhirError::bad_request(
            "an Appointment must be a JSON object",
        ));
    };
    if m.get("resourceType").and_then(Value::as_str) != Some("Appointment") {
        return Err(FhirError::bad_request("expected resourceType Appointment"));
    }
    let status = m.get("status").and_then(Value::as_str).unwrap_or_default();
    if R4_ONLY_STATUSES.contains(&status) {
        return Err(FhirError::unprocessable(format!(
            "status '{status}' is not supported here"
        )));
    }
    category_from_list(&mut m);
    rename(&mut m, "reasonCode", "reason");
    rename(&mut m, "basedOn", "incomingReferral");
    let reason = m
        .remove("cancelationReason")
        .map(serde_json::from_value::<CodeableConcept>)
        .transpose()
        .map_err(|e| FhirError::bad_request(format!("invalid cancelationReason: {e}")))?;
    let a: Appointment = serde_json::from_value(Value::Object(m))
        .map_err(|e| FhirError::bad_request(format!("invalid Appointment: {e}")))?;
    Ok((a, reason))
}

/// `W/"3"`, `"3"` or `3` → 3.
pub fn etag_version(text: &str) -> Option<i64> {
    crate::org::update::parse_etag(text)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn cancel_reason_travels_as_cancelation_reason_and_back() {
        let mut a = Appointment {
            id: Some("appt-1".to_owned()),
            status: "cancelled".to_owned(),
            ..Appointment::default()
        };
        crate::store::set_status_reason(&mut a, "pat", "Patient asked");
        a.reason = vec![CodeableConcept::coded("http://snomed.info/sct", "1", "x")];
        let r4 = appointment(&a, 4).unwrap();
        assert_eq!(r4["cancelationReason"]["text"], "Patient asked");
        assert!(r4.get("extension").is_none());
        assert_eq!(r4["reasonCode"][0]["coding"][0]["code"], "1");
        assert_eq!(r4["meta"]["versionId"], "4");
        let (back, reason) = appointment_from_r4(&r4).unwrap();
        assert_eq!(reason.unwrap().text.as_deref(), Some("Patient asked"));
        assert_eq!(back.reason.len(), 1);
    }

    #[test]
    fn the_copied_slot_text_equals_the_converted_slot() {
        let row = SlotRow {
            id: "s1".to_owned(),
            schedule: "a".to_owned(),
            start: 0,
            end: 0,
            state: "busy-tentative".to_owned(),
            version: 3,
            holder: None,
            json: r#"{"resourceType":"Slot","id":"s1","schedule":{"reference":"Schedule/a"},"status":"free","start":"2030-01-01T09:00:00Z","end":"2030-01-01T09:15:00Z"}"#.to_owned(),
        };
        let text: Value = serde_json::from_str(&slot_text(&row).unwrap()).unwrap();
        assert_eq!(text, slot(&row).unwrap());
        let with_category = SlotRow {
            json: row
                .json
                .replace("\"status\"", "\"serviceCategory\":{},\"status\""),
            ..row
        };
        assert!(slot_text(&with_category).is_none());
    }

    #[test]
    fn r4_only_statuses_are_refused() {
        let v = json!({"resourceType": "Appointment", "status": "waitlist", "participant": []});
        assert_eq!(appointment_from_r4(&v).unwrap_err().status, 422);
    }
}
