//! Search parameter helpers: date prefixes (eq, ne, gt, lt, ge, le) over partial dates, string
//! matching as FHIR defines it (case-insensitive prefix), tokens, and paging.

use fhir_model::{DateRange, parse_date_range};

use crate::error::FhirError;

/// A date search value: prefix and the range its (possibly partial) date covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateFilter {
    pub prefix: Prefix,
    pub range: DateRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
}

impl DateFilter {
    /// Parses `ge2017-07-01`, `2017`, `lt2017-07-17T10:00:00Z` ...
    pub fn parse(name: &str, text: &str) -> Result<Self, FhirError> {
        let prefixes = [
            ("eq", Prefix::Eq),
            ("ne", Prefix::Ne),
            ("gt", Prefix::Gt),
            ("lt", Prefix::Lt),
            ("ge", Prefix::Ge),
            ("le", Prefix::Le),
        ];
        let (prefix, value) = prefixes
            .iter()
            .find_map(|(p, v)| text.strip_prefix(p).map(|rest| (*v, rest)))
            .unwrap_or((Prefix::Eq, text));
        if value.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(FhirError::bad_request(format!(
                "{name}: unknown prefix in '{text}' (use eq, ne, gt, lt, ge, le)"
            )));
        }
        let range =
            parse_date_range(value).map_err(|e| FhirError::bad_request(format!("{name}: {e}")))?;
        Ok(Self { prefix, range })
    }

    /// Whether a value covering `target` satisfies the filter.
    pub fn matches(&self, target: &DateRange) -> bool {
        let p = &self.range;
        match self.prefix {
            Prefix::Eq => p.contains(target),
            Prefix::Ne => !p.contains(target),
            Prefix::Gt => target.start >= p.end,
            Prefix::Lt => target.end <= p.start,
            Prefix::Ge => target.start >= p.start,
            Prefix::Le => target.end <= p.end,
        }
    }
}

/// FHIR string search: case-insensitive, matches the start of the value.
pub fn string_matches(value: &str, query: &str) -> bool {
    value.to_lowercase().starts_with(&query.to_lowercase())
}

/// `_count` and `_offset` of a search, with defaults and limits.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub count: u32,
    pub offset: u32,
}

impl Paging {
    pub const DEFAULT: u32 = 50;
    pub const MAX: u32 = 500;

    /// Reads `_count` / `_offset` values.
    pub fn from_values(count: Option<&str>, offset: Option<&str>) -> Result<Self, FhirError> {
        let num = |name: &str, v: &str| {
            v.parse::<u32>().map_err(|_| {
                FhirError::bad_request(format!("{name} '{v}' is not a non-negative integer"))
            })
        };
        let count = count
            .map(|c| num("_count", c))
            .transpose()?
            .unwrap_or(Self::DEFAULT)
            .min(Self::MAX);
        let offset = offset.map(|o| num("_offset", o)).transpose()?.unwrap_or(0);
        Ok(Self { count, offset })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn at(t: &str) -> DateRange {
        parse_date_range(t).unwrap()
    }

    #[test]
    fn prefixes_compare_ranges_of_partial_dates() {
        let t = at("2017-07-17T10:00:00Z");
        assert!(DateFilter::parse("date", "2017-07").unwrap().matches(&t));
        assert!(
            DateFilter::parse("date", "eq2017-07-17")
                .unwrap()
                .matches(&t)
        );
        assert!(!DateFilter::parse("date", "2017-07-18").unwrap().matches(&t));
        assert!(
            DateFilter::parse("date", "ge2017-07-17")
                .unwrap()
                .matches(&t)
        );
        assert!(
            !DateFilter::parse("date", "gt2017-07-17")
                .unwrap()
                .matches(&t)
        );
        assert!(
            DateFilter::parse("date", "lt2017-07-18")
                .unwrap()
                .matches(&t)
        );
        assert!(
            DateFilter::parse("date", "le2017-07-17")
                .unwrap()
                .matches(&t)
        );
        assert!(DateFilter::parse("date", "ne2017-08").unwrap().matches(&t));
        assert!(DateFilter::parse("date", "xx2017").is_err());
        assert!(DateFilter::parse("date", "2017-13-01").is_err());
    }

    #[test]
    fn strings_match_case_insensitive_prefixes() {
        assert!(string_matches("Chalmers", "chal"));
        assert!(!string_matches("Chalmers", "mers"));
    }
}
