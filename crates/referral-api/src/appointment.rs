//! Appointments across organisations: a patient's, or a practitioner's; and `.ics` export.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::ApiError;

/// Whose appointments to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppointmentSubject {
    /// A patient, by home MRN (the core uses each organisation's patient id it knows).
    Patient { mrn: String },
    /// A practitioner, by identifier or name as the organisations know them.
    Practitioner { reference: String },
}

/// `list_appointments` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListAppointmentsRequest {
    pub subject: AppointmentSubject,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// An appointment at one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentRow {
    pub organisation_id: String,
    pub organisation_name: String,
    pub appointment_id: String,
    /// FHIR Appointment.status (booked, cancelled, pending, ...).
    pub status: String,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub patient_name: Option<String>,
    pub practitioner: Option<String>,
    pub location: Option<String>,
    pub description: Option<String>,
    /// Our referral for this appointment, if it is one of ours.
    pub referral_id: Option<String>,
}

/// An organisation that could not answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationError {
    pub organisation_id: String,
    pub organisation_name: String,
    pub error: ApiError,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentList {
    /// Earliest first.
    pub appointments: Vec<AppointmentRow>,
    pub errors: Vec<OrganisationError>,
}

/// `export_ics` request: a booked referral's appointment as an iCalendar file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportIcsRequest {
    pub referral_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IcsFile {
    /// Suggested file name, e.g. `referral-<id>.ics`.
    pub file_name: String,
    /// RFC 5545 text (CRLF line ends), as rendered by `referral_api::ics::render`.
    pub content: String,
    /// Where the shell saved it (the user's Downloads folder), when it did.
    pub saved_to: Option<String>,
}
