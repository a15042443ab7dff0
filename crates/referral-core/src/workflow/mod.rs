//! The IG's provider use cases as workflows, each step journaled (when not idempotent) and
//! recorded as a referral event.

pub mod book;
pub mod cancel;
pub mod find;
pub mod hold;
mod lost;
pub mod recheck;
pub mod referral_request;
pub mod reschedule;
pub mod resolve;
pub mod resume;
pub mod trace;
