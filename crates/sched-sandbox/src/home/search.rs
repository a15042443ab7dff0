//! Reading a home search (or an `If-None-Exist` condition) from its query string: which
//! parameters each type accepts, their value types, `_include`, `_count` and the paging cursor.
//! Anything not understood is refused with a 400 naming it, never silently ignored (a
//! dropped filter would return, and let a client work, orders it did not ask for).

use chrono::DateTime;

use super::resource::relative;
use super::store::Filter;
use crate::error::FhirError;

/// Default and largest page size.
pub const DEFAULT_COUNT: usize = 50;
pub const MAX_COUNT: usize = 1000;

/// The `_include` values the home organisation serves, with the element each follows.
pub const INCLUDES: [(&str, &str); 4] = [
    ("ServiceRequest:patient", "subject"),
    ("ReferralRequest:patient", "subject"),
    ("ServiceRequest:insurance", "insurance"),
    ("Task:focus", "focus"),
];

/// A parsed search.
#[derive(Debug, Clone)]
pub struct Search {
    pub filter: Filter,
    /// Elements whose references are included (`subject`, `insurance`, `focus`).
    pub includes: Vec<&'static str>,
    pub count: usize,
    /// Cursor after which this page starts (the `next` link's `_after`).
    pub after: i64,
    /// `_sort=_lastUpdated`: by last update instead of creation order.
    pub by_updated: bool,
    /// The parameters to repeat in the `next` link (all but `_after`).
    pub echo: Vec<(String, String)>,
}

enum Kind {
    Token,
    /// A reference; a bare id is taken as this type.
    Reference(&'static str),
}

fn kind_of(ty: &str, param: &str) -> Option<Kind> {
    let kind = match (ty, param) {
        (_, "identifier") => Kind::Token,
        ("ServiceRequest" | "ReferralRequest" | "Task" | "Coverage", "status") => Kind::Token,
        ("ReferralRequest", "intent") => Kind::Token,
        ("ReferralRequest", "patient" | "subject") => Kind::Reference("Patient"),
        ("ServiceRequest", "intent" | "category") => Kind::Token,
        ("ServiceRequest", "patient" | "subject") => Kind::Reference("Patient"),
        ("Task", "owner:identifier") => Kind::Token,
        ("Task", "focus") => Kind::Reference("ServiceRequest"),
        ("Task", "patient") => Kind::Reference("Patient"),
        ("Task", "owner") => Kind::Reference(""),
        ("Coverage", "patient" | "beneficiary") => Kind::Reference("Patient"),
        _ => return None,
    };
    Some(kind)
}

/// Parses the query string of a search on `ty`.
pub fn parse(ty: &str, query: &str) -> Result<Search, FhirError> {
    let mut s = Search {
        filter: Filter {
            ty: ty.to_owned(),
            ..Filter::default()
        },
        includes: Vec::new(),
        count: DEFAULT_COUNT,
        after: 0,
        by_updated: false,
        echo: Vec::new(),
    };
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let (name, value) = (name.into_owned(), value.into_owned());
        if name != "_after" {
            s.echo.push((name.clone(), value.clone()));
        }
        apply(ty, &mut s, &name, &value)?;
    }
    Ok(s)
}

fn apply(ty: &str, s: &mut Search, name: &str, value: &str) -> Result<(), FhirError> {
    match name {
        "_format" => {}
        "_sort" if value == "_lastUpdated" => s.by_updated = true,
        "_sort" => {
            return Err(FhirError::bad_request(
                "_sort supports _lastUpdated (ascending) only",
            ));
        }
        "_id" => s.filter.ids.extend(value.split(',').map(str::to_owned)),
        "_count" => s.count = count(value)?,
        "_after" => {
            s.after = value
                .parse()
                .map_err(|_| FhirError::bad_request("_after must be a page cursor"))?;
        }
        "_lastUpdated" => s.filter.updated.push(instant_bound(value)?),
        "_include" => {
            let element = INCLUDES
                .iter()
                .find(|(inc, _)| *inc == value && inc.starts_with(&format!("{ty}:")))
                .map(|(_, element)| *element)
                .ok_or_else(|| {
                    FhirError::bad_request(format!("_include={value} is not supported on {ty}"))
                })?;
            s.includes.push(element);
        }
        _ => {
            let kind = kind_of(ty, name).ok_or_else(|| {
                FhirError::bad_request(format!("unknown search parameter '{name}' for {ty}"))
            })?;
            let values = value
                .split(',')
                .map(|v| normalise(&kind, name, v))
                .collect::<Result<Vec<_>, _>>()?;
            s.filter.params.push((format!("{ty}.{name}"), values));
        }
    }
    Ok(())
}

fn normalise(kind: &Kind, name: &str, value: &str) -> Result<String, FhirError> {
    if value.is_empty() {
        return Err(FhirError::bad_request(format!("{name} has an empty value")));
    }
    match kind {
        Kind::Token => Ok(value.to_owned()),
        Kind::Reference(target) => {
            if let Some(local) = relative(value) {
                return Ok(local);
            }
            if target.is_empty() || value.contains('/') {
                return Err(FhirError::bad_request(format!(
                    "{name} must be a reference (Type/id)"
                )));
            }
            Ok(format!("{target}/{value}"))
        }
    }
}

fn count(value: &str) -> Result<usize, FhirError> {
    value
        .parse::<usize>()
        .ok()
        .filter(|n| *n <= MAX_COUNT)
        .ok_or_else(|| FhirError::bad_request(format!("_count must be a number 0..={MAX_COUNT}")))
}

/// `gt|ge|lt|le` + an instant with a time zone, as microseconds since the epoch.
fn instant_bound(value: &str) -> Result<(&'static str, i64), FhirError> {
    let bad = || {
        FhirError::bad_request(
            "_lastUpdated must be gt, ge, lt or le followed by an instant with a time zone",
        )
    };
    let (op, rest) = value.split_at_checked(2).ok_or_else(bad)?;
    let op = match op {
        "gt" => ">",
        "ge" => ">=",
        "lt" => "<",
        "le" => "<=",
        _ => return Err(bad()),
    };
    // A `+` offset sent unencoded arrives as a space.
    let instant = DateTime::parse_from_rfc3339(&rest.replace(' ', "+")).map_err(|_| bad())?;
    Ok((op, instant.timestamp_micros()))
}
