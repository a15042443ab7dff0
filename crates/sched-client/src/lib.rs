//! FHIR STU3 scheduling client for the Argonaut Scheduling IG: one function per interaction,
//! capability detection, errors as data, safe retries, paging, and fan-out across organisations.
//!
//! Layer 1: depends only on `fhir-model`. Tokens come through the [`Authorizer`] trait, which
//! the application implements with smart-auth.
//!
//! ```text
//! OrgClient::builder(base).name(..).authorizer(..).timeout(..).build()?
//!   .capabilities()            GET /metadata (cached once per organisation)
//!   .search_patients / match_patient / create_patient / create_coverage / update_coverage
//!   .find_appointments         Appointment/$find (GET or POST)
//!   .hold_appointment          Appointment/[id]/$hold   (never retried; read back when lost)
//!   .book_appointment          Appointment/[id]/$book   (never retried; read back when lost)
//!   .cancel_appointment        PATCH Appointment/[id]
//!   .read_appointment / search_appointments (a paged Stream) / prefetch_slots / read_capabilities
//! find_across(&orgs, &params, timeout) -> Stream<OrgFindEvent>;  merge_ranked(&events, &params)
//! ```
#![cfg_attr(test, allow(clippy::unwrap_used, reason = "tests"))]

mod across;
mod auth;
mod capabilities;
mod classify;
mod dialect;
mod error;
#[cfg(test)]
mod fuzz_tests;
pub mod home;
mod net;
mod ops;
mod org;
mod outcome;
mod retry;
mod transport;

pub use across::{OrgFindEvent, RankedOption, find_across, merge_ranked, rank};
pub use auth::{Authorizer, AuthorizerError, BoxError, StaticToken};
pub use capabilities::{Capabilities, Interaction, PatchFormat};
pub use classify::FailureKind;
pub use dialect::slots::is_slot_proposal_id;
pub use dialect::{Dialect, DialectChoice, UnknownDialect, detect as detect_dialect};
pub use error::ClientError;
pub use net::{default_http, require_secure};
pub use ops::avail::{Availability, Code, Proposal};
pub use ops::cancel::{fhirpath_patch, json_patch};
pub use ops::find::SlotAvailability;
pub use ops::patient::{PatientMatch, PatientQuery};
pub use ops::read::AppointmentQuery;
pub use ops::write::Window;
pub use org::{DEFAULT_TIMEOUT, FindMethod, OrgClient, OrgClientBuilder};
pub use outcome::{AppointmentState, BookedAppointment, Created, HeldAppointment, Readback};
pub use retry::{RetryPolicy, parse_http_date, parse_retry_after};
