//! `refdesk --json` prints exactly the result DTO of the handler the app calls: each command's
//! stdout deserialises into the Rust DTO (the type its TypeScript binding is generated from), and
//! a failure prints the `ApiError`, with the exit code its code maps to.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::path::Path;

use common::{Serve, new_referral, refdesk};
use referral_api::ApiError;
use referral_api::find::FindSummary;
use referral_api::organisation::OrganisationList;
use referral_api::referral::{ReferralDetail, ReferralList, ReferralStatus};
use serde::de::DeserializeOwned;

/// Runs `refdesk --json args`, expecting success, and deserialises stdout into `T`.
fn dto<T: DeserializeOwned>(d: &Path, args: &[&str]) -> T {
    let out = refdesk(d).arg("--json").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "refdesk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "refdesk {args:?} printed no {}: {e}\n{}",
            std::any::type_name::<T>(),
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[test]
fn org_list_prints_an_organisation_list() {
    let serve = Serve::start(&[]);
    let list: OrganisationList = dto(&serve.dir, &["org", "list"]);
    let ids: Vec<&str> = list.organisations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids.contains(&"sandbox-derm"), "{ids:?}");
    assert!(list.organisations.iter().all(|o| o.sandbox && o.enabled));
}

#[test]
fn find_prints_a_find_summary() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let (referral, _) = new_referral(d, "Contract", "C-1", &["sandbox-derm"]);
    let found: FindSummary = dto(d, &["find", "--referral", &referral]);
    assert_eq!(found.referral_id, referral);
    assert_eq!((found.asked, found.answered, found.failed), (1, 1, 0));
    assert!(!found.options.is_empty());
    assert!(
        found.options.iter().all(
            |o| o.organisation_id == "sandbox-derm" && o.option_id.starts_with("sandbox-derm/")
        )
    );
}

#[test]
fn referrals_list_prints_a_referral_list() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let (a, _) = new_referral(d, "Listed", "C-2", &["sandbox-derm"]);
    let (b, _) = new_referral(d, "Alsolisted", "C-3", &["sandbox-primary"]);
    let list: ReferralList = dto(d, &["referrals", "list"]);
    assert_eq!(list.total, 2);
    let ids: Vec<&str> = list.referrals.iter().map(|r| r.id.as_str()).collect();
    assert!(
        ids.contains(&a.as_str()) && ids.contains(&b.as_str()),
        "{ids:?}"
    );
    assert!(
        list.referrals
            .iter()
            .all(|r| r.status == ReferralStatus::Searching)
    );
    let filtered: ReferralList = dto(d, &["referrals", "list", "--text", "alsolisted"]);
    assert_eq!(filtered.referrals.len(), 1);
    assert_eq!(filtered.referrals[0].id, b);
}

#[test]
fn referrals_show_prints_a_referral_detail_and_failures_print_the_api_error() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let (referral, options) = new_referral(d, "Detailed", "C-4", &["sandbox-derm"]);
    dto::<serde_json::Value>(
        d,
        &["book", "--referral", &referral, "--option", &options[0]],
    );
    let detail: ReferralDetail = dto(d, &["referrals", "show", &referral]);
    assert_eq!(detail.summary.id, referral);
    assert_eq!(detail.summary.status, ReferralStatus::Booked);
    assert_eq!(detail.summary.patient.mrn.as_deref(), Some("C-4"));
    assert!(detail.appointment_id.is_some());
    assert!(
        detail.events.iter().any(|e| e.action.starts_with("$book")),
        "{:?}",
        detail.events
    );

    // Cancelling twice: the second fails, and stdout carries the ApiError itself.
    let cancel = [
        "cancel",
        "--referral",
        referral.as_str(),
        "--reason",
        "patient-cancel",
    ];
    dto::<serde_json::Value>(d, &cancel);
    let out = refdesk(d).arg("--json").args(cancel).output().unwrap();
    let error: ApiError = serde_json::from_slice(&out.stdout).unwrap();
    // The referral's own state forbids it: exit 1 in the documented table.
    assert_eq!(out.status.code(), Some(1), "{error:?}");
    assert_eq!(
        error.code,
        referral_api::ApiErrorCode::WrongState,
        "{error:?}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&error.message),
        "the same sentence on stderr"
    );
}
