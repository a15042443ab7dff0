//! One referral against its appointment as the organisation has it now, and the step that
//! brings the desk in step (always through the store, with an event in the same transaction).

use fhir_model::{Appointment, appointment_status as status};
use referral_store::{
    EventKind, EventOutcome, NewEvent, Referral, ReferralId, ReferralStatus, Transition,
};
use serde_json::json;

use crate::app::App;
use crate::appt;
use crate::error::CoreResult;

/// Why a sync changed a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The organisation cancelled the appointment.
    CancelledByOrganisation,
    /// The organisation moved the appointment to another time.
    Moved,
    /// The hold ran out (or the organisation let it go) before it was booked.
    HoldExpired,
}

/// A referral a sync changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The referral after the change.
    pub referral: Referral,
    /// What happened.
    pub kind: ChangeKind,
    /// The organisation's name, for the message a clinician reads.
    pub organisation_name: String,
}

impl App {
    /// Compares `r` with `remote` (its appointment as the organisation listed it; `None` when
    /// the search did not return it) and applies the step that follows, if any.
    pub(crate) async fn compare(
        &self,
        r: &Referral,
        remote: Option<&Appointment>,
        org_name: &str,
    ) -> CoreResult<Option<Change>> {
        let kind = match (r.status, remote) {
            (ReferralStatus::Held, Some(a)) if a.status == status::PENDING => return Ok(None),
            (ReferralStatus::Held, _) => {
                let expired = r.hold_expires_at.is_some_and(|t| t <= self.now());
                if !expired && remote.is_none() {
                    // Not listed yet not expired: no evidence either way; look again next time.
                    return Ok(None);
                }
                ChangeKind::HoldExpired
            }
            (_, Some(a)) if a.status == status::CANCELLED => ChangeKind::CancelledByOrganisation,
            (_, Some(a)) if appt::start_of(a).is_some() && appt::start_of(a) != r.booked_start => {
                ChangeKind::Moved
            }
            _ => return Ok(None),
        };
        let referral = match kind {
            ChangeKind::HoldExpired => self.hold_ran_out(r).await?,
            ChangeKind::CancelledByOrganisation => self.cancelled_there(r, org_name).await?,
            ChangeKind::Moved => match remote {
                Some(a) => self.moved_there(r, a, org_name).await?,
                None => return Ok(None),
            },
        };
        Ok(Some(Change {
            referral,
            kind,
            organisation_name: org_name.to_owned(),
        }))
    }

    async fn hold_ran_out(&self, r: &Referral) -> CoreResult<Referral> {
        let updated = self
            .change_status(
                r,
                Transition::to(ReferralStatus::Searching, Some("the hold ran out")),
            )
            .await?;
        self.note_session_hold(r.id, false);
        Ok(updated)
    }

    pub(crate) async fn cancelled_there(
        &self,
        r: &Referral,
        org_name: &str,
    ) -> CoreResult<Referral> {
        let note = format!("cancelled by {org_name}");
        let step = Transition::to(ReferralStatus::CancelledByOrganisation, Some(&note));
        self.change_status(r, step).await
    }

    async fn moved_there(
        &self,
        r: &Referral,
        a: &Appointment,
        org_name: &str,
    ) -> CoreResult<Referral> {
        let (Some(start), end) = (appt::start_of(a), appt::end_of(a)) else {
            return Ok(r.clone());
        };
        let event = moved_event(r, org_name, start, end);
        let (id, v): (ReferralId, i64) = (r.id, r.version);
        self.db(move |s| s.move_appointment(id, v, start, end, &event))
            .await
    }
}

fn moved_event(
    r: &Referral,
    org_name: &str,
    start: chrono::DateTime<chrono::Utc>,
    end: Option<chrono::DateTime<chrono::Utc>>,
) -> NewEvent {
    NewEvent {
        referral_id: Some(r.id),
        kind: EventKind::Reconcile,
        organisation_id: Some(r.organisation_id.clone()),
        request: "sync with organisation".to_owned(),
        outcome: EventOutcome::Succeeded,
        detail: Some(json!({
            "note": format!("moved by {org_name}"),
            "from": r.booked_start,
            "to": start,
            "end": end,
        })),
    }
}
