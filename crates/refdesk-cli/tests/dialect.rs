//! The dialect override through `refdesk`: `org check` names the dialect and why, `org update
//! --dialect epic` makes an Argonaut sandbox organisation be spoken to as Epic (reported from
//! its settings, no holds), `--dialect auto` goes back to detection, and a misspelt dialect is
//! refused with nothing changed.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{Serve, json, run, stderr};

fn check_text(d: &std::path::Path) -> String {
    let out = run(d, &["org", "check", "sandbox-derm"]);
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn org_check_reports_the_dialect_and_an_override_reaches_the_client() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let detected = check_text(d);
    assert!(
        detected.contains("dialect: Argonaut Scheduling (FHIR STU3) — "),
        "{detected}"
    );
    assert!(detected.contains("holds: supported"), "{detected}");

    let epic = json(d, &["org", "update", "sandbox-derm", "--dialect", "epic"]);
    assert_eq!(epic["dialect"], "epic");
    let forced = check_text(d);
    assert!(
        forced.contains(
            "dialect: Epic scheduling (STU3 $find/$book) — set in the organisation's settings"
        ),
        "{forced}"
    );
    assert!(
        forced.contains("holds: not offered"),
        "Epic never holds: {forced}"
    );
    let report = json(d, &["org", "check", "sandbox-derm"]);
    assert_eq!(report["dialect"], "epic");
    assert_eq!(
        report["dialectReason"],
        "set in the organisation's settings"
    );
    let list = json(d, &["org", "list"]);
    let derm = list["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "sandbox-derm")
        .unwrap();
    assert_eq!(derm["dialect"], "epic", "the override is kept");

    let renamed = json(
        d,
        &["org", "edit", "sandbox-derm", "--name", "Riverside Skin"],
    );
    assert_eq!(renamed["dialect"], "epic", "other edits leave it alone");

    let auto = json(d, &["org", "update", "sandbox-derm", "--dialect", "auto"]);
    assert!(auto.get("dialect").is_none(), "detected again: {auto}");
    assert!(check_text(d).contains("dialect: Argonaut Scheduling (FHIR STU3)"));

    let bad = run(d, &["org", "update", "sandbox-derm", "--dialect", "cerner"]);
    assert!(!bad.status.success());
    let message = stderr(&bad);
    assert!(
        message.contains("dialect") && message.contains("plain-r4"),
        "{message}"
    );
    let after = json(d, &["org", "list"]);
    let derm = after["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "sandbox-derm")
        .unwrap();
    assert_eq!(
        derm["name"], "Riverside Skin",
        "nothing saved by the refused update"
    );
    assert!(derm.get("dialect").is_none());
}

#[test]
fn org_add_takes_a_dialect_and_refuses_an_unknown_one_before_adding() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = ["org", "add", "--id", "north", "--name", "North", "--base"];
    let added = json(
        d,
        &[
            &base[..],
            &[
                "http://127.0.0.1:9/fhir",
                "--client-id",
                "desk",
                "--dialect",
                "plain-r4",
            ],
        ]
        .concat(),
    );
    assert_eq!(added["dialect"], "plain-r4");
    let refused = run(
        d,
        &[
            "org",
            "add",
            "--id",
            "south",
            "--name",
            "South",
            "--base",
            "http://127.0.0.1:9/fhir",
            "--client-id",
            "desk",
            "--dialect",
            "hl7v2",
        ],
    );
    assert!(!refused.status.success());
    let list = json(d, &["org", "list"]);
    let ids: Vec<&str> = list["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["north"], "the refused organisation was not added");
}
