//! `refdesk patient find | register` and `refdesk coverage add`.

use referral_core::remote::PatientQuery;
use referral_core::{App, CoreError, CoverageInfo, PatientInfo};
use referral_store::{Gender, OrganisationId};
use serde_json::json;

use crate::cli::{CoverageArgs, CoverageCmd, GenderArg, PatientCmd, PatientDetailsArgs};
use crate::exit;
use crate::out::{Out, opt, table};

pub async fn run(app: &App, cmd: PatientCmd, out: &Out) -> Result<u8, CoreError> {
    match cmd {
        PatientCmd::Find(a) => {
            let q = PatientQuery {
                identifier: a.identifier,
                family: a.family,
                given: a.given,
                birth_date: a.birth_date,
            };
            let hits = app.search_patients(&a.org, q).await?;
            let rows: Vec<Vec<String>> = hits
                .iter()
                .map(|h| {
                    let ids: Vec<String> = h
                        .patient
                        .identifier
                        .iter()
                        .filter_map(|i| i.value.clone())
                        .collect();
                    vec![
                        opt(h.patient.id.as_ref()),
                        h.patient.display_name(),
                        opt(h.patient.birth_date.as_ref()),
                        opt(h.patient.gender.as_ref()),
                        ids.join(", "),
                    ]
                })
                .collect();
            let doc = json!(hits.iter().map(|h| json!({ "id": h.patient.id, "name": h.patient.display_name(), "birthDate": h.patient.birth_date, "score": h.score })).collect::<Vec<_>>());
            out.result(&doc, || {
                table(
                    &["PATIENT ID", "NAME", "BIRTH DATE", "GENDER", "IDENTIFIERS"],
                    &rows,
                )
            });
        }
        PatientCmd::Register(a) => {
            let patient = patient_info(&a.patient);
            let coverage = coverage_info(&a.coverage)?;
            let r = app
                .register_patient(&a.org, &patient, coverage.as_ref(), None)
                .await?;
            let doc = json!({ "organisation": r.organisation_id, "patientId": r.patient_id, "coverageId": r.coverage_id });
            out.result(&doc, || {
                format!(
                    "registered at {}: patient {}{}",
                    r.organisation_id,
                    r.patient_id,
                    r.coverage_id
                        .as_ref()
                        .map(|c| format!(", coverage {c}"))
                        .unwrap_or_default()
                )
            });
        }
    }
    Ok(exit::OK)
}

pub async fn coverage(app: &App, cmd: CoverageCmd, out: &Out) -> Result<u8, CoreError> {
    let CoverageCmd::Add {
        org,
        patient_id,
        coverage,
    } = cmd;
    let info = coverage_info(&coverage)?
        .ok_or_else(|| CoreError::invalid("--payor", "give the payor and --subscriber-id"))?;
    let org_id = OrganisationId::new(org.trim().to_owned())?;
    let id = app.add_coverage(&org_id, &patient_id, &info, None).await?;
    out.result(&json!({ "coverageId": id }), || {
        format!("coverage {id} added for patient {patient_id} at {org_id}")
    });
    Ok(exit::OK)
}

pub fn patient_info(a: &PatientDetailsArgs) -> PatientInfo {
    PatientInfo {
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

pub fn coverage_info(a: &CoverageArgs) -> Result<Option<CoverageInfo>, CoreError> {
    match (&a.payor, &a.subscriber_id) {
        (None, None) => Ok(None),
        (Some(payor), Some(sub)) => Ok(Some(CoverageInfo {
            payor: payor.clone(),
            subscriber_id: sub.clone(),
            plan_name: a.plan.clone(),
            relationship: a.relationship.clone(),
        })),
        _ => Err(CoreError::invalid(
            "--payor/--subscriber-id",
            "give both, or neither",
        )),
    }
}
