//! The one error type of the core, with predicates so front ends branch without string matching.

use chrono::{DateTime, Local, Utc};
use referral_model::{MissingField, ModelError, OrganisationId, ReferralId};
use referral_store::StoreError;
use smart_auth::AuthError;

use crate::remote::{RemoteError, RemoteErrorKind};

/// Everything a workflow can end with other than success.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// The worklist database failed or refused the change.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The app's signing key could not be loaded, stored or generated.
    #[error("the app's signing key: {0}")]
    Key(#[source] AuthError),
    /// An organisation answered with an error or could not be reached.
    #[error("{organisation}: {source}")]
    Remote {
        /// Display name of the organisation.
        organisation: String,
        /// What happened there.
        source: RemoteError,
    },
    /// Input the caller must correct.
    #[error("{field}: {problem}")]
    InvalidInput {
        /// The field, as named in the API / CLI.
        field: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// The thing asked for does not exist.
    #[error("{what} was not found")]
    NotFound {
        /// What was looked for.
        what: String,
    },
    /// The action does not fit the referral's current state.
    #[error("{what}")]
    Conflict {
        /// A sentence saying why.
        what: String,
    },
    /// The organisation does not offer the interaction the workflow needs.
    #[error("{organisation} does not support {what}")]
    Unsupported {
        /// Display name.
        organisation: String,
        /// The interaction, e.g. `holds ($hold)`.
        what: &'static str,
    },
    /// The outcome at the organisation is uncertain; the referral was flagged for a person.
    #[error("referral {referral} needs attention: {what}")]
    NeedsAttention {
        /// The referral flagged.
        referral: ReferralId,
        /// What is known to be true, as a sentence.
        what: String,
    },
    /// The key cannot be retired: organisations still sign with it.
    #[error("key {kid} is still used by {}; move them to another key first", .organisations.join(", "))]
    KeyInUse {
        /// The key asked to retire.
        kid: String,
        /// Display names of the organisations using it.
        organisations: Vec<String>,
    },
    /// The sandbox organisations could not be started.
    #[error("the sandbox organisations could not be started: {reason}")]
    Sandbox {
        /// Why.
        reason: String,
    },
    /// No home organisation is set, so there is no queue to work.
    #[error("no home organisation is set")]
    HomeNotSet,
    /// Another desk holds a live claim on the order.
    #[error("This order is being worked by {owner}{}.", until_text(until))]
    OrderClaimed {
        /// Who, as the home shows them ("Ana at WS-2").
        owner: String,
        /// Until when their lease runs.
        until: Option<DateTime<Utc>>,
    },
    /// The order's claim is finished at home (booked, failed, cancelled) or the order closed.
    #[error("This order was already finished{}.", outcome.as_deref().map(|o| format!(": {o}")).unwrap_or_default())]
    OrderFinished {
        /// The outcome as the home shows it, if any.
        outcome: Option<String>,
    },
    /// The order was deleted or withdrawn at home.
    #[error("This order was withdrawn at home.")]
    OrderWithdrawn,
    /// The order lacks details that were not filled in.
    #[error("This order still needs: {}.", missing_text(missing))]
    OrderIncomplete {
        /// What is still missing.
        missing: Vec<MissingField>,
    },
    /// A background task of the core failed (a bug, reported rather than panicking).
    #[error("an internal task failed: {reason}")]
    Task {
        /// What the runtime said.
        reason: String,
    },
}

/// A value or a step refused by the model's own rules: bad input, or a forbidden status change.
impl From<ModelError> for CoreError {
    fn from(e: ModelError) -> Self {
        Self::Store(StoreError::from(e))
    }
}

fn until_text(until: &Option<DateTime<Utc>>) -> String {
    until
        .map(|t| format!(" until {}", t.with_timezone(&Local).format("%H:%M")))
        .unwrap_or_default()
}

/// The missing fields in words, for the clerk.
pub fn missing_text(missing: &[MissingField]) -> String {
    missing
        .iter()
        .map(|m| match m {
            MissingField::PatientName => "the patient's name",
            MissingField::BirthDate => "the birth date",
            MissingField::Gender => "the gender",
            MissingField::Mrn => "the medical record number",
            MissingField::Specialty => "the specialty",
            MissingField::Window => "the dates to book within",
            MissingField::ReferrerPhone => "the referrer's phone",
            MissingField::CoveragePayor => "the insurer",
            MissingField::CoverageSubscriberId => "the subscriber id",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Result alias of the core.
pub type CoreResult<T> = Result<T, CoreError>;

impl CoreError {
    /// Shorthand for [`CoreError::InvalidInput`].
    pub fn invalid(field: &'static str, problem: impl Into<String>) -> Self {
        Self::InvalidInput {
            field,
            problem: problem.into(),
        }
    }

    /// Shorthand for [`CoreError::Remote`].
    pub fn remote(organisation: &str, source: RemoteError) -> Self {
        Self::Remote {
            organisation: organisation.to_owned(),
            source,
        }
    }

    /// The remote error, when it is one.
    pub fn remote_kind(&self) -> Option<RemoteErrorKind> {
        match self {
            Self::Remote { source, .. } => Some(source.kind),
            _ => None,
        }
    }

    /// The organisation's own text (OperationOutcome), when it sent one.
    pub fn outcome_text(&self) -> Option<&str> {
        match self {
            Self::Remote { source, .. } => source.outcome.as_deref(),
            _ => None,
        }
    }

    /// The slot was taken or the hold ran out: search again.
    pub fn needs_new_search(&self) -> bool {
        matches!(
            self.remote_kind(),
            Some(RemoteErrorKind::SlotTaken | RemoteErrorKind::HoldExpired)
        )
    }

    /// The organisation refused a Coverage (the patient's registration stands).
    pub fn is_coverage_refusal(&self) -> bool {
        self.remote_kind() == Some(RemoteErrorKind::CoverageRefused)
    }

    /// The organisation could not be reached.
    pub fn is_unreachable(&self) -> bool {
        self.remote_kind()
            .is_some_and(|k| matches!(k, RemoteErrorKind::Unreachable | RemoteErrorKind::Timeout))
    }

    /// The input was rejected before anything was done.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Self::InvalidInput { .. })
            || matches!(self, Self::Store(e) if e.is_invalid_input())
    }

    /// The thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound { .. })
            || matches!(self, Self::Store(e) if e.is_not_found())
            || self.remote_kind() == Some(RemoteErrorKind::NotFound)
    }

    /// Conflicts with the current state.
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::Conflict { .. }) || matches!(self, Self::Store(e) if e.is_conflict())
    }

    /// The field the caller must correct and what is wrong with it, for input refused by the
    /// core or by the worklist's validation.
    pub fn invalid_field(&self) -> Option<(&'static str, &str)> {
        match self {
            Self::InvalidInput { field, problem } => Some((field, problem)),
            Self::Store(StoreError::InvalidInput { field, problem }) => Some((field, problem)),
            _ => None,
        }
    }

    /// The id of an organisation that is already in the directory, when that is the refusal.
    pub fn duplicate_organisation(&self) -> Option<&OrganisationId> {
        match self {
            Self::Store(StoreError::DuplicateOrganisation(id)) => Some(id),
            _ => None,
        }
    }

    /// The referral's life cycle does not allow the step asked for (e.g. cancelling a cancelled
    /// referral); nothing was changed.
    pub fn is_illegal_transition(&self) -> bool {
        matches!(self, Self::Store(StoreError::IllegalTransition { .. }))
    }

    /// Our own side failed (the worklist file, the key store, a background task, the sandbox),
    /// not the caller's input and not an organisation.
    pub fn is_local_failure(&self) -> bool {
        match self {
            Self::Store(e) => !(e.is_not_found() || e.is_conflict() || e.is_invalid_input()),
            Self::Key(_) | Self::Task { .. } | Self::Sandbox { .. } => true,
            _ => false,
        }
    }

    /// Retiring a key was refused because organisations still use it.
    pub fn is_key_in_use(&self) -> bool {
        matches!(self, Self::KeyInUse { .. })
    }

    /// A person must check the referral.
    pub fn needs_attention(&self) -> bool {
        matches!(self, Self::NeedsAttention { .. })
    }
}
