//! Patients at a target organisation: search, `$match`, registration (POST Patient, journaled)
//! with Coverage (POST Coverage, journaled; see [`crate::coverage`]). Making sure a referral has
//! a patient id there is [`crate::patient_at_org`].

use fhir_model::{ContactPoint, HumanName, Identifier, Patient};
use referral_store::{
    EventKind, EventOutcome, Gender, Operation, OrganisationId, Referral, ResolutionKind,
};
use serde_json::json;

use crate::app::App;
use crate::coverage::check_coverage;
use crate::error::{CoreError, CoreResult};
use crate::journaled::failed_detail;
use crate::referrals::{CoverageInfo, PatientInfo};
use crate::remote::{PatientHit, PatientQuery, RemoteError};

/// Identifier system of the desk's home MRNs (sent with registrations and searched by).
pub const HOME_MRN_SYSTEM: &str = "urn:oid:2.16.840.1.113883.19.5.99999.1";

/// A registration's result.
#[derive(Debug)]
pub struct Registered {
    /// Organisation.
    pub organisation_id: OrganisationId,
    /// Patient id there (may be an existing patient the server matched).
    pub patient_id: String,
    /// True when the organisation answered with a patient it already had.
    pub existing: bool,
    /// Coverage id there.
    pub coverage_id: Option<String>,
    /// The organisation's refusal of the coverage (the patient is registered all the same).
    pub coverage_refused: Option<CoreError>,
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
    /// The coverage is checked before anything is sent; a coverage the organisation refuses
    /// does not undo the registration: it comes back in [`Registered::coverage_refused`].
    pub async fn register_patient(
        &self,
        org: &str,
        patient: &PatientInfo,
        coverage: Option<&CoverageInfo>,
        referral: Option<&Referral>,
    ) -> CoreResult<Registered> {
        if let Some(c) = coverage {
            check_coverage(c)?;
        }
        let org_id = OrganisationId::new(org.trim().to_owned())?;
        let (patient_id, existing) = self.post_patient(&org_id, patient, referral).await?;
        let mut registered = Registered {
            organisation_id: org_id,
            patient_id,
            existing,
            coverage_id: None,
            coverage_refused: None,
        };
        if let Some(c) = coverage {
            let rid = referral.map(|r| r.id);
            let oid = registered.organisation_id.clone();
            match self
                .add_coverage(&oid, &registered.patient_id, c, rid)
                .await
            {
                Ok(saved) => registered.coverage_id = Some(saved.id),
                Err(e) if e.is_coverage_refusal() => registered.coverage_refused = Some(e),
                Err(e) => return Err(e),
            }
        }
        Ok(registered)
    }

    /// POST Patient (journaled): the id there, and whether it was a patient the organisation
    /// already had.
    pub(crate) async fn post_patient(
        &self,
        org_id: &OrganisationId,
        patient: &PatientInfo,
        referral: Option<&Referral>,
    ) -> CoreResult<(String, bool)> {
        let (org_row, remote) = self.remote(org_id).await?;
        let rid = referral.map(|r| r.id);
        let request = json!({ "mrn": patient.mrn });
        let resource = to_fhir_patient(patient);
        let (jid, answer) = self
            .journaled(rid, org_id, Operation::CreatePatient, request, || {
                remote.create_patient(resource)
            })
            .await?;
        let created = match answer {
            Ok(p) => p,
            Err(e) => {
                let what = "POST Patient".to_owned();
                self.failure_event(rid, EventKind::CreatePatient, org_id, what, &e)
                    .await?;
                self.resolve(jid, ResolutionKind::Failed, failed_detail(&e))
                    .await?;
                return Err(CoreError::remote(&org_row.display_name, e));
            }
        };
        let patient_id = created
            .patient
            .id
            .clone()
            .ok_or_else(|| CoreError::NotFound {
                what: "the new patient's id".into(),
            })?;
        let detail = json!({ "patient_id": patient_id, "existing": created.existing });
        // The timeline says it in words when the organisation used a record it already had.
        let mut shown = detail.clone();
        if created.existing {
            shown["note"] = json!(format!(
                "{} already had this patient; Referral Desk uses their record there",
                org_row.display_name
            ));
        }
        self.event(
            rid,
            EventKind::CreatePatient,
            Some(org_id),
            "POST Patient".into(),
            EventOutcome::Succeeded,
            shown,
        )
        .await?;
        self.resolve(jid, ResolutionKind::Succeeded, detail).await?;
        Ok((patient_id, created.existing))
    }
}

/// Our home MRN on the record, or the same birth date, family and first given name
/// (case-insensitive): enough to reuse an existing record; anything less certain registers
/// (the server de-duplicates on its side).
pub(crate) fn is_same_patient(found: &Patient, wanted: &PatientInfo) -> bool {
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
