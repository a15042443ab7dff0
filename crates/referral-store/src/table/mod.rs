//! One module per table, each with its migration beside the code that reads and writes it.

pub mod home;
pub mod journal;
pub mod organisation_keys;
pub mod organisations;
pub mod referral_events;
pub mod referrals;
mod removal;
pub mod settings;
