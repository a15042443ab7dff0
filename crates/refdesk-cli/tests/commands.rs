//! The commands the core offered but `refdesk` lacked, against `refdesk sandbox serve`: org edit /
//! enable / disable, `patient match` with grades, `coverage update`, `export ics`, and `find`
//! narrowed to a practitioner.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::path::Path;

use common::{Serve, json, new_referral, refdesk, run, stderr};
use referral_api::admin::CoverageSaved;
use referral_api::appointment::IcsFile;
use referral_api::find::FindSummary;
use referral_api::organisation::{Organisation, OrganisationList};
use referral_api::patient::{PatientMatches, RegisteredPatient};

fn dto<T: serde::de::DeserializeOwned>(d: &Path, args: &[&str]) -> T {
    serde_json::from_value(json(d, args)).unwrap()
}

fn org<'a>(list: &'a OrganisationList, id: &str) -> &'a Organisation {
    list.organisations.iter().find(|o| o.id == id).unwrap()
}

#[test]
fn org_edit_changes_only_what_is_given_and_disable_stops_searching_it() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let before: OrganisationList = dto(d, &["org", "list"]);
    let edited: Organisation = dto(
        d,
        &["org", "edit", "sandbox-derm", "--name", "Riverside Skin"],
    );
    let was = org(&before, "sandbox-derm");
    assert_eq!(edited.name, "Riverside Skin");
    assert_eq!(
        (&edited.fhir_base, &edited.client_id, edited.enabled),
        (&was.fhir_base, &was.client_id, true)
    );

    let disabled: Organisation = dto(d, &["org", "disable", "sandbox-derm"]);
    assert!(!disabled.enabled);
    let after: OrganisationList = dto(d, &["org", "list"]);
    assert!(!org(&after, "sandbox-derm").enabled);
    assert_eq!(org(&after, "sandbox-derm").name, "Riverside Skin");
    // A new referral without --org asks the enabled organisations only.
    let today = chrono::Utc::now().date_naive();
    let (from, to) = (
        (today + chrono::Days::new(1)).to_string(),
        (today + chrono::Days::new(14)).to_string(),
    );
    let patient = [
        "find",
        "--from",
        &from,
        "--to",
        &to,
        "--family",
        "Everywhere",
        "--given",
        "Ann",
        "--birth-date",
        "1970-01-01",
        "--mrn",
        "E-1",
    ];
    let found: FindSummary = dto(d, &patient);
    assert_eq!(found.asked, 2);
    assert!(
        found
            .options
            .iter()
            .all(|o| o.organisation_id != "sandbox-derm")
    );

    let enabled: Organisation = dto(d, &["org", "enable", "sandbox-derm"]);
    assert!(enabled.enabled);
    let out = run(d, &["org", "edit", "nowhere", "--name", "X"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no organisation “nowhere”"),
        "{}",
        stderr(&out)
    );
}

const PATIENT: [&str; 10] = [
    "--family",
    "Matchable",
    "--given",
    "Rosa",
    "--birth-date",
    "1961-07-04",
    "--mrn",
    "M-77",
    "--gender",
    "female",
];

#[test]
fn patient_match_returns_the_registered_patient_with_score_and_grade() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let mut register = vec!["patient", "register", "--org", "sandbox-derm"];
    register.extend(PATIENT);
    let registered: RegisteredPatient = dto(d, &register);
    let mut matching = vec!["patient", "match", "--org", "sandbox-derm"];
    matching.extend(PATIENT);
    let found: PatientMatches = dto(d, &matching);
    assert_eq!(found.organisation_id, "sandbox-derm");
    let best = found
        .patients
        .iter()
        .find(|p| p.patient_id == registered.patient_id)
        .unwrap_or_else(|| panic!("the registered patient is a candidate: {found:?}"));
    assert_eq!(best.grade.as_deref(), Some("certain"), "{best:?}");
    assert!(best.score.is_some_and(|s| s > 0.9), "{best:?}");

    let human = run(d, &matching);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("GRADE") && text.contains("certain"), "{text}");
}

#[test]
fn coverage_update_replaces_the_coverage_under_the_same_id() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let mut register = vec!["patient", "register", "--org", "sandbox-derm"];
    register.extend(PATIENT);
    register.extend(["--payor", "Acme Health", "--subscriber-id", "AC-1"]);
    let registered: RegisteredPatient = dto(d, &register);
    let coverage_id = registered.coverage_id.unwrap();
    let update = [
        "coverage",
        "update",
        "--org",
        "sandbox-derm",
        "--patient-id",
        &registered.patient_id,
        "--coverage-id",
        &coverage_id,
        "--payor",
        "Acme Health",
        "--subscriber-id",
        "AC-2",
        "--plan",
        "Gold",
    ];
    let saved: CoverageSaved = dto(d, &update);
    assert_eq!(saved.coverage_id, coverage_id);
    assert_eq!(saved.patient_id, registered.patient_id);
    // PUT is idempotent: the same update again succeeds and names the same coverage (a new
    // version of it there).
    let again: CoverageSaved = dto(d, &update);
    assert_eq!(
        (&again.coverage_id, &again.patient_id),
        (&saved.coverage_id, &saved.patient_id)
    );
    assert_ne!(again.version, saved.version);
    // With --version the update is conditional: a version that is no longer current is refused.
    let stale_version = saved.version.clone().unwrap();
    let mut stale = update.to_vec();
    stale.extend(["--version", stale_version.as_str()]);
    let out = run(d, &stale);
    assert_eq!(out.status.code(), Some(1), "a stale version is refused");
    let mut current = update.to_vec();
    let now = again.version.clone().unwrap();
    current.extend(["--version", now.as_str()]);
    let fresh: CoverageSaved = dto(d, &current);
    assert_eq!(fresh.coverage_id, coverage_id);
    let out = run(d, &update[..update.len() - 4]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a coverage needs payor and subscriber id"
    );
}

#[test]
fn export_ics_prints_or_saves_the_booked_appointment() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let (referral, options) = new_referral(d, "Calendar", "I-1", &["sandbox-derm"]);
    let out = run(d, &["export", "ics", "--referral", &referral]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "nothing booked yet: {}",
        stderr(&out)
    );
    json(
        d,
        &["book", "--referral", &referral, "--option", &options[0]],
    );

    let printed = run(d, &["export", "ics", "--referral", &referral]);
    assert!(printed.status.success(), "{}", stderr(&printed));
    let text = String::from_utf8(printed.stdout).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(text.trim_end().ends_with("END:VCALENDAR"), "{text}");
    assert!(text.contains("DTSTART"), "{text}");

    let path = d.join("visit.ics");
    let path_text = path.display().to_string();
    let file: IcsFile = dto(
        d,
        &[
            "export",
            "ics",
            "--referral",
            &referral,
            "--out",
            &path_text,
        ],
    );
    assert_eq!(file.saved_to.as_deref(), Some(path_text.as_str()));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    assert_eq!(file.content, text);
    assert!(file.file_name.ends_with(".ics"));
}

#[test]
fn find_with_a_practitioner_offers_only_that_practitioners_times() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let (referral, _) = new_referral(d, "Picky", "P-1", &["sandbox-derm"]);
    let all: FindSummary = dto(d, &["find", "--referral", &referral]);
    let wanted = all
        .options
        .iter()
        .rev()
        .find_map(|o| o.practitioner_id.clone())
        .expect("the sandbox names practitioners");
    let only: FindSummary = dto(
        d,
        &["find", "--referral", &referral, "--practitioner", &wanted],
    );
    assert!(!only.options.is_empty());
    assert!(
        only.options
            .iter()
            .all(|o| o.practitioner_id.as_deref() == Some(wanted.as_str())),
        "{:?}",
        only.options
    );
    let as_reference = format!("Practitioner/{wanted}");
    let same: FindSummary = dto(
        d,
        &[
            "find",
            "--referral",
            &referral,
            "--practitioner",
            &as_reference,
        ],
    );
    assert_eq!(
        same.options
            .iter()
            .map(|o| &o.option_id)
            .collect::<Vec<_>>(),
        only.options
            .iter()
            .map(|o| &o.option_id)
            .collect::<Vec<_>>()
    );
    let out = refdesk(d)
        .args(["find", "--referral", &referral, "--practitioner", &wanted])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("[{wanted}]")), "{text}");
    // The location filter reaches the organisation too: no site there is in this town.
    let nowhere: FindSummary = dto(
        d,
        &[
            "find",
            "--referral",
            &referral,
            "--location",
            "Atlantis 00000",
        ],
    );
    assert_eq!((nowhere.answered, nowhere.options.len()), (1, 0));
}

#[test]
fn org_directory_lists_practitioners_and_find_after_offers_only_later_times() {
    let serve = Serve::start(&[]);
    let d = serve.dir.as_path();
    let listed: referral_api::find::OrganisationDirectory =
        dto(d, &["org", "directory", "sandbox-derm"]);
    assert!(listed.practitioners.len() > 1, "{listed:?}");
    assert!(!listed.locations.is_empty());
    let (referral, _) = new_referral(d, "Later", "L-1", &["sandbox-derm"]);
    let first: FindSummary = dto(d, &["find", "--referral", &referral]);
    let last = first.options.iter().map(|o| o.start).max().unwrap();
    let more: FindSummary = dto(
        d,
        &[
            "find",
            "--referral",
            &referral,
            "--after",
            &last.to_rfc3339(),
        ],
    );
    assert!(!more.options.is_empty());
    assert!(more.options.iter().all(|o| o.start > last), "all later");
}
