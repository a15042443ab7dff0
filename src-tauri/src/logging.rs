//! The log plugin's configuration: what is written where, and at which level.
//!
//! Logs go to stdout and to a file in the data directory. Levels are fixed per source so that
//! nothing below `warn` comes from the HTTP and TLS stacks, whose debug and trace output can carry
//! request headers (bearer tokens, client assertions) and bodies (patients). Our own crates log
//! identifiers and outcomes, never tokens, keys or patient details; `REFDESK_LOG` (`error`,
//! `warn`, `info`, `debug`) only changes their level.

use log::LevelFilter;
use tauri::Runtime;
use tauri::plugin::TauriPlugin;
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

use crate::data_dir::DataDir;

/// Environment variable choosing the level of the app's own log records.
pub const LOG_LEVEL_ENV: &str = "REFDESK_LOG";

/// Sources whose verbose output may include headers or bodies; capped at `warn` whatever
/// `REFDESK_LOG` says.
const QUIET_SOURCES: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper_util",
    "h2",
    "rustls",
    "tungstenite",
    "axum",
    "tower_http",
    "tao",
    "wry",
    "tracing",
];

/// The app's own level: `REFDESK_LOG` when it names a level, else `info`. `trace` is refused
/// because it is where libraries print payloads.
pub fn level_from(value: Option<&str>) -> LevelFilter {
    match value.map(str::trim).map(str::to_ascii_lowercase).as_deref() {
        Some("error") => LevelFilter::Error,
        Some("warn") => LevelFilter::Warn,
        Some("debug") => LevelFilter::Debug,
        Some("off") => LevelFilter::Off,
        _ => LevelFilter::Info,
    }
}

pub fn plugin<R: Runtime>(data_dir: Option<&DataDir>) -> TauriPlugin<R> {
    let level = level_from(std::env::var(LOG_LEVEL_ENV).ok().as_deref());
    let file = match data_dir {
        Some(dir) => TargetKind::Folder {
            path: dir.logs(),
            file_name: Some("referral-desk".into()),
        },
        None => TargetKind::LogDir {
            file_name: Some("referral-desk".into()),
        },
    };
    let mut builder = tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets([Target::new(TargetKind::Stdout), Target::new(file)])
        .level(level)
        .rotation_strategy(RotationStrategy::KeepOne)
        .max_file_size(5_000_000);
    for source in QUIET_SOURCES {
        builder = builder.level_for(*source, level.min(LevelFilter::Warn));
    }
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_or_unknown_levels_mean_info_and_trace_is_never_granted() {
        assert_eq!(level_from(None), LevelFilter::Info);
        assert_eq!(level_from(Some("chatty")), LevelFilter::Info);
        assert_eq!(level_from(Some("trace")), LevelFilter::Info);
        assert_eq!(level_from(Some(" DEBUG ")), LevelFilter::Debug);
        assert_eq!(level_from(Some("warn")), LevelFilter::Warn);
    }
}
