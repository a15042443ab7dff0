//! Sandbox organisations: an Argonaut Scheduling server with a SMART Backend Services
//! authorization server, several organisations in one process, for tests, the CLI and the app.
//!
//! ```no_run
//! # async fn demo() -> Result<(), sched_sandbox::SandboxError> {
//! let sandbox = sched_sandbox::Sandbox::start(sched_sandbox::SandboxConfig::default()).await?;
//! println!("{}", sandbox.base_url("derm")?); // http://127.0.0.1:PORT/derm/fhir
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

pub mod admin;
pub mod admin_appointments;
pub mod auth;
pub mod capture;
pub mod clock;
pub mod config;
pub mod counts;
pub mod dialect;
pub mod error;
pub mod faults;
pub mod fhir;
pub mod home;
pub mod import;
pub mod org;
pub mod received;
pub mod seed;
pub mod server;
pub mod store;

pub use auth::ClientRegistration;
pub use clock::{Clock, ManualClock};
pub use config::{OrgConfig, OrgKind, SandboxConfig, SandboxDialect, SeedConfig};
pub use error::{ConfigError, FhirError, SandboxError, StoreError};
pub use faults::Faults;
pub use server::{RunningSandbox, Sandbox};
