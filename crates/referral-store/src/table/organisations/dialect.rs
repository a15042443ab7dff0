//! The `dialect` column: the scheduling dialect an admin set for an organisation, overriding
//! detection from its CapabilityStatement. The store checks the shape of the name only; which
//! names exist is the client's business (`sched_client::Dialect`), checked by the core.

use crate::error::{Result, invalid};

pub(crate) const MIGRATION_V11: &str = "
ALTER TABLE organisations ADD COLUMN dialect TEXT
    CHECK (dialect IS NULL OR (length(dialect) BETWEEN 1 AND 40 AND dialect NOT GLOB '*[^a-z0-9-]*'));
";

/// A dialect name as stored: lowercase letters, digits and '-', 1 to 40 of them; blank clears.
pub(super) fn check(name: Option<&str>) -> Result<Option<String>> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    let name = name.to_ascii_lowercase();
    let shaped = name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !shaped {
        return Err(invalid(
            "dialect",
            "must be a dialect name such as plain-r4",
        ));
    }
    Ok(Some(name))
}
