//! Helpers that read one parameter's value with the type its OperationDefinition declares.

use crate::datetime::parse_date_range;
use crate::{Coverage, ModelError, Parameter, Patient, Resource, Token};

fn expected(p: &Parameter, ty: &str) -> ModelError {
    let found = p.value_kind().unwrap_or("no value");
    ModelError::param(&p.name, format!("expected {ty}, found {found}"))
}

/// A `valueDateTime` that parses as a FHIR dateTime.
pub(super) fn date_time(p: &Parameter) -> Result<String, ModelError> {
    let v = p
        .value_date_time
        .as_deref()
        .ok_or_else(|| expected(p, "valueDateTime"))?;
    check_date_time(&p.name, v)?;
    Ok(v.to_owned())
}

/// Checks dateTime text (any FHIR precision; a time needs a zone).
pub(super) fn check_date_time(name: &str, v: &str) -> Result<(), ModelError> {
    parse_date_range(v)
        .map(|_| ())
        .map_err(|e| ModelError::param(name, e.to_string()))
}

/// A `valueString` holding token text `system|code`.
pub(super) fn token(p: &Parameter) -> Result<Token, ModelError> {
    let v = p
        .value_string
        .as_deref()
        .ok_or_else(|| expected(p, "valueString (system|code)"))?;
    token_text(&p.name, v)
}

pub(super) fn token_text(name: &str, v: &str) -> Result<Token, ModelError> {
    Token::parse(v).map_err(|_| ModelError::param(name, format!("'{v}' is not system|code")))
}

/// A non-empty `valueString`.
pub(super) fn string(p: &Parameter) -> Result<String, ModelError> {
    let v = p
        .value_string
        .as_deref()
        .ok_or_else(|| expected(p, "valueString"))?;
    non_empty(&p.name, v)
}

/// A non-empty `valueUri`.
pub(super) fn uri(p: &Parameter) -> Result<String, ModelError> {
    let v = p
        .value_uri
        .as_deref()
        .ok_or_else(|| expected(p, "valueUri"))?;
    non_empty(&p.name, v)
}

pub(super) fn non_empty(name: &str, v: &str) -> Result<String, ModelError> {
    let v = v.trim();
    if v.is_empty() {
        return Err(ModelError::param(name, "value is empty"));
    }
    Ok(v.to_owned())
}

/// A `resource` that is a Patient.
pub(super) fn patient(p: &Parameter) -> Result<Patient, ModelError> {
    match &p.resource {
        Some(Resource::Patient(pat)) => Ok(pat.clone()),
        _ => Err(expected(p, "resource (Patient)")),
    }
}

/// A `resource` that is a Coverage.
pub(super) fn coverage(p: &Parameter) -> Result<Coverage, ModelError> {
    match &p.resource {
        Some(Resource::Coverage(c)) => Ok(c.clone()),
        _ => Err(expected(p, "resource (Coverage)")),
    }
}

/// `_count` as a positive integer (from a valueInteger, or text in a query).
pub(super) fn count_text(v: &str) -> Result<u32, ModelError> {
    match v.trim().parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(ModelError::param(
            "_count",
            format!("'{v}' is not a positive integer"),
        )),
    }
}

pub(super) fn count(p: &Parameter) -> Result<u32, ModelError> {
    match (p.value_integer, p.value_string.as_deref()) {
        (Some(n), _) => count_text(&n.to_string()),
        (None, Some(s)) => count_text(s),
        _ => Err(expected(p, "valueInteger")),
    }
}

/// Sets a 0..1 parameter, refusing a second occurrence.
pub(super) fn once<T>(slot: &mut Option<T>, name: &str, value: T) -> Result<(), ModelError> {
    if slot.is_some() {
        return Err(ModelError::RepeatedParameter(name.to_owned()));
    }
    *slot = Some(value);
    Ok(())
}

/// Query parameters that any FHIR endpoint may receive and that carry no operation input.
pub(super) fn is_ignorable_query(name: &str) -> bool {
    matches!(name, "_format" | "_pretty")
}
