//! The home organisation's seed: referral orders for the Argonaut Scheduling IG's provider
//! scenarios (discharge follow-up with the PCP within 7 days, a dermatology referral, an MRI)
//! plus `seed.orders` generated ones, each with its Patient and Coverage. Deterministic for a
//! given seed number; times are relative to the first start.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};

use super::write::insert_new;
use crate::config::OrgConfig;
use crate::error::StoreError;
use crate::seed::names::{CITIES, FAMILY, GIVEN_FEMALE, GIVEN_MALE, PAYERS};
use crate::seed::rng::Rng;

/// SNOMED CT "Patient referral": the category of every seeded order.
pub const REFERRAL_CATEGORY: &str = "3457005";
const SCT: &str = "http://snomed.info/sct";
const NPI: &str = "http://hl7.org/fhir/sid/us-npi";

/// Most distinct patients generated orders are spread over.
const PATIENT_POOL: u32 = 200;

/// One provider scenario: what the order asks for.
struct Scenario {
    code: (&'static str, &'static str),
    performer_type: Option<(&'static str, &'static str)>,
    reason: (&'static str, &'static str),
    priority: &'static str,
    days: i64,
    note: &'static str,
}

const SCENARIOS: [Scenario; 3] = [
    Scenario {
        code: (
            "390906007",
            "Follow-up encounter with primary care after discharge",
        ),
        performer_type: Some(("419772000", "Family practice")),
        reason: ("84114007", "Heart failure"),
        priority: "urgent",
        days: 7,
        note: "Discharged today; see the PCP within 7 days for medication review.",
    },
    Scenario {
        code: ("183567006", "Referral to dermatology service"),
        performer_type: Some(("394582007", "Dermatology")),
        reason: ("95324001", "Skin lesion"),
        priority: "routine",
        days: 30,
        note: "Changing pigmented lesion on the left forearm.",
    },
    Scenario {
        code: ("113091000", "Magnetic resonance imaging"),
        // The specialty of the sandbox's imaging centre, so the order can be booked there.
        performer_type: Some(("394734003", "Radiological specialties")),
        reason: ("279039007", "Low back pain"),
        priority: "routine",
        days: 21,
        note: "MRI lumbar spine without contrast; persistent pain after 6 weeks of therapy.",
    },
];

/// Inserts the scenario orders and `config.seed.orders` generated ones.
pub fn insert(c: &Connection, config: &OrgConfig, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut rng = Rng::new(config.seed.seed);
    let orders = config.seed.orders;
    let pool = orders.clamp(1, PATIENT_POOL) + 3;
    let mut patients = Vec::new();
    for i in 0..pool {
        patients.push(patient_with_coverage(c, config, &mut rng, i, now)?);
    }
    for n in 0..(3 + orders) {
        let idx = usize::try_from(n).unwrap_or(0);
        let scenario = &SCENARIOS[idx % SCENARIOS.len()];
        let (patient, coverage) = &patients[idx % patients.len()];
        let order = service_request(config, scenario, n, (patient, coverage), &mut rng, now);
        if super::resource::is_stu3(config.fhir_version.as_deref()) {
            insert_new(
                c,
                &config.name,
                "ReferralRequest",
                referral_request(order)?,
                now,
            )?;
        } else {
            insert_new(c, &config.name, "ServiceRequest", order, now)?;
        }
    }
    Ok(())
}

fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Inserts one Patient and its Coverage; answers their ids.
fn patient_with_coverage(
    c: &Connection,
    config: &OrgConfig,
    rng: &mut Rng,
    i: u32,
    now: DateTime<Utc>,
) -> Result<(String, String), StoreError> {
    let female = rng.chance(50);
    let given = *rng.pick(if female { &GIVEN_FEMALE } else { &GIVEN_MALE });
    let family = *rng.pick(&FAMILY);
    let (city, state, zip) = *rng.pick(&CITIES);
    let year = 1940 + rng.below(60);
    let birth = format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
    let patient = json!({
        "resourceType": "Patient",
        "identifier": [{
            "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
            "system": mrn_system(config), "value": format!("H{:07}", 100_000 + i)
        }],
        "name": [{"family": family, "given": [given]}],
        "gender": if female { "female" } else { "male" },
        "birthDate": birth,
        "telecom": [{"system": "phone", "value": format!("555-01{:02}", i % 100), "use": "home"}],
        "address": [{"city": city, "state": state, "postalCode": zip}]
    });
    let patient = insert_new(c, &config.name, "Patient", patient, now)?;
    let pid = patient.json["id"].as_str().unwrap_or_default().to_owned();
    let (payer, plan) = *rng.pick(&PAYERS);
    let plan_id = plan.replace(' ', "-").to_uppercase();
    let mut coverage = json!({
        "resourceType": "Coverage",
        "status": "active",
        "subscriberId": format!("SUB{:08}", 10_000_000 + u64::from(i) * 7),
        "beneficiary": {"reference": format!("Patient/{pid}")},
        "payor": [{"display": payer}]
    });
    // The plan: R4's `class` list, STU3's `grouping` (an STU3 home's Coverage is STU3).
    if super::resource::is_stu3(config.fhir_version.as_deref()) {
        coverage["grouping"] = json!({"plan": plan_id, "planDisplay": plan});
    } else {
        coverage["class"] = json!([{
            "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "plan"}]},
            "value": plan_id, "name": plan
        }]);
    }
    let coverage = insert_new(c, &config.name, "Coverage", coverage, now)?;
    let cid = coverage.json["id"].as_str().unwrap_or_default().to_owned();
    Ok((pid, cid))
}

/// The STU3 shape of a seeded order (an STU3 home): the same order as a ReferralRequest, its
/// coverage in `supportingInfo`.
fn referral_request(order: Value) -> Result<Value, StoreError> {
    let sr: fhir_model::r4::ServiceRequest = serde_json::from_value(order)?;
    Ok(sr.to_referral_request()?)
}

/// A valid NPI for the requester of order `n` (the desk checks the check digit before it
/// sends a referrer anywhere).
fn requester_npi(n: u32) -> String {
    let base = format!("1{:08}", 23_456_700 + n % 900);
    format!("{base}{}", crate::seed::npi_check_digit(&base))
}

/// The MRN system of the organisation's patients.
pub fn mrn_system(config: &OrgConfig) -> String {
    format!("https://sandbox.referral-desk.example/{}/mrn", config.name)
}

fn service_request(
    config: &OrgConfig,
    s: &Scenario,
    n: u32,
    (patient, coverage): (&str, &str),
    rng: &mut Rng,
    now: DateTime<Utc>,
) -> Value {
    let start = now + Duration::days(i64::try_from(rng.below(3)).unwrap_or(0));
    let family = *rng.pick(&FAMILY);
    let mut order = json!({
        "resourceType": "ServiceRequest",
        "identifier": [{"system": format!("https://sandbox.referral-desk.example/{}/order", config.name), "value": format!("ORD{:06}", n + 1)}],
        "status": "active",
        "intent": "order",
        "category": [{"coding": [{"system": SCT, "code": REFERRAL_CATEGORY, "display": "Patient referral"}]}],
        "priority": s.priority,
        "code": {"coding": [{"system": SCT, "code": s.code.0, "display": s.code.1}], "text": s.code.1},
        "subject": {"reference": format!("Patient/{patient}")},
        "occurrencePeriod": {"start": at(start), "end": at(start + Duration::days(s.days))},
        "authoredOn": at(now),
        "requester": {
            "display": format!("Dr. {family}"),
            "identifier": {"system": NPI, "value": requester_npi(n)}
        },
        "reasonCode": [{"coding": [{"system": SCT, "code": s.reason.0, "display": s.reason.1}], "text": s.reason.1}],
        "insurance": [{"reference": format!("Coverage/{coverage}")}],
        "note": [{"text": s.note}]
    });
    if let Some((code, display)) = s.performer_type {
        order["performerType"] =
            json!({"coding": [{"system": SCT, "code": code, "display": display}], "text": display});
    }
    order
}
