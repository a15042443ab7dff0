//! Claiming a home order: one `Task` per ServiceRequest (conditional create on an identifier
//! derived from the order's id), owned by a desk until its lease ends; every change a `PUT` with
//! `If-Match`, so of two desks only one wins and the other learns who holds the order.
//! Creates and updates go through the client's write path: sent once, read back when the
//! answer is lost, never retried blindly.

use chrono::{DateTime, Utc};
use fhir_model::{Identifier, Reference, Token, r4};
use reqwest::Method;
use serde_json::Value;

use super::{HomeClient, HomeError};
use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::ops::write::{Plan, Write};
use crate::org::local_id;
use crate::transport::{Reply, Req};

/// The identifier system of the desk's claim Tasks (value = the ServiceRequest id).
pub const CLAIM_SYSTEM: &str = "https://referral-desk.example/claim";
/// The identifier system of the desk ids in `Task.owner`.
pub const DESK_SYSTEM: &str = "https://referral-desk.example/desk";

const FHIR_JSON: &str = "application/fhir+json";

/// Who claims: a desk user at a workstation, with a stable desk id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desk {
    /// Stable across restarts of the same data directory (it recognises its own claims).
    pub id: String,
    /// What other desks show: "<user> at <workstation>".
    pub display: String,
}

impl Desk {
    /// A desk `id` for `user` at `workstation`.
    pub fn new(id: &str, user: &str, workstation: &str) -> Self {
        Self {
            id: id.to_owned(),
            display: format!("{user} at {workstation}"),
        }
    }

    /// The `Task.owner` naming this desk.
    pub fn owner(&self) -> Reference {
        Reference {
            display: Some(self.display.clone()),
            identifier: Some(Identifier::new(DESK_SYSTEM, &self.id)),
            ..Reference::default()
        }
    }

    /// Whether `task` is owned by this desk.
    pub fn owns(&self, task: &r4::Task) -> bool {
        task.owner_id(DESK_SYSTEM) == Some(self.id.as_str())
    }
}

/// The claim identifier of the order `order_id`.
pub fn claim_identifier(order_id: &str) -> Token {
    Token::new(CLAIM_SYSTEM, order_id)
}

/// Whether the claim's lease ended before `now` (a claim without a readable lease end counts
/// as expired, so a damaged claim never blocks an order for good).
pub fn lease_expired(task: &r4::Task, now: DateTime<Utc>) -> bool {
    match task.lease_end().map(fhir_model::parse_instant) {
        Some(Ok(end)) => end <= now,
        _ => true,
    }
}

/// Whether another desk may take the claim now: it was released (`ready` with no owner: back
/// in the queue) or its lease ended. A finished claim is never free.
pub fn is_free(task: &r4::Task, now: DateTime<Utc>) -> bool {
    if task.is_final() {
        return false;
    }
    let released = task.status == "ready" && task.owner.is_none();
    released || lease_expired(task, now)
}

/// The claim Task this desk creates for `order`.
fn new_claim(desk: &Desk, order: &r4::ServiceRequest, focus: &str, lease_end: &str) -> r4::Task {
    let id = fhir_model::split_reference(focus).map_or(focus, |(_, id)| id);
    let mut task = r4::Task {
        identifier: vec![Identifier::new(CLAIM_SYSTEM, id)],
        status: "accepted".to_owned(),
        intent: "order".to_owned(),
        focus: Some(Reference::to(focus)),
        for_: order.subject.clone(),
        authored_on: Some(fhir_model::datetime::format_instant(&Utc::now())),
        owner: Some(desk.owner()),
        ..r4::Task::default()
    };
    task.set_lease_end(lease_end);
    task
}

/// The Task in a write's answer (`None` when the home answered without a body), its version
/// filled from the `ETag` when the body has none.
fn task_of(reply: &Reply, what: &'static str) -> Result<Option<r4::Task>, ClientError> {
    if reply.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let mut task: r4::Task = serde_json::from_slice(&reply.body)
        .map_err(|e| ClientError::malformed(what, e.to_string()))?;
    if task.version_id().is_none()
        && let Some(v) = reply.etag_version()
    {
        task.meta.get_or_insert_with(Default::default).version_id = Some(v);
    }
    Ok(Some(task))
}

impl HomeClient {
    /// Claims `order` until `lease_end` (an instant). A new claim is created once; an existing
    /// claim is returned (this desk's), taken over when its lease expired (with `If-Match`), or
    /// refused as [`HomeError::ClaimConflict`] naming the owner.
    pub async fn claim(
        &self,
        order: &r4::ServiceRequest,
        lease_end: &str,
    ) -> Result<r4::Task, HomeError> {
        // The focus names the order as the home holds it: `ReferralRequest/<id>` at STU3.
        let ty = self.order_kind().await?.resource_type();
        let id = order
            .id
            .as_deref()
            .ok_or(HomeError::NotFromHome)
            .and_then(|id| Ok(local_id("ServiceRequest", id)?.to_owned()))?;
        let focus = format!("{ty}/{id}");
        let (task, existing) = self
            .create_claim(&new_claim(&self.desk, order, &focus, lease_end), &id)
            .await?;
        if !existing {
            return Box::pin(self.settle_race(task, id)).await;
        }
        if self.desk.owns(&task) {
            return Ok(task);
        }
        if task.is_final() {
            return Err(HomeError::ClaimFinished {
                order_id: id,
                status: task.status.clone(),
                task: Box::new(task),
            });
        }
        if !is_free(&task, Utc::now()) {
            return Err(conflict(id, task));
        }
        let mut taken = task;
        taken.owner = Some(self.desk.owner());
        taken.status = "accepted".to_owned();
        taken.set_lease_end(lease_end);
        self.update_task(&taken).await
    }

    /// After creating a claim: a home whose conditional create is not atomic (helios-hfs 0.2.7
    /// lets two concurrent creates through) may now hold two claims for the order. The oldest
    /// (`authoredOn`, then id) stands on every desk; a desk whose new claim is not
    /// it withdraws its own (status `cancelled`) and is told who holds the order.
    ///
    /// Both desks must see both claims for that rule to be sound: a desk that looked before the
    /// other's create landed would keep its claim while the other, seeing both, might keep
    /// its own too. So a new claim first waits the settle delay: the other create passed the
    /// home's existence check before this one was stored (else it would have found it), so it
    /// is stored within one create's processing time after this one.
    async fn settle_race(&self, task: r4::Task, id: String) -> Result<r4::Task, HomeError> {
        if !self.settle.is_zero() {
            tokio::time::sleep(self.settle).await;
        }
        let claims = self.claims_for_order(&id).await?;
        match claims.into_iter().next() {
            Some(first) if first.id != task.id => {
                let mut withdrawn = task;
                withdrawn.status = "cancelled".to_owned();
                // Off the claim identifier, so the home's conditional create sees one claim.
                withdrawn
                    .identifier
                    .retain(|i| i.system.as_deref() != Some(CLAIM_SYSTEM));
                if let Err(e) = self.update_task(&withdrawn).await {
                    // Harmless if it stays: every desk reads the oldest claim as the claim.
                    tracing::warn!(error = %e, "a duplicate claim could not be withdrawn");
                }
                Err(conflict(id, first))
            }
            _ => Ok(task),
        }
    }

    /// `POST Task` with `If-None-Exist`; `true` when the home answered with an existing claim.
    async fn create_claim(&self, task: &r4::Task, id: &str) -> Result<(r4::Task, bool), HomeError> {
        let token = claim_identifier(id);
        let req = Req::new(Method::POST, self.org.url("Task")?)
            .header("if-none-exist", format!("identifier={token}"))
            .header("prefer", "return=representation".to_owned())
            .json(FHIR_JSON, task)?;
        let plan = Plan::Create {
            ty: "Task",
            identifier: Some(token),
        };
        self.count();
        let created = self
            .org
            .write(Write::new(Interaction::ClaimOrder, req), plan, |reply| {
                Ok((task_of(&reply, "claim")?, reply.status.as_u16() == 200))
            })
            .await;
        match created {
            Ok((Some(task), existing)) => Ok((task, existing)),
            // No body, or the answer was lost: the claim on the home is what counts.
            Ok((None, existing)) => self.claim_now(id).await.map(|t| (t, existing)),
            // 412 multiple-matches: a race let two claims in before (see `settle_race`); the
            // oldest live one is the claim.
            Err(e @ (ClientError::Ambiguous { .. } | ClientError::Status { status: 412, .. })) => {
                match self.task_for_order(id).await? {
                    Some(t) => Ok((t, true)),
                    None => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn claim_now(&self, id: &str) -> Result<r4::Task, HomeError> {
        self.task_for_order(id).await?.ok_or_else(|| {
            HomeError::unexpected("claim", "the claim was not found after creating it")
        })
    }

    /// `PUT Task/<id>` with `If-Match: W/"<version>"`. When someone else changed the claim
    /// meanwhile (412), the claim is read again and reported as [`HomeError::ClaimConflict`].
    pub async fn update_task(&self, task: &r4::Task) -> Result<r4::Task, HomeError> {
        let (Some(id), Some(version)) = (task.id.clone(), task.version_id()) else {
            return Err(HomeError::NotFromHome);
        };
        let id = local_id("Task", &id)?.to_owned();
        let sent =
            serde_json::to_value(task).map_err(|e| ClientError::InvalidInput(e.to_string()))?;
        let req = Req::new(Method::PUT, self.org.url(&format!("Task/{id}"))?)
            .header("if-match", format!("W/\"{version}\""))
            .header("prefer", "return=representation".to_owned())
            .json(FHIR_JSON, task)?;
        let plan = Plan::Update {
            ty: "Task",
            id: id.clone(),
            sent,
        };
        self.count();
        let result = self
            .org
            .write(Write::new(Interaction::UpdateClaim, req), plan, |r| {
                task_of(&r, "update claim")
            })
            .await;
        match result {
            Ok(Some(task)) => Ok(task),
            Ok(None) => self.read_task(&id).await,
            Err(ClientError::Status {
                status: 409 | 412, ..
            }) => {
                let now = self.read_task(&id).await?;
                let order = now
                    .identifier
                    .iter()
                    .find(|i| i.system.as_deref() == Some(CLAIM_SYSTEM));
                let order_id = order.and_then(|i| i.value.clone()).unwrap_or_default();
                Err(conflict(order_id, now))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// `GET Task/<id>`.
    pub async fn read_task(&self, id: &str) -> Result<r4::Task, HomeError> {
        let id = local_id("Task", id)?;
        let req = Req::new(Method::GET, self.org.url(&format!("Task/{id}"))?);
        self.count();
        let task = self.org.read(&req, |r| task_of(&r, "read claim")).await?;
        task.ok_or_else(|| HomeError::unexpected("read claim", "empty answer"))
    }

    /// The live claims on order `order_id`, oldest first (`GET Task?identifier=…`).
    async fn claims_for_order(&self, order_id: &str) -> Result<Vec<r4::Task>, HomeError> {
        let id = local_id("ServiceRequest", order_id)?;
        let req = Req::new(Method::GET, self.org.url("Task")?).query(vec![(
            "identifier".to_owned(),
            claim_identifier(id).to_string(),
        )]);
        self.count();
        let mut found = self.org.read(&req, |r| tasks_in(&r.body)).await?;
        // Conditional create should keep this to one; where a home let a race through, the
        // oldest live claim is the claim and withdrawn duplicates do not count.
        found.retain(|t| t.status != "cancelled");
        found.sort_by(|a, b| claim_age(a).cmp(&claim_age(b)));
        Ok(found)
    }

    /// This desk's claim on `order_id` when it is the standing one (one GET), else
    /// [`HomeError::ClaimConflict`] naming who holds the order. The guard to run just before
    /// booking: a home that stalled longer than the settle delay may have let another desk's
    /// duplicate claim stand (docs/home-queue.md, "Claim races").
    pub async fn ensure_holding(&self, order_id: &str) -> Result<r4::Task, HomeError> {
        match self.task_for_order(order_id).await? {
            Some(t) if self.desk.owns(&t) && !is_free(&t, Utc::now()) => Ok(t),
            Some(t) => Err(conflict(order_id.to_owned(), t)),
            None => Err(HomeError::unexpected(
                "claim",
                "the order has no claim at home",
            )),
        }
    }

    /// The claim on order `order_id`, if any desk made one (`GET Task?identifier=…`).
    pub async fn task_for_order(&self, order_id: &str) -> Result<Option<r4::Task>, HomeError> {
        Ok(self.claims_for_order(order_id).await?.into_iter().next())
    }
}

/// Orders claims by when they were made: `authoredOn` (set once, never changed by an update),
/// then the id the home gave. Every desk reads the same values, so every desk agrees on which
/// claim stands.
fn claim_age(task: &r4::Task) -> (Option<&str>, Option<&str>) {
    (task.authored_on.as_deref(), task.id.as_deref())
}

fn conflict(order_id: String, task: r4::Task) -> HomeError {
    HomeError::ClaimConflict {
        order_id,
        owner: task.owner_display().map(str::to_owned),
        lease_end: task.lease_end().map(str::to_owned),
        task: Box::new(task),
    }
}

/// The Tasks of a searchset body.
fn tasks_in(body: &[u8]) -> Result<Vec<r4::Task>, ClientError> {
    let bundle: Value = serde_json::from_slice(body)
        .map_err(|e| ClientError::malformed("claim search", e.to_string()))?;
    let entries = bundle.get("entry").and_then(Value::as_array);
    entries
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("resource"))
        .filter(|r| r.get("resourceType").and_then(Value::as_str) == Some("Task"))
        .map(|r| {
            serde_json::from_value(r.clone())
                .map_err(|e| ClientError::malformed("claim search", e.to_string()))
        })
        .collect()
}
