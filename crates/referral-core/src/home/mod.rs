//! The home organisation's referral queue, on the core's side: the home and this desk
//! ([`desk`]), the pure mapping of an order to a new referral ([`mapping`]), the local queue and
//! its refresh ([`queue`]), claims ([`claims`]), the outbox of write-backs and its replay
//! ([`outbox`]) and the outcome written back after booking ([`outcome`]).

pub mod claims;
pub mod desk;
mod fill;
pub mod mapping;
pub mod outbox;
pub mod outcome;
mod parts;
pub mod queue;
mod replay;
mod summary;

pub use desk::{DEFAULT_LEASE_SECONDS, HOME_ID, HOME_SCOPES};
