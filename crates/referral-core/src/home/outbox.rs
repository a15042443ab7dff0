//! The home outbox in use: every write to a claim Task is recorded before it is sent and
//! resolved after ([`App::send_task`]); `sync_queue` replays what a crash or an outage left
//! unresolved, renews this desk's leases, then refreshes.
//!
//! Replay never writes one row twice: it reads the Task first; a Task that already says what
//! the row says is `already-applied`, a Task another desk (or nobody) owns now is `refused` and
//! the order gets a problem ("taken over by …"); only a Task still this desk's gets the row's
//! fields, sent with `If-Match` on the version just read.

use chrono::{Duration, Utc};
use fhir_model::datetime::format_instant;
use fhir_model::r4;
use referral_model::QueueSyncReport;
use referral_store::{OutboxEntry, OutboxOperation, OutboxResolution, OutboxWrite};
use sched_client::Interaction;
use sched_client::home::{DESK_SYSTEM, Desk, HomeClient, HomeError};

use super::queue::home_failure;
use super::summary::{StoredOrder, claim_of};
use crate::app::{App, CrashPoint};
use crate::error::{CoreError, CoreResult};

/// How a replayed row ended.
enum Replayed {
    Settled,
    Unreachable(CoreError),
}

impl App {
    /// Records `task` as the write `op` of `order_id`, sends it with `If-Match`, records the
    /// answer and resolves the row. A conflict resolves it `refused`; a failure without an
    /// answer leaves it for replay.
    pub(crate) async fn send_task(
        &self,
        home: &str,
        client: &HomeClient,
        order_id: &str,
        op: OutboxOperation,
        task: r4::Task,
    ) -> CoreResult<r4::Task> {
        let entry = self.outbox_begin(order_id, op, &task).await?;
        let result = client.update_task(&task).await;
        self.crash_point(op.as_str(), CrashPoint::Sent);
        self.settle_write(home, &entry, result).await
    }

    pub(crate) async fn outbox_begin(
        &self,
        order_id: &str,
        op: OutboxOperation,
        task: &r4::Task,
    ) -> CoreResult<OutboxEntry> {
        let write = OutboxWrite {
            order_id: order_id.to_owned(),
            operation: op,
            base_version: task.version_id().map(str::to_owned),
            body: serde_json::to_value(task).map_err(|e| CoreError::Task {
                reason: e.to_string(),
            })?,
        };
        let entry = self.db(move |s| s.outbox_begin(&write)).await?;
        self.crash_point(op.as_str(), CrashPoint::Journaled);
        Ok(entry)
    }

    /// Records what the home answered to an outbox row's write and resolves the row.
    pub(crate) async fn settle_write(
        &self,
        home: &str,
        entry: &OutboxEntry,
        result: Result<r4::Task, HomeError>,
    ) -> CoreResult<r4::Task> {
        let order_id = entry.write.order_id.clone();
        let id = entry.id;
        match result {
            Ok(task) => {
                let claim = claim_of(&task);
                let detail = format!("version {}", task.version_id().unwrap_or("?"));
                self.db(move |s| {
                    s.record_queue_claim(&order_id, &claim)?;
                    s.outbox_resolve(id, OutboxResolution::Applied, Some(&detail))
                })
                .await?;
                Ok(task)
            }
            Err(e @ (HomeError::ClaimConflict { .. } | HomeError::ClaimFinished { .. })) => {
                let (HomeError::ClaimConflict { task, .. } | HomeError::ClaimFinished { task, .. }) =
                    &e
                else {
                    return Err(home_failure(home, Interaction::UpdateClaim, e));
                };
                let claim = claim_of(task);
                let detail = format!(
                    "the claim changed at home: {}",
                    task.owner_display().unwrap_or("no owner")
                );
                self.db(move |s| {
                    s.record_queue_claim(&order_id, &claim)?;
                    s.outbox_resolve(id, OutboxResolution::Refused, Some(&detail))
                })
                .await?;
                Err(home_failure(home, Interaction::UpdateClaim, e))
            }
            Err(e) => Err(home_failure(home, Interaction::UpdateClaim, e)),
        }
    }

    /// Replays unresolved write-backs, renews this desk's leases that end within half their
    /// length, then refreshes the queue.
    pub async fn sync_queue(&self) -> CoreResult<QueueSyncReport> {
        let replayed = Box::pin(self.replay_outbox()).await?;
        let renewed = Box::pin(self.renew_leases()).await?;
        let refresh = self.refresh_queue().await?;
        Ok(QueueSyncReport {
            replayed,
            renewed,
            refresh,
        })
    }

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
        let problem = format!("This order was taken over by {who}.");
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

    /// Renews this desk's live claims whose lease ends within half its length.
    pub async fn renew_leases(&self) -> CoreResult<u32> {
        let desk = self.desk().await?;
        let lease = Duration::seconds(i64::from(self.lease_seconds().await?));
        let now = self.now();
        let rows = self.db(|s| s.queue_orders(false)).await?;
        let due: Vec<_> = rows
            .into_iter()
            .filter(|r| r.claim.owner_desk.as_deref() == Some(desk.id.as_str()))
            .filter(|r| {
                matches!(
                    r.claim.task_status.as_deref(),
                    Some("accepted" | "in-progress")
                )
            })
            .filter(|r| r.claim.lease_end.is_none_or(|end| end - now < lease / 2))
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        let (org, client) = self.home_client().await?;
        let mut n = 0;
        for row in due {
            let Some(task_id) = row.claim.task_id.as_deref() else {
                continue;
            };
            let current = client
                .read_task(task_id)
                .await
                .map_err(|e| home_failure(&org.display_name, Interaction::UpdateClaim, e))?;
            if !desk.owns(&current) || current.is_final() {
                let claim = claim_of(&current);
                let id = row.order.order_id.clone();
                self.db(move |s| s.record_queue_claim(&id, &claim)).await?;
                continue;
            }
            let mut renewed = current;
            renewed.set_lease_end(&format_instant(&(now + lease)));
            let sent = self
                .send_task(
                    &org.display_name,
                    &client,
                    &row.order.order_id,
                    OutboxOperation::Renew,
                    renewed,
                )
                .await;
            match sent {
                Ok(_) => n += 1,
                Err(e) if e.is_unreachable() => return Err(e),
                Err(_) => {}
            }
        }
        Ok(n)
    }
}

/// Whether the Task at home already says what `body` says (status, outcome, output, owner).
pub(crate) fn applied(current: &r4::Task, body: &r4::Task) -> bool {
    let text = |c: &Option<fhir_model::CodeableConcept>| c.as_ref().and_then(|c| c.text.clone());
    let refs = |t: &r4::Task| -> Vec<Option<String>> {
        t.output
            .iter()
            .map(|o| o.value_reference.as_ref().and_then(|r| r.reference.clone()))
            .collect()
    };
    current.status == body.status
        && text(&current.business_status) == text(&body.business_status)
        && refs(current) == refs(body)
        && current.owner_id(DESK_SYSTEM) == body.owner_id(DESK_SYSTEM)
}

/// `current` with the fields a write sets taken from `body` (the version stays current's).
pub(crate) fn merge(mut current: r4::Task, body: &r4::Task) -> r4::Task {
    current.status = body.status.clone();
    current.status_reason = body.status_reason.clone();
    current.business_status = body.business_status.clone();
    current.owner = body.owner.clone();
    current.restriction = body.restriction.clone();
    current.output = body.output.clone();
    current
}

/// The claim Task this desk expects after claiming (recorded before the claim goes out).
pub(crate) fn expected_claim(desk: &Desk, order_id: &str, lease_end: &str) -> r4::Task {
    let mut task = r4::Task {
        identifier: vec![fhir_model::Identifier::new(
            sched_client::home::CLAIM_SYSTEM,
            order_id,
        )],
        status: "accepted".to_owned(),
        intent: "order".to_owned(),
        focus: Some(fhir_model::Reference::to(&format!(
            "ServiceRequest/{order_id}"
        ))),
        owner: Some(desk.owner()),
        ..r4::Task::default()
    };
    task.set_lease_end(lease_end);
    task
}
