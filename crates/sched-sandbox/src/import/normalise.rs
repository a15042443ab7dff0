//! Repairs the known defects of the 2017 connectathon seed data (see the examples README) and
//! moves its two-week pattern to the current weeks:
//! - Slot/Appointment `start`/`end` without a zone offset get the organisation's offset;
//! - `Slot.schedule` references `Schedule/<date>T<time>-arg-s-N` become `Schedule/arg-s-N`;
//! - `specialty` codings without a system (or with `http://snomed.info.sct`) get SNOMED CT;
//! - the misspelt NPI system `http://hl7.org.fhir/sid/us-npi` becomes the real one;
//! - Location addresses whose city is the template placeholder "location" get the city the
//!   Location is named after (all nine connectathon Locations carry it);
//! - dates shift by whole weeks so the earliest week of slots becomes the current working week.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use fhir_model::urls::{NPI, NPI_MISSPELT, SNOMED};
use serde_json::Value;

/// Misspellings of the SNOMED CT system URI seen in the connectathon data.
const SNOMED_MISSPELT: [&str; 2] = ["http://snomed.info.sct", "http://snomed.info/sct/"];

/// Applies the defect repairs to one resource (as JSON) in place.
pub(crate) fn repair(resource: &mut Value, zone: FixedOffset) {
    let ty = resource["resourceType"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if let Some(ids) = resource.get_mut("identifier").and_then(Value::as_array_mut) {
        for id in ids {
            if id["system"] == NPI_MISSPELT {
                id["system"] = Value::String(NPI.to_owned());
            }
        }
    }
    if let Some(specialties) = resource.get_mut("specialty").and_then(Value::as_array_mut) {
        for coding in specialties
            .iter_mut()
            .filter_map(|s| s.get_mut("coding").and_then(Value::as_array_mut))
            .flatten()
        {
            repair_specialty(coding);
        }
    }
    if matches!(ty.as_str(), "Slot" | "Appointment") {
        for field in ["start", "end"] {
            if let Some(Value::String(text)) = resource.get_mut(field)
                && let Some(fixed) = with_zone(text, zone)
            {
                *text = fixed;
            }
        }
    }
    if ty == "Location" {
        repair_placeholder_city(resource);
    }
    if ty == "Slot"
        && let Some(Value::String(reference)) = resource.pointer_mut("/schedule/reference")
        && let Some(fixed) = schedule_reference(reference)
    {
        *reference = fixed;
    }
}

fn repair_placeholder_city(location: &mut Value) {
    let Some(name) = location["name"].as_str().map(str::to_owned) else {
        return;
    };
    if let Some(city) = location.pointer_mut("/address/city")
        && city == "location"
    {
        *city = Value::String(name);
    }
}

fn repair_specialty(coding: &mut Value) {
    let code = coding["code"].as_str().unwrap_or_default();
    let numeric = !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit());
    let system = coding["system"].as_str();
    let misspelt = system.is_some_and(|s| SNOMED_MISSPELT.contains(&s));
    if (system.is_none() && numeric) || misspelt {
        coding["system"] = Value::String(SNOMED.to_owned());
    }
}

/// `2017-08-28T08:00:00` → `2017-08-28T08:00:00-07:00`; `None` when a zone is already present.
fn with_zone(text: &str, zone: FixedOffset) -> Option<String> {
    let time = text.split_once('T')?.1;
    if time.ends_with('Z') || time.contains(['+', '-']) {
        return None;
    }
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .ok()?;
    let local = zone.from_local_datetime(&naive).single()?;
    Some(local.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

/// `Schedule/2017-08-28T080000-arg-s-1` → `Schedule/arg-s-1`.
fn schedule_reference(reference: &str) -> Option<String> {
    let id = reference.strip_prefix("Schedule/")?;
    let (stamp, rest) = (id.get(..18)?, id.get(18..)?);
    let shape_ok = stamp.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        10 => b == b'T',
        17 => b == b'-',
        _ => b.is_ascii_digit(),
    });
    (shape_ok && !rest.is_empty()).then(|| format!("Schedule/{rest}"))
}

/// The earliest date the bundle's availability starts on (slot starts, schedule horizons).
pub(crate) fn earliest_date(resources: &[Value]) -> Option<NaiveDate> {
    resources
        .iter()
        .filter_map(|r| match r["resourceType"].as_str() {
            Some("Slot") => r["start"].as_str(),
            Some("Schedule") => r.pointer("/planningHorizon/start").and_then(Value::as_str),
            _ => None,
        })
        .filter_map(|text| NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok())
        .min()
}

/// Days to add so the week of `earliest` becomes the current working week in `zone` (next
/// week's when `now` falls on a weekend). Always a multiple of 7, so weekdays stay aligned;
/// zero when the data does not lie in the past.
pub(crate) fn shift_days(earliest: NaiveDate, now: DateTime<Utc>, zone: FixedOffset) -> i64 {
    let today = now.with_timezone(&zone).date_naive();
    let monday_of =
        |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
    let mut target = monday_of(today);
    if today.weekday().num_days_from_monday() >= 5 {
        target += Duration::days(7);
    }
    let days = (target - monday_of(earliest)).num_days();
    days.max(0)
}

/// Moves a resource's availability dates by `days`.
pub(crate) fn shift(resource: &mut Value, days: i64) {
    if days == 0 {
        return;
    }
    let pointers: &[&str] = match resource["resourceType"].as_str() {
        Some("Slot" | "Appointment") => &["/start", "/end"],
        Some("Schedule") => &["/planningHorizon/start", "/planningHorizon/end"],
        _ => &[],
    };
    for pointer in pointers {
        if let Some(Value::String(text)) = resource.pointer_mut(pointer)
            && let Some(moved) = shift_text(text, days)
        {
            *text = moved;
        }
    }
}

fn shift_text(text: &str, days: i64) -> Option<String> {
    if text.contains('T') {
        let t = DateTime::parse_from_rfc3339(text).ok()? + Duration::days(days);
        return Some(t.format("%Y-%m-%dT%H:%M:%S%:z").to_string());
    }
    let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()? + Duration::days(days);
    Some(d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use serde_json::json;

    fn pacific() -> FixedOffset {
        FixedOffset::west_opt(7 * 3600).unwrap()
    }

    #[test]
    fn repairs_the_connectathon_slot_defects() {
        let mut slot = json!({
            "resourceType": "Slot",
            "specialty": [{"coding": [{"code": "394582007", "display": "Dermatology"}]}],
            "schedule": {"reference": "Schedule/2017-08-28T080000-arg-s-1"},
            "status": "free",
            "start": "2017-08-28T08:00:00",
            "end": "2017-08-28T08:15:00Z"
        });
        repair(&mut slot, pacific());
        assert_eq!(slot["start"], "2017-08-28T08:00:00-07:00");
        assert_eq!(
            slot["end"], "2017-08-28T08:15:00Z",
            "a zoned value is left alone"
        );
        assert_eq!(slot["schedule"]["reference"], "Schedule/arg-s-1");
        assert_eq!(slot["specialty"][0]["coding"][0]["system"], SNOMED);
    }

    #[test]
    fn repairs_npi_and_snomed_misspellings_only() {
        let mut role = json!({
            "resourceType": "PractitionerRole",
            "identifier": [{"system": NPI_MISSPELT, "value": "1"}, {"system": "other", "value": "2"}],
            "specialty": [{"coding": [{"system": "http://snomed.info.sct", "code": "394582007"},
                                      {"code": "derm"}]}]
        });
        repair(&mut role, pacific());
        assert_eq!(role["identifier"][0]["system"], NPI);
        assert_eq!(role["identifier"][1]["system"], "other");
        assert_eq!(role["specialty"][0]["coding"][0]["system"], SNOMED);
        assert!(
            role["specialty"][0]["coding"][1].get("system").is_none(),
            "non-SNOMED code"
        );
        assert_eq!(schedule_reference("Schedule/arg-s-1"), None);
    }

    #[test]
    fn replaces_the_placeholder_city_only() {
        let mut loc = json!({"resourceType": "Location", "name": "San Jose",
                             "address": {"city": "location", "state": "CA"}});
        repair(&mut loc, pacific());
        assert_eq!(loc["address"]["city"], "San Jose");
        let mut real = json!({"resourceType": "Location", "name": "Main clinic",
                              "address": {"city": "Fresno"}});
        repair(&mut real, pacific());
        assert_eq!(real["address"]["city"], "Fresno");
    }

    #[test]
    fn shifts_by_whole_weeks_to_the_current_working_week() {
        let earliest = NaiveDate::from_ymd_opt(2017, 8, 28).unwrap(); // a Monday
        // Wednesday 2026-11-18 → Monday 2026-11-16.
        let wed = Utc.with_ymd_and_hms(2026, 11, 18, 12, 0, 0).unwrap();
        let days = shift_days(earliest, wed, pacific());
        assert_eq!(days % 7, 0);
        assert_eq!(
            earliest + Duration::days(days),
            NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()
        );
        // Sunday 2026-11-22 → next Monday 2026-11-23.
        let sun = Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap();
        let days = shift_days(earliest, sun, pacific());
        assert_eq!(
            earliest + Duration::days(days),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        let mut slot = json!({"resourceType": "Slot", "start": "2017-08-28T08:00:00-07:00"});
        shift(&mut slot, days);
        assert_eq!(slot["start"], "2026-11-23T08:00:00-07:00");
        let future = NaiveDate::from_ymd_opt(2030, 1, 7).unwrap();
        assert_eq!(
            shift_days(future, sun, pacific()),
            0,
            "future data stays put"
        );
    }
}
