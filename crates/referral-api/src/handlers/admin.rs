//! Handlers of [`crate::admin`]: `init_key`, `recover`, `sync_referrals`, `add_organisation`,
//! `match_patient`, `add_coverage`, `update_coverage`.

use referral_core::{App, CoreError, OrganisationInput};
use referral_model::OrganisationId;
use smart_auth::SigningAlg;

use super::patients::{coverage_info, patient_info, to_match};
use super::referrals::{org_names, summary};
use super::{OrApi, api_error, convert};
use crate::admin::{
    AddCoverageRequest, AddOrganisationRequest, CoverageSaved, InitKeyRequest, KeyAlgorithm,
    KeyInfo, MatchPatientRequest, RecoverRequest, RecoveryResult, SyncReferralsRequest,
    UpdateCoverageRequest,
};
use crate::error::ApiError;
use crate::organisation::Organisation;
use crate::patient::PatientMatches;
use crate::referral::ReferralList;

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub async fn init_key(app: &App, req: InitKeyRequest) -> Result<KeyInfo, ApiError> {
    let existing = app.existing_key().api()?;
    let created = existing.is_none();
    let key = match existing {
        Some(key) => key,
        None => {
            let alg = match req.algorithm.unwrap_or(KeyAlgorithm::Es384) {
                KeyAlgorithm::Es384 => SigningAlg::Es384,
                KeyAlgorithm::Rs384 => SigningAlg::Rs384,
            };
            app.generate_key(alg).api()?
        }
    };
    Ok(KeyInfo {
        created,
        key_id: key.kid().to_owned(),
        algorithm: key.alg().as_str().to_owned(),
    })
}

pub async fn recover(app: &App, _req: RecoverRequest) -> Result<RecoveryResult, ApiError> {
    let r = app.recover().await.api()?;
    Ok(RecoveryResult {
        resolved: count(r.resolved),
        left: count(r.left),
        holds_released: count(r.holds_released),
        flagged: r.flagged.iter().map(ToString::to_string).collect(),
    })
}

pub async fn sync_referrals(
    app: &App,
    _req: SyncReferralsRequest,
) -> Result<ReferralList, ApiError> {
    let changed = app.reconcile_worklist().await.api()?;
    let names = org_names(app).await?;
    Ok(ReferralList {
        total: count(changed.len()),
        referrals: changed.iter().map(|r| summary(r, &names)).collect(),
    })
}

pub async fn add_organisation(
    app: &App,
    req: AddOrganisationRequest,
) -> Result<Organisation, ApiError> {
    let scopes = if req.scopes.trim().is_empty() {
        referral_core::directory::DEFAULT_SCOPES.to_owned()
    } else {
        req.scopes
    };
    // A misspelt dialect is refused before anything is added.
    referral_core::parse_dialect(req.dialect.as_deref()).api()?;
    let org = app
        .add_organisation(OrganisationInput {
            id: req.id,
            display_name: req.name,
            fhir_base_url: req.fhir_base,
            client_id: req.client_id,
            scopes,
            enabled: req.enabled,
        })
        .await
        .api()?;
    let org = super::organisations::apply_dialect(app, org, req.dialect.as_deref()).await?;
    Ok(convert::organisation(&org))
}

pub async fn match_patient(
    app: &App,
    req: MatchPatientRequest,
) -> Result<PatientMatches, ApiError> {
    let hits = app
        .match_patient(&req.organisation_id, &patient_info(&req.patient))
        .await
        .api()?;
    Ok(PatientMatches {
        organisation_id: req.organisation_id,
        patients: hits.into_iter().filter_map(to_match).collect(),
    })
}

fn organisation_id(text: &str) -> Result<OrganisationId, ApiError> {
    OrganisationId::new(text.trim().to_owned()).map_err(|e| api_error(&CoreError::from(e)))
}

pub async fn add_coverage(app: &App, req: AddCoverageRequest) -> Result<CoverageSaved, ApiError> {
    let org = organisation_id(&req.organisation_id)?;
    let saved = app
        .add_coverage(
            &org,
            req.patient_id.trim(),
            &coverage_info(&req.coverage),
            None,
        )
        .await
        .api()?;
    Ok(CoverageSaved {
        organisation_id: org.to_string(),
        patient_id: req.patient_id,
        coverage_id: saved.id,
        version: saved.version,
    })
}

pub async fn update_coverage(
    app: &App,
    req: UpdateCoverageRequest,
) -> Result<CoverageSaved, ApiError> {
    let org = organisation_id(&req.organisation_id)?;
    let saved = app
        .update_coverage(
            &org,
            req.patient_id.trim(),
            &req.coverage_id,
            req.version.as_deref(),
            &coverage_info(&req.coverage),
        )
        .await
        .api()?;
    Ok(CoverageSaved {
        organisation_id: org.to_string(),
        patient_id: req.patient_id,
        coverage_id: saved.id,
        version: saved.version,
    })
}
