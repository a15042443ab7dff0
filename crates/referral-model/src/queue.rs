//! The home organisation's referral queue as the front ends see it: the home's settings, one
//! item per order (with its claim and outcome), what a refresh or sync did, and the values a
//! clerk fills in for what an order lacks. Serialised camelCase, values kebab-case.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::ReferralId;
use crate::referral::{Gender, Priority};

/// What an admin enters for the home organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HomeInput {
    /// Name shown to users.
    pub name: String,
    /// The home's FHIR R4 base URL.
    pub base_url: String,
    /// SMART Backend Services client id registered at the home.
    pub client_id: String,
    /// Token endpoint, when known without discovery.
    pub token_url: Option<String>,
    /// Claim lease length; `None` keeps the current one (default 900 s).
    pub lease_seconds: Option<u32>,
}

/// The home organisation as set, with this desk's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HomeInfo {
    pub name: String,
    pub base_url: String,
    pub client_id: String,
    pub token_url: Option<String>,
    /// This data directory's desk id (a UUID, created once).
    pub desk_id: String,
    /// "<user> at <workstation>": how other desks see this desk's claims.
    pub desk_display: String,
    pub lease_seconds: u32,
    /// When the queue was last refreshed from the home.
    pub last_refreshed: Option<DateTime<Utc>>,
}

/// Which orders a queue listing shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QueueView {
    #[default]
    All,
    Unclaimed,
    Mine,
    Others,
    Done,
    Problems,
}

impl QueueView {
    /// Whether an item in `item` belongs in this listing.
    pub fn shows(self, item: ItemView) -> bool {
        match self {
            Self::All => true,
            Self::Unclaimed => item == ItemView::Unclaimed,
            Self::Mine => item == ItemView::Mine,
            Self::Others => item == ItemView::Others,
            Self::Done => item == ItemView::Done,
            Self::Problems => item == ItemView::Problem,
        }
    }
}

/// Where one order stands for this desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemView {
    /// Open, nobody's claim (or an ended lease).
    Unclaimed,
    /// Claimed by this desk, not finished.
    Mine,
    /// Claimed by another desk with a live lease.
    Others,
    /// Finished: an outcome was written, or the order closed at home.
    Done,
    /// Cannot be worked: `problem` says why.
    Problem,
}

/// A field an order lacks, which the desk asks for before starting the referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// One order of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueItem {
    pub order_id: String,
    pub view: ItemView,
    /// "Family, Given" (or what the order gives).
    pub patient_name: String,
    pub birth_date: Option<NaiveDate>,
    pub mrn: Option<String>,
    /// The specialty or the order's code, in words.
    pub what: String,
    pub reason: Option<String>,
    pub priority: Priority,
    pub due_by: Option<NaiveDate>,
    /// The referring clinician.
    pub requester: Option<String>,
    /// The organisation the order names, if any.
    pub performer: Option<String>,
    pub missing: Vec<MissingField>,
    /// Who works it ("Ana at WS-2"), when claimed.
    pub owner: Option<String>,
    pub lease_end: Option<DateTime<Utc>>,
    /// The outcome as the home shows it (`businessStatus.text`).
    pub outcome: Option<String>,
    /// The referral started from it on this desk.
    pub referral_id: Option<ReferralId>,
    /// Why it cannot be worked, in plain words.
    pub problem: Option<String>,
    /// The order's `meta.lastUpdated` at home.
    pub last_updated: Option<String>,
}

/// A date range a clerk gives for an order without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FillWindow {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Values for what an order lacks (each used only when the order lacks it), and which
/// receiving organisations to ask (empty: the one the order names, else every enabled one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrderFill {
    pub family: Option<String>,
    pub given: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub mrn: Option<String>,
    /// A specialty code from the pick-list.
    pub specialty: Option<String>,
    pub window: Option<FillWindow>,
    pub referrer_phone: Option<String>,
    pub coverage_payor: Option<String>,
    pub coverage_subscriber_id: Option<String>,
    pub organisation_ids: Vec<String>,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueRefresh {
    /// Orders the desk knows after it.
    pub items: u32,
    /// Orders new or changed at home.
    pub changed: u32,
    /// Requests sent to the home.
    pub requests: u32,
    /// Orders that cannot be worked.
    pub problems: u32,
}

/// The referral started from an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartedOrder {
    pub referral_id: ReferralId,
    pub item: QueueItem,
}

/// What a queue sync did: outbox rows replayed, leases renewed, then the refresh.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueSyncReport {
    pub replayed: u32,
    pub renewed: u32,
    pub refresh: QueueRefresh,
}
