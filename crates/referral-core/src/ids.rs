//! Where the core gets fresh identifiers (search ids) from: injected so tests are repeatable.

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};

use uuid::Uuid;

/// A source of fresh unique identifiers.
pub trait IdSource: Send + Sync + Debug {
    /// A new identifier.
    fn next_id(&self) -> String;
}

/// Random v4 UUIDs.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn next_id(&self) -> String {
        Uuid::new_v4().to_string()
    }
}

/// `prefix-1`, `prefix-2`, … for tests that compare ids.
#[derive(Debug)]
pub struct SequentialIds {
    prefix: String,
    next: AtomicU64,
}

impl SequentialIds {
    /// Counting from 1 with `prefix`.
    pub fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_owned(),
            next: AtomicU64::new(1),
        }
    }
}

impl IdSource for SequentialIds {
    fn next_id(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        format!("{}-{n}", self.prefix)
    }
}
