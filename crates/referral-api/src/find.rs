//! `find_slots`: ask every chosen organisation at once for open appointments. Each organisation's
//! answer arrives as a [`FindProgress`] message (the shell delivers them over a tauri
//! `ipc::Channel` passed as the invoke argument `onProgress`); the command returns a
//! [`FindSummary`] when all have answered or failed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::codes::CodeOption;
use crate::error::ApiError;
use crate::referral::DateWindow;

/// `find_slots` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindSlotsRequest {
    pub referral_id: String,
    /// Organisations to ask; empty = the referral's chosen organisations.
    pub organisation_ids: Vec<String>,
    /// Overrides the referral's window (e.g. when rescheduling); null = the referral's.
    pub window: Option<DateWindow>,
    /// Only this practitioner: an id as in `SlotOption.practitionerId`, or `Practitioner/<id>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub practitioner: Option<String>,
    /// Only this location: `Location/<id>`, or an address fragment (city, postcode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub location: Option<String>,
    /// "More times": only times starting after this one (the last start already shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after: Option<DateTime<Utc>>,
    /// Only mornings (before 12:00) or afternoons (from 12:00), on the desk's clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub time_of_day: Option<TimeOfDay>,
    /// The desk's offset from UTC in minutes (east positive), so the window's days and the time
    /// of day are the user's; absent = UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub utc_offset_minutes: Option<i32>,
}

/// Part of the day a search keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TimeOfDay {
    Morning,
    Afternoon,
}

/// One proposed appointment an organisation offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SlotOption {
    /// Opaque handle for `hold_slot` / `reschedule_referral` (the core maps it to the proposal).
    pub option_id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub practitioner: Option<String>,
    /// The practitioner's id at the organisation (what `FindSlotsRequest.practitioner` takes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub practitioner_id: Option<String>,
    pub location: Option<String>,
    pub visit_type: Option<CodeOption>,
    /// Site constraints or remarks from the organisation.
    pub comment: Option<String>,
    /// The organisation's own UTC offset (minutes) as its start carried it: its local time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub organisation_utc_offset_minutes: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FindState {
    /// Asked, no answer yet (sent once per organisation when the search starts).
    Pending,
    Done,
    Failed,
}

/// Progress of one organisation within one search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindProgress {
    pub search_id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub state: FindState,
    /// Earliest first; empty unless `done`.
    pub options: Vec<SlotOption>,
    /// Why this organisation failed (`failed` only); the other organisations are unaffected.
    pub error: Option<ApiError>,
}

/// Returned when every organisation has answered or failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindSummary {
    pub search_id: String,
    pub referral_id: String,
    pub asked: u32,
    pub answered: u32,
    pub failed: u32,
    /// All options from all organisations, earliest first.
    pub options: Vec<SlotOption>,
}

/// `list_directory` request: the organisation whose directory to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListDirectoryRequest {
    pub organisation_id: String,
}

/// A practitioner in an organisation's own directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryPractitioner {
    /// The id at the organisation (what `FindSlotsRequest.practitioner` takes).
    pub id: String,
    pub name: String,
    /// Specialties from their roles there.
    pub specialties: Vec<String>,
    /// `Location/<id>` of where they work (ids of `OrganisationDirectory.locations`).
    pub location_ids: Vec<String>,
}

/// A location in an organisation's own directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryLocation {
    /// `Location/<id>` (what `FindSlotsRequest.location` takes).
    pub id: String,
    pub name: String,
    pub address: Option<String>,
}

/// `list_directory` result: the practitioners and locations an organisation lists, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationDirectory {
    pub organisation_id: String,
    pub organisation_name: String,
    pub practitioners: Vec<DirectoryPractitioner>,
    pub locations: Vec<DirectoryLocation>,
}
