//! `find_slots` (with progress), `hold_slot`, `release_hold`, `book_slot`, `cancel_referral`,
//! `reschedule_referral`.

use referral_core::{
    App, BookInput, CoverageChoice, FindFilter, FindProgress as CoreProgress,
    RescheduleState as CoreState,
};
use referral_model::DateWindow;

use super::patients::coverage_info;
use super::referrals::{org_names, summary};
use super::{OrApi, api_error, convert, referral_id};
use crate::booking::{
    BookSlotRequest, BookingConfirmation, BookingPreview, CancelReferralRequest, HoldResult,
    HoldSlotRequest, PreviewBookingRequest, ReleaseHoldRequest, ReleaseHoldResult,
    RescheduleReferralRequest, RescheduleResult, RescheduleState,
};
use crate::error::{ApiError, ApiErrorCode};
use crate::find::{FindProgress, FindSlotsRequest, FindState, FindSummary, TimeOfDay};
use crate::patient::CoverageInput;
use crate::referral::ReferralSummary;

/// `find_slots`: `on_progress` receives one message per organisation as it is asked, answers or
/// fails (the shell forwards them over the `onProgress` channel).
pub async fn find_slots(
    app: &App,
    req: FindSlotsRequest,
    on_progress: impl Fn(FindProgress) + Send + Sync,
) -> Result<FindSummary, ApiError> {
    let id = referral_id(&req.referral_id)?;
    let window = req.window.map(|w| DateWindow {
        start: w.start,
        end: w.end,
    });
    let forward = |search_id: &str, p: &CoreProgress| on_progress(progress(search_id, p));
    let filter = FindFilter {
        practitioners: req.practitioner.into_iter().collect(),
        locations: req.location.into_iter().collect(),
        after: req.after,
        time_of_day: req.time_of_day.map(|t| match t {
            TimeOfDay::Morning => referral_core::TimeOfDay::Morning,
            TimeOfDay::Afternoon => referral_core::TimeOfDay::Afternoon,
        }),
        utc_offset_minutes: req.utc_offset_minutes.unwrap_or(0),
    };
    let found = app
        .find_slots_filtered(id, req.organisation_ids, window, &filter, &forward)
        .await
        .api()?;
    Ok(find_summary(req.referral_id, &found))
}

/// The summary of a finished search (also `resume_referral`'s result).
pub(crate) fn find_summary(referral_id: String, found: &referral_core::FindOutcome) -> FindSummary {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    FindSummary {
        search_id: found.search_id.clone(),
        referral_id,
        asked: count(found.asked),
        answered: count(found.asked.saturating_sub(found.failures.len())),
        failed: count(found.failures.len()),
        options: found.options.iter().map(convert::option).collect(),
    }
}

/// One organisation's progress as the UI receives it.
pub(crate) fn progress(search_id: &str, p: &CoreProgress) -> FindProgress {
    let (org, name, state, options, error) = match p {
        CoreProgress::Asked {
            organisation_id,
            organisation_name,
        } => (
            organisation_id,
            organisation_name,
            FindState::Pending,
            vec![],
            None,
        ),
        CoreProgress::Answered {
            organisation_id,
            organisation_name,
            options,
        } => (
            organisation_id,
            organisation_name,
            FindState::Done,
            options.iter().map(convert::option).collect(),
            None,
        ),
        CoreProgress::Failed {
            organisation_id,
            organisation_name,
            error,
            ..
        } => {
            let e = api_error(&referral_core::CoreError::remote(
                organisation_name,
                error.clone(),
            ));
            (
                organisation_id,
                organisation_name,
                FindState::Failed,
                vec![],
                Some(e),
            )
        }
    };
    FindProgress {
        search_id: search_id.to_owned(),
        organisation_id: org.to_string(),
        organisation_name: name.clone(),
        state,
        options,
        error,
    }
}

pub async fn hold_slot(app: &App, req: HoldSlotRequest) -> Result<HoldResult, ApiError> {
    let h = app
        .hold(referral_id(&req.referral_id)?, &req.option_id)
        .await
        .api()?;
    Ok(HoldResult {
        referral_id: req.referral_id,
        appointment_id: h
            .referral
            .appointment
            .as_ref()
            .map(|a| a.id.clone())
            .unwrap_or_default(),
        expires_at: h.expires_at,
        option: convert::option(&h.option),
    })
}

pub async fn release_hold(
    app: &App,
    req: ReleaseHoldRequest,
) -> Result<ReleaseHoldResult, ApiError> {
    let id = referral_id(&req.referral_id)?;
    let released = app.release_hold(id).await.api()?;
    let r = app.referral(id).await.api()?;
    Ok(ReleaseHoldResult {
        referral_id: req.referral_id,
        released,
        status: convert::status(r.status),
    })
}

pub async fn book_slot(app: &App, req: BookSlotRequest) -> Result<BookingConfirmation, ApiError> {
    let input = BookInput {
        option_id: req.option_id,
        patient_id: req.patient_id.filter(|p| !p.trim().is_empty()),
        comment: req.comment.filter(|c| !c.trim().is_empty()),
        coverage: coverage_choice(req.coverage.as_ref(), req.without_coverage),
    };
    let r = app
        .book(referral_id(&req.referral_id)?, input)
        .await
        .api()?;
    confirmation(app, &r).await
}

/// `preview_booking`: the `$book` comment `book_slot` would send, composed by the same function.
pub async fn preview_booking(
    app: &App,
    req: PreviewBookingRequest,
) -> Result<BookingPreview, ApiError> {
    let r = app.referral(referral_id(&req.referral_id)?).await.api()?;
    let comment = referral_core::desk::compose_comment(&r, req.comment.as_deref()).api()?;
    Ok(BookingPreview { comment })
}

/// A corrected coverage wins over "without": the user who typed one wants it sent.
fn coverage_choice(corrected: Option<&CoverageInput>, without: Option<bool>) -> CoverageChoice {
    match (corrected, without) {
        (Some(c), _) => CoverageChoice::Corrected(coverage_info(c)),
        (None, Some(true)) => CoverageChoice::Without,
        _ => CoverageChoice::AsEntered,
    }
}

/// The confirmation of a booked referral (also what `export_ics` renders).
pub(crate) async fn confirmation(
    app: &App,
    r: &referral_model::Referral,
) -> Result<BookingConfirmation, ApiError> {
    let names = org_names(app).await?;
    let start = r.booked_start.ok_or_else(|| {
        ApiError::new(
            ApiErrorCode::WrongState,
            "This referral has no booked appointment.",
        )
    })?;
    Ok(BookingConfirmation {
        referral_id: r.id.to_string(),
        appointment_id: r
            .appointment
            .as_ref()
            .map(|a| a.id.clone())
            .unwrap_or_default(),
        organisation_name: names
            .get(r.organisation_id.as_str())
            .cloned()
            .unwrap_or_else(|| r.organisation_id.to_string()),
        patient_name: r.patient.display_name.clone(),
        start,
        end: r.booked_end.unwrap_or(start),
        practitioner: r.practitioner_display.clone(),
        location: r.location_display.clone(),
        service: convert::service_text(r),
        comment: r.booking_comment.clone(),
        booked_at: r.updated_at,
    })
}

pub async fn cancel_referral(
    app: &App,
    req: CancelReferralRequest,
) -> Result<ReferralSummary, ApiError> {
    let r = app
        .cancel(
            referral_id(&req.referral_id)?,
            &req.reason_code,
            req.note.as_deref(),
        )
        .await
        .api()?;
    Ok(summary(&r, &org_names(app).await?))
}

pub async fn reschedule_referral(
    app: &App,
    req: RescheduleReferralRequest,
) -> Result<RescheduleResult, ApiError> {
    let out = app
        .reschedule(referral_id(&req.referral_id)?, &req.option_id, req.comment)
        .await
        .api()?;
    Ok(RescheduleResult {
        state: match out.state {
            CoreState::NewBooked => RescheduleState::NewBooked,
            CoreState::OldStillBooked => RescheduleState::OldStillBooked,
            CoreState::NeedsAttention => RescheduleState::NeedsAttention,
        },
        referral: summary(&out.referral, &org_names(app).await?),
        message: out.message,
    })
}
