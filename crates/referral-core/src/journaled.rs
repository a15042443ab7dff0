//! Journaling around non-idempotent calls, and the audit events every step appends.

use std::future::Future;

use referral_store::{
    EventKind, EventOutcome, Intent, JournalId, NewEvent, Operation, OrganisationId, Referral,
    ReferralId, Resolution, ResolutionKind, Transition,
};
use serde_json::Value;

use crate::app::{App, CrashPoint};
use crate::error::CoreResult;
use crate::remote::{RemoteError, RemoteResult};

impl App {
    /// Commits the intent, makes the call, and returns the journal id with the call's result.
    /// The intent stays unresolved until the caller has recorded the outcome and calls
    /// [`App::resolve`], so a crash anywhere in between leaves work for recovery.
    pub(crate) async fn journaled<T, Fut>(
        &self,
        referral_id: Option<ReferralId>,
        organisation_id: &OrganisationId,
        operation: Operation,
        request: Value,
        call: impl FnOnce() -> Fut,
    ) -> CoreResult<(JournalId, RemoteResult<T>)>
    where
        Fut: Future<Output = RemoteResult<T>>,
    {
        let intent = Intent {
            referral_id,
            organisation_id: organisation_id.clone(),
            operation,
            request,
        };
        let id = self.db(move |s| s.journal().begin(&intent)).await?;
        self.crash_point(operation.as_str(), CrashPoint::Journaled);
        let result = call().await;
        self.crash_point(operation.as_str(), CrashPoint::Sent);
        Ok((id, result))
    }

    /// Resolves a journal entry.
    pub(crate) async fn resolve(
        &self,
        id: JournalId,
        kind: ResolutionKind,
        detail: Value,
    ) -> CoreResult<()> {
        let resolution = Resolution {
            kind,
            detail: Some(detail),
        };
        // Another process (the CLI beside the app) may have reconciled the same entry first;
        // a resolution is final, so theirs stands and ours is not needed.
        self.db(move |s| match s.journal().resolve(id, &resolution) {
            Ok(_) => Ok(()),
            Err(referral_store::StoreError::AlreadyResolved(_)) => Ok(()),
            Err(e) => Err(e),
        })
        .await
    }

    /// Moves `current` one step along its life cycle; the step's audit event is written in the
    /// same transaction, so a crash can never leave one without the other.
    pub(crate) async fn change_status(
        &self,
        current: &Referral,
        step: Transition,
    ) -> CoreResult<Referral> {
        let event = status_event(current, &step);
        let (id, v) = (current.id, current.version);
        self.db(move |s| s.transition(id, v, &step, &event)).await
    }

    /// Appends an audit event.
    pub(crate) async fn event(
        &self,
        referral_id: Option<ReferralId>,
        kind: EventKind,
        organisation_id: Option<&OrganisationId>,
        request: String,
        outcome: EventOutcome,
        detail: Value,
    ) -> CoreResult<()> {
        let event = NewEvent {
            referral_id,
            kind,
            organisation_id: organisation_id.cloned(),
            request,
            outcome,
            detail: Some(detail),
        };
        self.db(move |s| s.append_event(&event).map(|_| ())).await
    }

    /// Appends the event for a failed remote call.
    pub(crate) async fn failure_event(
        &self,
        referral_id: Option<ReferralId>,
        kind: EventKind,
        organisation_id: &OrganisationId,
        request: String,
        error: &RemoteError,
    ) -> CoreResult<()> {
        let outcome = if error.is_refusal() {
            EventOutcome::Refused
        } else if error.outcome_unknown() {
            EventOutcome::Unknown
        } else {
            EventOutcome::Failed
        };
        let detail = serde_json::to_value(error).unwrap_or(Value::Null);
        self.event(
            referral_id,
            kind,
            Some(organisation_id),
            request,
            outcome,
            detail,
        )
        .await
    }
}

/// The audit event of a status step: from where to where, and the note when there is one.
pub(crate) fn status_event(current: &Referral, step: &Transition) -> NewEvent {
    let to = step.target();
    let note = match step {
        Transition::Status { note, .. } => note.clone(),
        _ => None,
    };
    NewEvent {
        referral_id: Some(current.id),
        kind: EventKind::StatusChange,
        organisation_id: Some(current.organisation_id.clone()),
        request: format!("status {} → {to}", current.status),
        outcome: EventOutcome::Succeeded,
        detail: Some(serde_json::json!({ "from": current.status, "to": to, "note": note })),
    }
}

/// How a failed call resolves its journal entry: an answer that said no is `Failed`; anything
/// else is settled by reading back (the caller does that and resolves as `UnknownReconciled`).
pub(crate) fn failed_detail(error: &RemoteError) -> Value {
    serde_json::json!({ "error": error })
}
