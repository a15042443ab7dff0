//! The injected clock: every "now" in the sandbox (hold expiry, token lifetimes, seed week) comes
//! from here, so tests can move time instead of sleeping.
//!
//! The time source is Referral Desk's one [`referral_model::Clock`] trait; [`Clock`] is the
//! sandbox's cheap-to-clone handle on it, passed by value into each organisation and server.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
pub use referral_model::ManualClock;
use referral_model::{Clock as TimeSource, SystemClock};

/// A cheap-to-clone handle on an injected time source.
#[derive(Clone)]
pub struct Clock(Arc<dyn TimeSource>);

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Clock").field(&self.now()).finish()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl Clock {
    /// The wall clock.
    pub fn system() -> Self {
        Self(Arc::new(SystemClock))
    }

    /// A handle on any time source (the desk's own clock, a [`ManualClock`] in tests).
    pub fn new(source: Arc<dyn TimeSource>) -> Self {
        Self(source)
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
}

/// A manual clock shares its time with its clones, so a test keeps one and injects another.
impl From<ManualClock> for Clock {
    fn from(manual: ManualClock) -> Self {
        Self(Arc::new(manual))
    }
}
