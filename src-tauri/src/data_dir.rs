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

    /// The UI's preferences (the theme), kept by tauri-plugin-store.
    pub fn preferences(&self) -> PathBuf {
        self.root.join("preferences.json")
    }

    /// The script the window runs before the page's own, telling the UI where its preferences
    /// file is (`PREFERENCES_FILE_GLOBAL`; the store plugin takes an absolute path as it is).
    /// `None` when the path is not UTF-8: the UI then keeps the store's default place.
    pub fn preferences_script(&self) -> Option<String> {
        let path = self.preferences().into_os_string().into_string().ok()?;
        // A JSON string is a JavaScript string literal: quotes and backslashes come out escaped.
        let literal = serde_json::to_string(&path).ok()?;
        Some(format!(
            "Object.defineProperty(window, \"{PREFERENCES_FILE_GLOBAL}\", {{ value: {literal} }});"
        ))
    }
}

/// The global the UI reads its preferences file's path from (`ui/src/ipc/client.ts`).
pub const PREFERENCES_FILE_GLOBAL: &str = "__REFDESK_PREFERENCES_FILE__";

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
    fn the_preferences_script_names_the_file_as_a_string_literal() {
        let dir = DataDir::new(PathBuf::from(r#"/tmp/a "quoted" \ dir"#));
        let script = dir.preferences_script().unwrap();
        assert!(script.starts_with(&format!(
            "Object.defineProperty(window, \"{PREFERENCES_FILE_GLOBAL}\", {{ value: "
        )));
        let literal = script
            .split_once("value: ")
            .unwrap()
            .1
            .strip_suffix(" });")
            .unwrap();
        let path: String = serde_json::from_str(literal).unwrap();
        assert_eq!(path, r#"/tmp/a "quoted" \ dir/preferences.json"#);
    }

    #[cfg(unix)]
    #[test]
    fn a_data_dir_that_is_not_utf8_gets_no_preferences_script() {
        use std::os::unix::ffi::OsStringExt;
        let dir = DataDir::new(PathBuf::from(OsString::from_vec(b"/tmp/\xff".to_vec())));
        assert_eq!(dir.preferences_script(), None);
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
            dir.preferences(),
        ] {
            assert!(
                path.starts_with(dir.root()),
                "{} escapes the data dir",
                path.display()
            );
        }
    }
}
