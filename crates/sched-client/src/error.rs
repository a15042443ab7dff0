//! What can go wrong talking to an organisation, as data the caller can branch on.

use std::time::Duration;

use fhir_model::{ModelError, OperationOutcome};
use thiserror::Error;

use crate::auth::AuthorizerError;
use crate::capabilities::Interaction;
use crate::outcome::Readback;

/// An error from one interaction with one organisation.
///
/// Messages never contain tokens or patient data: a URL is named by its path only.
#[derive(Debug, Error)]
pub enum ClientError {
    /// The server answered with a non-2xx status; `outcome` is its OperationOutcome if it sent one.
    #[error("the organisation answered {status}{}", outcome_text(.outcome))]
    Status {
        status: u16,
        outcome: Option<Box<OperationOutcome>>,
        /// `Retry-After`, when the server sent one (429, 503).
        retry_after: Option<Duration>,
    },
    /// `$hold`/`$book` was refused: the slot is no longer free (Appointment `cancelled`, even with
    /// HTTP 200).
    #[error("the appointment is no longer available{}", outcome_text(.outcome))]
    SlotUnavailable {
        appointment_id: Option<String>,
        outcome: Option<Box<OperationOutcome>>,
    },
    /// The organisation's CapabilityStatement does not offer this interaction; nothing was sent.
    #[error("this organisation does not offer {}", .interaction.describe())]
    Unsupported { interaction: Interaction },
    /// No answer within the per-request timeout.
    #[error("the organisation did not answer within {0:?}")]
    Timeout(Duration),
    /// The connection could not be made, or broke before an answer arrived.
    #[error("could not reach the organisation ({reason})")]
    Unreachable { reason: String, sent: bool },
    /// The body is not the FHIR content the interaction promises.
    #[error("the organisation sent a malformed answer to {what}: {reason}")]
    Malformed { what: &'static str, reason: String },
    /// The authorization server refused the app's credentials (OAuth `error`).
    #[error("the organisation's authorization server refused the app: {error}{}", description_text(.description))]
    TokenRejected {
        error: String,
        description: Option<String>,
    },
    /// A token could not be obtained for another reason.
    #[error("could not obtain an access token")]
    Auth(#[source] AuthorizerError),
    /// A non-idempotent request's fate is not known from its answer (timeout, dropped
    /// connection, 5xx): the client read the server's state back instead of retrying.
    #[error("{} may or may not have been applied ({cause}); read back: {}", .interaction.describe(), .readback.describe())]
    Ambiguous {
        interaction: Interaction,
        cause: String,
        readback: Readback,
    },
    /// The caller's input cannot be sent (bad id, missing window, bad URL).
    #[error("invalid request: {0}")]
    InvalidInput(String),
    /// The organisation searches its schedule only for a named visit type (Oracle's Slot
    /// search requires `service-type`) and the search named none: nothing was sent.
    #[error("this organisation needs a visit type to search its schedule")]
    VisitTypeRequired,
    /// The input could not be encoded as the operation requires.
    #[error("invalid operation parameters: {0}")]
    InvalidParameters(#[from] ModelError),
    /// A URL that is not https (http is allowed only on loopback).
    #[error("refusing to talk to {0}: https is required except on loopback")]
    InsecureUrl(String),
    /// The HTTP client could not be set up (TLS backend).
    #[error("the HTTP client could not be set up: {0}")]
    Setup(String),
}

fn outcome_text(outcome: &Option<Box<OperationOutcome>>) -> String {
    match outcome {
        Some(oo) if !oo.text().is_empty() => format!(": {}", oo.text()),
        _ => String::new(),
    }
}

fn description_text(description: &Option<String>) -> String {
    description
        .as_deref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default()
}

impl ClientError {
    /// Whether trying the same request again later may succeed (for reads; non-idempotent calls
    /// are never retried blindly).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Status { status, .. } => matches!(status, 408 | 429 | 500 | 502 | 503 | 504),
            Self::Timeout(_) | Self::Unreachable { .. } => true,
            Self::Auth(e) => e.is_retryable(),
            _ => false,
        }
    }

    /// Whether the app is not (or no longer) authorised: 401/403 or a refused token request.
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Self::Status { status, .. } => matches!(status, 401 | 403),
            Self::TokenRejected { .. } => true,
            _ => false,
        }
    }

    /// Whether the organisation does not offer the interaction at all.
    pub fn is_unsupported(&self) -> bool {
        matches!(self, Self::Unsupported { .. })
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }

    /// Whether the outcome of a non-idempotent request had to be read back.
    pub fn is_ambiguous(&self) -> bool {
        matches!(self, Self::Ambiguous { .. })
    }

    /// The HTTP status, when the server answered with one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's OperationOutcome, when it sent one.
    pub fn outcome(&self) -> Option<&OperationOutcome> {
        match self {
            Self::Status { outcome, .. } | Self::SlotUnavailable { outcome, .. } => {
                outcome.as_deref()
            }
            _ => None,
        }
    }

    /// `Retry-After`, when the server asked for a pause.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the request certainly never reached the server (safe to send again).
    pub fn certainly_not_sent(&self) -> bool {
        matches!(self, Self::Unreachable { sent: false, .. })
    }

    pub(crate) fn malformed(what: &'static str, reason: impl Into<String>) -> Self {
        Self::Malformed {
            what,
            reason: reason.into(),
        }
    }
}

impl From<AuthorizerError> for ClientError {
    fn from(e: AuthorizerError) -> Self {
        match e {
            AuthorizerError::Rejected { error, description } => {
                Self::TokenRejected { error, description }
            }
            other => Self::Auth(other),
        }
    }
}
