//! Reading the Parameters bodies of the operation dialects (IHE, Epic) strictly: every input
//! must carry the value type its system documents, anything else is refused with an
//! OperationOutcome naming the parameter and the type expected. Also the answer of an accepted
//! or refused `$hold`/`$book`, shared by those dialects.

use axum::response::Response;
use fhir_model::{BundleEntry, Token};
use http::{HeaderValue, StatusCode, header};
use serde_json::Value;

use crate::error::FhirError;
use crate::fhir::body::JsonBody;
use crate::fhir::response::fhir_json;
use crate::org::Organisation;
use crate::org::booking::OpResult;
use crate::org::find::mode;

/// The `parameter` list of a Parameters body.
pub fn parameters(body: &JsonBody) -> Result<Vec<Value>, FhirError> {
    let ty = body.value.get("resourceType").and_then(Value::as_str);
    if ty != Some("Parameters") {
        return Err(FhirError::new(
            StatusCode::BAD_REQUEST,
            "structure",
            "a Parameters body is required",
        ));
    }
    Ok(body
        .value
        .get("parameter")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default())
}

/// The parameter's name.
pub fn name(p: &Value) -> &str {
    p.get("name").and_then(Value::as_str).unwrap_or("")
}

/// The parameter's value, which must be one of `keys` (`valueString`, `resource`, ...).
pub fn value<'a>(p: &'a Value, keys: &[&str]) -> Result<&'a Value, FhirError> {
    if let Some(v) = keys.iter().find_map(|k| p.get(*k)) {
        return Ok(v);
    }
    let sent = p
        .as_object()
        .and_then(|o| {
            o.keys()
                .find(|k| k.starts_with("value") || *k == "resource")
        })
        .map_or("no value", String::as_str);
    Err(FhirError::bad_request(format!(
        "parameter '{}' must be {} (got {sent})",
        name(p),
        keys.join(" or ")
    )))
}

/// A string-typed value (`valueString`, `valueDateTime`, ...).
pub fn text(p: &Value, keys: &[&str]) -> Result<String, FhirError> {
    value(p, keys)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| FhirError::bad_request(format!("parameter '{}' is not text", name(p))))
}

/// `reference` of a `valueReference`.
pub fn reference(p: &Value) -> Result<String, FhirError> {
    value(p, &["valueReference"])?
        .get("reference")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| FhirError::bad_request(format!("parameter '{}' has no reference", name(p))))
}

/// `value` of a `valueIdentifier`.
pub fn identifier_value(p: &Value) -> Result<String, FhirError> {
    value(p, &["valueIdentifier"])?
        .get("value")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| FhirError::bad_request(format!("parameter '{}' has no value", name(p))))
}

/// A `system|code` token string.
pub fn token_text(p: &Value) -> Result<Token, FhirError> {
    let t = text(p, &["valueString"])?;
    match t.split_once('|') {
        Some((system, code)) if !code.is_empty() => Ok(Token::new(system, code)),
        _ => Err(FhirError::bad_request(format!(
            "parameter '{}' must be a system|code token",
            name(p)
        ))),
    }
}

/// The first coding of a `valueCodeableConcept`, as a token.
pub fn concept_token(p: &Value) -> Result<Token, FhirError> {
    let coding = value(p, &["valueCodeableConcept"])?
        .pointer("/coding/0")
        .ok_or_else(|| FhirError::bad_request(format!("parameter '{}' has no coding", name(p))))?;
    let code = coding.get("code").and_then(Value::as_str).unwrap_or("");
    let system = coding.get("system").and_then(Value::as_str).unwrap_or("");
    if code.is_empty() {
        return Err(FhirError::bad_request(format!(
            "parameter '{}' has no code",
            name(p)
        )));
    }
    Ok(Token::new(system, code))
}

/// An unknown input, refused.
pub fn unknown(p: &Value, hint: &str) -> FhirError {
    FhirError::new(
        StatusCode::BAD_REQUEST,
        "not-supported",
        format!("unknown parameter '{}'{hint}", name(p)),
    )
}

/// A `$hold`/`$book` answer: the appointment with the outcome (refused: only the outcome when
/// `outcome_only_on_refusal`), and `Expires` for an accepted hold. `convert` rewrites the
/// Bundle JSON into the dialect's FHIR version.
pub fn op_response(
    org: &Organisation,
    r: OpResult,
    outcome_only_on_refusal: bool,
    convert: fn(&mut Value),
) -> Response {
    let mut bundle = org.avail_bundle(vec![r.appointment], &[]);
    bundle
        .entry
        .retain(|e| e.search.as_ref().and_then(|s| s.mode.as_deref()) == Some("match"));
    if !r.accepted && outcome_only_on_refusal {
        bundle.entry.clear();
        bundle.total = Some(0);
    }
    bundle.entry.push(BundleEntry {
        resource: Some(r.outcome.into()),
        search: Some(mode("outcome")),
        ..BundleEntry::default()
    });
    let mut json = serde_json::to_value(&bundle).unwrap_or(Value::Null);
    convert(&mut json);
    let mut response = fhir_json(StatusCode::OK, &json);
    if let Some(expires) = r.expires.filter(|_| r.accepted) {
        let when = std::time::SystemTime::UNIX_EPOCH
            + std::time::Duration::from_secs(u64::try_from(expires.timestamp()).unwrap_or(0));
        if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(when)) {
            response.headers_mut().insert(header::EXPIRES, v);
        }
    }
    response
}
