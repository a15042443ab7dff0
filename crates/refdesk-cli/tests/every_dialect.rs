//! `refdesk sandbox serve --every-dialect`: the sandbox organisations in all five dialects, as an
//! admin would try them. `org check` names each one's dialect; one `find` across an Argonaut, an
//! IHE and a plain-R4 organisation merges their times; at the plain-R4 and the Oracle
//! organisation the desk holds, books and cancels through the same commands as anywhere else.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::path::Path;

use common::{Serve, json, new_referral};

fn status(d: &Path, referral: &str) -> String {
    let shown = json(d, &["referrals", "show", referral]);
    shown["summary"]["status"].as_str().unwrap().to_owned()
}

/// Holds `option`, books it, then cancels: each step's status as the worklist shows it.
fn hold_book_cancel(d: &Path, referral: &str, option: &str) {
    json(d, &["hold", "--referral", referral, "--option", option]);
    assert_eq!(status(d, referral), "held");
    json(d, &["book", "--referral", referral]);
    assert_eq!(status(d, referral), "booked");
    let cancelled = json(
        d,
        &[
            "cancel",
            "--referral",
            referral,
            "--reason",
            "patient-cancel",
        ],
    );
    assert_eq!(cancelled["status"], "cancelled", "{cancelled}");
}

#[test]
fn every_dialect_checks_out_merges_in_one_find_and_books_at_plain_r4_and_oracle() {
    let serve = Serve::start(&["--every-dialect"]);
    let d = serve.dir.as_path();
    for (org, dialect) in [
        ("sandbox-derm", "argonaut"),
        ("sandbox-cardio", "ihe-iti"),
        ("sandbox-ortho", "plain-r4"),
        ("sandbox-northgate", "epic"),
        ("sandbox-summit", "oracle"),
    ] {
        let report = json(d, &["org", "check", org]);
        assert_eq!(report["dialect"], dialect, "{org}: {report}");
        assert!(
            report["dialectReason"]
                .as_str()
                .is_some_and(|r| r.contains("declares")),
            "{org}: detected from its statement: {report}"
        );
        assert_eq!(report["holdSupported"], dialect != "epic", "{org}");
    }

    let orgs = ["sandbox-derm", "sandbox-cardio", "sandbox-ortho"];
    let (referral, options) = new_referral(d, "Everywhere", "EV-1", &orgs);
    for org in orgs {
        assert!(
            options.iter().any(|o| o.starts_with(org)),
            "{org} in the merged list: {options:?}"
        );
    }
    let plain = options
        .iter()
        .find(|o| o.starts_with("sandbox-ortho"))
        .unwrap();
    hold_book_cancel(d, &referral, plain);

    // Oracle needs a visit type to search its schedule; the imaging centre offers MRI.
    let today = chrono::Utc::now().date_naive();
    let (from, to) = (
        (today + chrono::Days::new(1)).to_string(),
        (today + chrono::Days::new(14)).to_string(),
    );
    let found = json(
        d,
        &[
            "find",
            "--from",
            &from,
            "--to",
            &to,
            "--family",
            "Everywhere",
            "--given",
            "Sam",
            "--birth-date",
            "1968-03-09",
            "--mrn",
            "EV-2",
            "--payor",
            "Acme",
            "--subscriber-id",
            "A-2",
            "--visit-type",
            "mri",
            "--org",
            "sandbox-summit",
        ],
    );
    let referral = found["referralId"].as_str().unwrap().to_owned();
    let option = found["options"][0]["optionId"].as_str().unwrap().to_owned();
    assert!(option.starts_with("sandbox-summit"), "{found}");
    hold_book_cancel(d, &referral, &option);
}
