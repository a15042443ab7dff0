//! The home organisation and its referral queue: the home's settings (`get_home`, `save_home`),
//! the queue listing (`list_queue`, `refresh_queue`), and working one order (`claim_order`,
//! `release_order`, `start_order`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::patient::Gender;

/// `get_home` request: no parameters. Result: [`HomeSettings`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GetHomeRequest {}

/// The home organisation as set, with this desk's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HomeInfo {
    pub name: String,
    pub base_url: String,
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub token_url: Option<String>,
    /// This data directory's desk id.
    pub desk_id: String,
    /// How other desks see this desk's claims: "<user> at <workstation>".
    pub desk_display: String,
    /// How long a claim lasts without renewal.
    pub lease_seconds: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_refreshed: Option<DateTime<Utc>>,
}

/// Whether a home is set, and which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HomeSettings {
    pub configured: bool,
    pub home: Option<HomeInfo>,
}

/// `save_home` request: the home organisation's details. Result: [`HomeSettings`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveHomeRequest {
    pub name: String,
    pub base_url: String,
    pub client_id: String,
    /// Token endpoint; absent = SMART discovery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub token_url: Option<String>,
    /// Claim lease in seconds (1 to 86400); absent = keep the current one (default 900).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub lease_seconds: Option<u32>,
}

/// Which orders a listing shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QueueView {
    #[default]
    All,
    Unclaimed,
    Mine,
    Others,
    Done,
    Problems,
}

/// Where one order stands for this desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QueueItemView {
    Unclaimed,
    Mine,
    Others,
    Done,
    Problem,
}

/// A detail the order lacks, asked of the clerk before the referral starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum MissingField {
    PatientName,
    BirthDate,
    Gender,
    Mrn,
    Specialty,
    Window,
    ReferrerPhone,
    CoveragePayor,
    CoverageSubscriberId,
}

/// The order's urgency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OrderPriority {
    Routine,
    Urgent,
    Asap,
    Stat,
}

/// One order of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueItem {
    pub order_id: String,
    pub view: QueueItemView,
    pub patient_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mrn: Option<String>,
    /// The specialty or the order's code, in words.
    pub what: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<String>,
    pub priority: OrderPriority,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub due_by: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub requester: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub performer: Option<String>,
    /// What the clerk must fill in before starting it (empty: nothing).
    pub missing: Vec<MissingField>,
    /// Who works it ("Ana at WS-2").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub lease_end: Option<DateTime<Utc>>,
    /// The outcome as the home shows it ("booked 14 May 09:30 at Napa Valley Clinic").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub outcome: Option<String>,
    /// The referral started from it on this desk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub referral_id: Option<String>,
    /// Why it cannot be worked, in plain words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_updated: Option<String>,
}

/// How many orders each view holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueCounts {
    pub unclaimed: u32,
    pub mine: u32,
    pub others: u32,
    pub done: u32,
    pub problems: u32,
}

/// `list_queue` request: the desk's copy of the queue, no request to the home.
/// Result: [`QueueList`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListQueueRequest {
    /// Absent = all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub view: Option<QueueView>,
}

/// `refresh_queue` request: read what changed at home, then list. Result: [`QueueList`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RefreshQueueRequest {}

/// The queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueList {
    pub items: Vec<QueueItem>,
    /// False: no home is set (the UI hides the queue).
    pub home_configured: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_refreshed: Option<DateTime<Utc>>,
    pub counts: QueueCounts,
}

/// `claim_order` and `release_order` request. Result: [`QueueItem`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderRequest {
    pub order_id: String,
}

/// A date range for an order that gives none (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FillWindow {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Values for what the order lacks (each used only when it lacks it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct OrderFill {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub given: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub birth_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub gender: Option<Gender>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mrn: Option<String>,
    /// A specialty code from `CodeTables.specialties`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub specialty: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub window: Option<FillWindow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub referrer_phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub coverage_payor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub coverage_subscriber_id: Option<String>,
    /// Receiving organisations to ask; empty = the one the order names, else every enabled one.
    pub organisation_ids: Vec<String>,
}

/// `start_order` request. Result: [`StartedOrder`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartOrderRequest {
    pub order_id: String,
    #[serde(default)]
    pub fill: OrderFill,
}

/// The referral started from an order: open its find step (the resume route).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartedOrder {
    pub referral_id: String,
    pub item: QueueItem,
}

/// `refdesk queue sync` (not a webview command: the app's `refresh_queue` does the same and
/// lists): write-backs replayed, leases renewed, and what the refresh found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueSyncResult {
    pub replayed: u32,
    pub renewed: u32,
    /// Orders the desk knows after the refresh.
    pub items: u32,
    /// Orders new or changed at home.
    pub changed: u32,
    /// Requests the refresh sent to the home.
    pub requests: u32,
    /// Orders that cannot be worked.
    pub problems: u32,
}
