//! Command handlers: each declared command as `async fn name(app, request) -> Result<result,
//! ApiError>` over `referral_core::App`. The Tauri shell wires each as a one-line command; the
//! logic lives in the core, and this module only converts DTOs and maps errors to plain sentences.

pub mod appointments;
pub mod audit;
pub mod booking;
pub mod convert;
pub mod organisations;
pub mod patients;
pub mod referrals;
pub mod status;

pub use appointments::{export_ics, list_appointments};
pub use audit::export_audit;
pub use booking::{
    book_slot, cancel_referral, find_slots, hold_slot, release_hold, reschedule_referral,
};
pub use organisations::{
    check_organisation, get_jwks, list_organisations, remove_organisation, save_organisation,
};
pub use patients::{register_patient, search_patients};
pub use referrals::{code_tables, create_referral, get_referral, list_referrals};
pub use status::{app_status, setup_sandbox};

use referral_core::describe::{error_sentence, remote_sentence};
use referral_core::remote::RemoteErrorKind;
use referral_core::{App, CoreError};
use referral_store::{ReferralId, StoreError};

use crate::error::{ApiError, ApiErrorCode};

/// Maps a core error to the UI's closed list of codes, with a sentence a clinician can act on
/// (the organisation's OperationOutcome text quoted when it sent one).
pub fn api_error(e: &CoreError) -> ApiError {
    use ApiErrorCode as C;
    match e {
        CoreError::Remote {
            organisation,
            source,
        } => {
            let code = match source.kind {
                RemoteErrorKind::Refused => C::SlotUnavailable,
                RemoteErrorKind::HoldExpired => C::HoldExpired,
                RemoteErrorKind::Unauthorized => C::Unauthorized,
                RemoteErrorKind::Unsupported => C::Unsupported,
                RemoteErrorKind::NotFound => C::NotFound,
                RemoteErrorKind::Unreachable
                | RemoteErrorKind::Timeout
                | RemoteErrorKind::Server => C::Unreachable,
                RemoteErrorKind::BadRequest => C::InvalidInput,
            };
            ApiError::new(code, remote_sentence(organisation, source))
        }
        CoreError::InvalidInput { field, problem } => {
            ApiError::invalid_field(&label(field), &sentence(problem))
        }
        CoreError::Unsupported { .. } => ApiError::new(C::Unsupported, error_sentence(e)),
        CoreError::NeedsAttention { .. } => ApiError::new(C::NeedsAttention, error_sentence(e)),
        CoreError::NotFound { .. } => ApiError::new(C::NotFound, error_sentence(e)),
        CoreError::Conflict { what } => ApiError::new(
            C::Conflict,
            format!("{}. Refresh the referral and try again.", capitalise(what)),
        ),
        CoreError::Store(StoreError::InvalidInput { field, problem }) => {
            ApiError::invalid_field(&label(field), &sentence(problem))
        }
        CoreError::Store(StoreError::DuplicateOrganisation(id)) => ApiError::new(
            C::Conflict,
            format!("An organisation with the id “{id}” is already in the directory."),
        ),
        CoreError::Store(s) if s.is_not_found() => ApiError::from_code(C::NotFound),
        CoreError::Store(s) if s.is_conflict() => ApiError::from_code(C::Conflict),
        CoreError::Key(k) if k.is_secret_store_unavailable() => {
            ApiError::new(C::Internal, error_sentence(e))
        }
        _ => ApiError::from_code(C::Internal),
    }
}

fn label(field: &str) -> String {
    capitalise(field.replace(['_', '-'], " ").trim_start_matches(' '))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn sentence(s: &str) -> String {
    if s.ends_with('.') {
        s.to_owned()
    } else {
        format!("{s}.")
    }
}

/// Parses a referral id from the UI.
pub(crate) fn referral_id(text: &str) -> Result<ReferralId, ApiError> {
    App::parse_referral_id(text).map_err(|e| api_error(&e))
}

/// `?`-friendly conversion.
pub(crate) trait OrApi<T> {
    fn api(self) -> Result<T, ApiError>;
}

impl<T> OrApi<T> for Result<T, CoreError> {
    fn api(self) -> Result<T, ApiError> {
        self.map_err(|e| api_error(&e))
    }
}

#[cfg(test)]
mod tests {
    use referral_core::remote::{RemoteError, RemoteErrorKind};
    use referral_store::OrganisationId;

    use super::*;

    fn remote(kind: RemoteErrorKind, text: Option<&str>) -> CoreError {
        let mut e = RemoteError::new(kind, "$book");
        if let Some(t) = text {
            e = e.with_outcome(t);
        }
        CoreError::remote("North Clinic", e)
    }

    #[test]
    fn organisation_errors_become_codes_the_ui_branches_on_with_their_own_words() {
        let e = api_error(&remote(RemoteErrorKind::Refused, Some("Slot 7 is booked")));
        assert_eq!(e.code, ApiErrorCode::SlotUnavailable);
        assert!(e.message.starts_with("North Clinic"), "{}", e.message);
        assert!(e.message.contains("“Slot 7 is booked”"), "{}", e.message);
        let cases = [
            (RemoteErrorKind::HoldExpired, ApiErrorCode::HoldExpired),
            (RemoteErrorKind::Unauthorized, ApiErrorCode::Unauthorized),
            (RemoteErrorKind::Unreachable, ApiErrorCode::Unreachable),
            (RemoteErrorKind::Timeout, ApiErrorCode::Unreachable),
            (RemoteErrorKind::Unsupported, ApiErrorCode::Unsupported),
            (RemoteErrorKind::NotFound, ApiErrorCode::NotFound),
        ];
        for (kind, code) in cases {
            assert_eq!(api_error(&remote(kind, None)).code, code, "{kind:?}");
        }
    }

    #[test]
    fn local_errors_are_sentences_not_debug_text() {
        let e = api_error(&CoreError::invalid("window", "the start is after the end"));
        assert_eq!(e.code, ApiErrorCode::InvalidInput);
        assert_eq!(e.message, "Window: the start is after the end.");
        let dup = CoreError::Store(StoreError::DuplicateOrganisation(
            OrganisationId::new("north").unwrap_or_else(|_| unreachable!()),
        ));
        let e = api_error(&dup);
        assert_eq!(e.code, ApiErrorCode::Conflict);
        assert!(e.message.contains("“north” is already in the directory"));
        let flagged = CoreError::NeedsAttention {
            referral: ReferralId::random(),
            what: "the booking may or may not have happened".into(),
        };
        assert_eq!(api_error(&flagged).code, ApiErrorCode::NeedsAttention);
        let internal = api_error(&CoreError::Task {
            reason: "JoinError { .. }".into(),
        });
        assert_eq!(internal.code, ApiErrorCode::Internal);
        assert!(
            !internal.message.contains("JoinError"),
            "no debug text reaches the UI"
        );
    }
}
