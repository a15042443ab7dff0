//! `list_referrals`, `get_referral`, `create_referral`, `code_tables`.

use std::collections::{BTreeMap, HashMap};

use fhir_model::terminology::{CANCEL_REASONS, CodeTable, SPECIALTIES, VISIT_TYPES};
use referral_core::{App, CoreError, ReferralInput};
use referral_model::{
    EventOutcome as EO, LocalDays, MatchMode, OrganisationId, Referral, TextFilter, WorklistOrder,
    WorklistQuery,
};

use super::{OrApi, convert, referral_id};
use crate::codes::{CodeOption, CodeTables, CodeTablesRequest};
use crate::error::ApiError;
use crate::patient::PatientLink;
use crate::referral::{
    CreateReferralRequest, DateWindow, EventOutcome, GetReferralRequest, ListReferralsRequest,
    ReferralDetail, ReferralEvent, ReferralList, ReferralSummary, WorklistSort,
};

pub async fn list_referrals(
    app: &App,
    req: ListReferralsRequest,
) -> Result<ReferralList, ApiError> {
    let limit = req.limit.unwrap_or(200).clamp(1, referral_model::MAX_PAGE);
    let organisation = match &req.organisation_id {
        Some(id) => Some(OrganisationId::new(id.clone()).map_err(|_| {
            ApiError::invalid_field(
                "organisationId",
                "Organisation: that is not a known organisation.",
            )
        })?),
        None => None,
    };
    // The user's days become UTC instants here, once; the store compares instants.
    let days = LocalDays {
        from: req.from,
        to: req.to,
        utc_offset_minutes: req.utc_offset_minutes.unwrap_or(0),
    };
    let date = days.booked_filter().map_err(CoreError::from).api()?;
    let search = req
        .text
        .as_ref()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .map(|text| TextFilter {
            text,
            mode: MatchMode::Contains,
        });
    // The user's today, for "overdue": their own offset when the UI sent it.
    let today = match req.utc_offset_minutes {
        Some(m) => (app.now() + chrono::Duration::minutes(i64::from(m))).date_naive(),
        None => app.today(),
    };
    let order = match req.sort.unwrap_or_default() {
        WorklistSort::Newest => WorklistOrder::UpdatedDesc,
        WorklistSort::DueBy => WorklistOrder::DueByAsc,
    };
    // Name or MRN, status, organisation, dates and overdue: one query, one count.
    let query = WorklistQuery {
        statuses: req
            .statuses
            .iter()
            .map(|s| convert::status_back(*s))
            .collect(),
        organisation,
        date,
        search,
        overdue_on: req.overdue_only.unwrap_or(false).then_some(today),
        order,
        limit,
        ..WorklistQuery::default()
    };
    let page = app.worklist_page(query).await.api()?;
    let names = org_names(app).await?;
    Ok(ReferralList {
        referrals: page
            .referrals
            .iter()
            .map(|r| summary_on(r, &names, today))
            .collect(),
        total: u32::try_from(page.total).unwrap_or(u32::MAX),
    })
}

pub(crate) async fn org_names(app: &App) -> Result<HashMap<String, String>, ApiError> {
    Ok(app
        .organisations(true)
        .await
        .api()?
        .into_iter()
        .map(|o| (o.id.to_string(), o.display_name))
        .collect())
}

pub(crate) fn summary(r: &Referral, names: &HashMap<String, String>) -> ReferralSummary {
    convert::summary(r, names.get(r.organisation_id.as_str()).cloned())
}

/// A summary with `overdue` judged on `today` (the user's day).
pub(crate) fn summary_on(
    r: &Referral,
    names: &HashMap<String, String>,
    today: chrono::NaiveDate,
) -> ReferralSummary {
    ReferralSummary {
        overdue: r.is_overdue(today),
        ..summary(r, names)
    }
}

pub async fn get_referral(app: &App, req: GetReferralRequest) -> Result<ReferralDetail, ApiError> {
    let id = referral_id(&req.id)?;
    let r = app.referral(id).await.api()?;
    let plan = app.plan(&r).await.api()?;
    let events = app.events(id).await.api()?;
    let names = org_names(app).await?;
    let window = r
        .requested_window
        .map(|w| DateWindow {
            start: w.start,
            end: w.end,
        })
        .unwrap_or(DateWindow {
            start: r.created_at.date_naive(),
            end: r.created_at.date_naive(),
        });
    Ok(ReferralDetail {
        summary: summary(&r, &names),
        window,
        patient_links: plan
            .patient_links
            .iter()
            .map(|(o, p)| PatientLink {
                organisation_id: o.clone(),
                patient_id: p.clone(),
            })
            .collect(),
        appointment_id: r.appointment.as_ref().map(|a| a.id.clone()),
        appointment_end: r.booked_end,
        location: r.location_display.clone(),
        practitioner: r.practitioner_display.clone(),
        booking_comment: r.booking_comment.clone(),
        created_by: r.created_by.clone(),
        status_note: r.status_note.clone(),
        events: events
            .iter()
            .map(|e| ReferralEvent {
                at: e.at,
                action: e.request.clone(),
                organisation_name: e.organisation_id.as_ref().map(|o| {
                    names
                        .get(o.as_str())
                        .cloned()
                        .unwrap_or_else(|| o.to_string())
                }),
                outcome: match e.outcome {
                    EO::Succeeded => EventOutcome::Ok,
                    EO::Refused => EventOutcome::Refused,
                    EO::Failed => EventOutcome::Failed,
                    EO::Unknown => EventOutcome::Pending,
                },
                detail: event_detail(e),
                user: e.actor.as_ref().map(|a| a.user.clone()),
                workstation: e.actor.as_ref().map(|a| a.workstation.clone()),
            })
            .collect(),
    })
}

/// A sentence for an event: its note or the organisation's text when there is one.
fn event_detail(e: &referral_model::Event) -> String {
    let d = e.detail.as_ref();
    let pick = |k: &str| {
        d.and_then(|d| d.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    pick("note")
        .or_else(|| {
            d.and_then(|d| d.get("outcome"))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        })
        .or_else(|| pick("appointment_id").map(|a| format!("appointment {a}")))
        .unwrap_or_else(|| format!("{} {}", e.kind.as_str(), e.outcome.as_str()))
}

pub async fn create_referral(
    app: &App,
    req: CreateReferralRequest,
) -> Result<ReferralSummary, ApiError> {
    let input = ReferralInput {
        patient: super::patients::patient_info(&req.patient),
        coverage: req.coverage.as_ref().map(super::patients::coverage_info),
        patient_links: req
            .patient_links
            .iter()
            .map(|l| (l.organisation_id.clone(), l.patient_id.clone()))
            .collect::<BTreeMap<_, _>>(),
        specialty: req.service.specialty.as_ref().map(convert::coded),
        visit_type: req.service.visit_type.as_ref().map(convert::coded),
        reason: Some(req.service.reason.clone()).filter(|r| !r.trim().is_empty()),
        priority: convert::priority(&req.service.priority.code),
        organisation_ids: req.organisation_ids.clone(),
        window: referral_model::DateWindow {
            start: req.window.start,
            end: req.window.end,
        },
        content: convert::content_back(&req.service),
    };
    let r = app.create_referral(input).await.api()?;
    Ok(summary(&r, &org_names(app).await?))
}

pub async fn code_tables(_app: &App, _req: CodeTablesRequest) -> Result<CodeTables, ApiError> {
    let table = |t: &CodeTable| {
        t.codes
            .iter()
            .map(|c| CodeOption {
                system: t.system.to_owned(),
                code: c.code.to_owned(),
                display: c.display.to_owned(),
            })
            .collect()
    };
    Ok(CodeTables {
        specialties: table(&SPECIALTIES),
        visit_types: table(&VISIT_TYPES),
        cancel_reasons: table(&CANCEL_REASONS),
        priorities: [
            referral_model::Priority::Routine,
            referral_model::Priority::Urgent,
            referral_model::Priority::Asap,
            referral_model::Priority::Stat,
        ]
        .into_iter()
        .map(convert::priority_option)
        .collect(),
        referral_reasons: crate::codes::referral_reasons(),
    })
}
