//! SQLite worklist for Referral Desk: organisations, referrals, events, journal.
//!
//! One [`Store`] handle (an `Arc` around one `Mutex<Connection>`, cheap to clone) over one SQLite
//! file in WAL mode with `synchronous = FULL`: a killed process loses nothing committed, and a
//! power cut does not lose the journal intent written just before a `$hold`/`$book` went out
//! (`NORMAL` could). The API is synchronous: each call is one short transaction, so async callers
//! wrap calls in `tokio::task::spawn_blocking`. Times are stamped from an injected [`Clock`].
//!
//! The types it persists (referrals, their status machine, ids, events, organisations, the
//! worklist query, the clock) are `referral-model`'s; this crate adds SQL and transactions.
//!
//! Tables, one module each with its migration beside it:
//! - [`table::organisations`] — the directory of receiving organisations;
//! - [`table::referrals`] — the referrals, their life cycle and the [worklist query](Store::worklist);
//! - [`table::referral_events`] — the append-only audit trail;
//! - [`table::journal`] — intents recorded before every non-idempotent remote call;
//! - [`table::settings`] — small preferences;
//! - [`table::home`] — the home organisation's queue of orders and its outbox of write-backs.

mod actor;
mod audit_trail;
pub mod cipher;
mod codec;
mod error;
pub mod migrate_plain;
pub mod schema;
mod store;
pub mod table;

pub use actor::os_actor;
pub use cipher::{CipherError, FileKind, WorklistKey};
pub use error::{Result, StoreError};
pub use store::Store;
pub use table::home::orders::{OrderImport, QueueClaim, QueueOrder, QueueState, SavedOrders};
pub use table::home::outbox::{OutboxEntry, OutboxOperation, OutboxResolution, OutboxWrite};
pub use table::journal::{
    Intent, Journal, JournalEntry, Operation, Resolution, ResolutionKind, Resolved,
};
pub use table::organisation_keys::OrganisationKey;
pub use table::referrals::Transition;

// The model the store persists, re-exported so the core (the store's one user) names one crate
// per concern; front ends take these from `referral-model` and never depend on the store.
pub use referral_model::{
    Actor, AppointmentRef, BookingRecord, CapabilityReport, Clock, Coded, DateFilter, DateWindow,
    Event, EventId, EventKind, EventOutcome, Gender, HoldRecord, JournalId, MAX_PAGE, ManualClock,
    MatchMode, NewEvent, NewOrganisation, NewReferral, Organisation, OrganisationId,
    OrganisationUpdate, PatientSummary, Priority, Referral, ReferralId, ReferralStatus,
    SystemClock, TextFilter, WorklistOrder, WorklistPage, WorklistQuery,
};
