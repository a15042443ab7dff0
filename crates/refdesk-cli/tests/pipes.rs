//! `refdesk … | head -c 1`: a reader that goes away never makes `refdesk` panic; the command
//! stops quietly with exit 0 (its work is done; only the rest of the output was not wanted).
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::path::Path;
use std::process::{Output, Stdio};

use common::{BIN, Serve, refdesk};

/// Runs with stdout connected to a pipe whose read end is already closed: every write fails
/// with EPIPE, deterministically.
fn with_closed_stdout(d: &Path, args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    refdesk(d)
        .args(args)
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

fn assert_quiet_stop(out: &Output, what: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(!err.contains("Broken pipe"), "{what}: {err}");
    assert_eq!(out.status.code(), Some(0), "{what}: {err}");
}

#[test]
fn show_jwks_into_a_closed_pipe_stops_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let out = with_closed_stdout(dir.path(), &["keys", "show-jwks"]);
    assert_quiet_stop(&out, "keys show-jwks");
    let out = with_closed_stdout(dir.path(), &["--json", "keys", "show-jwks"]);
    assert_quiet_stop(&out, "--json keys show-jwks");
}

#[test]
fn multi_line_tables_into_a_closed_pipe_stop_quietly() {
    let serve = Serve::start(&[]);
    for args in [
        &["org", "list"][..],
        &["--json", "org", "list"],
        &["referrals", "list"],
        &["--help"],
    ] {
        let out = with_closed_stdout(&serve.dir, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn through_a_shell_pipeline_into_head_no_panic_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    for cmd in ["keys show-jwks", "--json keys show-jwks", "org list"] {
        let script = format!(
            "'{BIN}' --data-dir '{d}' --key-file {cmd} | head -c 1 >/dev/null; echo \"${{PIPESTATUS[0]}}\" >&2"
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &script])
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{cmd}: {err}");
        assert_eq!(err.trim(), "0", "{cmd}: refdesk's own exit status");
    }
}
