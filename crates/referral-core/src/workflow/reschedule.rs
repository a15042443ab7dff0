//! Reschedule as a journaled saga: `$hold` the new slot → cancel the old → verify → `$book` the
//! new with `cancelled-appt-id` → verify. A marker kept until the saga ends lets recovery finish
//! the story after a crash; every ending says exactly what is true.

use std::collections::BTreeMap;

use fhir_model::BookParams;
use referral_store::{
    EventKind, EventOutcome, Operation, Referral, ReferralId, ReferralStatus, ResolutionKind,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::app::App;
use crate::appt;
use crate::error::{CoreError, CoreResult};
use crate::journaled::failed_detail;
use referral_store::Transition;

const MARKERS_KEY: &str = "core.reschedules";
/// Status reason sent when the old appointment is cancelled by a reschedule.
pub const RESCHEDULE_REASON: &str = "patient-cancel";

/// What is true after a reschedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RescheduleState {
    /// The new appointment is booked and the old one cancelled.
    NewBooked,
    /// Nothing changed: the old appointment is still booked.
    OldStillBooked,
    /// The old appointment is cancelled and the new one could not be booked, or the outcome is
    /// uncertain; a person must act (see the message).
    NeedsAttention,
}

/// The ending of a reschedule.
#[derive(Debug, Clone)]
pub struct RescheduleOutcome {
    /// What is true.
    pub state: RescheduleState,
    /// The referral as it now stands.
    pub referral: Referral,
    /// A sentence saying what happened.
    pub message: String,
}

/// A saga in progress, kept until it ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Marker {
    pub old_id: String,
    pub old_version: Option<String>,
    pub proposal: String,
    /// The held new appointment's id, once held.
    pub new_id: Option<String>,
    pub comment: Option<String>,
    /// Start, end and practitioner of the proposal, to find the new hold after a crash.
    #[serde(default)]
    pub trace: Option<crate::workflow::find::OptionTrace>,
}

impl App {
    /// Moves a booked referral to the proposal `option_id` at the same organisation.
    pub async fn reschedule(
        &self,
        referral_id: ReferralId,
        option_id: &str,
        comment: Option<String>,
    ) -> CoreResult<RescheduleOutcome> {
        let moved = self.reschedule_steps(referral_id, option_id, comment).await;
        Box::pin(self.after_referral_step(referral_id)).await;
        moved
    }

    async fn reschedule_steps(
        &self,
        referral_id: ReferralId,
        option_id: &str,
        comment: Option<String>,
    ) -> CoreResult<RescheduleOutcome> {
        let (org_id, proposal) = appt::parse_option(option_id)?;
        let referral = self.referral(referral_id).await?;
        let old = match (&referral.status, &referral.appointment) {
            (ReferralStatus::Booked | ReferralStatus::Rescheduled, Some(a)) => a.clone(),
            _ => {
                return Err(CoreError::Conflict {
                    what: "only a booked referral can be rescheduled".into(),
                });
            }
        };
        if org_id != referral.organisation_id {
            return Err(CoreError::invalid(
                "option",
                "pick a time at the same organisation; to move to another organisation, cancel and make a new referral",
            ));
        }
        // The organisation gets the whole referral again with the new booking, in the same
        // layout as `$book` (refused before anything is sent when too long).
        let comment = Some(crate::desk::compose_comment(&referral, comment.as_deref())?);
        let trace = self.option_trace(referral_id, option_id).await;
        let mut marker = Marker {
            old_id: old.id.clone(),
            old_version: old.version.clone(),
            proposal: proposal.clone(),
            new_id: None,
            comment,
            trace,
        };
        self.set_marker(referral_id, Some(&marker)).await?;
        let (org, remote) = self.remote(&org_id).await?;
        let caps = remote
            .capabilities()
            .await
            .map_err(|e| CoreError::remote(&org.display_name, e))?;
        if caps.supports("hold") {
            if let Err(e) = self
                .reschedule_hold(referral_id, &org_id, remote.as_ref(), &mut marker)
                .await?
            {
                self.set_marker(referral_id, None).await?;
                let message = format!(
                    "The new time could not be held, so nothing changed: the old appointment is still booked. {}",
                    crate::describe::remote_sentence(&org.display_name, &e)
                );
                return self
                    .ending(referral_id, RescheduleState::OldStillBooked, message)
                    .await;
            }
        } else {
            marker.new_id = Some(proposal.clone());
            self.set_marker(referral_id, Some(&marker)).await?;
        }
        self.reschedule_cancel_old(referral, marker).await
    }

    /// Saga step 1: `$hold` the new time (journaled); the marker learns the held id.
    async fn reschedule_hold(
        &self,
        referral_id: ReferralId,
        org_id: &referral_store::OrganisationId,
        remote: &dyn crate::remote::Remote,
        marker: &mut Marker,
    ) -> CoreResult<Result<(), crate::remote::RemoteError>> {
        let proposal = marker.proposal.clone();
        let what = format!("reschedule: $hold Appointment/{proposal}");
        let request = json!({ "appointment_id": proposal, "trace": marker.trace });
        let (jid, answer) = self
            .journaled(
                Some(referral_id),
                org_id,
                Operation::RescheduleHold,
                request,
                || remote.hold(proposal.clone()),
            )
            .await?;
        let held = answer.and_then(|h| {
            h.appointment.id.clone().ok_or_else(|| {
                crate::remote::RemoteError::new(crate::remote::RemoteErrorKind::Server, "$hold")
            })
        });
        match held {
            Ok(new_id) => {
                marker.new_id = Some(new_id.clone());
                self.set_marker(referral_id, Some(marker)).await?;
                let detail = json!({ "appointment_id": new_id });
                self.event(
                    Some(referral_id),
                    EventKind::Reschedule,
                    Some(org_id),
                    what,
                    EventOutcome::Succeeded,
                    detail.clone(),
                )
                .await?;
                self.resolve(jid, ResolutionKind::Succeeded, detail).await?;
                Ok(Ok(()))
            }
            Err(e) => {
                self.failure_event(Some(referral_id), EventKind::Reschedule, org_id, what, &e)
                    .await?;
                self.resolve(jid, ResolutionKind::Failed, failed_detail(&e))
                    .await?;
                Ok(Err(e))
            }
        }
    }

    async fn reschedule_cancel_old(
        &self,
        referral: Referral,
        marker: Marker,
    ) -> CoreResult<RescheduleOutcome> {
        let cancelled = self
            .cancel_appointment(
                &referral,
                &marker.old_id,
                marker.old_version.clone(),
                Some(RESCHEDULE_REASON),
                Operation::RescheduleCancelOld,
            )
            .await;
        if let Err(e) = cancelled {
            self.release_new(&referral, &marker).await;
            self.set_marker(referral.id, None).await?;
            let message = format!(
                "The old appointment could not be cancelled, so it is still booked and the new time was released. ({})",
                crate::describe::error_sentence(&e)
            );
            return self
                .ending(referral.id, RescheduleState::OldStillBooked, message)
                .await;
        }
        let new_id = marker
            .new_id
            .clone()
            .unwrap_or_else(|| marker.proposal.clone());
        let patient = referral.patient.target_patient_id.clone();
        let params = BookParams {
            appt_id: Some(format!("Appointment/{new_id}")),
            cancelled_appt_id: Some(format!("Appointment/{}", marker.old_id)),
            patient_id: patient.iter().map(|p| format!("Patient/{p}")).collect(),
            comment: marker.comment.clone(),
            ..BookParams::default()
        };
        // Boxed: the booking's own future is large, and the saga's would carry it inline.
        let booked = Box::pin(self.book_params(
            &referral,
            &new_id,
            params,
            marker.trace.clone(),
            Operation::RescheduleBook,
        ));
        match booked.await {
            Ok(_) => {
                self.set_marker(referral.id, None).await?;
                self.ending(
                    referral.id,
                    RescheduleState::NewBooked,
                    "The new appointment is booked and the old one is cancelled.".into(),
                )
                .await
            }
            Err(e) => {
                self.release_new(&referral, &marker).await;
                let what = format!(
                    "the old appointment {} was cancelled but the new time could not be booked, so the patient has no appointment at the moment. Search again and book. ({})",
                    marker.old_id,
                    crate::describe::error_sentence(&e)
                );
                self.flag(referral.id, &what).await?;
                self.set_marker(referral.id, None).await?;
                self.ending(referral.id, RescheduleState::NeedsAttention, what)
                    .await
            }
        }
    }

    /// Releases the saga's new hold, if one was taken and is still pending.
    pub(crate) async fn release_new(&self, referral: &Referral, marker: &Marker) {
        let Some(new_id) = marker.new_id.as_ref() else {
            return;
        };
        let Ok((_, remote)) = self.remote(&referral.organisation_id).await else {
            return;
        };
        if let Ok(a) = remote.read_appointment(new_id.clone()).await
            && a.status == fhir_model::appointment_status::PENDING
        {
            let _ = self
                .cancel_appointment(referral, new_id, None, None, Operation::ReleaseHold)
                .await;
        }
    }

    /// Sets the referral to needs-attention with `what` (from any state that allows it).
    pub(crate) async fn flag(&self, id: ReferralId, what: &str) -> CoreResult<Referral> {
        let current = self.referral(id).await?;
        let updated = self
            .change_status(
                &current,
                Transition::to(ReferralStatus::NeedsAttention, Some(what)),
            )
            .await?;
        self.event(
            Some(id),
            EventKind::StatusChange,
            Some(&updated.organisation_id),
            "needs attention".into(),
            EventOutcome::Unknown,
            json!({ "note": what }),
        )
        .await?;
        Ok(updated)
    }

    async fn ending(
        &self,
        id: ReferralId,
        state: RescheduleState,
        message: String,
    ) -> CoreResult<RescheduleOutcome> {
        Ok(RescheduleOutcome {
            state,
            referral: self.referral(id).await?,
            message,
        })
    }

    pub(crate) async fn markers(&self) -> CoreResult<BTreeMap<String, Marker>> {
        let text = self.db(|s| s.setting(MARKERS_KEY)).await?;
        Ok(text
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default())
    }

    pub(crate) async fn set_marker(
        &self,
        id: ReferralId,
        marker: Option<&Marker>,
    ) -> CoreResult<()> {
        let mut all = self.markers().await?;
        match marker {
            Some(m) => all.insert(id.to_string(), m.clone()),
            None => all.remove(&id.to_string()),
        };
        let text = serde_json::to_string(&all).map_err(|e| CoreError::Task {
            reason: e.to_string(),
        })?;
        self.db(move |s| s.set_setting(MARKERS_KEY, &text)).await
    }
}
