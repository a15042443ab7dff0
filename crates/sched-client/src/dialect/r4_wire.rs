//! The R4 wire of the operation dialects (IHE): R4 bodies in, STU3 bodies out, and the few
//! resources the desk sends turned into R4. Only the elements that differ between the versions
//! for the scheduling subset are moved; everything else passes through unchanged.

use fhir_model::urls::EXT_STATUS_REASON;
use fhir_model::{Appointment, Patient};
use serde_json::{Map, Value, json};

use crate::error::ClientError;

/// R4 statuses without an STU3 twin, and the nearest STU3 status.
const STATUS_NEAREST: [(&str, &str); 2] = [("checked-in", "arrived"), ("waitlist", "proposed")];

fn rename(o: &mut Map<String, Value>, from: &str, to: &str) {
    if let Some(v) = o.remove(from) {
        o.insert(to.to_owned(), v);
    }
}

/// An STU3 Appointment as R4 JSON: `reason`→`reasonCode`, `incomingReferral`→`basedOn`,
/// `indication`→`reasonReference`, one `serviceCategory` in a list, the status-reason
/// extension → `cancelationReason`.
pub(crate) fn appointment_to_r4(a: &Appointment) -> Value {
    let mut v = serde_json::to_value(a).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        rename(o, "reason", "reasonCode");
        rename(o, "incomingReferral", "basedOn");
        rename(o, "indication", "reasonReference");
        if let Some(c) = o.remove("serviceCategory") {
            o.insert("serviceCategory".to_owned(), json!([c]));
        }
        let mut reason = None;
        if let Some(Value::Array(exts)) = o.get_mut("extension") {
            exts.retain(|e| {
                let is_reason = e.get("url").and_then(Value::as_str) == Some(EXT_STATUS_REASON);
                if is_reason {
                    reason = e.get("valueCodeableConcept").cloned();
                }
                !is_reason
            });
            if exts.is_empty() {
                o.remove("extension");
            }
        }
        if let Some(r) = reason {
            o.insert("cancelationReason".to_owned(), r);
        }
    }
    v
}

/// An STU3 Patient as R4 JSON (the demographics the desk sends are the same in both; `animal`
/// has no R4 element and is dropped).
pub(crate) fn patient_to_r4(p: &Patient) -> Value {
    let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.remove("animal");
    }
    v
}

/// The reverse of [`appointment_to_r4`]; an appointment without `start` is refused (the desk
/// cannot offer or keep a time it does not know).
fn appointment_to_stu3(o: &mut Map<String, Value>, what: &'static str) -> Result<(), ClientError> {
    if !o.contains_key("start") && o.get("status").and_then(Value::as_str) != Some("cancelled") {
        return Err(ClientError::malformed(
            what,
            "an appointment has no start time",
        ));
    }
    rename(o, "reasonCode", "reason");
    rename(o, "basedOn", "incomingReferral");
    rename(o, "reasonReference", "indication");
    if let Some(Value::Array(mut list)) = o.remove("serviceCategory")
        && !list.is_empty()
    {
        o.insert("serviceCategory".to_owned(), list.swap_remove(0));
    }
    if let Some(r) = o.remove("cancelationReason") {
        let ext = json!({ "url": EXT_STATUS_REASON, "valueCodeableConcept": r });
        match o.get_mut("extension") {
            Some(Value::Array(exts)) => exts.push(ext),
            _ => {
                o.insert("extension".to_owned(), json!([ext]));
            }
        }
    }
    if let Some(Value::String(status)) = o.get_mut("status")
        && let Some((_, near)) = STATUS_NEAREST.iter().find(|(r4, _)| r4 == status)
    {
        *status = (*near).to_owned();
    }
    Ok(())
}

fn resource_to_stu3(v: &mut Value, what: &'static str) -> Result<(), ClientError> {
    let Some(o) = v.as_object_mut() else {
        return Ok(());
    };
    match o.get("resourceType").and_then(Value::as_str) {
        Some("Appointment") => appointment_to_stu3(o, what)?,
        Some("Bundle") => {
            if let Some(Value::Array(entries)) = o.get_mut("entry") {
                for e in entries {
                    if let Some(r) = e.get_mut("resource") {
                        resource_to_stu3(r, what)?;
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// An R4 answer body rewritten as STU3 JSON.
pub(crate) fn to_stu3_body(body: &[u8], what: &'static str) -> Result<Vec<u8>, ClientError> {
    let mut v: Value = serde_json::from_slice(body)
        .map_err(|e| ClientError::malformed(what, format!("body is not JSON: {e}")))?;
    resource_to_stu3(&mut v, what)?;
    serde_json::to_vec(&v).map_err(|e| ClientError::malformed(what, e.to_string()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn appointments_cross_the_versions_and_a_missing_start_is_refused() {
        let r4 = br#"{"resourceType":"Bundle","type":"searchset","entry":[{"resource":
            {"resourceType":"Appointment","status":"proposed","start":"2030-01-07T09:00:00Z",
             "reasonCode":[{"text":"knee"}],"serviceCategory":[{"text":"ortho"}],"participant":[]}}]}"#;
        let out: Value = serde_json::from_slice(&to_stu3_body(r4, "$find").unwrap()).unwrap();
        let a = &out["entry"][0]["resource"];
        assert_eq!(a["reason"][0]["text"], "knee");
        assert_eq!(a["serviceCategory"]["text"], "ortho");
        let stu3: Appointment = serde_json::from_value(a.clone()).unwrap();
        assert_eq!(appointment_to_r4(&stu3)["reasonCode"][0]["text"], "knee");
        let no_start = br#"{"resourceType":"Appointment","status":"proposed","participant":[]}"#;
        let err = to_stu3_body(no_start, "$find").unwrap_err();
        assert!(err.to_string().contains("no start time"), "{err}");
    }
}
