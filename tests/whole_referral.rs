//! Issue 13, "the whole referral reaches the organisation": a referral with a coded reason,
//! priority, due-by day, the desk's referring clinician and a note is searched and booked at a
//! sandbox organisation through the UI's handlers; the `$find` the organisation received carried
//! `reason` as a `system|code` token, and the Appointment read back from the organisation carries
//! the composed comment (reason text, priority, call-back number) the preview showed. Bad input
//! is refused with `invalid_input`, the field named, and nothing already saved changes.
#![allow(clippy::unwrap_used, reason = "tests")]

use chrono::{Days, NaiveDate, Utc};
use refdesk_tests::desk::Desk;
use refdesk_tests::errors::provoked;
use referral_api::ApiErrorCode;
use referral_api::booking::{BookSlotRequest, HoldSlotRequest, PreviewBookingRequest};
use referral_api::codes::{CodeOption, CodeTablesRequest};
use referral_api::find::FindSlotsRequest;
use referral_api::handlers;
use referral_api::patient::{Gender, PatientDetails};
use referral_api::referral::{
    CreateReferralRequest, DateWindow, GetReferralRequest, ReferralStatus, Referrer, ServiceChoice,
};
use referral_api::settings::{DeskSettings, SaveDeskSettingsRequest};
use referral_model::OrganisationId;
use serde_json::Value;

const PSORIASIS: &str = "http://snomed.info/sct|9014002";

fn urgent() -> CodeOption {
    CodeOption {
        system: "http://hl7.org/fhir/request-priority".into(),
        code: "urgent".into(),
        display: "Urgent".into(),
    }
}

fn psoriasis() -> CodeOption {
    CodeOption {
        system: "http://snomed.info/sct".into(),
        code: "9014002".into(),
        display: "Psoriasis".into(),
    }
}

fn request(family: &str, service: ServiceChoice) -> CreateReferralRequest {
    let today = Utc::now().date_naive();
    CreateReferralRequest {
        patient: PatientDetails {
            family: family.into(),
            given: vec!["Ines".into()],
            birth_date: NaiveDate::from_ymd_opt(1980, 4, 2).unwrap(),
            gender: Gender::Female,
            mrn: format!("WR-{family}"),
            phone: None,
            email: None,
        },
        coverage: None,
        patient_links: vec![],
        service,
        organisation_ids: vec!["derm".into()],
        window: DateWindow {
            start: today + Days::new(1),
            end: today + Days::new(14),
        },
    }
}

fn service() -> ServiceChoice {
    ServiceChoice {
        priority: urgent(),
        reason: "itchy plaques on both elbows".into(),
        reason_code: Some(psoriasis()),
        due_by: Some(Utc::now().date_naive() + Days::new(10)),
        note: Some("Topical steroids tried for 6 weeks.".into()),
        ..ServiceChoice::default()
    }
}

/// What the organisation received for `operation`, from the sandbox's loopback admin hook.
async fn received(desk: &Desk, org: &str, operation: &str) -> Vec<Value> {
    let base = desk.sandbox.base_url(org).unwrap();
    let origin = base.trim_end_matches(&format!("/{org}/fhir")).to_owned();
    let url = format!("{origin}/admin/{org}/received?operation={operation}");
    let body = reqwest::get(&url)
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    body.json().await.unwrap()
}

/// The `valueString`s of the parameters named `name` in a Parameters body.
fn strings(body: &Value, name: &str) -> Vec<String> {
    body["parameter"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == name)
        .filter_map(|p| p["valueString"].as_str().map(str::to_owned))
        .collect()
}

async fn save_referrer(desk: &Desk) {
    let saved = handlers::save_desk_settings(
        &desk.app,
        SaveDeskSettingsRequest {
            settings: DeskSettings {
                referrer: Some(Referrer {
                    name: " Dr  Ama Osei ".into(),
                    npi: Some("1234567893".into()),
                    phone: "+1 (555) 010-4477".into(),
                }),
                follow_up_days: Some(7),
            },
        },
    )
    .await
    .unwrap();
    assert_eq!(
        saved.referrer.as_ref().map(|r| r.name.as_str()),
        Some("Dr Ama Osei"),
        "stored trimmed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organisation_receives_the_reason_in_find_and_the_whole_referral_with_the_booking() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    save_referrer(&desk).await;
    let tables = handlers::code_tables(app, CodeTablesRequest {})
        .await
        .unwrap();
    assert!(tables.referral_reasons.contains(&psoriasis()));

    let summary = handlers::create_referral(app, request("Whole", service()))
        .await
        .unwrap();
    assert_eq!(
        summary.service.referrer.as_ref().map(|r| r.phone.as_str()),
        Some("+1 (555) 010-4477"),
        "no referrer given: the desk's default is kept with the referral"
    );
    assert!(!summary.overdue);

    let found = handlers::find_slots(
        app,
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
        |_| {},
    )
    .await
    .unwrap();
    assert!(!found.options.is_empty());
    let finds = received(&desk, "derm", "find").await;
    let last = finds.last().unwrap();
    assert_eq!(
        strings(last, "reason"),
        vec![PSORIASIS.to_owned()],
        "$find carried reason as the OperationDefinition types it: a system|code string"
    );

    let extra = "Patient prefers mornings.";
    let preview = handlers::preview_booking(
        app,
        PreviewBookingRequest {
            referral_id: summary.id.clone(),
            comment: Some(extra.into()),
        },
    )
    .await
    .unwrap();
    let due = summary.service.due_by.unwrap().format("%Y-%m-%d");
    assert_eq!(
        preview.comment,
        format!(
            "Reason: Psoriasis (9014002) — itchy plaques on both elbows\nPriority: Urgent\n\
             Due by: {due}\nReferred by: Dr Ama Osei, NPI 1234567893\n\
             Call back: +1 (555) 010-4477\nNote: Topical steroids tried for 6 weeks.\n{extra}"
        )
    );

    handlers::hold_slot(
        app,
        HoldSlotRequest {
            referral_id: summary.id.clone(),
            option_id: found.options[0].option_id.clone(),
        },
    )
    .await
    .unwrap();
    let booked = handlers::book_slot(
        app,
        BookSlotRequest {
            referral_id: summary.id.clone(),
            option_id: None,
            comment: Some(extra.into()),
            patient_id: None,
            coverage: None,
            without_coverage: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(booked.comment.as_deref(), Some(preview.comment.as_str()));

    let books = received(&desk, "derm", "book").await;
    assert_eq!(
        strings(books.last().unwrap(), "comment"),
        vec![preview.comment.clone()],
        "$book sent exactly the previewed comment"
    );
    let org = OrganisationId::new("derm".to_owned()).unwrap();
    let (_, remote) = app.remote(&org).await.unwrap();
    let appointment = remote
        .read_appointment(booked.appointment_id.clone())
        .await
        .unwrap();
    // appt-resource: the sandbox declares $prefetch and ReferralRequest create, so the
    // Appointment carries reason and priority, and links the ReferralRequest posted first.
    let reason = appointment.reason.first().unwrap();
    assert_eq!(reason.text.as_deref(), Some("itchy plaques on both elbows"));
    assert_eq!(
        reason.coding.first().and_then(|c| c.code.as_deref()),
        Some("9014002")
    );
    assert_eq!(
        appointment.priority,
        Some(3),
        "urgent is 3 on STU3's unsignedInt scale"
    );
    let link = appointment.incoming_referral.first().unwrap();
    let rr_id = link
        .reference
        .as_deref()
        .and_then(|r| r.strip_prefix("ReferralRequest/"))
        .unwrap()
        .to_owned();
    let derm = desk.sandbox.organisation("derm").unwrap();
    let stored = derm
        .store
        .read(|c| sched_sandbox::store::get_resource(c, &derm.name, "ReferralRequest", &rr_id))
        .unwrap()
        .unwrap();
    let rr: fhir_model::ReferralRequest = serde_json::from_str(&stored.json).unwrap();
    assert_eq!(
        (rr.status.as_str(), rr.intent.as_str()),
        ("active", "order")
    );
    assert_eq!(rr.priority.as_deref(), Some("urgent"));
    assert_eq!(
        rr.occurrence_period.and_then(|p| p.end),
        Some(due.to_string())
    );
    assert_eq!(
        rr.requester.and_then(|r| r.agent.display),
        Some("Dr Ama Osei".to_owned())
    );
    assert_eq!(
        rr.note.first().map(|n| n.text.as_str()),
        Some("Topical steroids tried for 6 weeks.")
    );
    let detail = handlers::get_referral(
        app,
        GetReferralRequest {
            id: summary.id.clone(),
        },
    )
    .await
    .unwrap();
    assert!(
        detail
            .events
            .iter()
            .any(|e| e.action == "POST ReferralRequest"),
        "the ReferralRequest step is on the timeline"
    );
    let unresolved = app.db(|s| s.journal().unresolved()).await.unwrap();
    assert!(unresolved.is_empty(), "the journaled POST was resolved");

    let comment = appointment.comment.unwrap_or_default();
    for expected in [
        "itchy plaques on both elbows",
        "Priority: Urgent",
        "Call back: +1 (555) 010-4477",
    ] {
        assert!(comment.contains(expected), "{expected:?} in {comment:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_content_is_refused_with_its_field_and_nothing_saved_changes() {
    let desk = Desk::start(|_| {}).await;
    let app = &desk.app;
    let today = Utc::now().date_naive();
    let cases: Vec<(&str, ServiceChoice)> = vec![
        (
            "dueBy",
            ServiceChoice {
                due_by: today.checked_sub_days(Days::new(2)),
                ..service()
            },
        ),
        (
            "reasonCode",
            ServiceChoice {
                reason_code: Some(CodeOption {
                    code: "000000".into(),
                    ..psoriasis()
                }),
                ..service()
            },
        ),
        (
            "note",
            ServiceChoice {
                note: Some("   ".into()),
                ..service()
            },
        ),
        (
            "note",
            ServiceChoice {
                note: Some("x".repeat(1001)),
                ..service()
            },
        ),
        (
            "referrerNpi",
            ServiceChoice {
                referrer: Some(Referrer {
                    name: "Dr B".into(),
                    npi: Some("1234567890".into()),
                    phone: "555 010 9999".into(),
                }),
                ..service()
            },
        ),
        (
            "referrerPhone",
            ServiceChoice {
                referrer: Some(Referrer {
                    name: "Dr B".into(),
                    npi: None,
                    phone: "ext 12".into(),
                }),
                ..service()
            },
        ),
    ];
    for (field, bad) in cases {
        let e = provoked(
            handlers::create_referral(app, request("Bad", bad))
                .await
                .unwrap_err(),
        );
        assert_eq!(e.code, ApiErrorCode::InvalidInput, "{field}: {}", e.message);
        assert_eq!(e.field.as_deref(), Some(field), "{}", e.message);
    }
    let list = handlers::list_referrals(app, Default::default())
        .await
        .unwrap();
    assert_eq!(list.total, 0, "no refused referral was saved");

    let bad_settings = handlers::save_desk_settings(
        app,
        SaveDeskSettingsRequest {
            settings: DeskSettings {
                referrer: Some(Referrer {
                    name: "  ".into(),
                    npi: None,
                    phone: "555 010 4477".into(),
                }),
                follow_up_days: None,
            },
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        provoked(bad_settings).field.as_deref(),
        Some("referrerName")
    );

    // An over-long extra comment: refused in the preview and at booking, never cut short, and
    // the referral is exactly as it was.
    let summary = handlers::create_referral(app, request("Long", service()))
        .await
        .unwrap();
    let before = handlers::get_referral(
        app,
        GetReferralRequest {
            id: summary.id.clone(),
        },
    )
    .await
    .unwrap();
    let long = "y".repeat(1100);
    let e = handlers::preview_booking(
        app,
        PreviewBookingRequest {
            referral_id: summary.id.clone(),
            comment: Some(long.clone()),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(provoked(e).field.as_deref(), Some("comment"));
    let e = handlers::book_slot(
        app,
        BookSlotRequest {
            referral_id: summary.id.clone(),
            option_id: Some("derm/prop-none".into()),
            comment: Some(long),
            patient_id: None,
            coverage: None,
            without_coverage: None,
        },
    )
    .await
    .unwrap_err();
    let e = provoked(e);
    assert_eq!(e.code, ApiErrorCode::InvalidInput, "{}", e.message);
    let after = handlers::get_referral(
        app,
        GetReferralRequest {
            id: summary.id.clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(after.summary.status, ReferralStatus::Draft);
    assert_eq!(
        after.summary.service, before.summary.service,
        "nothing lost"
    );
}
