//! `ApiError {code, message, field?, oauthError?}`: what every front end receives when a command fails. The UI branches on
//! `code` (a closed list that grows only when the UI needs a new branch) and shows `message`,
//! a sentence a clinician can act on — never a debug string, a token or a stack trace.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Why a command failed, as far as a front end branches on it. A closed list: the UI imports it
/// as a TypeScript union, and the CLI's exit code is [`ApiErrorCode::exit_code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorCode {
    /// The request itself is wrong (a missing field, a bad date); `field` names it.
    InvalidInput,
    /// The referral, organisation, patient or appointment does not exist (here or there).
    NotFound,
    /// The organisation does not offer the interaction (no `$hold`, no patch format, ...).
    Unsupported,
    /// The chosen time was taken or refused between find and hold/book: search again.
    SlotTaken,
    /// The hold ran out before booking: search again.
    HoldExpired,
    /// The organisation refused the Patient (registration or `$match`).
    PatientRefused,
    /// The organisation refused the Coverage.
    CoverageRefused,
    /// The version Referral Desk sent is no longer current at the organisation (412): refresh.
    VersionConflict,
    /// The referral's own state does not allow the action (cancel a cancelled one).
    WrongState,
    /// The organisation refused our credentials; `oauth_error` when it sent one.
    Unauthorized,
    /// The organisation could not be reached (connection refused, DNS, timeout).
    Unreachable,
    /// The organisation failed (5xx, a malformed answer).
    ServerError,
    /// The outcome at the organisation is uncertain; the referral is flagged for a person.
    NeedsAttention,
    /// Referral Desk's own fault: storage, key store, missing key, sandbox start.
    LocalFailure,
    /// Another desk works the order (the message names who and until when).
    OrderClaimed,
    /// The order was already finished at home (booked, failed, closed).
    OrderFinished,
    /// The order was deleted or withdrawn at home.
    OrderWithdrawn,
    /// The order lacks details that were not filled in (the message lists them).
    OrderIncomplete,
    /// No home organisation is set, so there is no queue.
    HomeNotSet,
}

impl ApiErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ApiErrorCode; 19] = [
        Self::InvalidInput,
        Self::NotFound,
        Self::Unsupported,
        Self::SlotTaken,
        Self::HoldExpired,
        Self::PatientRefused,
        Self::CoverageRefused,
        Self::VersionConflict,
        Self::WrongState,
        Self::Unauthorized,
        Self::Unreachable,
        Self::ServerError,
        Self::NeedsAttention,
        Self::LocalFailure,
        Self::OrderClaimed,
        Self::OrderFinished,
        Self::OrderWithdrawn,
        Self::OrderIncomplete,
        Self::HomeNotSet,
    ];

    /// The CLI's exit code for this error (success is 0): the one table, documented in
    /// docs/cli.md. 2 = fix the command, 1 = refused, 3 = try again later, 4 = a person must
    /// check, 5 = Referral Desk itself failed.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::InvalidInput => 2,
            Self::NotFound
            | Self::Unsupported
            | Self::SlotTaken
            | Self::HoldExpired
            | Self::PatientRefused
            | Self::CoverageRefused
            | Self::VersionConflict
            | Self::WrongState
            | Self::Unauthorized
            | Self::OrderClaimed
            | Self::OrderFinished
            | Self::OrderWithdrawn => 1,
            Self::OrderIncomplete | Self::HomeNotSet => 2,
            Self::Unreachable | Self::ServerError => 3,
            Self::NeedsAttention => 4,
            Self::LocalFailure => 5,
        }
    }

    /// A generic sentence for this code, used when the caller has nothing more specific.
    pub fn default_message(self) -> &'static str {
        match self {
            Self::InvalidInput => {
                "Some of the details entered are not valid. Check them and try again."
            }
            Self::NotFound => "That record no longer exists. Refresh the list and try again.",
            Self::Unsupported => "The organisation does not support this action.",
            Self::SlotTaken => {
                "That appointment time is probably no longer available. Search again and pick another time."
            }
            Self::HoldExpired => {
                "The hold on that appointment time ran out. Search again and pick a time."
            }
            Self::PatientRefused => {
                "The organisation did not accept the patient's details. Check them and register the patient again."
            }
            Self::CoverageRefused => {
                "The organisation did not accept the patient's coverage. Check the coverage details and try again."
            }
            Self::VersionConflict => {
                "The record changed at the organisation since Referral Desk last read it. Refresh and try again."
            }
            Self::WrongState => "The referral changed in the meantime. Refresh it and try again.",
            Self::Unauthorized => {
                "The organisation did not accept Referral Desk's credentials. Ask its administrator to register this app's key (Settings → This app's key)."
            }
            Self::Unreachable => {
                "The organisation could not be reached. Check the connection and try again later."
            }
            Self::ServerError => "The organisation had a problem of its own. Try again later.",
            Self::NeedsAttention => {
                "The result at the organisation is uncertain. The referral is flagged for review; check it with the organisation before telling the patient."
            }
            Self::LocalFailure => {
                "Referral Desk ran into a problem of its own. Try again; if it persists, contact support."
            }
            Self::OrderClaimed => "Another desk is working this order.",
            Self::OrderFinished => "This order was already finished.",
            Self::OrderWithdrawn => "This order was withdrawn at home.",
            Self::OrderIncomplete => {
                "This order lacks some details. Fill them in and start it again."
            }
            Self::HomeNotSet => {
                "No home organisation is set. Add it in Settings → Home organisation."
            }
        }
    }
}

/// The error every command returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct ApiError {
    pub code: ApiErrorCode,
    /// A plain sentence for a clinician; quotes the organisation's OperationOutcome text if any.
    pub message: String,
    /// `invalid_input`: the request field at fault (camelCase, as in the request DTO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// `unauthorized`: the OAuth `error` the organisation sent (e.g. `invalid_client`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub oauth_error: Option<String>,
}

impl ApiError {
    pub fn new(code: ApiErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            oauth_error: None,
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

    /// `invalid_input` for the request field `field` (camelCase), with the sentence shown.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_owned()),
            ..Self::new(ApiErrorCode::InvalidInput, message)
        }
    }

    /// Whether trying the same command again later may succeed without changing anything.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.code,
            ApiErrorCode::Unreachable | ApiErrorCode::ServerError
        )
    }

    /// Whether the user must search for another slot (the chosen one is gone).
    pub fn needs_new_search(&self) -> bool {
        matches!(
            self.code,
            ApiErrorCode::SlotTaken | ApiErrorCode::HoldExpired
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn codes_serialise_as_snake_case_strings_the_ui_switches_on() {
        let json = serde_json::to_string(&ApiErrorCode::CoverageRefused).unwrap();
        assert_eq!(json, "\"coverage_refused\"");
        let back: ApiErrorCode = serde_json::from_str("\"needs_attention\"").unwrap();
        assert_eq!(back, ApiErrorCode::NeedsAttention);
        for code in ApiErrorCode::ALL {
            let text = serde_json::to_string(&code).unwrap();
            assert_eq!(serde_json::from_str::<ApiErrorCode>(&text).unwrap(), code);
        }
    }

    #[test]
    fn unknown_or_retired_codes_are_rejected_because_the_list_is_closed() {
        for old in ["teapot", "slot_unavailable", "conflict", "internal"] {
            let json = format!("\"{old}\"");
            assert!(
                serde_json::from_str::<ApiErrorCode>(&json).is_err(),
                "{old}"
            );
        }
    }

    #[test]
    fn exit_codes_follow_the_one_table() {
        let exit = |c: ApiErrorCode| c.exit_code();
        assert_eq!(exit(ApiErrorCode::InvalidInput), 2);
        for c in [
            ApiErrorCode::NotFound,
            ApiErrorCode::Unsupported,
            ApiErrorCode::SlotTaken,
            ApiErrorCode::HoldExpired,
            ApiErrorCode::PatientRefused,
            ApiErrorCode::CoverageRefused,
            ApiErrorCode::VersionConflict,
            ApiErrorCode::WrongState,
            ApiErrorCode::Unauthorized,
        ] {
            assert_eq!(exit(c), 1, "{c:?}");
        }
        assert_eq!(exit(ApiErrorCode::Unreachable), 3);
        assert_eq!(exit(ApiErrorCode::ServerError), 3);
        assert_eq!(exit(ApiErrorCode::NeedsAttention), 4);
        assert_eq!(exit(ApiErrorCode::LocalFailure), 5);
        assert!(ApiErrorCode::ALL.iter().all(|c| c.exit_code() != 0));
    }

    #[test]
    fn organisation_errors_quote_the_operation_outcome_text() {
        let e = ApiError::from_organisation(
            ApiErrorCode::SlotTaken,
            "Napa Valley Clinic",
            Some(" Slot 123 is already booked "),
        );
        assert!(e.message.starts_with(
            "Napa Valley Clinic: That appointment time is probably no longer available."
        ));
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
    fn only_a_taken_slot_says_the_time_is_probably_gone() {
        for code in ApiErrorCode::ALL {
            let m = code.default_message();
            assert!(m.ends_with('.'), "{code:?}: {m}");
            assert!(
                !m.to_lowercase().contains("error:"),
                "{code:?} reads like a debug string"
            );
            assert_eq!(
                m.contains("probably no longer available"),
                code == ApiErrorCode::SlotTaken,
                "{code:?}: {m}"
            );
        }
    }

    #[test]
    fn api_error_round_trips_with_optional_field_and_oauth_error() {
        let e = ApiError::invalid_field("birthDate", "Date of birth: use the form YYYY-MM-DD.");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "invalid_input");
        assert_eq!(json["field"], "birthDate");
        assert!(json.get("oauthError").is_none(), "absent, not null: {json}");
        assert_eq!(serde_json::from_value::<ApiError>(json).unwrap(), e);
        let plain: ApiError = serde_json::from_str(
            r#"{"code":"unauthorized","message":"No.","oauthError":"invalid_client"}"#,
        )
        .unwrap();
        assert_eq!(plain.oauth_error.as_deref(), Some("invalid_client"));
        assert_eq!(plain.field, None);
    }
}
