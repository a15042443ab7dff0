//! The audit trail's entries: every remote action and status change, what was asked and how it
//! ended. The store appends them and never rewrites them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::code::text_enum;
use crate::ids::{EventId, OrganisationId, ReferralId};

text_enum! {
    /// What kind of action an event records.
    pub enum EventKind {
        /// `$find` (or a slot search).
        Find = "find",
        /// Patient `$match` or search at the target.
        MatchPatient = "match-patient",
        /// Patient registration (POST Patient).
        CreatePatient = "create-patient",
        /// Coverage registration.
        CreateCoverage = "create-coverage",
        /// The referral itself sent to the organisation (POST ReferralRequest).
        CreateReferral = "create-referral",
        /// `$hold`.
        Hold = "hold",
        /// Release of a hold.
        ReleaseHold = "release-hold",
        /// `$book`.
        Book = "book",
        /// Cancellation.
        Cancel = "cancel",
        /// A reschedule step.
        Reschedule = "reschedule",
        /// Reading an appointment back to verify.
        ReadBack = "read-back",
        /// Recovery/reconciliation against the organisation.
        Reconcile = "reconcile",
        /// A local status change.
        StatusChange = "status-change",
        /// Reading the capability statement.
        Capability = "capability",
        /// An export of the audit trail (itself audited).
        AuditExport = "audit-export",
    }
}

text_enum! {
    /// How the action ended.
    pub enum EventOutcome {
        /// Did what was asked.
        Succeeded = "succeeded",
        /// The organisation said no (e.g. slot taken).
        Refused = "refused",
        /// It did not happen (network, server error).
        Failed = "failed",
        /// We do not know whether it happened (timeout); reconciliation will tell.
        Unknown = "unknown",
    }
}

/// The person and machine behind a recorded action (the store reads them from the OS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The operating-system account.
    pub user: String,
    /// The workstation's host name.
    pub workstation: String,
}

/// An event to append.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    /// Referral concerned, if any.
    pub referral_id: Option<ReferralId>,
    /// Kind of action.
    pub kind: EventKind,
    /// Organisation asked, if any.
    pub organisation_id: Option<OrganisationId>,
    /// What was asked, e.g. `$hold Appointment/abc`. Never a token.
    pub request: String,
    /// How it ended.
    pub outcome: EventOutcome,
    /// Structured detail (OperationOutcome text, ids, HTTP status…).
    pub detail: Option<serde_json::Value>,
}

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the trail.
    pub id: EventId,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Referral concerned, if any.
    pub referral_id: Option<ReferralId>,
    /// Kind of action.
    pub kind: EventKind,
    /// Organisation asked, if any.
    pub organisation_id: Option<OrganisationId>,
    /// What was asked.
    pub request: String,
    /// How it ended.
    pub outcome: EventOutcome,
    /// Structured detail.
    pub detail: Option<serde_json::Value>,
    /// Who did it (`None` for events recorded before the desk kept this).
    pub actor: Option<Actor>,
}
