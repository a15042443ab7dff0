//! `resume_referral` (with progress), `recheck_referral`, `settle_referral`.

use referral_core::{App, Finding, Recheck, Settlement, appt};
use referral_model::DateWindow;

use super::booking::find_summary;
use super::referrals::{org_names, summary};
use super::{OrApi, referral_id};
use crate::error::ApiError;
use crate::find::{FindProgress, FindSummary};
use crate::referral::ReferralSummary;
use crate::resume::{
    FoundAppointment, RecheckFinding, RecheckReferralRequest, RecheckResult, ResumeReferralRequest,
    SettleOutcome, SettleReferralRequest,
};

/// `resume_referral`: `on_progress` receives each organisation's progress, as in `find_slots`.
pub async fn resume_referral(
    app: &App,
    req: ResumeReferralRequest,
    on_progress: impl Fn(FindProgress) + Send + Sync,
) -> Result<FindSummary, ApiError> {
    let id = referral_id(&req.referral_id)?;
    let window = req.window.map(|w| DateWindow {
        start: w.start,
        end: w.end,
    });
    let forward = |search_id: &str, p: &referral_core::FindProgress| {
        on_progress(super::booking::progress(search_id, p));
    };
    let found = app.resume_search(id, window, &forward).await.api()?;
    Ok(find_summary(req.referral_id, &found))
}

pub async fn recheck_referral(
    app: &App,
    req: RecheckReferralRequest,
) -> Result<RecheckResult, ApiError> {
    let check = app.recheck(referral_id(&req.referral_id)?).await.api()?;
    Ok(recheck_result(req.referral_id, &check))
}

pub async fn settle_referral(
    app: &App,
    req: SettleReferralRequest,
) -> Result<ReferralSummary, ApiError> {
    let settlement = match req.outcome {
        SettleOutcome::BookedAsFound => Settlement::BookedAsFound,
        SettleOutcome::NotBooked => Settlement::NotBooked,
        SettleOutcome::Cancelled => Settlement::Cancelled,
    };
    let r = app
        .settle(referral_id(&req.referral_id)?, settlement, &req.note)
        .await
        .api()?;
    Ok(summary(&r, &org_names(app).await?))
}

fn recheck_result(referral_id: String, c: &Recheck) -> RecheckResult {
    let (finding, suggested) = match c.finding {
        Finding::Booked => (RecheckFinding::Booked, Some(SettleOutcome::BookedAsFound)),
        Finding::Held => (RecheckFinding::Held, Some(SettleOutcome::NotBooked)),
        Finding::NotBooked => (RecheckFinding::NotBooked, Some(SettleOutcome::NotBooked)),
        Finding::Cancelled => (RecheckFinding::Cancelled, Some(SettleOutcome::NotBooked)),
        Finding::Unknown => (RecheckFinding::Unknown, None),
    };
    RecheckResult {
        referral_id,
        finding,
        appointment: c.appointment.as_ref().map(|a| FoundAppointment {
            appointment_id: a.id.clone().unwrap_or_default(),
            status: a.status.clone(),
            start: appt::start_of(a),
            end: appt::end_of(a),
            practitioner: appt::actor_display(a, "Practitioner"),
            location: appt::actor_display(a, "Location"),
        }),
        message: sentence(&c.message),
        suggested,
    }
}

/// The core's clause as a sentence: capitalised, with a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}
