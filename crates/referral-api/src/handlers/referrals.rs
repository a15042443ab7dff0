//! `list_referrals`, `get_referral`, `create_referral`, `code_tables`.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveTime;
use fhir_model::terminology::{CANCEL_REASONS, CodeTable, SPECIALTIES, VISIT_TYPES};
use referral_core::{App, ReferralInput};
use referral_store::{
    DateFilter, EventOutcome as EO, MatchMode, OrganisationId, Referral, TextFilter, WorklistQuery,
};

use super::{OrApi, convert, referral_id};
use crate::codes::{CodeOption, CodeTables, CodeTablesRequest};
use crate::error::ApiError;
use crate::patient::PatientLink;
use crate::referral::{
    CreateReferralRequest, DateWindow, EventOutcome, GetReferralRequest, ListReferralsRequest,
    ReferralDetail, ReferralEvent, ReferralList, ReferralSummary,
};

pub async fn list_referrals(
    app: &App,
    req: ListReferralsRequest,
) -> Result<ReferralList, ApiError> {
    // One row more than shown is read to tell whether more follow, so stay one under the
    // store's page limit.
    let limit = req
        .limit
        .unwrap_or(200)
        .clamp(1, referral_store::MAX_PAGE - 1);
    let organisation = match &req.organisation_id {
        Some(id) => Some(OrganisationId::new(id.clone()).map_err(|_| {
            ApiError::invalid_field("Organisation", "is not a known organisation.")
        })?),
        None => None,
    };
    let date = match (req.from, req.to) {
        (None, None) => None,
        (from, to) => {
            let from = from.unwrap_or(chrono::NaiveDate::MIN);
            let to = to.unwrap_or(chrono::NaiveDate::MAX);
            Some(DateFilter::Booked {
                from: from.and_time(NaiveTime::MIN).and_utc(),
                to: to.and_time(NaiveTime::MIN).and_utc() + chrono::Duration::days(1),
            })
        }
    };
    let text = req
        .text
        .as_ref()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let query = WorklistQuery {
        statuses: req
            .statuses
            .iter()
            .map(|s| convert::status_back(*s))
            .collect(),
        organisation,
        date,
        patient_name: text.clone().map(|t| TextFilter {
            text: t,
            mode: MatchMode::Contains,
        }),
        limit: limit + 1,
        ..WorklistQuery::default()
    };
    let mut rows = app.worklist(query).await.api()?;
    if let Some(t) = &text {
        // Name OR MRN: the store ANDs its filters, so MRN matches are added from a second query.
        let by_mrn = WorklistQuery {
            mrn: Some(TextFilter {
                text: t.clone(),
                mode: MatchMode::Contains,
            }),
            limit: limit + 1,
            ..WorklistQuery::default()
        };
        for r in app.worklist(by_mrn).await.api()? {
            if !rows.iter().any(|x| x.id == r.id) {
                rows.push(r);
            }
        }
        rows.sort_by_key(|r| std::cmp::Reverse(r.updated_at));
    }
    let total = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    rows.truncate(limit as usize);
    let names = org_names(app).await?;
    Ok(ReferralList {
        referrals: rows.iter().map(|r| summary(r, &names)).collect(),
        total,
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
fn event_detail(e: &referral_store::Event) -> String {
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
        window: referral_store::DateWindow {
            start: req.window.start,
            end: req.window.end,
        },
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
            referral_store::Priority::Routine,
            referral_store::Priority::Urgent,
            referral_store::Priority::Asap,
            referral_store::Priority::Stat,
        ]
        .into_iter()
        .map(convert::priority_option)
        .collect(),
    })
}
