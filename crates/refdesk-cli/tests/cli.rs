//! The `refdesk` binary end to end against `refdesk sandbox serve` on 127.0.0.1: the use cases,
//! documented exit codes, and clear messages (never a panic) for bad input, refusals and
//! unreachable organisations.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{Serve, json, new_referral, run, stderr};

#[test]
fn bad_arguments_exit_2_with_a_sentence_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["hold", "--referral", "not-a-uuid", "--option", "x/y"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .to_lowercase()
            .contains("referral: is not a referral id"),
        "{}",
        stderr(&out)
    );
    let out = run(dir.path(), &["find", "--org", "x"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("give an existing --referral, or the patient"));
    let out = run(dir.path(), &["cancel", "--referral"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn an_unreachable_organisation_exits_3_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}/fhir");
    json(dir.path(), &["keys", "init"]);
    json(
        dir.path(),
        &[
            "org",
            "add",
            "--id",
            "gone",
            "--name",
            "Gone Clinic",
            "--base",
            &base,
            "--client-id",
            "desk",
        ],
    );
    let out = run(dir.path(), &["org", "check", "gone"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let today = chrono::Utc::now().date_naive();
    let (from, to) = (
        today.to_string(),
        (today + chrono::Days::new(3)).to_string(),
    );
    let out = run(
        dir.path(),
        &[
            "find",
            "--org",
            "gone",
            "--from",
            &from,
            "--to",
            &to,
            "--family",
            "Q",
            "--given",
            "R",
            "--birth-date",
            "1990-01-01",
            "--mrn",
            "M",
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("Gone Clinic could not be reached"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn use_cases_through_the_binary_find_hold_book_reschedule_cancel() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let jwks = json(d, &["keys", "show-jwks"]);
    assert_eq!(
        jwks["keys"].as_array().unwrap().len(),
        1,
        "the public key only"
    );
    assert!(jwks["keys"][0].get("d").is_none(), "never the private part");
    let orgs = json(d, &["org", "list"]);
    assert_eq!(orgs.as_array().unwrap().len(), 3);
    let check = run(d, &["org", "check", "sandbox-derm"]);
    assert!(check.status.success());
    assert!(String::from_utf8_lossy(&check.stdout).contains("holds: supported"));

    let (referral, options) =
        new_referral(d, "Binary", "B-1", &["sandbox-derm", "sandbox-primary"]);
    assert!(!options.is_empty());
    let held = json(
        d,
        &["hold", "--referral", &referral, "--option", &options[0]],
    );
    assert_eq!(held["referral"]["status"], "held");
    let booked = json(
        d,
        &[
            "book",
            "--referral",
            &referral,
            "--comment",
            "interpreter: Portuguese",
        ],
    );
    assert_eq!(booked["status"], "booked");
    let first = booked["appointmentId"].as_str().unwrap().to_owned();

    let appts = json(d, &["appointments", "--patient-mrn", "B-1"]);
    let rows = appts["appointments"].as_array().unwrap();
    assert_eq!(
        rows.iter().filter(|r| r["status"] == "booked").count(),
        1,
        "{appts}"
    );

    let again = json(d, &["find", "--referral", &referral]);
    let other = again["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["optionId"].as_str().unwrap())
        .find(|o| o.starts_with(booked["organisation"].as_str().unwrap()) && *o != options[0])
        .unwrap()
        .to_owned();
    let moved = json(
        d,
        &["reschedule", "--referral", &referral, "--option", &other],
    );
    assert_eq!(moved["state"], "new_booked", "{moved}");
    assert_eq!(moved["referral"]["previousAppointmentId"], first.as_str());

    let cancelled = json(
        d,
        &[
            "cancel",
            "--referral",
            &referral,
            "--reason",
            "patient-cancel",
            "--note",
            "better",
        ],
    );
    assert_eq!(cancelled["status"], "cancelled");
    let list = json(d, &["referrals", "list", "--status", "cancelled"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == referral.as_str())
    );
    let shown = run(d, &["referrals", "show", &referral]);
    let text = String::from_utf8_lossy(&shown.stdout);
    for step in ["$find", "$hold", "POST Patient", "$book", "PATCH"] {
        assert!(text.contains(step), "timeline shows {step}:\n{text}");
    }
}

#[test]
fn a_refusal_exits_1_and_says_the_time_is_no_longer_available() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let (a, options) = new_referral(d, "First", "B-2", &["sandbox-derm"]);
    let (b, _) = new_referral(d, "Second", "B-3", &["sandbox-derm"]);
    json(d, &["book", "--referral", &a, "--option", &options[0]]);
    let out = run(d, &["book", "--referral", &b, "--option", &options[0]]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no longer available"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn without_hold_support_hold_exits_1_and_booking_directly_works() {
    let serve = Serve::start(&["--no-hold"]);
    let d = serve.dir.as_path();
    let (r, options) = new_referral(d, "Nohold", "B-4", &["sandbox-imaging"]);
    let out = run(d, &["hold", "--referral", &r, "--option", &options[0]]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("does not support holds"),
        "{}",
        stderr(&out)
    );
    let booked = json(d, &["book", "--referral", &r, "--option", &options[0]]);
    assert_eq!(booked["status"], "booked");
}
