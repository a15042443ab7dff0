//! Who did it: the operating-system user and the workstation every event and journal entry is
//! stamped with, read once from the OS when the store opens.

use serde::{Deserialize, Serialize};

/// The person and machine behind a recorded action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The operating-system account.
    pub user: String,
    /// The workstation's host name.
    pub workstation: String,
}

/// Recorded when the OS does not say.
const UNKNOWN: &str = "unknown";

impl Actor {
    /// The current OS user and host name.
    pub fn from_os() -> Self {
        let env = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| std::env::var(n).ok())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let user = env(&["USER", "USERNAME", "LOGNAME"]).unwrap_or_else(|| UNKNOWN.to_owned());
        let workstation = ["/proc/sys/kernel/hostname", "/etc/hostname"]
            .iter()
            .find_map(|p| std::fs::read_to_string(p).ok())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .or_else(|| env(&["HOSTNAME", "COMPUTERNAME"]))
            .unwrap_or_else(|| UNKNOWN.to_owned());
        Self { user, workstation }
    }

    /// From the two stored columns; rows written before actors were recorded have neither.
    pub(crate) fn from_columns(user: Option<String>, workstation: Option<String>) -> Option<Self> {
        match (user, workstation) {
            (None, None) => None,
            (u, w) => Some(Self {
                user: u.unwrap_or_else(|| UNKNOWN.to_owned()),
                workstation: w.unwrap_or_else(|| UNKNOWN.to_owned()),
            }),
        }
    }
}

/// Migration 7: the actor of every event and journal entry (older rows keep NULL: unknown).
pub(crate) const MIGRATION_V7: &str = "
ALTER TABLE referral_events ADD COLUMN actor_user TEXT;
ALTER TABLE referral_events ADD COLUMN actor_workstation TEXT;
ALTER TABLE journal ADD COLUMN actor_user TEXT;
ALTER TABLE journal ADD COLUMN actor_workstation TEXT;
CREATE INDEX referral_events_by_time ON referral_events (at, id);
";
