//! sched-client's and smart-auth's errors as [`RemoteError`]s: the kind the workflows branch on
//! and the organisation's own text.

use sched_client::{ClientError, Readback};
use smart_auth::AuthError;

use crate::remote::{RemoteError, RemoteErrorKind};

pub(super) fn map_error(what: &str, e: ClientError) -> RemoteError {
    use RemoteErrorKind as K;
    let text = e.outcome().map(|o| o.text()).filter(|t| !t.is_empty());
    let (kind, status) = match &e {
        ClientError::Status { status, .. } => (
            match status {
                401 | 403 => K::Unauthorized,
                404 | 410 => K::NotFound,
                409 | 412 | 422 | 423 => K::Refused,
                400 => K::BadRequest,
                _ => K::Server,
            },
            Some(*status),
        ),
        ClientError::SlotUnavailable { .. } => (K::Refused, None),
        ClientError::Unsupported { .. } => (K::Unsupported, None),
        ClientError::Timeout(_) => (K::Timeout, None),
        ClientError::Unreachable { sent: false, .. } => (K::Unreachable, None),
        ClientError::Unreachable { .. } => (K::Timeout, None),
        ClientError::Malformed { .. } => (K::Server, None),
        ClientError::TokenRejected { .. } => (K::Unauthorized, None),
        ClientError::Auth(a) if a.is_retryable() => (K::Unreachable, None),
        ClientError::Auth(_) => (K::Unauthorized, None),
        ClientError::Ambiguous {
            readback: Readback::NotApplied,
            ..
        } => (K::Unreachable, None),
        ClientError::Ambiguous { .. } => (K::Timeout, None),
        _ => (K::BadRequest, None),
    };
    let mut out = RemoteError::new(kind, what).with_outcome(text.unwrap_or_else(|| e.to_string()));
    out.status = status;
    out
}

pub(super) fn auth_remote(what: &str, e: AuthError) -> RemoteError {
    let kind = match &e {
        AuthError::TokenRejected { .. } | AuthError::IncompatibleServer { .. } => {
            RemoteErrorKind::Unauthorized
        }
        AuthError::Unreachable { .. } => RemoteErrorKind::Unreachable,
        AuthError::DiscoveryFailed { .. } => RemoteErrorKind::NotFound,
        e if e.is_retryable() => RemoteErrorKind::Server,
        _ => RemoteErrorKind::BadRequest,
    };
    let text = match &e {
        AuthError::TokenRejected {
            error, description, ..
        } => description
            .clone()
            .map_or_else(|| error.clone(), |d| format!("{error}: {d}")),
        other => other.to_string(),
    };
    RemoteError::new(kind, what).with_outcome(text)
}
