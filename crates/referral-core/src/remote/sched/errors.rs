//! sched-client's and smart-auth's errors as [`RemoteError`]s. The kind comes from
//! sched-client's one classification ([`ClientError::kind`]); the only text kept for people is
//! what the organisation wrote. Transport detail goes to the log (it never carries patient data:
//! sched-client strips URLs and we log no outcome text or bodies).

use sched_client::{ClientError, Interaction};
use smart_auth::AuthError;

use crate::remote::{RemoteError, RemoteErrorKind};

/// `e`, from the interaction `during` (described for the audit trail as `what`).
pub(super) fn map_error(during: Interaction, what: &str, e: ClientError) -> RemoteError {
    let kind = RemoteErrorKind::from(e.kind(during));
    tracing::warn!(
        what,
        kind = ?kind,
        status = e.status(),
        issue = e.outcome_code(),
        detail = %transport_detail(&e),
        "an organisation's FHIR interaction failed"
    );
    let mut out = RemoteError::new(kind, what);
    out.status = e.status();
    if let Some(text) = e.organisation_text() {
        out = out.with_outcome(text);
    }
    if let Some(error) = e.oauth_error() {
        out = out.with_oauth_error(error);
    }
    out
}

/// What of `e` may be logged: our own description for transport and local failures, only the
/// status for answers (their outcome text may name a patient).
fn transport_detail(e: &ClientError) -> String {
    match e {
        ClientError::Status { status, .. } => format!("HTTP {status}"),
        ClientError::SlotUnavailable { .. } => "appointment refused".to_owned(),
        ClientError::TokenRejected { error, .. } => format!("token refused: {error}"),
        other => other.to_string(),
    }
}

/// A smart-auth failure during discovery or the token request.
pub(super) fn auth_remote(what: &str, e: AuthError) -> RemoteError {
    use RemoteErrorKind as K;
    let kind = match &e {
        AuthError::TokenRejected { .. } => K::Unauthorized,
        AuthError::IncompatibleServer { .. }
        | AuthError::DiscoveryFailed { .. }
        | AuthError::UnsupportedTokenType { .. } => K::Unsupported,
        AuthError::Unreachable { .. } => K::Unreachable,
        AuthError::UnexpectedStatus { .. } | AuthError::MalformedResponse { .. } => K::Server,
        _ => K::Local,
    };
    tracing::warn!(what, kind = ?kind, oauth_error = e.oauth_error(), detail = %e, "SMART authorization failed");
    let mut out = RemoteError::new(kind, what);
    if let AuthError::TokenRejected {
        status,
        error,
        description,
    } = e
    {
        out.status = Some(status);
        out = out.with_oauth_error(error);
        if let Some(d) = description {
            out = out.with_outcome(d);
        }
    }
    out
}
