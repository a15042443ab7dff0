//! The JSON the webview sends and receives: camelCase fields, snake_case enum values, RFC 3339
//! instants and `YYYY-MM-DD` dates — exactly what the generated TypeScript types promise.
#![allow(clippy::unwrap_used, reason = "tests")]

use referral_api::appointment::{AppointmentSubject, ListAppointmentsRequest};
use referral_api::booking::BookSlotRequest;
use referral_api::codes::CodeTablesRequest;
use referral_api::find::{FindProgress, FindState};
use referral_api::referral::{ListReferralsRequest, ReferralStatus};
use referral_api::{ApiError, ApiErrorCode};
use serde_json::json;

#[test]
fn requests_arrive_in_camel_case_as_the_ui_sends_them() {
    let req: BookSlotRequest = serde_json::from_value(
        json!({"referralId": "r1", "comment": "Bring scans", "optionId": null}),
    )
    .unwrap();
    assert_eq!(req.referral_id, "r1");
    assert_eq!(req.option_id, None);
}

#[test]
fn an_empty_request_is_an_empty_object() {
    let _: CodeTablesRequest = serde_json::from_value(json!({})).unwrap();
}

#[test]
fn worklist_filter_dates_and_statuses_parse() {
    let req: ListReferralsRequest = serde_json::from_value(json!({
        "statuses": ["held", "needs_attention"], "organisationId": null,
        "from": "2026-12-01", "to": null, "text": "chal", "limit": 50
    }))
    .unwrap();
    assert_eq!(
        req.statuses,
        vec![ReferralStatus::Held, ReferralStatus::NeedsAttention]
    );
    assert_eq!(req.from.unwrap().to_string(), "2026-12-01");
}

#[test]
fn a_bad_date_is_refused_by_deserialisation_not_accepted_silently() {
    let bad = json!({"statuses": [], "organisationId": null, "from": "01/12/2026", "to": null, "text": null, "limit": null});
    assert!(serde_json::from_value::<ListReferralsRequest>(bad).is_err());
}

#[test]
fn appointment_subject_is_tagged_by_kind() {
    let req: ListAppointmentsRequest = serde_json::from_value(json!({
        "subject": {"kind": "practitioner", "reference": "Dr Smith"}, "from": null, "to": null
    }))
    .unwrap();
    assert_eq!(
        req.subject,
        AppointmentSubject::Practitioner {
            reference: "Dr Smith".into()
        }
    );
}

#[test]
fn find_progress_goes_out_with_its_error_beside_the_organisation() {
    let p = FindProgress {
        search_id: "s1".into(),
        organisation_id: "org-b".into(),
        organisation_name: "Sonoma Imaging".into(),
        state: FindState::Failed,
        options: vec![],
        error: Some(ApiError::from_code(ApiErrorCode::Unreachable)),
    };
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["state"], "failed");
    assert_eq!(v["organisationName"], "Sonoma Imaging");
    assert_eq!(v["error"]["code"], "unreachable");
}
