//! Patient administration outside a referral's workflow: `Patient/$match` on its own (the grades
//! shown to the person choosing) and replacing a coverage (`PUT Coverage/[id]`).

use referral_store::{EventKind, EventOutcome, OrganisationId};
use serde_json::json;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::patients::{to_fhir_coverage, to_fhir_patient};
use crate::referrals::{CoverageInfo, PatientInfo};
use crate::remote::PatientHit;

impl App {
    /// `Patient/$match` at one organisation: candidates with score and grade, best first.
    /// Unlike [`App::find_patient`] there is no fallback to a search: an organisation that does
    /// not offer `$match` is reported as such.
    pub async fn match_patient(
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
        if !caps.supports("match") {
            return Err(CoreError::Unsupported {
                organisation: org_row.display_name,
                what: "patient matching ($match)",
            });
        }
        let hits = remote.match_patient(to_fhir_patient(patient)).await;
        self.record_lookup(&org_id, "$match", &hits).await?;
        hits.map_err(|e| CoreError::remote(&org_row.display_name, e))
    }

    /// `PUT Coverage/[id]`: replaces a coverage the organisation already has for the patient.
    /// Idempotent, so not journaled; the answer is recorded as an event.
    pub async fn update_coverage(
        &self,
        org_id: &OrganisationId,
        patient_id: &str,
        coverage_id: &str,
        coverage: &CoverageInfo,
    ) -> CoreResult<String> {
        let (org_row, remote) = self.remote(org_id).await?;
        let mut resource = to_fhir_coverage(patient_id, coverage);
        resource.id = Some(coverage_id.to_owned());
        let answer = remote.update_coverage(resource).await;
        match answer {
            Ok(c) => {
                let id = c.id.unwrap_or_else(|| coverage_id.to_owned());
                self.event(
                    None,
                    EventKind::CreateCoverage,
                    Some(org_id),
                    "PUT Coverage".into(),
                    EventOutcome::Succeeded,
                    json!({ "coverage_id": id }),
                )
                .await?;
                Ok(id)
            }
            Err(e) => {
                self.failure_event(
                    None,
                    EventKind::CreateCoverage,
                    org_id,
                    "PUT Coverage".into(),
                    &e,
                )
                .await?;
                Err(CoreError::remote(&org_row.display_name, e))
            }
        }
    }
}
