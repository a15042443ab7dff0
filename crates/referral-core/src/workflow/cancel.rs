//! Cancelling a referral: PATCH its appointment to `cancelled` with an IG status-reason code
//! (journaled, read back), or release its hold, or simply close a referral with nothing remote.

use fhir_model::appointment_status as status;
use fhir_model::terminology::CANCEL_REASONS;
use referral_store::{
    EventKind, EventOutcome, Operation, Referral, ReferralId, ReferralStatus, ResolutionKind,
};
use serde_json::json;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::journaled::failed_detail;
use referral_store::Transition;

impl App {
    /// Cancels the referral with `reason_code` (a code of `CANCEL_REASONS`) and an optional note.
    pub async fn cancel(
        &self,
        referral_id: ReferralId,
        reason_code: &str,
        note: Option<&str>,
    ) -> CoreResult<Referral> {
        let cancelled = self.cancel_steps(referral_id, reason_code, note).await;
        Box::pin(self.after_referral_step(referral_id)).await;
        cancelled
    }

    async fn cancel_steps(
        &self,
        referral_id: ReferralId,
        reason_code: &str,
        note: Option<&str>,
    ) -> CoreResult<Referral> {
        let reason = CANCEL_REASONS.find(reason_code.trim()).ok_or_else(|| {
            CoreError::invalid(
                "reason",
                "use a cancel reason code such as patient-cancel, staff-cancel or scheduling-error",
            )
        })?;
        let referral = self.referral(referral_id).await?;
        let note = match note {
            Some(n) if !n.trim().is_empty() => format!("{}: {}", reason.display, n.trim()),
            _ => reason.display.to_owned(),
        };
        match referral.status {
            ReferralStatus::Cancelled | ReferralStatus::CancelledByOrganisation => {
                Err(CoreError::Conflict {
                    what: "the referral is already cancelled".into(),
                })
            }
            ReferralStatus::Held => {
                self.release_hold(referral_id).await?;
                self.close(referral_id, &note).await
            }
            ReferralStatus::Booked
            | ReferralStatus::Rescheduled
            | ReferralStatus::NeedsAttention
                if referral.appointment.is_some() =>
            {
                self.cancel_remote(&referral, reason.code).await?;
                self.close(referral_id, &note).await
            }
            _ => self.close(referral_id, &note).await,
        }
    }

    async fn close(&self, referral_id: ReferralId, note: &str) -> CoreResult<Referral> {
        let current = self.referral(referral_id).await?;
        let updated = self
            .change_status(
                &current,
                Transition::to(ReferralStatus::Cancelled, Some(note)),
            )
            .await?;
        self.event(
            Some(referral_id),
            EventKind::StatusChange,
            None,
            "cancel referral".into(),
            EventOutcome::Succeeded,
            json!({ "note": note }),
        )
        .await?;
        Ok(updated)
    }

    /// PATCH the referral's appointment to cancelled and read it back.
    pub(crate) async fn cancel_remote(&self, referral: &Referral, reason: &str) -> CoreResult<()> {
        let Some(a) = referral.appointment.clone() else {
            return Ok(());
        };
        self.cancel_appointment(
            referral,
            &a.id,
            a.version.clone(),
            Some(reason),
            Operation::Cancel,
        )
        .await
    }

    /// PATCH `appointment_id` to cancelled (journaled as `operation`), then read it back.
    pub(crate) async fn cancel_appointment(
        &self,
        referral: &Referral,
        appointment_id: &str,
        version: Option<String>,
        reason: Option<&str>,
        operation: Operation,
    ) -> CoreResult<()> {
        let org_id = referral.organisation_id.clone();
        let (org, remote) = self.remote(&org_id).await?;
        let request = json!({ "appointment_id": appointment_id, "reason": reason });
        let what = format!("PATCH Appointment/{appointment_id} status=cancelled");
        let (jid, answer) = self
            .journaled(Some(referral.id), &org_id, operation, request, || {
                remote.cancel(
                    appointment_id.to_owned(),
                    reason.map(str::to_owned),
                    version,
                )
            })
            .await?;
        if let Err(e) = &answer
            && !e.outcome_unknown()
        {
            self.failure_event(Some(referral.id), EventKind::Cancel, &org_id, what, e)
                .await?;
            self.resolve(jid, ResolutionKind::Failed, failed_detail(e))
                .await?;
            return Err(CoreError::remote(&org.display_name, e.clone()));
        }
        let verified = Verify {
            jid,
            org_id: &org_id,
            org_name: &org.display_name,
            what,
            sent: answer.is_ok(),
        };
        self.verify_cancelled(
            referral,
            remote.as_ref(),
            appointment_id,
            verified,
            answer.err(),
        )
        .await
    }

    /// Reads the appointment back after a PATCH: cancelled → done; anything else → the
    /// organisation still has it (conflict); unreadable → the PATCH's own error.
    async fn verify_cancelled(
        &self,
        referral: &Referral,
        remote: &dyn crate::remote::Remote,
        appointment_id: &str,
        v: Verify<'_>,
        sent_error: Option<crate::remote::RemoteError>,
    ) -> CoreResult<()> {
        let read = remote.read_appointment(appointment_id.to_owned()).await;
        match read {
            Ok(a) if a.status == status::CANCELLED => {
                let kind = if v.sent {
                    ResolutionKind::Succeeded
                } else {
                    ResolutionKind::UnknownReconciled
                };
                self.event(
                    Some(referral.id),
                    EventKind::Cancel,
                    Some(v.org_id),
                    v.what,
                    EventOutcome::Succeeded,
                    json!({ "verified": true }),
                )
                .await?;
                self.resolve(v.jid, kind, json!({ "cancelled": true }))
                    .await
            }
            Ok(a) => {
                self.event(
                    Some(referral.id),
                    EventKind::Cancel,
                    Some(v.org_id),
                    v.what,
                    EventOutcome::Failed,
                    json!({ "reads_back_as": a.status }),
                )
                .await?;
                let detail = json!({ "cancelled": false, "status": a.status });
                self.resolve(v.jid, ResolutionKind::UnknownReconciled, detail)
                    .await?;
                Err(CoreError::Conflict {
                    what: format!("{} still shows the appointment as {}", v.org_name, a.status),
                })
            }
            Err(read_error) => Err(CoreError::remote(
                v.org_name,
                sent_error.unwrap_or(read_error),
            )),
        }
    }
}

/// What `verify_cancelled` needs to record its outcome.
struct Verify<'a> {
    jid: referral_store::JournalId,
    org_id: &'a referral_store::OrganisationId,
    org_name: &'a str,
    what: String,
    sent: bool,
}
