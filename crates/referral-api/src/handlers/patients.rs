//! `search_patients` and `register_patient`.

use referral_core::remote::{PatientHit, PatientQuery};
use referral_core::{App, CoverageInfo, PatientInfo};
use referral_model::Gender as G;

use super::referrals::org_names;
use super::{OrApi, api_error};
use crate::error::ApiError;
use crate::patient::{
    CoverageInput, Gender, PatientDetails, PatientMatch, PatientMatches, RegisterPatientRequest,
    RegisteredPatient, SearchPatientsRequest,
};

pub async fn search_patients(
    app: &App,
    req: SearchPatientsRequest,
) -> Result<PatientMatches, ApiError> {
    let query = PatientQuery {
        identifier: req.identifier,
        family: req.family,
        given: req.given,
        birth_date: req.birth_date,
    };
    let hits = app
        .search_patients(&req.organisation_id, query)
        .await
        .api()?;
    let patients = hits.into_iter().filter_map(to_match).collect();
    Ok(PatientMatches {
        organisation_id: req.organisation_id,
        patients,
    })
}

pub async fn register_patient(
    app: &App,
    req: RegisterPatientRequest,
) -> Result<RegisteredPatient, ApiError> {
    let patient = patient_info(&req.patient);
    let coverage = req.coverage.as_ref().map(coverage_info);
    let r = app
        .register_patient(&req.organisation_id, &patient, coverage.as_ref(), None)
        .await
        .api()?;
    let notice = if r.existing {
        let id = r.organisation_id.to_string();
        let names = org_names(app).await?;
        Some(existing_notice(names.get(&id).unwrap_or(&id)))
    } else {
        None
    };
    Ok(RegisteredPatient {
        organisation_id: r.organisation_id.to_string(),
        patient_id: r.patient_id,
        coverage_id: r.coverage_id,
        existing: r.existing,
        notice,
        coverage_problem: r.coverage_refused.as_ref().map(api_error),
    })
}

/// What the user is told when the organisation answered a registration with its own record.
pub(crate) fn existing_notice(organisation: &str) -> String {
    format!("{organisation} already had this patient; Referral Desk uses their record there.")
}

/// A found patient as the UI shows it (`None` when the organisation sent no id).
pub(crate) fn to_match(h: PatientHit) -> Option<PatientMatch> {
    Some(PatientMatch {
        patient_id: h.patient.id.clone()?,
        name: h.patient.display_name(),
        birth_date: h.patient.birth_date.as_deref().and_then(|d| d.parse().ok()),
        gender: h.patient.gender.as_deref().map(gender_from_code),
        identifiers: h
            .patient
            .identifier
            .iter()
            .filter_map(|i| i.value.clone())
            .collect(),
        score: h.score,
        grade: h.grade,
    })
}

fn gender_from_code(code: &str) -> Gender {
    match code {
        "male" => Gender::Male,
        "female" => Gender::Female,
        "other" => Gender::Other,
        _ => Gender::Unknown,
    }
}

pub(crate) fn patient_info(p: &PatientDetails) -> PatientInfo {
    PatientInfo {
        family: p.family.clone(),
        given: p.given.clone(),
        birth_date: p.birth_date,
        gender: match p.gender {
            Gender::Male => G::Male,
            Gender::Female => G::Female,
            Gender::Other => G::Other,
            Gender::Unknown => G::Unknown,
        },
        mrn: p.mrn.clone(),
        phone: p.phone.clone(),
        email: p.email.clone(),
    }
}

pub(crate) fn coverage_info(c: &CoverageInput) -> CoverageInfo {
    CoverageInfo {
        payor: c.payor.clone(),
        subscriber_id: c.subscriber_id.clone(),
        plan_name: c.plan_name.clone(),
        relationship: c.relationship.clone(),
    }
}
