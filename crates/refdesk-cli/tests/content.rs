//! Referral content from the command line: `settings referrer set|show`, a new referral's
//! `--reason-code`, `--priority`, `--due-by`, `--note` (the desk's referrer filled in), and the
//! worklist's `--sort due-by` and `--overdue`; a past `--due-by` is refused with its field and
//! exit code 2.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{Serve, json, run, stderr};
use referral_api::referral::ReferralList;
use referral_api::settings::DeskSettings;

fn find_args<'a>(from: &'a str, to: &'a str, family: &'a str, due: &'a str) -> Vec<&'a str> {
    vec![
        "find",
        "--from",
        from,
        "--to",
        to,
        "--family",
        family,
        "--given",
        "Sam",
        "--birth-date",
        "1968-03-09",
        "--mrn",
        family,
        "--org",
        "sandbox-derm",
        "--reason",
        "plaques on both elbows",
        "--reason-code",
        "9014002",
        "--priority",
        "urgent",
        "--due-by",
        due,
        "--note",
        "Steroids tried.",
    ]
}

#[test]
fn referral_content_flags_settings_and_the_due_by_worklist() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let set: DeskSettings = serde_json::from_value(json(
        d,
        &[
            "settings",
            "referrer",
            "set",
            "--name",
            "Dr Ama Osei",
            "--npi",
            "1234567893",
            "--phone",
            "555 010 4477",
        ],
    ))
    .unwrap();
    assert_eq!(
        set.referrer.as_ref().unwrap().npi.as_deref(),
        Some("1234567893")
    );
    let shown = run(d, &["settings", "referrer", "show"]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        text.contains("Dr Ama Osei, NPI 1234567893; call back 555 010 4477"),
        "{text}"
    );

    let today = chrono::Utc::now().date_naive();
    let day = |n: u64| (today + chrono::Days::new(n)).to_string();
    let (from, to) = (day(1), day(14));
    let (late, soon) = (day(9), day(3));
    json(d, &find_args(&from, &to, "Later", &late));
    json(d, &find_args(&from, &to, "Sooner", &soon));

    let list: ReferralList =
        serde_json::from_value(json(d, &["referrals", "list", "--sort", "due-by"])).unwrap();
    let names: Vec<_> = list
        .referrals
        .iter()
        .map(|r| r.patient.name.as_str())
        .collect();
    assert_eq!(names, ["Sam Sooner", "Sam Later"], "earliest due day first");
    let first = &list.referrals[0].service;
    assert_eq!(first.reason_code.as_ref().unwrap().display, "Psoriasis");
    assert_eq!(first.priority.code, "urgent");
    assert_eq!(first.note.as_deref(), Some("Steroids tried."));
    assert_eq!(
        first.referrer.as_ref().map(|r| r.name.as_str()),
        Some("Dr Ama Osei"),
        "the desk's referrer"
    );
    let overdue: ReferralList =
        serde_json::from_value(json(d, &["referrals", "list", "--overdue"])).unwrap();
    assert_eq!(overdue.total, 0, "nothing is due before today");

    let yesterday = today.pred_opt().unwrap().to_string();
    let refused = run(d, &find_args(&from, &to, "Past", &yesterday));
    assert_eq!(refused.status.code(), Some(2), "bad input");
    let said = stderr(&refused);
    assert!(said.contains("Due by"), "{said}");
    let all: ReferralList = serde_json::from_value(json(d, &["referrals", "list"])).unwrap();
    assert_eq!(all.total, 2, "the refused referral was not saved");
}
