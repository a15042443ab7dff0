//! The directory and free slots a test seeds into helios-hfs: Practitioners, one Location, a
//! Schedule per practitioner (actors: the practitioner and the location) and free 15-minute
//! Slots every weekday morning, as one R4 transaction Bundle of `PUT`s with fixed ids so tests
//! can name what they book.
#![allow(clippy::unwrap_used, reason = "test support")]

use chrono::{Days, FixedOffset, NaiveDate, TimeZone};
use serde_json::{Value, json};

/// SNOMED CT dermatology: the specialty and service type of the seeded schedules.
pub const SPECIALTY: &str = "394582007";
/// Length of one seeded slot.
pub const SLOT_MINUTES: i64 = 15;

/// What to seed.
#[derive(Debug, Clone)]
pub struct SeedPlan {
    /// First day with slots.
    pub first_day: NaiveDate,
    /// Days with slots, from `first_day`.
    pub days: u32,
    pub practitioners: u32,
    /// Slots per practitioner per day, from 09:00 local time.
    pub slots_per_day: u32,
    /// The organisation's UTC offset.
    pub offset: FixedOffset,
}

impl SeedPlan {
    /// Two practitioners, 12 slots (09:00–12:00 at UTC−05:00) a day for `days` days from tomorrow.
    pub fn days(days: u32) -> Self {
        Self {
            first_day: chrono::Utc::now().date_naive() + Days::new(1),
            days,
            practitioners: 2,
            slots_per_day: 12,
            offset: FixedOffset::west_opt(5 * 3600).unwrap(),
        }
    }
}

/// Id of practitioner `n` (from 1).
pub fn practitioner_id(n: u32) -> String {
    format!("hfs-pr-{n}")
}

/// Id of the schedule of practitioner `n`.
pub fn schedule_id(n: u32) -> String {
    format!("hfs-sch-{n}")
}

/// Id of slot `k` (from 0) on day `d` (from 0) of practitioner `n`.
pub fn slot_id(n: u32, d: u32, k: u32) -> String {
    format!("hfs-sl-{n}-{d}-{k}")
}

/// The Location every schedule uses.
pub const LOCATION_ID: &str = "hfs-loc-1";

fn put(resource: Value) -> Value {
    let url = format!(
        "{}/{}",
        resource["resourceType"].as_str().unwrap(),
        resource["id"].as_str().unwrap()
    );
    json!({"resource": resource, "request": {"method": "PUT", "url": url}})
}

fn specialty() -> Value {
    json!([{"coding": [{"system": "http://snomed.info/sct", "code": SPECIALTY,
                        "display": "Dermatology"}]}])
}

fn slots(plan: &SeedPlan, n: u32) -> Vec<Value> {
    let mut out = Vec::new();
    for d in 0..plan.days {
        let day = plan.first_day + Days::new(u64::from(d));
        let nine = plan
            .offset
            .from_local_datetime(&day.and_hms_opt(9, 0, 0).unwrap())
            .unwrap();
        for k in 0..plan.slots_per_day {
            let start = nine + chrono::Duration::minutes(SLOT_MINUTES * i64::from(k));
            let end = start + chrono::Duration::minutes(SLOT_MINUTES);
            out.push(put(json!({
                "resourceType": "Slot", "id": slot_id(n, d, k),
                "schedule": {"reference": format!("Schedule/{}", schedule_id(n))},
                "status": "free", "serviceType": specialty(), "specialty": specialty(),
                "start": start.to_rfc3339(), "end": end.to_rfc3339(),
            })));
        }
    }
    out
}

/// The transaction Bundle of `plan`.
pub fn schedule_bundle(plan: &SeedPlan) -> Value {
    let mut entries = vec![put(json!({
        "resourceType": "Location", "id": LOCATION_ID, "status": "active",
        "name": "Harbour Dermatology, Room 1",
    }))];
    for n in 1..=plan.practitioners {
        entries.push(put(json!({
            "resourceType": "Practitioner", "id": practitioner_id(n), "active": true,
            "name": [{"family": format!("Harbour{n}"), "given": ["Dana"], "prefix": ["Dr."]}],
        })));
        entries.push(put(json!({
            "resourceType": "Schedule", "id": schedule_id(n), "active": true,
            "serviceType": specialty(), "specialty": specialty(),
            "actor": [{"reference": format!("Practitioner/{}", practitioner_id(n))},
                      {"reference": format!("Location/{LOCATION_ID}")}],
        })));
        entries.extend(slots(plan, n));
    }
    json!({"resourceType": "Bundle", "type": "transaction", "entry": entries})
}
