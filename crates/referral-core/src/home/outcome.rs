//! The outcome of a referral started from an order, written back to the order's Task: booked
//! → `completed` with the Appointment as `output`; rescheduled → the new time; cancelled or
//! failed → `failed` with the reason; needs attention → `on-hold`. Recorded in the outbox
//! before it is sent; when the home cannot be reached the row waits for `sync_queue`.

use chrono::Local;
use fhir_model::{CodeableConcept, Reference, r4};
use referral_model::{Organisation, Referral, ReferralId, ReferralStatus};
use referral_store::OutboxOperation;
use sched_client::Interaction;

use super::outbox::{applied, merge};
use super::queue::home_failure;
use crate::app::App;
use crate::error::CoreResult;

/// What the Task should say after the referral's latest step.
struct Outcome {
    status: &'static str,
    business: String,
    reason: Option<String>,
    appointment: Option<String>,
}

impl App {
    /// Writes the referral's outcome back to its order's Task, when it was started from one.
    /// A Task another desk took over is not written (the order gets a problem instead).
    pub async fn write_back_outcome(&self, referral_id: ReferralId) -> CoreResult<()> {
        let Some(row) = self
            .db(move |s| s.queue_order_for_referral(referral_id))
            .await?
        else {
            return Ok(());
        };
        let referral = self.referral(referral_id).await?;
        let org_id = referral.organisation_id.clone();
        let org = self.db(move |s| s.organisation(&org_id)).await?;
        let (Some(outcome), Some(task_id)) = (outcome_of(&referral, &org), row.claim.task_id)
        else {
            return Ok(());
        };
        let (home, client) = self.home_client().await?;
        let order_id = row.order.order_id;
        let current = match client.read_task(&task_id).await {
            Ok(t) => t,
            Err(e) if e.is_claim_conflict() => {
                return Err(home_failure(
                    &home.display_name,
                    Interaction::UpdateClaim,
                    e,
                ));
            }
            Err(e) => {
                // Offline: the row waits in the outbox for the next sync, on the version known.
                let mut pending = r4::Task {
                    id: Some(task_id),
                    meta: row.claim.task_version.map(|v| fhir_model::Meta {
                        version_id: Some(v),
                        ..fhir_model::Meta::default()
                    }),
                    owner: Some(client.desk().owner()),
                    ..r4::Task::default()
                };
                apply(&mut pending, &outcome);
                self.outbox_begin(&order_id, OutboxOperation::Outcome, &pending)
                    .await?;
                return Err(home_failure(
                    &home.display_name,
                    Interaction::UpdateClaim,
                    e,
                ));
            }
        };
        if !client.desk().owns(&current) {
            let who = current.owner_display().unwrap_or("another desk").to_owned();
            // This desk booked, but its lease ran out first: the other desk may book again.
            let problem = if outcome.status == "completed" {
                format!(
                    "This order was taken over by {who} after this desk booked it; check that \
                     it is not booked twice."
                )
            } else {
                format!("This order was taken over by {who}.")
            };
            let claim = super::summary::claim_of(&current);
            self.db(move |s| {
                s.record_queue_claim(&order_id, &claim)?;
                if let Some(o) = s.queue_order(&order_id)? {
                    s.set_queue_state(&order_id, o.order.state, Some(&problem))?;
                }
                Ok(())
            })
            .await?;
            return Ok(());
        }
        let mut wanted = current.clone();
        apply(&mut wanted, &outcome);
        if applied(&current, &wanted) && current.status_reason == wanted.status_reason {
            return Ok(());
        }
        let wanted = merge(current, &wanted);
        self.send_task(
            &home.display_name,
            &client,
            &order_id,
            OutboxOperation::Outcome,
            wanted,
        )
        .await?;
        Ok(())
    }

    /// Called after book, cancel, reschedule and settle: writes the outcome back and never
    /// fails the step that called it (a write-back that did not go out waits in the outbox).
    pub(crate) async fn after_referral_step(&self, referral_id: ReferralId) {
        if let Err(e) = Box::pin(self.write_back_outcome(referral_id)).await {
            tracing::warn!(error = %e, "the outcome could not be written back to the home yet");
        }
    }
}

/// The Task's outcome for the referral's status; `None` while it is still being worked.
fn outcome_of(r: &Referral, org: &Organisation) -> Option<Outcome> {
    let at = |r: &Referral| {
        r.booked_start
            .map(|s| {
                s.with_timezone(&Local)
                    .format("%-d %b %Y %H:%M")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let appointment = r.appointment.as_ref().map(|a| {
        format!(
            "{}/Appointment/{}",
            org.fhir_base_url.trim_end_matches('/'),
            a.id
        )
    });
    let note = r.status_note.clone();
    Some(match r.status {
        ReferralStatus::Booked if r.previous_appointment_id.is_none() => Outcome {
            status: "completed",
            business: format!("booked {} at {}", at(r), org.display_name),
            reason: None,
            appointment,
        },
        ReferralStatus::Booked | ReferralStatus::Rescheduled => Outcome {
            status: "completed",
            business: format!("rescheduled to {} at {}", at(r), org.display_name),
            reason: None,
            appointment,
        },
        ReferralStatus::Cancelled | ReferralStatus::CancelledByOrganisation => Outcome {
            status: "failed",
            business: format!("cancelled at {}", org.display_name),
            reason: Some(note.unwrap_or_else(|| "cancelled".to_owned())),
            appointment,
        },
        ReferralStatus::Failed => Outcome {
            status: "failed",
            business: "not booked".to_owned(),
            reason: Some(note.unwrap_or_else(|| "the booking failed".to_owned())),
            appointment: None,
        },
        ReferralStatus::NeedsAttention => Outcome {
            status: "on-hold",
            business: "needs attention".to_owned(),
            reason: note,
            appointment: None,
        },
        ReferralStatus::Draft | ReferralStatus::Searching | ReferralStatus::Held => return None,
    })
}

fn apply(task: &mut r4::Task, o: &Outcome) {
    task.status = o.status.to_owned();
    task.business_status = Some(CodeableConcept::text(&o.business));
    task.status_reason = o.reason.as_deref().map(CodeableConcept::text);
    if let Some(reference) = &o.appointment {
        task.output = vec![r4::TaskOutput {
            type_: CodeableConcept::text("appointment"),
            value_reference: Some(Reference::to(reference)),
            extra: Default::default(),
        }];
    }
}

/// The `businessStatus` a desk puts on its claim just before `$book`: a desk that finds it on an
/// ended lease knows the booking may have gone through, and does not book the order again.
pub(crate) const BOOKING: &str = "booking at ";

impl App {
    /// Before `$book` of a referral started from an order: notes "booking at <organisation>" on
    /// the order's Task (renewing the lease), recorded in the outbox like any write. Best effort:
    /// the booking goes on when the home cannot be reached.
    pub(crate) async fn before_booking(&self, referral_id: ReferralId, option: Option<String>) {
        if let Err(e) = Box::pin(self.note_booking(referral_id, option)).await {
            tracing::warn!(error = %e, "the booking could not be noted at the home");
        }
    }

    async fn note_booking(
        &self,
        referral_id: ReferralId,
        option: Option<String>,
    ) -> CoreResult<()> {
        let Some(row) = self
            .db(move |s| s.queue_order_for_referral(referral_id))
            .await?
        else {
            return Ok(());
        };
        let Some(task_id) = row.claim.task_id else {
            return Ok(());
        };
        let org_id = match option.as_deref().map(crate::appt::parse_option) {
            Some(Ok((org, _))) => org,
            _ => self.referral(referral_id).await?.organisation_id,
        };
        let org = self.db(move |s| s.organisation(&org_id)).await?;
        let (home, client) = self.home_client().await?;
        let current = client
            .read_task(&task_id)
            .await
            .map_err(|e| home_failure(&home.display_name, Interaction::UpdateClaim, e))?;
        if !client.desk().owns(&current) || current.is_final() {
            return Ok(());
        }
        let lease = chrono::Duration::seconds(i64::from(self.lease_seconds().await?));
        let mut wanted = current.clone();
        wanted.set_lease_end(&fhir_model::datetime::format_instant(&(self.now() + lease)));
        wanted.business_status = Some(CodeableConcept {
            text: Some(format!("{BOOKING}{}", org.display_name)),
            ..CodeableConcept::default()
        });
        self.send_task(
            &home.display_name,
            &client,
            &row.order.order_id,
            OutboxOperation::Renew,
            wanted,
        )
        .await?;
        Ok(())
    }

    /// Writes back the outcome of every referral started from an order this desk still holds
    /// unfinished at home (a booking the journal settled after a crash, before its outcome was
    /// recorded anywhere).
    pub async fn catch_up_outcomes(&self) -> CoreResult<u32> {
        let desk = self.desk().await?;
        let rows = self.db(|s| s.queue_orders(false)).await?;
        let mut n = 0;
        for row in rows {
            let mine = row.claim.owner_desk.as_deref() == Some(desk.id.as_str());
            let open = matches!(
                row.claim.task_status.as_deref(),
                Some("accepted" | "in-progress")
            );
            if let (true, true, Some(referral_id)) = (mine, open, row.referral_id) {
                Box::pin(self.after_referral_step(referral_id)).await;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// When `task` is another desk's claim whose lease ended while it was booking: the sentence to
/// tell a desk about to take the order over.
pub(crate) fn stopped_while_booking(
    task: &r4::Task,
    desk: &sched_client::home::Desk,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<String> {
    if desk.owns(task) || task.is_final() || !sched_client::home::lease_expired(task, now) {
        return None;
    }
    let org = task
        .business_status
        .as_ref()?
        .text
        .as_deref()?
        .strip_prefix(BOOKING)?;
    let who = task.owner_display().unwrap_or("Another desk");
    Some(format!(
        "{who} stopped while booking this order at {org}. Check with {org} whether it was \
         booked before working it again."
    ))
}
