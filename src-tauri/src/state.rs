//! Builds the core's `App` handle for the shell (the one piece of state it manages) and runs the
//! core's start-up duties in the background.

use std::sync::Arc;
use std::time::Duration;

use referral_core::{App, AppBuilder, CoreResult, KeyStorage};

use crate::data_dir::DataDir;
use sandbox_launcher::Launcher;

/// Environment variable opting into the 0600 key file instead of the OS secret store (machines
/// without a Secret Service, such as CI under Xvfb). The `--key-file` argument does the same.
pub const KEY_FILE_ENV: &str = "REFDESK_KEY_FILE";

/// Whether the key goes to a file in the profile: `--key-file` (`by_arg`), or
/// `REFDESK_KEY_FILE=1|true|yes`.
pub fn key_file_opted_in(by_arg: bool, env: Option<&str>) -> bool {
    by_arg || matches!(env, Some("1" | "true" | "yes"))
}

/// The core over `dir`: the worklist database, the key store, and the sandbox launcher.
pub fn build(dir: &DataDir, key_file_arg: bool) -> CoreResult<App> {
    let env = std::env::var(KEY_FILE_ENV).ok();
    let storage = if key_file_opted_in(key_file_arg, env.as_deref()) {
        KeyStorage::File(dir.keys())
    } else {
        KeyStorage::OsKeyring
    };
    AppBuilder::open(dir.root(), None)?
        .key_storage(&storage)?
        .sandbox_launcher(Arc::new(Launcher {
            db: Some(dir.sandbox_db()),
            ..Launcher::default()
        }))
        .build()
}

/// Runs the core's start-up duties (restart the sandbox organisations the directory uses, then
/// recovery) and logs counts only.
pub async fn start_up(app: App) {
    let report = app.start_up().await;
    match report.sandbox {
        Ok(0) => {}
        Ok(n) => log::info!("sandbox organisations started: {n}"),
        Err(err) => log::warn!("sandbox organisations did not start: {err}"),
    }
    match report.recovery {
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

/// How long closing waits for the core to release this session's holds and stop the sandbox.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs the core's shutdown (release the holds taken this session, stop the sandbox
/// organisations), bounded by `SHUTDOWN_TIMEOUT` so a dead organisation cannot keep the app open.
pub async fn shut_down(app: App) {
    match tokio::time::timeout(SHUTDOWN_TIMEOUT, app.shutdown()).await {
        Ok(Ok(released)) => log::info!("shutdown: {released} holds released"),
        Ok(Err(err)) => log::warn!("shutdown failed: {err}"),
        Err(_) => log::warn!("shutdown gave up after {SHUTDOWN_TIMEOUT:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_is_opt_in_by_argument_or_environment() {
        assert!(!key_file_opted_in(false, None));
        assert!(!key_file_opted_in(false, Some("0")));
        assert!(key_file_opted_in(true, None));
        assert!(key_file_opted_in(false, Some("1")));
    }
}
