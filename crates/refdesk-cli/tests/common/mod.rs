//! Running the built `refdesk` binary with a temp data dir and the opt-in key file, and a
//! `refdesk sandbox serve` child process as the organisations.
#![allow(clippy::unwrap_used, dead_code, reason = "test support")]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_refdesk");

/// The cross-crate tests' gate for user-facing sentences, shared so the CLI's messages pass the
/// same check as the app's.
#[path = "../../../../tests/support/errors.rs"]
mod errors;

/// Desks (refdesk processes) set up to work a home's queue.
pub mod desks;

/// Every `refdesk: …` line a command wrote to stderr is a plain sentence for a person.
pub fn assert_plain_errors(o: &Output) {
    for line in String::from_utf8_lossy(&o.stderr).lines() {
        if let Some(message) = line.strip_prefix("refdesk: ") {
            errors::assert_plain(message);
        }
    }
}

/// The `refdesk` command over `dir`.
pub fn refdesk(dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--data-dir")
        .arg(dir)
        .arg("--key-file")
        .env_remove("REFDESK_CRASH_AT")
        .env("RUST_BACKTRACE", "0");
    c
}

/// Runs and returns the output.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    let out = refdesk(dir).args(args).output().unwrap();
    assert_plain_errors(&out);
    out
}

/// Runs with `--json`, expecting success, and parses stdout.
pub fn json(dir: &Path, args: &[&str]) -> Value {
    let out = refdesk(dir).arg("--json").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "refdesk {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

pub fn stderr(o: &Output) -> String {
    assert_plain_errors(o);
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `refdesk sandbox serve` running until dropped.
#[derive(Debug)]
pub struct Serve {
    child: Child,
    pub dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Serve {
    pub fn start(extra: &[&str]) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let mut child = refdesk(&dir)
            .args(["sandbox", "serve"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        loop {
            let line = lines
                .next()
                .expect("sandbox serve printed its ready line")
                .unwrap();
            if line.starts_with("serving ") {
                break;
            }
        }
        Self {
            child,
            dir,
            _tmp: tmp,
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `find` creating a new referral at `orgs`; returns (referral id, option ids).
pub fn new_referral(dir: &Path, family: &str, mrn: &str, orgs: &[&str]) -> (String, Vec<String>) {
    let today = chrono::Utc::now().date_naive();
    let from = (today + chrono::Days::new(1)).to_string();
    let to = (today + chrono::Days::new(14)).to_string();
    let mut args = vec![
        "find",
        "--from",
        &from,
        "--to",
        &to,
        "--family",
        family,
        "--given",
        "Sam",
        "--birth-date",
        "1968-03-09",
        "--mrn",
        mrn,
        "--payor",
        "Acme",
        "--subscriber-id",
        "A-1",
    ];
    for o in orgs {
        args.extend(["--org", o]);
    }
    let v = json(dir, &args);
    let options = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["optionId"].as_str().unwrap().to_owned())
        .collect();
    (v["referralId"].as_str().unwrap().to_owned(), options)
}

/// Runs with `--json` and returns the exit code with the parsed stdout (any exit code).
pub fn json_any(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = refdesk(dir).arg("--json").args(args).output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "refdesk {args:?} panicked"
    );
    (
        code,
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
    )
}
