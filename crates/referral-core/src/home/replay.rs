//! Replaying the home outbox: each unresolved row settled once, oldest first. The Task is read
//! first; a Task that already says what the row says is `already-applied`; one another desk (or
//! nobody) owns now is `refused` and the order gets a problem ("taken over by …"); a row
//! overtaken by a later applied write of the same order is `refused` as superseded; only a Task
//! still this desk's gets the row's fields, sent with `If-Match` on the version just read.

use chrono::Utc;
use fhir_model::datetime::format_instant;
use fhir_model::r4;
use referral_store::{OutboxEntry, OutboxOperation, OutboxResolution};
use sched_client::Interaction;
use sched_client::home::HomeClient;

use super::outbox::{applied, merge};
use super::queue::home_failure;
use super::summary::{StoredOrder, claim_of};
use crate::app::App;
use crate::error::{CoreError, CoreResult};

/// How a replayed row ended.
enum Replayed {
    Settled,
    Unreachable(CoreError),
}

impl App {
    /// Settles every unresolved outbox row, oldest first; stops at the first row the home
    /// could not be asked about (it stays for the next sync).
    pub async fn replay_outbox(&self) -> CoreResult<u32> {
        let rows = self.db(|s| s.outbox_unresolved()).await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let (org, client) = self.home_client().await?;
        let mut n = 0;
        for entry in rows {
            match Box::pin(self.replay_one(&org.display_name, &client, &entry)).await? {
                Replayed::Settled => n += 1,
                Replayed::Unreachable(e) => return Err(e),
            }
        }
        Ok(n)
    }

    async fn replay_one(
        &self,
        home: &str,
        client: &HomeClient,
        entry: &OutboxEntry,
    ) -> CoreResult<Replayed> {
        let body: r4::Task =
            serde_json::from_value(entry.write.body.clone()).map_err(|e| CoreError::Task {
                reason: e.to_string(),
            })?;
        let order_id = entry.write.order_id.as_str();
        if self.superseded(entry).await? {
            return self
                .resolve_row(entry, OutboxResolution::Refused, "superseded")
                .await;
        }
        let current = match &body.id {
            Some(id) => client.read_task(id).await.map(Some),
            None => client.task_for_order(order_id).await,
        };
        let current = match current {
            Ok(c) => c,
            Err(e) => {
                return Ok(Replayed::Unreachable(home_failure(
                    home,
                    Interaction::UpdateClaim,
                    e,
                )));
            }
        };
        let desk = client.desk().clone();
        let Some(current) = current else {
            return Box::pin(self.replay_claim(home, client, entry, &body)).await;
        };
        if applied(&current, &body) {
            let claim = claim_of(&current);
            let id = order_id.to_owned();
            self.db(move |s| s.record_queue_claim(&id, &claim)).await?;
            return self
                .resolve_row(entry, OutboxResolution::AlreadyApplied, "already at home")
                .await;
        }
        if !desk.owns(&current) {
            return self.refuse_taken(entry, &current).await;
        }
        let merged = merge(current, &body);
        let result = client.update_task(&merged).await;
        match self.settle_write(home, entry, result).await {
            Ok(_) => Ok(Replayed::Settled),
            Err(e) if e.is_unreachable() => Ok(Replayed::Unreachable(e)),
            Err(_) => Ok(Replayed::Settled),
        }
    }

    /// A claim row whose Task never reached the home: claim again.
    async fn replay_claim(
        &self,
        home: &str,
        client: &HomeClient,
        entry: &OutboxEntry,
        body: &r4::Task,
    ) -> CoreResult<Replayed> {
        if entry.write.operation != OutboxOperation::Claim {
            return self
                .resolve_row(
                    entry,
                    OutboxResolution::Refused,
                    "the claim is gone at home",
                )
                .await;
        }
        let id = entry.write.order_id.clone();
        let row = self.db(move |s| s.queue_order(&id)).await?;
        let order = row
            .and_then(|r| r.order.order_json)
            .and_then(|j| serde_json::from_value::<StoredOrder>(j).ok());
        let Some(order) = order else {
            return self
                .resolve_row(entry, OutboxResolution::Refused, "the order is not known")
                .await;
        };
        let lease = body
            .lease_end()
            .map_or_else(|| format_instant(&Utc::now()), str::to_owned);
        let result = client.claim(&order.request, &lease).await;
        match self.settle_write(home, entry, result).await {
            Ok(_) => Ok(Replayed::Settled),
            Err(e) if e.is_unreachable() => Ok(Replayed::Unreachable(e)),
            Err(_) => Ok(Replayed::Settled),
        }
    }

    /// Whether a later write of the same order was applied (this row's intent is stale).
    async fn superseded(&self, entry: &OutboxEntry) -> CoreResult<bool> {
        let id = entry.write.order_id.clone();
        let rows = self.db(move |s| s.outbox_for_order(&id)).await?;
        Ok(rows.iter().any(|r| {
            r.id > entry.id
                && matches!(
                    r.resolution,
                    Some(OutboxResolution::Applied | OutboxResolution::AlreadyApplied)
                )
        }))
    }

    /// Another desk (or nobody) holds the claim now: no write, and the order says so.
    async fn refuse_taken(&self, entry: &OutboxEntry, current: &r4::Task) -> CoreResult<Replayed> {
        let who = current.owner_display().unwrap_or("another desk").to_owned();
        let booked_here = entry.write.operation == OutboxOperation::Outcome
            && entry.write.body["status"] == "completed";
        let problem = if booked_here {
            format!(
                "This order was taken over by {who} after this desk booked it; check that it is \
                 not booked twice."
            )
        } else {
            format!("This order was taken over by {who}.")
        };
        let claim = claim_of(current);
        let id = entry.write.order_id.clone();
        let row = entry.id;
        self.db(move |s| {
            s.record_queue_claim(&id, &claim)?;
            if let Some(order) = s.queue_order(&id)? {
                s.set_queue_state(&id, order.order.state, Some(&problem))?;
            }
            s.outbox_resolve(row, OutboxResolution::Refused, Some(&problem))
        })
        .await?;
        Ok(Replayed::Settled)
    }

    async fn resolve_row(
        &self,
        entry: &OutboxEntry,
        how: OutboxResolution,
        detail: &str,
    ) -> CoreResult<Replayed> {
        let (id, detail) = (entry.id, detail.to_owned());
        self.db(move |s| s.outbox_resolve(id, how, Some(&detail)))
            .await?;
        Ok(Replayed::Settled)
    }
}
