//! The committed TypeScript bindings (`ui/src/ipc/bindings/`) must equal what the DTOs generate.
//! To rewrite them after changing a DTO:
//! `REFDESK_UPDATE_BINDINGS=1 cargo test -p referral-api --test bindings`
//! (or `cargo test -p referral-api --test bindings -- --ignored export`).
#![allow(clippy::unwrap_used, reason = "tests")]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use referral_api::bindings::export_bindings;
use referral_api::commands::{COMMANDS, committed_bindings_dir};

fn read_ts_files(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ts"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

/// Replaces the committed bindings with freshly generated ones (stale files removed).
fn rewrite_committed() {
    let dir = committed_bindings_dir();
    for name in read_ts_files(dir).keys() {
        fs::remove_file(dir.join(name)).unwrap();
    }
    export_bindings(dir).unwrap();
}

#[test]
fn committed_bindings_match_the_dtos() {
    if std::env::var_os("REFDESK_UPDATE_BINDINGS").is_some() {
        rewrite_committed();
    }
    let fresh = tempfile::tempdir().unwrap();
    export_bindings(fresh.path()).unwrap();
    let generated = read_ts_files(fresh.path());
    let committed = read_ts_files(committed_bindings_dir());
    let hint = "run `REFDESK_UPDATE_BINDINGS=1 cargo test -p referral-api --test bindings` and commit ui/src/ipc/bindings/";
    let missing: Vec<_> = generated
        .keys()
        .filter(|k| !committed.contains_key(*k))
        .collect();
    let stale: Vec<_> = committed
        .keys()
        .filter(|k| !generated.contains_key(*k))
        .collect();
    let changed: Vec<_> = generated
        .iter()
        .filter(|(k, v)| committed.get(*k).is_some_and(|c| c != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && stale.is_empty() && changed.is_empty(),
        "bindings drifted: missing {missing:?}, stale {stale:?}, changed {changed:?}; {hint}"
    );
}

#[test]
fn every_command_type_has_a_binding_file() {
    let fresh = tempfile::tempdir().unwrap();
    export_bindings(fresh.path()).unwrap();
    for c in COMMANDS {
        for ty in [c.request, c.result] {
            assert!(
                fresh.path().join(format!("{ty}.ts")).exists(),
                "{}: no binding for {ty}",
                c.name
            );
        }
    }
    let commands = fs::read_to_string(fresh.path().join("commands.ts")).unwrap();
    assert!(commands.contains("find_slots: { request: FindSlotsRequest; result: FindSummary };"));
    assert!(fresh.path().join("FindProgress.ts").exists());
    assert!(fresh.path().join("ApiErrorCode.ts").exists());
}

#[test]
#[ignore = "rewrites the committed bindings; run with -- --ignored export"]
fn export() {
    rewrite_committed();
}
