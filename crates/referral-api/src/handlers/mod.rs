//! Command handlers: each declared command as `async fn name(app, request) -> Result<result,
//! ApiError>` over `referral_core::App`. The Tauri shell wires each as a one-line command; the
//! logic lives in the core, and this module only converts DTOs and maps errors to plain sentences.

pub mod admin;
pub mod appointments;
pub mod audit;
pub mod booking;
pub mod convert;
pub mod directory;
pub mod keys;
pub mod organisations;
pub mod patients;
pub mod queue;
pub mod referrals;
pub mod resume;
pub mod settings;
pub mod status;
pub mod sync;

pub use admin::{
    add_coverage, add_organisation, init_key, match_patient, recover, sync_referrals,
    update_coverage,
};
pub use appointments::{export_ics, list_appointments};
pub use audit::export_audit;
pub use booking::{
    book_slot, cancel_referral, find_slots, hold_slot, preview_booking, release_hold,
    reschedule_referral,
};
pub use directory::list_directory;
pub use keys::{add_key, list_keys, retire_key, set_organisation_key};
pub use organisations::{
    check_organisation, get_jwks, list_organisations, remove_organisation, save_organisation,
};
pub use patients::{register_patient, search_patients};
pub use queue::{
    claim_order, get_home, list_queue, refresh_queue, release_order, save_home, start_order,
    sync_queue,
};
pub use referrals::{code_tables, create_referral, get_referral, list_referrals};
pub use resume::{recheck_referral, resume_referral, settle_referral};
pub use settings::{get_desk_settings, save_desk_settings};
pub use status::{app_status, setup_sandbox};
pub use sync::{sync_now, sync_status};

use referral_core::describe::{error_sentence, remote_sentence};
use referral_core::remote::{RemoteError, RemoteErrorKind};
use referral_core::{App, CoreError};
use referral_model::ReferralId;

use crate::error::{ApiError, ApiErrorCode};

/// Maps a core error to the closed list of codes, with a sentence a clinician can act on (the
/// organisation's OperationOutcome text quoted when it sent one). The classification itself is
/// sched-client's (`ClientError::kind`), carried here as [`RemoteErrorKind`].
pub fn api_error(e: &CoreError) -> ApiError {
    use ApiErrorCode as C;
    let code = match e {
        CoreError::Remote {
            organisation,
            source,
        } => return remote_error(organisation, source),
        CoreError::InvalidInput { field, .. } => {
            return ApiError::invalid_field(&camel_case(field), error_sentence(e));
        }
        CoreError::Store(_) if e.invalid_field().is_some() => {
            let field = e.invalid_field().map(|(f, _)| f).unwrap_or_default();
            return ApiError::invalid_field(&camel_case(field), error_sentence(e));
        }
        CoreError::Store(_) if e.duplicate_organisation().is_some() => {
            return ApiError::invalid_field("id", error_sentence(e));
        }
        CoreError::Unsupported { .. } => C::Unsupported,
        CoreError::NeedsAttention { .. } => C::NeedsAttention,
        CoreError::OrderClaimed { .. } => C::OrderClaimed,
        CoreError::OrderFinished { .. } => C::OrderFinished,
        CoreError::OrderWithdrawn => C::OrderWithdrawn,
        CoreError::OrderIncomplete { .. } => C::OrderIncomplete,
        CoreError::HomeNotSet => C::HomeNotSet,
        CoreError::NotFound { .. } => C::NotFound,
        CoreError::Conflict { .. } | CoreError::KeyInUse { .. } => C::WrongState,
        CoreError::Store(_) if e.is_not_found() => C::NotFound,
        CoreError::Store(_) if e.is_conflict() => C::WrongState,
        _ => C::LocalFailure,
    };
    if code == C::LocalFailure {
        tracing::error!(error = %e, "a command failed on Referral Desk's side");
    }
    ApiError::new(code, error_sentence(e))
}

/// An organisation's refusal or failure.
fn remote_error(organisation: &str, source: &RemoteError) -> ApiError {
    use ApiErrorCode as C;
    use RemoteErrorKind as K;
    let code = match source.kind {
        K::SlotTaken => C::SlotTaken,
        K::HoldExpired => C::HoldExpired,
        K::PatientRefused => C::PatientRefused,
        K::CoverageRefused => C::CoverageRefused,
        K::VersionConflict => C::VersionConflict,
        K::Refused => C::WrongState,
        K::BadRequest => C::InvalidInput,
        K::Unauthorized => C::Unauthorized,
        K::Unsupported => C::Unsupported,
        K::NotFound => C::NotFound,
        K::Unreachable | K::Timeout => C::Unreachable,
        K::Server => C::ServerError,
        K::Local => C::LocalFailure,
    };
    ApiError {
        oauth_error: source.oauth_error.clone(),
        ..ApiError::new(code, remote_sentence(organisation, source))
    }
}

/// `subscriber_id` → `subscriberId`: the request DTOs' field names.
fn camel_case(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' || c == '-' || c == ' ' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
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

    use super::*;

    fn remote(kind: RemoteErrorKind, text: Option<&str>) -> CoreError {
        let mut e = RemoteError::new(kind, "$book");
        if let Some(t) = text {
            e = e.with_outcome(t);
        }
        CoreError::remote("North Clinic", e)
    }

    #[test]
    fn each_remote_kind_has_its_own_code_and_the_organisations_words_when_it_sent_some() {
        let e = api_error(&remote(
            RemoteErrorKind::SlotTaken,
            Some("Slot 7 is booked"),
        ));
        assert_eq!(e.code, ApiErrorCode::SlotTaken);
        assert!(e.message.starts_with("North Clinic"), "{}", e.message);
        assert!(e.message.contains("“Slot 7 is booked”"), "{}", e.message);
        let cases = [
            (RemoteErrorKind::HoldExpired, ApiErrorCode::HoldExpired),
            (
                RemoteErrorKind::PatientRefused,
                ApiErrorCode::PatientRefused,
            ),
            (
                RemoteErrorKind::CoverageRefused,
                ApiErrorCode::CoverageRefused,
            ),
            (
                RemoteErrorKind::VersionConflict,
                ApiErrorCode::VersionConflict,
            ),
            (RemoteErrorKind::Refused, ApiErrorCode::WrongState),
            (RemoteErrorKind::Unauthorized, ApiErrorCode::Unauthorized),
            (RemoteErrorKind::Unreachable, ApiErrorCode::Unreachable),
            (RemoteErrorKind::Timeout, ApiErrorCode::Unreachable),
            (RemoteErrorKind::Server, ApiErrorCode::ServerError),
            (RemoteErrorKind::Unsupported, ApiErrorCode::Unsupported),
            (RemoteErrorKind::NotFound, ApiErrorCode::NotFound),
            (RemoteErrorKind::Local, ApiErrorCode::LocalFailure),
        ];
        for (kind, code) in cases {
            let e = api_error(&remote(kind, None));
            assert_eq!(e.code, code, "{kind:?}");
            assert!(
                !e.message.contains("said"),
                "nothing to quote: {}",
                e.message
            );
            assert!(
                !e.message.contains("probably no longer available"),
                "{kind:?}: {}",
                e.message
            );
        }
        let coverage = api_error(&remote(RemoteErrorKind::CoverageRefused, None));
        assert_eq!(
            coverage.message,
            "North Clinic did not accept the patient's coverage. Check the coverage details and try again."
        );
    }

    #[test]
    fn a_refused_token_carries_the_oauth_error() {
        let e = CoreError::remote(
            "North Clinic",
            RemoteError::new(RemoteErrorKind::Unauthorized, "token request")
                .with_oauth_error("invalid_client"),
        );
        let e = api_error(&e);
        assert_eq!(e.code, ApiErrorCode::Unauthorized);
        assert_eq!(e.oauth_error.as_deref(), Some("invalid_client"));
        let json = serde_json::to_value(&e).unwrap_or_default();
        assert_eq!(json["oauthError"], "invalid_client");
    }

    #[test]
    fn local_errors_are_sentences_not_debug_text() {
        let e = api_error(&CoreError::invalid(
            "subscriber_id",
            "enter the member number",
        ));
        assert_eq!(e.code, ApiErrorCode::InvalidInput);
        assert_eq!(e.field.as_deref(), Some("subscriberId"));
        assert_eq!(e.message, "Subscriber id: enter the member number.");
        let flagged = CoreError::NeedsAttention {
            referral: ReferralId::random(),
            what: "the booking may or may not have happened".into(),
        };
        assert_eq!(api_error(&flagged).code, ApiErrorCode::NeedsAttention);
        let cancelled = CoreError::Conflict {
            what: "the referral is already cancelled".into(),
        };
        assert_eq!(api_error(&cancelled).code, ApiErrorCode::WrongState);
        let internal = api_error(&CoreError::Task {
            reason: "JoinError { .. }".into(),
        });
        assert_eq!(internal.code, ApiErrorCode::LocalFailure);
        assert!(
            !internal.message.contains("JoinError"),
            "no debug text reaches the UI"
        );
    }
}
