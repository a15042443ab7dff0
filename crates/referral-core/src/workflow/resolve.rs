//! Settling a referral that needs attention, as a person decides with a note, after the
//! organisation is asked again (`recheck.rs`). The status changes only through
//! `Store::transition`, and the settle event (with the note and the person) is written in the
//! same transaction.

use fhir_model::Appointment;
use referral_store::{
    EventKind, EventOutcome, NewEvent, Operation, Referral, ReferralId, ReferralStatus,
    ResolutionKind, Transition,
};
use serde_json::json;

use crate::app::App;
use crate::appt;
use crate::error::{CoreError, CoreResult};
use crate::remote::{RemoteError, RemoteErrorKind};
use crate::workflow::recheck::{Finding, Recheck};

/// Longest settle note accepted (characters).
pub const MAX_NOTE: usize = 1000;

/// How a person settles a referral that needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// The booking the re-check found is the referral's appointment.
    BookedAsFound,
    /// Nothing is booked: the referral goes back to searching (a held time is released).
    NotBooked,
    /// The referral is closed as cancelled.
    Cancelled,
}

impl Settlement {
    fn label(self) -> &'static str {
        match self {
            Self::BookedAsFound => "booked as found",
            Self::NotBooked => "not booked",
            Self::Cancelled => "cancelled",
        }
    }
}

impl App {
    /// Settles a referral that needs attention as a person decided, with their note. The
    /// organisation is asked again first: a choice it contradicts is refused, and a held time
    /// is released when the referral is not booked. When the organisation cannot tell, the
    /// person's word stands and the unfinished actions stay open for recovery to check later.
    pub async fn settle(
        &self,
        id: ReferralId,
        settlement: Settlement,
        note: &str,
    ) -> CoreResult<Referral> {
        let settled = self.settle_steps(id, settlement, note).await;
        Box::pin(self.after_referral_step(id)).await;
        settled
    }

    async fn settle_steps(
        &self,
        id: ReferralId,
        settlement: Settlement,
        note: &str,
    ) -> CoreResult<Referral> {
        let note = note.trim();
        if note.is_empty() {
            return Err(CoreError::invalid(
                "note",
                "write what you found or were told (the note is required)",
            ));
        }
        if note.chars().count() > MAX_NOTE {
            return Err(CoreError::invalid(
                "note",
                format!("keep the note to {MAX_NOTE} characters"),
            ));
        }
        let referral = self.needing_attention(id).await?;
        let check = self.check_at_organisation(&referral).await?;
        let step = self.settle_step(&referral, settlement, &check).await?;
        let event = NewEvent {
            referral_id: Some(id),
            kind: EventKind::StatusChange,
            organisation_id: Some(referral.organisation_id.clone()),
            request: format!("settled: {}", settlement.label()),
            outcome: EventOutcome::Succeeded,
            detail: Some(json!({
                "from": referral.status,
                "to": step.target(),
                "note": note,
                "found": check.message,
            })),
        };
        let step = match step {
            Transition::Status { to, .. } => Transition::to(to, Some(note)),
            other => other,
        };
        let (rid, v) = (referral.id, referral.version);
        let updated = self
            .db(move |s| s.transition(rid, v, &step, &event))
            .await?;
        self.note_session_hold(id, false);
        if check.finding != Finding::Unknown {
            self.close_unfinished(id, settlement).await?;
        }
        Ok(updated)
    }

    /// The status step for `settlement`, given what the organisation says; releases a time
    /// still held there when the referral is not kept.
    async fn settle_step(
        &self,
        referral: &Referral,
        settlement: Settlement,
        check: &Recheck,
    ) -> CoreResult<Transition> {
        let (org, _) = self.remote(&referral.organisation_id).await?;
        let when = check
            .appointment
            .as_ref()
            .and_then(appt::start_of)
            .map(|t| format!(" for {}", t.format("%Y-%m-%d %H:%M UTC")))
            .unwrap_or_default();
        match (settlement, check.finding) {
            (Settlement::BookedAsFound, Finding::Booked) => {
                let a = check
                    .appointment
                    .as_ref()
                    .ok_or_else(|| CoreError::NotFound {
                        what: "the booked appointment".into(),
                    })?;
                // The comment the lost `$book` sent is what the organisation has.
                let comment = self
                    .unfinished_books(referral.id)
                    .await?
                    .first()
                    .and_then(|e| e.intent.request.get("comment")?.as_str().map(str::to_owned));
                let mut record = booking_record(a)?;
                record.comment = comment;
                Ok(Transition::Booking(record))
            }
            (Settlement::BookedAsFound, Finding::Unknown) => Err(CoreError::remote(
                &org.display_name,
                check
                    .error
                    .clone()
                    .unwrap_or_else(|| RemoteError::new(RemoteErrorKind::Timeout, "read back")),
            )),
            (Settlement::BookedAsFound, _) => Err(CoreError::Conflict {
                what: format!(
                    "{} has no booked appointment for this referral; settle it as not booked or cancelled",
                    org.display_name
                ),
            }),
            (_, Finding::Booked) => Err(CoreError::Conflict {
                what: format!(
                    "{} has the appointment booked{when}; settle it as booked as found, then cancel it with a reason if it is not wanted",
                    org.display_name
                ),
            }),
            (other, finding) => {
                if finding == Finding::Held
                    && let Some(a) = &check.appointment
                {
                    self.release_found_hold(referral, a).await?;
                }
                let to = if other == Settlement::Cancelled {
                    ReferralStatus::Cancelled
                } else {
                    ReferralStatus::Searching
                };
                Ok(Transition::to(to, None))
            }
        }
    }

    /// Closes the referral's unfinished journal entries: a person settled them after a re-check.
    async fn close_unfinished(&self, id: ReferralId, settlement: Settlement) -> CoreResult<()> {
        let entries = self.db(move |s| s.journal().for_referral(id)).await?;
        for entry in entries.into_iter().filter(|e| e.resolved.is_none()) {
            let detail = json!({ "settled_by": "person", "as": settlement.label() });
            self.resolve(entry.id, ResolutionKind::UnknownReconciled, detail)
                .await?;
        }
        Ok(())
    }

    /// Gives back a time still held at the organisation for a referral being settled
    /// (journaled like every release).
    async fn release_found_hold(&self, referral: &Referral, a: &Appointment) -> CoreResult<()> {
        let org_id = referral.organisation_id.clone();
        let (org, remote) = self.remote(&org_id).await?;
        let id = appt::id_of(a)?;
        let what = format!("release hold Appointment/{id}");
        let (jid, answer) = self
            .journaled(
                Some(referral.id),
                &org_id,
                Operation::ReleaseHold,
                json!({ "appointment_id": id }),
                || remote.cancel(id.clone(), None, a.version_id().map(str::to_owned)),
            )
            .await?;
        match answer {
            Ok(_) => {
                let detail = json!({ "released": true });
                self.event(
                    Some(referral.id),
                    EventKind::ReleaseHold,
                    Some(&org_id),
                    what,
                    EventOutcome::Succeeded,
                    detail.clone(),
                )
                .await?;
                self.resolve(jid, ResolutionKind::Succeeded, detail).await
            }
            Err(e) => {
                self.failure_event(Some(referral.id), EventKind::ReleaseHold, &org_id, what, &e)
                    .await?;
                self.resolve(jid, ResolutionKind::Failed, json!({ "error": e }))
                    .await?;
                Err(CoreError::remote(&org.display_name, e))
            }
        }
    }
}

fn booking_record(a: &Appointment) -> CoreResult<referral_store::BookingRecord> {
    Ok(referral_store::BookingRecord {
        appointment: referral_store::AppointmentRef {
            id: appt::id_of(a)?,
            version: a.version_id().map(str::to_owned),
        },
        start: appt::start_of(a).ok_or_else(|| CoreError::NotFound {
            what: "the booked appointment's start".into(),
        })?,
        end: appt::end_of(a),
        practitioner_display: appt::actor_display(a, "Practitioner"),
        location_display: appt::actor_display(a, "Location"),
        comment: None,
    })
}
