//! Referrals: the worklist, one referral's detail with its event timeline, and creating a draft.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::codes::CodeOption;
use crate::patient::{CoverageInput, PatientDetails, PatientLink, PatientSummary};

/// Where a referral is in its life (issue 4's lifecycle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    Draft,
    Searching,
    Held,
    Booked,
    Cancelled,
    Rescheduled,
    Failed,
    NeedsAttention,
    /// The organisation cancelled the appointment on its side (seen by a sync).
    CancelledByOrganisation,
}

/// The referring clinician: who the organisation calls back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Referrer {
    /// Required, not blank.
    pub name: String,
    /// National Provider Identifier: 10 digits passing the NPI check digit, when given.
    pub npi: Option<String>,
    /// The call-back number: digits, spaces and `+()-.` only, 7 to 20 digits.
    pub phone: String,
}

/// What was asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ServiceChoice {
    pub specialty: Option<CodeOption>,
    pub visit_type: Option<CodeOption>,
    pub priority: CodeOption,
    /// Reason for referral, free text.
    pub reason: String,
    /// The coded reason, one of `CodeTables.referralReasons`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason_code: Option<CodeOption>,
    /// The day the patient should be seen by; refused when before today (on create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub due_by: Option<NaiveDate>,
    /// Who referred; absent = the desk setting at create time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub referrer: Option<Referrer>,
    /// A note for the organisation, at most 1000 characters; refused when blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

/// The requested window, inclusive dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DateWindow {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// One worklist row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReferralSummary {
    pub id: String,
    pub status: ReferralStatus,
    /// The target organisation once a slot is held or booked; null while a draft.
    pub organisation_id: Option<String>,
    pub organisation_name: Option<String>,
    pub patient: PatientSummary,
    pub service: ServiceChoice,
    /// Appointment start when held/booked.
    pub appointment_start: Option<DateTime<Utc>>,
    /// When a hold runs out (status `held`); the UI counts down to it.
    pub hold_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The due-by day has passed (on the user's calendar) and the referral is not booked,
    /// cancelled or rescheduled.
    pub overdue: bool,
}

/// Order of the worklist.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WorklistSort {
    /// Most recently changed first.
    #[default]
    Newest,
    /// Earliest due-by day first; referrals without one last.
    DueBy,
}

/// `list_referrals` request: the worklist filter. Empty/null criteria match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListReferralsRequest {
    pub statuses: Vec<ReferralStatus>,
    pub organisation_id: Option<String>,
    /// Appointment date from, inclusive, on the user's calendar (see `utcOffsetMinutes`).
    pub from: Option<NaiveDate>,
    /// Appointment date to, inclusive, on the user's calendar.
    pub to: Option<NaiveDate>,
    /// The user's offset from UTC in minutes, east positive (UTC+2 is 120, UTC-5 is -300), so
    /// `from`/`to` are the user's own days; absent means UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub utc_offset_minutes: Option<i32>,
    /// Patient name or MRN, substring, case-insensitive.
    pub text: Option<String>,
    /// Most rows to return (newest first); null = the core's default.
    pub limit: Option<u32>,
    /// Order; absent = newest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sort: Option<WorklistSort>,
    /// Only overdue referrals (see [`ReferralSummary::overdue`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub overdue_only: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReferralList {
    pub referrals: Vec<ReferralSummary>,
    /// How many match the filter (may exceed `referrals.len()` when limited).
    pub total: u32,
}

/// `get_referral` request. Result: [`ReferralDetail`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GetReferralRequest {
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EventOutcome {
    Ok,
    Refused,
    Failed,
    /// Journaled but not yet resolved (a crash or timeout in between).
    Pending,
}

/// One entry of the audit trail: a remote action and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReferralEvent {
    pub at: DateTime<Utc>,
    /// What was done, e.g. "$find", "$hold", "$book", "cancel", "register patient".
    pub action: String,
    pub organisation_name: Option<String>,
    pub outcome: EventOutcome,
    /// A sentence: what happened (with the organisation's text on refusal).
    pub detail: String,
    /// The operating-system user who did it (absent for events recorded before this was kept).
    pub user: Option<String>,
    /// The workstation it was done on.
    pub workstation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReferralDetail {
    pub summary: ReferralSummary,
    pub window: DateWindow,
    pub patient_links: Vec<PatientLink>,
    pub appointment_id: Option<String>,
    pub appointment_end: Option<DateTime<Utc>>,
    pub location: Option<String>,
    pub practitioner: Option<String>,
    pub booking_comment: Option<String>,
    pub created_by: String,
    /// Why the referral is in its status (a cancel reason, what needs attention), when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status_note: Option<String>,
    /// Oldest first.
    pub events: Vec<ReferralEvent>,
}

/// `create_referral` request: save the wizard's choices as a draft. Result: [`ReferralSummary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreateReferralRequest {
    pub patient: PatientDetails,
    /// Coverage to register with where the patient is new.
    pub coverage: Option<CoverageInput>,
    /// Ids the patient already has at organisations (found or registered in the wizard).
    pub patient_links: Vec<PatientLink>,
    pub service: ServiceChoice,
    pub organisation_ids: Vec<String>,
    pub window: DateWindow,
}
