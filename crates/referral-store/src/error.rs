//! The one error type of the store, with predicates so callers branch without string matching.

use std::path::PathBuf;

use referral_model::{JournalId, ModelError, OrganisationId, ReferralId, ReferralStatus};

/// Everything that can go wrong in the worklist store.
///
/// Every variant that is caused by the caller's input (`InvalidInput`, `Unknown*`,
/// `IllegalTransition`, `VersionConflict`, `Duplicate*`, `AlreadyResolved`) is raised before
/// anything is written, inside the same transaction, so the store is unchanged when it is returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database file could not be opened or prepared (permissions, not a database, ...).
    #[error("could not open the worklist database at {path}: {source}")]
    Open {
        /// The file that was asked for.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The encrypted worklist cannot be opened, or an older plaintext one encrypted.
    #[error(transparent)]
    Cipher(#[from] crate::cipher::CipherError),
    /// The file was written by a newer Referral Desk; we refuse to touch it.
    #[error("the worklist database was written by a newer version of Referral Desk")]
    SchemaTooNew,
    /// A migration failed; the migration transaction was rolled back.
    #[error("the worklist database could not be upgraded: {0}")]
    Migration(#[source] rusqlite_migration::Error),
    /// Any other SQLite failure (disk full, I/O error, busy beyond the timeout).
    #[error("worklist database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A field given by the caller is not acceptable; nothing was written.
    #[error("invalid {field}: {problem}")]
    InvalidInput {
        /// The field, named as in the API.
        field: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The organisation id is not in the directory.
    #[error("no organisation with id `{0}` in the directory")]
    UnknownOrganisation(OrganisationId),
    /// An organisation with this id already exists.
    #[error("an organisation with id `{0}` already exists")]
    DuplicateOrganisation(OrganisationId),
    /// The referral id is not in the worklist.
    #[error("no referral with id {0}")]
    UnknownReferral(ReferralId),
    /// The referral's life cycle does not allow this step.
    #[error("a referral cannot go from {from} to {to}")]
    IllegalTransition {
        /// Status the referral is in.
        from: ReferralStatus,
        /// Status that was asked for.
        to: ReferralStatus,
    },
    /// Someone changed the referral since the caller read it (optimistic concurrency).
    #[error("referral {id} was changed meanwhile (expected version {expected}, found {actual})")]
    VersionConflict {
        /// The referral.
        id: ReferralId,
        /// Version the caller read.
        expected: i64,
        /// Version in the store now.
        actual: i64,
    },
    /// The journal entry does not exist.
    #[error("no journal entry {0}")]
    UnknownJournalEntry(JournalId),
    /// The journal entry was resolved before; a resolution is final.
    #[error("journal entry {0} is already resolved")]
    AlreadyResolved(JournalId),
    /// The order is not in the desk's copy of the home queue.
    #[error("no order {0} in the queue")]
    UnknownQueueOrder(String),
    /// The home outbox row does not exist.
    #[error("no outbox entry {0}")]
    UnknownOutboxEntry(i64),
    /// The home outbox row was resolved before; a resolution is final.
    #[error("outbox entry {0} is already resolved")]
    OutboxAlreadyResolved(i64),
    /// A value read back from the file is not one this program writes (file edited by hand?).
    #[error("stored value in column {column} is not understood")]
    Corrupt {
        /// The column holding the value.
        column: &'static str,
    },
}

impl StoreError {
    /// The thing asked for (organisation, referral, journal entry) does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            Self::UnknownOrganisation(_)
                | Self::UnknownReferral(_)
                | Self::UnknownJournalEntry(_)
                | Self::UnknownQueueOrder(_)
                | Self::UnknownOutboxEntry(_)
        )
    }

    /// The request clashes with the current state: re-read and decide again.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            Self::IllegalTransition { .. }
                | Self::VersionConflict { .. }
                | Self::DuplicateOrganisation(_)
                | Self::AlreadyResolved(_)
                | Self::OutboxAlreadyResolved(_)
        )
    }

    /// The caller's input was rejected by validation.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Self::InvalidInput { .. })
    }

    /// Another process held the database lock longer than the busy timeout; trying again later
    /// is safe because nothing was written.
    pub fn is_busy(&self) -> bool {
        match self {
            Self::Sqlite(e) => matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ),
            _ => false,
        }
    }
}

impl From<ModelError> for StoreError {
    fn from(e: ModelError) -> Self {
        match e {
            ModelError::InvalidInput { field, problem } => Self::InvalidInput { field, problem },
            ModelError::IllegalTransition { from, to } => Self::IllegalTransition { from, to },
        }
    }
}

/// Result alias for the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Shorthand used by validators.
pub(crate) fn invalid(field: &'static str, problem: &'static str) -> StoreError {
    StoreError::InvalidInput { field, problem }
}
