//! `ApiError {code, message}`: what the webview receives when a command fails. The UI branches on
//! `code` (a closed list that grows only when the UI needs a new branch) and shows `message`,
//! a sentence a clinician can act on — never a debug string, a token or a stack trace.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Why a command failed, as far as the UI needs to branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorCode {
    /// The request itself is wrong (a missing field, a bad date): the user can correct it.
    InvalidInput,
    /// The referral, organisation, patient or option asked for does not exist (any more).
    NotFound,
    /// The organisation does not offer what was asked (no `$hold`, no patch format, ...).
    Unsupported,
    /// The slot was taken (or refused) between find and hold/book: search again.
    SlotUnavailable,
    /// The hold ran out before booking: search again.
    HoldExpired,
    /// The organisation refused our credentials (token request or token rejected).
    Unauthorized,
    /// The organisation could not be reached (connection refused, timeout, DNS).
    Unreachable,
    /// The action conflicts with the referral's current state (e.g. cancel a cancelled one).
    Conflict,
    /// The outcome at the organisation is uncertain; the referral is flagged for a person.
    NeedsAttention,
    /// A fault of Referral Desk itself (storage, bug); the message says what to do.
    Internal,
}

impl ApiErrorCode {
    /// Every code, in declaration order (used by tests and the binding docs).
    pub const ALL: [ApiErrorCode; 10] = [
        Self::InvalidInput,
        Self::NotFound,
        Self::Unsupported,
        Self::SlotUnavailable,
        Self::HoldExpired,
        Self::Unauthorized,
        Self::Unreachable,
        Self::Conflict,
        Self::NeedsAttention,
        Self::Internal,
    ];

    /// A generic sentence for this code, used when the caller has nothing more specific.
    pub fn default_message(self) -> &'static str {
        match self {
            Self::InvalidInput => {
                "Some of the details entered are not valid. Check them and try again."
            }
            Self::NotFound => "That record no longer exists. Refresh the list and try again.",
            Self::Unsupported => "The organisation does not support this action.",
            Self::SlotUnavailable => {
                "That appointment time is no longer available. Search again and pick another time."
            }
            Self::HoldExpired => {
                "The hold on that appointment time ran out. Search again and pick a time."
            }
            Self::Unauthorized => {
                "The organisation did not accept Referral Desk's credentials. Ask its administrator to register this app's key (Settings → This app's key)."
            }
            Self::Unreachable => {
                "The organisation could not be reached. Check the connection and try again later."
            }
            Self::Conflict => "The referral changed in the meantime. Refresh it and try again.",
            Self::NeedsAttention => {
                "The result at the organisation is uncertain. The referral is flagged for review; check it with the organisation before telling the patient."
            }
            Self::Internal => {
                "Referral Desk ran into a problem of its own. Try again; if it persists, contact support."
            }
        }
    }
}

/// The error every command returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: ApiErrorCode,
    /// A plain sentence for the user; includes the organisation's OperationOutcome text if any.
    pub message: String,
}

impl ApiError {
    pub fn new(code: ApiErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// An error with the code's generic sentence.
    pub fn from_code(code: ApiErrorCode) -> Self {
        Self::new(code, code.default_message())
    }

    /// An error reported by an organisation: "`<org>`: `<sentence>` The organisation said: `<text>`".
    /// `outcome_text` is the OperationOutcome's diagnostics/details text, when it sent one.
    pub fn from_organisation(
        code: ApiErrorCode,
        organisation: &str,
        outcome_text: Option<&str>,
    ) -> Self {
        let mut message = format!("{organisation}: {}", code.default_message());
        if let Some(text) = outcome_text.map(str::trim).filter(|t| !t.is_empty()) {
            message.push_str(" The organisation said: “");
            message.push_str(text);
            message.push('”');
        }
        Self::new(code, message)
    }

    /// A field the user must correct, named as it is labelled on screen.
    pub fn invalid_field(label: &str, what: &str) -> Self {
        Self::new(ApiErrorCode::InvalidInput, format!("{label}: {what}"))
    }

    /// Whether trying the same command again later may succeed without changing anything.
    pub fn is_retryable(&self) -> bool {
        matches!(self.code, ApiErrorCode::Unreachable)
    }

    /// Whether the user must search for another slot (the chosen one is gone).
    pub fn needs_new_search(&self) -> bool {
        matches!(
            self.code,
            ApiErrorCode::SlotUnavailable | ApiErrorCode::HoldExpired
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn codes_serialise_as_snake_case_strings_the_ui_switches_on() {
        let json = serde_json::to_string(&ApiErrorCode::SlotUnavailable).unwrap();
        assert_eq!(json, "\"slot_unavailable\"");
        let back: ApiErrorCode = serde_json::from_str("\"needs_attention\"").unwrap();
        assert_eq!(back, ApiErrorCode::NeedsAttention);
    }

    #[test]
    fn unknown_code_is_rejected_because_the_list_is_closed() {
        assert!(serde_json::from_str::<ApiErrorCode>("\"teapot\"").is_err());
    }

    #[test]
    fn organisation_errors_quote_the_operation_outcome_text() {
        let e = ApiError::from_organisation(
            ApiErrorCode::SlotUnavailable,
            "Napa Valley Clinic",
            Some(" Slot 123 is already booked "),
        );
        assert!(
            e.message
                .starts_with("Napa Valley Clinic: That appointment time is no longer available.")
        );
        assert!(
            e.message
                .ends_with("The organisation said: “Slot 123 is already booked”")
        );
        assert!(e.needs_new_search());
        assert!(!e.is_retryable());
    }

    #[test]
    fn empty_outcome_text_is_not_quoted() {
        let e = ApiError::from_organisation(ApiErrorCode::Unreachable, "Org", Some("  "));
        assert!(!e.message.contains("said"));
        assert!(e.is_retryable());
    }

    #[test]
    fn every_default_message_is_a_sentence() {
        for code in ApiErrorCode::ALL {
            let m = code.default_message();
            assert!(m.ends_with('.'), "{code:?}: {m}");
            assert!(
                !m.to_lowercase().contains("error:"),
                "{code:?} reads like a debug string"
            );
        }
    }

    #[test]
    fn api_error_round_trips_as_code_and_message() {
        let e = ApiError::invalid_field("Date of birth", "use the form YYYY-MM-DD.");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "invalid_input");
        assert_eq!(json["message"], "Date of birth: use the form YYYY-MM-DD.");
        assert_eq!(serde_json::from_value::<ApiError>(json).unwrap(), e);
    }
}
