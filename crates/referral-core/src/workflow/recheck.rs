//! Re-checking at the organisation what is true for a referral that needs attention: the
//! booking its lost `$book` may have made (found by id or by the patient's bookings at the traced
//! time), else the referral's own appointment read back. Changes no status; the check is
//! recorded in the timeline.

use chrono::{DateTime, Utc};
use fhir_model::{Appointment, appointment_status as status};
use referral_store::{
    EventKind, EventOutcome, JournalEntry, Operation, Referral, ReferralId, ReferralStatus,
};
use serde_json::json;

use crate::app::App;
use crate::appt;
use crate::error::{CoreError, CoreResult};
use crate::remote::{Remote, RemoteError, RemoteErrorKind};

/// What the organisation says about a referral's appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// A booked appointment for the referral exists there.
    Booked,
    /// The referral's time is still held there (pending), not booked.
    Held,
    /// Nothing is booked for the referral.
    NotBooked,
    /// The referral's appointment is cancelled there.
    Cancelled,
    /// The organisation could not be asked or could not tell.
    Unknown,
}

/// The outcome of a re-check.
#[derive(Debug, Clone)]
pub struct Recheck {
    /// What was found.
    pub finding: Finding,
    /// The appointment found (booked, held or cancelled), as the organisation has it.
    pub appointment: Option<Appointment>,
    /// A sentence saying what was found.
    pub message: String,
    /// Why the organisation could not tell (finding `Unknown`).
    pub error: Option<RemoteError>,
}

impl App {
    /// Asks the organisation what is true for a referral that needs attention, and records the
    /// check in the timeline. Changes no status.
    pub async fn recheck(&self, id: ReferralId) -> CoreResult<Recheck> {
        let referral = self.needing_attention(id).await?;
        let check = self.check_at_organisation(&referral).await?;
        let outcome = if check.finding == Finding::Unknown {
            EventOutcome::Failed
        } else {
            EventOutcome::Succeeded
        };
        self.event(
            Some(id),
            EventKind::Reconcile,
            Some(&referral.organisation_id),
            "re-check at the organisation".to_owned(),
            outcome,
            json!({ "note": check.message, "appointment_id": check.appointment.as_ref().and_then(|a| a.id.clone()) }),
        )
        .await?;
        Ok(check)
    }

    /// The referral, when it needs attention; otherwise the refusal (`wrong_state`).
    pub(crate) async fn needing_attention(&self, id: ReferralId) -> CoreResult<Referral> {
        let referral = self.referral(id).await?;
        if referral.status != ReferralStatus::NeedsAttention {
            return Err(CoreError::Conflict {
                what: format!(
                    "the referral is {}, not waiting for attention; there is nothing to re-check or settle",
                    referral.status.as_str()
                ),
            });
        }
        Ok(referral)
    }

    /// Reads the organisation back for the referral: first the bookings its unfinished `$book`
    /// may have made, then the referral's own appointment.
    pub(crate) async fn check_at_organisation(&self, referral: &Referral) -> CoreResult<Recheck> {
        let (org, remote) = self.remote(&referral.organisation_id).await?;
        let name = org.display_name.clone();
        let unknown = |e: RemoteError| Recheck {
            finding: Finding::Unknown,
            appointment: None,
            message: format!(
                "{name} could not be asked right now; check with them by phone, or try again later"
            ),
            error: Some(e),
        };
        for entry in self.unfinished_books(referral.id).await? {
            match self
                .find_booking(remote.as_ref(), &entry.intent.request)
                .await
            {
                Ok(Some(a)) => return Ok(found(&name, Finding::Booked, a)),
                Ok(None) => {}
                Err(e) => return Ok(unknown(e)),
            }
        }
        let Some(current) = &referral.appointment else {
            return Ok(nothing(&name));
        };
        match read(remote.as_ref(), &current.id).await {
            Ok(Some(a)) => Ok(match a.status.as_str() {
                status::BOOKED | status::ARRIVED | status::FULFILLED => {
                    found(&name, Finding::Booked, a)
                }
                status::PENDING => found(&name, Finding::Held, a),
                status::CANCELLED => found(&name, Finding::Cancelled, a),
                _ => nothing(&name),
            }),
            Ok(None) => Ok(nothing(&name)),
            Err(e) => Ok(unknown(e)),
        }
    }

    /// The referral's `$book` journal entries whose answer was never settled.
    pub(crate) async fn unfinished_books(&self, id: ReferralId) -> CoreResult<Vec<JournalEntry>> {
        let entries = self.db(move |s| s.journal().for_referral(id)).await?;
        Ok(entries
            .into_iter()
            .rev()
            .filter(|e| {
                e.resolved.is_none()
                    && matches!(
                        e.intent.operation,
                        Operation::Book | Operation::RescheduleBook
                    )
            })
            .collect())
    }
}

/// An appointment read by id; `Ok(None)` when the organisation has no such appointment.
async fn read(remote: &dyn Remote, id: &str) -> Result<Option<Appointment>, RemoteError> {
    match remote.read_appointment(id.to_owned()).await {
        Ok(a) => Ok(Some(a)),
        Err(e) if e.kind == RemoteErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn found(org: &str, finding: Finding, a: Appointment) -> Recheck {
    let when = appt::start_of(&a).map(describe_time).unwrap_or_default();
    let id = a.id.clone().unwrap_or_default();
    let message = match finding {
        Finding::Booked => format!("{org} has appointment {id}{when} booked for this referral"),
        Finding::Held => {
            format!("{org} still holds appointment {id}{when} for this referral; it is not booked")
        }
        _ => format!("{org} has appointment {id}{when} cancelled; nothing is booked"),
    };
    Recheck {
        finding,
        appointment: Some(a),
        message,
        error: None,
    }
}

fn nothing(org: &str) -> Recheck {
    Recheck {
        finding: Finding::NotBooked,
        appointment: None,
        message: format!("{org} has nothing booked for this referral"),
        error: None,
    }
}

fn describe_time(t: DateTime<Utc>) -> String {
    format!(" ({})", t.format("%Y-%m-%d %H:%M UTC"))
}
