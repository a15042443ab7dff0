//! What each organisation received: the last [`KEEP`] Parameters bodies of `$find`, `$hold` and
//! `$book`, so tests can check what really reached the organisation (the admin `received` hook),
//! not what the client says it sent. Kept in memory only; a restart forgets them.

use std::collections::{HashMap, VecDeque};

use parking_lot::Mutex;
use serde_json::Value;

/// Bodies kept per operation.
pub const KEEP: usize = 100;

/// The operations recorded.
pub const OPERATIONS: [&str; 3] = ["find", "hold", "book"];

/// The recorder of one organisation.
#[derive(Debug, Default)]
pub struct Received {
    bodies: Mutex<HashMap<&'static str, VecDeque<Value>>>,
}

impl Received {
    /// Records `body` as received for `operation` (one of [`OPERATIONS`]); the oldest is dropped
    /// beyond [`KEEP`].
    pub fn record(&self, operation: &'static str, body: Value) {
        let mut all = self.bodies.lock();
        let list = all.entry(operation).or_default();
        list.push_back(body);
        while list.len() > KEEP {
            list.pop_front();
        }
    }

    /// The bodies received for `operation`, oldest first; `None` for an unknown operation.
    pub fn of(&self, operation: &str) -> Option<Vec<Value>> {
        let op = OPERATIONS.iter().find(|o| **o == operation)?;
        Some(
            self.bodies
                .lock()
                .get(op)
                .map(|l| l.iter().cloned().collect())
                .unwrap_or_default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_hundred_per_operation_and_refuses_unknown_names() {
        let r = Received::default();
        for i in 0..(KEEP + 5) {
            r.record("find", serde_json::json!({ "n": i }));
        }
        let found = r.of("find").unwrap_or_default();
        assert_eq!(found.len(), KEEP);
        assert_eq!(found[0]["n"], 5, "the oldest five were dropped");
        assert_eq!(r.of("book"), Some(vec![]));
        assert_eq!(r.of("cancel"), None);
    }
}
