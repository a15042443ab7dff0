//! Crash safety of the real binary: `refdesk` is killed with SIGKILL (REFDESK_CRASH_AT) right
//! after journaling and right after the remote call of each step of book and of reschedule; the
//! next `refdesk` run recovers, and the referral matches the organisation — no duplicate
//! booking, no orphaned hold.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::os::unix::process::ExitStatusExt;
use std::path::Path;

use common::{Serve, json, json_any, new_referral, refdesk};
use serde_json::Value;

fn killed_at(d: &Path, step: &str, args: &[&str]) {
    let out = refdesk(d)
        .env("REFDESK_CRASH_AT", step)
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.signal(),
        Some(9),
        "{step}: killed by SIGKILL, got {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Statuses of the patient's appointments at the organisation.
fn remote_statuses(d: &Path, mrn: &str) -> Vec<(String, String)> {
    let v = json(d, &["appointments", "--patient-mrn", mrn]);
    v["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["appointmentId"].as_str().unwrap().to_owned(),
                a["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The referral's detail (`ReferralDetail`) with its summary's fields lifted beside its own.
fn referral(d: &Path, id: &str) -> Value {
    let mut detail = json(d, &["referrals", "show", id]);
    let summary = detail["summary"].clone();
    for (k, v) in summary.as_object().unwrap() {
        detail[k.as_str()] = v.clone();
    }
    detail
}

fn assert_consistent(d: &Path, id: &str, mrn: &str, label: &str) {
    let r = referral(d, id);
    let remote = remote_statuses(d, mrn);
    let booked: Vec<_> = remote.iter().filter(|(_, s)| s == "booked").collect();
    assert!(
        booked.len() <= 1,
        "{label}: no duplicate booking {remote:?}"
    );
    assert!(
        remote.iter().all(|(_, s)| s != "pending"),
        "{label}: no orphaned hold for the patient {remote:?}"
    );
    match r["status"].as_str().unwrap() {
        "booked" | "rescheduled" => assert_eq!(
            Some(&booked[0].0),
            r["appointmentId"].as_str().map(str::to_owned).as_ref(),
            "{label}: {r}"
        ),
        "held" => assert!(booked.is_empty(), "{label}"),
        "needs_attention" => assert!(
            booked.is_empty() && r["statusNote"].is_string(),
            "{label}: {r}"
        ),
        _ => assert!(booked.is_empty(), "{label}: {r} {remote:?}"),
    }
}

#[test]
fn sigkill_at_each_step_of_hold_and_book_then_restart_reconciles() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    for step in [
        "hold:journaled",
        "hold:sent",
        "book:journaled",
        "book:sent",
        "direct-book:journaled",
        "direct-book:sent",
    ] {
        let mrn = format!("K-{step}");
        let family = format!("Killed{}", step.replace([':', '-'], ""));
        let (r, options) = new_referral(d, &family, &mrn, &["sandbox-derm"]);
        if let Some(point) = step.strip_prefix("direct-") {
            killed_at(
                d,
                point,
                &["book", "--referral", &r, "--option", &options[0]],
            );
        } else if step.starts_with("book") {
            json(d, &["hold", "--referral", &r, "--option", &options[0]]);
            killed_at(d, step, &["book", "--referral", &r]);
        } else {
            killed_at(
                d,
                step,
                &["hold", "--referral", &r, "--option", &options[0]],
            );
        }
        let report = json(d, &["recover"]);
        assert_eq!(report["left"], 0, "{step}: {report}");
        if step == "hold:sent" {
            assert_eq!(
                report["holdsReleased"], 1,
                "{step}: the hold the desk never recorded is released"
            );
        }
        assert_consistent(d, &r, &mrn, step);
        let status = referral(d, &r)["status"].as_str().unwrap().to_owned();
        let expected = match step {
            "book:sent" | "direct-book:sent" => "booked",
            "book:journaled" => "held",
            _ => "searching",
        };
        assert_eq!(status, expected, "{step}");
        if status != "booked" {
            let fresh = json(d, &["find", "--referral", &r]);
            let option = fresh["options"][0]["optionId"].as_str().unwrap().to_owned();
            let args: Vec<&str> = if status == "held" {
                vec!["book", "--referral", &r]
            } else {
                vec!["book", "--referral", &r, "--option", &option]
            };
            json(d, &args);
        }
        assert_consistent(d, &r, &mrn, &format!("{step} then booked"));
        assert_eq!(referral(d, &r)["status"], "booked");
    }
}

#[test]
fn sigkill_at_each_step_of_reschedule_then_restart_reconciles() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    for step in [
        "reschedule-hold:journaled",
        "reschedule-hold:sent",
        "reschedule-cancel-old:journaled",
        "reschedule-cancel-old:sent",
        "reschedule-book:journaled",
        "reschedule-book:sent",
    ] {
        let mrn = format!("S-{step}");
        let family = format!("Moved{}", step.replace([':', '-'], ""));
        let (r, options) = new_referral(d, &family, &mrn, &["sandbox-derm"]);
        json(d, &["book", "--referral", &r, "--option", &options[0]]);
        let org = referral(d, &r)["organisationId"]
            .as_str()
            .unwrap()
            .to_owned();
        let fresh = json(d, &["find", "--referral", &r]);
        let target = fresh["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["optionId"].as_str().unwrap().to_owned())
            .find(|o| o.starts_with(&org) && *o != options[0])
            .unwrap();
        killed_at(
            d,
            step,
            &["reschedule", "--referral", &r, "--option", &target],
        );
        let (code, report) = json_any(d, &["recover"]);
        assert_eq!(report["left"], 0, "{step}: {report}");
        let flagged = !report["flagged"].as_array().unwrap().is_empty();
        assert_eq!(
            code,
            if flagged { 4 } else { 0 },
            "{step}: exit 4 exactly when a referral needs attention"
        );
        assert_consistent(d, &r, &mrn, step);
        let status = referral(d, &r)["status"].as_str().unwrap().to_owned();
        assert!(
            ["booked", "rescheduled", "needs_attention"].contains(&status.as_str()),
            "{step}: {status}"
        );
        if step.starts_with("reschedule-hold") || step == "reschedule-cancel-old:journaled" {
            assert_eq!(status, "booked", "{step}: the old appointment is kept");
        }
        if step == "reschedule-book:sent" {
            assert_eq!(
                status, "rescheduled",
                "{step}: the booking went through and is recorded"
            );
        }
    }
}
