//! The organisation directory and the app key, over a real SQLite file and the opt-in key file
//! (no secret service on the test machines); `check` against an organisation that is down.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::collections::BTreeMap;

use referral_core::{App, AppBuilder, KeyStorage, OrganisationInput, PatientInfo, ReferralInput};
use referral_store::{DateWindow, Gender, Priority, ReferralStatus};

fn app(dir: &std::path::Path) -> App {
    AppBuilder::open(dir, None)
        .unwrap()
        .key_storage(&KeyStorage::File(dir.join("keys")))
        .unwrap()
        .build()
        .unwrap()
}

fn org(id: &str, base: &str) -> OrganisationInput {
    OrganisationInput {
        id: id.into(),
        display_name: format!("{id} clinic"),
        fhir_base_url: base.into(),
        client_id: "desk".into(),
        scopes: "system/Appointment.*".into(),
        enabled: true,
    }
}

fn input(orgs: &[&str]) -> ReferralInput {
    let d = |s: &str| s.parse().unwrap();
    ReferralInput {
        patient: PatientInfo {
            family: "Park".into(),
            given: vec!["Jin".into()],
            birth_date: d("1990-01-02"),
            gender: Gender::Male,
            mrn: "M-9".into(),
            phone: None,
            email: None,
        },
        coverage: None,
        patient_links: BTreeMap::from([("north".to_owned(), "p-77".to_owned())]),
        specialty: None,
        visit_type: None,
        reason: None,
        priority: Priority::Urgent,
        organisation_ids: orgs.iter().map(|o| (*o).to_owned()).collect(),
        window: DateWindow {
            start: d("2030-01-01"),
            end: d("2030-01-10"),
        },
        content: Default::default(),
    }
}

#[tokio::test]
async fn the_app_key_is_generated_once_kept_in_the_0600_file_and_only_its_public_half_is_exported()
{
    let dir = tempfile::tempdir().unwrap();
    let a = app(dir.path());
    assert!(a.existing_key().unwrap().is_none());
    let kid = a.key().unwrap().kid().to_owned();
    let again = app(dir.path());
    assert_eq!(
        again.existing_key().unwrap().unwrap().kid(),
        kid,
        "the same key after a restart"
    );
    let jwks = serde_json::to_value(again.key().unwrap().jwks()).unwrap();
    assert!(
        jwks["keys"][0].get("d").is_none(),
        "no private parameter in the JWKS"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let file = std::fs::read_dir(dir.path().join("keys"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(file.metadata().unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[tokio::test]
async fn organisations_are_added_edited_listed_and_removed_or_disabled_when_referrals_use_them() {
    let dir = tempfile::tempdir().unwrap();
    let a = app(dir.path());
    a.add_organisation(org("north", "https://north.example/fhir"))
        .await
        .unwrap();
    a.add_organisation(org("south", "https://south.example/fhir/"))
        .await
        .unwrap();
    let dup = a
        .add_organisation(org("north", "https://x.example/fhir"))
        .await
        .unwrap_err();
    assert!(dup.is_conflict());
    let bad = a
        .add_organisation(org("Bad Id", "https://x.example"))
        .await
        .unwrap_err();
    assert!(bad.is_invalid_input());
    let mut edit = org("south", "https://south2.example/fhir");
    edit.enabled = false;
    a.edit_organisation(edit).await.unwrap();
    assert_eq!(
        a.organisations(false).await.unwrap().len(),
        1,
        "disabled ones are left out of searches"
    );
    assert_eq!(a.organisations(true).await.unwrap().len(), 2);

    a.create_referral(input(&["north"])).await.unwrap();
    assert!(
        !a.remove_organisation("north").await.unwrap(),
        "kept (disabled) because a referral refers to it"
    );
    assert!(
        !a.organisations(true)
            .await
            .unwrap()
            .iter()
            .find(|o| o.id.as_str() == "north")
            .unwrap()
            .enabled
    );
    assert!(
        a.remove_organisation("south").await.unwrap(),
        "deleted when nothing refers to it"
    );
    assert_eq!(a.organisations(true).await.unwrap().len(), 1);
}

#[tokio::test]
async fn check_of_an_organisation_that_is_down_reports_the_failed_step_and_keeps_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let a = app(dir.path());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    a.add_organisation(org("down", &format!("http://127.0.0.1:{port}/fhir")))
        .await
        .unwrap();
    let report = a.check_organisation("down").await.unwrap();
    assert!(!report.ok() && !report.discovery.ok && !report.metadata.ok);
    assert!(
        report.discovery.detail.contains("could not be reached"),
        "{}",
        report.discovery.detail
    );
    let stored = a
        .organisations(true)
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(
        App::last_check(&stored),
        Some(report),
        "the report is kept on the organisation row"
    );
}

#[tokio::test]
async fn a_referral_keeps_its_plan_and_refuses_bad_input_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let a = app(dir.path());
    a.add_organisation(org("north", "https://north.example/fhir"))
        .await
        .unwrap();
    let none = a.create_referral(input(&[])).await.unwrap_err();
    assert!(none.is_invalid_input());
    let mut reversed = input(&["north"]);
    std::mem::swap(&mut reversed.window.start, &mut reversed.window.end);
    assert!(
        a.create_referral(reversed)
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(
        a.worklist(Default::default()).await.unwrap().is_empty(),
        "nothing written"
    );

    let r = a.create_referral(input(&["north"])).await.unwrap();
    assert_eq!(r.status, ReferralStatus::Draft);
    assert_eq!(
        r.patient.target_patient_id.as_deref(),
        Some("p-77"),
        "the known id at the first organisation"
    );
    let reopened = app(dir.path());
    let plan = reopened
        .plan(&reopened.referral(r.id).await.unwrap())
        .await
        .unwrap();
    assert_eq!(plan.organisation_ids, vec!["north".to_owned()]);
    assert_eq!(plan.patient.family, "Park");
    let cancelled = reopened
        .cancel(r.id, "scheduling-error", Some("duplicate"))
        .await
        .unwrap();
    assert_eq!(cancelled.status, ReferralStatus::Cancelled);
    assert_eq!(
        cancelled.status_note.as_deref(),
        Some(
            format!(
                "{}: duplicate",
                fhir_model::terminology::CANCEL_REASONS
                    .find("scheduling-error")
                    .unwrap()
                    .display
            )
            .as_str()
        )
    );
}

#[test]
fn option_ids_name_the_organisation_and_the_proposal() {
    let (org, id) = referral_core::appt::parse_option("north/prop-1.2").unwrap();
    assert_eq!((org.as_str(), id.as_str()), ("north", "prop-1.2"));
    assert_eq!(
        referral_core::appt::parse_option("north/Appointment/9")
            .unwrap()
            .1,
        "9"
    );
    for bad in ["", "north", "north/", "North/x", "a/b/c"] {
        assert!(
            referral_core::appt::parse_option(bad)
                .unwrap_err()
                .is_invalid_input(),
            "{bad:?}"
        );
    }
}

#[test]
fn error_sentences_quote_the_organisations_own_words() {
    use referral_core::remote::{RemoteError, RemoteErrorKind};
    let e = RemoteError::new(RemoteErrorKind::SlotTaken, "$book")
        .with_status(409)
        .with_outcome("Slot 42 is already booked");
    let s = referral_core::describe::remote_sentence("North Clinic", &e);
    assert!(s.starts_with("North Clinic did not accept the hold or booking"));
    assert!(s.ends_with("The organisation said: “Slot 42 is already booked”"));
    assert!(!e.outcome_unknown() && e.is_refusal());
    assert!(
        RemoteError::new(RemoteErrorKind::Timeout, "$hold").outcome_unknown(),
        "a timeout on a non-idempotent call must be read back"
    );
}
