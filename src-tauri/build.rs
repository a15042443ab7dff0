//! Build script: lets tauri-build read tauri.conf.json and capabilities/, generates one
//! `allow-<command>` permission per entry of the one command list, and stops the build when
//! capabilities/default.json does not grant exactly that list.
//!
//! The list is compiled in from referral-api's `command_list.rs` (a file holding only the
//! `for_each_command!` macro) rather than by making referral-api a build dependency, which would
//! compile the whole core a second time.
#![allow(
    clippy::print_stdout,
    reason = "cargo reads build-script directives from stdout"
)]

use std::collections::BTreeSet;

#[path = "../crates/referral-api/src/command_list.rs"]
mod command_list;

const CAPABILITY: &str = "capabilities/default.json";
const COMMAND_LIST: &str = "../crates/referral-api/src/command_list.rs";

/// The callback turning the list into the names alone.
macro_rules! names {
    ($($name:ident : $req:ident => $res:ident $([progress: $progress:ident])?),* $(,)?) => {
        &[$(stringify!($name)),*]
    };
}

/// Every command name, in list order.
const COMMANDS: &[&str] = for_each_command!(names);

fn main() {
    println!("cargo:rerun-if-changed={CAPABILITY}");
    println!("cargo:rerun-if-changed={COMMAND_LIST}");
    if let Err(message) = check_capability() {
        panic!("{message}");
    }
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(err) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {err:#}");
    }
}

/// The permission tauri-build generates for a command: `allow-` and its name with dashes.
fn permission(command: &str) -> String {
    format!("allow-{}", command.replace('_', "-"))
}

/// The main window must be granted exactly the listed commands (plus plugin permissions, which
/// contain a `:`).
fn check_capability() -> Result<(), String> {
    let text = std::fs::read_to_string(CAPABILITY)
        .map_err(|err| format!("cannot read {CAPABILITY}: {err}"))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|err| format!("{CAPABILITY}: {err}"))?;
    let granted: Vec<&str> = json["permissions"]
        .as_array()
        .ok_or_else(|| format!("{CAPABILITY} has no \"permissions\" array"))?
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.contains(':'))
        .collect();
    let granted_set: BTreeSet<String> = granted.iter().map(|p| (*p).to_owned()).collect();
    let wanted: BTreeSet<String> = COMMANDS.iter().map(|c| permission(c)).collect();
    let missing: Vec<_> = wanted.difference(&granted_set).collect();
    let extra: Vec<_> = granted_set.difference(&wanted).collect();
    if missing.is_empty() && extra.is_empty() && granted.len() == granted_set.len() {
        return Ok(());
    }
    let expected: Vec<String> = COMMANDS
        .iter()
        .map(|c| format!("    \"{}\"", permission(c)))
        .collect();
    Err(format!(
        "{CAPABILITY} disagrees with the command list ({COMMAND_LIST}): missing {missing:?}, \
         not in the list {extra:?}{}. Its app permissions must be, in list order:\n{}",
        if granted.len() == granted_set.len() {
            ""
        } else {
            ", duplicates"
        },
        expected.join(",\n")
    ))
}
