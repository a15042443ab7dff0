//! The UI contract's command handlers over referral-core, as the desktop shell calls them: first
//! run with sandbox organisations, a referral for a new patient across two organisations with
//! streamed results, hold, book, confirmation and .ics, cancel; refusals as plain sentences.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::sync::{Arc, Mutex};

use chrono::{Days, NaiveDate, Utc};
use refdesk_tests::desk::TestLauncher;
use refdesk_tests::errors::provoked;
use referral_api::ApiErrorCode;
use referral_api::appointment::ExportIcsRequest;
use referral_api::booking::{
    BookSlotRequest, CancelReferralRequest, HoldSlotRequest, ReleaseHoldRequest,
};
use referral_api::codes::CodeTablesRequest;
use referral_api::find::{FindSlotsRequest, FindState};
use referral_api::handlers;
use referral_api::patient::{CoverageInput, Gender, PatientDetails};
use referral_api::referral::{
    CreateReferralRequest, DateWindow, GetReferralRequest, ListReferralsRequest, ReferralStatus,
    ServiceChoice,
};
use referral_api::status::{AppStatusRequest, SetupSandboxRequest};
use referral_core::{AppBuilder, KeyStorage};

fn create(orgs: &[&str], family: &str) -> CreateReferralRequest {
    let today = Utc::now().date_naive();
    CreateReferralRequest {
        patient: PatientDetails {
            family: family.into(),
            given: vec!["Maya".into()],
            birth_date: NaiveDate::from_ymd_opt(1988, 8, 8).unwrap(),
            gender: Gender::Female,
            mrn: format!("UI-{family}"),
            phone: None,
            email: None,
        },
        coverage: Some(CoverageInput {
            payor: "Acme".into(),
            subscriber_id: "X1".into(),
            plan_name: None,
            relationship: "self".into(),
        }),
        patient_links: vec![],
        service: ServiceChoice {
            specialty: None,
            visit_type: None,
            priority: referral_api::codes::CodeOption {
                system: String::new(),
                code: "routine".into(),
                display: "Routine".into(),
            },
            reason: "follow-up".into(),
            ..ServiceChoice::default()
        },
        organisation_ids: orgs.iter().map(|o| (*o).to_owned()).collect(),
        window: DateWindow {
            start: today + Days::new(1),
            end: today + Days::new(14),
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_then_a_referral_from_search_to_cancel_through_the_handlers() {
    let dir = tempfile::tempdir().unwrap();
    let app = AppBuilder::open(dir.path(), None)
        .unwrap()
        .key_storage(&KeyStorage::File(dir.path().join("keys")))
        .unwrap()
        .sandbox_launcher(Arc::new(TestLauncher))
        .build()
        .unwrap();

    let status = handlers::app_status(&app, AppStatusRequest {})
        .await
        .unwrap();
    assert!(status.first_run && !status.key_present && !status.sandbox_running);
    let setup = handlers::setup_sandbox(&app, SetupSandboxRequest {})
        .await
        .unwrap();
    assert_eq!(setup.organisations.len(), 3);
    let status = handlers::app_status(&app, AppStatusRequest {})
        .await
        .unwrap();
    assert!(!status.first_run && status.key_present && status.sandbox_running);
    let tables = handlers::code_tables(&app, CodeTablesRequest {})
        .await
        .unwrap();
    assert!(
        tables
            .cancel_reasons
            .iter()
            .any(|c| c.code == "patient-cancel")
    );

    let summary = handlers::create_referral(
        &app,
        create(&["sandbox-derm", "sandbox-primary"], "Handler"),
    )
    .await
    .unwrap();
    assert_eq!(summary.status, ReferralStatus::Draft);
    assert_eq!(
        summary.organisation_id, None,
        "no target organisation while a draft"
    );

    let messages = Mutex::new(Vec::new());
    let found = handlers::find_slots(
        &app,
        FindSlotsRequest {
            referral_id: summary.id.clone(),
            organisation_ids: vec![],
            window: None,
            practitioner: None,
            location: None,
            after: None,
            time_of_day: None,
            utc_offset_minutes: None,
        },
        |p| messages.lock().unwrap().push(p),
    )
    .await
    .unwrap();
    let messages = messages.into_inner().unwrap();
    assert_eq!((found.asked, found.answered, found.failed), (2, 2, 0));
    assert!(
        messages.iter().all(|m| m.search_id == found.search_id),
        "progress messages carry the search id"
    );
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.state == FindState::Pending)
            .count(),
        2
    );
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.state == FindState::Done)
            .count(),
        2
    );

    let option = found.options[0].clone();
    let held = handlers::hold_slot(
        &app,
        HoldSlotRequest {
            referral_id: summary.id.clone(),
            option_id: option.option_id.clone(),
        },
    )
    .await
    .unwrap();
    assert!(held.expires_at > Utc::now());
    let confirmation = handlers::book_slot(
        &app,
        BookSlotRequest {
            referral_id: summary.id.clone(),
            option_id: None,
            comment: Some("bring films".into()),
            patient_id: None,
            coverage: None,
            without_coverage: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(confirmation.start, option.start);
    assert_eq!(confirmation.patient_name, "Maya Handler");
    let ics = handlers::export_ics(
        &app,
        ExportIcsRequest {
            referral_id: summary.id.clone(),
        },
    )
    .await
    .unwrap();
    assert!(ics.content.contains("BEGIN:VEVENT") && ics.file_name.ends_with(".ics"));

    let detail = handlers::get_referral(
        &app,
        GetReferralRequest {
            id: summary.id.clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(detail.summary.status, ReferralStatus::Booked);
    assert!(detail.events.iter().any(|e| e.action.starts_with("$book")));
    assert_eq!(detail.patient_links.len(), 1);

    let list = handlers::list_referrals(
        &app,
        ListReferralsRequest {
            text: Some("UI-Hand".into()),
            ..ListReferralsRequest::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(list.referrals.len(), 1, "search by MRN finds it");
    // The UI asks for the largest page the store serves; the handler reads one row more to
    // know whether more follow, which must not push the store past its page limit.
    let largest = handlers::list_referrals(
        &app,
        ListReferralsRequest {
            limit: Some(500),
            ..ListReferralsRequest::default()
        },
    )
    .await
    .expect("the worklist answers the UI's page size");
    assert_eq!(largest.referrals.len(), 1);

    // A second referral cannot take the same time: a plain sentence with the organisation's name.
    let other =
        handlers::create_referral(&app, create(&[option.organisation_id.as_str()], "Second"))
            .await
            .unwrap();
    let err = handlers::book_slot(
        &app,
        BookSlotRequest {
            referral_id: other.id.clone(),
            option_id: Some(option.option_id.clone()),
            comment: None,
            patient_id: None,
            coverage: None,
            without_coverage: None,
        },
    )
    .await
    .map_err(provoked)
    .unwrap_err();
    assert_eq!(err.code, ApiErrorCode::SlotTaken, "{err:?}");
    assert!(
        err.message.starts_with(&option.organisation_name),
        "{}",
        err.message
    );
    assert!(
        !err.message.contains("Error") && !err.message.contains("{"),
        "no debug text: {}",
        err.message
    );

    let released = handlers::release_hold(
        &app,
        ReleaseHoldRequest {
            referral_id: other.id.clone(),
        },
    )
    .await
    .unwrap();
    assert!(!released.released, "nothing was held");
    let bad = handlers::cancel_referral(
        &app,
        CancelReferralRequest {
            referral_id: summary.id.clone(),
            reason_code: "nope".into(),
            note: None,
        },
    )
    .await
    .map_err(provoked)
    .unwrap_err();
    assert_eq!(bad.code, ApiErrorCode::InvalidInput);
    let cancelled = handlers::cancel_referral(
        &app,
        CancelReferralRequest {
            referral_id: summary.id.clone(),
            reason_code: "patient-cancel".into(),
            note: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(cancelled.status, ReferralStatus::Cancelled);
    let again = handlers::cancel_referral(
        &app,
        CancelReferralRequest {
            referral_id: summary.id,
            reason_code: "patient-cancel".into(),
            note: None,
        },
    )
    .await
    .map_err(provoked)
    .unwrap_err();
    assert_eq!(again.code, ApiErrorCode::WrongState);
    app.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_mistakes_name_the_field_or_say_the_organisation_is_unknown() {
    use referral_api::admin::AddOrganisationRequest;
    use referral_api::organisation::RemoveOrganisationRequest;
    let dir = tempfile::tempdir().unwrap();
    let app = AppBuilder::open(dir.path(), None)
        .unwrap()
        .key_storage(&KeyStorage::File(dir.path().join("keys")))
        .unwrap()
        .build()
        .unwrap();
    let add = || AddOrganisationRequest {
        id: "north".into(),
        name: "North Clinic".into(),
        fhir_base: "http://127.0.0.1:9/fhir".into(),
        client_id: "desk".into(),
        scopes: String::new(),
        enabled: true,
        dialect: None,
    };
    handlers::add_organisation(&app, add()).await.unwrap();
    let dup = provoked(handlers::add_organisation(&app, add()).await.unwrap_err());
    assert_eq!(
        (dup.code, dup.field.as_deref()),
        (ApiErrorCode::InvalidInput, Some("id"))
    );
    assert!(
        dup.message.contains("“north” is already in the directory"),
        "{}",
        dup.message
    );
    let unknown = provoked(
        handlers::remove_organisation(&app, RemoveOrganisationRequest { id: "south".into() })
            .await
            .unwrap_err(),
    );
    assert_eq!(unknown.code, ApiErrorCode::NotFound);
    assert_eq!(
        unknown.message,
        "There is no organisation “south” in the directory."
    );
}
