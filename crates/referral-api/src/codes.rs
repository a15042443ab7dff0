//! Code tables offered in pick-lists (specialties, visit types, cancel reasons, priorities).
//! The codes themselves live in our own tables (fhir-model's terminology, read by the core);
//! this module only carries them to the UI.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One coded choice: what is sent (`system|code`) and what is shown (`display`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CodeOption {
    pub system: String,
    pub code: String,
    pub display: String,
}

/// `code_tables` request: no parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CodeTablesRequest {}

/// Every pick-list the UI shows, each in display order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CodeTables {
    /// Argonaut `ValueSet/specialty` (SNOMED CT clinical specialties).
    pub specialties: Vec<CodeOption>,
    /// Argonaut `CodeSystem/visit-type`.
    pub visit_types: Vec<CodeOption>,
    /// Argonaut `CodeSystem/status-reason`, used as the cancel reason.
    pub cancel_reasons: Vec<CodeOption>,
    /// Referral priorities (routine, urgent, asap, stat).
    pub priorities: Vec<CodeOption>,
}
