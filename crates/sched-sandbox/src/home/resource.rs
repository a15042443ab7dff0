//! What the home organisation knows about each of its resource types: the required elements a
//! created or updated resource must carry, and the search-parameter values it is indexed under.

use serde_json::Value;

use crate::error::FhirError;

/// The resource types the home organisation serves.
pub const TYPES: [&str; 4] = ["Patient", "Coverage", "ServiceRequest", "Task"];

/// The resource types an STU3 home serves: its orders are ReferralRequest.
pub const STU3_TYPES: [&str; 4] = ["Patient", "Coverage", "ReferralRequest", "Task"];

/// Whether a `fhir_version` setting means STU3 (any 3.x).
pub fn is_stu3(fhir_version: Option<&str>) -> bool {
    fhir_version.is_some_and(|v| v.starts_with("3."))
}

/// The resource types served by a home of `fhir_version`.
pub fn types(fhir_version: Option<&str>) -> [&'static str; 4] {
    if is_stu3(fhir_version) {
        STU3_TYPES
    } else {
        TYPES
    }
}

/// STU3 ReferralRequest.status (request-status of 3.0.2).
const REFERRAL_STATUS: [&str; 7] = [
    "draft",
    "active",
    "suspended",
    "cancelled",
    "completed",
    "entered-in-error",
    "unknown",
];

const REQUEST_STATUS: [&str; 7] = [
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
];
const TASK_STATUS: [&str; 12] = [
    "draft",
    "requested",
    "received",
    "accepted",
    "rejected",
    "ready",
    "cancelled",
    "in-progress",
    "on-hold",
    "failed",
    "completed",
    "entered-in-error",
];
const COVERAGE_STATUS: [&str; 4] = ["active", "cancelled", "draft", "entered-in-error"];

/// The id prefix of generated ids of a type.
pub fn id_prefix(ty: &str) -> &'static str {
    match ty {
        "Patient" => "pat",
        "Coverage" => "cov",
        "ServiceRequest" => "sr",
        "ReferralRequest" => "rr",
        _ => "task",
    }
}

/// Refuses a body that lacks what its type requires (400 with the element named).
pub fn validate(ty: &str, r: &Value) -> Result<(), FhirError> {
    if r["resourceType"] != ty {
        return Err(FhirError::bad_request(format!(
            "the body must be a {ty} resource"
        )));
    }
    match ty {
        "ServiceRequest" => {
            code_in(r, "status", &REQUEST_STATUS)?;
            required_text(r, "intent")?;
            reference(r, "subject", "Patient").map(|_| ())
        }
        "ReferralRequest" => {
            code_in(r, "status", &REFERRAL_STATUS)?;
            required_text(r, "intent")?;
            reference(r, "subject", "Patient").map(|_| ())
        }
        "Task" => {
            code_in(r, "status", &TASK_STATUS)?;
            required_text(r, "intent")?;
            reference(r, "focus", "").map(|_| ())
        }
        "Coverage" => {
            code_in(r, "status", &COVERAGE_STATUS)?;
            reference(r, "beneficiary", "Patient").map(|_| ())
        }
        _ => Ok(()),
    }
}

fn required_text<'a>(r: &'a Value, element: &str) -> Result<&'a str, FhirError> {
    r[element]
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| FhirError::bad_request(format!("{element} is required")))
}

fn code_in(r: &Value, element: &str, allowed: &[&str]) -> Result<(), FhirError> {
    let code = required_text(r, element)?;
    if allowed.contains(&code) {
        Ok(())
    } else {
        Err(FhirError::bad_request(format!(
            "{element} '{code}' is not one of {}",
            allowed.join(", ")
        )))
    }
}

/// The `Type/id` an element's reference names; `want` limits the type ("" = any).
fn reference(r: &Value, element: &str, want: &str) -> Result<String, FhirError> {
    let text = r[element]["reference"].as_str().unwrap_or_default();
    let local = relative(text).ok_or_else(|| {
        FhirError::bad_request(format!(
            "{element} must reference a {} as Type/id",
            if want.is_empty() { "resource" } else { want }
        ))
    })?;
    if !want.is_empty() && !local.starts_with(&format!("{want}/")) {
        return Err(FhirError::bad_request(format!(
            "{element} must reference a {want}"
        )));
    }
    Ok(local)
}

/// `Type/id` from a relative or absolute reference (the last two path segments).
pub fn relative(text: &str) -> Option<String> {
    let text = text
        .split('/')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>();
    let [.., ty, id] = text.as_slice() else {
        return None;
    };
    let typed = ty.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    (typed && !id.is_empty()).then(|| format!("{ty}/{id}"))
}

/// The `(Type.param, value)` pairs a resource is found under.
pub fn index(ty: &str, r: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |param: &str, value: String| out.push((format!("{ty}.{param}"), value));
    for id in r["identifier"].as_array().into_iter().flatten() {
        tokens(id["system"].as_str(), id["value"].as_str(), &mut |v| {
            add("identifier", v)
        });
    }
    if let Some(status) = r["status"].as_str() {
        add("status", status.to_owned());
    }
    let refs: &[(&str, &str)] = match ty {
        "ServiceRequest" | "ReferralRequest" => &[("patient", "subject"), ("subject", "subject")],
        "Task" => &[("focus", "focus"), ("owner", "owner"), ("patient", "for")],
        "Coverage" => &[("patient", "beneficiary"), ("beneficiary", "beneficiary")],
        _ => &[],
    };
    for (param, element) in refs {
        if let Some(local) = r[*element]["reference"].as_str().and_then(relative) {
            add(param, local);
        }
    }
    match ty {
        "ReferralRequest" => {
            if let Some(intent) = r["intent"].as_str() {
                add("intent", intent.to_owned());
            }
        }
        "ServiceRequest" => {
            if let Some(intent) = r["intent"].as_str() {
                add("intent", intent.to_owned());
            }
            for cat in r["category"].as_array().into_iter().flatten() {
                for coding in cat["coding"].as_array().into_iter().flatten() {
                    tokens(
                        coding["system"].as_str(),
                        coding["code"].as_str(),
                        &mut |v| add("category", v),
                    );
                }
            }
        }
        "Task" => {
            let owner = &r["owner"]["identifier"];
            tokens(
                owner["system"].as_str(),
                owner["value"].as_str(),
                &mut |v| add("owner:identifier", v),
            );
        }
        _ => {}
    }
    out
}

/// A token is found by its bare code, by `system|code` (`|code` without a system) and by
/// `system|` (any code of that system: the desk's search for every claim Task).
fn tokens(system: Option<&str>, code: Option<&str>, add: &mut impl FnMut(String)) {
    let Some(code) = code.filter(|c| !c.is_empty()) else {
        return;
    };
    add(code.to_owned());
    add(format!("{}|{code}", system.unwrap_or_default()));
    if let Some(system) = system.filter(|s| !s.is_empty()) {
        add(format!("{system}|"));
    }
}
