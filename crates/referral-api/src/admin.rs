//! What the command line (`refdesk`) needs beyond the webview's commands: the app key, recovery,
//! worklist sync, adding an organisation under a chosen id, `Patient/$match` on its own and
//! coverage add/update. Same conventions as every DTO (camelCase, one request, one result); the
//! handlers are in [`crate::handlers::admin`]. `match_patient`, `add_coverage` and
//! `update_coverage` are webview commands too (the patient step and the referral detail).

use serde::{Deserialize, Serialize};
use ts_rs::{Config, ExportError, TS};

use crate::patient::{CoverageInput, PatientDetails};

/// The app key's signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum KeyAlgorithm {
    #[serde(rename = "ES384")]
    Es384,
    #[serde(rename = "RS384")]
    Rs384,
}

/// `init_key` request: create the app key if there is none (an existing key is kept).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InitKeyRequest {
    /// ES384 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub algorithm: Option<KeyAlgorithm>,
}

/// The app key (its public identity only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    /// False when the key existed already.
    pub created: bool,
    pub key_id: String,
    /// `ES384` or `RS384`.
    pub algorithm: String,
}

/// `recover` request: reconcile unfinished work (also run before every workflow command).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecoverRequest {}

/// What recovery did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryResult {
    /// Unfinished actions reconciled with the organisation.
    pub resolved: u32,
    /// Left for the next run (the organisation could not be reached).
    pub left: u32,
    /// Holds found at an organisation but never recorded here, released.
    pub holds_released: u32,
    /// Referrals flagged for a person (ids).
    pub flagged: Vec<String>,
}

/// `sync_referrals` request: read back every booked referral. Result: the referrals the
/// organisations had cancelled, now cancelled here too (`ReferralList`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncReferralsRequest {}

/// `add_organisation` request: add an organisation under a chosen directory id.
/// Result: `Organisation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddOrganisationRequest {
    /// Lower-case letters, digits, '.', '_', '-'.
    pub id: String,
    pub name: String,
    pub fhir_base: String,
    pub client_id: String,
    /// Space-separated; empty = the default scopes.
    pub scopes: String,
    pub enabled: bool,
    /// The scheduling dialect to speak (a name, or `auto`/absent to detect it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dialect: Option<String>,
}

/// `match_patient` request: `Patient/$match` at one organisation. Result: `PatientMatches`,
/// each with its score and grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MatchPatientRequest {
    pub organisation_id: String,
    pub patient: PatientDetails,
}

/// `add_coverage` request: POST Coverage for a patient registered at the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddCoverageRequest {
    pub organisation_id: String,
    pub patient_id: String,
    pub coverage: CoverageInput,
}

/// `update_coverage` request: PUT Coverage/[id], replacing what the organisation has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCoverageRequest {
    pub organisation_id: String,
    pub patient_id: String,
    pub coverage_id: String,
    /// The version last read or saved (`CoverageSaved.version`), sent as `If-Match`; a version
    /// that is no longer current there is refused (`version_conflict`). Absent: no `If-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub version: Option<String>,
    pub coverage: CoverageInput,
}

/// A coverage the organisation now holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CoverageSaved {
    pub organisation_id: String,
    pub patient_id: String,
    pub coverage_id: String,
    /// Its version there (`meta.versionId`), for the next update's `If-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub version: Option<String>,
}

/// Writes the bindings of these types (the CLI's `--json` shapes, see docs/cli.md).
pub(crate) fn export_admin_types(cfg: &Config) -> Result<(), ExportError> {
    InitKeyRequest::export_all(cfg)?;
    KeyInfo::export_all(cfg)?;
    RecoverRequest::export_all(cfg)?;
    RecoveryResult::export_all(cfg)?;
    SyncReferralsRequest::export_all(cfg)?;
    AddOrganisationRequest::export_all(cfg)?;
    MatchPatientRequest::export_all(cfg)?;
    AddCoverageRequest::export_all(cfg)?;
    UpdateCoverageRequest::export_all(cfg)?;
    CoverageSaved::export_all(cfg)?;
    Ok(())
}
