//! The R4 wire of the operation dialects (IHE): R4 answers read as STU3 and the resources the
//! desk sends written as R4, with `fhir_model::r4`; appointments without a start are refused.

use fhir_model::{Appointment, Patient, r4};
use serde_json::Value;

use crate::error::ClientError;

/// An STU3 Appointment as R4 JSON (`fhir_model::r4`).
pub(crate) fn appointment_to_r4(a: &Appointment) -> Value {
    serde_json::to_value(r4::Appointment::from_stu3(a)).unwrap_or(Value::Null)
}

/// An STU3 Patient as R4 JSON.
pub(crate) fn patient_to_r4(p: &Patient) -> Value {
    serde_json::to_value(r4::Patient::from_stu3(p)).unwrap_or(Value::Null)
}

/// Refuses an appointment without `start` (the desk cannot offer or keep a time it does not
/// know), alone or in a Bundle; a cancelled one may omit it.
fn check_starts(v: &Value, what: &'static str) -> Result<(), ClientError> {
    match v.get("resourceType").and_then(Value::as_str) {
        Some("Appointment") if v.get("start").is_none() && v["status"] != "cancelled" => Err(
            ClientError::malformed(what, "an appointment has no start time"),
        ),
        Some("Bundle") => v
            .get("entry")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| e.get("resource"))
            .try_for_each(|r| check_starts(r, what)),
        _ => Ok(()),
    }
}

/// An R4 answer body rewritten as STU3 JSON.
pub(crate) fn to_stu3_body(body: &[u8], what: &'static str) -> Result<Vec<u8>, ClientError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| ClientError::malformed(what, format!("body is not JSON: {e}")))?;
    check_starts(&v, what)?;
    let stu3 = r4::Resource::from_json(v)
        .and_then(|r| r.to_stu3())
        .map_err(|e| ClientError::malformed(what, e.to_string()))?;
    serde_json::to_vec(&stu3).map_err(|e| ClientError::malformed(what, e.to_string()))
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
