//! Search depth against the sandbox organisations, through the UI contract's handlers: the
//! organisation's own directory feeds a practitioner filter that narrows the results to that
//! practitioner there; "more times" offers only later times, none repeated; mornings and
//! afternoons on the desk's clock; each time keeps the organisation's own offset.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Days, Duration, NaiveDate, Timelike, Utc};
use refdesk_tests::desk::TestLauncher;
use referral_api::find::{FindSlotsRequest, FindSummary, ListDirectoryRequest, TimeOfDay};
use referral_api::handlers;
use referral_api::patient::{Gender, PatientDetails};
use referral_api::referral::{CreateReferralRequest, DateWindow, ServiceChoice};
use referral_api::status::SetupSandboxRequest;
use referral_core::{App, AppBuilder, KeyStorage};

const DERM: &str = "sandbox-derm";

async fn desk(dir: &std::path::Path) -> App {
    let app = AppBuilder::open(dir, None)
        .unwrap()
        .key_storage(&KeyStorage::File(dir.join("keys")))
        .unwrap()
        .sandbox_launcher(Arc::new(TestLauncher))
        .build()
        .unwrap();
    handlers::setup_sandbox(&app, SetupSandboxRequest {})
        .await
        .unwrap();
    app
}

async fn referral(app: &App, family: &str) -> String {
    let today = Utc::now().date_naive();
    let req = CreateReferralRequest {
        patient: PatientDetails {
            family: family.into(),
            given: vec!["Noor".into()],
            birth_date: NaiveDate::from_ymd_opt(1979, 3, 3).unwrap(),
            gender: Gender::Female,
            mrn: format!("SD-{family}"),
            phone: None,
            email: None,
        },
        coverage: None,
        patient_links: vec![],
        service: ServiceChoice {
            priority: referral_api::codes::CodeOption {
                system: String::new(),
                code: "routine".into(),
                display: "Routine".into(),
            },
            reason: "rash".into(),
            ..ServiceChoice::default()
        },
        organisation_ids: vec![DERM.into()],
        window: DateWindow {
            start: today + Days::new(1),
            end: today + Days::new(21),
        },
    };
    handlers::create_referral(app, req).await.unwrap().id
}

fn request(referral_id: &str) -> FindSlotsRequest {
    FindSlotsRequest {
        referral_id: referral_id.to_owned(),
        organisation_ids: vec![DERM.into()],
        window: None,
        practitioner: None,
        location: None,
        after: None,
        time_of_day: None,
        utc_offset_minutes: None,
    }
}

async fn find(app: &App, req: FindSlotsRequest) -> FindSummary {
    let found = handlers::find_slots(app, req, |_| {}).await.unwrap();
    assert_eq!(found.failed, 0, "the organisation answered");
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_fills_a_practitioner_filter_that_narrows_to_that_practitioner_there() {
    let dir = tempfile::tempdir().unwrap();
    let app = desk(dir.path()).await;
    let listed = handlers::list_directory(
        &app,
        ListDirectoryRequest {
            organisation_id: DERM.into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(listed.organisation_id, DERM);
    assert!(listed.practitioners.len() > 1, "several practitioners");
    assert!(!listed.locations.is_empty(), "its locations are listed");
    let location_ids: HashSet<&str> = listed.locations.iter().map(|l| l.id.as_str()).collect();
    for p in &listed.practitioners {
        assert!(!p.specialties.is_empty(), "{} has a specialty", p.name);
        assert!(
            p.location_ids
                .iter()
                .all(|l| location_ids.contains(l.as_str())),
            "a practitioner's locations are among the organisation's"
        );
    }

    let id = referral(&app, "Directory").await;
    let all = find(&app, request(&id)).await;
    let offered: HashSet<String> = all
        .options
        .iter()
        .filter_map(|o| o.practitioner_id.clone())
        .collect();
    assert!(
        offered.len() > 1,
        "unfiltered, several practitioners offer times"
    );
    let chosen = listed
        .practitioners
        .iter()
        .find(|p| offered.contains(&p.id))
        .expect("a listed practitioner offers times");
    let narrowed = find(
        &app,
        FindSlotsRequest {
            practitioner: Some(chosen.id.clone()),
            ..request(&id)
        },
    )
    .await;
    assert!(!narrowed.options.is_empty());
    assert!(
        narrowed
            .options
            .iter()
            .all(|o| o.organisation_id == DERM && o.practitioner_id.as_deref() == Some(&chosen.id)),
        "only the chosen practitioner at that organisation"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_times_are_all_later_than_the_last_shown_and_repeat_none() {
    let dir = tempfile::tempdir().unwrap();
    let app = desk(dir.path()).await;
    let id = referral(&app, "More").await;
    let first = find(&app, request(&id)).await;
    let last: DateTime<Utc> = first.options.iter().map(|o| o.start).max().unwrap();
    let more = find(
        &app,
        FindSlotsRequest {
            after: Some(last),
            ..request(&id)
        },
    )
    .await;
    assert!(!more.options.is_empty(), "there are later times");
    assert!(more.options.iter().all(|o| o.start > last), "all later");
    let shown: HashSet<&str> = first.options.iter().map(|o| o.option_id.as_str()).collect();
    assert!(
        more.options
            .iter()
            .all(|o| !shown.contains(o.option_id.as_str())),
        "none repeated"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mornings_and_afternoons_are_the_desks_and_each_time_keeps_the_organisations_offset() {
    let dir = tempfile::tempdir().unwrap();
    let app = desk(dir.path()).await;
    let id = referral(&app, "Daypart").await;
    // The desk on the organisation's clock, where it opens mornings and afternoons.
    let any = find(&app, request(&id)).await;
    let offset = i64::from(any.options[0].organisation_utc_offset_minutes.unwrap());
    let local_hour = |t: DateTime<Utc>| (t + Duration::minutes(offset)).hour();
    for (part, morning) in [(TimeOfDay::Morning, true), (TimeOfDay::Afternoon, false)] {
        let found = find(
            &app,
            FindSlotsRequest {
                time_of_day: Some(part),
                utc_offset_minutes: Some(i32::try_from(offset).unwrap()),
                ..request(&id)
            },
        )
        .await;
        assert!(!found.options.is_empty(), "{part:?} times exist");
        assert!(
            found
                .options
                .iter()
                .all(|o| (local_hour(o.start) < 12) == morning),
            "{part:?} on the desk's clock"
        );
        assert!(
            found
                .options
                .iter()
                .all(|o| o.organisation_utc_offset_minutes.is_some()),
            "each time carries the organisation's own offset"
        );
    }
}
