//! The referral's data types: what is entered, what is stored, and what a booking records.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::code::text_enum;
use crate::content::ReferralContent;
use crate::ids::{OrganisationId, ReferralId};
use crate::status::ReferralStatus;

text_enum! {
    /// FHIR AdministrativeGender.
    pub enum Gender {
        /// male
        Male = "male",
        /// female
        Female = "female",
        /// other
        Other = "other",
        /// unknown
        Unknown = "unknown",
    }
}

text_enum! {
    /// Referral priority, as the request's urgency.
    pub enum Priority {
        /// Routine.
        Routine = "routine",
        /// Urgent.
        Urgent = "urgent",
        /// As soon as possible.
        Asap = "asap",
        /// Immediately.
        Stat = "stat",
    }
}

/// A coded value: `system|code` plus the text shown to users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coded {
    /// Code system URI.
    pub system: String,
    /// Code.
    pub code: String,
    /// Human-readable text.
    pub display: Option<String>,
}

/// Who the referral is for, as much as the desk needs to find and show the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientSummary {
    /// Name as shown (required, not blank).
    pub display_name: String,
    /// Family name.
    pub family: Option<String>,
    /// Given name(s).
    pub given: Option<String>,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Administrative gender.
    pub gender: Option<Gender>,
    /// Medical record number at the referring (home) organisation.
    pub home_mrn: Option<String>,
    /// The patient's id at the target organisation, once matched or registered.
    pub target_patient_id: Option<String>,
}

/// The dates the patient should be seen between (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateWindow {
    /// First acceptable day.
    pub start: NaiveDate,
    /// Last acceptable day.
    pub end: NaiveDate,
}

/// What the desk enters to start a referral (it starts as `draft`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReferral {
    /// The patient.
    pub patient: PatientSummary,
    /// Receiving organisation.
    pub organisation_id: OrganisationId,
    /// Specialty asked for.
    pub specialty: Option<Coded>,
    /// Visit type asked for.
    pub visit_type: Option<Coded>,
    /// Reason for referral (free text).
    pub reason: Option<String>,
    /// Urgency.
    pub priority: Priority,
    /// When the patient should be seen.
    pub requested_window: Option<DateWindow>,
    /// User who created it.
    pub created_by: String,
    /// Coded reason, due-by day, referrer and note.
    pub content: ReferralContent,
}

/// An appointment at the organisation: its id and, if known, its version id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentRef {
    /// Appointment id at the organisation.
    pub id: String,
    /// `meta.versionId`, for conditional updates.
    pub version: Option<String>,
}

/// What a successful `$hold` leaves behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldRecord {
    /// The held (proposed/pending) appointment.
    pub appointment: AppointmentRef,
    /// When the hold lapses (from `Expires`, or a conservative default).
    pub expires_at: DateTime<Utc>,
}

/// What a successful `$book` (or reschedule) leaves behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRecord {
    /// The booked appointment (re-keyed if the organisation returned a new id).
    pub appointment: AppointmentRef,
    /// Start of the appointment.
    pub start: DateTime<Utc>,
    /// End of the appointment.
    pub end: Option<DateTime<Utc>>,
    /// Practitioner shown to users.
    pub practitioner_display: Option<String>,
    /// Location shown to users.
    pub location_display: Option<String>,
    /// Comment sent with the booking.
    pub comment: Option<String>,
}

/// A referral as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// Id.
    pub id: ReferralId,
    /// Row version for optimistic concurrency; every change increments it.
    pub version: i64,
    /// Life-cycle status.
    pub status: ReferralStatus,
    /// Receiving organisation.
    pub organisation_id: OrganisationId,
    /// The patient.
    pub patient: PatientSummary,
    /// Specialty asked for.
    pub specialty: Option<Coded>,
    /// Visit type asked for.
    pub visit_type: Option<Coded>,
    /// Reason for referral.
    pub reason: Option<String>,
    /// Urgency.
    pub priority: Priority,
    /// When the patient should be seen.
    pub requested_window: Option<DateWindow>,
    /// Current held or booked appointment.
    pub appointment: Option<AppointmentRef>,
    /// Appointment replaced by the last reschedule.
    pub previous_appointment_id: Option<String>,
    /// When the current hold lapses.
    pub hold_expires_at: Option<DateTime<Utc>>,
    /// Booked start.
    pub booked_start: Option<DateTime<Utc>>,
    /// Booked end.
    pub booked_end: Option<DateTime<Utc>>,
    /// Practitioner of the booking.
    pub practitioner_display: Option<String>,
    /// Location of the booking.
    pub location_display: Option<String>,
    /// Comment sent with the booking.
    pub booking_comment: Option<String>,
    /// What happened last, in words (especially for `needs-attention`).
    pub status_note: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// User who created it.
    pub created_by: String,
    /// Coded reason, due-by day, referrer and note.
    pub content: ReferralContent,
}
