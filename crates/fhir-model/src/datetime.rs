//! FHIR date, dateTime and instant text, and the time range a (possibly partial) value covers.
//!
//! FHIR keeps dates as text of varying precision ("2017", "2017-07", "2017-07-17",
//! "2017-07-17T10:00:00-07:00"). We keep the text where a resource carries it and compute a
//! half-open UTC range when we must compare: searches (`date=ge2017-07`) and `$find` windows.
//! Partial dates carry no zone; they are read as UTC days, which is what a server with one zone
//! per organisation would do for a date-only search (documented in README).

use chrono::{DateTime, Duration, FixedOffset, Months, NaiveDate, TimeZone, Utc};

use crate::ModelError;

/// A half-open time range `[start, end)` in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl DateRange {
    /// Whether two half-open ranges share any instant.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies wholly inside this range.
    pub fn contains(&self, other: &DateRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

fn invalid(value: &str, reason: &str) -> ModelError {
    ModelError::InvalidDateTime {
        value: value.to_owned(),
        reason: reason.to_owned(),
    }
}

/// Parses a full dateTime with seconds and a zone (`Z` or `±hh:mm`), as FHIR `instant` requires
/// and as `dateTime` requires whenever a time is given.
pub fn parse_instant(value: &str) -> Result<DateTime<FixedOffset>, ModelError> {
    if !value.contains('T') {
        return Err(invalid(value, "a time (THH:MM:SS) is required"));
    }
    DateTime::parse_from_rfc3339(value).map_err(|_| {
        let has_zone =
            value.ends_with('Z') || value[value.find('T').unwrap_or(0)..].contains(['+', '-']);
        if has_zone {
            invalid(
                value,
                "expected YYYY-MM-DDThh:mm:ss with a zone, e.g. 2017-07-17T10:00:00Z",
            )
        } else {
            invalid(value, "a time zone (Z or ±hh:mm) is required")
        }
    })
}

/// The range covered by a FHIR date or dateTime of any precision.
pub fn parse_date_range(value: &str) -> Result<DateRange, ModelError> {
    let value = value.trim();
    if value.contains('T') {
        let t = parse_instant(value)?.with_timezone(&Utc);
        return Ok(DateRange {
            start: t,
            end: t + Duration::seconds(1),
        });
    }
    let parts: Vec<&str> = value.split('-').collect();
    let num = |s: &str, len: usize| -> Result<u32, ModelError> {
        if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(value, "expected YYYY, YYYY-MM or YYYY-MM-DD"));
        }
        s.parse().map_err(|_| invalid(value, "not a number"))
    };
    let (first, months) = match parts.as_slice() {
        [y] => (date(value, num(y, 4)?, 1, 1)?, 12),
        [y, m] => (date(value, num(y, 4)?, num(m, 2)?, 1)?, 1),
        [y, m, d] => {
            let day = date(value, num(y, 4)?, num(m, 2)?, num(d, 2)?)?;
            return Ok(day_range(day, day.succ_opt().unwrap_or(day)));
        }
        _ => return Err(invalid(value, "expected YYYY, YYYY-MM or YYYY-MM-DD")),
    };
    let next = first
        .checked_add_months(Months::new(months))
        .unwrap_or(first);
    Ok(day_range(first, next))
}

fn date(value: &str, y: u32, m: u32, d: u32) -> Result<NaiveDate, ModelError> {
    let year = i32::try_from(y).map_err(|_| invalid(value, "year out of range"))?;
    NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| invalid(value, "no such calendar date"))
}

fn day_range(first: NaiveDate, next: NaiveDate) -> DateRange {
    let at_midnight =
        |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default());
    DateRange {
        start: at_midnight(first),
        end: at_midnight(next),
    }
}

/// Formats an instant the way FHIR servers conventionally do (seconds, `Z` for UTC).
pub fn format_instant<Tz: TimeZone>(t: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.with_timezone(&Utc)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn partial_dates_cover_their_whole_period() {
        let y = parse_date_range("2017").unwrap();
        assert_eq!(format_instant(&y.start), "2017-01-01T00:00:00Z");
        assert_eq!(format_instant(&y.end), "2018-01-01T00:00:00Z");
        let m = parse_date_range("2017-12").unwrap();
        assert_eq!(format_instant(&m.end), "2018-01-01T00:00:00Z");
        let d = parse_date_range("2017-02-28").unwrap();
        assert_eq!(format_instant(&d.end), "2017-03-01T00:00:00Z");
    }

    #[test]
    fn instants_need_a_zone_and_seconds() {
        assert!(parse_instant("2017-07-17T10:00:00-07:00").is_ok());
        let no_zone = parse_instant("2017-08-28T09:00:00").unwrap_err();
        assert!(no_zone.to_string().contains("zone"), "{no_zone}");
        assert!(parse_instant("2017-07-17").is_err());
        assert!(parse_date_range("2017-13").is_err());
        assert!(parse_date_range("2017-02-30").is_err());
        assert!(parse_date_range("17-02").is_err());
        assert!(parse_date_range("tomorrow").is_err());
    }

    #[test]
    fn ranges_compare_half_open() {
        let day = parse_date_range("2017-07-17").unwrap();
        let t = parse_date_range("2017-07-17T23:59:59Z").unwrap();
        let next = parse_date_range("2017-07-18T00:00:00Z").unwrap();
        assert!(day.contains(&t));
        assert!(!day.overlaps(&next));
    }
}
