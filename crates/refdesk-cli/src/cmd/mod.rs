//! One module per command group; each turns arguments into core calls and prints the result.

pub mod audit;
pub mod keys;
pub mod org;
pub mod patient;
pub mod referrals;
pub mod sandbox;
pub mod workflow;
