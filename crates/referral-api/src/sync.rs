//! Staying in step with the organisations: `sync_now` (the worklist's "Refresh" and the shell's
//! background loop) and `sync_status` (the worklist header: last checked, offline).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `sync_now` request: re-read every held and booked referral at its organisation now.
/// Result: `SyncStatus` with the changes found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncNowRequest {}

/// `sync_status` request: how the last sync went, without asking anyone. Result: `SyncStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncStatusRequest {}

/// What the organisation did that the sync found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncChangeKind {
    CancelledByOrganisation,
    Moved,
    HoldExpired,
}

/// One referral a sync changed, with the sentence a notification shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncChange {
    pub referral_id: String,
    pub kind: SyncChangeKind,
    /// E.g. "Dermatology cancelled the appointment of Smith, Alex."
    pub message: String,
}

/// The desk's standing with the organisations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// When a sync last reached every organisation it needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_synced_at: Option<DateTime<Utc>>,
    /// The last sync could not reach some organisation.
    pub offline: bool,
    /// The changes of this sync (empty for `sync_status`).
    pub changes: Vec<SyncChange>,
}
