//! `refdesk referrals resume | recheck | settle` against `refdesk sandbox serve`: a referral left
//! searching searches again with its stored inputs; states that do not fit and an empty note are
//! refused with the exit codes of their `ApiErrorCode` and a plain sentence. (Re-check and settle
//! of a real needs-attention referral are covered through the same handlers in
//! tests/resume.rs, where the sandbox's fault knobs provoke it.)
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{Serve, assert_plain_errors, json, new_referral, run, stderr};
use referral_api::find::FindSummary;

#[test]
fn resume_searches_again_with_the_stored_inputs_and_refuses_what_does_not_fit() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let (referral, _) = new_referral(d, "Resumed", "CR-1", &["sandbox-derm"]);

    let again: FindSummary =
        serde_json::from_value(json(d, &["referrals", "resume", &referral])).unwrap();
    assert_eq!(again.referral_id, referral);
    assert!(!again.options.is_empty());
    assert!(
        again
            .options
            .iter()
            .all(|o| o.organisation_id == "sandbox-derm"),
        "only the referral's own organisation is asked"
    );

    let held = run(
        d,
        &[
            "hold",
            "--referral",
            &referral,
            "--option",
            &again.options[0].option_id,
        ],
    );
    assert!(held.status.success(), "{}", stderr(&held));
    let refused = run(d, &["referrals", "resume", &referral]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("book it or release it"));
    assert_plain_errors(&refused);

    let empty = run(
        d,
        &[
            "referrals",
            "settle",
            &referral,
            "--as",
            "not-booked",
            "--note",
            " ",
        ],
    );
    assert_eq!(empty.status.code(), Some(2), "{}", stderr(&empty));
    assert_plain_errors(&empty);
    let not_flagged = run(
        d,
        &[
            "referrals",
            "settle",
            &referral,
            "--as",
            "cancelled",
            "--note",
            "x",
        ],
    );
    assert_eq!(
        not_flagged.status.code(),
        Some(1),
        "{}",
        stderr(&not_flagged)
    );
    let recheck = run(d, &["referrals", "recheck", &referral]);
    assert_eq!(recheck.status.code(), Some(1), "{}", stderr(&recheck));
    assert_plain_errors(&recheck);
}
