//! The patient's id at a referral's organisation when booking: known, matched, or registered
//! just before `$book` (use case 1, option B), with the coverage a new registration owes sent,
//! or left pending when the organisation refuses it, until the user corrects it or goes on
//! without it.

use referral_store::{EventKind, EventOutcome, Referral};
use serde_json::json;

use crate::app::App;
use crate::coverage::{CoverageChoice, check_coverage};
use crate::error::CoreResult;
use crate::patients::is_same_patient;
use crate::referrals::ReferralPlan;

impl App {
    /// The patient's id at the referral's organisation: known, matched (one certain hit), or
    /// registered (use case 1, option B: just before booking). A new registration sends the
    /// referral's coverage as `choice` says; a refused coverage stays pending (the patient's id
    /// is kept), so booking again can send a corrected one or go on without it.
    pub(crate) async fn ensure_patient(
        &self,
        referral: &Referral,
        choice: &CoverageChoice,
    ) -> CoreResult<(Referral, String)> {
        let mut plan = self.plan(referral).await?;
        if let CoverageChoice::Corrected(c) = choice {
            check_coverage(c)?;
            plan.coverage = Some(c.clone());
        }
        let org = referral.organisation_id.to_string();
        let known = referral
            .patient
            .target_patient_id
            .clone()
            .or_else(|| plan.patient_links.get(&org).cloned());
        let id = match known {
            Some(id) => id,
            None => {
                let id = self.match_or_register(referral, &mut plan).await?;
                plan.patient_links.insert(org.clone(), id.clone());
                id
            }
        };
        self.save_plan(referral.id, &plan).await?;
        let mut referral = referral.clone();
        if referral.patient.target_patient_id.as_deref() != Some(id.as_str()) {
            let (rid, v, pid) = (referral.id, referral.version, id.clone());
            referral = self
                .db(move |s| s.set_target_patient_id(rid, v, &pid))
                .await?;
        }
        if plan.coverage_pending.contains(&org) {
            self.send_pending_coverage(&referral, &id, &mut plan, choice)
                .await?;
        }
        Ok((referral, id))
    }

    /// One certain hit at the organisation, else a registration (its coverage left pending).
    async fn match_or_register(
        &self,
        referral: &Referral,
        plan: &mut ReferralPlan,
    ) -> CoreResult<String> {
        let org = referral.organisation_id.to_string();
        let hits = self.find_patient(&org, &plan.patient).await?;
        let certain: Vec<_> = hits
            .iter()
            .filter(|h| is_same_patient(&h.patient, &plan.patient))
            .collect();
        if let [one] = certain.as_slice() {
            return Ok(one.patient.id.clone().unwrap_or_default());
        }
        let (id, _) = self
            .post_patient(&referral.organisation_id, &plan.patient, Some(referral))
            .await?;
        if plan.coverage.is_some() {
            plan.coverage_pending.insert(org);
        }
        Ok(id)
    }

    /// Sends the coverage a new registration still owes (or records that the user chose to go
    /// on without it). A refusal leaves it pending and fails with `CoverageRefused`.
    async fn send_pending_coverage(
        &self,
        referral: &Referral,
        patient_id: &str,
        plan: &mut ReferralPlan,
        choice: &CoverageChoice,
    ) -> CoreResult<()> {
        let org_id = &referral.organisation_id;
        match (choice, plan.coverage.clone()) {
            (CoverageChoice::Without, Some(_)) => {
                self.event(
                    Some(referral.id),
                    EventKind::CreateCoverage,
                    Some(org_id),
                    "booking without coverage".into(),
                    EventOutcome::Succeeded,
                    json!({
                        "chosen_by": "user",
                        "note": "booking goes on without the coverage the organisation refused",
                    }),
                )
                .await?;
            }
            (_, Some(c)) => {
                self.add_coverage(org_id, patient_id, &c, Some(referral.id))
                    .await?;
            }
            (_, None) => {}
        }
        plan.coverage_pending.remove(&org_id.to_string());
        self.save_plan(referral.id, plan).await
    }
}
