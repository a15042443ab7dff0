//! Patients and coverage at a receiving organisation, through the UI contract's handlers against
//! real sandbox organisations: `$match` candidates with their grades and the user's choice used
//! for booking, search by given name, "the organisation already had this patient", coverage
//! added and updated with `If-Match` (a stale version refused), and a coverage the organisation
//! refuses, after which the booking goes on without it or with a corrected one.
#![allow(clippy::unwrap_used, reason = "tests")]

use chrono::NaiveDate;
use refdesk_tests::desk::{Desk, remote_status};
use referral_api::ApiErrorCode;
use referral_api::admin::{AddCoverageRequest, MatchPatientRequest, UpdateCoverageRequest};
use referral_api::booking::BookSlotRequest;
use referral_api::handlers;
use referral_api::patient::{
    CoverageInput, Gender, PatientDetails, RegisterPatientRequest, SearchPatientsRequest,
};
use referral_api::referral::GetReferralRequest;
use referral_core::{CoverageInfo, PatientInfo};
use referral_model::OrganisationId;
use sched_sandbox::Faults;

fn person(family: &str, given: &str, mrn: &str) -> PatientDetails {
    PatientDetails {
        family: family.into(),
        given: vec![given.into()],
        birth_date: NaiveDate::from_ymd_opt(1980, 4, 2).unwrap(),
        gender: Gender::Female,
        mrn: mrn.into(),
        phone: None,
        email: None,
    }
}

fn cover(payor: &str, plan: Option<&str>) -> CoverageInput {
    CoverageInput {
        payor: payor.into(),
        subscriber_id: "ACME-9".into(),
        plan_name: plan.map(str::to_owned),
        relationship: "self".into(),
    }
}

async fn register(desk: &Desk, p: PatientDetails, c: Option<CoverageInput>) -> String {
    let req = RegisterPatientRequest {
        organisation_id: "derm".into(),
        patient: p,
        coverage: c,
    };
    handlers::register_patient(&desk.app, req)
        .await
        .unwrap()
        .patient_id
}

fn book(referral_id: &str, option: &str) -> BookSlotRequest {
    BookSlotRequest {
        referral_id: referral_id.into(),
        option_id: Some(option.into()),
        comment: None,
        patient_id: None,
        coverage: None,
        without_coverage: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn match_lists_candidates_with_their_grades_and_the_one_chosen_is_booked() {
    let desk = Desk::start(|_| {}).await;
    let same_mrn = register(&desk, person("Quillfeather", "Adaeze", "PM-1"), None).await;
    let cousin = register(&desk, person("Quillfeather", "Ada", "PM-OTHER"), None).await;
    let probe = person("Quillfeather", "Adaeze", "PM-1");

    let req = MatchPatientRequest {
        organisation_id: "derm".into(),
        patient: probe.clone(),
    };
    let found = handlers::match_patient(&desk.app, req).await.unwrap();
    let graded: Vec<_> = found
        .patients
        .iter()
        .map(|m| (m.patient_id.as_str(), m.grade.as_deref(), m.score))
        .collect();
    assert_eq!(
        graded,
        [
            (same_mrn.as_str(), Some("certain"), Some(1.0)),
            (cousin.as_str(), Some("possible"), Some(0.5)),
        ],
        "best first, each with its grade and score"
    );

    // The user picks the possible one: booking uses that record, registers no one.
    let mut input = refdesk_tests::desk::referral_input(referral_api_patient(&probe), &["derm"]);
    input.patient_links.insert("derm".into(), cousin.clone());
    let r = desk.app.create_referral(input).await.unwrap();
    let found = desk
        .app
        .find_slots(r.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    let option = &found.options[0].option_id;
    let booked = handlers::book_slot(&desk.app, book(&r.id.to_string(), option))
        .await
        .unwrap();
    let org = OrganisationId::new("derm".to_owned()).unwrap();
    let (_, remote) = desk.app.remote(&org).await.unwrap();
    let appt = remote
        .read_appointment(booked.appointment_id.clone())
        .await
        .unwrap();
    let patients: Vec<_> = appt
        .participant
        .iter()
        .filter_map(|p| p.actor.as_ref()?.reference.clone())
        .filter(|r| r.starts_with("Patient/"))
        .collect();
    assert_eq!(patients, [format!("Patient/{cousin}")]);
    desk.sandbox.shutdown().await;
}

fn referral_api_patient(p: &PatientDetails) -> PatientInfo {
    PatientInfo {
        family: p.family.clone(),
        given: p.given.clone(),
        birth_date: p.birth_date,
        gender: referral_model::Gender::Female,
        mrn: p.mrn.clone(),
        phone: None,
        email: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_by_given_name_finds_only_that_given_name() {
    let desk = Desk::start(|_| {}).await;
    let ada = register(&desk, person("Marchetti", "Ada", "GN-1"), None).await;
    register(&desk, person("Marchetti", "Bruno", "GN-2"), None).await;
    let search = |given: &str| SearchPatientsRequest {
        organisation_id: "derm".into(),
        family: Some("Marchetti".into()),
        given: Some(given.into()),
        birth_date: None,
        identifier: None,
    };
    let found = handlers::search_patients(&desk.app, search("Ada"))
        .await
        .unwrap();
    let ids: Vec<_> = found
        .patients
        .iter()
        .map(|m| m.patient_id.clone())
        .collect();
    assert_eq!(ids, [ada]);
    let none = handlers::search_patients(&desk.app, search("Carla"))
        .await
        .unwrap();
    assert!(none.patients.is_empty());
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_a_patient_the_organisation_already_has_says_so_in_plain_words() {
    let desk = Desk::start(|_| {}).await;
    let req = || RegisterPatientRequest {
        organisation_id: "derm".into(),
        patient: person("Oyelaran", "Tobi", "EX-1"),
        coverage: None,
    };
    let first = handlers::register_patient(&desk.app, req()).await.unwrap();
    assert!(!first.existing && first.notice.is_none());
    let again = handlers::register_patient(&desk.app, req()).await.unwrap();
    assert!(again.existing);
    assert_eq!(again.patient_id, first.patient_id, "their record is used");
    let name = desk.sandbox.organisation("derm").unwrap().display.clone();
    assert_eq!(
        again.notice.as_deref(),
        Some(
            format!("{name} already had this patient; Referral Desk uses their record there.")
                .as_str()
        )
    );
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coverage_is_added_then_updated_and_a_stale_version_is_refused() {
    let desk = Desk::start(|_| {}).await;
    let pid = register(&desk, person("Haddad", "Lina", "CV-1"), None).await;
    let added = handlers::add_coverage(
        &desk.app,
        AddCoverageRequest {
            organisation_id: "derm".into(),
            patient_id: pid.clone(),
            coverage: cover("Acme Health", None),
        },
    )
    .await
    .unwrap();
    assert_eq!(added.version.as_deref(), Some("1"));
    let update = |version: &str, plan: &str| UpdateCoverageRequest {
        organisation_id: "derm".into(),
        patient_id: pid.clone(),
        coverage_id: added.coverage_id.clone(),
        version: Some(version.into()),
        coverage: cover("Acme Health", Some(plan)),
    };
    let updated = handlers::update_coverage(&desk.app, update("1", "Gold"))
        .await
        .unwrap();
    assert_eq!(updated.coverage_id, added.coverage_id);
    assert_eq!(updated.version.as_deref(), Some("2"));

    let stale = handlers::update_coverage(&desk.app, update("1", "Silver"))
        .await
        .unwrap_err();
    assert_eq!(
        stale.code,
        ApiErrorCode::VersionConflict,
        "{}",
        stale.message
    );
    let blank = handlers::add_coverage(
        &desk.app,
        AddCoverageRequest {
            organisation_id: "derm".into(),
            patient_id: pid,
            coverage: cover(" ", None),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(blank.code, ApiErrorCode::InvalidInput);
    assert_eq!(blank.field.as_deref(), Some("payor"));
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_refused_coverage_the_booking_goes_on_without_it() {
    let desk = Desk::start(|_| {}).await;
    desk.sandbox
        .set_faults(
            "derm",
            Faults {
                refuse_coverage: Some("We do not accept this insurer".into()),
                ..Faults::default()
            },
        )
        .unwrap();
    let (r, options) =
        refdesk_tests::desk::referral_with_options(&desk.app, "Brennan", "RC-1", &["derm"]).await;
    let id = r.id.to_string();
    let refused = handlers::book_slot(&desk.app, book(&id, &options[0].option_id))
        .await
        .unwrap_err();
    assert_eq!(
        refused.code,
        ApiErrorCode::CoverageRefused,
        "{}",
        refused.message
    );
    assert!(
        refused.message.contains("We do not accept this insurer"),
        "{}",
        refused.message
    );

    let mut go_on = book(&id, &options[0].option_id);
    go_on.without_coverage = Some(true);
    let booked = handlers::book_slot(&desk.app, go_on).await.unwrap();
    assert_eq!(
        remote_status(&desk.app, "derm", &booked.appointment_id).await,
        "booked"
    );
    let registered = handlers::search_patients(
        &desk.app,
        SearchPatientsRequest {
            organisation_id: "derm".into(),
            family: Some("Brennan".into()),
            given: None,
            birth_date: None,
            identifier: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(registered.patients.len(), 1, "registered once, not twice");
    let detail = handlers::get_referral(&desk.app, GetReferralRequest { id: id.clone() })
        .await
        .unwrap();
    assert!(
        detail.events.iter().any(|e| e
            .detail
            .contains("without the coverage the organisation refused")),
        "the timeline says the booking went on without the coverage"
    );
    desk.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_refused_coverage_a_corrected_one_is_sent_and_the_booking_completes() {
    let desk = Desk::start(|_| {}).await;
    desk.sandbox
        .set_faults(
            "derm",
            Faults {
                refuse_coverage: Some("We do not accept this insurer".into()),
                ..Faults::default()
            },
        )
        .unwrap();
    let (r, options) =
        refdesk_tests::desk::referral_with_options(&desk.app, "Sorensen", "RC-2", &["derm"]).await;
    let id = r.id.to_string();
    let option = &options[0].option_id;
    let refused = handlers::book_slot(&desk.app, book(&id, option))
        .await
        .unwrap_err();
    assert_eq!(refused.code, ApiErrorCode::CoverageRefused);
    desk.sandbox.set_faults("derm", Faults::default()).unwrap();

    let mut fixed = book(&id, option);
    fixed.coverage = Some(cover("Other Health", Some("Bronze")));
    handlers::book_slot(&desk.app, fixed).await.unwrap();
    let plan = desk
        .app
        .plan(&desk.app.referral(r.id).await.unwrap())
        .await
        .unwrap();
    assert!(plan.coverage_pending.is_empty(), "nothing left to send");
    assert_eq!(
        plan.coverage,
        Some(CoverageInfo {
            payor: "Other Health".into(),
            subscriber_id: "ACME-9".into(),
            plan_name: Some("Bronze".into()),
            relationship: "self".into(),
        })
    );
    desk.sandbox.shutdown().await;
}
