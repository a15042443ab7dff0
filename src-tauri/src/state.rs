//! Builds the core's `App` handle for the shell (the one piece of state it manages) and runs the
//! core's start-up duties in the background.

use std::sync::Arc;

use referral_core::{App, AppBuilder, CoreResult, KeyStorage};

use crate::data_dir::DataDir;
use crate::sandbox::Launcher;

/// Environment variable opting into the 0600 key file instead of the OS secret store (machines
/// without a Secret Service, such as CI under Xvfb). The `--key-file` argument does the same.
pub const KEY_FILE_ENV: &str = "REFDESK_KEY_FILE";

/// Whether the key goes to a file in the profile: `--key-file`, or `REFDESK_KEY_FILE=1|true`.
pub fn key_file_opted_in(mut args: impl Iterator<Item = String>, env: Option<&str>) -> bool {
    args.any(|arg| arg == "--key-file") || matches!(env, Some("1" | "true" | "yes"))
}

/// The core over `dir`: the worklist database, the key store, and the sandbox launcher.
pub fn build(dir: &DataDir) -> CoreResult<App> {
    let env = std::env::var(KEY_FILE_ENV).ok();
    let storage = if key_file_opted_in(std::env::args(), env.as_deref()) {
        KeyStorage::File(dir.keys())
    } else {
        KeyStorage::OsKeyring
    };
    AppBuilder::open(dir.root(), None)?
        .key_storage(&storage)?
        .sandbox_launcher(Arc::new(Launcher {
            db: dir.sandbox_db(),
        }))
        .build()
}

/// Start-up duties: restart the sandbox organisations when the directory uses them (their
/// addresses change at every start and `use_sandbox` re-registers them), then reconcile work a
/// crash left half done, which needs the organisations reachable. Logs counts only.
pub async fn start_up(app: App) {
    let uses_sandbox = match app.organisations(true).await {
        Ok(orgs) => orgs
            .iter()
            .any(|org| org.id.as_str().starts_with("sandbox-")),
        Err(err) => {
            log::warn!("could not read the organisation directory: {err}");
            false
        }
    };
    if uses_sandbox {
        match app.use_sandbox().await {
            Ok(orgs) => log::info!("sandbox organisations started: {}", orgs.len()),
            Err(err) => log::warn!("sandbox organisations did not start: {err}"),
        }
    }
    match app.recover().await {
        Ok(r) => log::info!(
            "recovery: {} resolved, {} left, {} holds released, {} flagged",
            r.resolved,
            r.left,
            r.holds_released,
            r.flagged.len()
        ),
        Err(err) => log::warn!("recovery failed: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn the_key_file_is_opt_in_by_argument_or_environment() {
        assert!(!key_file_opted_in(args(&["referral-desk"]), None));
        assert!(!key_file_opted_in(args(&[]), Some("0")));
        assert!(key_file_opted_in(
            args(&["referral-desk", "--key-file"]),
            None
        ));
        assert!(key_file_opted_in(args(&[]), Some("1")));
    }
}
