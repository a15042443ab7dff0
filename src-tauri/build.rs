//! Build script: lets tauri-build read tauri.conf.json and capabilities/, generates one
//! `allow-<command>` permission per command declared in `referral-api`, and stops the build when
//! the capability file and that declared list disagree.
//!
//! The list is read from the bindings `referral-api` generates (`COMMAND_NAMES` in
//! ui/src/ipc/bindings/commands.ts, drift-checked by `cargo test -p referral-api`) rather than by
//! making `referral-api` a build dependency, which would compile the whole core a second time.
#![allow(
    clippy::print_stdout,
    reason = "cargo reads build-script directives from stdout"
)]

use std::collections::BTreeSet;

const CAPABILITY: &str = "capabilities/default.json";
const BINDINGS: &str = "../ui/src/ipc/bindings/commands.ts";

fn main() {
    println!("cargo:rerun-if-changed={CAPABILITY}");
    println!("cargo:rerun-if-changed=src/commands.rs");
    println!("cargo:rerun-if-changed={BINDINGS}");
    let declared = declared_commands();
    check_capability(&declared);
    warn_unregistered(&declared);
    // tauri-build wants `&'static`; the list lives for the whole (short) build script run.
    let names: Vec<&'static str> = declared
        .into_iter()
        .map(|name| &*Box::leak(name.into_boxed_str()))
        .collect();
    let commands: &'static [&'static str] = Box::leak(names.into_boxed_slice());
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(err) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {err:#}");
    }
}

/// The quoted names of the `COMMAND_NAMES = [ ... ]` array in the generated bindings.
fn declared_commands() -> Vec<String> {
    let text = std::fs::read_to_string(BINDINGS)
        .unwrap_or_else(|err| panic!("cannot read {BINDINGS}: {err}"));
    let list = text
        .split_once("COMMAND_NAMES")
        .and_then(|(_, rest)| rest.split_once("= ["))
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list)
        .unwrap_or_else(|| panic!("{BINDINGS} has no `COMMAND_NAMES = [...]`"));
    let names: Vec<String> = list
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    assert!(!names.is_empty(), "{BINDINGS}: COMMAND_NAMES is empty");
    names
}

/// The main window must be granted exactly the declared commands (plus plugin permissions).
fn check_capability(declared: &[String]) {
    let text = std::fs::read_to_string(CAPABILITY)
        .unwrap_or_else(|err| panic!("cannot read {CAPABILITY}: {err}"));
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("{CAPABILITY}: {err}"));
    let granted: BTreeSet<String> = json["permissions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str())
        .filter(|p| p.starts_with("allow-"))
        .map(str::to_owned)
        .collect();
    let wanted: BTreeSet<String> = declared
        .iter()
        .map(|name| format!("allow-{}", name.replace('_', "-")))
        .collect();
    let missing: Vec<_> = wanted.difference(&granted).collect();
    let extra: Vec<_> = granted.difference(&wanted).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{CAPABILITY} disagrees with referral-api's command list: missing {missing:?}, not declared {extra:?}"
    );
}

/// A declared command the shell does not register yet answers "command not found": say so.
fn warn_unregistered(declared: &[String]) {
    let source = std::fs::read_to_string("src/commands.rs").unwrap_or_default();
    for name in declared {
        if !source.contains(&format!("fn {name}(")) {
            println!(
                "cargo:warning=command `{name}` is declared in referral-api but not registered by the shell yet"
            );
        }
    }
}
