//! Patient administration outside a referral's workflow: `Patient/$match` on its own (the grades
//! shown to the person choosing). Coverage add/update is in [`crate::coverage`].

use referral_store::OrganisationId;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::patients::to_fhir_patient;
use crate::referrals::PatientInfo;
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
}
