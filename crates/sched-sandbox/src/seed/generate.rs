//! The built-in seed generator, modelled on the shape of the IG's connectathon data:
//! practitioners with NPI and SNOMED specialty working set hours at a location, imaging services
//! with room schedules, 15-minute slots (some busy) from the current week over a horizon, and
//! existing patients with MRNs and coverage. Same seed number and week, same data.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveTime, Offset, TimeZone, Utc};
use fhir_model::terminology::{SPECIALTIES, VISIT_TYPES};
use fhir_model::{
    Address, CodeableConcept, ContactPoint, HealthcareService, HumanName, Identifier, Location,
    Organization, Period, Practitioner, PractitionerRole, Reference, Schedule, Slot, urls,
};

use super::names::{CITIES, FAMILY, GIVEN_FEMALE, GIVEN_MALE, STREETS};
use super::rng::Rng;
use super::{SeedData, parse_offset};
use crate::config::{OrgConfig, OrgKind};

mod people;

/// Slot length of generated schedules.
pub const SLOT_MINUTES: i64 = 15;
const DERMATOLOGY: &str = "394582007";
const RADIOLOGY: &str = "394734003";

/// A bookable resource the generator builds a schedule for.
struct Bookable {
    actors: Vec<Reference>,
    specialty: CodeableConcept,
    visit_types: Vec<&'static str>,
    /// Working periods of a day as (start hour, end hour) local time.
    hours: Vec<(u32, u32)>,
    /// Weekdays worked, 0 = Monday.
    days: Vec<u32>,
}

/// Generates the seed of one organisation for the week containing `now`.
pub fn generate(org: &OrgConfig, now: DateTime<Utc>) -> SeedData {
    let mut rng = Rng::new(org.seed.seed);
    let offset = parse_offset(&org.utc_offset).unwrap_or_else(|| Utc.fix());
    let mut seed = SeedData::default();
    let city = *rng.pick(&CITIES);
    seed.organizations.push(organization(org, city, &mut rng));
    let bookables = match org.kind {
        OrgKind::Specialty => clinicians(
            org,
            city,
            &mut rng,
            &mut seed,
            specialty_code(org),
            &["new-patient", "follow-up", "consult", "procedure"],
        ),
        OrgKind::PrimaryCare => clinicians(
            org,
            city,
            &mut rng,
            &mut seed,
            "419772000",
            &[
                "office-visit",
                "new-patient",
                "follow-up",
                "physical",
                "same-day",
            ],
        ),
        OrgKind::Imaging => imaging(city, &mut rng, &mut seed),
        OrgKind::Empty | OrgKind::Home => Vec::new(),
    };
    let monday = week_start(now, offset);
    let days = i64::from(org.seed.horizon_weeks) * 7;
    for (i, b) in bookables.iter().enumerate() {
        let sched_id = format!("sched-{}", i + 1);
        seed.schedules.push(schedule(&sched_id, b, monday, days));
        slots(&mut seed.slots, &sched_id, b, monday, days, &mut rng);
    }
    if !matches!(org.kind, OrgKind::Empty | OrgKind::Home) {
        people::patients(org, city, &mut rng, &mut seed);
    }
    seed
}

fn specialty_code(org: &OrgConfig) -> &str {
    org.specialty.as_deref().unwrap_or(DERMATOLOGY)
}

fn organization(org: &OrgConfig, city: (&str, &str, &str), rng: &mut Rng) -> Organization {
    Organization {
        id: Some("org-1".to_owned()),
        identifier: vec![Identifier::new(urls::NPI, &npi(rng))],
        active: Some(true),
        type_: vec![CodeableConcept::coded(
            "http://hl7.org/fhir/organization-type",
            "prov",
            "Healthcare Provider",
        )],
        name: Some(org.display.clone()),
        telecom: vec![phone(rng)],
        address: vec![address(rng, city)],
        ..Organization::default()
    }
}

pub(super) fn address(rng: &mut Rng, (city, state, zip): (&str, &str, &str)) -> Address {
    Address {
        line: vec![format!("{} {}", 10 + rng.below(980), rng.pick(&STREETS))],
        city: Some(city.to_owned()),
        state: Some(state.to_owned()),
        postal_code: Some(zip.to_owned()),
        country: Some("US".to_owned()),
        ..Address::default()
    }
}

pub(super) fn phone(rng: &mut Rng) -> ContactPoint {
    ContactPoint {
        system: Some("phone".to_owned()),
        value: Some(format!(
            "555-{:03}-{:04}",
            100 + rng.below(900),
            rng.below(10_000)
        )),
        use_: Some("work".to_owned()),
        ..ContactPoint::default()
    }
}

fn location(id: &str, name: &str, address: Address) -> Location {
    Location {
        id: Some(id.to_owned()),
        status: Some("active".to_owned()),
        name: Some(name.to_owned()),
        address: Some(address),
        managing_organization: Some(Reference::to("Organization/org-1")),
        ..Location::default()
    }
}

/// Practitioners with roles at two locations (main site and a satellite in another city).
fn clinicians(
    org: &OrgConfig,
    city: (&str, &str, &str),
    rng: &mut Rng,
    seed: &mut SeedData,
    specialty: &str,
    visits: &[&'static str],
) -> Vec<Bookable> {
    let other_city = *rng.pick(&CITIES);
    seed.locations.push(location(
        "loc-1",
        &format!("{} main clinic", org.display),
        address(rng, city),
    ));
    seed.locations.push(location(
        "loc-2",
        &format!("{} satellite clinic", org.display),
        address(rng, other_city),
    ));
    let count = if org.seed.practitioners == 0 {
        5
    } else {
        org.seed.practitioners
    };
    let concept = SPECIALTIES.concept(specialty);
    (1..=count)
        .map(|n| {
            let id = format!("pract-{n}");
            let loc = if n % 3 == 0 { "loc-2" } else { "loc-1" };
            let p = practitioner(&id, rng);
            let display = p.name.first().map(HumanName::display).unwrap_or_default();
            seed.roles.push(PractitionerRole {
                id: Some(format!("role-{n}")),
                active: Some(true),
                practitioner: Some(Reference::with_display(
                    &format!("Practitioner/{id}"),
                    &display,
                )),
                organization: Some(Reference::to("Organization/org-1")),
                specialty: vec![concept.clone()],
                location: vec![Reference::to(&format!("Location/{loc}"))],
                ..PractitionerRole::default()
            });
            seed.practitioners.push(p);
            Bookable {
                actors: vec![
                    Reference::with_display(&format!("Practitioner/{id}"), &display),
                    Reference::to(&format!("Location/{loc}")),
                ],
                specialty: concept.clone(),
                visit_types: visits.to_vec(),
                hours: if rng.chance(50) {
                    vec![(8, 12), (13, 17)]
                } else {
                    vec![(9, 12), (13, 16)]
                },
                days: work_days(rng),
            }
        })
        .collect()
}

/// Four weekdays out of five, or all five.
fn work_days(rng: &mut Rng) -> Vec<u32> {
    let off = rng.below(7);
    (0..5).filter(|d| u64::from(*d) != off).collect()
}

fn practitioner(id: &str, rng: &mut Rng) -> Practitioner {
    let female = rng.chance(50);
    let given = if female {
        *rng.pick(&GIVEN_FEMALE)
    } else {
        *rng.pick(&GIVEN_MALE)
    };
    let mut name = HumanName::new(rng.pick::<&str>(&FAMILY), &[given]);
    name.prefix = vec!["Dr.".to_owned()];
    Practitioner {
        id: Some(id.to_owned()),
        identifier: vec![Identifier::new(urls::NPI, &npi(rng))],
        active: Some(true),
        name: vec![name],
        gender: Some(if female { "female" } else { "male" }.to_owned()),
        ..Practitioner::default()
    }
}

/// MRI, CT, x-ray and ultrasound as HealthcareServices, each in its own room (Location).
fn imaging(city: (&str, &str, &str), rng: &mut Rng, seed: &mut SeedData) -> Vec<Bookable> {
    let site = address(rng, city);
    let services = [
        ("mri", "MRI", (7, 19)),
        ("ct", "CT", (7, 19)),
        ("x-ray", "X-ray", (8, 17)),
        ("ultrasound", "Ultrasound", (8, 17)),
    ];
    let radiology = SPECIALTIES.concept(RADIOLOGY);
    services
        .iter()
        .enumerate()
        .map(|(i, (code, label, hours))| {
            let (svc, loc) = (format!("svc-{code}"), format!("loc-{}", i + 1));
            seed.locations
                .push(location(&loc, &format!("{label} suite"), site.clone()));
            seed.services.push(HealthcareService {
                id: Some(svc.clone()),
                active: Some(true),
                provided_by: Some(Reference::to("Organization/org-1")),
                type_: vec![VISIT_TYPES.concept(code)],
                specialty: vec![radiology.clone()],
                location: vec![Reference::to(&format!("Location/{loc}"))],
                name: Some(format!("{label} imaging")),
                ..HealthcareService::default()
            });
            Bookable {
                actors: vec![
                    Reference::with_display(
                        &format!("HealthcareService/{svc}"),
                        &format!("{label} imaging"),
                    ),
                    Reference::to(&format!("Location/{loc}")),
                ],
                specialty: radiology.clone(),
                visit_types: vec![code],
                hours: vec![*hours],
                days: (0..5).collect(),
            }
        })
        .collect()
}

fn week_start(now: DateTime<Utc>, offset: FixedOffset) -> DateTime<FixedOffset> {
    let local = now.with_timezone(&offset).date_naive();
    let monday = local - Duration::days(i64::from(local.weekday().num_days_from_monday()));
    let midnight = monday.and_time(NaiveTime::MIN);
    offset
        .from_local_datetime(&midnight)
        .single()
        .unwrap_or_else(|| now.with_timezone(&offset))
}

fn schedule(id: &str, b: &Bookable, monday: DateTime<FixedOffset>, days: i64) -> Schedule {
    Schedule {
        id: Some(id.to_owned()),
        active: Some(true),
        service_type: b
            .visit_types
            .iter()
            .map(|c| VISIT_TYPES.concept(c))
            .collect(),
        specialty: vec![b.specialty.clone()],
        actor: b.actors.clone(),
        planning_horizon: Some(Period::new(
            &monday.to_rfc3339(),
            &(monday + Duration::days(days)).to_rfc3339(),
        )),
        ..Schedule::default()
    }
}

fn slots(
    out: &mut Vec<Slot>,
    sched: &str,
    b: &Bookable,
    monday: DateTime<FixedOffset>,
    days: i64,
    rng: &mut Rng,
) {
    for day in 0..days {
        let weekday = u32::try_from(day % 7).unwrap_or(0);
        if !b.days.contains(&weekday) {
            continue;
        }
        for (from, to) in &b.hours {
            let mut t = monday + Duration::days(day) + Duration::hours(i64::from(*from));
            let stop = monday + Duration::days(day) + Duration::hours(i64::from(*to));
            while t < stop {
                let end = t + Duration::minutes(SLOT_MINUTES);
                out.push(Slot {
                    id: Some(format!("s{}", out.len() + 1)),
                    service_type: b
                        .visit_types
                        .iter()
                        .map(|c| VISIT_TYPES.concept(c))
                        .collect(),
                    specialty: vec![b.specialty.clone()],
                    schedule: Reference::to(&format!("Schedule/{sched}")),
                    status: if rng.chance(25) { "busy" } else { "free" }.to_owned(),
                    start: t.to_rfc3339(),
                    end: end.to_rfc3339(),
                    ..Slot::default()
                });
                t = end;
            }
        }
    }
}

/// A valid 10-digit NPI: 9 random digits (first one 1 or 2) and the Luhn check digit computed
/// with the 80840 prefix, as CMS defines it.
fn npi(rng: &mut Rng) -> String {
    let base = format!("{}{:08}", 1 + rng.below(2), rng.below(100_000_000));
    format!("{base}{}", npi_check_digit(&base))
}

/// The NPI check digit of a 9-digit base.
pub fn npi_check_digit(base: &str) -> u32 {
    let digits: Vec<u32> = base.chars().filter_map(|c| c.to_digit(10)).collect();
    let mut sum = 24; // the constant contribution of the 80840 prefix
    for (i, d) in digits.iter().rev().enumerate() {
        sum += if i % 2 == 0 {
            let x = d * 2;
            x / 10 + x % 10
        } else {
            *d
        };
    }
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests;
