//! The home organisation's referral queue (issue 11): the open referral orders its FHIR R4
//! server holds (`ServiceRequest` with their `_include`d Patient and Coverage, paged, refreshed
//! by `_lastUpdated`), and the desk's claim on one order (`Task`, one per order by conditional
//! create, every update guarded by `If-Match`).
//!
//! ```text
//! HomeClient::new(org_client, desk)
//!   .open_orders(&OrderQuery)      Stream<OrderPage>   GET ServiceRequest?status=active&...
//!   .claim(&order, lease_end)      Task                POST Task + If-None-Exist (never retried)
//!   .update_task(&task)            Task                PUT Task/<id> + If-Match (412 → ClaimConflict)
//!   .task_for_order(order_id)      Option<Task>        GET Task?identifier=claim|<order id>
//!   .changes(since)                Changes             POST [base] batch: orders (any status)
//!                                                      + claims changed since (else two GETs)
//!   .read_order(order_id)          Option<Order>       GET ServiceRequest?_id=…&_include=…
//! ```
//!
//! The home speaks R4 and so does this module: bodies are `fhir_model::r4` types sent as they
//! are (the requests stay on the STU3 wire, which means "unconverted"). A home whose
//! CapabilityStatement declares FHIR 3.x holds its orders as STU3 `ReferralRequest`: the
//! searches and reads name that type and each order is converted to the `r4::ServiceRequest`
//! every caller sees ([`OrderKind`]); Task, Patient and Coverage are read and written as they
//! are (the elements the desk uses have the same JSON in both versions).

mod changes;
mod claim;
mod error;
mod queue;
mod read;
mod version;

pub use changes::Changes;
pub use claim::{CLAIM_SYSTEM, DESK_SYSTEM, Desk, claim_identifier, is_free, lease_expired};
pub use error::HomeError;
pub use queue::{Order, OrderPage, OrderQuery, REFERRAL_CATEGORY, UnreadableOrder};
pub use version::OrderKind;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::OnceCell;

use crate::org::OrgClient;

/// A client for one home organisation, acting as one desk (user at a workstation).
#[derive(Debug, Clone)]
pub struct HomeClient {
    org: OrgClient,
    desk: Desk,
    /// Requests this client sent to the home (pages, claims, updates, reads), for the refresh
    /// cost the issue bounds (an unchanged refresh is one request).
    sent: Arc<AtomicU64>,
    /// Whether the home lists `batch` and which FHIR version it declares, from its
    /// CapabilityStatement (read once).
    caps: Arc<OnceCell<version::HomeCaps>>,
    /// How long a new claim waits before checking for a concurrent duplicate (see
    /// [`HomeClient::settle_delay`]).
    settle: Duration,
}

/// The default wait before a new claim checks for a duplicate made at the same moment.
pub const DEFAULT_SETTLE: Duration = Duration::from_millis(250);

impl HomeClient {
    /// A home client over `org` (built like any organisation's client: base URL, authorizer with
    /// the home's scopes, timeout) acting as `desk`.
    pub fn new(org: OrgClient, desk: Desk) -> Self {
        Self {
            org,
            desk,
            sent: Arc::new(AtomicU64::new(0)),
            caps: Arc::new(OnceCell::new()),
            settle: DEFAULT_SETTLE,
        }
    }

    /// Sets how long a freshly created claim waits before it looks for a duplicate claim
    /// another desk created at the same moment (homes whose conditional create is not atomic
    /// let both in; the wait lets the other create land so both desks see both claims and
    /// agree on one). Zero for a home known to create conditionally under a lock.
    #[must_use]
    pub fn settle_delay(mut self, settle: Duration) -> Self {
        self.settle = settle;
        self
    }

    /// The desk this client claims as.
    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    /// The underlying organisation client.
    pub fn org(&self) -> &OrgClient {
        &self.org
    }

    /// How many requests this client (and its clones) sent to the home so far.
    pub fn requests_sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    fn count(&self) {
        self.sent.fetch_add(1, Ordering::Relaxed);
    }
}
