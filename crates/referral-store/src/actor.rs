//! Who did it: the operating-system user and the workstation every event and journal entry is
//! stamped with, read once from the OS when the store opens.

use referral_model::Actor;

/// Recorded when the OS does not say.
const UNKNOWN: &str = "unknown";

/// The current OS user and host name.
pub fn os_actor() -> Actor {
    let env = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| std::env::var(n).ok())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let user = env(&["USER", "USERNAME", "LOGNAME"])
        .or_else(account_of_this_process)
        .unwrap_or_else(|| UNKNOWN.to_owned());
    let workstation = ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .or_else(|| env(&["HOSTNAME", "COMPUTERNAME"]))
        .unwrap_or_else(|| UNKNOWN.to_owned());
    Actor { user, workstation }
}

/// From the two stored columns; rows written before actors were recorded have neither.
pub(crate) fn from_columns(user: Option<String>, workstation: Option<String>) -> Option<Actor> {
    match (user, workstation) {
        (None, None) => None,
        (u, w) => Some(Actor {
            user: u.unwrap_or_else(|| UNKNOWN.to_owned()),
            workstation: w.unwrap_or_else(|| UNKNOWN.to_owned()),
        }),
    }
}

/// The account name of this process's real uid from `/etc/passwd` (Linux), for sessions that
/// set no `USER` (services, `su -c`, some terminals).
fn account_of_this_process() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_owned();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid && !name.is_empty()).then(|| name.to_owned())
    })
}

/// Migration 7: the actor of every event and journal entry (older rows keep NULL: unknown).
pub(crate) const MIGRATION_V7: &str = "
ALTER TABLE referral_events ADD COLUMN actor_user TEXT;
ALTER TABLE referral_events ADD COLUMN actor_workstation TEXT;
ALTER TABLE journal ADD COLUMN actor_user TEXT;
ALTER TABLE journal ADD COLUMN actor_workstation TEXT;
CREATE INDEX referral_events_by_time ON referral_events (at, id);
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn the_account_is_found_without_a_user_variable() {
        let name = account_of_this_process();
        assert!(name.as_deref().is_some_and(|n| !n.is_empty()), "{name:?}");
    }

    #[test]
    fn rows_from_before_have_no_actor_and_half_rows_say_unknown() {
        assert_eq!(from_columns(None, None), None);
        assert_eq!(
            from_columns(Some("ann".into()), None),
            Some(Actor {
                user: "ann".into(),
                workstation: "unknown".into()
            })
        );
    }
}
