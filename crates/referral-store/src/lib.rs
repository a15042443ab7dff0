//! SQLite worklist for Referral Desk: organisations, referrals, events, journal.
//!
//! One [`Store`] handle (an `Arc` around one `Mutex<Connection>`, cheap to clone) over one SQLite
//! file in WAL mode with `synchronous = FULL`: a killed process loses nothing committed, and a
//! power cut does not lose the journal intent written just before a `$hold`/`$book` went out
//! (`NORMAL` could). The API is synchronous: each call is one short transaction, so async callers
//! wrap calls in `tokio::task::spawn_blocking`. Times are stamped from an injected [`Clock`].
//!
//! Tables, one module each with its migration beside it:
//! - [`table::organisations`] — the directory of receiving organisations;
//! - [`table::referrals`] — the referrals, their life cycle and the [worklist query](Store::worklist);
//! - [`table::referral_events`] — the append-only audit trail;
//! - [`table::journal`] — intents recorded before every non-idempotent remote call;
//! - [`table::settings`] — small preferences.

mod actor;
mod audit_trail;
pub mod cipher;
mod clock;
mod codec;
mod error;
mod ids;
pub mod migrate_plain;
pub mod schema;
mod store;
pub mod table;

pub use actor::Actor;
pub use cipher::{CipherError, FileKind, WorklistKey};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{Result, StoreError};
pub use ids::{EventId, JournalId, OrganisationId, ReferralId};
pub use store::Store;
pub use table::journal::{
    Intent, Journal, JournalEntry, Operation, Resolution, ResolutionKind, Resolved,
};
pub use table::organisations::{
    CapabilityReport, NewOrganisation, Organisation, OrganisationUpdate,
};
pub use table::referral_events::{Event, EventKind, EventOutcome, NewEvent};
pub use table::referrals::worklist::{
    DateFilter, MAX_PAGE, MatchMode, TextFilter, WorklistOrder, WorklistPage, WorklistQuery,
};
pub use table::referrals::{
    AppointmentRef, BookingRecord, Coded, DateWindow, Gender, HoldRecord, NewReferral,
    PatientSummary, Priority, Referral, ReferralStatus,
};
