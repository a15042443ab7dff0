//! Who did it, and the worklist at rest, over a real booking against sandbox organisations:
//! every event is stamped with the OS user and workstation; `audit export` writes them as R4
//! AuditEvent NDJSON (validated with the Python `fhir.resources` R4B models) and records the
//! export itself; the worklist file and its WAL show none of the patient's details in clear.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use refdesk_tests::desk::{Desk, book_option, referral_with_options};
use referral_api::audit::AuditExportRequest;
use referral_api::handlers;
use referral_model::{Actor, EventKind};
use serde_json::Value;

const FAMILY: &str = "Quxworthy";
const MRN: &str = "MRN-AUD-4471";
/// `desk::new_patient`'s birth date.
const BIRTH_DATE: &str = "1975-05-17";

fn contains(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// A Python with `fhir.resources` (R4B models): `REFDESK_PYTHON`, or the workspace's `.venv`.
fn python() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let candidate = std::env::var_os("REFDESK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".venv/bin/python"));
    let ok = Command::new(&candidate)
        .args(["-c", "import fhir.resources.R4B.auditevent"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(candidate)
}

const VALIDATE: &str = r#"
import sys
from fhir.resources.R4B.auditevent import AuditEvent
n = 0
for line in sys.stdin:
    if line.strip():
        (AuditEvent.model_validate_json if hasattr(AuditEvent, "model_validate_json") else AuditEvent.parse_raw)(line)
        n += 1
print(n)
"#;

fn validate_r4(ndjson: &str) {
    let Some(python) = python() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must validate AuditEvents: no Python with fhir.resources (scripts/setup.sh)"
        );
        eprintln!(
            "SKIP R4 AuditEvent validation: no Python with fhir.resources (set REFDESK_PYTHON)"
        );
        return;
    };
    let mut child = Command::new(python)
        .args(["-c", VALIDATE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ndjson.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "not valid R4 AuditEvents: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let validated: usize = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    assert_eq!(validated, ndjson.lines().count());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_booking_is_audited_with_user_and_workstation_and_exported_as_r4_audit_events() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let (referral, options) = referral_with_options(app, FAMILY, MRN, &["derm"]).await;
    book_option(app, referral.id, &options[0]).await;
    let me = this_desk();

    let db = desk.dir.path().join("worklist.sqlite3");
    let wal = desk.dir.path().join("worklist.sqlite3-wal");
    for file in [&db, &wal] {
        for secret in [FAMILY, MRN, BIRTH_DATE] {
            assert!(!contains(file, secret), "{secret} in clear in {file:?}");
        }
    }

    let export = handlers::export_audit(app, AuditExportRequest::default())
        .await
        .unwrap();
    let lines: Vec<Value> = export
        .ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), export.count);
    assert!(
        lines.iter().any(|e| e["subtype"][0]["code"] == "operation"),
        "the $find and $book are there"
    );
    for event in &lines {
        let user = &event["agent"][0];
        assert_eq!(
            user["who"]["identifier"]["value"],
            me.user.as_str(),
            "{event}"
        );
        assert_eq!(
            user["network"]["address"],
            me.workstation.as_str(),
            "{event}"
        );
        assert_eq!(user["requestor"], true);
    }
    let booked = lines
        .iter()
        .find(|e| {
            e["entity"].as_array().unwrap().iter().any(|x| {
                x["description"]
                    .as_str()
                    .is_some_and(|d| d.contains("$book"))
            })
        })
        .expect("the $book is exported");
    let patient = &booked["entity"][0];
    assert_eq!(patient["role"]["code"], "1", "the referral's patient");
    assert_eq!(patient["what"]["identifier"]["value"], MRN);
    validate_r4(&export.ndjson);

    let trail = app.store().audit_trail(None, None).unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.kind, EventKind::AuditExport, "the export is audited");
    assert_eq!(last.actor.as_ref(), Some(&me));
}

/// Who this test runs as, found without Referral Desk's own code: `$USER` when set (as the desk
/// prefers it), else `id -un`; the host name from the kernel.
fn this_desk() -> Actor {
    let user = std::env::var("USER")
        .ok()
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| {
            let out = std::process::Command::new("id")
                .arg("-un")
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).trim().to_owned()
        });
    let workstation = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap()
        .trim()
        .to_owned();
    Actor { user, workstation }
}
