//! Existing patients of a generated organisation, each with an MRN and an argo-coverage Coverage
//! from one of a few payer organisations.

use fhir_model::{
    CodeableConcept, Coverage, CoverageGrouping, HumanName, Identifier, Meta, Organization,
    Patient, Period, Reference, urls,
};

use super::super::SeedData;
use super::super::names::{CITIES, FAMILY, GIVEN_FEMALE, GIVEN_MALE, PAYERS};
use super::super::rng::Rng;
use super::{address, phone};
use crate::config::OrgConfig;

/// The identifier system of an organisation's medical record numbers.
pub fn mrn_system(org: &str) -> String {
    format!("https://sandbox.referral-desk.example/{org}/mrn")
}

/// Adds payer organisations, patients and their coverages.
pub(super) fn patients(
    org: &OrgConfig,
    city: (&str, &str, &str),
    rng: &mut Rng,
    seed: &mut SeedData,
) {
    for (i, (name, _)) in PAYERS.iter().enumerate() {
        seed.organizations.push(Organization {
            id: Some(format!("payer-{}", i + 1)),
            active: Some(true),
            type_: vec![CodeableConcept::coded(
                "http://hl7.org/fhir/organization-type",
                "ins",
                "Insurance Company",
            )],
            name: Some((*name).to_owned()),
            ..Organization::default()
        });
    }
    for n in 1..=org.seed.patients {
        let id = format!("pat-{n}");
        let home = if rng.chance(70) {
            city
        } else {
            *rng.pick(&CITIES)
        };
        seed.patients.push(patient(org, &id, n, home, rng));
        seed.coverages.push(coverage(&id, n, rng));
    }
}

fn patient(org: &OrgConfig, id: &str, n: u32, home: (&str, &str, &str), rng: &mut Rng) -> Patient {
    let female = rng.chance(50);
    let given = if female {
        *rng.pick(&GIVEN_FEMALE)
    } else {
        *rng.pick(&GIVEN_MALE)
    };
    let mut mrn = Identifier::new(
        &mrn_system(&org.name),
        &format!(
            "MRN{:06}",
            100_000 + n * 7 + u32::try_from(rng.below(7)).unwrap_or(0)
        ),
    );
    mrn.use_ = Some("usual".to_owned());
    mrn.type_ = Some(CodeableConcept::coded(
        urls::V2_0203,
        "MR",
        "Medical record number",
    ));
    let birth = format!(
        "{}-{:02}-{:02}",
        1940 + rng.below(80),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    Patient {
        id: Some(id.to_owned()),
        identifier: vec![mrn],
        active: Some(true),
        name: vec![HumanName {
            use_: Some("official".to_owned()),
            ..HumanName::new(rng.pick::<&str>(&FAMILY), &[given])
        }],
        telecom: vec![phone(rng)],
        gender: Some(if female { "female" } else { "male" }.to_owned()),
        birth_date: Some(birth),
        address: vec![address(rng, home)],
        ..Patient::default()
    }
}

fn coverage(patient: &str, n: u32, rng: &mut Rng) -> Coverage {
    let payer = usize::try_from(rng.below(3)).unwrap_or(0);
    let (payer_name, plan) = PAYERS[payer];
    let pref = Reference::to(&format!("Patient/{patient}"));
    Coverage {
        id: Some(format!("cov-{n}")),
        meta: Some(Meta::profile(urls::PROFILE_ARGO_COVERAGE)),
        identifier: vec![Identifier::new(
            "https://sandbox.referral-desk.example/member-id",
            &format!("M{:08}", rng.below(100_000_000)),
        )],
        status: Some("active".to_owned()),
        type_: Some(CodeableConcept::coded(
            urls::ACT_CODE,
            "HIP",
            "health insurance plan policy",
        )),
        subscriber: Some(pref.clone()),
        subscriber_id: Some(format!("S{:07}", rng.below(10_000_000))),
        beneficiary: Some(pref),
        relationship: Some(CodeableConcept::coded(
            urls::POLICYHOLDER_RELATIONSHIP,
            "self",
            "Self",
        )),
        period: Some(Period {
            start: Some("2024-01-01".to_owned()),
            ..Period::default()
        }),
        payor: vec![Reference::with_display(
            &format!("Organization/payer-{}", payer + 1),
            payer_name,
        )],
        grouping: Some(CoverageGrouping {
            plan: Some(format!("PLAN-{}", payer + 1)),
            plan_display: Some(plan.to_owned()),
            ..CoverageGrouping::default()
        }),
        ..Coverage::default()
    }
}
