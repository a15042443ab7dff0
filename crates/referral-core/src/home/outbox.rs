//! The home outbox in use: every write to a claim Task is recorded before it is sent and
//! resolved after ([`App::send_task`]); `sync_queue` replays what a crash or an outage left
//! unresolved (`replay.rs`), renews this desk's leases, then refreshes.

use chrono::Duration;
use fhir_model::datetime::format_instant;
use fhir_model::r4;
use referral_model::QueueSyncReport;
use referral_store::{OutboxEntry, OutboxOperation, OutboxResolution, OutboxWrite};
use sched_client::Interaction;
use sched_client::home::{DESK_SYSTEM, Desk, HomeClient, HomeError};

use super::queue::home_failure;
use super::summary::claim_of;
use crate::app::{App, CrashPoint};
use crate::error::{CoreError, CoreResult};

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
        Box::pin(self.catch_up_outcomes()).await?;
        let renewed = Box::pin(self.renew_leases()).await?;
        let refresh = self.refresh_queue().await?;
        Ok(QueueSyncReport {
            replayed,
            renewed,
            refresh,
        })
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
