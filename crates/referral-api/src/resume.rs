//! Finishing a referral from its detail: search again with its stored inputs
//! (`resume_referral`), and the guided resolution of one that needs attention: re-check at the
//! organisation (`recheck_referral`), then settle it with a note (`settle_referral`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::referral::DateWindow;

/// `resume_referral` request: search again for a draft, searching or failed referral, at the
/// organisations it was created for. Result: `FindSummary`, progress over `onProgress` as in
/// `find_slots`. Any other status → `wrong_state` with what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResumeReferralRequest {
    pub referral_id: String,
    /// A new date window (e.g. when the referral's own has passed); absent = the referral's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub window: Option<DateWindow>,
}

/// `recheck_referral` request: ask the organisation what is true for a referral that needs
/// attention (read-back of its appointment, or a search for the booking whose answer was lost).
/// Changes no status; the check lands in the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecheckReferralRequest {
    pub referral_id: String,
}

/// What the organisation says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecheckFinding {
    /// A booked appointment for the referral exists there.
    Booked,
    /// The time is still held there, not booked.
    Held,
    /// Nothing is booked there.
    NotBooked,
    /// The appointment is cancelled there.
    Cancelled,
    /// The organisation could not be asked or could not tell.
    Unknown,
}

/// The appointment the organisation has for the referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FoundAppointment {
    pub appointment_id: String,
    /// FHIR Appointment.status there (booked, pending, cancelled…).
    pub status: String,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub practitioner: Option<String>,
    pub location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecheckResult {
    pub referral_id: String,
    pub finding: RecheckFinding,
    pub appointment: Option<FoundAppointment>,
    /// A sentence saying what was found.
    pub message: String,
    /// The settlement that matches the finding; null when the organisation could not tell.
    pub suggested: Option<SettleOutcome>,
}

/// How a person settles a referral that needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SettleOutcome {
    /// The booking found at the organisation is the referral's appointment (needs a re-check
    /// that finds it).
    BookedAsFound,
    /// Nothing is booked: back to searching (a time still held is released).
    NotBooked,
    /// Close the referral as cancelled.
    Cancelled,
}

/// `settle_referral` request. Result: `ReferralSummary`. Empty note → `invalid_input` field
/// `note`; a referral not needing attention → `wrong_state`; a choice the organisation
/// contradicts (e.g. "not booked" while it has the booking) → `wrong_state` saying what it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettleReferralRequest {
    pub referral_id: String,
    pub outcome: SettleOutcome,
    /// What the person found or was told (required, at most 1000 characters).
    pub note: String,
}
