//! `refdesk hold | release | book | cancel | reschedule`.

use referral_api::ApiErrorCode;
use referral_api::booking::{
    BookSlotRequest, CancelReferralRequest, HoldSlotRequest, ReleaseHoldRequest,
    RescheduleReferralRequest, RescheduleState,
};
use referral_api::handlers;
use referral_core::App;

use crate::cli::{BookArgs, CancelArgs, HoldArgs, ReferralArg, RescheduleArgs};
use crate::out::{Done, Out, opt};

pub async fn hold(app: &App, a: HoldArgs, out: &Out) -> Done {
    let req = HoldSlotRequest {
        referral_id: a.referral,
        option_id: a.option,
    };
    let h = handlers::hold_slot(app, req).await?;
    out.emit(&h, |h| {
        format!(
            "held {} at {} until {} (appointment {})",
            h.option.start.format("%Y-%m-%d %H:%M UTC"),
            h.option.organisation_name,
            h.expires_at.format("%H:%M:%S UTC"),
            h.appointment_id
        )
    })?;
    Ok(0)
}

pub async fn release(app: &App, a: ReferralArg, out: &Out) -> Done {
    let req = ReleaseHoldRequest {
        referral_id: a.referral,
    };
    let r = handlers::release_hold(app, req).await?;
    out.emit(&r, |r| {
        if r.released {
            "hold released".to_owned()
        } else {
            "there was no hold to release".to_owned()
        }
    })?;
    Ok(0)
}

pub async fn book(app: &App, a: BookArgs, out: &Out) -> Done {
    let req = BookSlotRequest {
        referral_id: a.referral,
        option_id: a.option,
        comment: a.comment,
        patient_id: a.patient_id,
        coverage: crate::cmd::patient::coverage_input(&a.coverage)?,
        without_coverage: a.without_coverage.then_some(true),
    };
    let b = handlers::book_slot(app, req).await?;
    out.emit(&b, |b| {
        format!(
            "booked: {} at {} (appointment {}) for {}{}",
            b.start.format("%Y-%m-%d %H:%M UTC"),
            b.organisation_name,
            b.appointment_id,
            b.patient_name,
            b.practitioner
                .as_ref()
                .map(|p| format!(" with {p}"))
                .unwrap_or_default()
        )
    })?;
    Ok(0)
}

pub async fn cancel(app: &App, a: CancelArgs, out: &Out) -> Done {
    let req = CancelReferralRequest {
        referral_id: a.referral,
        reason_code: a.reason.clone(),
        note: a.note,
    };
    let r = handlers::cancel_referral(app, req).await?;
    out.emit(&r, |r| {
        format!(
            "referral {} cancelled ({}) at {}",
            r.id,
            a.reason,
            opt(r.organisation_name.as_ref())
        )
    })?;
    Ok(0)
}

/// Exit 0 when the new appointment is booked; when the old one is kept because the new time was
/// refused, the exit code of a taken slot; when uncertain, the needs-attention code.
pub async fn reschedule(app: &App, a: RescheduleArgs, out: &Out) -> Done {
    let req = RescheduleReferralRequest {
        referral_id: a.referral,
        option_id: a.option,
        comment: a.comment,
    };
    let r = handlers::reschedule_referral(app, req).await?;
    out.emit(&r, |r| r.message.clone())?;
    Ok(match r.state {
        RescheduleState::NewBooked => 0,
        RescheduleState::OldStillBooked => ApiErrorCode::SlotTaken.exit_code(),
        RescheduleState::NeedsAttention => ApiErrorCode::NeedsAttention.exit_code(),
    })
}
