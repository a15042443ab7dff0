//! Errors of a remote interaction, as data: what kind, the HTTP status, and the organisation's
//! own OperationOutcome text (shown to users verbatim).

/// What went wrong, as far as the workflows branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RemoteErrorKind {
    /// Could not connect (refused, DNS): nothing reached the organisation.
    Unreachable,
    /// Sent, but no answer in time (or the connection dropped): the outcome is unknown.
    Timeout,
    /// The organisation refused our credentials (token request refused or 401/403).
    Unauthorized,
    /// The slot was taken or the request refused (`cancelled` appointment, 409/412/422/423).
    Refused,
    /// The hold ran out.
    HoldExpired,
    /// The organisation does not offer the interaction.
    Unsupported,
    /// The resource asked for does not exist there.
    NotFound,
    /// A server fault (5xx, 429) or an answer we could not understand.
    Server,
    /// Our request was invalid (400) or the organisation row is unusable (bad URL).
    BadRequest,
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
    /// The OperationOutcome text (or OAuth error description) the organisation sent.
    pub outcome: Option<String>,
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

    /// For a non-idempotent call: we cannot tell whether it took effect, so the caller must read
    /// back before doing anything else. Unreachable (never connected) is certain: it did not.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self.kind, RemoteErrorKind::Timeout)
            || (self.kind == RemoteErrorKind::Server && self.status.is_none_or(|s| s >= 500))
    }

    /// The organisation answered and said no: nothing changed there.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self.kind,
            RemoteErrorKind::Refused | RemoteErrorKind::HoldExpired | RemoteErrorKind::NotFound
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
