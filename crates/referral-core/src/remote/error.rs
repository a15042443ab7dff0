//! Errors of a remote interaction, as data: what kind, the HTTP status, and the organisation's
//! own OperationOutcome text (shown to users verbatim).

/// What went wrong, as far as the workflows and the front ends branch on it. Made in one place
/// from sched-client's [`sched_client::FailureKind`] (see `sched::errors`); the core adds only
/// what it finds itself (a hold it saw run out, an organisation it could not set up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RemoteErrorKind {
    /// Could not connect (refused, DNS): nothing reached the organisation.
    Unreachable,
    /// Sent, but no answer in time (or the connection dropped): the outcome is unknown.
    Timeout,
    /// The organisation refused our credentials (token request refused or 401/403).
    Unauthorized,
    /// `$hold`/`$book` refused: the time was taken (a `cancelled` appointment, 409/422).
    SlotTaken,
    /// The hold ran out.
    HoldExpired,
    /// The organisation refused the Patient (POST Patient, `$match`).
    PatientRefused,
    /// The organisation refused the Coverage (POST/PUT Coverage).
    CoverageRefused,
    /// The version we sent (`If-Match`) is no longer current there (412).
    VersionConflict,
    /// Another request refused because of the organisation's current state (409/422).
    Refused,
    /// Our request was rejected as invalid (400).
    BadRequest,
    /// The organisation does not offer the interaction.
    Unsupported,
    /// The resource asked for does not exist there.
    NotFound,
    /// A server fault (5xx, 429) or an answer we could not understand.
    Server,
    /// Nothing was sent because of our own side: the organisation's settings are unusable,
    /// the app key is missing, the client could not be set up.
    Local,
    /// Nothing was sent: the organisation searches its schedule only for a named visit type.
    VisitTypeRequired,
}

impl From<sched_client::FailureKind> for RemoteErrorKind {
    fn from(k: sched_client::FailureKind) -> Self {
        use sched_client::FailureKind as F;
        match k {
            F::Unreachable => Self::Unreachable,
            F::Timeout => Self::Timeout,
            F::Unauthorized => Self::Unauthorized,
            F::SlotTaken => Self::SlotTaken,
            F::HoldExpired => Self::HoldExpired,
            F::PatientRefused => Self::PatientRefused,
            F::CoverageRefused => Self::CoverageRefused,
            F::VersionConflict => Self::VersionConflict,
            F::Refused => Self::Refused,
            F::Rejected => Self::BadRequest,
            F::NotFound => Self::NotFound,
            F::Unsupported => Self::Unsupported,
            F::ServerError => Self::Server,
            F::Local => Self::Local,
            F::VisitTypeRequired => Self::VisitTypeRequired,
        }
    }
}

/// A failed remote interaction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("{what}: {kind:?}{}", outcome_suffix(.outcome))]
pub struct RemoteError {
    /// The kind.
    pub kind: RemoteErrorKind,
    /// What was attempted, e.g. `$hold Appointment/123` (never a token).
    pub what: String,
    /// HTTP status when there was an answer.
    pub status: Option<u16>,
    /// The OperationOutcome text (or OAuth error description) the organisation sent; never our
    /// own transport detail, which goes to the log.
    pub outcome: Option<String>,
    /// The OAuth `error` (e.g. `invalid_client`) when the token request was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth_error: Option<String>,
}

fn outcome_suffix(outcome: &Option<String>) -> String {
    outcome
        .as_deref()
        .map(|o| format!(" ({o})"))
        .unwrap_or_default()
}

impl RemoteError {
    /// An error of `kind` for `what`.
    pub fn new(kind: RemoteErrorKind, what: impl Into<String>) -> Self {
        Self {
            kind,
            what: what.into(),
            status: None,
            outcome: None,
            oauth_error: None,
        }
    }

    /// Adds the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds the organisation's text.
    pub fn with_outcome(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        if !text.trim().is_empty() {
            self.outcome = Some(text);
        }
        self
    }

    /// Adds the OAuth `error` code.
    pub fn with_oauth_error(mut self, error: impl Into<String>) -> Self {
        self.oauth_error = Some(error.into());
        self
    }

    /// For a non-idempotent call: we cannot tell whether it took effect, so the caller must read
    /// back before doing anything else. Unreachable (never connected) is certain: it did not.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self.kind, RemoteErrorKind::Timeout)
            || (self.kind == RemoteErrorKind::Server && self.status.is_none_or(|s| s >= 500))
    }

    /// The organisation answered and said no: nothing changed there.
    pub fn is_refusal(&self) -> bool {
        use RemoteErrorKind as K;
        matches!(
            self.kind,
            K::SlotTaken
                | K::HoldExpired
                | K::PatientRefused
                | K::CoverageRefused
                | K::VersionConflict
                | K::Refused
                | K::NotFound
        )
    }

    /// Whether the organisation could not be reached at all.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self.kind,
            RemoteErrorKind::Unreachable | RemoteErrorKind::Timeout
        )
    }
}
