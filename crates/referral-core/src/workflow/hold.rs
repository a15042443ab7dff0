//! `$hold` a proposal for a referral, and release a hold (PATCH to `cancelled`). Both journaled.

use chrono::{DateTime, Utc};
use referral_store::{
    AppointmentRef, EventKind, EventOutcome, HoldRecord, Operation, OrganisationId, Referral,
    ReferralId, ReferralStatus, ResolutionKind,
};
use serde_json::json;

use crate::app::App;
use crate::appt;
use crate::error::{CoreError, CoreResult};
use crate::journaled::failed_detail;
use crate::remote::{Held, RemoteError};
use crate::workflow::find::SlotOption;
use referral_store::Transition;

/// A hold placed for a referral.
#[derive(Debug, Clone)]
pub struct HoldOutcome {
    /// The referral, now `held`.
    pub referral: Referral,
    /// The held appointment as an option (its id may differ from the proposal's).
    pub option: SlotOption,
    /// When the hold runs out.
    pub expires_at: DateTime<Utc>,
}

impl App {
    /// Holds the proposal `option_id` for the referral. A hold the referral already has is
    /// released first. Organisations without `$hold` get [`CoreError::Unsupported`] (book directly).
    pub async fn hold(&self, referral_id: ReferralId, option_id: &str) -> CoreResult<HoldOutcome> {
        let (org_id, proposal) = appt::parse_option(option_id)?;
        let mut referral = self.referral(referral_id).await?;
        if referral.status == ReferralStatus::Held {
            self.release_hold(referral_id).await?;
            referral = self.referral(referral_id).await?;
        }
        referral = self.prepare_target(referral, &org_id).await?;
        let (org, remote) = self.remote(&org_id).await?;
        let caps = remote
            .capabilities()
            .await
            .map_err(|e| CoreError::remote(&org.display_name, e))?;
        if !caps.supports("hold") {
            return Err(CoreError::Unsupported {
                organisation: org.display_name,
                what: "holds ($hold); book the time directly instead",
            });
        }
        let trace = self.option_trace(referral_id, option_id).await;
        let request = json!({ "appointment_id": proposal, "trace": trace });
        let what = format!("$hold Appointment/{proposal}");
        let (jid, answer) = self
            .journaled(Some(referral_id), &org_id, Operation::Hold, request, || {
                remote.hold(proposal.clone())
            })
            .await?;
        match answer {
            Ok(held) => {
                let out = self
                    .record_hold(&referral, &org_id, &org.display_name, held)
                    .await?;
                let detail =
                    json!({ "appointment_id": out.referral.appointment.as_ref().map(|a| &a.id) });
                self.event(
                    Some(referral_id),
                    EventKind::Hold,
                    Some(&org_id),
                    what,
                    EventOutcome::Succeeded,
                    detail.clone(),
                )
                .await?;
                self.resolve(jid, ResolutionKind::Succeeded, detail).await?;
                Ok(out)
            }
            Err(e) => {
                self.failure_event(Some(referral_id), EventKind::Hold, &org_id, what, &e)
                    .await?;
                if e.outcome_unknown() {
                    return self
                        .reconcile_hold_now(jid, &referral, &org_id, &proposal, e)
                        .await;
                }
                self.resolve(jid, ResolutionKind::Failed, failed_detail(&e))
                    .await?;
                Err(CoreError::remote(&org.display_name, e))
            }
        }
    }

    /// Records a granted hold on the referral.
    async fn record_hold(
        &self,
        referral: &Referral,
        org_id: &OrganisationId,
        org_name: &str,
        held: Held,
    ) -> CoreResult<HoldOutcome> {
        let a = &held.appointment;
        let expires_at = held
            .expires
            .unwrap_or_else(|| self.now() + self.inner.default_hold);
        let record = HoldRecord {
            appointment: AppointmentRef {
                id: appt::id_of(a)?,
                version: a.version_id().map(str::to_owned),
            },
            expires_at,
        };
        let option = SlotOption::from_appointment(org_id, org_name, a).ok_or_else(|| {
            CoreError::NotFound {
                what: "the start time of the held appointment".to_owned(),
            }
        })?;
        let referral = self
            .change_status(referral, Transition::Hold(record))
            .await?;
        self.note_session_hold(referral.id, true);
        Ok(HoldOutcome {
            referral,
            option,
            expires_at,
        })
    }

    /// After a `$hold` whose answer was lost: read the proposal back and settle the intent.
    async fn reconcile_hold_now(
        &self,
        jid: referral_store::JournalId,
        referral: &Referral,
        org_id: &OrganisationId,
        proposal: &str,
        error: RemoteError,
    ) -> CoreResult<HoldOutcome> {
        let (org, remote) = self.remote(org_id).await?;
        match remote.read_appointment(proposal.to_owned()).await {
            Ok(a) if a.status == fhir_model::appointment_status::PENDING => {
                let held = Held {
                    appointment: a,
                    expires: None,
                };
                let out = self
                    .record_hold(referral, org_id, &org.display_name, held)
                    .await?;
                self.resolve(
                    jid,
                    ResolutionKind::UnknownReconciled,
                    json!({ "held": true }),
                )
                .await?;
                Ok(out)
            }
            Ok(_) => {
                self.resolve(
                    jid,
                    ResolutionKind::UnknownReconciled,
                    json!({ "held": false }),
                )
                .await?;
                Err(CoreError::remote(&org.display_name, error))
            }
            Err(_) => Err(CoreError::remote(&org.display_name, error)),
        }
    }

    /// Makes the referral target `org_id` (before anything is held there) and `searching`.
    pub(crate) async fn prepare_target(
        &self,
        mut referral: Referral,
        org_id: &OrganisationId,
    ) -> CoreResult<Referral> {
        if !matches!(
            referral.status,
            ReferralStatus::Draft | ReferralStatus::Searching | ReferralStatus::Failed
        ) {
            return Err(CoreError::Conflict {
                what: format!(
                    "the referral is {}; it cannot take a new slot",
                    referral.status.as_str()
                ),
            });
        }
        if referral.status != ReferralStatus::Searching {
            referral = self
                .change_status(&referral, Transition::to(ReferralStatus::Searching, None))
                .await?;
        }
        if &referral.organisation_id != org_id {
            let plan = self.plan(&referral).await?;
            let link = plan.patient_links.get(org_id.as_str()).cloned();
            let (id, v, org) = (referral.id, referral.version, org_id.clone());
            referral = self
                .db(move |s| s.retarget_referral(id, v, &org, link.as_deref()))
                .await?;
        }
        Ok(referral)
    }

    /// Gives a held slot back. `Ok(false)` when there was no hold any more.
    pub async fn release_hold(&self, referral_id: ReferralId) -> CoreResult<bool> {
        let referral = self.referral(referral_id).await?;
        let Some(appointment) = referral
            .appointment
            .clone()
            .filter(|_| referral.status == ReferralStatus::Held)
        else {
            return Ok(false);
        };
        let org_id = referral.organisation_id.clone();
        let (org, remote) = self.remote(&org_id).await?;
        let request = json!({ "appointment_id": appointment.id });
        let what = format!("release hold Appointment/{}", appointment.id);
        let (jid, answer) = self
            .journaled(
                Some(referral_id),
                &org_id,
                Operation::ReleaseHold,
                request,
                || remote.cancel(appointment.id.clone(), None, appointment.version.clone()),
            )
            .await?;
        let released = match &answer {
            Ok(_) => true,
            Err(e) if e.is_refusal() => false,
            Err(e) => {
                self.failure_event(Some(referral_id), EventKind::ReleaseHold, &org_id, what, e)
                    .await?;
                self.resolve(jid, ResolutionKind::Failed, failed_detail(e))
                    .await?;
                return Err(CoreError::remote(&org.display_name, e.clone()));
            }
        };
        self.change_status(
            &referral,
            Transition::to(ReferralStatus::Searching, Some("hold released")),
        )
        .await?;
        self.note_session_hold(referral_id, false);
        let outcome = if released {
            EventOutcome::Succeeded
        } else {
            EventOutcome::Refused
        };
        self.event(
            Some(referral_id),
            EventKind::ReleaseHold,
            Some(&org_id),
            what,
            outcome,
            json!({ "released": released }),
        )
        .await?;
        self.resolve(
            jid,
            ResolutionKind::Succeeded,
            json!({ "released": released }),
        )
        .await?;
        Ok(released)
    }
}
