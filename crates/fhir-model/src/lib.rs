//! Narrow serde types for the FHIR STU3 (3.0.1) resources and the Argonaut Scheduling operation
//! parameters that Referral Desk and its sandbox organisations exchange.
//!
//! The model is deliberately small: each resource names the elements the IG and the app use, and
//! keeps every other element in a flattened `extra` map so nothing a server sends is lost when it
//! is parsed and written back. Unknown codes are kept as text, never rejected. No IO here.
//!
//! [`r4`] holds the FHIR R4 types of the scheduling subset and the STU3 ⇄ R4 conversions, for
//! organisations whose scheduler speaks R4.

pub mod datatypes;
pub mod datetime;
pub mod error;
pub mod operations;
pub mod r4;
pub mod referral_reasons;
pub mod resource;
pub mod resources;
pub mod terminology;
pub mod token;
pub mod urls;

pub use datatypes::*;
pub use datetime::{DateRange, parse_date_range, parse_instant};
pub use error::ModelError;
pub use operations::{BookParams, FindParams, HoldParams, PrefetchParams};
pub use resource::Resource;
pub use resources::*;
pub use token::Token;

/// The JSON object type used for the catch-all `extra` maps.
pub type JsonMap = serde_json::Map<String, serde_json::Value>;
