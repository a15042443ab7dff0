//! Referral Desk application core: the `App` handle, the organisation directory, the IG's
//! provider use cases as journaled workflows, recovery, and worklist reconciliation.
//!
//! Layer 2: uses the store, smart-auth and the scheduling client (through the [`remote::Remote`]
//! port); front ends (CLI, desktop shell, command handlers) call [`App`] methods only. The types
//! those methods take and return are `referral-model`'s (re-exported as [`referral_model`]); the
//! store stays behind the core, so no front end depends on it.

pub mod app;
pub mod appointments;
pub mod appt;
pub mod audit;
pub mod coverage;
pub mod describe;
pub mod desk;
pub mod directory;
pub mod error;
pub mod home;
pub mod ids;
mod journaled;
pub mod keys;
pub mod org_directory;
pub mod patient_at_org;
pub mod patient_ops;
pub mod patients;
pub mod recovery;
pub mod referrals;
pub mod remote;
pub mod sandbox;
pub mod startup;
pub mod sync;
pub mod workflow;
pub mod worklist_key;

pub use app::{APP_KEY_NAME, App, AppBuilder, CrashHook, CrashPoint, DEFAULT_HOLD, KeyStorage};
pub use appointments::{AppointmentListing, AppointmentRow, Subject};
pub use coverage::{CoverageChoice, SavedCoverage};
pub use directory::{CheckReport, CheckStep, OrganisationInput, dialect_label, parse_dialect};
pub use error::{CoreError, CoreResult};
pub use keys::KeyListing;
pub use org_directory::{DirectoryLocation, DirectoryPractitioner, OrgDirectory};
pub use patients::Registered;
pub use recovery::RecoveryReport;
pub use referrals::{CoverageInfo, PatientInfo, ReferralInput, ReferralPlan};
pub use sandbox::{SandboxHandle, SandboxKind, SandboxLauncher, SandboxOrg};
pub use startup::StartUpReport;
pub use sync::{Change, ChangeKind, OrganisationSync, SyncReport, SyncState};
pub use workflow::book::BookInput;
pub use workflow::find::{FindFilter, FindOutcome, FindProgress, SlotOption, TimeOfDay};
pub use workflow::hold::HoldOutcome;
pub use workflow::recheck::{Finding, Recheck};
pub use workflow::reschedule::{RescheduleOutcome, RescheduleState};
pub use workflow::resolve::Settlement;

pub use referral_model;
