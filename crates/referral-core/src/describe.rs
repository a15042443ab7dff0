//! Plain sentences for users: what a remote error means and what to do, with the
//! organisation's own words quoted.

use crate::error::CoreError;
use crate::remote::{RemoteError, RemoteErrorKind};

/// "`<org>`: `<what happened>` The organisation said: “…”".
pub fn remote_sentence(organisation: &str, e: &RemoteError) -> String {
    let what = match e.kind {
        RemoteErrorKind::Unreachable => {
            "could not be reached. Check the connection and try again later."
        }
        RemoteErrorKind::Timeout => {
            "did not answer in time. Referral Desk will check what happened before doing anything else."
        }
        RemoteErrorKind::Unauthorized => {
            "did not accept Referral Desk's credentials. Ask its administrator to register this app's key."
        }
        RemoteErrorKind::Refused => {
            "refused the request; that appointment time is probably no longer available. Search again."
        }
        RemoteErrorKind::HoldExpired => "let the hold run out. Search again and pick a time.",
        RemoteErrorKind::Unsupported => "does not support this action.",
        RemoteErrorKind::NotFound => "no longer has that record.",
        RemoteErrorKind::Server => "had a problem of its own. Try again later.",
        RemoteErrorKind::BadRequest => "could not accept the request as sent.",
    };
    let mut out = format!("{organisation} {what}");
    if let Some(text) = e
        .outcome
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        out.push_str(" The organisation said: “");
        out.push_str(text);
        out.push('”');
    }
    out
}

/// A sentence for any core error, for front ends without their own wording (the CLI).
pub fn error_sentence(e: &CoreError) -> String {
    match e {
        CoreError::Remote {
            organisation,
            source,
        } => remote_sentence(organisation, source),
        CoreError::Unsupported { organisation, what } => {
            format!("{organisation} does not support {what}.")
        }
        CoreError::NeedsAttention { what, .. } => format!("Needs attention: {what}"),
        CoreError::Key(_) if e_is_no_secret_store(e) => {
            "No OS secret store (keyring) is reachable on this machine, so the app key cannot be \
             kept there. Opt in to a key file readable only by you instead (refdesk --key-file, \
             or the key file setting of the app)."
                .to_owned()
        }
        other => {
            let mut s = other.to_string();
            if !s.ends_with('.') {
                s.push('.');
            }
            s
        }
    }
}

fn e_is_no_secret_store(e: &CoreError) -> bool {
    matches!(e, CoreError::Key(k) if k.is_secret_store_unavailable())
}
