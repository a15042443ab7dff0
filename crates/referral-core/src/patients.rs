//! Patients at a target organisation: search, `$match`, registration (POST Patient, journaled)
//! with Coverage (POST Coverage, journaled), and making sure a referral has a patient id there.

use fhir_model::{
    CodeableConcept, ContactPoint, Coverage, CoverageGrouping, HumanName, Identifier, Patient,
    Reference,
};
use referral_store::{
    EventKind, EventOutcome, Gender, Operation, OrganisationId, Referral, ResolutionKind,
};
use serde_json::json;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::journaled::failed_detail;
use crate::referrals::{CoverageInfo, PatientInfo};
use crate::remote::{PatientHit, PatientQuery, RemoteError};

/// Identifier system of the desk's home MRNs (sent with registrations and searched by).
pub const HOME_MRN_SYSTEM: &str = "urn:oid:2.16.840.1.113883.19.5.99999.1";

/// A registration's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    /// Organisation.
    pub organisation_id: OrganisationId,
    /// Patient id there (may be an existing patient the server matched).
    pub patient_id: String,
    /// Coverage id there.
    pub coverage_id: Option<String>,
}

impl App {
    /// US Core Patient search at one organisation.
    pub async fn search_patients(
        &self,
        org: &str,
        query: PatientQuery,
    ) -> CoreResult<Vec<PatientHit>> {
        if query == PatientQuery::default() {
            return Err(CoreError::invalid(
                "search",
                "give a name, birth date or identifier",
            ));
        }
        let org_id = OrganisationId::new(org.trim().to_owned())?;
        let (org, remote) = self.remote(&org_id).await?;
        let hits = remote.search_patients(query).await;
        self.record_lookup(&org_id, "search Patient", &hits).await?;
        hits.map_err(|e| CoreError::remote(&org.display_name, e))
    }

    /// Records a patient lookup at an organisation (a search or `$match`) in the trail: how
    /// many candidates came back, never who they are.
    pub(crate) async fn record_lookup(
        &self,
        org_id: &OrganisationId,
        request: &str,
        hits: &Result<Vec<PatientHit>, RemoteError>,
    ) -> CoreResult<()> {
        let outcome = if hits.is_ok() {
            EventOutcome::Succeeded
        } else {
            EventOutcome::Failed
        };
        self.event(
            None,
            EventKind::MatchPatient,
            Some(org_id),
            request.to_owned(),
            outcome,
            json!({ "found": hits.as_ref().map(Vec::len).ok() }),
        )
        .await
    }

    /// `$match` when the organisation offers it, else an identifier (MRN) search then a
    /// name + birth date search.
    pub async fn find_patient(
        &self,
        org: &str,
        patient: &PatientInfo,
    ) -> CoreResult<Vec<PatientHit>> {
        let org_id = OrganisationId::new(org.trim().to_owned())?;
        let (org_row, remote) = self.remote(&org_id).await?;
        let caps = remote
            .capabilities()
            .await
            .map_err(|e| CoreError::remote(&org_row.display_name, e))?;
        if caps.supports("match")
            && let Ok(hits) = remote.match_patient(to_fhir_patient(patient)).await
        {
            return Ok(hits);
        }
        if !patient.mrn.trim().is_empty() {
            let q = PatientQuery {
                identifier: Some(format!("{HOME_MRN_SYSTEM}|{}", patient.mrn)),
                ..PatientQuery::default()
            };
            let hits = self.search_patients(org, q).await?;
            if !hits.is_empty() {
                return Ok(hits);
            }
        }
        let q = PatientQuery {
            family: Some(patient.family.clone()),
            given: patient.given.first().cloned(),
            birth_date: Some(patient.birth_date),
            ..PatientQuery::default()
        };
        self.search_patients(org, q).await
    }

    /// Registers the patient (POST Patient) and, when given, their coverage (POST Coverage).
    pub async fn register_patient(
        &self,
        org: &str,
        patient: &PatientInfo,
        coverage: Option<&CoverageInfo>,
        referral: Option<&Referral>,
    ) -> CoreResult<Registered> {
        let org_id = OrganisationId::new(org.trim().to_owned())?;
        let (org_row, remote) = self.remote(&org_id).await?;
        let rid = referral.map(|r| r.id);
        let request = json!({ "mrn": patient.mrn });
        let resource = to_fhir_patient(patient);
        let (jid, answer) = self
            .journaled(rid, &org_id, Operation::CreatePatient, request, || {
                remote.create_patient(resource)
            })
            .await?;
        let created = match answer {
            Ok(p) => p,
            Err(e) => {
                self.failure_event(
                    rid,
                    EventKind::CreatePatient,
                    &org_id,
                    "POST Patient".into(),
                    &e,
                )
                .await?;
                self.resolve(jid, ResolutionKind::Failed, failed_detail(&e))
                    .await?;
                return Err(CoreError::remote(&org_row.display_name, e));
            }
        };
        let patient_id = created.id.clone().ok_or_else(|| CoreError::NotFound {
            what: "the new patient's id".into(),
        })?;
        self.event(
            rid,
            EventKind::CreatePatient,
            Some(&org_id),
            "POST Patient".into(),
            EventOutcome::Succeeded,
            json!({ "patient_id": patient_id }),
        )
        .await?;
        self.resolve(
            jid,
            ResolutionKind::Succeeded,
            json!({ "patient_id": patient_id }),
        )
        .await?;
        let coverage_id = match coverage {
            Some(c) => Some(self.add_coverage(&org_id, &patient_id, c, rid).await?),
            None => None,
        };
        Ok(Registered {
            organisation_id: org_id,
            patient_id,
            coverage_id,
        })
    }

    /// POST Coverage for a patient already registered at the organisation.
    pub async fn add_coverage(
        &self,
        org_id: &OrganisationId,
        patient_id: &str,
        coverage: &CoverageInfo,
        referral_id: Option<referral_store::ReferralId>,
    ) -> CoreResult<String> {
        let (org_row, remote) = self.remote(org_id).await?;
        let resource = to_fhir_coverage(patient_id, coverage);
        let request = json!({ "patient_id": patient_id, "subscriber_id": coverage.subscriber_id });
        let (jid, answer) = self
            .journaled(
                referral_id,
                org_id,
                Operation::CreateCoverage,
                request,
                || remote.create_coverage(resource),
            )
            .await?;
        match answer {
            Ok(c) => {
                let id = c.id.unwrap_or_default();
                self.event(
                    referral_id,
                    EventKind::CreateCoverage,
                    Some(org_id),
                    "POST Coverage".into(),
                    EventOutcome::Succeeded,
                    json!({ "coverage_id": id }),
                )
                .await?;
                self.resolve(jid, ResolutionKind::Succeeded, json!({ "coverage_id": id }))
                    .await?;
                Ok(id)
            }
            Err(e) => {
                self.failure_event(
                    referral_id,
                    EventKind::CreateCoverage,
                    org_id,
                    "POST Coverage".into(),
                    &e,
                )
                .await?;
                self.resolve(jid, ResolutionKind::Failed, failed_detail(&e))
                    .await?;
                Err(CoreError::remote(&org_row.display_name, e))
            }
        }
    }

    /// The patient's id at the referral's organisation: known, matched (one certain hit), or
    /// registered with the plan's coverage (use case 1, option B: just before booking).
    pub(crate) async fn ensure_patient(
        &self,
        referral: &Referral,
    ) -> CoreResult<(Referral, String)> {
        if let Some(id) = &referral.patient.target_patient_id {
            return Ok((referral.clone(), id.clone()));
        }
        let mut plan = self.plan(referral).await?;
        let org = referral.organisation_id.to_string();
        let id = if let Some(id) = plan.patient_links.get(&org) {
            id.clone()
        } else {
            let hits = self.find_patient(&org, &plan.patient).await?;
            let certain: Vec<_> = hits
                .iter()
                .filter(|h| is_same_patient(&h.patient, &plan.patient))
                .collect();
            match certain.as_slice() {
                [one] => one.patient.id.clone().unwrap_or_default(),
                _ => {
                    let registered = self
                        .register_patient(
                            &org,
                            &plan.patient,
                            plan.coverage.as_ref(),
                            Some(referral),
                        )
                        .await?;
                    registered.patient_id
                }
            }
        };
        plan.patient_links.insert(org, id.clone());
        self.save_plan(referral.id, &plan).await?;
        let (rid, v, pid) = (referral.id, referral.version, id.clone());
        let referral = self
            .db(move |s| s.set_target_patient_id(rid, v, &pid))
            .await?;
        Ok((referral, id))
    }
}

/// Our home MRN on the record, or the same birth date, family and first given name
/// (case-insensitive): enough to reuse an existing record; anything less certain registers
/// (the server de-duplicates on its side).
fn is_same_patient(found: &Patient, wanted: &PatientInfo) -> bool {
    let birth = found.birth_date.as_deref() == Some(wanted.birth_date.to_string().as_str());
    let family = found
        .family()
        .is_some_and(|f| f.eq_ignore_ascii_case(&wanted.family));
    let given = match (found.given(), wanted.given.first()) {
        (Some(f), Some(w)) => f.eq_ignore_ascii_case(w),
        _ => false,
    };
    let mrn = !wanted.mrn.trim().is_empty()
        && found.identifier_value(HOME_MRN_SYSTEM) == Some(wanted.mrn.as_str());
    found.id.is_some() && (mrn || (birth && family && given))
}

/// The US Core Patient sent for registration and `$match`.
pub fn to_fhir_patient(p: &PatientInfo) -> Patient {
    let given: Vec<&str> = p.given.iter().map(String::as_str).collect();
    let mut telecom = Vec::new();
    if let Some(phone) = &p.phone {
        telecom.push(ContactPoint {
            system: Some("phone".into()),
            value: Some(phone.clone()),
            ..ContactPoint::default()
        });
    }
    if let Some(email) = &p.email {
        telecom.push(ContactPoint {
            system: Some("email".into()),
            value: Some(email.clone()),
            ..ContactPoint::default()
        });
    }
    Patient {
        identifier: if p.mrn.trim().is_empty() {
            vec![]
        } else {
            vec![Identifier::new(HOME_MRN_SYSTEM, &p.mrn)]
        },
        name: vec![HumanName::new(&p.family, &given)],
        telecom,
        gender: Some(gender_code(p.gender).to_owned()),
        birth_date: Some(p.birth_date.to_string()),
        ..Patient::default()
    }
}

fn gender_code(g: Gender) -> &'static str {
    match g {
        Gender::Male => "male",
        Gender::Female => "female",
        Gender::Other => "other",
        Gender::Unknown => "unknown",
    }
}

/// The argo-coverage resource for a patient.
pub fn to_fhir_coverage(patient_id: &str, c: &CoverageInfo) -> Coverage {
    let patient = Reference::to(&format!("Patient/{patient_id}"));
    Coverage {
        status: Some("active".into()),
        subscriber_id: Some(c.subscriber_id.clone()),
        subscriber: Some(patient.clone()),
        beneficiary: Some(patient),
        relationship: Some(CodeableConcept::coded(
            "http://hl7.org/fhir/policyholder-relationship",
            &c.relationship,
            &c.relationship,
        )),
        payor: vec![Reference {
            display: Some(c.payor.clone()),
            ..Reference::default()
        }],
        grouping: c.plan_name.as_ref().map(|p| CoverageGrouping {
            plan: Some(p.clone()),
            plan_display: Some(p.clone()),
            ..CoverageGrouping::default()
        }),
        ..Coverage::default()
    }
}
