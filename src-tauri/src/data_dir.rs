//! Where the app keeps its files: `--data-dir=PATH` or `REFDESK_DATA_DIR` when given (tests,
//! benchmarks, portable profiles), otherwise the platform's app data directory.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Environment variable that moves every file the app writes into one directory.
pub const DATA_DIR_ENV: &str = "REFDESK_DATA_DIR";
/// Command-line form of the same, which wins over the environment: the end-to-end tests pass it
/// per session because WebDriver can give the app arguments but not environment variables.
const DATA_DIR_ARG: &str = "--data-dir=";

/// The data directory named by this process's arguments or environment, if any.
pub fn from_process() -> Option<PathBuf> {
    choose(std::env::args_os().skip(1), std::env::var_os(DATA_DIR_ENV))
}

/// `--data-dir=PATH` from `args` (the last one wins), else `env`; empty values count as unset.
/// Other arguments are ignored: the WebDriver and the desktop launcher add their own.
fn choose(args: impl Iterator<Item = OsString>, env: Option<OsString>) -> Option<PathBuf> {
    let from_args = args
        .filter_map(|arg| {
            arg.to_str()
                .and_then(|arg| arg.strip_prefix(DATA_DIR_ARG))
                .map(OsString::from)
        })
        .last();
    from_args
        .or(env)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
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

    fn args(list: &[&str]) -> impl Iterator<Item = OsString> {
        list.iter()
            .map(OsString::from)
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn the_argument_wins_over_the_environment_and_other_arguments_are_ignored() {
        let env = Some(OsString::from("/from/env"));
        let chosen = choose(args(&["--automation", "--data-dir=/from/arg"]), env.clone());
        assert_eq!(chosen, Some(PathBuf::from("/from/arg")));
        assert_eq!(
            choose(args(&["--automation"]), env),
            Some(PathBuf::from("/from/env"))
        );
    }

    #[test]
    fn empty_values_mean_the_platform_default() {
        assert_eq!(choose(args(&["--data-dir="]), None), None);
        assert_eq!(choose(args(&[]), Some(OsString::new())), None);
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
