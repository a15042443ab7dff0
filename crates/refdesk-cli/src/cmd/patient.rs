//! `refdesk patient find | register | match` and `refdesk coverage add | update`.

use referral_api::admin::{AddCoverageRequest, MatchPatientRequest, UpdateCoverageRequest};
use referral_api::handlers;
use referral_api::patient::{
    CoverageInput, Gender, PatientDetails, PatientMatches, RegisterPatientRequest,
    SearchPatientsRequest,
};
use referral_api::{ApiError, admin::CoverageSaved};
use referral_core::App;

use crate::cli::{CoverageArgs, CoverageCmd, GenderArg, PatientCmd, PatientDetailsArgs};
use crate::out::{Done, Out, opt, table};

pub async fn run(app: &App, cmd: PatientCmd, out: &Out) -> Done {
    match cmd {
        PatientCmd::Find(a) => {
            let req = SearchPatientsRequest {
                organisation_id: a.org,
                family: a.family,
                given: a.given,
                birth_date: a.birth_date,
                identifier: a.identifier,
            };
            let found = handlers::search_patients(app, req).await?;
            out.emit(&found, |m| matches_text(m, false))?;
        }
        PatientCmd::Register(a) => {
            let req = RegisterPatientRequest {
                organisation_id: a.org,
                patient: patient_details(&a.patient),
                coverage: coverage_input(&a.coverage)?,
            };
            let r = handlers::register_patient(app, req).await?;
            out.emit(&r, |r| {
                let coverage = r
                    .coverage_id
                    .as_ref()
                    .map(|c| format!(", coverage {c}"))
                    .unwrap_or_default();
                let mut text = format!(
                    "registered at {}: patient {}{coverage}",
                    r.organisation_id, r.patient_id
                );
                for line in r
                    .notice
                    .iter()
                    .chain(r.coverage_problem.iter().map(|e| &e.message))
                {
                    text.push('\n');
                    text.push_str(line);
                }
                text
            })?;
        }
        PatientCmd::Match(a) => {
            let req = MatchPatientRequest {
                organisation_id: a.org,
                patient: patient_details(&a.patient),
            };
            let found = handlers::match_patient(app, req).await?;
            out.emit(&found, |m| matches_text(m, true))?;
        }
    }
    Ok(0)
}

fn matches_text(m: &PatientMatches, graded: bool) -> String {
    let rows: Vec<Vec<String>> = m
        .patients
        .iter()
        .map(|p| {
            let mut row = vec![
                p.patient_id.clone(),
                p.name.clone(),
                opt(p.birth_date),
                p.gender.map_or("-".to_owned(), |g| crate::out::words(&g)),
                p.identifiers.join(", "),
            ];
            if graded {
                row.push(opt(p.score.map(|s| format!("{s:.2}"))));
                row.push(opt(p.grade.as_ref()));
            }
            row
        })
        .collect();
    let mut headers = vec!["PATIENT ID", "NAME", "BIRTH DATE", "GENDER", "IDENTIFIERS"];
    if graded {
        headers.extend(["SCORE", "GRADE"]);
    }
    table(&headers, &rows)
}

pub async fn coverage(app: &App, cmd: CoverageCmd, out: &Out) -> Done {
    let saved = match cmd {
        CoverageCmd::Add {
            org,
            patient_id,
            coverage,
        } => {
            let req = AddCoverageRequest {
                organisation_id: org,
                patient_id,
                coverage: required_coverage(&coverage)?,
            };
            handlers::add_coverage(app, req).await?
        }
        CoverageCmd::Update {
            org,
            patient_id,
            coverage_id,
            version,
            coverage,
        } => {
            let req = UpdateCoverageRequest {
                organisation_id: org,
                patient_id,
                coverage_id,
                version,
                coverage: required_coverage(&coverage)?,
            };
            handlers::update_coverage(app, req).await?
        }
    };
    out.emit(&saved, |c: &CoverageSaved| {
        let version = c
            .version
            .as_ref()
            .map(|v| format!(" (version {v})"))
            .unwrap_or_default();
        format!(
            "coverage {}{version} saved for patient {} at {}",
            c.coverage_id, c.patient_id, c.organisation_id
        )
    })?;
    Ok(0)
}

pub fn patient_details(a: &PatientDetailsArgs) -> PatientDetails {
    PatientDetails {
        family: a.family.clone(),
        given: a.given.clone(),
        birth_date: a.birth_date,
        gender: match a.gender {
            Some(GenderArg::Male) => Gender::Male,
            Some(GenderArg::Female) => Gender::Female,
            Some(GenderArg::Other) => Gender::Other,
            Some(GenderArg::Unknown) | None => Gender::Unknown,
        },
        mrn: a.mrn.clone(),
        phone: a.phone.clone(),
        email: a.email.clone(),
    }
}

/// The coverage options, when given: both --payor and --subscriber-id, or neither.
pub fn coverage_input(a: &CoverageArgs) -> Result<Option<CoverageInput>, ApiError> {
    match (&a.payor, &a.subscriber_id) {
        (None, None) => Ok(None),
        (Some(payor), Some(sub)) => Ok(Some(CoverageInput {
            payor: payor.clone(),
            subscriber_id: sub.clone(),
            plan_name: a.plan.clone(),
            relationship: a.relationship.clone(),
        })),
        _ => Err(ApiError::invalid_field(
            "--payor/--subscriber-id",
            "give both, or neither.",
        )),
    }
}

fn required_coverage(a: &CoverageArgs) -> Result<CoverageInput, ApiError> {
    coverage_input(a)?
        .ok_or_else(|| ApiError::invalid_field("--payor", "give the payor and --subscriber-id."))
}
