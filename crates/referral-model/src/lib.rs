//! Referral Desk's domain model: what a referral is, which steps its life cycle allows, the ids
//! of stored things, the audit events, the organisation directory's records, the worklist query
//! and the one [`Clock`] every layer reads "now" from.
//!
//! Layer 0: plain data and rules, no IO. The store (`referral-store`) persists these types, the
//! core (`referral-core`) runs workflows over them, and the front ends (`referral-api`, the CLI,
//! the desktop shell) show them without reaching into the store. The optional `rusqlite`
//! feature adds column conversions for the store; it performs no IO either.

mod clock;
mod code;
pub mod content;
mod error;
mod event;
mod ids;
mod organisation;
pub mod queue;
mod referral;
#[cfg(feature = "rusqlite")]
mod sql;
mod status;
pub mod worklist;

pub use clock::{Clock, ManualClock, SystemClock};
pub use content::{DeskSettings, ReferralContent, Referrer};
pub use error::ModelError;
pub use event::{Actor, Event, EventKind, EventOutcome, NewEvent};
pub use ids::{EventId, JournalId, OrganisationId, ReferralId};
pub use organisation::{CapabilityReport, NewOrganisation, Organisation, OrganisationUpdate};
pub use queue::{
    FillWindow, HomeInfo, HomeInput, ItemView, MissingField, OrderFill, QueueItem, QueueRefresh,
    QueueSyncReport, QueueView, StartedOrder,
};
pub use referral::{
    AppointmentRef, BookingRecord, Coded, DateWindow, Gender, HoldRecord, NewReferral,
    PatientSummary, Priority, Referral,
};
pub use status::ReferralStatus;
pub use worklist::{
    DateFilter, LocalDays, MAX_PAGE, MatchMode, TextFilter, WorklistOrder, WorklistPage,
    WorklistQuery,
};
