//! One module per command group; each turns arguments into a `referral_api` request, calls the
//! handler the app calls, and prints the result DTO (JSON or a human formatter over it).

pub mod audit;
pub mod export;
pub mod find;
pub mod keys;
pub mod org;
pub mod patient;
pub mod queue;
pub mod referrals;
pub mod sandbox;
pub mod settings;
pub mod workflow;
