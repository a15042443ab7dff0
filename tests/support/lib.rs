//! Shared helpers for the cross-crate integration tests.

pub mod desk;
pub mod errors;
pub mod hfs;
pub mod hfs_home;
pub mod hfs_seed;
pub mod home;
pub mod peer;
