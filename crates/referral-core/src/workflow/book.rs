//! `$book` for a referral (patient-id, comment), read back to verify, recorded. Journaled; never
//! retried blindly: a lost answer is settled by reading the appointment back.

use fhir_model::{Appointment, BookParams, appointment_status as status};
use referral_store::{
    AppointmentRef, BookingRecord, EventKind, EventOutcome, JournalId, Operation, Referral,
    ReferralId, ReferralStatus, ResolutionKind,
};
use serde_json::json;

use referral_store::Transition;

use crate::app::App;
use crate::appt;
use crate::coverage::CoverageChoice;
use crate::error::{CoreError, CoreResult};
use crate::journaled::failed_detail;
use crate::journaled::status_event;
use crate::remote::{RemoteError, RemoteErrorKind};

/// What to book.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookInput {
    /// Book this proposal directly (no hold); `None` = the slot held for the referral.
    pub option_id: Option<String>,
    /// The patient's id at the organisation, when the caller knows it.
    pub patient_id: Option<String>,
    /// Comment for the receiving organisation.
    pub comment: Option<String>,
    /// What to do about the coverage when the patient is registered there (or was, and the
    /// organisation refused the coverage).
    pub coverage: CoverageChoice,
}

impl App {
    /// Books the referral's held slot (or `input.option_id` directly), registering the patient
    /// first when they are new to the organisation.
    pub async fn book(&self, referral_id: ReferralId, input: BookInput) -> CoreResult<Referral> {
        Box::pin(self.before_booking(referral_id, input.option_id.clone())).await;
        let booked = self.book_steps(referral_id, input).await;
        Box::pin(self.after_referral_step(referral_id)).await;
        booked
    }

    async fn book_steps(&self, referral_id: ReferralId, input: BookInput) -> CoreResult<Referral> {
        let mut referral = self.referral(referral_id).await?;
        // Composed before anything is sent or changed, so an over-long comment costs nothing.
        let comment = crate::desk::compose_comment(&referral, input.comment.as_deref())?;
        let trace;
        let appointment_id = match &input.option_id {
            Some(option) => {
                trace = self.option_trace(referral_id, option).await;
                let (org_id, proposal) = appt::parse_option(option)?;
                if referral.status == ReferralStatus::Held {
                    self.release_hold(referral_id).await?;
                    referral = self.referral(referral_id).await?;
                }
                referral = self.prepare_target(referral, &org_id).await?;
                proposal
            }
            None => {
                let held = referral
                    .appointment
                    .clone()
                    .filter(|_| referral.status == ReferralStatus::Held);
                let held = held.ok_or_else(|| CoreError::Conflict {
                    what:
                        "nothing is held for this referral; hold a time or give an option to book"
                            .into(),
                })?;
                self.check_hold_alive(&referral, &held.id).await?;
                trace = self.held_trace(referral_id).await;
                held.id
            }
        };
        if let Some(pid) = input
            .patient_id
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            && referral.patient.target_patient_id.as_deref() != Some(pid)
        {
            let (id, v, pid) = (referral.id, referral.version, pid.to_owned());
            referral = self
                .db(move |s| s.set_target_patient_id(id, v, &pid))
                .await?;
        }
        let (referral, patient_id) = self.ensure_patient(&referral, &input.coverage).await?;
        // Boxed so the booking future stays small (the ReferralRequest step is a journaled call).
        let appt_resource = Box::pin(self.content_for_book(&referral, &patient_id)).await?;
        let params = BookParams {
            appt_id: Some(format!("Appointment/{appointment_id}")),
            appt_resource,
            patient_id: vec![format!("Patient/{patient_id}")],
            comment: Some(comment),
            ..BookParams::default()
        };
        self.book_params(&referral, &appointment_id, params, trace, Operation::Book)
            .await
    }

    /// Sends `$book` with `params`, journaled as `operation`, and records the verified booking.
    pub(crate) async fn book_params(
        &self,
        referral: &Referral,
        appointment_id: &str,
        params: BookParams,
        trace: Option<crate::workflow::find::OptionTrace>,
        operation: Operation,
    ) -> CoreResult<Referral> {
        let org_id = referral.organisation_id.clone();
        let (org, remote) = self.remote(&org_id).await?;
        let request = json!({
            "appointment_id": appointment_id,
            "patient_id": params.patient_id,
            "cancelled_appointment_id": params.cancelled_appt_id,
            "comment": params.comment,
            "trace": trace,
        });
        let what = format!("$book Appointment/{appointment_id}");
        let comment = params.comment.clone();
        let (jid, answer) = self
            .journaled(Some(referral.id), &org_id, operation, request, || {
                remote.book(params)
            })
            .await?;
        match answer {
            Ok(booked) => {
                let verified = self.read_back(referral, &booked).await?;
                let updated = self
                    .record_booked(referral, &verified, comment, operation)
                    .await?;
                let detail = json!({ "appointment_id": verified.id });
                self.event(
                    Some(referral.id),
                    EventKind::Book,
                    Some(&org_id),
                    what,
                    EventOutcome::Succeeded,
                    detail.clone(),
                )
                .await?;
                self.resolve(jid, ResolutionKind::Succeeded, detail).await?;
                Ok(updated)
            }
            Err(e) => {
                self.failure_event(Some(referral.id), EventKind::Book, &org_id, what, &e)
                    .await?;
                if e.outcome_unknown() {
                    let request = self
                        .db(move |s| s.journal().entry(jid))
                        .await?
                        .intent
                        .request;
                    return self
                        .settle_lost_book(jid, referral, &request, comment, operation, e)
                        .await;
                }
                self.resolve(jid, ResolutionKind::Failed, failed_detail(&e))
                    .await?;
                if operation == Operation::Book {
                    self.after_refused_book(referral, &e).await?;
                }
                Err(CoreError::remote(&org.display_name, e))
            }
        }
    }

    /// Reads the booked appointment back; a booking that does not read back as booked is not
    /// trusted.
    async fn read_back(
        &self,
        referral: &Referral,
        booked: &Appointment,
    ) -> CoreResult<Appointment> {
        let org_id = referral.organisation_id.clone();
        let (org, remote) = self.remote(&org_id).await?;
        let id = appt::id_of(booked)?;
        let read = remote.read_appointment(id.clone()).await;
        let ok = matches!(&read, Ok(a) if a.status == status::BOOKED);
        let outcome = if ok {
            EventOutcome::Succeeded
        } else {
            EventOutcome::Failed
        };
        self.event(
            Some(referral.id),
            EventKind::ReadBack,
            Some(&org_id),
            format!("GET Appointment/{id}"),
            outcome,
            json!({ "status": read.as_ref().ok().map(|a| a.status.clone()) }),
        )
        .await?;
        match read {
            Ok(a) if a.status == status::BOOKED => Ok(a),
            // The booking answered "booked" but cannot be read now: trust the answer we have,
            // recovery's reconciliation re-reads it later.
            Err(e) if e.is_unreachable() => Ok(booked.clone()),
            Ok(a) => Err(CoreError::remote(&org.display_name, {
                tracing::warn!(appointment = %id, status = %a.status, "a booked appointment reads back otherwise");
                RemoteError::new(
                    RemoteErrorKind::SlotTaken,
                    format!("read back Appointment/{id}"),
                )
            })),
            Err(e) => Err(CoreError::remote(&org.display_name, e)),
        }
    }

    pub(crate) async fn record_booked(
        &self,
        referral: &Referral,
        a: &Appointment,
        comment: Option<String>,
        operation: Operation,
    ) -> CoreResult<Referral> {
        let record = BookingRecord {
            appointment: AppointmentRef {
                id: appt::id_of(a)?,
                version: a.version_id().map(str::to_owned),
            },
            start: appt::start_of(a).ok_or_else(|| CoreError::NotFound {
                what: "the booked appointment's start".into(),
            })?,
            end: appt::end_of(a),
            practitioner_display: appt::actor_display(a, "Practitioner"),
            location_display: appt::actor_display(a, "Location"),
            comment,
        };
        let id = referral.id;
        let updated = self
            .db(move |s| {
                let current = s.referral(id)?;
                if (current.status == ReferralStatus::Booked
                    || current.status == ReferralStatus::Rescheduled)
                    && current.appointment.as_ref().map(|x| &x.id) == Some(&record.appointment.id)
                {
                    return Ok(current);
                }
                let step = if operation == Operation::RescheduleBook {
                    Transition::Reschedule(record)
                } else {
                    Transition::Booking(record)
                };
                let event = status_event(&current, &step);
                s.transition(id, current.version, &step, &event)
            })
            .await?;
        self.note_session_hold(referral.id, false);
        Ok(updated)
    }

    async fn check_hold_alive(&self, referral: &Referral, appointment_id: &str) -> CoreResult<()> {
        let expired_locally = referral.hold_expires_at.is_some_and(|t| t <= self.now());
        if !expired_locally {
            return Ok(());
        }
        let (org, remote) = self.remote(&referral.organisation_id).await?;
        let still_held = matches!(remote.read_appointment(appointment_id.to_owned()).await, Ok(a) if a.status == status::PENDING);
        if still_held {
            return Ok(());
        }
        self.change_status(
            referral,
            Transition::to(ReferralStatus::Searching, Some("the hold ran out")),
        )
        .await?;
        self.note_session_hold(referral.id, false);
        self.event(
            Some(referral.id),
            EventKind::Hold,
            Some(&referral.organisation_id),
            format!("hold Appointment/{appointment_id}"),
            EventOutcome::Failed,
            json!({ "expired": true }),
        )
        .await?;
        Err(CoreError::remote(
            &org.display_name,
            RemoteError::new(RemoteErrorKind::HoldExpired, "$book"),
        ))
    }

    async fn after_refused_book(&self, referral: &Referral, e: &RemoteError) -> CoreResult<()> {
        let current = self.referral(referral.id).await?;
        let note = format!(
            "booking refused: {}",
            e.outcome.as_deref().unwrap_or("slot unavailable")
        );
        let to = if current.status == ReferralStatus::Held {
            ReferralStatus::Failed
        } else {
            current.status
        };
        if to != current.status {
            self.change_status(&current, Transition::to(to, Some(&note)))
                .await?;
            self.note_session_hold(referral.id, false);
        }
        Ok(())
    }

    /// `$book` answer lost: read back (by id, then the patient's bookings at that time).
    /// Booked → record it; nothing → not booked; cannot tell → needs attention.
    async fn settle_lost_book(
        &self,
        jid: JournalId,
        referral: &Referral,
        request: &serde_json::Value,
        comment: Option<String>,
        operation: Operation,
        error: RemoteError,
    ) -> CoreResult<Referral> {
        let (org, remote) = self.remote(&referral.organisation_id).await?;
        match self.find_booking(remote.as_ref(), request).await {
            Ok(Some(a)) => {
                let updated = self.record_booked(referral, &a, comment, operation).await?;
                let detail = json!({ "booked": true, "appointment_id": a.id });
                self.resolve(jid, ResolutionKind::UnknownReconciled, detail)
                    .await?;
                Ok(updated)
            }
            Ok(None) => {
                let detail = json!({ "booked": false });
                self.resolve(jid, ResolutionKind::UnknownReconciled, detail)
                    .await?;
                Err(CoreError::remote(&org.display_name, error))
            }
            Err(_) => {
                let what = format!(
                    "the booking at {} may or may not have happened; Referral Desk will check again on its next start",
                    org.display_name
                );
                self.flag(referral.id, &what).await?;
                Err(CoreError::NeedsAttention {
                    referral: referral.id,
                    what,
                })
            }
        }
    }
}
