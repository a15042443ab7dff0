//! Where the app keeps its files: `--data-dir DIR` or `REFDESK_DATA_DIR` when given (tests,
//! benchmarks, portable profiles), otherwise the platform's app data directory.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Environment variable that moves every file the app writes into one directory.
pub const DATA_DIR_ENV: &str = "REFDESK_DATA_DIR";

/// The data directory given by `--data-dir` (`from_args`, see `args.rs`), which wins: the
/// end-to-end tests pass it per session because WebDriver can give the app arguments but not
/// environment variables. Else `REFDESK_DATA_DIR` (`env`), where empty counts as unset.
pub fn choose(from_args: Option<PathBuf>, env: Option<OsString>) -> Option<PathBuf> {
    from_args.or_else(|| env.filter(|value| !value.is_empty()).map(PathBuf::from))
}

/// Files and folders inside the data directory, named in one place.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The opt-in key file directory (`--key-file` / `REFDESK_KEY_FILE=1`).
    pub fn keys(&self) -> PathBuf {
        self.root.join("keys")
    }

    /// The sandbox organisations' own data (their schedules, patients and appointments).
    pub fn sandbox_db(&self) -> PathBuf {
        self.root.join("sandbox.sqlite3")
    }

    pub fn window_state(&self) -> PathBuf {
        self.root.join("window-state.json")
    }

    pub fn logs(&self) -> PathBuf {
        self.root.join("logs")
    }

    /// WebKit's own storage (cache, local storage), kept out of the user's profile in tests.
    pub fn webview(&self) -> PathBuf {
        self.root.join("webview")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn the_argument_wins_over_the_environment() {
        let env = Some(OsString::from("/from/env"));
        let chosen = choose(Some(PathBuf::from("/from/arg")), env.clone());
        assert_eq!(chosen, Some(PathBuf::from("/from/arg")));
        assert_eq!(choose(None, env), Some(PathBuf::from("/from/env")));
    }

    #[test]
    fn an_empty_environment_value_means_the_platform_default() {
        assert_eq!(choose(None, Some(OsString::new())), None);
        assert_eq!(choose(None, None), None);
    }

    #[test]
    fn every_file_lives_under_the_root_so_tests_never_touch_a_real_profile() {
        let dir = DataDir::new(PathBuf::from("/tmp/refdesk-test"));
        for path in [
            dir.keys(),
            dir.sandbox_db(),
            dir.window_state(),
            dir.logs(),
            dir.webview(),
        ] {
            assert!(
                path.starts_with(dir.root()),
                "{} escapes the data dir",
                path.display()
            );
        }
    }
}
