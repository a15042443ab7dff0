//! The Argonaut Scheduling operations' input parameters, typed, with both wire forms: a
//! `Parameters` body (POST) and query pairs (GET). The OperationDefinitions are normative: names
//! and value types are checked exactly, so a client that sends `valueCodeableConcept` for a
//! token, or `provider` for `practitioner`, is told so instead of being silently misread.

mod find;
mod hold_book;
mod prefetch;
mod read;

pub use find::FindParams;
pub use hold_book::{BookParams, HoldParams};
pub use prefetch::PrefetchParams;

/// Parameter names from the IG's worked examples that are not in the OperationDefinitions, with
/// the normative name they stand for. A lenient server may rename them (and say so in an
/// informational OperationOutcome) before parsing.
pub const LEGACY_FIND_ALIASES: [(&str, &str); 4] = [
    ("provider", "practitioner"),
    ("location", "location-string"),
    ("service-type", "visit-type"),
    ("appt-type", "visit-type"),
];
