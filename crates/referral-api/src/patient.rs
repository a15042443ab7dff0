//! Patients: search at an organisation, register a new one with coverage, and the summary a
//! referral keeps.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
    Other,
    Unknown,
}

/// The patient's id at one organisation (ids differ per organisation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientLink {
    pub organisation_id: String,
    pub patient_id: String,
}

/// Demographics as entered at the referring side (the home record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientDetails {
    pub family: String,
    pub given: Vec<String>,
    pub birth_date: NaiveDate,
    pub gender: Gender,
    /// Medical record number at home.
    pub mrn: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Insurance, entered on the coverage form when registering a patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CoverageInput {
    /// Payor (insurer) name.
    pub payor: String,
    pub subscriber_id: String,
    pub plan_name: Option<String>,
    /// Relationship of the patient to the subscriber: self, spouse, child, other.
    pub relationship: String,
}

/// `search_patients` request: find a patient at one organisation. At least one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchPatientsRequest {
    pub organisation_id: String,
    pub family: Option<String>,
    pub given: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// An identifier, e.g. the MRN.
    pub identifier: Option<String>,
}

/// A patient found at an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientMatch {
    pub patient_id: String,
    /// Display name, e.g. "Peter James Chalmers".
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub identifiers: Vec<String>,
    /// `$match` score between 0 and 1, when the organisation gave one.
    pub score: Option<f64>,
    /// `$match` grade (certain, probable, possible, certainly-not), when the organisation gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub grade: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientMatches {
    pub organisation_id: String,
    pub patients: Vec<PatientMatch>,
}

/// `register_patient` request: create the patient (and coverage) at one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegisterPatientRequest {
    pub organisation_id: String,
    pub patient: PatientDetails,
    pub coverage: Option<CoverageInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredPatient {
    pub organisation_id: String,
    pub patient_id: String,
    pub coverage_id: Option<String>,
    /// True when the organisation already had this patient (`POST Patient` answered with its
    /// existing record instead of creating one).
    #[serde(default)]
    pub existing: bool,
    /// A sentence for the user when there is something to say, e.g. "Dermatology Group already
    /// had this patient; Referral Desk uses their record there."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub notice: Option<String>,
    /// The organisation refused the coverage (`coverage_refused`, with its reason); the patient
    /// is registered all the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub coverage_problem: Option<ApiError>,
}

/// The patient as a referral shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientSummary {
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    pub mrn: Option<String>,
}
