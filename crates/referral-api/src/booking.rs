//! Hold, release, book, cancel and reschedule: the non-idempotent steps (the core journals each
//! before it is sent).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::find::SlotOption;
use crate::patient::CoverageInput;
use crate::referral::{ReferralStatus, ReferralSummary};

/// `hold_slot` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HoldSlotRequest {
    pub referral_id: String,
    pub option_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HoldResult {
    pub referral_id: String,
    pub appointment_id: String,
    /// From the `Expires` header, or a conservative default; the UI counts down to it.
    pub expires_at: DateTime<Utc>,
    pub option: SlotOption,
}

/// `release_hold` request: give the held slot back (the user backed out or closed the wizard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseHoldRequest {
    pub referral_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseHoldResult {
    pub referral_id: String,
    /// False when there was no hold any more (already expired or released).
    pub released: bool,
    pub status: ReferralStatus,
}

/// `book_slot` request: book the held (or chosen) slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BookSlotRequest {
    pub referral_id: String,
    /// Book this option directly, without a hold (for organisations without `$hold`);
    /// null = book the slot currently held for the referral.
    pub option_id: Option<String>,
    /// Comment for the receiving organisation (`$book` `comment`).
    pub comment: Option<String>,
    /// The patient's id at the organisation; absent = matched or registered automatically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub patient_id: Option<String>,
    /// A corrected coverage, sent instead of the one entered with the referral (after the
    /// organisation refused that one: `coverage_refused`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub coverage: Option<CoverageInput>,
    /// True: book without the coverage the organisation refused (the patient stays registered
    /// there; coverage can be added later with `add_coverage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub without_coverage: Option<bool>,
}

/// A booked appointment, as the confirmation screen prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BookingConfirmation {
    pub referral_id: String,
    pub appointment_id: String,
    pub organisation_name: String,
    pub patient_name: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub practitioner: Option<String>,
    pub location: Option<String>,
    /// Specialty / visit type, as displayed.
    pub service: String,
    pub comment: Option<String>,
    pub booked_at: DateTime<Utc>,
}

/// `cancel_referral` request. Result: [`ReferralSummary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CancelReferralRequest {
    pub referral_id: String,
    /// A code of the cancel-reason table (`CodeTables.cancelReasons`).
    pub reason_code: String,
    pub note: Option<String>,
}

/// `reschedule_referral` request: move a booked referral to another option from `find_slots`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RescheduleReferralRequest {
    pub referral_id: String,
    pub option_id: String,
    pub comment: Option<String>,
}

/// What is true after a reschedule, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RescheduleState {
    /// The new appointment is booked and the old one cancelled.
    NewBooked,
    /// Nothing changed: the old appointment is still booked.
    OldStillBooked,
    /// Uncertain; a person must check (see `message`).
    NeedsAttention,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RescheduleResult {
    pub state: RescheduleState,
    pub referral: ReferralSummary,
    /// A sentence saying what happened.
    pub message: String,
}

/// `preview_booking` request: the comment `book_slot` would send for this referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewBookingRequest {
    pub referral_id: String,
    /// The user's extra words, appended as the last line.
    pub comment: Option<String>,
}

/// What the organisation will receive as the `$book` comment, exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BookingPreview {
    /// Lines joined with `\n`, at most 1024 characters.
    pub comment: String,
}
