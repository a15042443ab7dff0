//! Shared helpers for the cross-crate integration tests.

pub mod desk;
pub mod errors;
pub mod peer;
