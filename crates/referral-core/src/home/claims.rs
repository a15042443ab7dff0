//! Claiming, releasing and starting an order: the claim Task at home, every write recorded in
//! the outbox first. An order is read again before it is claimed, so a deleted order is
//! reported as withdrawn and a closed one as finished, never claimed.

use chrono::Duration;
use fhir_model::datetime::format_instant;
use referral_model::{OrderFill, QueueItem, ReferralStatus, StartedOrder};
use referral_store::{OutboxOperation, QueueState};
use sched_client::Interaction;
use sched_client::home::{HomeClient, Order};

use super::outbox::expected_claim;
use super::outcome::stopped_while_booking;
use super::queue::{home_failure, import};
use crate::app::{App, CrashPoint};
use crate::error::{CoreError, CoreResult};

impl App {
    /// Claims `order_id` at home for this desk (a new claim, this desk's own again, or a
    /// takeover of a released claim or an ended lease). Another desk's live claim is
    /// [`CoreError::OrderClaimed`]; a finished one [`CoreError::OrderFinished`]; a deleted
    /// order [`CoreError::OrderWithdrawn`].
    pub async fn claim_order(&self, order_id: &str) -> CoreResult<QueueItem> {
        // Boxed: the home client's futures are large, and callers should not carry them.
        Box::pin(self.claim_order_steps(order_id)).await
    }

    async fn claim_order_steps(&self, order_id: &str) -> CoreResult<QueueItem> {
        let (org, client) = self.home_client().await?;
        let order = self
            .fresh_order(&org.display_name, &client, order_id)
            .await?;
        // A claim another desk left while booking is not taken over: the booking may have gone
        // through, and only that desk (restarted) or a person checking can tell.
        let existing = client
            .task_for_order(order_id)
            .await
            .map_err(|e| home_failure(&org.display_name, Interaction::UpdateClaim, e))?;
        if let Some(what) = existing
            .as_ref()
            .and_then(|t| stopped_while_booking(t, client.desk(), self.now()))
        {
            return Err(CoreError::Conflict { what });
        }
        let lease = Duration::seconds(i64::from(self.lease_seconds().await?));
        let lease_end = format_instant(&(self.now() + lease));
        let mut expected = expected_claim(client.desk(), order_id, &lease_end);
        let id = order_id.to_owned();
        let known = self.db(move |s| s.queue_order(&id)).await?;
        if let Some(claim) = known.map(|k| k.claim) {
            expected.id = claim.task_id;
            if let Some(v) = claim.task_version {
                expected.meta = Some(fhir_model::Meta {
                    version_id: Some(v),
                    ..fhir_model::Meta::default()
                });
            }
        }
        let entry = self
            .outbox_begin(order_id, OutboxOperation::Claim, &expected)
            .await?;
        let result = client.claim(&order.request, &lease_end).await;
        self.crash_point(OutboxOperation::Claim.as_str(), CrashPoint::Sent);
        self.settle_write(&org.display_name, &entry, result).await?;
        self.queue_item(order_id).await
    }

    /// Gives this desk's claim back to the queue: Task `ready`, no owner, no lease, the
    /// identifier kept (one Task per order for ever). Only before booking.
    pub async fn release_order(&self, order_id: &str) -> CoreResult<QueueItem> {
        // Boxed: the home client's futures are large, and callers should not carry them.
        Box::pin(self.release_order_steps(order_id)).await
    }

    async fn release_order_steps(&self, order_id: &str) -> CoreResult<QueueItem> {
        let (org, client) = self.home_client().await?;
        let id = order_id.to_owned();
        let row =
            self.db(move |s| s.queue_order(&id))
                .await?
                .ok_or_else(|| CoreError::NotFound {
                    what: "the order".to_owned(),
                })?;
        if let Some(referral) = row.referral_id {
            let r = self.referral(referral).await?;
            if matches!(
                r.status,
                ReferralStatus::Booked | ReferralStatus::Rescheduled
            ) {
                return Err(CoreError::Conflict {
                    what: "the order is booked; cancel the appointment instead".to_owned(),
                });
            }
        }
        let task_id = row.claim.task_id.ok_or_else(|| CoreError::Conflict {
            what: "this desk has not claimed the order".to_owned(),
        })?;
        let current = client
            .read_task(&task_id)
            .await
            .map_err(|e| home_failure(&org.display_name, Interaction::UpdateClaim, e))?;
        if !client.desk().owns(&current) {
            return Err(CoreError::OrderClaimed {
                owner: current.owner_display().unwrap_or("another desk").to_owned(),
                until: super::summary::claim_of(&current).lease_end,
            });
        }
        let mut released = current;
        released.status = "ready".to_owned();
        released.owner = None;
        released.restriction = None;
        released.business_status = Some(fhir_model::CodeableConcept::text(&format!(
            "released by {}",
            client.desk().display
        )));
        self.send_task(
            &org.display_name,
            &client,
            order_id,
            OutboxOperation::Release,
            released,
        )
        .await?;
        self.queue_item(order_id).await
    }

    /// Starts the referral for `order_id`: claims it if this desk does not hold it, maps the
    /// order, fills what it lacks from `fill`, creates the referral, links it and marks the
    /// Task `in-progress`. Starting twice returns the same referral.
    pub async fn start_order(&self, order_id: &str, fill: OrderFill) -> CoreResult<StartedOrder> {
        // Boxed: the home client's futures are large, and callers should not carry them.
        Box::pin(self.start_order_steps(order_id, fill)).await
    }

    async fn start_order_steps(&self, order_id: &str, fill: OrderFill) -> CoreResult<StartedOrder> {
        let id = order_id.to_owned();
        let row = self.db(move |s| s.queue_order(&id)).await?;
        if let Some(referral_id) = row.as_ref().and_then(|r| r.referral_id) {
            let item = self.queue_item(order_id).await?;
            return Ok(StartedOrder { referral_id, item });
        }
        let desk = self.desk().await?;
        let mine = row.as_ref().is_some_and(|r| {
            r.claim.owner_desk.as_deref() == Some(desk.id.as_str())
                && matches!(
                    r.claim.task_status.as_deref(),
                    Some("accepted" | "in-progress")
                )
        });
        if !mine {
            Box::pin(self.claim_order(order_id)).await?;
        }
        let order = self.stored_order(order_id).await?;
        let input = self.order_input(&order, fill).await?;
        let referral = self.create_referral(input).await?;
        let (rid, id) = (referral.id, order_id.to_owned());
        self.db(move |s| s.link_queue_referral(&id, rid)).await?;
        Box::pin(self.mark_in_progress(order_id)).await?;
        let item = self.queue_item(order_id).await?;
        Ok(StartedOrder {
            referral_id: referral.id,
            item,
        })
    }

    /// Task `in-progress` (a referral was started from the order).
    async fn mark_in_progress(&self, order_id: &str) -> CoreResult<()> {
        let (org, client) = self.home_client().await?;
        let id = order_id.to_owned();
        let row = self.db(move |s| s.queue_order(&id)).await?;
        let Some(task_id) = row.and_then(|r| r.claim.task_id) else {
            return Ok(());
        };
        let current = client
            .read_task(&task_id)
            .await
            .map_err(|e| home_failure(&org.display_name, Interaction::UpdateClaim, e))?;
        if current.status == "in-progress" || !client.desk().owns(&current) {
            return Ok(());
        }
        let mut started = current;
        started.status = "in-progress".to_owned();
        self.send_task(
            &org.display_name,
            &client,
            order_id,
            OutboxOperation::Start,
            started,
        )
        .await?;
        Ok(())
    }

    /// The order as the home holds it now, stored; a deleted one is marked gone, a closed one
    /// closed.
    async fn fresh_order(
        &self,
        home: &str,
        client: &HomeClient,
        order_id: &str,
    ) -> CoreResult<Order> {
        let read = client
            .read_order(order_id)
            .await
            .map_err(|e| home_failure(home, Interaction::ClaimOrder, e))?;
        let id = order_id.to_owned();
        let Some(order) = read else {
            let known = self.db(move |s| s.queue_order(&id)).await?;
            if known.is_some() {
                let id = order_id.to_owned();
                self.db(move |s| s.set_queue_state(&id, QueueState::Gone, None))
                    .await?;
            }
            return Err(CoreError::OrderWithdrawn);
        };
        let imported = import(&order, self.today());
        self.db(move |s| s.save_queue_orders(&[imported])).await?;
        if order.request.status != "active" {
            return Err(CoreError::OrderFinished { outcome: None });
        }
        Ok(order)
    }

    /// The order as last stored.
    async fn stored_order(&self, order_id: &str) -> CoreResult<Order> {
        let id = order_id.to_owned();
        let row = self.db(move |s| s.queue_order(&id)).await?;
        row.and_then(|r| r.order.order_json)
            .and_then(|j| serde_json::from_value::<super::summary::StoredOrder>(j).ok())
            .map(super::summary::StoredOrder::into_order)
            .ok_or_else(|| CoreError::NotFound {
                what: "the order".to_owned(),
            })
    }
}
